package sen

import (
	"fmt"
	"strings"
)

// upnAlphabet is the check-letter alphabet of the DfE Unique Pupil Number
// standard: A–Z without I, O and S (remainders 0–22).
// Source: UK Government Data Standards Catalogue, "Unique Pupil Number v2.0"
// (GovTalk), the DfE MTC upn.service.js and python-stdnum gb/upn.py, as
// recorded in shared/domain/statutory-facts.md §4.
const upnAlphabet = "ABCDEFGHJKLMNPQRTUVWXYZ"

// NormaliseUPN upper-cases a UPN and removes spaces a user may have typed.
func NormaliseUPN(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ValidateUPN checks a (normalised) UPN: 13 characters, a check letter,
// twelve digits for a permanent UPN or eleven digits and a letter for a
// temporary one, no I, O or S as a letter, the correct check letter (census
// rule 1510) and an English LA number in characters 2–4 (census rule 1530,
// LANumbers). It returns "" for a valid UPN, or a message for a person.
func CheckUPN(upn string) string {
	if upn == "" {
		return "Enter the pupil's UPN"
	}
	if len(upn) != 13 {
		return fmt.Sprintf("UPN must be 13 characters, like A123456789012 (this one has %d)", len([]rune(upn)))
	}
	first := upn[0]
	if strings.IndexByte(upnAlphabet, first) < 0 {
		return "UPN must start with a check letter (A to Z, not I, O or S)"
	}
	for i := 1; i < 12; i++ {
		if upn[i] < '0' || upn[i] > '9' {
			return "UPN characters 2 to 12 must be digits"
		}
	}
	last := upn[12]
	if !(last >= '0' && last <= '9') && strings.IndexByte(upnAlphabet, last) < 0 {
		return "The last character of a UPN must be a digit, or a letter other than I, O or S for a temporary UPN"
	}
	if want := UPNCheckLetter(upn[1:]); want != first {
		return fmt.Sprintf("UPN check letter is wrong: the first letter should be %c for these digits", want)
	}
	if !ValidLANumber(upn[1:4]) {
		return fmt.Sprintf("UPN characters 2 to 4 must be an English local authority number: %s is not one", upn[1:4])
	}
	return ""
}

// IsTemporaryUPN reports whether a valid UPN is a temporary one (ends in a letter).
func IsTemporaryUPN(upn string) bool {
	return len(upn) == 13 && upn[12] >= 'A' && upn[12] <= 'Z'
}

// UPNCheckLetter computes the check letter for characters 2–13 of a UPN:
// character n (n = 2…13) weighted by n, a trailing letter of a temporary UPN
// valued by its place in the alphabet above, sum mod 23 mapped to the
// alphabet. The caller passes exactly 12 characters.
func UPNCheckLetter(rest string) byte {
	sum := 0
	for i := 0; i < len(rest) && i < 12; i++ {
		c := rest[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			v = strings.IndexByte(upnAlphabet, c)
			if v < 0 {
				v = 0
			}
		}
		sum += v * (i + 2)
	}
	return upnAlphabet[sum%23]
}
