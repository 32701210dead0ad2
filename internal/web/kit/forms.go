package kit

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// DateField holds the three boxes of a GOV.UK date input as typed.
type DateField struct{ Day, Month, Year string }

// DateFieldOf fills a DateField from a date.
func DateFieldOf(t time.Time) DateField {
	if t.IsZero() {
		return DateField{}
	}
	return DateField{strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Year())}
}

// ReadDate reads name-day, name-month, name-year from the form.
func ReadDate(r *http.Request, name string) DateField {
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

// PathID reads the {id} of the route's path; a malformed id is "not found".
func PathID(r *http.Request) (int64, error) { return PathInt(r, "id") }

// PathInt reads a positive integer path value; a malformed one is "not found".
func PathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, sen.ErrNotFound
	}
	return id, nil
}

// ParseForm reads a posted form (the body is already capped by the server).
func ParseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return ErrTooLarge
	}
	return nil
}

// ParseBody parses a urlencoded or multipart POST body (as PostFormValue
// would) and returns the error PostFormValue would hide.
func ParseBody(r *http.Request) error {
	// ParseForm first: for a urlencoded body ParseMultipartForm would
	// report only ErrNotMultipart and hide ParseForm's error.
	if err := r.ParseForm(); err != nil {
		return err
	}
	err := r.ParseMultipartForm(32 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		return nil
	}
	return err
}

// FormInt reads a form value as an int64 (0 when absent or malformed).
func FormInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}
