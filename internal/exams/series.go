package exams

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Series is an exam series as the school sets it up each year (e.g. "June
// 2027"): its dates and the school's deadline for access arrangement
// applications. The fact sheet's AAO deadlines are unconfirmed (§6.6 ⚠: 21
// March for June, 4 October for November, modified papers by 21 January,
// from memory of AARA chapter 8) and change every year, so no date is in
// code: the school types them from the current AARA, and may set its own
// earlier deadline.
type Series struct {
	ID             int64
	Name           string
	Starts, Ends   time.Time
	Deadline       time.Time // applications (AAO) by
	ModifiedPapers time.Time // modified papers ordered by (zero: none set)
	Version        int
}

// Validate checks a series.
func (s Series) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if strings.TrimSpace(s.Name) == "" {
		fe.Add("name", "Enter the name of the series, like June 2027")
	}
	fe.Line("name", s.Name)
	if s.Starts.IsZero() {
		fe.Add("starts", "Enter the date of the first exam")
	}
	if s.Ends.IsZero() {
		fe.Add("ends", "Enter the date of the last exam")
	} else if !s.Starts.IsZero() && s.Ends.Before(s.Starts) {
		fe.Add("ends", "The last exam must be on or after the first exam")
	}
	if s.Deadline.IsZero() {
		fe.Add("deadline", "Enter the deadline for access arrangement applications")
	} else if !s.Starts.IsZero() && !s.Deadline.Before(s.Starts) {
		fe.Add("deadline", "The application deadline must be before the first exam")
	}
	if !s.ModifiedPapers.IsZero() && !s.Starts.IsZero() && !s.ModifiedPapers.Before(s.Starts) {
		fe.Add("modified_papers", "The deadline for ordering modified papers must be before the first exam")
	}
	return fe
}

// NextSeries is the first series that has not ended by today (ok false:
// none is set up).
func NextSeries(all []Series, today time.Time) (Series, bool) {
	sorted := append([]Series(nil), all...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Starts.Before(sorted[j].Starts) })
	for _, s := range sorted {
		if !s.Ends.Before(today) {
			return s, true
		}
	}
	return Series{}, false
}

// Sitting is one exam paper in one room: the unit an invigilator works
// from (a paper in two rooms is two sittings).
type Sitting struct {
	ID       int64
	SeriesID int64
	Paper    string // e.g. "GCSE English Language Paper 1"
	On       time.Time
	Session  string // SessionOptions code
	Room     string
	Version  int
}

// SessionOptions are the exam sessions of a day.
var SessionOptions = sen.Options{{Code: "AM", Label: "Morning"}, {Code: "PM", Label: "Afternoon"}}

// Validate checks a sitting against its series' dates.
func (s Sitting) Validate(series Series) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if strings.TrimSpace(s.Paper) == "" {
		fe.Add("paper", "Enter the exam paper, like GCSE English Language Paper 1")
	}
	fe.Line("paper", s.Paper)
	if s.On.IsZero() {
		fe.Add("on", "Enter the date of the exam")
	} else if s.On.Before(series.Starts) || s.On.After(series.Ends) {
		fe.Add("on", fmt.Sprintf("The exam must be within the series, from %s to %s", series.Starts.Format("2 January 2006"), series.Ends.Format("2 January 2006")))
	}
	if !SessionOptions.Has(s.Session) {
		fe.Add("session", "Select morning or afternoon")
	}
	if strings.TrimSpace(s.Room) == "" {
		fe.Add("room", "Enter the room, like Main hall")
	}
	fe.Line("room", s.Room)
	return fe
}

// AppliesTo reports whether an arrangement applies at a sitting of series:
// it is for that series or for every series, it is approved (or delegated
// to the centre and at least evidenced) and not expired on the day, and its
// exams are blank (all) or name the paper (case-insensitive; several
// separated by commas or semicolons).
func (a Arrangement) AppliesTo(s Sitting) bool {
	if a.SeriesID != 0 && a.SeriesID != s.SeriesID {
		return false
	}
	switch a.Current(s.On) {
	case StatusApproved:
	case StatusEvidence:
		if k, _ := KindOf(a.Kind); !k.Delegated {
			return false
		}
	default:
		return false
	}
	if strings.TrimSpace(a.Exams) == "" {
		return true
	}
	paper := strings.ToLower(s.Paper)
	for _, e := range strings.FieldsFunc(a.Exams, func(r rune) bool { return r == ',' || r == ';' }) {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && strings.Contains(paper, e) {
			return true
		}
	}
	return false
}

// Reminder is one thing to do about a candidate's arrangement before a series.
type Reminder struct {
	PupilID       int64
	ArrangementID int64
	Kind          string
	Late          bool   // the deadline has passed or the approval lapses: shown as a warning
	Text          string // what to do, in words
}

// Reminders are, for the next series (NextSeries), the arrangements that
// apply to it and are not yet approved (before the application deadline,
// with the days left; after it, the late rule of §6.6 ⚠: only where the
// need arose after the deadline), and the approved ones that expire before
// the series ends. Delegated arrangements need no approval, only evidence.
func Reminders(arrs []Arrangement, series Series, today time.Time) []Reminder {
	var out []Reminder
	for _, a := range arrs {
		if a.SeriesID != 0 && a.SeriesID != series.ID {
			continue
		}
		k, _ := KindOf(a.Kind)
		st := a.Current(today)
		r := Reminder{PupilID: a.PupilID, ArrangementID: a.ID, Kind: a.Kind}
		switch {
		case st == StatusExpired:
			if a.Status == StatusExpired {
				continue // recorded as expired: no longer in use
			}
			r.Late, r.Text = true, "The approval expired on "+a.Expires.Format("2 January 2006")+": apply again for "+series.Name
		case st == StatusApproved:
			if a.Expires.IsZero() || !a.Expires.Before(series.Ends) {
				continue
			}
			r.Late, r.Text = true, "The approval expires on "+a.Expires.Format("2 January 2006")+", before the end of "+series.Name+" ("+series.Ends.Format("2 January 2006")+"): apply again"
		case k.Delegated && st == StatusEvidence:
			continue
		case k.Delegated:
			r.Text = "Gather the normal way of working evidence before " + series.Name + " (delegated to the centre: no application)"
		case today.After(series.Deadline):
			r.Late, r.Text = true, "Not approved and the application deadline for "+series.Name+" passed on "+series.Deadline.Format("2 January 2006")+": a late application is possible only where the need arose after the deadline"
		default:
			days := int(series.Deadline.Sub(today).Hours() / 24)
			left := sen.Count(days, "day", "days") + " left"
			if days == 0 {
				left = "today"
			}
			r.Text = "Not yet approved: apply by " + series.Deadline.Format("2 January 2006") + " for " + series.Name + " (" + left + ")"
		}
		out = append(out, r)
	}
	return out
}
