package sen

import (
	"unicode"
	"unicode/utf8"
)

// Clean text: every text a person types or imports is valid UTF-8 with no
// NUL or other control characters (a long text may hold tabs and new
// lines), and a name holds no bidirectional override or isolate character
// (U+202A–U+202E, U+2066–U+2069), which can make a name display as another
// ("Trojan Source", CVE-2021-42574). Both database engines then store the
// same text: PostgreSQL refuses invalid UTF-8 and NUL outright.

// Text messages: the field's label is not known here, so they say "this".
const (
	msgInvalidUTF8 = "Enter text using letters, numbers and punctuation only: this contains characters that are not valid text (check the file or text was saved as UTF-8)"
	msgControl     = "Enter text without control characters (such as NUL or tab)"
	msgControlLong = "Enter text without control characters (tabs and new lines are allowed)"
	msgBidi        = "Enter the name without hidden direction-changing characters"
)

// CheckText returns the message for a text that is not clean, or "".
// multiline allows tab, carriage return and line feed (long text).
func CheckText(v string, multiline bool) string {
	if !utf8.ValidString(v) {
		return msgInvalidUTF8
	}
	for _, r := range v {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			if multiline {
				return msgControlLong
			}
			return msgControl
		}
	}
	return ""
}

// IsBidiControl reports whether r is a bidirectional embedding, override
// or isolate character.
func IsBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// CheckName returns the message for a name (one line) that is not clean,
// or "": CheckText, and no bidirectional override or isolate.
func CheckName(v string) string {
	if msg := CheckText(v, false); msg != "" {
		return msg
	}
	for _, r := range v {
		if IsBidiControl(r) {
			return msgBidi
		}
	}
	return ""
}

// Line records a field error for a one-line text that is not clean.
func (fe FieldErrors) Line(field, v string) {
	if msg := CheckText(v, false); msg != "" {
		fe.Add(field, msg)
	}
}

// Long records a field error for a long text that is not clean.
func (fe FieldErrors) Long(field, v string) {
	if msg := CheckText(v, true); msg != "" {
		fe.Add(field, msg)
	}
}

// Name records a field error for a name that is not clean.
func (fe FieldErrors) Name(field, v string) {
	if msg := CheckName(v); msg != "" {
		fe.Add(field, msg)
	}
}
