package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestDutiesPagesHTTP: the school type setting (the office and the SENCO;
// an unknown value is a field error), a plan's next move on the transfers
// page, the warning for a review meeting too late to amend the plan before
// the reg 18 date, and an unopposed appeal whose deadline reaches the
// calendar.
func TestDutiesPagesHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		office := a.login(sen.RoleOffice)
		if r := office.get("/settings/school"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Secondary school (11 to 16)") {
			t.Fatalf("settings page: %d", r.StatusCode)
		}
		r := office.post("/settings/school", url.Values{"schoolType": {"grammar"}, "lowestYear": {"7"}, "highestYear": {"13"}, "version": {"0"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown type: %d", r.StatusCode)
		}
		if err := hasFieldError(r, "schoolType", "Select the type of school or setting"); err != nil {
			t.Error(err)
		}
		if r := office.post("/settings/school", url.Values{"schoolType": {"secondary-with-sixth-form"}, "lowestYear": {"7"}, "highestYear": {"13"}, "version": {"0"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save settings: %d", r.StatusCode)
		}
		if r := office.get("/settings/school"); !strings.Contains(r.Body, `<option value="secondary-with-sixth-form" selected>`) || !strings.Contains(r.Body, "School type and age range saved") {
			t.Error("settings not saved or no flash")
		}
		if r := office.post("/settings/school", url.Values{"schoolType": {"secondary"}, "lowestYear": {"7"}, "highestYear": {"11"}, "version": {"0"}}); r.StatusCode != http.StatusConflict {
			t.Errorf("stale settings: %d", r.StatusCode)
		}

		// A Year 11 pupil with a plan.
		p11 := a.addPupil("Cara", "Dunn", "11", "11A")
		a.setSEN(&p11, sen.StatusSupport, "ASD")
		plan := &ehc.Plan{PupilID: p11.ID, LAName: "Riverside", Issued: day(2026, 6, 2)}
		if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), plan); err != nil {
			t.Fatal(err)
		}
		senco := a.login(sen.RoleSENCO)
		tr := senco.get("/ehc/transfers")
		if !strings.Contains(tr.text(), "Year 11 to Year 12 (secondary to post-16)") || !strings.Contains(tr.text(), "Not recorded") || !strings.Contains(tr.text(), "31 March 2027") {
			t.Errorf("transfers page: %s", tr.text())
		}
		move := fmt.Sprintf("/ehc/plans/%d/move", plan.ID)
		if r := senco.get(move); r.StatusCode != http.StatusOK || !strings.Contains(r.text(), "if the pupil changes setting") {
			t.Fatalf("move page: %d", r.StatusCode)
		}
		r = senco.post(move, url.Values{"choice": {"leaving"}, "version": {"0"}})
		if err := hasFieldError(r, "toType", "Select the type of school, college or setting the pupil is moving to"); err != nil {
			t.Error(err)
		}
		if r := senco.post(move, url.Values{"choice": {"leaving"}, "toType": {"further-education"}, "toName": {"Riverside College"}, "version": {"0"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save move: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		if r := senco.get("/ehc/transfers"); !strings.Contains(r.text(), "Riverside College") || strings.Contains(r.text(), "Not recorded") {
			t.Errorf("transfers page after the move: %s", r.text())
		}

		// A meeting whose amended plan (12 weeks on) misses 31 March is
		// warned about when it is set.
		base := fmt.Sprintf("/ehc/plans/%d/reviews/new", plan.ID)
		rid := locID(t, senco.post(base, dateVals("meeting", day(2027, 2, 10), url.Values{})))
		if r := senco.get("/ehc/reviews/" + rid); !strings.Contains(r.text(), "too late for the phase transfer") || !strings.Contains(r.text(), "5 January 2027 or earlier") {
			t.Errorf("no late-meeting warning: %s", r.text())
		}

		// An unopposed appeal about the plan's contents: 5 weeks.
		un := fmt.Sprintf("/ehc/plans/%d/unopposed", plan.ID)
		if r := senco.get(un); r.StatusCode != http.StatusOK {
			t.Fatalf("unopposed page: %d", r.StatusCode)
		}
		r = senco.post(un, dateVals("notified", day(2026, 12, 1), url.Values{}))
		if err := hasFieldError(r, "notified", "The date the local authority told the Tribunal must be today or in the past"); err != nil {
			t.Error(err)
		}
		if r := senco.post(un, dateVals("notified", day(2026, 11, 2), url.Values{})); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/calendar?kind=appeal" {
			t.Fatalf("record unopposed: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if r := senco.get("/calendar?kind=appeal"); !strings.Contains(r.text(), "Unopposed appeal: Issue the amended EHC plan (unopposed appeal)") || !strings.Contains(r.text(), "7 December 2026") {
			t.Errorf("calendar: %s", r.text())
		}
	})
}

// TestSummerClosureExceptionHTTP (reg 10(4)(a)): a school-closure exception
// is recorded with its reason, and the request page warns while the advice
// request does not fall in the window the term dates give; once the advice
// date fits, the warning goes.
func TestSummerClosureExceptionHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		rq := &ehc.Request{PupilID: a.f.InClass.ID, RequestedBy: "school", Received: day(2026, 6, 1), LAName: "Riverside"}
		if err := a.st.CreateRequest(ctx, senco, rq); err != nil {
			t.Fatal(err)
		}
		if err := a.st.AddHoliday(ctx, senco, &sen.Holiday{Label: "Summer holiday", Starts: day(2026, 7, 22), Ends: day(2026, 9, 2)}); err != nil {
			t.Fatal(err)
		}
		if err := a.st.RecordRequestEvent(ctx, senco, rq.ID, ehc.RequestEvent{Kind: ehc.EvAdviceRequested, Date: day(2026, 6, 8)}); err != nil {
			t.Fatal(err)
		}
		c := a.login(sen.RoleSENCO)
		page := fmt.Sprintf("/ehc/requests/%d", rq.ID)
		c.get(page)
		r := c.post(page+"/exceptions", url.Values{"milestone": {"assess-decision"}, "reason": {"school-closure"}, "exceptionNote": {""}})
		if err := hasFieldError(r, "exceptionNote", "Explain why the exception applies"); err != nil {
			t.Error(err) // the reason stays required
		}
		if r := c.post(page+"/exceptions", url.Values{"milestone": {"assess-decision"}, "reason": {"school-closure"}, "exceptionNote": {"Summer holidays"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("record exception: %d", r.StatusCode)
		}
		want := "The school's advice was asked for on 8 June 2026, outside the period the regulation names: from 15 July 2026 (one week before the school closed) to 27 August 2026"
		if r := c.get(page); !strings.Contains(r.text(), want) {
			t.Errorf("no warning: %s", r.text())
		}
		if err := a.st.RecordRequestEvent(ctx, senco, rq.ID, ehc.RequestEvent{Kind: ehc.EvAdviceRequested, Date: day(2026, 7, 16)}); err != nil {
			t.Fatal(err)
		}
		if r := c.get(page); strings.Contains(r.text(), "outside the period the regulation names") {
			t.Error("warning stays after the advice date fits")
		}
	})
}
