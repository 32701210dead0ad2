package plans

import (
	"testing"
	"time"

	"opensend/internal/sen"
)

func TestCarriedBaseline(t *testing.T) {
	meet := time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)
	o := Outcome{Baseline: "1 out of 5"}
	for _, tc := range []struct {
		r    Rating
		ev   string
		want string
	}{
		{PartlyAchieve, " 3 out of 5 ", "At the review on 15 February 2027: Partly achieved. 3 out of 5"},
		{NotAchieved, "", "At the review on 15 February 2027: Not achieved. Baseline before: 1 out of 5"},
		{Achieved, "Every time", "At the review on 15 February 2027: Achieved. Every time"},
	} {
		if got := CarriedBaseline(o, tc.r, tc.ev, meet); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.r, tc.ev, got, tc.want)
		}
	}
}

func TestEditRules(t *testing.T) {
	today := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	start := today.AddDate(0, -2, 0)
	old := Outcome{Text: "a", SuccessCriteria: "b", Baseline: "c", TargetDate: today.AddDate(0, 0, -1)}
	for _, tc := range []struct {
		name   string
		target time.Time
		want   bool // a target date error
	}{
		{"unchanged past target accepted", old.TargetDate, false},
		{"new past target refused", today.AddDate(0, 0, -2), true},
		{"future target accepted", today.AddDate(0, 1, 0), false},
	} {
		o := old
		o.Text, o.TargetDate = "changed", tc.target
		if got := o.ValidateEdit(old, start, today, today)["targetDate"] != ""; got != tc.want {
			t.Errorf("%s: error %v", tc.name, got)
		}
	}
	if !old.Same(old) || old.Same(Outcome{Text: "x"}) {
		t.Error("Same")
	}
	for _, tc := range []struct {
		s    Status
		want bool
	}{{Draft, false}, {Active, true}, {Reviewed, false}} {
		if Amended(tc.s) != tc.want {
			t.Errorf("Amended(%s)", tc.s)
		}
	}
	fe := sen.FieldErrors{}
	InRow(sen.FieldErrors{"what": "Enter what the support is"}, KindSupport, 2, fe)
	if fe["what-2"] != "Support 2: Enter what the support is" {
		t.Errorf("InRow: %v", fe)
	}
	if AmendedField(KindStrategy, ChangeRemoved) != "Strategy removed" {
		t.Error("AmendedField")
	}
}

func TestBankStrategyValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    BankStrategy
		want []string
	}{
		{"complete", BankStrategy{Title: "t", Description: "d", Area: sen.AreaCI, Need: "SLCN"}, nil},
		{"empty", BankStrategy{}, []string{"title", "description", "area"}},
		{"unknown need", BankStrategy{Title: "t", Description: "d", Area: sen.AreaCI, Need: "ZZZ"}, []string{"need"}},
	} {
		fe := tc.b.Validate()
		if len(fe) != len(tc.want) {
			t.Errorf("%s: %v", tc.name, fe)
		}
		for _, f := range tc.want {
			if fe[f] == "" {
				t.Errorf("%s: no error on %s", tc.name, f)
			}
		}
	}
	if BankFilter("NSA") != "" || BankFilter("ASD") != "ASD" {
		t.Error("BankFilter")
	}
	if ValidateTemplateName(" ")["templateName"] == "" || len(ValidateTemplateName("Reading")) != 0 {
		t.Error("template name")
	}
}
