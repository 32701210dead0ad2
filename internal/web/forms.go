package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// DateField holds the three boxes of a GOV.UK date input as typed.
type DateField struct{ Day, Month, Year string }

// dateFieldOf fills a DateField from a date.
func dateFieldOf(t time.Time) DateField {
	if t.IsZero() {
		return DateField{}
	}
	return DateField{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
}

// readDate reads name-day, name-month, name-year from the form.
func readDate(r *http.Request, name string) DateField {
	return DateField{strings.TrimSpace(r.PostFormValue(name + "-day")), strings.TrimSpace(r.PostFormValue(name + "-month")), strings.TrimSpace(r.PostFormValue(name + "-year"))}
}

// Empty reports whether nothing was typed.
func (d DateField) Empty() bool { return d.Day == "" && d.Month == "" && d.Year == "" }

// Parse turns the boxes into a date, with GOV.UK-style messages naming the
// field ("Date of birth must include a month", "... must be a real date").
func (d DateField) Parse(label string, required bool) (time.Time, string) {
	if d.Empty() {
		if required {
			return time.Time{}, "Enter the " + strings.ToLower(label[:1]) + label[1:]
		}
		return time.Time{}, ""
	}
	var missing []string
	if d.Day == "" {
		missing = append(missing, "a day")
	}
	if d.Month == "" {
		missing = append(missing, "a month")
	}
	if d.Year == "" {
		missing = append(missing, "a year")
	}
	if len(missing) > 0 {
		return time.Time{}, label + " must include " + strings.Join(missing, " and ")
	}
	day, e1 := strconv.Atoi(d.Day)
	month, e2 := strconv.Atoi(d.Month)
	year, e3 := strconv.Atoi(d.Year)
	if e1 != nil || e2 != nil || e3 != nil || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, label + " must be a real date"
	}
	if year < 1900 || year > 2200 {
		return time.Time{}, label + " must include a 4-digit year, like 2015"
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, label + " must be a real date"
	}
	return t, ""
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, sen.ErrNotFound
	}
	return id, nil
}

// parseForm reads a urlencoded form with a size cap.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errTooLarge
	}
	return nil
}
