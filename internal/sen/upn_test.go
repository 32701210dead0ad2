package sen

import (
	"strings"
	"testing"
)

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

func TestUPNLANumber(t *testing.T) {
	// Census rule 1530: characters 2–4 are an English LA number (LANumbers).
	tests := []struct {
		la   string
		ok   bool
		name string
	}{
		{"001", true, "first of 001–005"},
		{"005", true, "last of 001–005"},
		{"006", false, "after 001–005"},
		{"000", false, "zero"},
		{"201", true, "City of London"},
		{"214", false, "after 201–213"},
		{"420", true, "single number"},
		{"804", false, "gap between 803 and 805"},
		{"886", true, "inside 865–896"},
		{"938", true, "last confirmed"},
		{"940", true, "unconfirmed new unitary, kept as data"},
		{"944", false, "after 943"},
		{"999", false, "not an LA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest := tt.la + "200125001"
			upn := string(UPNCheckLetter(rest)) + rest
			msg := CheckUPN(upn)
			if (msg == "") != tt.ok {
				t.Fatalf("CheckUPN(%s) = %q, want ok=%v", upn, msg, tt.ok)
			}
			if !tt.ok && !strings.Contains(msg, "local authority number: "+tt.la) {
				t.Fatalf("message %q does not name the LA number", msg)
			}
			if ValidLANumber(tt.la) != tt.ok {
				t.Fatalf("ValidLANumber(%s) != %v", tt.la, tt.ok)
			}
		})
	}
	for _, bad := range []string{"", "88", "8866", "8a6"} {
		if ValidLANumber(bad) {
			t.Errorf("ValidLANumber(%q) = true", bad)
		}
	}
	for _, r := range LANumbers {
		if r.From > r.To || r.From < 1 || r.To > 999 {
			t.Errorf("bad range %v", r)
		}
	}
}

func TestNormaliseUPN(t *testing.T) {
	if got := NormaliseUPN(" r201 1000 18042 "); got != "R201100018042" {
		t.Fatalf("got %q", got)
	}
}

func TestUPNCheckLetterRoundTrip(t *testing.T) {
	for _, rest := range []string{"201100018042", "801200005001", "20110001804V", "886999999999", "001000000000"} {
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
