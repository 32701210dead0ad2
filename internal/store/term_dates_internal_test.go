package store

import (
	"testing"
	"time"

	"opensend/internal/sen"
)

// The table answers exactly as counting day by day does.
func TestSchoolCalendarMatchesSchoolDays(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	hols := []sen.Holiday{{Starts: d(2026, 10, 26), Ends: d(2026, 10, 30)}, {Starts: d(2026, 12, 21), Ends: d(2027, 1, 1)}}
	c := newSchoolCalendar(d(2026, 9, 1), d(2027, 8, 31), hols)
	for first := d(2026, 8, 25); first.Before(d(2027, 9, 5)); first = first.AddDate(0, 0, 9) {
		for _, span := range []int{-1, 0, 1, 6, 30, 120, 400} {
			last := first.AddDate(0, 0, span)
			if got, want := c.days(first, last), SchoolDays(first, last, hols); got != want {
				t.Fatalf("%s..%s: table %d, counted %d", dateStr(first), dateStr(last), got, want)
			}
		}
	}
}
