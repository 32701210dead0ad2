package ical_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/ical"
)

// TestFeedTextDates (issue 11, "Dates people read"): an event's summary and
// description write dates as people write them, never YYYY-MM-DD, even where
// a milestone's label names a date; DTSTART stays machine-readable.
func TestFeedTextDates(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	meeting := deadline.Date{Y: 2026, M: time.December, D: 14}
	var entries []ehc.CalendarEntry
	for i, m := range deadline.ReviewMilestones(deadline.ReviewFacts{PlanIssued: deadline.Date{Y: 2026, M: time.January, D: 20}, Meeting: &meeting}) {
		entries = append(entries, ehc.CalendarEntry{Kind: ehc.KindReview, Record: ehc.RecordReview, RefID: int64(i + 1), PupilID: 1, Href: "/x",
			Initials: "Z.Z.", Due: m.Due.Time(), M: m})
	}
	cal, err := ics.ParseCalendar(strings.NewReader(ical.Feed(entries, "S", "https://send.example.org", today)))
	if err != nil {
		t.Fatal(err)
	}
	iso := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	named := false
	for _, ev := range cal.Events() {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertySummary, ics.ComponentPropertyDescription} {
			v := ev.GetProperty(p).Value
			if x := iso.FindString(v); x != "" {
				t.Errorf("%s shows the ISO date %s: %q", p, x, v)
			}
			named = named || strings.Contains(v, "14 December 2026")
		}
	}
	if !named {
		t.Error("no event names the meeting date as 14 December 2026")
	}
}
