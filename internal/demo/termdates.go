package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// seedTermDates records a typical English school year's holidays for last
// year and this year, so Section F expects provision on school days only.
// Real dates vary by local authority; the school edits them at /term-dates.
func seedTermDates(ctx context.Context, st *store.Store, _ *Result, senco sen.Actor, _ *rand.Rand) error {
	first, _ := ehc.AcademicYear(st.Today())
	for _, y := range []int{first.Year() - 1, first.Year()} {
		for _, h := range typicalHolidays(y) {
			if err := st.AddHoliday(ctx, senco, &h); err != nil {
				return err
			}
		}
	}
	return nil
}

// typicalHolidays are the holidays of the school year that starts in
// September of year y.
func typicalHolidays(y int) []sen.Holiday {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	week := func(label string, y int, m time.Month, d, days int) sen.Holiday {
		// The week (Monday) containing the given day.
		t := day(y, m, d)
		t = t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
		return sen.Holiday{Label: label, Starts: t, Ends: t.AddDate(0, 0, days-1)}
	}
	return []sen.Holiday{
		week("October half-term", y, time.October, 27, 5),
		{Label: "Christmas holiday", Starts: day(y, time.December, 21), Ends: day(y+1, time.January, 2)},
		week("February half-term", y+1, time.February, 16, 5),
		week("Easter holiday", y+1, time.April, 3, 12),
		week("May half-term", y+1, time.May, 28, 5),
		{Label: "Summer holiday", Starts: day(y+1, time.July, 22), Ends: day(y+1, time.August, 31)},
	}
}
