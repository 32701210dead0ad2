package e2e

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestPlansJourney walks one pupil through the graduated approach (issue 4)
// in a real browser on each engine: a teacher's concern, the SENCO's
// decision to place the pupil on SEN support, the first support plan
// written and made active, the teacher's do-log, the review that locks the
// cycle and opens the next, and the pupil passport on screen, on paper and
// as a PDF. Every page, error states included, passes checkPage (axe-core at
// WCAG 2.2 AA, CSP, script errors). Time moves on between the steps as it
// would in a school, so sessions end and people sign in again.
func TestPlansJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "plans-"
			plansJourney(t, a)
		})
	}
}

// day is a date at midnight UTC, as the store keeps dates.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// pick returns the first pupil on the seeded roll (as stored now) in class
// who passes ok, as the SENCO sees them.
func (a *app) pick(t *testing.T, what, class string, ok func(sen.Pupil) bool) sen.Pupil {
	t.Helper()
	for _, p := range a.roll(t) {
		if p.ClassName == class && ok(p) {
			return p
		}
	}
	t.Fatalf("the demo school has no pupil in %s who is %s", class, what)
	return sen.Pupil{}
}

func (a *app) senco() sen.Actor {
	return sen.Actor{User: a.demo.Users[sen.RoleSENCO][0], IP: "127.0.0.1"}
}

// wantErrors checks the error summary holds exactly these messages, in order.
func (u *user) wantErrors(what string, want ...string) {
	u.t.Helper()
	if got := u.errorSummary(); !slices.Equal(got, want) {
		u.t.Errorf("%s: %s: error summary %q, want %q", u.who, what, got, want)
	}
}

// value is a form field's current value.
func (u *user) value(sel string) string {
	u.t.Helper()
	return u.eval(fmt.Sprintf(`(e => e ? e.value : 'no element %s')(document.querySelector(%q))`, sel, sel))
}

var planPathRE = regexp.MustCompile(`^/plans/(\d+)$`)

// cyclePath checks the user is on a plan page and returns its path.
func (u *user) cyclePath() string {
	u.t.Helper()
	p := strings.SplitN(u.path(), "#", 2)[0]
	if !planPathRE.MatchString(p) {
		u.t.Fatalf("%s: at %s, want a support plan page /plans/{id}", u.who, p)
	}
	return p
}

