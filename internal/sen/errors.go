// Package sen is OpenSEND's domain: pupils, the SEN register, census codes,
// roles and the validation rules that apply to them. It imports only the
// standard library so that every other package can depend on it.
package sen

import (
	"errors"
	"sort"
	"strings"
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

// ConflictError carries a specific message about what clashed.
type ConflictError struct{ Msg string }

func (e *ConflictError) Error() string { return e.Msg }

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *ConflictError) Unwrap() error { return ErrConflict }
