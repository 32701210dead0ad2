// Package ehc is the domain of EHC (education, health and care) plans:
// needs-assessment requests and their events, issued plans with their
// Section B needs, Section E outcomes and Section F provision, delivery of
// that provision, annual reviews and the statutory calendar built from them.
//
// It holds the types, the code lists with their labels (sen.Options), the
// validation of each record (Validate, keyed by domain field names) and the
// pure rules. Every statutory date comes from internal/deadline, which cites
// the legal source of each rule. It imports only the standard library,
// internal/sen and internal/deadline; internal/store reads and writes these
// types.
package ehc

import (
	"strings"
	"time"

	"opensend/internal/deadline"
)

// Day converts a stored calendar date (midnight UTC) to a deadline.Date.
func Day(t time.Time) deadline.Date {
	if t.IsZero() {
		return deadline.Date{}
	}
	return deadline.Date{Y: t.Year(), M: t.Month(), D: t.Day()}
}

// DayPtr is Day for optional facts: nil when t is zero.
func DayPtr(t time.Time) *deadline.Date {
	if t.IsZero() {
		return nil
	}
	d := Day(t)
	return &d
}

// TimeOf converts a deadline.Date to a stored calendar date (midnight UTC).
func TimeOf(d deadline.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC)
}

// longDate is how a calendar date reads in a message: 2 January 2006.
func longDate(t time.Time) string { return t.Format("2 January 2006") }

// firstLine is the first line of an engine error, for a field message.
func firstLine(err error) string {
	m := err.Error()
	if i := strings.IndexByte(m, '\n'); i >= 0 {
		m = m[:i]
	}
	return m
}
