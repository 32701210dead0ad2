package ical_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/demo"
	"opensend/internal/ehc"
	"opensend/internal/ical"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// feedUIDs parses a feed with the real iCalendar library and returns each
// event's UID with its DTSTART.
func feedUIDs(t *testing.T, feed string) map[string]string {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ev := range cal.Events() {
		p := ev.GetProperty(ics.ComponentPropertyUniqueId)
		if p == nil || p.Value == "" {
			t.Fatalf("event without a UID: %s", ev.Serialize(nil))
		}
		start := ev.GetProperty(ics.ComponentPropertyDtStart)
		if _, dup := out[p.Value]; dup {
			t.Errorf("UID %s is shared by two events: calendar programs merge them and a deadline disappears", p.Value)
		}
		out[p.Value] = start.Value
	}
	return out
}

// TestDemoSchoolFeedUIDsAreUniqueAndStable (issue 11): across every duty of
// the demo school each ICS event has its own UID, made of the duty's record
// kind, the record's id and the milestone, and the same duty has the same
// UID in the next generation of the feed.
func TestDemoSchoolFeedUIDsAreUniqueAndStable(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	const base = "https://send.example.org"
	entries, err := st.StatutoryDates(ctx, senco, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 10 {
		t.Fatalf("demo school has only %d open statutory dates", len(entries))
	}
	kinds := map[string]bool{}
	pupilOf := map[string]int64{}
	for _, e := range entries {
		kinds[e.Record] = true
		uid := e.UID("send.example.org")
		if p, ok := pupilOf[uid]; ok && p != e.PupilID {
			t.Errorf("UID %s is shared by pupils %d and %d", uid, p, e.PupilID)
		}
		pupilOf[uid] = e.PupilID
	}
	for _, k := range []string{ehc.RecordRequest, ehc.RecordReview, ehc.RecordPlan} {
		if !kinds[k] {
			t.Errorf("demo school has no open duty on a %s record: the test would not see its UIDs", k)
		}
	}
	first := feedUIDs(t, ical.Feed(entries, "Meadowbank Primary School", base, st.Now()))
	if len(first) != len(entries) {
		t.Fatalf("%d events for %d duties", len(first), len(entries))
	}
	shape := regexp.MustCompile(`^(ehc-(request|review|plan)|leaving)-[0-9]+-[a-z0-9-]+@send\.example\.org$`) // a leaver's CTF duty is filed under the leaving
	for uid := range first {
		if !shape.MatchString(uid) {
			t.Errorf("UID %q is not record-id-milestone@host", uid)
		}
	}

	// The next generation: read again (the cache dropped by a write
	// elsewhere in the school) and stamped an hour later.
	if _, err := st.NewCalendarFeed(ctx, senco); err != nil {
		t.Fatal(err)
	}
	again, err := st.StatutoryDates(ctx, senco, "test")
	if err != nil {
		t.Fatal(err)
	}
	second := feedUIDs(t, ical.Feed(again, "Meadowbank Primary School", base, st.Now().Add(time.Hour)))
	if len(second) != len(first) {
		t.Fatalf("second generation has %d events; first %d", len(second), len(first))
	}
	for uid, start := range first {
		if s, ok := second[uid]; !ok || s != start {
			t.Errorf("UID %s (due %s) is not in the next feed with the same date (got %q, %v)", uid, start, s, ok)
		}
	}
}
