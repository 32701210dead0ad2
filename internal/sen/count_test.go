package sen

import "testing"

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n         int
		one, many string
		want      string
	}{
		{0, "day", "days", "0 days"},
		{1, "day", "days", "1 day"},
		{2, "day", "days", "2 days"},
		{-1, "day", "days", "-1 days"},
		{1, "week", "weeks", "1 week"},
		{12, "week", "weeks", "12 weeks"},
		{1, "session", "sessions", "1 session"},
		{1, "pupil", "pupils", "1 pupil"},
		{300, "pupil", "pupils", "300 pupils"},
		{1, "minute", "minutes", "1 minute"},
		{1, "entry fails", "entries fail", "1 entry fails"},
		{2, "entry fails", "entries fail", "2 entries fail"},
	} {
		if got := Count(tc.n, tc.one, tc.many); got != tc.want {
			t.Errorf("Count(%d, %q, %q) = %q, want %q", tc.n, tc.one, tc.many, got, tc.want)
		}
	}
	if Noun(1, "day", "days") != "day" || Noun(2, "day", "days") != "days" || Noun(0, "day", "days") != "days" {
		t.Error("Noun disagrees with Count")
	}
}
