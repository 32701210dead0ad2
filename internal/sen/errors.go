// Package sen is OpenSEND's domain: pupils, the SEN register, census codes,
// roles and the validation rules that apply to them. It imports only the
// standard library so that every other package can depend on it.
package sen

import (
	"errors"
	"sort"
	"strings"
	"time"
)

// Sentinel errors shared by the store and the web layer.
var (
	// ErrNotFound is returned for a record that does not exist or that the
	// acting user may not see: the two are deliberately indistinguishable.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a record was changed by someone else since
	// it was read (optimistic locking) or a unique value is already taken.
	ErrConflict = errors.New("conflict")
	// ErrForbidden is returned when the actor is known but not allowed.
	ErrForbidden = errors.New("forbidden")
)

// FieldErrors maps a form field name to a human message for the GOV.UK
// error summary and the inline error next to the field.
type FieldErrors map[string]string

// Add records msg for field unless the field already has an error.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Error makes FieldErrors usable as an error value.
func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+fe[k])
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// Err returns fe as an error, or nil when there are no field errors.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// ConflictError says what clashed. The store fills the facts it found
// (What was changed, By whom, At what time); the sentence people read is
// the domain's: Msg, written by the domain package that owns the record,
// and, when At is known, the "changed by ... at ..." opening that Error
// formats in Europe/London.
type ConflictError struct {
	What string    // the record, as it reads after "This": "plan", "pupil's SEN record"
	By   string    // who changed it, when known ("" reads "someone else")
	At   time.Time // when it was changed, when known
	Msg  string    // the rest of the message: what happened to the change, what to do
}

// Error is the message shown to the user.
func (e *ConflictError) Error() string {
	if e.At.IsZero() {
		return e.Msg
	}
	by := e.By
	if by == "" {
		by = "someone else"
	}
	return "This " + e.What + " was changed by " + by + " at " + e.At.In(London()).Format("15:04 on 2 January 2006") + " while you were editing. " + e.Msg
}

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Conflicts and messages of the shared domain's records (pupils, the SEN
// register, users, the school's holidays), so the store writes no sentences.

// ErrSENRecordChanged: the pupil's SEN record changed since it was read.
func ErrSENRecordChanged() error {
	return &ConflictError{What: "pupil's SEN record", Msg: "Someone else changed this pupil's SEN record while you were editing. Nothing has been saved: review the current record below and try again."}
}

// ErrPupilChanged: the pupil's details changed since they were read (long
// says what to do next, for the edit form).
func ErrPupilChanged(long bool) error {
	if long {
		return &ConflictError{What: "pupil", Msg: "Someone else changed this pupil's details while you were editing. Your changes have not been saved: check the details below and make your changes again."}
	}
	return &ConflictError{What: "pupil", Msg: "Someone else changed this pupil's details while you were editing. Your changes have not been saved."}
}

// ErrEmailTaken: another user has this email address.
func ErrEmailTaken() error {
	return &ConflictError{What: "user", Msg: "A user with this email address already exists"}
}

// ErrUPNTaken: a pupil with this UPN is already on the school's roll.
func ErrUPNTaken(upn string) FieldErrors {
	return FieldErrors{"upn": "A pupil with UPN " + upn + " is already on this school's roll"}
}

// ErrCensus turns the first census problem into the field's message.
func ErrCensus(field string, problems []string) FieldErrors {
	return FieldErrors{field: strings.ToUpper(problems[0][:1]) + problems[0][1:]}
}

// ErrStatusBeforeCurrent: a status change starts before the current one.
func ErrStatusBeforeCurrent(current time.Time) FieldErrors {
	return FieldErrors{"startDate": "The start date must be on or after the current status's start date (" + current.Format("2 January 2006") + ")"}
}

// ErrHolidayOverlap: a holiday's dates overlap another holiday (label, from, to).
func ErrHolidayOverlap(label string, from, to time.Time) FieldErrors {
	return FieldErrors{"starts": "These dates overlap " + label + " (" + from.Format("2 January 2006") + " to " + to.Format("2 January 2006") + ")"}
}

// DecidedBySENCO is who the register history says decided a status change
// the SENCO (name) made.
func DecidedBySENCO(name string) string {
	return name + " (SENCO)"
}
