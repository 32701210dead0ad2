package records

import (
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func TestDue(t *testing.T) {
	file, _ := DefaultRule(KindSENFile)
	leaving := Rule{Kind: KindSENFile, Basis: BasisLeaving, Years: 25}
	closed := Rule{Kind: KindConcerns, Basis: BasisClosed, Years: 6}
	with := Rule{Kind: KindConcerns, Basis: BasisWithFile}
	for _, tc := range []struct {
		name    string
		r       Rule
		f       Facts
		fileDue time.Time
		fileOK  bool
		want    time.Time
		ok      bool
	}{
		{"DOB + 31", file, Facts{DOB: d(1994, 3, 3)}, time.Time{}, false, d(2025, 3, 3), true},
		{"DOB + 31, born 29 February, target year not leap: 1 March", file, Facts{DOB: d(1996, 2, 29)}, time.Time{}, false, d(2027, 3, 1), true},
		{"DOB + 31, born 29 February, target year leap: 29 February", Rule{Basis: BasisBirth, Years: 32}, Facts{DOB: d(1996, 2, 29)}, time.Time{}, false, d(2028, 2, 29), true},
		{"DOB + 31, born 28 February", file, Facts{DOB: d(1996, 2, 28)}, time.Time{}, false, d(2027, 2, 28), true},
		{"DOB + 31, born 31 December", file, Facts{DOB: d(1999, 12, 31)}, time.Time{}, false, d(2030, 12, 31), true},
		{"no DOB", file, Facts{}, time.Time{}, false, time.Time{}, false},
		{"from leaving", leaving, Facts{DOB: d(2000, 1, 1), Leaving: d(2016, 7, 22)}, time.Time{}, false, d(2041, 7, 22), true},
		{"from leaving, not known to have left", leaving, Facts{DOB: d(2000, 1, 1)}, time.Time{}, false, time.Time{}, false},
		{"from close", closed, Facts{Closed: d(2019, 11, 5)}, time.Time{}, false, d(2025, 11, 5), true},
		{"from close, a record still open", closed, Facts{}, time.Time{}, false, time.Time{}, false},
		{"with the file", with, Facts{}, d(2030, 1, 2), true, d(2030, 1, 2), true},
		{"with the file, file date unknown", with, Facts{}, time.Time{}, false, time.Time{}, false},
	} {
		got, ok := tc.r.Due(tc.f, tc.fileDue, tc.fileOK)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("%s: %s %v, want %s %v", tc.name, got.Format(time.DateOnly), ok, tc.want.Format(time.DateOnly), tc.ok)
		}
	}
}

func TestAssess(t *testing.T) {
	due := d(2025, 3, 3)
	for _, tc := range []struct {
		name  string
		today time.Time
		ok    bool
		held  bool
		want  Status
	}{
		{"the day before", d(2025, 3, 2), true, false, StatusKept},
		{"on the day", d(2025, 3, 3), true, false, StatusDue},
		{"after", d(2026, 1, 1), true, false, StatusDue},
		{"due but held", d(2026, 1, 1), true, true, StatusHeld},
		{"held before its date", d(2024, 1, 1), true, true, StatusHeldEarly},
		{"date unknown", d(2026, 1, 1), false, false, StatusKept},
		{"date unknown, held", d(2026, 1, 1), false, true, StatusHeldEarly},
	} {
		if got := Assess(due, tc.ok, tc.today, tc.held); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestValidateRule(t *testing.T) {
	for _, tc := range []struct {
		name  string
		r     Rule
		field string
	}{
		{"SEN file from birth", Rule{Kind: KindSENFile, Basis: BasisBirth, Years: 25, Source: "IRMS v5"}, ""},
		{"SEN file from leaving", Rule{Kind: KindSENFile, Basis: BasisLeaving, Years: 25, Source: "Policy"}, ""},
		{"SEN file cannot go with itself", Rule{Kind: KindSENFile, Basis: BasisWithFile, Source: "x"}, "basis"},
		{"concerns from close", Rule{Kind: KindConcerns, Basis: BasisClosed, Years: 6, Source: "Policy"}, ""},
		{"concerns with the file, no years", Rule{Kind: KindConcerns, Basis: BasisWithFile, Source: "Policy"}, ""},
		{"no years", Rule{Kind: KindConcerns, Basis: BasisClosed, Source: "Policy"}, "years"},
		{"too many years", Rule{Kind: KindSENFile, Basis: BasisBirth, Years: 101, Source: "Policy"}, "years"},
		{"no source", Rule{Kind: KindSENFile, Basis: BasisBirth, Years: 31, Source: "  "}, "source"},
		{"audit trail is not the school's to set", Rule{Kind: KindAudit, Basis: BasisWithFile, Source: "x"}, "kind"},
		{"EHC records go with the file", Rule{Kind: KindEHC, Basis: BasisBirth, Years: 31, Source: "x"}, "kind"},
		{"unknown kind", Rule{Kind: "letters", Basis: BasisBirth, Years: 1, Source: "x"}, "kind"},
	} {
		fe := tc.r.Validate()
		if tc.field == "" && len(fe) > 0 || tc.field != "" && fe[tc.field] == "" {
			t.Errorf("%s: %v, want an error on %q", tc.name, fe, tc.field)
		}
	}
}

func TestDescribeAndDefaults(t *testing.T) {
	file, ok := DefaultRule(KindSENFile)
	if !ok || file.Describe() != "Date of birth + 31 years" || file.Source != SourceIRMS {
		t.Errorf("SEN file default: %+v", file)
	}
	if len(Defaults()) != len(Kinds) {
		t.Errorf("%d defaults for %d kinds", len(Defaults()), len(Kinds))
	}
	for _, r := range Defaults() {
		if !Kinds.Has(r.Kind) || r.Source == "" {
			t.Errorf("default %+v", r)
		}
	}
	if got := (Rule{Basis: BasisLeaving, Years: 1}).Describe(); got != "Leaving date + 1 year" {
		t.Errorf("Describe: %q", got)
	}
	if PupilRef(42) != "OS-42" {
		t.Error(PupilRef(42))
	}
}

func TestValidateReason(t *testing.T) {
	if fe := ValidateReason("Insurance claim 2026/114", false); len(fe) > 0 {
		t.Error(fe)
	}
	if fe := ValidateReason(" ", false); fe["reason"] == "" {
		t.Error("blank reason accepted")
	}
	if fe := ValidateReason("", true); fe["reason"] != "Enter why the legal hold is being lifted" {
		t.Error(fe)
	}
}
