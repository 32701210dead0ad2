package plans

import (
	"strings"
	"testing"
)

// The parents' copy never uses the school's record-keeping wording.
func TestStatusParentLabel(t *testing.T) {
	for _, s := range []Status{Draft, Active, Reviewed} {
		l := s.ParentLabel()
		if l == "" || l == string(s) && s != Reviewed || strings.Contains(strings.ToLower(l), "locked") {
			t.Errorf("%s: parents' label %q", s, l)
		}
	}
	if Reviewed.Label() != "Reviewed (locked)" {
		t.Errorf("staff label %q", Reviewed.Label())
	}
}
