package deadline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
)

// Expected dates in this file were worked out by hand (day counts noted in
// comments) and are not derived from the code under test.

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func p(s string) *Date { v := d(s); return &v }

// ---------------------------------------------------------------- dates

func TestParseDateAndString(t *testing.T) {
	valid := []struct {
		in   string
		want Date
	}{
		{"2026-02-28", Date{2026, time.February, 28}},
		{"2024-02-29", Date{2024, time.February, 29}},
		{"2026-12-31", Date{2026, time.December, 31}},
		{"0001-01-01", Date{1, time.January, 1}},
	}
	for _, tc := range valid {
		got, err := ParseDate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("String() = %q; want %q", got.String(), tc.in)
		}
	}
	for _, in := range []string{"", "2026-02-29", "2026-2-28", "2026-13-01", "2026-04-31", "28/02/2026", "2026-02-28T00:00:00Z", " 2026-02-28"} {
		if got, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v; want error", in, got)
		}
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero Date String() = %q; want empty", s)
	}
}

func TestNewDateValid(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want bool
	}{
		{2026, time.February, 28, true},
		{2026, time.February, 29, false},
		{2024, time.February, 29, true},
		{2100, time.February, 29, false}, // century, not leap
		{2000, time.February, 29, true},  // 400-year leap
		{2026, time.April, 31, false},
		{2026, 13, 1, false},
		{2026, time.January, 0, false},
		{0, time.January, 1, false},
	}
	for _, tc := range tests {
		_, err := NewDate(tc.y, tc.m, tc.d)
		if (err == nil) != tc.want {
			t.Errorf("NewDate(%d,%d,%d) err = %v; want valid=%v", tc.y, tc.m, tc.d, err, tc.want)
		}
		if got := (Date{tc.y, tc.m, tc.d}).Valid(); got != tc.want {
			t.Errorf("Date{%d,%d,%d}.Valid() = %v; want %v", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
	if (Date{}).Valid() || !(Date{}).IsZero() {
		t.Error("zero Date: want invalid and IsZero")
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-31", 1, "2027-01-01"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2026-02-28", 1, "2026-03-01"},
		{"2026-03-01", -1, "2026-02-28"},
		{"2024-03-01", -1, "2024-02-29"},
		{"2026-03-28", 2, "2026-03-30"}, // across the spring clock change
		{"2026-10-24", 2, "2026-10-26"}, // across the autumn clock change
		{"2026-01-01", 365, "2027-01-01"},
		{"2024-01-01", 366, "2025-01-01"},
		{"2026-06-10", -14, "2026-05-27"},
		{"2026-06-10", 0, "2026-06-10"},
	}
	for _, tc := range tests {
		if got := d(tc.from).AddDays(tc.n); got != d(tc.want) {
			t.Errorf("%s.AddDays(%d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestAddWeeks(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-05", 6, "2026-02-16"},  // 26 days to 31 Jan, +16
		{"2026-01-05", 16, "2026-04-27"}, // 112 days
		{"2026-01-05", 20, "2026-05-25"}, // 140 days
		{"2026-12-31", 6, "2027-02-11"},
		{"2024-02-29", 6, "2024-04-11"},
		{"2026-06-10", -2, "2026-05-27"},
	}
	for _, tc := range tests {
		got := d(tc.from).AddWeeks(tc.n)
		if got != d(tc.want) {
			t.Errorf("%s.AddWeeks(%d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
		if got.Weekday() != d(tc.from).Weekday() {
			t.Errorf("%s.AddWeeks(%d) changed weekday", tc.from, tc.n)
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"}, // clamped: 2026 is not a leap year
		{"2024-01-31", 1, "2024-02-29"}, // clamped to leap day
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-01-30", 1, "2026-02-28"},
		{"2026-01-28", 1, "2026-02-28"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-05-31", 1, "2026-06-30"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2026-12-15", 1, "2027-01-15"}, // year boundary forwards
		{"2026-12-31", 2, "2027-02-28"},
		{"2026-01-15", -1, "2025-12-15"}, // year boundary backwards
		{"2026-01-31", -13, "2024-12-31"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2026-08-31", -6, "2026-02-28"},
		{"2026-07-31", -5, "2026-02-28"},
		{"2026-06-10", 0, "2026-06-10"},
		{"2026-06-10", 120, "2036-06-10"},
	}
	for _, tc := range tests {
		if got := d(tc.from).AddMonths(tc.n); got != d(tc.want) {
			t.Errorf("%s.AddMonths(%d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// Clamping is not associative: always add to the anchor.
	if a, b := d("2026-01-31").AddMonths(1).AddMonths(1), d("2026-01-31").AddMonths(2); a == b {
		t.Errorf("expected step-wise %s to differ from direct %s", a, b)
	}
}

func TestEndOfMonthsStartingWith(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2027-01-20", 12, "2028-01-19"},
		{"2024-02-29", 12, "2025-02-28"}, // no 29 February 2025: to the month end
		{"2024-02-29", 48, "2028-02-28"}, // 29 February 2028 exists: the day before it
		{"2024-02-28", 12, "2025-02-27"},
		{"2024-03-01", 12, "2025-02-28"},
		{"2023-03-01", 12, "2024-02-29"},
		{"2026-01-31", 1, "2026-02-28"}, // no 31 February
		{"2024-01-31", 1, "2024-02-29"},
		{"2026-01-30", 1, "2026-02-28"},
		{"2024-01-29", 1, "2024-02-28"}, // 29 February 2024 exists
		{"2026-03-31", 1, "2026-04-30"}, // no 31 April
		{"2026-03-30", 1, "2026-04-29"},
		{"2026-05-31", 1, "2026-06-30"},
		{"2026-08-31", 1, "2026-09-30"},
		{"2026-10-31", 1, "2026-11-30"},
		{"2026-12-31", 1, "2027-01-30"},
		{"2026-12-31", 2, "2027-02-28"},
		{"2026-01-01", 12, "2026-12-31"},
		{"2026-12-31", 12, "2027-12-30"},
	}
	for _, tc := range tests {
		if got := d(tc.from).EndOfMonthsStartingWith(tc.n); got != d(tc.want) {
			t.Errorf("%s.EndOfMonthsStartingWith(%d) = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
	// Every day of the period is inside it and the period is exactly n months
	// long: the day after its end is the first day of the next such period.
	for day := d("2023-01-01"); day.Before(d("2029-01-01")); day = day.AddDays(1) {
		end := day.EndOfMonthsStartingWith(12)
		if end.Before(day) || DaysBetween(day, end) < 364 || DaysBetween(day, end) > 365 {
			t.Fatalf("%s: 12 months end %s (%d days)", day, end, DaysBetween(day, end))
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-01-01", "2026-01-02", -1},
		{"2026-02-01", "2026-01-31", 1},
		{"2025-12-31", "2026-01-01", -1},
		{"2026-05-05", "2026-05-05", 0},
	}
	for _, tc := range tests {
		a, b := d(tc.a), d(tc.b)
		if got := a.Compare(b); got != tc.want {
			t.Errorf("%s.Compare(%s) = %d; want %d", a, b, got, tc.want)
		}
		if a.Before(b) != (tc.want < 0) || a.After(b) != (tc.want > 0) || a.Equal(b) != (tc.want == 0) {
			t.Errorf("Before/After/Equal disagree with Compare for %s, %s", a, b)
		}
	}
}

func TestDaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-01-05", "2026-02-16", 42},
		{"2026-02-16", "2026-01-05", -42},
		{"2026-05-05", "2026-05-05", 0},
		{"2026-12-31", "2027-01-01", 1},
		{"2024-01-01", "2025-01-01", 366},
		{"2026-01-01", "2027-01-01", 365},
		{"2026-03-28", "2026-03-30", 2}, // a 23-hour day in London does not matter
		{"2026-10-24", "2026-10-26", 2}, // nor a 25-hour one
		{"1900-01-01", "2300-01-01", 146097},
	}
	for _, tc := range tests {
		if got := DaysBetween(d(tc.a), d(tc.b)); got != tc.want {
			t.Errorf("DaysBetween(%s, %s) = %d; want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestToday(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"spring change day 00:30 UTC is 00:30 GMT", time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), "2026-03-29"},
		{"eve of spring change 23:30 UTC is 23:30 GMT", time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), "2026-03-28"},
		{"after spring change 01:30 UTC is 02:30 BST", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "2026-03-29"},
		{"first BST night 23:30 UTC is 00:30 BST next day", time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC), "2026-03-30"},
		{"autumn: 23:30 UTC on 24 Oct is 00:30 BST on 25 Oct", time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC), "2026-10-25"},
		{"autumn change day 00:30 UTC is 01:30 BST", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "2026-10-25"},
		{"after autumn change 23:30 UTC is 23:30 GMT", time.Date(2026, 10, 25, 23, 30, 0, 0, time.UTC), "2026-10-25"},
		{"summer midnight minus 1s", time.Date(2026, 6, 30, 22, 59, 59, 0, time.UTC), "2026-06-30"},
		{"summer midnight", time.Date(2026, 6, 30, 23, 0, 0, 0, time.UTC), "2026-07-01"},
		{"winter 23:59 UTC", time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), "2026-12-31"},
		{"new year 00:00 UTC", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "2027-01-01"},
		{"input in another zone", time.Date(2026, 10, 24, 19, 30, 0, 0, ny), "2026-10-25"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Today(tc.now); got != d(tc.want) {
				t.Errorf("Today(%s) = %s; want %s", tc.now.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}

func TestMidnight(t *testing.T) {
	tests := []struct {
		day  string
		want time.Time
	}{
		{"2026-03-29", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},  // GMT at midnight
		{"2026-03-30", time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC)}, // BST
		{"2026-10-25", time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC)},
		{"2026-10-26", time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		got := d(tc.day).Midnight()
		if !got.Equal(tc.want) {
			t.Errorf("%s.Midnight() = %s; want %s", tc.day, got.UTC(), tc.want)
		}
		if Today(got) != d(tc.day) {
			t.Errorf("Today(%s.Midnight()) != %s", tc.day, tc.day)
		}
	}
	if sen.London().String() != "Europe/London" {
		t.Errorf("sen.London() = %s", sen.London())
	}
}

func TestDateOf(t *testing.T) {
	// DateOf keeps the instant's own zone; Today converts to London.
	ny, _ := time.LoadLocation("America/New_York")
	tm := time.Date(2026, 10, 24, 19, 30, 0, 0, ny)
	if got := DateOf(tm); got != d("2026-10-24") {
		t.Errorf("DateOf = %s; want 2026-10-24", got)
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		Due  Date  `json:"due"`
		Done *Date `json:"done"`
		None Date  `json:"none"`
	}
	in := rec{Due: d("2026-02-28"), Done: p("2024-02-29")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"due":"2026-02-28","done":"2024-02-29","none":""}`; string(b) != want {
		t.Errorf("Marshal = %s; want %s", b, want)
	}
	var out rec
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Due != in.Due || *out.Done != *in.Done || !out.None.IsZero() {
		t.Errorf("round trip = %+v; want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &out); err == nil {
		t.Error("Unmarshal of 2026-02-30: want error")
	}
}

// ---------------------------------------------------------------- status

func TestStatus(t *testing.T) {
	due := d("2026-03-01")
	tests := []struct {
		name     string
		m        Milestone
		today    string
		want     Status
		daysLeft int
		open     bool
	}{
		{"well ahead", Milestone{Due: due}, "2026-02-10", StatusUpcoming, 19, true},
		{"15 days left is upcoming", Milestone{Due: due}, "2026-02-14", StatusUpcoming, 15, true},
		{"14 days left is due soon", Milestone{Due: due}, "2026-02-15", StatusDueSoon, 14, true},
		{"due today", Milestone{Due: due}, "2026-03-01", StatusDueSoon, 0, true},
		{"day after", Milestone{Due: due}, "2026-03-02", StatusOverdue, -1, true},
		{"done early", Milestone{Due: due, Done: p("2026-02-01")}, "2026-02-10", StatusDone, 19, false},
		{"done on due date", Milestone{Due: due, Done: p("2026-03-01")}, "2026-04-01", StatusDone, -31, false},
		{"done late", Milestone{Due: due, Done: p("2026-03-02")}, "2026-04-01", StatusDoneLate, -31, false},
		{"excepted, open, past due", Milestone{Due: due, Excepted: true}, "2026-04-01", StatusExcepted, -31, true},
		{"excepted, open, before due", Milestone{Due: due, Excepted: true}, "2026-02-20", StatusExcepted, 9, true},
		{"excepted, done late", Milestone{Due: due, Excepted: true, Done: p("2026-03-20")}, "2026-04-01", StatusExcepted, -31, false},
		{"excepted but done on time", Milestone{Due: due, Excepted: true, Done: p("2026-02-27")}, "2026-04-01", StatusDone, -31, false},
		{"optional, window open", Milestone{Due: due, Optional: true}, "2026-02-25", StatusDueSoon, 4, true},
		{"optional, last day", Milestone{Due: due, Optional: true}, "2026-03-01", StatusDueSoon, 0, true},
		{"optional, window closed", Milestone{Due: due, Optional: true}, "2026-03-02", StatusLapsed, -1, false},
		{"optional, done", Milestone{Due: due, Optional: true, Done: p("2026-02-26")}, "2026-03-02", StatusDone, -1, false},
		{"leap day due, today 28 Feb", Milestone{Due: d("2024-02-29")}, "2024-02-28", StatusDueSoon, 1, true},
		{"across year end", Milestone{Due: d("2027-01-10")}, "2026-12-27", StatusDueSoon, 14, true},
		{"untimed, done after due", Milestone{Due: due, Untimed: true, Done: p("2026-03-20")}, "2026-04-01", StatusDone, -31, false},
		{"untimed, excepted, done after due", Milestone{Due: due, Untimed: true, Excepted: true, Done: p("2026-03-20")}, "2026-04-01", StatusDone, -31, false},
		{"untimed, not done, past due", Milestone{Due: due, Untimed: true}, "2026-03-02", StatusOverdue, -1, true},
		{"warning", Milestone{Due: due, Warning: true, Done: p("2026-02-20")}, "2026-02-21", StatusFlagged, 8, false},
		{"warning without a done date", Milestone{Due: due, Warning: true}, "2026-04-01", StatusFlagged, -31, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			today := d(tc.today)
			if got := tc.m.Status(today); got != tc.want {
				t.Errorf("Status = %s; want %s", got, tc.want)
			}
			if got := tc.m.DaysLeft(today); got != tc.daysLeft {
				t.Errorf("DaysLeft = %d; want %d", got, tc.daysLeft)
			}
			if got := tc.m.Open(today); got != tc.open {
				t.Errorf("Open = %v; want %v", got, tc.open)
			}
		})
	}
}

func TestNextOwner(t *testing.T) {
	ms := []Milestone{
		{Key: "a", Due: d("2026-01-10"), Done: p("2026-01-09"), Owner: OwnerLA},
		{Key: "b", Due: d("2026-01-20"), Optional: true, Owner: OwnerParent},
		{Key: "c", Due: d("2026-02-01"), Owner: OwnerSchool},
	}
	tests := []struct {
		today   string
		owner   string
		firstOK bool
		first   string
	}{
		{"2026-01-15", OwnerParent, true, "b"},
		{"2026-01-20", OwnerParent, true, "b"},
		{"2026-01-21", OwnerSchool, true, "c"}, // parent's window lapsed
	}
	for _, tc := range tests {
		if got := NextOwner(ms, d(tc.today)); got != tc.owner {
			t.Errorf("NextOwner(%s) = %q; want %q", tc.today, got, tc.owner)
		}
		m, ok := FirstOpen(ms, d(tc.today))
		if ok != tc.firstOK || m.Key != tc.first {
			t.Errorf("FirstOpen(%s) = %q, %v; want %q", tc.today, m.Key, ok, tc.first)
		}
	}
	done := []Milestone{{Due: d("2026-01-10"), Done: p("2026-01-01"), Owner: OwnerLA}}
	if got := NextOwner(done, d("2026-01-15")); got != "" {
		t.Errorf("NextOwner(all done) = %q; want empty", got)
	}
	if got := NextOwner(nil, d("2026-01-15")); got != "" {
		t.Errorf("NextOwner(nil) = %q; want empty", got)
	}
	// An excepted, undone milestone is still someone's move.
	exc := []Milestone{{Due: d("2026-01-10"), Excepted: true, Owner: OwnerLA}}
	if got := NextOwner(exc, d("2026-03-01")); got != OwnerLA {
		t.Errorf("NextOwner(excepted open) = %q; want LA", got)
	}
}

// ---------------------------------------------------------------- requests

func TestRequestDeadlinesFrom(t *testing.T) {
	tests := []struct {
		name                  string
		received              string
		assess, issue, final_ string
	}{
		// 6w = 42 days, 16w = 112 days, 20w = 140 days.
		{"brief example", "2026-01-05", "2026-02-16", "2026-04-27", "2026-05-25"},
		{"leap day 2024", "2024-02-29", "2024-04-11", "2024-06-20", "2024-07-18"},
		{"leap day 2028", "2028-02-29", "2028-04-11", "2028-06-20", "2028-07-18"},
		{"31 January, common year", "2026-01-31", "2026-03-14", "2026-05-23", "2026-06-20"},
		{"31 January, leap year", "2024-01-31", "2024-03-13", "2024-05-22", "2024-06-19"},
		{"31 December across year end", "2026-12-31", "2027-02-11", "2027-04-22", "2027-05-20"},
		{"late November into January", "2026-11-20", "2027-01-01", "2027-03-12", "2027-04-09"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RequestDeadlinesFrom(d(tc.received))
			want := RequestDeadlines{d(tc.assess), d(tc.issue), d(tc.final_)}
			if got != want {
				t.Errorf("RequestDeadlinesFrom(%s) = %+v; want %+v", tc.received, got, want)
			}
			if DaysBetween(d(tc.received), got.FinalPlan) != 140 {
				t.Errorf("final plan is not 140 days after receipt")
			}
		})
	}
}

func TestDraftCommentsEnd(t *testing.T) {
	tests := []struct{ served, want string }{
		{"2026-03-02", "2026-03-16"},
		{"2026-02-20", "2026-03-06"}, // 8 days to 28 Feb, +6
		{"2024-02-20", "2024-03-05"}, // 9 days to 29 Feb, +5
		{"2026-12-25", "2027-01-08"},
	}
	for _, tc := range tests {
		got := DraftCommentsEnd(d(tc.served))
		if got != d(tc.want) {
			t.Errorf("DraftCommentsEnd(%s) = %s; want %s", tc.served, got, tc.want)
		}
		// "at least 15 days beginning with the day it is served": inclusive count.
		if n := DaysBetween(d(tc.served), got) + 1; n != 15 {
			t.Errorf("comment period for %s is %d days inclusive; want 15", tc.served, n)
		}
	}
}

func TestAppealDeadline(t *testing.T) {
	tests := []struct {
		name     string
		decision string
		cert     *Date
		want     string
	}{
		{"2 months", "2026-02-16", nil, "2026-04-16"},
		{"certificate later wins", "2026-02-16", p("2026-04-01"), "2026-05-01"},
		{"certificate earlier loses", "2026-02-16", p("2026-03-01"), "2026-04-16"},
		{"31 Dec + 2 months clamps to 28 Feb", "2025-12-31", nil, "2026-02-28"},
		{"31 Dec + 2 months clamps to leap day", "2027-12-31", nil, "2028-02-29"},
		{"31 Jan decision, 31 Mar certificate", "2026-01-31", p("2026-03-31"), "2026-04-30"},
		{"both give the same day", "2026-07-31", p("2026-08-31"), "2026-09-30"},
		{"certificate on leap day", "2024-01-10", p("2024-02-29"), "2024-03-29"},
	}
	for _, tc := range tests {
		if got := AppealDeadline(d(tc.decision), tc.cert); got != d(tc.want) {
			t.Errorf("%s: AppealDeadline = %s; want %s", tc.name, got, tc.want)
		}
	}
}

func TestExceptionRules(t *testing.T) {
	tests := []struct {
		key    string
		reason ExceptionReason
		want   bool
	}{
		{KeyAssessDecision, ExceptionSchoolClosure, true},
		{KeyAssessDecision, ExceptionEarlyYearsClosure, false}, // not in reg 5(4)
		{KeyAssessDecision, ExceptionPersonalCircumstances, true},
		{KeyAssessDecision, ExceptionAbsence, true},
		{KeyIssueDecision, ExceptionEarlyYearsClosure, true},
		{KeyIssueDecision, ExceptionAbsence, true},
		{KeyFinalPlan, ExceptionSchoolClosure, true},
		{KeyFinalPlan, ExceptionEarlyYearsClosure, true},
		{KeyFinalPlan, "covid", false},
		{KeyDraftComments, ExceptionAbsence, false},
		{KeyAppeal, ExceptionAbsence, false},
	}
	for _, tc := range tests {
		if got := exceptionAllowed(tc.key, tc.reason); got != tc.want {
			t.Errorf("exceptionAllowed(%s, %s) = %v; want %v", tc.key, tc.reason, got, tc.want)
		}
	}
	for _, r := range []ExceptionReason{ExceptionSchoolClosure, ExceptionEarlyYearsClosure, ExceptionPersonalCircumstances, ExceptionAbsence} {
		if r.Description() == "" {
			t.Errorf("%s has no description", r)
		}
	}
	if ExceptionReason("x").Description() != "" {
		t.Error("unknown reason should have no description")
	}
}

// row is the expected shape of one milestone.
type row struct {
	key    string
	due    string
	status Status
}

func checkMilestones(t *testing.T, ms []Milestone, today Date, want []row) {
	t.Helper()
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s %s %s", m.Key, m.Due, m.Status(today)))
	}
	var exp []string
	for _, r := range want {
		exp = append(exp, fmt.Sprintf("%s %s %s", r.key, r.due, r.status))
	}
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("milestones on %s:\n got:\n  %s\n want:\n  %s", today, strings.Join(got, "\n  "), strings.Join(exp, "\n  "))
	}
	for _, m := range ms {
		if m.Label == "" || m.Source == "" || m.Owner == "" {
			t.Errorf("milestone %s lacks label, source or owner: %+v", m.Key, m)
		}
	}
}

func TestRequestMilestones(t *testing.T) {
	const recv = "2026-01-05" // 6w 2026-02-16, 16w 2026-04-27, 20w 2026-05-25
	tests := []struct {
		name  string
		f     RequestFacts
		today string
		want  []row
		owner string
	}{
		{
			name:  "new request, nothing decided",
			f:     RequestFacts{Received: d(recv)},
			today: "2026-01-20",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusUpcoming},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name:  "decision due soon",
			f:     RequestFacts{Received: d(recv)},
			today: "2026-02-05",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDueSoon},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name:  "decision overdue",
			f:     RequestFacts{Received: d(recv)},
			today: "2026-02-17",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusOverdue},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name:  "refused to assess: 16/20 weeks not applicable, appeal appears",
			f:     RequestFacts{Received: d(recv), AssessDecision: p("2026-02-10"), AssessOutcome: OutcomeRefuse},
			today: "2026-03-01",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyAppeal, "2026-04-10", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name:  "refused late; appeal window lapsed",
			f:     RequestFacts{Received: d(recv), AssessDecision: p("2026-02-20"), AssessOutcome: OutcomeRefuse},
			today: "2026-06-30",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDoneLate},
				{KeyAppeal, "2026-04-20", StatusLapsed},
			},
			owner: "",
		},
		{
			name: "refused; mediation certificate extends appeal; appeal lodged",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-10"), AssessOutcome: OutcomeRefuse,
				MediationCertificate: p("2026-04-01"), TribunalLodged: p("2026-04-20")},
			today: "2026-04-21",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyAppeal, "2026-05-01", StatusDone},
			},
			owner: "",
		},
		{
			name:  "agreed to assess; draft served: parent's move",
			f:     RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess, DraftServed: p("2026-04-06")},
			today: "2026-04-10",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusDueSoon},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name:  "comment window closed unused: LA's move",
			f:     RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess, DraftServed: p("2026-04-06")},
			today: "2026-04-21",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusLapsed},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name: "final plan issued on time; appeal window open",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-06"), CommentsSent: p("2026-04-15"), FinalIssued: p("2026-05-20")},
			today: "2026-05-21",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusDone},
				{KeyFinalPlan, "2026-05-25", StatusDone},
				{KeyAppeal, "2026-07-20", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "draft after week 16 and final late",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-05-11"), FinalIssued: p("2026-06-01")},
			today: "2026-06-02",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				// Issue 11: reg 10(1)'s 16 weeks bind only a decision not to
				// issue, so a draft after week 16 is not late at this step.
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-05-25", StatusLapsed},
				{KeyFinalPlan, "2026-05-25", StatusDoneLate},
				{KeyAppeal, "2026-08-01", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "20-week exception (school closure): excepted but still the LA's move",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-06"), Exceptions: map[string]ExceptionReason{KeyFinalPlan: ExceptionSchoolClosure}},
			today: "2026-06-10",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusLapsed},
				{KeyFinalPlan, "2026-05-25", StatusExcepted},
			},
			owner: OwnerLA,
		},
		{
			name: "excepted final plan issued late stays excepted",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-06-22"), FinalIssued: p("2026-07-15"),
				Exceptions: map[string]ExceptionReason{KeyFinalPlan: ExceptionAbsence, KeyIssueDecision: ExceptionAbsence}},
			today: "2026-07-16",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				// Issue 11: issuing is never late at the 16-week step, so the
				// exception has nothing to excuse there (was Excepted).
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-07-06", StatusLapsed},
				{KeyFinalPlan, "2026-05-25", StatusExcepted},
				{KeyAppeal, "2026-09-15", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "decision not to issue: no draft or final, appeal appears",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DecisionNotToIssue: p("2026-04-20")},
			today: "2026-04-21",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyAppeal, "2026-06-20", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "decision not to issue made late",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DecisionNotToIssue: p("2026-05-01")},
			today: "2026-05-02",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDoneLate},
				{KeyAppeal, "2026-07-01", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "early-years exception cannot excuse the 6-week decision",
			f: RequestFacts{Received: d(recv),
				Exceptions: map[string]ExceptionReason{KeyAssessDecision: ExceptionEarlyYearsClosure}},
			today: "2026-02-20",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusOverdue},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name: "personal-circumstances exception on the 6-week decision",
			f: RequestFacts{Received: d(recv),
				Exceptions: map[string]ExceptionReason{KeyAssessDecision: ExceptionPersonalCircumstances}},
			today: "2026-02-20",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusExcepted},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name:  "leap day request refused on the last day",
			f:     RequestFacts{Received: d("2024-02-29"), AssessDecision: p("2024-04-11"), AssessOutcome: OutcomeRefuse},
			today: "2024-04-12",
			want: []row{
				{KeyAssessDecision, "2024-04-11", StatusDone},
				{KeyAppeal, "2024-06-11", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "2028 leap day request, full timeline",
			f: RequestFacts{Received: d("2028-02-29"), AssessDecision: p("2028-04-11"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2028-06-01"), FinalIssued: p("2028-07-18")},
			today: "2028-07-18",
			want: []row{
				{KeyAssessDecision, "2028-04-11", StatusDone},
				{KeyIssueDecision, "2028-06-20", StatusDone},
				{KeyDraftComments, "2028-06-15", StatusLapsed},
				{KeyFinalPlan, "2028-07-18", StatusDone},
				{KeyAppeal, "2028-09-18", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name:  "31 January request",
			f:     RequestFacts{Received: d("2026-01-31"), AssessDecision: p("2026-03-14"), AssessOutcome: OutcomeRefuse},
			today: "2026-03-15",
			want: []row{
				{KeyAssessDecision, "2026-03-14", StatusDone},
				{KeyAppeal, "2026-05-14", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "31 December request across the year boundary",
			f: RequestFacts{Received: d("2026-12-31"), AssessDecision: p("2027-02-11"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2027-04-01"), CommentsSent: p("2027-04-14"), FinalIssued: p("2027-05-20")},
			today: "2027-05-21",
			want: []row{
				{KeyAssessDecision, "2027-02-11", StatusDone},
				{KeyIssueDecision, "2027-04-22", StatusDone},
				{KeyDraftComments, "2027-04-15", StatusDone},
				{KeyFinalPlan, "2027-05-20", StatusDone},
				{KeyAppeal, "2027-07-20", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "draft served in week 17 is not late at the 16-week step; final still on time",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-28")},
			today: "2026-04-29",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-05-12", StatusDueSoon},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "final plan issued in week 19 with no draft recorded: issue step done",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				FinalIssued: p("2026-05-18")},
			today: "2026-05-19",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyFinalPlan, "2026-05-25", StatusDone},
				{KeyAppeal, "2026-07-18", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name:  "no decision by week 17: still overdue (a decision not to issue is now late)",
			f:     RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess},
			today: "2026-04-28",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusOverdue},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name: "final plan issued inside the comment period is flagged",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-06"), FinalIssued: p("2026-04-13")},
			today: "2026-04-14",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusDueSoon},
				{KeyFinalPlan, "2026-05-25", StatusDone},
				{KeyFinalBeforeComments, "2026-04-20", StatusFlagged},
				{KeyAppeal, "2026-06-13", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "final plan on the 15th day of the comment period is flagged",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-06"), CommentsSent: p("2026-04-10"), FinalIssued: p("2026-04-20")},
			today: "2026-04-21",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusDone},
				{KeyFinalPlan, "2026-05-25", StatusDone},
				{KeyFinalBeforeComments, "2026-04-20", StatusFlagged},
				{KeyAppeal, "2026-06-20", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "final plan the day after the comment period closed is not flagged",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				DraftServed: p("2026-04-06"), FinalIssued: p("2026-04-21")},
			today: "2026-04-22",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyIssueDecision, "2026-04-27", StatusDone},
				{KeyDraftComments, "2026-04-20", StatusLapsed},
				{KeyFinalPlan, "2026-05-25", StatusDone},
				{KeyAppeal, "2026-06-21", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "advice from the school and health: 6 weeks from each request (reg 8)",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				Advice: []AdviceRequest{
					{Body: "school", From: "the school", Owner: OwnerSchool, Requested: d("2026-02-16"), Provided: p("2026-03-27")},
					{Body: "health", From: "health", Owner: OwnerBody, Requested: d("2026-02-18")},
				}},
			today: "2026-03-25",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyAdvicePrefix + "school", "2026-03-30", StatusDone},
				{KeyAdvicePrefix + "health", "2026-04-01", StatusDueSoon},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerBody,
		},
		{
			name: "advice late and advice overdue",
			f: RequestFacts{Received: d(recv), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
				Advice: []AdviceRequest{
					{Body: "school", From: "the school", Owner: OwnerSchool, Requested: d("2026-02-16"), Provided: p("2026-03-31")},
					{Body: "social-care", From: "social care", Owner: OwnerBody, Requested: d("2026-02-16")},
				}},
			today: "2026-03-31",
			want: []row{
				{KeyAssessDecision, "2026-02-16", StatusDone},
				{KeyAdvicePrefix + "school", "2026-03-30", StatusDoneLate},
				{KeyAdvicePrefix + "social-care", "2026-03-30", StatusOverdue},
				{KeyIssueDecision, "2026-04-27", StatusUpcoming},
				{KeyFinalPlan, "2026-05-25", StatusUpcoming},
			},
			owner: OwnerBody,
		},
		{
			name: "advice requested across a leap day",
			f: RequestFacts{Received: d("2028-02-01"), AssessDecision: p("2028-02-10"), AssessOutcome: OutcomeAssess,
				Advice: []AdviceRequest{{Body: "school", From: "the school", Owner: OwnerSchool, Requested: d("2028-02-15")}}},
			today: "2028-02-20",
			want: []row{
				{KeyAssessDecision, "2028-03-14", StatusDone},
				{KeyAdvicePrefix + "school", "2028-03-28", StatusUpcoming},
				{KeyIssueDecision, "2028-05-23", StatusUpcoming},
				{KeyFinalPlan, "2028-06-20", StatusUpcoming},
			},
			owner: OwnerSchool,
		},
		{
			name:  "refusal on 31 December: appeal clamps to 28 February",
			f:     RequestFacts{Received: d("2026-11-20"), AssessDecision: p("2026-12-31"), AssessOutcome: OutcomeRefuse},
			today: "2027-02-20",
			want: []row{
				{KeyAssessDecision, "2027-01-01", StatusDone},
				{KeyAppeal, "2027-02-28", StatusDueSoon},
			},
			owner: OwnerParent,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := RequestMilestones(tc.f)
			today := d(tc.today)
			checkMilestones(t, ms, today, tc.want)
			if got := NextOwner(ms, today); got != tc.owner {
				t.Errorf("NextOwner = %q; want %q", got, tc.owner)
			}
		})
	}
}

func TestRequestMilestonesDetails(t *testing.T) {
	f := RequestFacts{Received: d("2026-01-05"),
		Exceptions: map[string]ExceptionReason{KeyFinalPlan: ExceptionAbsence}}
	ms := RequestMilestones(f)
	m, ok := Find(ms, KeyFinalPlan)
	if !ok || !m.Excepted || m.ExceptionReason != string(ExceptionAbsence) {
		t.Errorf("final plan = %+v; want excepted with reason %s", m, ExceptionAbsence)
	}
	if !strings.Contains(m.Source, "reg 13(2)") {
		t.Errorf("final plan source = %q", m.Source)
	}
	if _, ok := Find(ms, "nope"); ok {
		t.Error("Find(nope) found something")
	}
	// Milestones must not alias the caller's facts.
	done := d("2026-02-01")
	f2 := RequestFacts{Received: d("2026-01-05"), AssessDecision: &done, AssessOutcome: OutcomeAssess}
	ms2 := RequestMilestones(f2)
	done = d("2030-01-01")
	if *ms2[0].Done != d("2026-02-01") {
		t.Errorf("milestone Done aliases the facts: %s", ms2[0].Done)
	}
}

func TestRequestValidate(t *testing.T) {
	base := func() RequestFacts {
		return RequestFacts{Received: d("2026-01-05"), AssessDecision: p("2026-02-10"), AssessOutcome: OutcomeAssess}
	}
	tests := []struct {
		name    string
		mod     func(*RequestFacts)
		wantErr string // substring; "" means valid
	}{
		{"valid", func(*RequestFacts) {}, ""},
		{"valid with allowed exceptions", func(f *RequestFacts) {
			f.Exceptions = map[string]ExceptionReason{KeyAssessDecision: ExceptionAbsence, KeyFinalPlan: ExceptionEarlyYearsClosure}
		}, ""},
		{"missing received", func(f *RequestFacts) { f.Received = Date{} }, "received date"},
		{"invalid received", func(f *RequestFacts) { f.Received = Date{2026, 2, 30} }, "received date"},
		{"decision before received", func(f *RequestFacts) { f.AssessDecision = p("2026-01-01") }, "before the request was received"},
		{"outcome without date", func(f *RequestFacts) { f.AssessDecision = nil }, "without a decision date"},
		{"date without outcome", func(f *RequestFacts) { f.AssessOutcome = "" }, "with outcome"},
		{"refused but final issued", func(f *RequestFacts) {
			f.AssessOutcome = OutcomeRefuse
			f.FinalIssued = p("2026-05-01")
		}, "refused to assess"},
		{"not-to-issue and draft", func(f *RequestFacts) {
			f.DecisionNotToIssue = p("2026-04-01")
			f.DraftServed = p("2026-04-02")
		}, "both recorded"},
		{"comments without draft", func(f *RequestFacts) { f.CommentsSent = p("2026-04-01") }, "without a draft"},
		{"valid advice", func(f *RequestFacts) {
			f.Advice = []AdviceRequest{{Body: "school", Requested: d("2026-02-16"), Provided: p("2026-03-01")}, {Body: "health", Requested: d("2026-02-16")}}
		}, ""},
		{"advice without a body", func(f *RequestFacts) { f.Advice = []AdviceRequest{{Requested: d("2026-02-16")}} }, "without a body"},
		{"advice from one body twice", func(f *RequestFacts) {
			f.Advice = []AdviceRequest{{Body: "school", Requested: d("2026-02-16")}, {Body: "school", Requested: d("2026-02-17")}}
		}, "twice"},
		{"advice requested before received", func(f *RequestFacts) { f.Advice = []AdviceRequest{{Body: "school", Requested: d("2026-01-01")}} }, "before the request was received"},
		{"advice provided before requested", func(f *RequestFacts) {
			f.Advice = []AdviceRequest{{Body: "school", Requested: d("2026-02-16"), Provided: p("2026-02-10")}}
		}, "provided before"},
		{"final inside the comment period is valid (flagged, not refused)", func(f *RequestFacts) {
			f.DraftServed = p("2026-04-06")
			f.FinalIssued = p("2026-04-08")
		}, ""},
		{"final before draft", func(f *RequestFacts) {
			f.DraftServed = p("2026-04-10")
			f.FinalIssued = p("2026-04-01")
		}, "before the draft"},
		{"early-years exception on 6-week decision", func(f *RequestFacts) {
			f.Exceptions = map[string]ExceptionReason{KeyAssessDecision: ExceptionEarlyYearsClosure}
		}, "cannot excuse"},
		{"exception on a parent's milestone", func(f *RequestFacts) {
			f.Exceptions = map[string]ExceptionReason{KeyDraftComments: ExceptionAbsence}
		}, "cannot excuse"},
		{"unknown reason", func(f *RequestFacts) {
			f.Exceptions = map[string]ExceptionReason{KeyFinalPlan: "holiday"}
		}, "cannot excuse"},
		{"invalid event date", func(f *RequestFacts) { f.TribunalLodged = &Date{2026, 4, 31} }, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := base()
			tc.mod(&f)
			err := f.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Validate() = %v; want error containing %q", err, tc.wantErr)
			}
		})
	}
}

// ---------------------------------------------------------------- unopposed appeals

func TestUnopposedDeadlinesFrom(t *testing.T) {
	tests := []struct {
		notified                       string
		assess, issue, final_, amended string
	}{
		// +14, +70, +98, +35 days
		{"2026-03-02", "2026-03-16", "2026-05-11", "2026-06-08", "2026-04-06"},
		{"2027-12-20", "2028-01-03", "2028-02-28", "2028-03-27", "2028-01-24"},
	}
	for _, tc := range tests {
		got := UnopposedDeadlinesFrom(d(tc.notified))
		want := UnopposedDeadlines{d(tc.assess), d(tc.issue), d(tc.final_), d(tc.amended)}
		if got != want {
			t.Errorf("UnopposedDeadlinesFrom(%s) = %+v; want %+v", tc.notified, got, want)
		}
	}
}

func TestUnopposedMilestones(t *testing.T) {
	n := "2026-03-02"
	tests := []struct {
		name  string
		u     UnopposedFacts
		today string
		want  []row
		owner string
	}{
		{
			name:  "assessment appeal conceded",
			u:     UnopposedFacts{Kind: UnopposedAssessment, Notified: d(n)},
			today: "2026-03-10",
			want: []row{
				{KeyUnopposedAssessNotice, "2026-03-16", StatusDueSoon},
				{KeyUnopposedIssueDecision, "2026-05-11", StatusUpcoming},
				{KeyUnopposedFinalPlan, "2026-06-08", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name:  "assessed, then decided not to issue",
			u:     UnopposedFacts{Kind: UnopposedAssessment, Notified: d(n), AssessNotice: p("2026-03-17"), DecisionNotToIssue: p("2026-05-01")},
			today: "2026-05-02",
			want: []row{
				{KeyUnopposedAssessNotice, "2026-03-16", StatusDoneLate},
				{KeyUnopposedIssueDecision, "2026-05-11", StatusDone},
			},
			owner: "",
		},
		{
			name:  "assessed, draft served, final pending",
			u:     UnopposedFacts{Kind: UnopposedAssessment, Notified: d(n), AssessNotice: p("2026-03-10"), DraftServed: p("2026-05-04")},
			today: "2026-06-09",
			want: []row{
				{KeyUnopposedAssessNotice, "2026-03-16", StatusDone},
				{KeyUnopposedIssueDecision, "2026-05-11", StatusDone},
				{KeyUnopposedFinalPlan, "2026-06-08", StatusOverdue},
			},
			owner: OwnerLA,
		},
		{
			name:  "contents appeal conceded",
			u:     UnopposedFacts{Kind: UnopposedContents, Notified: d(n)},
			today: "2026-03-25",
			want:  []row{{KeyUnopposedAmendedPlan, "2026-04-06", StatusDueSoon}},
			owner: OwnerLA,
		},
		{
			name:  "contents appeal, amended plan issued",
			u:     UnopposedFacts{Kind: UnopposedContents, Notified: d(n), AmendedIssued: p("2026-04-06")},
			today: "2026-04-07",
			want:  []row{{KeyUnopposedAmendedPlan, "2026-04-06", StatusDone}},
			owner: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.u.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			ms := UnopposedMilestones(tc.u)
			checkMilestones(t, ms, d(tc.today), tc.want)
			if got := NextOwner(ms, d(tc.today)); got != tc.owner {
				t.Errorf("NextOwner = %q; want %q", got, tc.owner)
			}
		})
	}
	bad := []UnopposedFacts{
		{Kind: UnopposedAssessment},
		{Kind: "other", Notified: d(n)},
		{Kind: UnopposedAssessment, Notified: d(n), DecisionNotToIssue: p("2026-04-01"), FinalIssued: p("2026-05-01")},
	}
	for i, u := range bad {
		if u.Validate() == nil {
			t.Errorf("bad[%d].Validate() = nil; want error", i)
		}
	}
}

// ---------------------------------------------------------------- annual reviews

func TestReviewDue(t *testing.T) {
	tests := []struct {
		name   string
		issued string
		last   *Date
		want   string
	}{
		{"first review", "2027-01-20", nil, "2028-01-19"},
		{"last review is later anchor", "2025-01-10", p("2025-11-20"), "2026-11-19"},
		{"re-made plan after the last review", "2025-06-01", p("2025-03-01"), "2026-05-31"},
		{"same day", "2025-06-01", p("2025-06-01"), "2026-05-31"},
		// Issue 11: the 12 months starting with 29 February include all of
		// February next year, so the window ends on 28 February (was 27).
		{"leap-day anchor into common year", "2024-02-29", nil, "2025-02-28"},
		{"leap-day last review", "2027-05-01", p("2028-02-29"), "2029-02-28"},
		{"last review on 28 February before a leap year", "2024-02-29", p("2027-02-28"), "2028-02-27"},
		{"28 February in a leap year", "2024-02-28", nil, "2025-02-27"},
		{"28 February into a leap year", "2027-02-28", nil, "2028-02-27"},
		{"29 January into a leap year", "2027-01-29", nil, "2028-01-28"},
		{"1 March in a leap year", "2024-03-01", nil, "2025-02-28"},
		{"last review on 1 March after a leap day", "2023-06-01", p("2024-03-01"), "2025-02-28"},
		{"31 March", "2026-03-31", nil, "2027-03-30"},
		{"31 May", "2026-05-31", nil, "2027-05-30"},
		{"31 August", "2026-08-31", nil, "2027-08-30"},
		{"30 April", "2026-04-30", nil, "2027-04-29"},
		{"1 March before a leap year ends on leap day", "2023-03-01", nil, "2024-02-29"},
		{"1 March into a common year", "2026-03-01", nil, "2027-02-28"},
		{"31 December", "2026-12-31", nil, "2027-12-30"},
		{"1 January", "2026-01-01", nil, "2026-12-31"},
		{"31 January", "2026-01-31", nil, "2027-01-30"},
		{"29 February into a leap year 4 years on", "2024-02-29", p("2027-02-28"), "2028-02-27"},
		{"last review on 29 February 2028", "2024-02-29", p("2028-02-29"), "2029-02-28"},
		{"30 January", "2027-01-30", nil, "2028-01-29"},
		{"31 October", "2026-10-31", nil, "2027-10-30"},
		{"28 February in a common year into a common year", "2026-02-28", nil, "2027-02-27"},
		{"1 March into a leap year's February", "2027-03-01", nil, "2028-02-29"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReviewDue(d(tc.issued), tc.last); got != d(tc.want) {
				t.Errorf("ReviewDue(%s, %v) = %s; want %s", tc.issued, tc.last, got, tc.want)
			}
			rv := ReviewFacts{PlanIssued: d(tc.issued), LastReview: tc.last}
			if rv.Due() != d(tc.want) {
				t.Errorf("ReviewFacts.Due() = %s; want %s", rv.Due(), tc.want)
			}
		})
	}
}

func TestMeetingDeadlinesFrom(t *testing.T) {
	tests := []struct {
		name                                       string
		meeting                                    string
		invites, advice, report, decision, amended string
	}{
		// -14, -14, +14, +28, +84 days
		{"June meeting", "2026-06-10", "2026-05-27", "2026-05-27", "2026-06-24", "2026-07-08", "2026-09-02"},
		{"same meeting moved 2 weeks later", "2026-06-24", "2026-06-10", "2026-06-10", "2026-07-08", "2026-07-22", "2026-09-16"},
		{"January meeting: notice crosses year end", "2026-01-08", "2025-12-25", "2025-12-25", "2026-01-22", "2026-02-05", "2026-04-02"},
		{"leap February", "2024-02-15", "2024-02-01", "2024-02-01", "2024-02-29", "2024-03-14", "2024-05-09"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := MeetingDeadlinesFrom(d(tc.meeting))
			want := MeetingDeadlines{d(tc.invites), d(tc.advice), d(tc.report), d(tc.decision), d(tc.amended)}
			if got != want {
				t.Errorf("MeetingDeadlinesFrom(%s) = %+v; want %+v", tc.meeting, got, want)
			}
		})
	}
}

func TestValidateMeetingDate(t *testing.T) {
	tests := []struct {
		name    string
		meeting string
		anchor  string
		today   string
		want    []error
	}{
		{"2 weeks ahead", "2026-06-03", "2025-07-02", "2026-05-20", nil},
		{"next week: short notice is a warning, not an error", "2026-05-27", "2025-07-02", "2026-05-20", nil},
		{"today", "2026-05-20", "2025-07-02", "2026-05-20", nil},
		{"already held last month", "2026-04-20", "2025-07-02", "2026-05-20", nil},
		{"after the 12 months", "2026-07-20", "2025-07-02", "2026-05-20", nil},
		{"the day after the anchor", "2025-07-03", "2025-07-02", "2026-05-20", nil},
		{"on the anchor", "2025-07-02", "2025-07-02", "2026-05-20", []error{ErrMeetingNotAfterAnchor}},
		{"before the anchor", "2025-06-30", "2025-07-02", "2026-05-20", []error{ErrMeetingNotAfterAnchor}},
		{"12 months from today", "2027-05-20", "2025-07-02", "2026-05-20", nil},
		{"a day more than 12 months from today", "2027-05-21", "2025-07-02", "2026-05-20", []error{ErrMeetingTooFar}},
		{"mistyped year before the anchor", "2016-06-03", "2025-07-02", "2026-05-20", []error{ErrMeetingNotAfterAnchor}},
	}
	all := []error{ErrMeetingNotAfterAnchor, ErrMeetingTooFar}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateMeetingDate(d(tc.meeting), d(tc.anchor), d(tc.today))
			if (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("ValidateMeetingDate = %v; want %v", err, tc.want)
			}
			for _, sentinel := range all {
				wanted := false
				for _, w := range tc.want {
					wanted = wanted || w == sentinel
				}
				if errors.Is(err, sentinel) != wanted {
					t.Errorf("errors.Is(%v, %v) = %v; want %v", err, sentinel, !wanted, wanted)
				}
			}
		})
	}
}

func TestMeetingWarnings(t *testing.T) {
	// Plan issued 2025-07-01: the 12 months end on 2026-06-30.
	issued := d("2025-07-01")
	tr := &Transfer{Deadline: d("2026-02-15"), LastDay: d("2026-02-14")}
	tests := []struct {
		name  string
		rv    ReviewFacts
		today string
		want  []MeetingWarning
	}{
		{"no meeting", ReviewFacts{PlanIssued: issued}, "2026-05-01", nil},
		{"4 weeks and a day before the end", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-01")}, "2026-05-01", nil},
		{"exactly 4 weeks before the end", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-02")}, "2026-05-01", nil},
		// 3 June + 28 days = 1 July, a day after the 12 months: 27 days left.
		{"27 days before the end", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-03")}, "2026-05-01", []MeetingWarning{{WarnDecisionSqueezed, 27}}},
		{"on the last day", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-30")}, "2026-05-01", []MeetingWarning{{WarnDecisionSqueezed, 0}}},
		{"squeeze no longer matters once the LA has decided", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-30"), MeetingHeld: true, Decision: p("2026-07-01"), Outcome: ReviewMaintain}, "2026-07-02", nil},
		{"1 day late", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-01")}, "2026-05-01", []MeetingWarning{{WarnLate, 1}}},
		{"2 days late", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-02")}, "2026-05-01", []MeetingWarning{{WarnLate, 2}}},
		{"late and next week", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-08")}, "2026-07-01", []MeetingWarning{{WarnLate, 8}, {WarnShortNotice, 7}}},
		{"next week but invitations already sent", ReviewFacts{PlanIssued: issued, Meeting: p("2026-05-08"), InvitesSent: p("2026-04-20")}, "2026-05-01", nil},
		{"13 days away", ReviewFacts{PlanIssued: issued, Meeting: p("2026-05-14")}, "2026-05-01", []MeetingWarning{{WarnShortNotice, 13}}},
		{"14 days away", ReviewFacts{PlanIssued: issued, Meeting: p("2026-05-15")}, "2026-05-01", nil},
		{"today", ReviewFacts{PlanIssued: issued, Meeting: p("2026-05-01")}, "2026-05-01", []MeetingWarning{{WarnShortNotice, 0}}},
		{"passed, not recorded as held", ReviewFacts{PlanIssued: issued, Meeting: p("2026-04-28")}, "2026-05-01", []MeetingWarning{{WarnNotYetHeld, 3}}},
		{"passed and held", ReviewFacts{PlanIssued: issued, Meeting: p("2026-04-28"), MeetingHeld: true}, "2026-05-01", nil},
		{"held late, entered afterwards", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-10"), MeetingHeld: true}, "2026-07-20", []MeetingWarning{{WarnLate, 10}}},
		{"before the phase transfer", ReviewFacts{PlanIssued: issued, Meeting: p("2026-01-20"), Transfer: tr}, "2026-01-01", nil},
		{"on the transfer deadline", ReviewFacts{PlanIssued: issued, Meeting: p("2026-02-15"), Transfer: tr}, "2026-01-01", []MeetingWarning{{WarnAfterTransfer, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.rv.MeetingWarnings(d(tc.today))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("MeetingWarnings = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestReviewDaysLateAndExpectedAmendedPlan(t *testing.T) {
	issued := d("2025-07-01") // the 12 months end on 2026-06-30
	tests := []struct {
		name     string
		rv       ReviewFacts
		today    string
		late     int
		expected string // "" when none is shown
	}{
		{"not due yet", ReviewFacts{PlanIssued: issued}, "2026-05-01", 0, ""},
		{"last day, nothing set", ReviewFacts{PlanIssued: issued}, "2026-06-30", 0, ""},
		{"overdue by a day, nothing set", ReviewFacts{PlanIssued: issued}, "2026-07-01", 1, ""},
		{"overdue, meeting set later still", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-20")}, "2026-07-05", 20, ""},
		{"overdue, meeting date passed unrecorded", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-03")}, "2026-07-10", 10, ""},
		{"held on the last day", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-30"), MeetingHeld: true}, "2026-08-01", 0, "2026-09-22"},
		{"held 2 days late", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-02"), MeetingHeld: true}, "2026-08-01", 2, "2026-09-24"},
		{"held late, LA decided", ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-02"), MeetingHeld: true, Decision: p("2026-07-20"), Outcome: ReviewAmend}, "2026-08-01", 2, ""},
		{"scheduled, not held", ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10")}, "2026-06-01", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rv.DaysLate(d(tc.today)); got != tc.late {
				t.Errorf("DaysLate = %d; want %d", got, tc.late)
			}
			got, ok := tc.rv.ExpectedAmendedPlan()
			if (tc.expected == "") == ok || (ok && got != d(tc.expected)) {
				t.Errorf("ExpectedAmendedPlan = %s, %v; want %q", got, ok, tc.expected)
			}
		})
	}
}

// A review held after the 12 months (the plan was overdue) is recorded with
// its real date: the meeting is done late, and every reg 20 step runs from
// the real meeting date, each on time or late on its own.
func TestLateReviewMilestones(t *testing.T) {
	issued := d("2025-07-01") // the 12 months end on 2026-06-30
	rv := ReviewFacts{PlanIssued: issued, Meeting: p("2026-07-14"), MeetingHeld: true,
		InvitesSent: p("2026-07-01"), AdviceCirculated: p("2026-06-29"), ReportSent: p("2026-07-30"),
		Decision: p("2026-08-10"), Outcome: ReviewAmend}
	if err := rv.Validate(); err != nil {
		t.Fatal(err)
	}
	ms := ReviewMilestones(rv)
	today := d("2026-08-12")
	checkMilestones(t, ms, today, []row{
		{KeyReviewInvitations, "2026-06-30", StatusDoneLate}, // 14 July - 14 days; sent a day late
		{KeyReviewAdvice, "2026-06-30", StatusDone},
		{KeyReviewMeeting, "2026-06-30", StatusDoneLate},
		{KeyReviewReport, "2026-07-28", StatusDoneLate},     // 14 July + 14 days; sent 2 days late
		{KeyReviewDecision, "2026-08-11", StatusDone},       // 14 July + 28 days: not capped at 30 June
		{KeyAmendmentComments, "2026-08-24", StatusDueSoon}, // decision + 14 days
		{KeyAmendedPlan, "2026-10-05", StatusUpcoming},      // decision + 8 weeks, before 14 July + 12 weeks (6 October)
	})
	want := map[string]int{KeyReviewInvitations: 1, KeyReviewAdvice: 0, KeyReviewMeeting: 14, KeyReviewReport: 2, KeyReviewDecision: 0}
	for key, n := range want {
		m, _ := Find(ms, key)
		if got := m.DaysLate(today); got != n {
			t.Errorf("%s: DaysLate = %d; want %d", key, got, n)
		}
	}
	// The 8 weeks from the decision come first here: 10 August + 56 days.
	if am, _ := Find(ms, KeyAmendedPlan); am.Due != d("2026-10-05") {
		t.Errorf("amended plan due %s; want 2026-10-05 (decision + 8 weeks)", am.Due)
	}
	if rv.DaysLate(today) != 14 {
		t.Errorf("review DaysLate = %d; want 14", rv.DaysLate(today))
	}
	// Before the decision, the LA's 4 weeks run from the late meeting, and are
	// overdue by the day after.
	rv.Decision, rv.Outcome = nil, ""
	dec, _ := Find(ReviewMilestones(rv), KeyReviewDecision)
	if dec.Due != d("2026-08-11") || dec.DaysLate(d("2026-08-13")) != 2 || dec.Status(d("2026-08-13")) != StatusOverdue {
		t.Errorf("late decision %+v: days late %d", dec, dec.DaysLate(d("2026-08-13")))
	}
	if !strings.Contains(dec.Source, "reg 20(10)") || strings.Contains(dec.Source, "CoP 9.176") {
		t.Errorf("late meeting decision source = %q; want reg 20(10) without the 12-month cap", dec.Source)
	}
	if m, _ := Find(ReviewMilestones(rv), KeyReviewMeeting); !strings.Contains(m.Label, "held on 14 July 2026") {
		t.Errorf("meeting label %q", m.Label)
	}
}

func TestReviewMilestones(t *testing.T) {
	// Plan issued 2025-09-15: review due 2026-09-14.
	issued := d("2025-09-15")
	allPre := func(rv ReviewFacts) ReviewFacts {
		rv.InvitesSent, rv.AdviceCirculated = p("2026-05-20"), p("2026-05-26")
		rv.MeetingHeld, rv.ReportSent = true, p("2026-06-20")
		return rv
	}
	tests := []struct {
		name  string
		rv    ReviewFacts
		today string
		want  []row
		owner string
	}{
		{
			name:  "no meeting set",
			rv:    ReviewFacts{PlanIssued: issued},
			today: "2026-05-01",
			want:  []row{{KeyReviewMeeting, "2026-09-14", StatusUpcoming}},
			owner: OwnerSchool,
		},
		{
			name:  "meeting set for 10 June",
			rv:    ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10")},
			today: "2026-05-20",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDueSoon},
				{KeyReviewAdvice, "2026-05-27", StatusDueSoon},
				{KeyReviewMeeting, "2026-09-14", StatusUpcoming},
				{KeyReviewReport, "2026-06-24", StatusUpcoming},
				{KeyReviewDecision, "2026-07-08", StatusUpcoming},
			},
			owner: OwnerSchool,
		},
		{
			name:  "meeting moved to 24 June: everything recomputed",
			rv:    ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-24")},
			today: "2026-05-20",
			want: []row{
				{KeyReviewInvitations, "2026-06-10", StatusUpcoming},
				{KeyReviewAdvice, "2026-06-10", StatusUpcoming},
				{KeyReviewMeeting, "2026-09-14", StatusUpcoming},
				{KeyReviewReport, "2026-07-08", StatusUpcoming},
				{KeyReviewDecision, "2026-07-22", StatusUpcoming},
			},
			owner: OwnerSchool,
		},
		{
			name:  "meeting held, report awaited",
			rv:    ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10"), MeetingHeld: true, InvitesSent: p("2026-05-20"), AdviceCirculated: p("2026-05-27")},
			today: "2026-06-15",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDueSoon},
				{KeyReviewDecision, "2026-07-08", StatusUpcoming},
			},
			owner: OwnerSchool,
		},
		{
			name:  "report sent; LA decision overdue",
			rv:    allPre(ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10")}),
			today: "2026-07-09",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDone},
				{KeyReviewDecision, "2026-07-08", StatusOverdue},
			},
			owner: OwnerLA,
		},
		{
			name: "decided to amend early: 8 weeks from proposals is sooner than 12 from meeting",
			rv: allPre(ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10"),
				Decision: p("2026-07-01"), Outcome: ReviewAmend}),
			today: "2026-07-05",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDone},
				{KeyReviewDecision, "2026-07-08", StatusDone},
				{KeyAmendmentComments, "2026-07-15", StatusDueSoon},
				{KeyAmendedPlan, "2026-08-26", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "late decision: amended plan still due 12 weeks after the meeting (Devon)",
			rv: allPre(ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10"),
				Decision: p("2026-07-20"), Outcome: ReviewAmend, AmendmentComments: p("2026-07-25")}),
			today: "2026-07-26",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDone},
				{KeyReviewDecision, "2026-07-08", StatusDoneLate},
				{KeyAmendmentComments, "2026-08-03", StatusDone},
				{KeyAmendedPlan, "2026-09-02", StatusUpcoming},
			},
			owner: OwnerLA,
		},
		{
			name: "amended plan issued: appeal window",
			rv: allPre(ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10"),
				Decision: p("2026-07-01"), Outcome: ReviewAmend, AmendedPlanIssued: p("2026-08-20")}),
			today: "2026-08-21",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDone},
				{KeyReviewDecision, "2026-07-08", StatusDone},
				{KeyAmendmentComments, "2026-07-15", StatusLapsed},
				{KeyAmendedPlan, "2026-08-26", StatusDone},
				{KeyAppeal, "2026-10-20", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name: "maintained unchanged: appeal window",
			rv: allPre(ReviewFacts{PlanIssued: issued, Meeting: p("2026-06-10"),
				Decision: p("2026-07-08"), Outcome: ReviewMaintain}),
			today: "2026-07-09",
			want: []row{
				{KeyReviewInvitations, "2026-05-27", StatusDone},
				{KeyReviewAdvice, "2026-05-27", StatusDone},
				{KeyReviewMeeting, "2026-09-14", StatusDone},
				{KeyReviewReport, "2026-06-24", StatusDone},
				{KeyReviewDecision, "2026-07-08", StatusDone},
				{KeyAppeal, "2026-09-08", StatusUpcoming},
			},
			owner: OwnerParent,
		},
		{
			name:  "late meeting: LA decision capped at the review due date",
			rv:    ReviewFacts{PlanIssued: d("2025-07-01"), Meeting: p("2026-06-24")},
			today: "2026-06-01",
			want: []row{
				{KeyReviewInvitations, "2026-06-10", StatusDueSoon},
				{KeyReviewAdvice, "2026-06-10", StatusDueSoon},
				{KeyReviewMeeting, "2026-06-30", StatusUpcoming},
				{KeyReviewReport, "2026-07-08", StatusUpcoming},
				{KeyReviewDecision, "2026-06-30", StatusUpcoming},
			},
			owner: OwnerSchool,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.rv.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			ms := ReviewMilestones(tc.rv)
			checkMilestones(t, ms, d(tc.today), tc.want)
			if got := NextOwner(ms, d(tc.today)); got != tc.owner {
				t.Errorf("NextOwner = %q; want %q", got, tc.owner)
			}
		})
	}
}

// A plan issued just before a phase transfer: the reg 18 deadline comes long
// before the annual review and must be reported.
func TestReviewPhaseTransferBeforeReviewDue(t *testing.T) {
	today := d("2027-01-25")
	tr, ok, err := PhaseTransferThisYear(6, PhasePrimary, today)
	if err != nil || !ok {
		t.Fatalf("PhaseTransferThisYear = %v, %v", ok, err)
	}
	if tr.Deadline != d("2027-02-15") || tr.LastDay != d("2027-02-14") {
		t.Fatalf("transfer deadline = %s (last day %s); want 2027-02-15 (2027-02-14)", tr.Deadline, tr.LastDay)
	}
	rv := ReviewFacts{PlanIssued: d("2027-01-20"), Transfer: &tr}
	if err := rv.Validate(); err != nil {
		t.Fatal(err)
	}
	ms := ReviewMilestones(rv)
	checkMilestones(t, ms, today, []row{
		{KeyReviewMeeting, "2028-01-19", StatusUpcoming},
		{KeyPhaseTransfer, "2027-02-14", StatusUpcoming}, // 20 days left
	})
	pt, _ := Find(ms, KeyPhaseTransfer)
	rm, _ := Find(ms, KeyReviewMeeting)
	if !pt.Due.Before(rm.Due) {
		t.Errorf("phase transfer %s should come before review due %s", pt.Due, rm.Due)
	}
	if !strings.Contains(pt.Label, "before 15 February 2027") || !strings.Contains(pt.Label, "Year 6 to Year 7") {
		t.Errorf("label = %q", pt.Label)
	}
	if pt.Source != "SEND Regs 2014 reg 18(1)(b)" || pt.Owner != OwnerLA {
		t.Errorf("source/owner = %q/%q", pt.Source, pt.Owner)
	}
	if got := rv.MeetingLimit(); got != d("2027-02-14") {
		t.Errorf("MeetingLimit = %s; want 2027-02-14", got)
	}
	if err := rv.ValidateMeeting(d("2027-02-10"), today); err != nil {
		t.Errorf("meeting 2027-02-10: %v", err)
	}
	if err := rv.ValidateMeeting(d("2027-03-01"), today); err != nil {
		t.Errorf("meeting 2027-03-01 after transfer deadline is accepted, with a warning: err = %v", err)
	}
	late := rv
	late.Meeting = p("2027-03-01")
	if w := late.MeetingWarnings(today); fmt.Sprint(w) != fmt.Sprint([]MeetingWarning{{WarnAfterTransfer, 15}}) {
		t.Errorf("meeting 2027-03-01 after transfer deadline: warnings %v", w)
	}
	if got := NextOwner(ms, today); got != OwnerSchool {
		t.Errorf("NextOwner = %q; want School (meeting not yet held)", got)
	}

	// Review held and plan amended in time: phase transfer done.
	rv.Meeting, rv.MeetingHeld = p("2027-01-27"), true
	rv.InvitesSent, rv.AdviceCirculated, rv.ReportSent = p("2027-01-12"), p("2027-01-13"), p("2027-01-28")
	rv.Decision, rv.Outcome, rv.AmendedPlanIssued = p("2027-01-29"), ReviewAmend, p("2027-02-12")
	if err := rv.Validate(); err != nil {
		t.Fatal(err)
	}
	pt, _ = Find(ReviewMilestones(rv), KeyPhaseTransfer)
	if st := pt.Status(d("2027-02-20")); st != StatusDone {
		t.Errorf("phase transfer status = %s; want done", st)
	}
	// Amended on 15 February itself is not "before 15 February".
	rv.AmendedPlanIssued = p("2027-02-15")
	pt, _ = Find(ReviewMilestones(rv), KeyPhaseTransfer)
	if st := pt.Status(d("2027-02-20")); st != StatusDoneLate {
		t.Errorf("amended on 15 Feb: status = %s; want done-late", st)
	}
	// Maintained without amendment: the review itself satisfies reg 18.
	rv.Outcome, rv.AmendedPlanIssued = ReviewMaintain, nil
	pt, _ = Find(ReviewMilestones(rv), KeyPhaseTransfer)
	if pt.Done == nil || *pt.Done != d("2027-01-29") {
		t.Errorf("maintain: phase transfer done = %v; want 2027-01-29", pt.Done)
	}
}

func TestReviewValidate(t *testing.T) {
	tests := []struct {
		name    string
		rv      ReviewFacts
		wantErr string
	}{
		{"minimal", ReviewFacts{PlanIssued: d("2026-01-10")}, ""},
		{"missing issue date", ReviewFacts{}, "plan issue date"},
		{"meeting before anchor", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-01-01")}, "not after"},
		{"held without date", ReviewFacts{PlanIssued: d("2026-01-10"), MeetingHeld: true}, "without a date"},
		{"decision before meeting held", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-12-01"), Decision: p("2026-12-05"), Outcome: ReviewMaintain}, "before the meeting is marked"},
		{"decision before meeting", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-12-01"), MeetingHeld: true, Decision: p("2026-11-05"), Outcome: ReviewMaintain}, "is before the meeting"},
		{"outcome without decision", ReviewFacts{PlanIssued: d("2026-01-10"), Outcome: ReviewAmend}, "without a decision date"},
		{"bad outcome", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-12-01"), MeetingHeld: true, Decision: p("2026-12-05"), Outcome: "maybe"}, "outcome"},
		{"amended plan when maintained", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-12-01"), MeetingHeld: true, Decision: p("2026-12-05"), Outcome: ReviewMaintain, AmendedPlanIssued: p("2027-01-05")}, "amendment dates"},
		{"amended before decision", ReviewFacts{PlanIssued: d("2026-01-10"), Meeting: p("2026-12-01"), MeetingHeld: true, Decision: p("2026-12-05"), Outcome: ReviewAmend, AmendedPlanIssued: p("2026-12-04")}, "before the decision"},
		{"invalid date", ReviewFacts{PlanIssued: d("2026-01-10"), ReportSent: &Date{2026, 2, 30}}, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rv.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Validate() = %v; want error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestPFARequired(t *testing.T) {
	for yg, want := range map[int]bool{-2: false, -1: false, 0: false, 6: false, 8: false, 9: true, 10: true, 11: true, 13: true, 14: true} {
		if got := PFARequired(yg); got != want {
			t.Errorf("PFARequired(%d) = %v; want %v", yg, got, want)
		}
	}
}

// ---------------------------------------------------------------- phase transfers

func TestAcademicYearStart(t *testing.T) {
	tests := []struct {
		day  string
		want int
	}{
		{"2026-09-01", 2026},
		{"2026-08-31", 2025},
		{"2026-12-31", 2026},
		{"2027-01-01", 2026},
		{"2027-02-15", 2026},
		{"2024-02-29", 2023},
	}
	for _, tc := range tests {
		if got := AcademicYearStart(d(tc.day)); got != tc.want {
			t.Errorf("AcademicYearStart(%s) = %d; want %d", tc.day, got, tc.want)
		}
	}
}

func TestPhaseTransferThisYear(t *testing.T) {
	tests := []struct {
		name        string
		year        int
		phase       Phase
		today       string
		ok          bool
		kind        TransferKind
		moveDate    string
		deadline    string
		conditional bool
	}{
		{"Y6 primary in October", 6, PhasePrimary, "2026-10-01", true, TransferPrimaryToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y6 primary on 1 September", 6, PhasePrimary, "2026-09-01", true, TransferPrimaryToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y6 primary in July, deadline passed", 6, PhasePrimary, "2027-07-15", true, TransferPrimaryToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y6 primary on 31 August", 6, PhasePrimary, "2027-08-31", true, TransferPrimaryToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y6 junior", 6, PhaseJunior, "2026-10-01", true, TransferPrimaryToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y2 infant to junior", 2, PhaseInfant, "2026-10-01", true, TransferInfantToJunior, "2027-09-01", "2027-02-15", false},
		{"EY setting to Reception", YearEarlyYears, PhaseEarlyYears, "2026-10-01", true, TransferEarlyYearsToSchool, "2027-09-01", "2027-02-15", false},
		{"nursery class in a primary school", YearEarlyYears, PhasePrimary, "2026-10-01", true, TransferEarlyYearsToSchool, "2027-09-01", "2027-02-15", true},
		{"Y4 first school to middle", 4, PhaseFirst, "2026-10-01", true, TransferPrimaryToMiddle, "2027-09-01", "2027-02-15", false},
		{"Y8 middle to secondary", 8, PhaseMiddle, "2026-10-01", true, TransferMiddleToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y7 8-12 middle to secondary", 7, PhaseMiddleDeemedPrimary, "2026-10-01", true, TransferMiddleToSecondary, "2027-09-01", "2027-02-15", false},
		{"Y11 secondary to post-16: 31 March", 11, PhaseSecondary, "2026-10-01", true, TransferSecondaryToPost16, "2027-09-01", "2027-03-31", false},
		{"Y11 with own sixth form: conditional", 11, PhaseSecondarySixthForm, "2026-10-01", true, TransferSecondaryToPost16, "2027-09-01", "2027-03-31", true},
		{"Y13 leaving a sixth form: conditional", 13, PhaseSecondarySixthForm, "2026-10-01", true, TransferSecondaryToPost16, "2027-09-01", "2027-03-31", true},
		{"Y11 all-through: conditional", 11, PhaseAllThrough, "2026-10-01", true, TransferSecondaryToPost16, "2027-09-01", "2027-03-31", true},
		{"Y6 all-through: no transfer", 6, PhaseAllThrough, "2026-10-01", false, "", "", "", false},
		{"Y5 primary: not this year", 5, PhasePrimary, "2026-10-01", false, "", "", "", false},
		{"Reception primary: no transfer", 0, PhasePrimary, "2026-10-01", false, "", "", "", false},
		{"Y12 sixth form: no transfer", 12, PhaseSecondarySixthForm, "2026-10-01", false, "", "", "", false},
		{"Y12 college: reg 18(2) instead", 12, PhasePost16, "2026-10-01", false, "", "", "", false},
		{"Y6 primary in leap-year spring", 6, PhasePrimary, "2028-01-10", true, TransferPrimaryToSecondary, "2028-09-01", "2028-02-15", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, ok, err := PhaseTransferThisYear(tc.year, tc.phase, d(tc.today))
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if ok != tc.ok {
				t.Fatalf("ok = %v; want %v (%+v)", ok, tc.ok, tr)
			}
			if !ok {
				if tr != (Transfer{}) {
					t.Errorf("want zero Transfer, got %+v", tr)
				}
				return
			}
			if tr.Kind != tc.kind || tr.Date != d(tc.moveDate) || tr.Deadline != d(tc.deadline) ||
				tr.LastDay != d(tc.deadline).AddDays(-1) || tr.Conditional != tc.conditional {
				t.Errorf("got %+v; want kind %s, move %s, deadline %s, conditional %v", tr, tc.kind, tc.moveDate, tc.deadline, tc.conditional)
			}
			if tr.FromYear != tc.year || tr.ToYear != tc.year+1 {
				t.Errorf("years %d->%d", tr.FromYear, tr.ToYear)
			}
			if tr.Conditional && tr.Note == "" {
				t.Error("conditional transfer without a note")
			}
			if !strings.HasPrefix(tr.Source, "SEND Regs 2014 reg 18(1)") {
				t.Errorf("source = %q", tr.Source)
			}
		})
	}
}

func TestPhaseTransferNextYear(t *testing.T) {
	tests := []struct {
		name     string
		year     int
		phase    Phase
		today    string
		ok       bool
		kind     TransferKind
		deadline string
	}{
		{"Y5 primary: Y6->Y7 a year ahead", 5, PhasePrimary, "2026-10-01", true, TransferPrimaryToSecondary, "2028-02-15"},
		{"Y10 secondary: 31 March a year ahead", 10, PhaseSecondary, "2026-10-01", true, TransferSecondaryToPost16, "2028-03-31"},
		{"Y1 infant", 1, PhaseInfant, "2027-06-30", true, TransferInfantToJunior, "2028-02-15"},
		{"Nursery 1 in an EY setting", YearNursery1, PhaseEarlyYears, "2026-10-01", true, TransferEarlyYearsToSchool, "2028-02-15"},
		{"Y7 middle (Y5-Y8)", 7, PhaseMiddle, "2026-10-01", true, TransferMiddleToSecondary, "2028-02-15"},
		{"Y12 sixth form: conditional Y13 move", 12, PhaseSecondarySixthForm, "2026-10-01", true, TransferSecondaryToPost16, "2028-03-31"},
		{"Y6 primary leaves this year", 6, PhasePrimary, "2026-10-01", false, "", ""},
		{"Y4 primary: two years away", 4, PhasePrimary, "2026-10-01", false, "", ""},
		{"on 1 September the year rolls over", 5, PhasePrimary, "2027-09-01", true, TransferPrimaryToSecondary, "2029-02-15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, ok, err := PhaseTransferNextYear(tc.year, tc.phase, d(tc.today))
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if ok != tc.ok {
				t.Fatalf("ok = %v; want %v (%+v)", ok, tc.ok, tr)
			}
			if !ok {
				return
			}
			if tr.Kind != tc.kind || tr.Deadline != d(tc.deadline) || tr.FromYear != tc.year+1 {
				t.Errorf("got %+v; want kind %s deadline %s from Y%d", tr, tc.kind, tc.deadline, tc.year+1)
			}
			if tr.Date.Y != tr.Deadline.Y {
				t.Errorf("deadline year %d differs from the year of the September move %d", tr.Deadline.Y, tr.Date.Y)
			}
		})
	}
}

func TestPhaseTransferErrors(t *testing.T) {
	tests := []struct {
		year  int
		phase Phase
	}{
		{6, "grammar"},
		{6, ""},
		{7, PhasePrimary},
		{2, PhaseSecondary},
		{0, PhaseJunior},
		{12, PhaseSecondary},
		{-3, PhaseEarlyYears},
	}
	for _, tc := range tests {
		if _, ok, err := PhaseTransferThisYear(tc.year, tc.phase, d("2026-10-01")); err == nil || ok {
			t.Errorf("PhaseTransferThisYear(%d, %q): ok=%v err=%v; want error", tc.year, tc.phase, ok, err)
		}
		if _, ok, err := PhaseTransferNextYear(tc.year, tc.phase, d("2026-10-01")); err == nil || ok {
			t.Errorf("PhaseTransferNextYear(%d, %q): ok=%v err=%v; want error", tc.year, tc.phase, ok, err)
		}
	}
}

func TestTransferLabel(t *testing.T) {
	tests := []struct {
		year  int
		phase Phase
		want  string
	}{
		{6, PhasePrimary, "Year 6 to Year 7 (primary to secondary)"},
		{YearEarlyYears, PhaseEarlyYears, "Nursery to Reception (early years to school)"},
		{2, PhaseInfant, "Year 2 to Year 3 (infant to junior)"},
		{11, PhaseSecondary, "Year 11 to Year 12 (secondary to post-16)"},
	}
	for _, tc := range tests {
		tr, ok, err := PhaseTransferThisYear(tc.year, tc.phase, d("2026-10-01"))
		if err != nil || !ok {
			t.Fatalf("%d %s: %v %v", tc.year, tc.phase, ok, err)
		}
		if got := tr.Label(); got != tc.want {
			t.Errorf("Label() = %q; want %q", got, tc.want)
		}
	}
}

func TestPost16TransferDeadline(t *testing.T) {
	tests := []struct{ transfer, want string }{
		{"2027-01-05", "2026-08-05"},
		{"2027-07-31", "2027-02-28"}, // no 31 February: clamped
		{"2028-07-31", "2028-02-29"},
		{"2027-03-31", "2026-10-31"},
		{"2027-04-30", "2026-11-30"},
	}
	for _, tc := range tests {
		if got := Post16TransferDeadline(d(tc.transfer)); got != d(tc.want) {
			t.Errorf("Post16TransferDeadline(%s) = %s; want %s", tc.transfer, got, tc.want)
		}
	}
}

// ---------------------------------------------------------------- example

func ExampleRequestMilestones() {
	f := RequestFacts{
		Received:       Date{2026, time.January, 5},
		AssessDecision: &Date{2026, time.February, 12},
		AssessOutcome:  OutcomeAssess,
	}
	today := Date{2026, time.April, 20}
	ms := RequestMilestones(f)
	for _, m := range ms {
		fmt.Printf("%-16s %s %-9s %s\n", m.Key, m.Due, m.Status(today), m.Owner)
	}
	fmt.Println("next:", NextOwner(ms, today))
	// Output:
	// assess-decision  2026-02-16 done      LA
	// issue-decision   2026-04-27 due-soon  LA
	// final-plan       2026-05-25 upcoming  LA
	// next: LA
}

func TestRequestMilestoneLabelsForIssue11(t *testing.T) {
	f := RequestFacts{Received: d("2026-01-05"), AssessDecision: p("2026-02-12"), AssessOutcome: OutcomeAssess,
		DraftServed: p("2026-04-06"), FinalIssued: p("2026-04-13"),
		Advice: []AdviceRequest{{Body: "school", From: "the school", Owner: OwnerSchool, Requested: d("2026-02-16")}}}
	ms := RequestMilestones(f)
	w, ok := Find(ms, KeyFinalBeforeComments)
	if !ok || !strings.Contains(w.Label, "13 April 2026") || !strings.Contains(w.Label, "20 April 2026") || !strings.Contains(w.Source, "reg 13(1)") || w.Open(d("2026-04-14")) {
		t.Errorf("flag = %+v", w)
	}
	a, ok := Find(ms, KeyAdvicePrefix+"school")
	if !ok || !strings.Contains(a.Label, "the school") || !strings.Contains(a.Label, "16 February 2026") || !strings.Contains(a.Source, "reg 8") {
		t.Errorf("advice = %+v", a)
	}
	if m, _ := Find(ms, KeyIssueDecision); !m.Untimed || !strings.Contains(m.Label, "issuing") {
		t.Errorf("issue decision = %+v", m)
	}
	f.DraftServed, f.FinalIssued, f.DecisionNotToIssue = nil, nil, p("2026-05-01")
	if m, _ := Find(RequestMilestones(f), KeyIssueDecision); m.Untimed || m.Status(d("2026-05-02")) != StatusDoneLate {
		t.Errorf("a late decision not to issue is late: %+v", m)
	}
}
