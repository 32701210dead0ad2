package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestEHCRequestDeadlinesHTTP (issue 11): the request page shows the engine's
// new request milestones as they are: a draft after week 16 is not late at
// the 16-week step, the reg 8 advice due date, and a final plan issued inside
// the draft's comment period flagged; the open advice date is on the
// compliance calendar.
func TestEHCRequestDeadlinesHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		senco := a.login(sen.RoleSENCO)
		pid := fmt.Sprint(a.f.InClass.ID)
		// today is 23 November 2026; received 6 July 2026: 16 weeks = 26 October.
		r := senco.post("/ehc/requests/new", dateVals("received", day(2026, 7, 6), url.Values{"pupil": {pid}, "requestedBy": {"school"}, "laName": {"Riverside"}}))
		rid := locID(t, r)
		for _, ev := range []url.Values{
			dateVals("eventDate", day(2026, 8, 10), url.Values{"kind": {"assess-decision"}, "outcome": {"assess"}}),
			dateVals("eventDate", day(2026, 10, 19), url.Values{"kind": {"advice-requested-health"}}),
			dateVals("eventDate", day(2026, 11, 2), url.Values{"kind": {"draft-served"}}), // week 17
			dateVals("eventDate", day(2026, 11, 9), url.Values{"kind": {"final-issued"}}), // day 8 of the 15
		} {
			if r := senco.post("/ehc/requests/"+rid+"/events", ev); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("event %v: %d %s", ev.Get("kind"), r.StatusCode, ehcErrSummary(r))
			}
		}
		r = senco.get("/ehc/requests/" + rid)
		for _, want := range []string{
			"the 16 weeks apply only to a decision not to issue",
			"Provide advice for the needs assessment: health", "30 November 2026", "reg 8",
			"Final plan issued on 9 November 2026, before the parent", "16 November 2026 was its last day", "Warning",
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("request page lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "Done late") {
			t.Error("request page shows a step done late: the draft in week 17 is not late, the final is in week 18")
		}
		if r := senco.get("/calendar"); !strings.Contains(r.Body, "Provide advice for the needs assessment: health") {
			t.Error("calendar lacks the reg 8 advice due date")
		}
	})
}
