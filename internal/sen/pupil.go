package sen

import (
	"strings"
	"time"
)

// Pupil is a child on a school's roll.
type Pupil struct {
	ID            int64
	SchoolID      int64
	UPN           string
	Forename      string
	Surname       string
	DOB           time.Time // calendar date
	Sex           string    // M, F (census values)
	YearGroup     string    // N1, N2, R, 1 … 14
	ClassName     string    // registration class / form
	AdmissionDate time.Time
	Version       int64 // optimistic-locking counter
	// Current SEN register state (read models; written through status history).
	Status     string
	StatusFrom time.Time
	Needs      []Need
	// Census SEN unit and resourced-provision indicators (§2.4).
	Indicators ProvisionIndicators
	// LeftOn is the date the pupil left the school's roll (zero: on roll).
	// A leaver's records are kept, read-only (internal/transition).
	LeftOn time.Time
}

// Left reports whether the pupil has left the school's roll.
func (p Pupil) Left() bool { return !p.LeftOn.IsZero() }

// FullName is "Forename Surname".
func (p Pupil) FullName() string { return strings.TrimSpace(p.Forename + " " + p.Surname) }

// YearGroups are the national curriculum year groups a school can hold, in order.
var YearGroups = []string{"N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"}

// ValidYearGroup reports whether y is a census NC year.
func ValidYearGroup(y string) bool {
	for _, g := range YearGroups {
		if g == y {
			return true
		}
	}
	return false
}

// YearGroupLabel gives "Year 7", "Reception", "Nursery 1".
func YearGroupLabel(y string) string {
	switch y {
	case "N1":
		return "Nursery 1"
	case "N2":
		return "Nursery 2"
	case "R":
		return "Reception"
	case "":
		return ""
	}
	return "Year " + y
}

// NormaliseYearGroup accepts the spellings MIS exports use ("Year 7", "Y7",
// "07", "Reception", "Rec") and returns the census value, or "" if unknown.
func NormaliseYearGroup(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "YEAR")
	s = strings.TrimPrefix(s, "YR")
	s = strings.TrimPrefix(s, "Y")
	s = strings.TrimSpace(s)
	switch s {
	case "RECEPTION", "REC", "R", "EPTION":
		return "R"
	case "N1", "NURSERY 1":
		return "N1"
	case "N2", "NURSERY 2", "NURSERY":
		return "N2"
	}
	s = strings.TrimLeft(s, "0")
	if ValidYearGroup(s) {
		return s
	}
	return ""
}

// Sexes are the census values accepted for a pupil.
var Sexes = Options{{"F", "Female"}, {"M", "Male"}}

// NormaliseSex maps "Female", "f", "M", "Male" to the census code.
func NormaliseSex(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "F", "FEMALE", "GIRL":
		return "F"
	case "M", "MALE", "BOY":
		return "M"
	}
	return ""
}

// ParseDate accepts ISO dates (2015-09-01) and the UK day-first form MIS
// exports use (01/09/2015). It returns a calendar date at midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Validate checks a pupil's fields against today's date (Europe/London).
// It normalises UPN, sex and year group in place.
func (p *Pupil) Validate(today time.Time) FieldErrors {
	fe := FieldErrors{}
	p.UPN = NormaliseUPN(p.UPN)
	p.Forename = strings.TrimSpace(p.Forename)
	p.Surname = strings.TrimSpace(p.Surname)
	p.ClassName = strings.TrimSpace(p.ClassName)
	if msg := CheckUPN(p.UPN); msg != "" {
		fe.Add("upn", msg)
	}
	if p.Forename == "" {
		fe.Add("forename", "Enter the pupil's first name")
	} else if len(p.Forename) > 100 {
		fe.Add("forename", "First name must be 100 characters or fewer")
	}
	if p.Surname == "" {
		fe.Add("surname", "Enter the pupil's last name")
	} else if len(p.Surname) > 100 {
		fe.Add("surname", "Last name must be 100 characters or fewer")
	}
	if p.DOB.IsZero() {
		fe.Add("dob", "Enter the pupil's date of birth")
	} else if p.DOB.After(today) {
		fe.Add("dob", "Date of birth must be in the past")
	} else if p.DOB.Before(today.AddDate(-26, 0, 0)) {
		fe.Add("dob", "Date of birth must be within the last 26 years")
	}
	if s := NormaliseSex(p.Sex); s == "" {
		fe.Add("sex", "Select the pupil's sex as recorded for the census")
	} else {
		p.Sex = s
	}
	if y := NormaliseYearGroup(p.YearGroup); y == "" {
		fe.Add("yearGroup", "Select a year group")
	} else {
		p.YearGroup = y
	}
	if len(p.ClassName) > 40 {
		fe.Add("className", "Class must be 40 characters or fewer")
	}
	fe.Name("forename", p.Forename)
	fe.Name("surname", p.Surname)
	fe.Line("className", p.ClassName)
	fe.Line("upn", p.UPN)
	if !p.AdmissionDate.IsZero() {
		if p.AdmissionDate.After(today.AddDate(1, 0, 0)) {
			fe.Add("admissionDate", "Admission date must be no more than a year from today")
		} else if !p.DOB.IsZero() && p.AdmissionDate.Before(p.DOB) {
			fe.Add("admissionDate", "Admission date must be after the date of birth")
		}
	}
	return fe
}
