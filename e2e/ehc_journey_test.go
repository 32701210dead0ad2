package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestEHCJourney follows one pupil's EHC plan (issue 5) in a real browser on
// each engine: the SENCO records a request for an EHC needs assessment and
// its statutory steps to the final plan, records the plan with a Section E
// outcome and a Section F provision line, and records delivery (as does
// the class teacher who delivers the line); then the annual review, brought
// forward by the Year 6 phase transfer, from its start through the meeting
// date, invitations and advice to the meeting record and its PDF report,
// and the statutory calendar and outbox. Every page, error states
// included, passes checkPage (axe-core at WCAG 2.2 AA, CSP, script errors).
func TestEHCJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "ehc-"
			ehcJourney(t, a)
		})
	}
}

// milestone returns the text of a statutory timeline row.
func (u *user) milestone(key string) string {
	u.t.Helper()
	return u.text(fmt.Sprintf("#timeline tr[data-milestone=%q]", key))
}

// wantMilestone checks a timeline row says each of wants.
func (u *user) wantMilestone(key string, wants ...string) {
	u.t.Helper()
	got := u.milestone(key)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			u.t.Errorf("%s: %s: milestone %s says %q, want %q", u.who, u.path(), key, got, w)
		}
	}
}

// optionFor is the value of sel's option whose text contains text.
func (u *user) optionFor(sel, text string) string {
	u.t.Helper()
	v := u.eval(fmt.Sprintf(`(Array.from(document.querySelectorAll('%s option')).find(o => o.textContent.includes(%q)) || {value: ''}).value`, sel, text))
	if v == "" {
		u.t.Fatalf("%s: %s: %s has no option %q", u.who, u.path(), sel, text)
	}
	return v
}

// openDetails opens a closed GOV.UK details component by its summary.
func (u *user) openDetails(summary string) {
	u.t.Helper()
	if u.eval(fmt.Sprintf(`(d => d ? (d.open = true, 'ok') : 'missing')(Array.from(document.querySelectorAll('details')).find(d => d.querySelector('summary').textContent.includes(%q)))`, summary)) != "ok" {
		u.t.Fatalf("%s: %s: no details %q", u.who, u.path(), summary)
	}
}

var (
	requestPathRE = regexp.MustCompile(`^/ehc/requests/\d+$`)
	ehcPlanPathRE = regexp.MustCompile(`^/ehc/plans/\d+$`)
	reviewPathRE  = regexp.MustCompile(`^/ehc/reviews/\d+$`)
)

// at checks the current path (without the fragment) matches re.
func (u *user) at(re *regexp.Regexp) string {
	u.t.Helper()
	p := strings.SplitN(u.path(), "#", 2)[0]
	if !re.MatchString(p) {
		u.t.Fatalf("%s: at %s, want %s", u.who, p, re)
	}
	return p
}

