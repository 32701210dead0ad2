package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestEHCLateReviewJourney records an annual review that is already late,
// in a real browser on each engine: the plan's review is overdue; the SENCO
// starts the review with the meeting's real (past) date, sees how late it is
// and what that means, records the invitation and the meeting as held, and
// sees each reg 20 step marked on time or late from the real meeting date;
// then corrects a mistyped LA decision with a reason, sees the history keep
// the original, and the dates that follow from the decision move with it.
// Every page, error states included, passes checkPage (axe-core).
func TestEHCLateReviewJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "ehc-late-"
			lateReviewJourney(t, a)
		})
	}
}

func lateReviewJourney(t *testing.T, a *app) {
	ctx := context.Background()
	// A pupil on SEN support with a primary need and no EHC request or plan:
	// given a plan issued on 1 October 2025, whose review was due by
	// 30 September 2026. Today is Monday 23 November 2026.
	reqs, err := a.st.Requests(ctx, a.senco())
	if err != nil {
		t.Fatal(err)
	}
	plans, err := a.st.Plans(ctx, a.senco())
	if err != nil {
		t.Fatal(err)
	}
	var pupil sen.Pupil
	for _, p := range a.roll(t) {
		free := p.Status == sen.StatusSupport && len(p.Needs) > 0 && p.Needs[0].Code != "NSA"
		for _, r := range reqs {
			free = free && r.PupilID != p.ID
		}
		for _, pl := range plans {
			free = free && pl.PupilID != p.ID
		}
		if free {
			pupil = p
			break
		}
	}
	if pupil.ID == 0 {
		t.Fatal("the demo school has no pupil on SEN support without an EHC request or plan")
	}
	plan := &ehc.Plan{PupilID: pupil.ID, LAName: "Northshire County Council", Issued: day(2025, 10, 1)}
	if err := a.st.CreatePlan(ctx, a.senco(), plan); err != nil {
		t.Fatal(err)
	}
	planPath := "/ehc/plans/" + strconv.FormatInt(plan.ID, 10)

	senco := a.newUser(t, "SENCO")
	senco.signInTo("/ehc", a.login(t, sen.RoleSENCO), "overview")
	senco.open(planPath, http.StatusOK, "plan")
	senco.click("#start-review", http.StatusOK, "review-new")
	senco.wantText("#review-due", "30 September 2026")
	senco.wantText("#late-help", "already late", "real date")
	// The meeting took place on 10 November, 41 days after the last day.
	senco.typeDate("meeting", day(2026, 11, 10))
	senco.click("#create-review", http.StatusOK, "review-past-date")
	senco.wantFlash("Annual review started")
	review := senco.at(reviewPathRE)
	senco.wantText("#meeting-warnings", "The meeting is 41 days after 30 September 2026", "the review is late", "The meeting date was 13 days ago")
	senco.wantText("#review-late", "Overdue by 54 days")

	// The invitation went out on 30 October: 3 days short of 2 weeks' notice.
	senco.choose("#party", "parent")
	senco.typeInto("#inviteeName", "Mrs "+pupil.Surname)
	senco.click("#add-invitee", http.StatusOK, "")
	senco.wantFlash("Review updated")
	senco.choose("#invitee", senco.optionFor("#invitee", "Mrs "+pupil.Surname))
	senco.choose("#step", "invited")
	senco.typeDate("stepDate", day(2026, 10, 30))
	senco.click("#save-step", http.StatusOK, "")
	senco.wantFlash("Review updated")

	// The meeting is recorded as held.
	senco.check("#meetingHeld-yes")
	senco.fill("#pupilViews", "I like my reading group.")
	senco.click("#save-record", http.StatusOK, "review-held-late")
	senco.wantFlash("Review updated")
	senco.wantText("#review-late", "Held 41 days late")
	senco.wantText("#held-on", "10 November 2026")
	senco.wantMilestone("review-meeting", "30 September 2026", "Done late", "Done 10 November 2026, 41 days late")
	senco.wantMilestone("review-invitations", "27 October 2026", "Done late", "3 days late")
	senco.wantMilestone("review-report", "24 November 2026", "Due soon")
	senco.wantMilestone("review-decision", "8 December 2026", "Upcoming")
	senco.wantText("#expected-amended", "2 February 2027", "12 weeks after the meeting")
	if senco.has("#meeting-warnings") && strings.Contains(senco.text("#meeting-warnings"), "ago") {
		t.Error("the held meeting is still said not to be recorded as held")
	}

	// The LA's decision to amend, typed with the wrong date (23 for 13).
	senco.choose("#kind", "decision")
	senco.typeDate("eventDate", day(2026, 11, 23))
	senco.choose("#outcome", "amend")
	senco.click("#save-after", http.StatusOK, "")
	senco.wantFlash("Review updated")
	senco.wantMilestone("review-decision", "Done on time", "Done 23 November 2026")
	senco.wantMilestone("amended-plan", "18 January 2027") // 8 weeks after the decision
	if senco.has("#expected-amended") {
		t.Error("the expected amended plan is still shown once the LA has decided")
	}
	senco.wantText("#no-corrections", "Nothing has been corrected")

	// The correction: without a reason first.
	senco.openDetails("Correct or withdraw a record")
	senco.choose("#item", "decision")
	senco.check("#action-correct")
	senco.typeDate("correctDate", day(2026, 11, 13))
	senco.choose("#correctOutcome", "amend")
	senco.click("#save-correction", http.StatusUnprocessableEntity, "review-correct-error")
	senco.wantErrors("correction without a reason", "Explain why the record is being corrected")
	if senco.value("#correctDate") != "13" || senco.value("#item") != "decision" {
		t.Error("the correction form with an error lost what was typed")
	}
	senco.fill("#correctReason", "Typed the date the letter arrived, not the date of the decision")
	senco.click("#save-correction", http.StatusOK, "review-corrected")
	senco.wantFlash("Record corrected")
	senco.at(reviewPathRE)
	senco.wantText("#correction-history", "Local authority decision", "23 November 2026: Amend the plan", "13 November 2026: Amend the plan",
		"Typed the date the letter arrived", "Sarah Ahmed")
	// Every date that follows from the decision moves with it.
	senco.wantMilestone("review-decision", "Done 13 November 2026")
	senco.wantMilestone("amendment-comments", "27 November 2026")
	senco.wantMilestone("amended-plan", "8 January 2027")

	// The plan is no longer overdue: its next review runs from 10 November.
	senco.open(planPath, http.StatusOK, "")
	senco.wantText("#plan-summary", "9 November 2027")

	// A request event typed wrongly: the LA's decision whether to assess
	// recorded on 16 July (late) when it came on 6 July.
	rq := &ehc.Request{PupilID: pupil.ID, RequestedBy: "parent", Received: day(2026, 6, 1), LAName: "Northshire County Council"}
	if err := a.st.CreateRequest(ctx, a.senco(), rq); err != nil {
		t.Fatal(err)
	}
	if err := a.st.RecordRequestEvent(ctx, a.senco(), rq.ID, ehc.RequestEvent{Kind: ehc.EvAssessDecision, Date: day(2026, 7, 16), Outcome: "assess"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.st.Request(ctx, a.senco(), rq.ID)
	if err != nil {
		t.Fatal(err)
	}
	requestPath := "/ehc/requests/" + strconv.FormatInt(rq.ID, 10)
	senco.open(requestPath, http.StatusOK, "request")
	senco.wantMilestone("assess-decision", "13 July 2026", "Done late", "3 days late")
	senco.openDetails("Correct or withdraw a record")
	senco.choose("#item", "event-"+strconv.FormatInt(got.Events[0].ID, 10))
	senco.check("#action-correct")
	senco.typeDate("correctDate", day(2026, 7, 6))
	senco.fill("#correctReason", "Typed 16 for 6")
	senco.click("#save-correction", http.StatusUnprocessableEntity, "request-correct-error")
	senco.wantErrors("request correction without the decision", "Select whether the local authority agreed to assess")
	senco.choose("#correctOutcome", "assess")
	senco.click("#save-correction", http.StatusOK, "request-corrected")
	senco.wantFlash("Record corrected")
	senco.wantMilestone("assess-decision", "Done on time", "Done 6 July 2026")
	senco.wantText("#events", "6 July 2026")
	senco.wantText("#correction-history", "LA decision whether to assess", "16 July 2026: Agreed to assess", "6 July 2026: Agreed to assess", "Typed 16 for 6", "Sarah Ahmed")
	if a.shots != "" {
		senco.reflow([]string{review, requestPath})
	}
}
