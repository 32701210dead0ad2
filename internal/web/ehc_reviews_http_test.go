package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

func pageVersion(t *testing.T, r resp) string {
	t.Helper()
	m := versionRE.FindAllStringSubmatch(r.Body, -1)
	if m == nil {
		t.Fatal("no version on the page")
	}
	return m[len(m)-1][1] // the correction form is last
}

// TestEHCLateReviewHTTP: an overdue plan's review is entered after the
// meeting took place, late; the page says by how much, marks each reg 20
// step, shows the expected amended plan until the LA decides; a mistyped
// decision is corrected with a reason and the history shows the original.
func TestEHCLateReviewHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		senco := a.login(sen.RoleSENCO)
		// Issued 1 October 2025: due by 30 September 2026; today is 23 November 2026.
		p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2025, 10, 1)}
		if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/ehc/plans/%d/reviews/new", p.ID)
		if r := senco.get(base); !strings.Contains(r.Body, "30 September 2026") || !strings.Contains(r.Body, `id="late-help"`) {
			t.Error("the new review page does not say the last day or how to enter a late review")
		}
		// The meeting took place on 10 November, 41 days late.
		r := senco.post(base, dateVals("meeting", day(2026, 11, 10), url.Values{}))
		rid := locID(t, r)
		rv := "/ehc/reviews/" + rid
		r = senco.get(rv)
		for _, want := range []string{"The meeting is 41 days after 30 September 2026", "The meeting date was 13 days ago", "Overdue by 54 days"} {
			if !strings.Contains(r.text(), want) {
				t.Errorf("review page lacks %q", want)
			}
		}
		r = senco.post(rv+"/invitees", url.Values{"party": {"parent"}, "inviteeName": {"Mrs Okafor"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("invitee: %d", r.StatusCode)
		}
		rev, _ := a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), mustInt(rid))
		senco.get(rv)
		r = senco.post(rv+"/invitees/step", dateVals("stepDate", day(2026, 10, 30), url.Values{"invitee": {fmt.Sprint(rev.Invitees[0].ID)}, "step": {"invited"}}))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("invited: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		rev, _ = a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), mustInt(rid))
		senco.get(rv)
		if r := senco.post(rv+"/record", url.Values{"version": {fmt.Sprint(rev.Version)}, "meetingHeld": {"yes"}, "pupilViews": {"Fine"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get(rv)
		for _, want := range []string{"Held 41 days late", "Done 10 November 2026, 41 days late", `id="expected-amended">2 February 2027`, "Done 30 October 2026"} {
			if !strings.Contains(r.text(), want) {
				t.Errorf("held late review lacks %q", want)
			}
		}
		// Invitations were due 27 October (14 days before): sent 3 days late.
		if !regexp.MustCompile(`data-milestone="review-invitations"[\s\S]*?Done late[\s\S]*?3 days late`).MatchString(r.Body) {
			t.Error("invitations not marked done 3 days late")
		}
		if pl, _ := a.st.Plan(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID); !pl.LastReviewed.Equal(day(2026, 11, 10)) {
			t.Errorf("plan last reviewed %v", pl.LastReviewed)
		}
		if r := senco.get("/ehc"); strings.Contains(r.Body, "30 September 2026") {
			t.Error("the plan is still shown with the overdue review date")
		}
		if r := senco.post(rv+"/events", dateVals("eventDate", day(2026, 11, 23), url.Values{"kind": {"decision"}, "outcome": {"maintain"}})); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("decision: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get(rv)
		if strings.Contains(r.Body, `id="expected-amended"`) {
			t.Error("the expected amended plan is still shown after the LA decided")
		}
		ver := pageVersion(t, r)
		// No reason; then a stale version; then the correction.
		r = senco.post(rv+"/correct", dateVals("correctDate", day(2026, 11, 20), url.Values{"version": {ver}, "item": {"decision"}, "action": {"correct"}, "correctOutcome": {"maintain"}}))
		if err := hasFieldError(r, "correctReason", "Explain why the record is being corrected"); err != nil {
			t.Error(err)
		}
		if !strings.Contains(r.Body, `<details class="govuk-details" id="correct-details" open>`) {
			t.Error("the correction form with an error is closed")
		}
		r = senco.post(rv+"/correct", url.Values{"correctDate-day": {"31"}, "correctDate-month": {"9"}, "correctDate-year": {"2026"}, "version": {ver}, "item": {"decision"}, "action": {"correct"}, "correctOutcome": {"maintain"}, "correctReason": {"x"}})
		if err := hasFieldError(r, "correctDate", "Correct date must be a real date"); err != nil {
			t.Error(err)
		}
		stale := fmt.Sprint(mustInt(ver) - 1)
		r = senco.post(rv+"/correct", dateVals("correctDate", day(2026, 11, 20), url.Values{"version": {stale}, "item": {"decision"}, "action": {"correct"}, "correctOutcome": {"maintain"}, "correctReason": {"Typed the letter's date"}}))
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, `id="conflict"`) {
			t.Errorf("stale correction: %d", r.StatusCode)
		}
		r = senco.post(rv+"/correct", dateVals("correctDate", day(2026, 11, 20), url.Values{"version": {ver}, "item": {"decision"}, "action": {"correct"}, "correctOutcome": {"maintain"}, "correctReason": {"Typed the letter's date"}}))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("correction: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get(rv)
		for _, want := range []string{"Record corrected", "23 November 2026: Maintain the plan as it is", "20 November 2026: Maintain the plan as it is", "Typed the letter's date", a.f.Users[sen.RoleSENCO].Name, "Done 20 November 2026"} {
			if !strings.Contains(r.text(), want) {
				t.Errorf("after the correction the page lacks %q", want)
			}
		}
		if n := a.auditCount("ehc.review.correct", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("%d correction audit rows", n)
		}
		// The head reads the history but cannot correct.
		head := a.login(sen.RoleHead)
		r = head.get(rv)
		if !strings.Contains(r.Body, `id="correction-history"`) || strings.Contains(r.Body, `id="save-correction"`) {
			t.Error("the head does not see the history, or is offered the correction form")
		}
		if r := head.post(rv+"/correct", url.Values{"item": {"decision"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("head corrected: %d", r.StatusCode)
		}
	})
}

// TestEHCRequestCorrectionHTTP: a mistyped request event is corrected with a
// reason; the timeline follows and the history shows the original.
func TestEHCRequestCorrectionHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		rq := &ehc.Request{PupilID: a.f.InClass.ID, RequestedBy: "school", Received: day(2026, 6, 1)}
		if err := a.st.CreateRequest(t.Context(), a.f.Actor(sen.RoleSENCO), rq); err != nil {
			t.Fatal(err)
		}
		if err := a.st.RecordRequestEvent(t.Context(), a.f.Actor(sen.RoleSENCO), rq.ID, ehc.RequestEvent{Kind: ehc.EvAssessDecision, Date: day(2026, 7, 16), Outcome: "assess"}); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/ehc/requests/%d", rq.ID)
		r := senco.get(page)
		if !regexp.MustCompile(`data-milestone="assess-decision"[\s\S]*?Done late`).MatchString(r.Body) {
			t.Fatal("the decision on 16 July is not late")
		}
		got, _ := a.st.Request(t.Context(), a.f.Actor(sen.RoleSENCO), rq.ID)
		item := fmt.Sprintf("event-%d", got.Events[0].ID)
		if !strings.Contains(r.Body, `value="`+item+`"`) {
			t.Fatal("the event is not offered for correction")
		}
		r = senco.post(page+"/correct", dateVals("correctDate", day(2026, 7, 6), url.Values{"version": {fmt.Sprint(got.Version)}, "item": {item}, "action": {"correct"}, "correctReason": {"Typed 16 for 6"}}))
		if err := hasFieldError(r, "correctOutcome", "Select whether the local authority agreed to assess"); err != nil {
			t.Error(err)
		}
		r = senco.post(page+"/correct", dateVals("correctDate", day(2026, 7, 6), url.Values{"version": {fmt.Sprint(got.Version)}, "item": {item}, "action": {"correct"}, "correctOutcome": {"assess"}, "correctReason": {"Typed 16 for 6"}}))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get(page)
		if !regexp.MustCompile(`data-milestone="assess-decision"[\s\S]*?Done on time`).MatchString(r.Body) {
			t.Error("the timeline does not follow the corrected date")
		}
		for _, want := range []string{"16 July 2026: Agreed to assess", "6 July 2026: Agreed to assess", "Typed 16 for 6"} {
			if !strings.Contains(r.text(), want) {
				t.Errorf("request history lacks %q", want)
			}
		}
		r = senco.post(page+"/correct", url.Values{"version": {fmt.Sprint(got.Version)}, "item": {item}, "action": {"withdraw"}, "correctReason": {"again"}})
		if r.StatusCode != http.StatusConflict {
			t.Errorf("stale request correction: %d", r.StatusCode)
		}
	})
}
