package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestRequestAdviceOnTheCalendar (issue 11): advice requested from the
// school and from another body has its reg 8 due date (6 weeks from the
// request) on the compliance calendar, one entry per body with its own UID,
// until the advice is returned; a final plan issued inside the comment
// period is flagged among the request's milestones but is not a calendar
// duty.
func TestRequestAdviceOnTheCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		// today is 2026-11-23
		r := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "school", Received: d(2026, 9, 7), LAName: "Riverside"}
		if err := s.CreateRequest(ctx, senco, r); err != nil {
			t.Fatal(err)
		}
		for _, e := range []ehc.RequestEvent{
			{Kind: ehc.EvAssessDecision, Date: d(2026, 10, 12), Outcome: "assess"},
			{Kind: ehc.EvAdviceRequested, Date: d(2026, 10, 19)},
			{Kind: ehc.EvAdviceRequestedHealth, Date: d(2026, 10, 21)},
		} {
			if err := s.RecordRequestEvent(ctx, senco, r.ID, e); err != nil {
				t.Fatalf("%s: %v", e.Kind, err)
			}
		}
		advice := func() map[string]ehc.CalendarEntry {
			cal, err := s.StatutoryDates(ctx, senco, "test")
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]ehc.CalendarEntry{}
			for _, e := range cal {
				if e.RefID == r.ID && e.Record == ehc.RecordRequest && strings.HasPrefix(e.M.Key, deadline.KeyAdvicePrefix) {
					out[e.M.Key] = e
				}
			}
			return out
		}
		got := advice()
		school, health := got[deadline.KeyAdvicePrefix+"school"], got[deadline.KeyAdvicePrefix+"health"]
		if !school.Due.Equal(d(2026, 11, 30)) || school.Kind != ehc.KindRequest || school.M.Owner != deadline.OwnerSchool || school.Status != deadline.StatusDueSoon {
			t.Errorf("school advice on the calendar: %+v", school)
		}
		if !health.Due.Equal(d(2026, 12, 2)) || health.M.Owner != deadline.OwnerBody {
			t.Errorf("health advice on the calendar: %+v", health)
		}
		if school.UID("h") == health.UID("h") || school.UID("h") != fmt.Sprintf("ehc-request-%d-advice-school@h", r.ID) {
			t.Errorf("advice UIDs %q %q", school.UID("h"), health.UID("h"))
		}
		if err := s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvAdviceReturned, Date: d(2026, 11, 20)}); err != nil {
			t.Fatal(err)
		}
		if got := advice(); len(got) != 1 || got[deadline.KeyAdvicePrefix+"health"].M.Key == "" {
			t.Errorf("after the school's advice came in: %+v", got)
		}

		// A final plan issued on day 3 of the comment period is flagged.
		for _, e := range []ehc.RequestEvent{{Kind: ehc.EvDraftServed, Date: d(2026, 11, 16)}, {Kind: ehc.EvFinalIssued, Date: d(2026, 11, 18)}} {
			if err := s.RecordRequestEvent(ctx, senco, r.ID, e); err != nil {
				t.Fatalf("%s: %v", e.Kind, err)
			}
		}
		full, err := s.Request(ctx, senco, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := deadline.Find(full.Milestones(), deadline.KeyFinalBeforeComments)
		if !ok || m.Status(deadline.FromTime(s.Today())) != deadline.StatusFlagged {
			t.Errorf("final plan inside the comment period not flagged: %+v", full.Milestones())
		}
		cal, _ := s.StatutoryDates(ctx, senco, "test")
		for _, e := range cal {
			if e.M.Key == deadline.KeyFinalBeforeComments {
				t.Errorf("a flag is not a calendar duty: %+v", e)
			}
		}
	})
}