func ehcJourney(t *testing.T, a *app) {
	ctx := context.Background()
	// A Year 6 pupil in the demo teacher's class with no EHC request or
	// plan yet (the demo's 6A has no one on SEN support: the SENCO first
	// records that on the register).
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
		free := p.ClassName == "6A" && p.Status == sen.StatusNone
		for _, r := range reqs {
			free = free && r.PupilID != p.ID
		}
		for _, pl := range plans {
			free = free && pl.PupilID != p.ID
		}
		if free {
			pupil = p // the last one: the plans journey takes the first
		}
	}
	if pupil.ID == 0 {
		t.Fatal("the demo school has no pupil in 6A without SEN and an EHC request")
	}
	pid := strconv.FormatInt(pupil.ID, 10)
	name := pupil.FullName()
	const (
		la        = "Northshire County Council"
		outcomeE  = "By the end of Year 7, start and finish a written task with one adult prompt."
		provision = "Small-group literacy with a trained teaching assistant"
		views     = "I want help with writing at my new school."
	)

	// Monday 23 November 2026. The SENCO records a request the local
	// authority received on 1 June 2026.
	senco := a.newUser(t, "SENCO")
	sencoEmail := a.login(t, sen.RoleSENCO)
	senco.signInTo("/pupils/"+pid+"/sen", sencoEmail, "")
	senco.check("#status-K")
	senco.typeDate("startDate", day(2025, 9, 8))
	senco.typeInto("#decidedBy", "SENCO with parents after assess-plan-do-review")
	senco.choose("#need1", "SPLD")
	senco.click("main form[method=post] button[type=submit]", http.StatusOK, "")
	senco.wantFlash("SEN register entry saved")
	senco.click(".govuk-service-navigation a[href='/ehc']", http.StatusOK, "ehc")
	senco.click("#new-request", http.StatusOK, "ehc-request-new")
	senco.choose("#pupil", pid)
	senco.choose("#requestedBy", "school")
	senco.typeDate("received", day(2026, 6, 1))
	senco.typeInto("#laName", la)
	senco.click("#save-request", http.StatusOK, "ehc-request")
	senco.wantFlash("Request recorded")
	senco.at(requestPathRE)
	senco.wantText("h1", "Request for an EHC needs assessment")
	senco.wantText("#request-summary", "School", "1 June 2026", la)
	// The statutory timeline from the date received: 6 weeks to decide
	// whether to assess, 20 weeks to the final plan; both now overdue.
	senco.wantMilestone("assess-decision", "13 July 2026", "Overdue", "Local authority")
	senco.wantMilestone("final-plan", "19 October 2026", "Overdue")
	senco.wantText("#next-owner", "Local authority")

	event := func(kind string, d, m, y int, shot string) {
		t.Helper()
		senco.choose("#kind", kind)
		senco.typeDate("eventDate", day(y, time.Month(m), d))
		senco.click("#save-event", http.StatusOK, shot)
		senco.wantFlash("Event recorded")
	}
	// The question about the LA's decision shows only for that event.
	shown := func(sel string) bool {
		return senco.eval(fmt.Sprintf(`String(document.querySelector(%q).getClientRects().length > 0)`, sel)) == "true"
	}
	if shown("#outcome-assess") {
		t.Error("the request page asks what the LA decided before the event is chosen")
	}
	senco.choose("#kind", "assess-decision")
	if !shown("#outcome-assess") {
		t.Error("choosing the LA decision does not show what it decided")
	}
	senco.typeDate("eventDate", day(2026, 7, 6))
	senco.check("#outcome-assess")
	senco.click("#save-event", http.StatusOK, "")
	senco.wantFlash("Event recorded")
	senco.wantMilestone("assess-decision", "Done on time", "Done 6 July 2026")
	event("draft-served", 14, 9, 2026, "")
	// The final plan: a date that does not exist first.
	senco.choose("#kind", "final-issued")
	senco.typeInto("#eventDate", "31")
	senco.typeInto("#eventDate-month", "9")
	senco.typeInto("#eventDate-year", "2026")
	senco.click("#save-event", http.StatusUnprocessableEntity, "ehc-request-event-error")
	senco.wantErrors("final plan on 31 September", "Date it happened must be a real date")
	if v := senco.value("#kind"); v != "final-issued" {
		t.Errorf("event form with an error lost what happened: %q", v)
	}
	event("final-issued", 12, 10, 2026, "ehc-request-final")
	senco.wantMilestone("final-plan", "Done on time", "Done 12 October 2026")
	senco.wantText("#events", "agreed to assess", "Draft plan served", "Final EHC plan issued")

	// Record the plan itself, from the request.
	senco.click("#record-plan", http.StatusOK, "ehc-plan-new")
	if senco.value("#laName") != la || senco.value("#issued") != "12" || senco.value("#issued-month") != "10" || senco.value("#pupil") != pid {
		t.Error("the plan form does not start from the request (pupil, local authority, issue date)")
	}
	senco.typeInto("#caseOfficer", "Dev Patel")
	senco.fill("#placement", "Meadowbank Primary School until July 2027")
	senco.click("#save-plan", http.StatusOK, "ehc-plan")
	senco.wantFlash("EHC plan saved")
	plan := senco.at(ehcPlanPathRE)
	senco.wantText("#plan-summary", la, "Dev Patel", "12 October 2026", "11 October 2027")
	senco.wantText("#plan-summary", "Phase transfer", "15 February 2027")

	senco.openDetails("Add a Section E outcome")
	senco.fill("#outcomeText", outcomeE)
	senco.typeInto("#outcomeBy", "End of Year 7")
	senco.click("#add-outcome", http.StatusOK, "")
	senco.wantFlash("Plan section updated")
	senco.wantText("#outcomes", outcomeE, "End of Year 7")

	// A Section F line delivered by the class teacher: sessions in words first.
	senco.openDetails("Add a Section F provision line")
	senco.fill("#provDescription", provision)
	senco.typeInto("#provSessions", "three")
	senco.typeInto("#provMinutes", "30")
	senco.fill("#provBy", "Teaching assistant trained in the programme")
	senco.choose("#provStaff", senco.optionFor("#provStaff", "Anna Kowalska"))
	senco.click("#add-provision", http.StatusUnprocessableEntity, "ehc-plan-provision-error")
	senco.wantErrors("sessions in words", "Sessions a week must be a whole number from 1 to 50")
	if senco.value("#provDescription") != provision || senco.eval(`String(document.querySelector('#section-f ~ details').open)`) != "true" {
		t.Error("the provision form with an error is closed or lost what was typed")
	}
	senco.typeInto("#provSessions", "3")
	senco.click("#add-provision", http.StatusOK, "")
	senco.wantFlash("Plan section updated")
	senco.wantText("#provision", provision, "3 × 30 minutes a week", "Anna Kowalska")

	// The SENCO records Friday's session.
	senco.choose("#provision-line", senco.optionFor("#provision-line", provision))
	senco.typeDate("sessionDate", day(2026, 11, 20))
	senco.typeInto("#minutes", "30")
	senco.click("#save-delivery", http.StatusOK, "ehc-plan-delivery")
	senco.wantFlash("Delivery recorded")
	senco.wantText("#deliveries", "20 November 2026", "30 minutes by Sarah Ahmed")

	// The class teacher sees the outcome and her line, and records today's session.
	teacher := a.newUser(t, "teacher")
	teacher.signInTo("/pupils/"+pid, a.login(t, sen.RoleTeacher), "")
	teacher.click("a[href='/pupils/"+pid+"/ehc']", http.StatusOK, "ehc-plan-teacher")
	if p := teacher.at(ehcPlanPathRE); p != plan {
		t.Errorf("the teacher's EHC plan link went to %s, want %s", p, plan)
	}
	teacher.wantText("#outcomes", outcomeE)
	teacher.wantText("#provision", provision)
	for _, sel := range []string{"#plan-summary", "#start-review", "#add-provision", "#edit-plan"} {
		if teacher.has(sel) {
			t.Errorf("the teacher is shown %s on the EHC plan", sel)
		}
	}
	if v := teacher.value("#deliveredBy"); v != "Anna Kowalska" {
		t.Errorf("delivered by starts as %q, want the teacher's name", v)
	}
	teacher.typeDate("sessionDate", day(2026, 11, 23))
	teacher.typeInto("#minutes", "25")
	teacher.click("#save-delivery", http.StatusOK, "")
	teacher.wantFlash("Delivery recorded")
	teacher.wantText("#deliveries", "23 November 2026", "25 minutes by Anna Kowalska")

	// The annual review, brought forward by the move to secondary school.
	senco.open(plan, http.StatusOK, "")
	senco.click("#start-review", http.StatusOK, "ehc-review-new")
	senco.wantText("main", "11 October 2027", "7 December 2026")
	senco.click("#create-review", http.StatusOK, "ehc-review")
	senco.wantFlash("Annual review started")
	review := senco.at(reviewPathRE)
	if senco.has("#save-record") || !senco.has("#record-later") {
		t.Error("the meeting record is offered before the meeting has a date")
	}
	// A meeting next week is set, with a warning that it gives too little
	// notice; it then moves.
	senco.typeDate("meeting", day(2026, 12, 1))
	senco.click("#save-meeting", http.StatusOK, "ehc-review-meeting-warning")
	senco.wantText("#meeting-warnings", "The meeting is in 8 days: invitations sent now give less than the 2 weeks' notice")
	senco.typeDate("meeting", day(2027, 1, 14))
	senco.click("#save-meeting", http.StatusOK, "")
	senco.wantFlash("Review updated")
	senco.wantText("h1", "14 January 2027")
	senco.wantMilestone("review-invitations", "31 December 2026")

	invite := func(party, who string) {
		t.Helper()
		senco.choose("#party", party)
		senco.typeInto("#inviteeName", who)
		senco.click("#add-invitee", http.StatusOK, "")
		senco.wantFlash("Review updated")
	}
	step := func(who, step string, d, m, y int) {
		t.Helper()
		senco.choose("#invitee", senco.optionFor("#invitee", who))
		senco.choose("#step", step)
		senco.typeDate("stepDate", day(y, time.Month(m), d))
		senco.click("#save-step", http.StatusOK, "")
		senco.wantFlash("Review updated")
	}
	invite("parent", "Mrs "+pupil.Surname)
	invite("la", "Dev Patel, "+la)
	step("Mrs "+pupil.Surname, "invited", 23, 11, 2026)
	step("Dev Patel", "invited", 23, 11, 2026)
	step("Dev Patel", "advice-requested", 23, 11, 2026)
	senco.wantText("#invitee-table", "Mrs "+pupil.Surname, "Dev Patel", "23 November 2026")
	if a.shots != "" {
		senco.screenshot("ehc-review-invited")
	}

	// Thursday 14 January 2027: the meeting.
	a.setToday(2027, 1, 14)
	senco.signInTo(review, sencoEmail, "")
	step("Dev Patel", "advice-received", 23, 12, 2026)
	senco.check("#meetingHeld-yes")
	var attended []string
	senco.evalJSON(`Array.from(document.querySelectorAll('input[name=attended]'), e => e.id)`, &attended)
	if len(attended) != 2 {
		t.Errorf("the meeting record offers %d invitees as attending, want 2", len(attended))
	}
	for _, id := range attended {
		senco.check("#" + id)
	}
	senco.fill("#pupilViews", views)
	senco.fill("#parentViews", "His mother is pleased with the literacy group.")
	oid := senco.eval(`document.querySelector('input[name=outcomeId]').value`)
	senco.choose("#rating-"+oid, "on-track")
	senco.fill("#note-"+oid, "Finishes short written tasks with one prompt most days.")
	senco.fill("#amendments", "Name the secondary school in Section I; keep the literacy group.")
	senco.click("#save-record", http.StatusOK, "ehc-review-held")
	senco.wantFlash("Review updated")
	senco.wantText("main dl", "Meeting held")
	senco.wantMilestone("review-report", "28 January 2027")
	report := pdfText(t, "annual review report PDF", senco.fetch(senco.eval(`document.getElementById('report-pdf').getAttribute('href')`)))
	for _, want := range []string{name, "14 January 2027", views, "On track", "Page 1 of"} {
		if !strings.Contains(strings.Join(strings.Fields(report), " "), want) {
			t.Errorf("review report PDF lacks %q:\n%s", want, report)
		}
	}

	// The statutory calendar has the report due to the local authority;
	// the outbox holds any digests composed.
	senco.click("header a[href='/calendar']", http.StatusOK, "calendar")
	senco.wantText("main", name)
	senco.click(".govuk-service-navigation a[href='/outbox']", http.StatusOK, "outbox")
	senco.wantText("h1", "Outbox")
	// Term dates decide the school days Section F provision is expected on:
	// an incomplete holiday is refused with the field named, then added.
	senco.click(".app-subnav a[href='/term-dates']", http.StatusOK, "term-dates")
	senco.wantText("#holidays-table", "Christmas holiday")
	senco.typeInto("#label", "Training day")
	senco.click("#add-holiday", http.StatusUnprocessableEntity, "term-dates-error")
	if errs := strings.Join(senco.errorSummary(), " | "); !strings.Contains(errs, "Enter the first day") {
		t.Errorf("term dates error summary: %q", errs)
	}
	senco.typeDate("starts", time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC))
	senco.typeDate("ends", time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC))
	senco.click("#add-holiday", http.StatusOK, "term-dates-added")
	senco.wantFlash("Holiday added")
	senco.wantText("#holidays-table", "Training day", "6 January 2027")
	// The plan ends (the pupil moves to another local authority): the form
	// names what is missing, then the plan becomes a read-only record.
	senco.open(plan, http.StatusOK, "")
	senco.click("#end-plan", http.StatusOK, "ehc-plan-end")
	senco.click("#save-end", http.StatusUnprocessableEntity, "ehc-plan-end-error")
	if errs := strings.Join(senco.errorSummary(), " | "); !strings.Contains(errs, "Select why the plan ended") {
		t.Errorf("end plan error summary: %q", errs)
	}
	senco.check("#reason-5")
	senco.fill("#details", "Family moved to Northshire; plan transferred")
	senco.click("#save-end", http.StatusOK, "ehc-plan-ended")
	senco.wantFlash("Plan ended and the SEN register updated")
	senco.wantText("#plan-ended", "This plan ended on", "Transferred to another local authority in England")
	// Reflow (WCAG 1.4.10) of the main EHC pages at 320 CSS pixels (once:
	// the layout does not depend on the engine).
	if a.shots != "" {
		senco.reflow([]string{"/ehc", plan, review, "/calendar"})
	}
}
