package plans

import (
	"strings"
	"testing"
)

func TestCheckStrategy(t *testing.T) {
	c := Cycle{Strategies: []Strategy{{BankID: 7}}}
	tests := []struct {
		bankID int64
		inBank bool
		text   string
		field  string // "" when accepted
	}{
		{3, true, "", ""},
		{3, false, "", "strategy"},
		{7, true, "", "strategy"},
		{0, false, "Visual timetable", ""},
		{0, false, "", "strategyText"},
		{0, false, strings.Repeat("x", 2001), "strategyText"},
	}
	for _, tc := range tests {
		fe := CheckStrategy(c, tc.bankID, tc.inBank, tc.text)
		if _, ok := fe[tc.field]; (tc.field == "" && fe != nil) || (tc.field != "" && !ok) {
			t.Errorf("CheckStrategy(bank %d, in bank %v, %d chars) = %v, want an error on %q", tc.bankID, tc.inBank, len(tc.text), fe, tc.field)
		}
	}
}

func TestCheckActivate(t *testing.T) {
	if fe := CheckActivate(Cycle{Review: today.AddDate(0, 1, 0)}, today); fe["activate"] == "" {
		t.Errorf("no outcomes: %v", fe)
	}
	if fe := CheckActivate(Cycle{Outcomes: []Outcome{{}}, Review: today.AddDate(0, 0, -1)}, today); !strings.Contains(fe["activate"], "review date has passed") {
		t.Errorf("review passed: %v", fe)
	}
	if fe := CheckActivate(Cycle{Outcomes: []Outcome{{}}, Review: today}, today); fe != nil {
		t.Errorf("ready: %v", fe)
	}
}

func TestAmendment(t *testing.T) {
	am := Amendment{Field: "review_next_steps", Value: "New text", Reason: "Typo"}
	if fe := am.Validate(); fe != nil || am.Label() != "Review: next steps" {
		t.Fatalf("valid amendment: %v, label %q", fe, am.Label())
	}
	if fe := am.CheckChange("New text"); fe["value"] == "" {
		t.Errorf("unchanged text accepted")
	}
	if fe := am.CheckChange("Old text"); fe != nil {
		t.Errorf("changed text: %v", fe)
	}
	bad := Amendment{Field: "version", Value: strings.Repeat("x", 10001)}
	fe := bad.Validate()
	for _, f := range []string{"field", "reason", "value"} {
		if fe[f] == "" {
			t.Errorf("no error on %s: %v", f, fe)
		}
	}
}

func TestPlanStatusOf(t *testing.T) {
	for _, tc := range []struct {
		c    *Cycle
		want string
	}{
		{nil, "No plan"},
		{&Cycle{Status: Reviewed}, "Reviewed, no current plan"},
		{&Cycle{Status: Active}, Active.Label()},
	} {
		if got := PlanStatusOf(tc.c); got != tc.want {
			t.Errorf("PlanStatusOf(%v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}
