package sen

import "testing"

func TestValidateUPN(t *testing.T) {
	// Worked examples from shared/domain/statutory-facts.md §4.
	tests := []struct {
		upn string
		ok  bool
	}{
		{"B801200005001", true},  // python-stdnum doctest
		{"R201100018042", true},  // MTC spec: sum 176, 176 mod 23 = 15 = R
		{"T20110001804V", true},  // temporary: V=18, sum 384 mod 23 = 16 = T
		{"P207000016049", true},  // the corrected Arbor example (sum 266 -> P)
		{"Q207000016049", false}, // Arbor's wrong example
		{"B207000016049", false},
		{"A20110001804", false},   // too short
		{"R2011000180421", false}, // too long
		{"I201100018042", false},  // I never used
		{"R20110001804S", false},  // S never used as final letter
		{"R2011X0018042", false},  // letter in the digits
		{"", false},
	}
	for _, tt := range tests {
		err := CheckUPN(tt.upn)
		if (err == "") != tt.ok {
			t.Errorf("CheckUPN(%q) = %v, want ok=%v", tt.upn, err, tt.ok)
		}
	}
}

func TestNormaliseUPN(t *testing.T) {
	if got := NormaliseUPN(" r201 1000 18042 "); got != "R201100018042" {
		t.Fatalf("got %q", got)
	}
}

func TestUPNCheckLetterRoundTrip(t *testing.T) {
	for _, rest := range []string{"201100018042", "801200005001", "20110001804V", "999999999999", "000000000000"} {
		upn := string(UPNCheckLetter(rest)) + rest
		if err := CheckUPN(upn); err != "" {
			t.Errorf("%s: %v", upn, err)
		}
	}
	if IsTemporaryUPN("R201100018042") || !IsTemporaryUPN("T20110001804V") {
		t.Fatal("IsTemporaryUPN wrong")
	}
}

func FuzzCheckUPN(f *testing.F) {
	f.Add("R201100018042")
	f.Add("T20110001804V")
	f.Fuzz(func(t *testing.T, s string) {
		if CheckUPN(s) == "" {
			if len(s) != 13 || UPNCheckLetter(s[1:]) != s[0] {
				t.Fatalf("accepted bad UPN %q", s)
			}
		}
	})
}
