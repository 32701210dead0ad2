package sen

import (
	"testing"
	"time"
)

func TestHolidayValidate(t *testing.T) {
	d := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		h     Holiday
		field string // "" when valid
	}{
		{Holiday{Label: "October half-term", Starts: d(10, 26), Ends: d(10, 30)}, ""},
		{Holiday{Label: "Training day", Starts: d(10, 30), Ends: d(10, 30)}, ""},
		{Holiday{Starts: d(10, 26), Ends: d(10, 30)}, "label"},
		{Holiday{Label: "Half-term", Ends: d(10, 30)}, "starts"},
		{Holiday{Label: "Half-term", Starts: d(10, 30), Ends: d(10, 26)}, "ends"},
		{Holiday{Label: "Too long", Starts: d(7, 1), Ends: d(9, 30)}, "ends"},
	}
	for _, tc := range tests {
		fe := tc.h.Validate()
		if _, ok := fe[tc.field]; (tc.field == "" && fe != nil) || (tc.field != "" && !ok) {
			t.Errorf("%+v: %v, want an error on %q", tc.h, fe, tc.field)
		}
	}
}
