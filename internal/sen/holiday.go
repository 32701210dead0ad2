package sen

import "time"

// Holiday is a period the school is closed (a half-term, the Christmas,
// Easter or summer holiday, a training day), first and last day inclusive.
// Section F provision is specified per school week, so what is expected of
// a line is counted on school days only (Monday to Friday, not a holiday).
type Holiday struct {
	ID     int64
	Label  string
	Starts time.Time
	Ends   time.Time
}

// MaxHolidayDays bounds one holiday: the longest (summer) is about 6-7 weeks.
const MaxHolidayDays = 70

// Validate checks a holiday on its own: a name, both dates, the last day
// not before the first, and at most 10 weeks. (That it overlaps no other
// holiday needs the school's holidays: ErrHolidayOverlap.) Label is
// checked as given: trim it first.
func (h Holiday) Validate() FieldErrors {
	fe := FieldErrors{}
	switch {
	case h.Label == "":
		fe.Add("label", "Enter a name for the holiday, for example \"October half-term\"")
	case len(h.Label) > 100:
		fe.Add("label", "The name must be 100 characters or fewer")
	}
	fe.Line("label", h.Label)
	if h.Starts.IsZero() {
		fe.Add("starts", "Enter the first day of the holiday")
	}
	if h.Ends.IsZero() {
		fe.Add("ends", "Enter the last day of the holiday")
	}
	if len(fe) == 0 {
		switch {
		case h.Ends.Before(h.Starts):
			fe.Add("ends", "The last day must be the same as or after the first day")
		case h.Ends.Sub(h.Starts).Hours()/24 >= MaxHolidayDays:
			fe.Add("ends", "A holiday must be 10 weeks or shorter: record each holiday separately")
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}
