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
)

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