func plansJourney(t *testing.T, a *app) {
	ctx := context.Background()
	// A pupil in the demo teacher's class (6A) with no SEN and no concern yet.
	pupil := a.pick(t, "not on the SEN register and without a concern", "6A", func(p sen.Pupil) bool {
		cs, err := a.st.PupilConcerns(ctx, a.senco(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Status == sen.StatusNone && len(cs) == 0
	})
	pid := strconv.FormatInt(pupil.ID, 10)
	name := pupil.FullName()
	const (
		noticed  = "Since October she often misses spoken instructions and waits to copy others before starting a task."
		outcome  = "She will follow a two-step instruction in class without a reminder."
		criteria = "4 times out of 5 in a week of lessons, checked by the class teacher."
		baseline = "Follows one-step instructions; needs a reminder for the second step."
		logDid   = "Gave instructions one step at a time with a picture card for each step."
		about    = "I like drawing dragons and playing football at break."
		helps    = "Short instructions, one at a time, with a picture to remind me."
	)

	// Monday 23 November 2026: the class teacher raises a concern.
	teacher := a.newUser(t, "teacher")
	teacherEmail := a.login(t, sen.RoleTeacher)
	teacher.signInTo("/pupils/"+pid, teacherEmail, "")
	teacher.click("a[href='/pupils/"+pid+"/concerns/new']", http.StatusOK, "concern-form")
	teacher.wantText("h1", "Raise a concern")
	if teacher.has("#onBehalfOf") {
		t.Error("a teacher is offered recording a concern for a parent (the SENCO's job)")
	}
	// First without an area of need.
	teacher.fill("#noticed", noticed)
	teacher.click("#raise-concern", http.StatusUnprocessableEntity, "concern-form-errors")
	teacher.wantErrors("concern without an area", "Select at least one broad area of need the concern suggests")
	if v := teacher.value("#noticed"); v != noticed {
		t.Errorf("concern with an error lost what was noticed: %q", v)
	}
	teacher.check("#areas") // communication and interaction
	teacher.fill("#tried", "Seated her near the front; repeating instructions helps for a while.")
	teacher.click("#raise-concern", http.StatusOK, "")
	teacher.wantFlash("Concern sent to the SENCO")
	if p := teacher.path(); p != "/pupils/"+pid {
		t.Errorf("after raising a concern at %s, want the pupil page", p)
	}

	// The SENCO triages it: SEN support, with the parents told.
	senco := a.newUser(t, "SENCO")
	sencoEmail := a.login(t, sen.RoleSENCO)
	senco.signInTo("/concerns", sencoEmail, "concerns")
	href := senco.eval(fmt.Sprintf(`(Array.from(document.querySelectorAll('#concern-queue tbody a')).find(a => a.innerText.includes(%q)) || {getAttribute: () => ''}).getAttribute('href')`, name))
	if !strings.HasPrefix(href, "/concerns/") {
		t.Fatalf("the triage queue has no concern about %s", name)
	}
	senco.wantText("#concern-queue", name, "Anna Kowalska", "Communication and interaction")
	senco.click("#concern-queue a[href='"+href+"']", http.StatusOK, "concern")
	senco.wantText("main", noticed, "Anna Kowalska")
	// The questions for SEN support are revealed when it is chosen.
	visible := func(sel string) bool {
		return senco.eval(fmt.Sprintf(`String(document.querySelector(%q).getClientRects().length > 0)`, sel)) == "true"
	}
	if visible("#planStart") || visible("#monitorReview") {
		t.Error("the decision form shows the follow-up questions before a decision is chosen")
	}
	senco.check("#decision-support")
	if !visible("#planStart") || !visible("#primaryNeed") || visible("#monitorReview") {
		t.Error("choosing SEN support does not reveal its questions (and only those)")
	}
	senco.fill("#reason", "Class strategies for six weeks have not closed the gap; she needs a plan.")
	senco.choose("#primaryNeed", "SLCN")
	senco.typeDate("planStart", day(2026, 11, 30))
	senco.typeDate("planReview", day(2027, 3, 1))
	// The parents were told today (the default date), but not how.
	if got := senco.value("#informedOn") + "/" + senco.value("#informedOn-month") + "/" + senco.value("#informedOn-year"); got != "23/11/2026" {
		t.Errorf("date parents were told starts as %q, want today", got)
	}
	senco.click("#record-decision", http.StatusUnprocessableEntity, "concern-decision-errors")
	senco.wantErrors("decision without how parents were told", "Select how parents were told")
	if senco.eval(`String(document.getElementById('decision-support').checked)`) != "true" || senco.value("#primaryNeed") != "SLCN" || senco.value("#planStart-month") != "11" {
		t.Error("the decision form with an error lost the choices made")
	}
	senco.choose("#informedHow", "Meeting")
	senco.click("#record-decision", http.StatusOK, "plan-draft")
	senco.wantFlash("Decision recorded")
	cycle1 := senco.cyclePath()
	senco.wantText("h1", "SEN support plan: cycle 1", "Draft")
	senco.wantText(".app-plan-dates", "30 November 2026", "1 March 2027", "SEN support", "SLCN")

	// Write the plan: needs, the pupil's voice, an outcome, a strategy from
	// the bank, support; then make it active.
	senco.click("#edit-plan", http.StatusOK, "plan-edit")
	senco.fill("#needsSummary", "She finds it hard to remember instructions with more than one step. Her speech and language are assessed as below her age.")
	senco.fill("#pupilImportant", "My friends and my drawing.")
	senco.fill("#pupilHelps", helps)
	senco.fill("#pupilNotHelp", "Long lists of things to do.")
	senco.fill("#pupilStrengths", "I am kind and I draw well.")
	senco.fill("#parentViews", "Her parents see the same at home and want to help with the picture cards.")
	senco.click("#save-plan", http.StatusOK, "")
	senco.wantFlash("Plan saved")
	senco.wantText("#voice + dl", helps)
	senco.click("#add-outcome", http.StatusOK, "plan-outcome")
	senco.fill("#outcome-1", outcome)
	senco.fill("#successCriteria-1", criteria)
	senco.fill("#baseline-1", baseline)
	senco.typeDate("targetDate-1", day(2026, 11, 27)) // before the plan starts
	senco.click("#save-outcome", http.StatusUnprocessableEntity, "plan-outcome-errors")
	senco.wantErrors("target date before the plan start", "Outcome 1: The target date must be after the plan start date (30 November 2026)")
	if v := senco.value("#baseline-1"); v != baseline {
		t.Errorf("outcome form with an error lost the baseline: %q", v)
	}
	senco.typeDate("targetDate-1", day(2027, 2, 26))
	// "Add another" (no JavaScript needed): one more row, what was typed kept.
	senco.click("#add-another-outcome", http.StatusOK, "plan-outcome-more")
	if n := senco.eval(`String(document.querySelectorAll('[id^=outcome-row-]').length)`); n != "4" || senco.value("#outcome-1") != outcome || senco.value("#targetDate-1-month") != "2" {
		t.Errorf("add another outcome: %s rows, row 1 %q", n, senco.value("#outcome-1"))
	}
	senco.click("#save-outcome", http.StatusOK, "")
	senco.wantFlash("Outcome added")
	senco.wantText("#outcomes-table", outcome, criteria, baseline, "26 February 2027")

	senco.click("#add-strategies", http.StatusOK, "plan-strategies")
	// The bank starts with strategies for her primary need.
	if v := senco.value("#need"); v != "SLCN" {
		t.Errorf("strategies bank starts filtered to %q, want the primary need SLCN", v)
	}
	strategy := senco.text("#bank tbody tr:first-child td:first-child strong")
	second := senco.text("#bank tbody tr:nth-child(2) td:first-child strong")
	if strategy == "" || second == "" {
		t.Fatal("the strategies bank has fewer than two strategies for SLCN")
	}
	// Several at once: two from the bank and one of her own.
	senco.check("#bank tbody tr:first-child input[type=checkbox]")
	senco.check("#bank tbody tr:nth-child(2) input[type=checkbox]")
	senco.fill("#strategyText-1", "Check she has understood by asking her what she will do first.")
	senco.click("#save-strategy-next", http.StatusOK, "plan-support")
	senco.wantFlash("Strategy added")
	if got := senco.value("#supportStart-1") + "/" + senco.value("#supportStart-1-month"); got != "30/11" {
		t.Errorf("support starts by default on %q, want the plan start (30/11)", got)
	}
	senco.fill("#what-1", "Small-group language programme")
	senco.fill("#who-1", "Mrs Shah (teaching assistant)")
	senco.typeInto("#frequency-1", "3 times a week")
	senco.fill("#duration-1", "20 minutes a session for 12 weeks")
	senco.fill("#what-2", "Picture cards for each step")
	senco.fill("#who-2", "Class teacher")
	senco.fill("#frequency-2", "Every lesson")
	senco.fill("#duration-2", "Until the review")
	senco.click("#save-support", http.StatusOK, "")
	senco.wantFlash("Support added")
	senco.wantText("#strategies-list", strategy, second, "what she will do first")
	senco.wantText("#support-table", "Small-group language programme", "Mrs Shah", "30 November 2026", "Picture cards for each step")

	senco.click("#activate-plan", http.StatusOK, "plan-active")
	senco.wantFlash("The plan is now active")
	senco.wantText("h1", "cycle 1", "Active")
	if senco.has("#activate-plan") || !senco.has("#record-review") {
		t.Error("an active plan still offers activation, or does not offer the review")
	}

	// A change to the active plan is kept as an amendment: edit the
	// outcome's baseline, then remove a support line after confirming.
	senco.click("#outcomes-table a[id^=edit-outcome-]", http.StatusOK, "plan-item-edit")
	senco.wantText("#amended-note", "amendment")
	senco.fill("#baseline", "")
	senco.click("#save-item", http.StatusUnprocessableEntity, "plan-item-edit-errors")
	senco.wantErrors("outcome without a baseline", "Enter the baseline: where the pupil is now")
	senco.fill("#baseline", baseline+" Checked in two lessons.")
	senco.click("#save-item", http.StatusOK, "")
	senco.wantFlash("Change saved")
	senco.wantText("#outcomes-table", "Checked in two lessons.")
	senco.wantText("#amendments-table", "Outcome changed", baseline, "Sarah Ahmed")
	senco.click("#support-table tbody tr:nth-child(2) a[id^=remove-support-]", http.StatusOK, "plan-item-remove")
	senco.wantText("h1", "Are you sure you want to remove this support?")
	senco.wantText("#item-to-remove", "Picture cards for each step")
	senco.click("#cancel-remove", http.StatusOK, "")
	senco.wantText("#support-table", "Picture cards for each step")
	senco.click("#support-table tbody tr:nth-child(2) a[id^=remove-support-]", http.StatusOK, "")
	senco.click("#confirm-remove", http.StatusOK, "")
	senco.wantFlash("Removed from the plan")
	if strings.Contains(senco.text("#support-table"), "Picture cards") {
		t.Error("the removed support line is still in the plan")
	}
	senco.wantText("#amendments-table", "Support removed", "Picture cards for each step")

	// Monday 14 December 2026: the teacher, signed in again, sees the plan
	// on "My pupils with SEN" and logs what she did.
	a.setToday(2026, 12, 14)
	teacher.signInTo("/my-pupils", teacherEmail, "my-pupils")
	sec := "#pupil-" + pid
	teacher.wantText(sec, name, outcome, strategy)
	teacher.wantText("#my-pupils", name, "SEN support")
	teacher.click(sec+" a[href='/pupils/"+pid+"/plan']", http.StatusOK, "teacher-plan")
	if p := teacher.cyclePath(); p != cycle1 {
		t.Errorf("the teacher's plan link went to %s, want %s", p, cycle1)
	}
	for _, sel := range []string{"#edit-plan", "#add-outcome", "#record-review", "#readability"} {
		if teacher.has(sel) {
			t.Errorf("the teacher is shown %s on the plan", sel)
		}
	}
	// A log entry without the outcome, then with it.
	teacher.fill("#logDid", logDid)
	teacher.fill("#logResponse", "Started straight away on 3 of 4 tasks.")
	teacher.click("#save-log", http.StatusUnprocessableEntity, "teacher-log-errors")
	teacher.wantErrors("log without an outcome", "Select the outcome you worked on")
	oid := teacher.eval(`(Array.from(document.querySelectorAll('#logOutcome option')).find(o => o.value) || {value: ''}).value`)
	teacher.choose("#logOutcome", oid)
	teacher.click("#save-log", http.StatusOK, "")
	teacher.wantFlash("Log entry saved")
	teacher.wantText("#log-table", "14 December 2026", logDid, "Anna Kowalska")

	// Monday 1 March 2027: the SENCO records the review meeting.
	a.setToday(2027, 3, 1)
	senco.signInTo("/senco", sencoEmail, "senco-dashboard")
	senco.wantText("#due + *", name)
	senco.open(cycle1, http.StatusOK, "")
	senco.click("#record-review", http.StatusOK, "plan-review")
	senco.typeInto("#parents", "Mr and Mrs "+pupil.Surname)
	senco.fill("#staff", "Anna Kowalska (class teacher), Sarah Ahmed (SENCO)")
	senco.fill("#nextSteps", "Keep the picture cards; move to three-step instructions.")
	rating := "rating-" + oid
	senco.click("#complete-review", http.StatusUnprocessableEntity, "plan-review-errors")
	senco.wantErrors("review without a rating", "Select how far this outcome was achieved: "+outcome[:57]+"…")
	senco.check("#" + rating + "-partly")
	senco.fill("#evidence-"+oid, "3 times out of 5 by February.")
	senco.check("#carry-" + oid)
	senco.click("#complete-review", http.StatusOK, "plan-cycle-2")
	senco.wantFlash("Review recorded. The cycle is locked and the next cycle has been opened as a draft")
	cycle2 := senco.cyclePath()
	if cycle2 == cycle1 {
		t.Fatal("completing the review stayed on cycle 1")
	}
	senco.wantText("h1", "cycle 2", "Draft")
	senco.wantText("#outcomes-table", outcome, "(carried forward)")
	senco.wantText("#plan-actions", "Cycle 1", "Reviewed")
	if !senco.has("#edit-plan") || !senco.has("#activate-plan") {
		t.Error("cycle 2 is not open for editing")
	}
	// Cycle 1 is now a locked record.
	senco.open(cycle1, http.StatusOK, "plan-cycle-1-locked")
	senco.wantText("h1", "cycle 1", "Reviewed (locked)")
	senco.wantText("#outcomes-table", "Partly achieved", "3 times out of 5")
	senco.wantText("#review-record + dl", "1 March 2027", "Keep the picture cards")
	for _, sel := range []string{"#edit-plan", "#add-outcome", "#activate-plan", "#record-review", "#save-log"} {
		if senco.has(sel) {
			t.Errorf("the locked cycle 1 still offers %s", sel)
		}
	}
	if !senco.has("#amend-plan") || !senco.has("#review-pdf") {
		t.Error("the locked cycle 1 does not offer an amendment and the review record PDF")
	}
	senco.open(cycle1+"/edit", http.StatusOK, "")
	if p := senco.path(); p != cycle1+"/amend" {
		t.Errorf("editing locked cycle 1 went to %s, want the amendment form", p)
	}

	// The passport: written from the plan, edited, printed and downloaded.
	senco.open("/pupils/"+pid+"/passport", http.StatusOK, "")
	senco.wantText("#passport", "No passport has been written yet")
	senco.click("#edit-passport", http.StatusOK, "passport-edit")
	senco.wantText(".govuk-inset-text", "generated from the current support plan")
	if v := senco.value("#helps"); !strings.Contains(v, "Short instructions") {
		t.Errorf("passport drafted from the plan has What helps me %q, want the pupil's words from the plan", v)
	}
	senco.fill("#aboutMe", about)
	senco.fill("#helps", helps+"\nSit near the front.")
	senco.click("#save-passport", http.StatusOK, "passport")
	senco.wantFlash("Passport saved")
	senco.wantText("#passport", name+"'s passport", about, "Sit near the front", "Meadowbank Primary School")
	pdfHref := senco.eval(`document.getElementById('passport-pdf').getAttribute('href')`)
	text := pdfText(t, "passport PDF", senco.fetch(pdfHref))
	for _, want := range []string{name, "About me", "Sit near the front", "Page 1 of 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("passport PDF text lacks %q:\n%s", want, text)
		}
	}
	// On paper: the passport only, without the service's navigation.
	senco.media("print")
	var shown struct{ Header, Links, Passport bool }
	senco.evalJSON(`(v => ({header: v('.govuk-header'), links: v('#passport-pdf'), passport: v('#passport')}))(s => { const e = document.querySelector(s); return !!e && e.getClientRects().length > 0; })`, &shown)
	if shown.Header || shown.Links || !shown.Passport {
		t.Errorf("printing the passport: header shown %v, links shown %v, passport shown %v; want the passport alone", shown.Header, shown.Links, shown.Passport)
	}
	if a.shots != "" {
		senco.screenshot("passport-print")
	}
	senco.media("")
	// Reflow (WCAG 1.4.10) of the main plan pages at 320 CSS pixels; the
	// layout does not depend on the engine, so once is enough.
	if a.shots != "" {
		senco.reflow([]string{"/concerns", "/senco", cycle1, cycle2, cycle2 + "/edit", "/pupils/" + pid + "/passport"})
	}

	// The teacher finds the passport on "My pupils with SEN".
	teacher.signInTo("/my-pupils", teacherEmail, "")
	teacher.check(sec + " summary")
	teacher.wantText(sec+" details", "What helps", "Sit near the front")
	teacher.click(sec+" a[href='/pupils/"+pid+"/passport']", http.StatusOK, "teacher-passport")
	teacher.wantText("#passport", about)
	if teacher.has("#edit-passport") {
		t.Error("the teacher is offered editing the passport")
	}
}
