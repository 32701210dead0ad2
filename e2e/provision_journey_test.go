package e2e

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestProvisionJourney follows the provision map (issue 13) in a real
// browser on each engine: the SENCO adds a provision to the library (an
// error first), starts a group from it run by the Year 6 TA with a slot
// today, enrols two pupils and sets the TA hourly cost; the TA finds the
// session under "My sessions today", marks the register in one form (one
// pupil absent) and records entry and exit scores, and is refused the staff
// costs page. Every page passes checkPage (axe-core, CSP, script errors).
func TestProvisionJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "provision-"
			provisionJourney(t, a)
		})
	}
}

func provisionJourney(t *testing.T, a *app) {
	// The most recent school day, so the group's slot is today.
	today := a.st.Today()
	for today.Weekday() == time.Saturday || today.Weekday() == time.Sunday {
		today = today.AddDate(0, 0, -1)
	}
	a.setToday(today.Year(), today.Month(), today.Day())
	tas := a.demo.Users[sen.RoleTA]
	taUser := tas[len(tas)-1] // the Year 6 TA, the printed login
	var pupils []sen.Pupil
	for _, p := range a.roll(t) {
		if p.YearGroup == "6" && len(pupils) < 2 {
			pupils = append(pupils, p)
		}
	}
	if len(pupils) < 2 {
		t.Fatalf("the demo school has %d Year 6 pupils", len(pupils))
	}

	senco := a.newUser(t, "SENCO")
	senco.signInTo("/provision", a.login(t, sen.RoleSENCO), "library")
	senco.wantText("#library", "Lego-based therapy", "Sensory circuits")
	senco.open("/provision?area=SP", http.StatusOK, "library-filtered")
	if strings.Contains(senco.text("#library"), "Talk Boost") {
		t.Error("the library filtered by sensory and physical lists Talk Boost")
	}
	senco.open("/provision", http.StatusOK, "")
	senco.click("#add-provision", http.StatusOK, "provision-form")
	senco.click("#save-provision", http.StatusUnprocessableEntity, "provision-form-errors")
	senco.wantErrors("empty provision", "Enter the name of the provision", "Select at least one area of need", "Select the scale progress is measured on")
	senco.typeInto("#name", "Word Wasp spelling")
	senco.check("#areas-CL")
	senco.typeInto("#sessionMinutes", "20")
	senco.typeInto("#sessionsPerWeek", "3")
	senco.typeInto("#weeks", "8")
	senco.typeInto("#groupSize", "3")
	senco.typeInto("#resourceCost", "0.30")
	senco.typeInto("#measure", "Single Word Spelling Test")
	senco.choose("#scale", "spelling-age")
	senco.click("#save-provision", http.StatusOK, "provision")
	senco.wantFlash("Provision saved in the school's library")
	senco.wantText("#provision-details", "Cognition and learning", "20 minutes a session, 3 sessions a week, for 8 weeks", "Spelling age")

	// Start a group: the TA, today, 10:30 in the library.
	senco.click("#start-group", http.StatusOK, "group-form")
	if v := senco.value("#slot1Minutes"); v != "20" {
		t.Errorf("the new group's first session is %q minutes, want the provision's 20", v)
	}
	senco.typeInto("#name", "Year 6 spelling group")
	senco.check(fmt.Sprintf("input[name=staff][value='%d']", taUser.ID))
	senco.choose("#slot1Day", strconv.Itoa(int(today.Weekday())))
	senco.typeInto("#slot1Start", "10:30")
	senco.typeInto("#slot1Place", "Library")
	senco.click("#save-group", http.StatusOK, "group")
	senco.wantFlash("Group started: add its pupils")
	group := strings.SplitN(senco.path(), "#", 2)[0]
	for i, p := range pupils {
		shot := ""
		if i == 0 {
			shot = "enrol"
		}
		senco.click("#enrol-pupil", http.StatusOK, shot)
		senco.choose("#pupil", strconv.FormatInt(p.ID, 10))
		senco.click("#save-enrol", http.StatusOK, "")
		senco.wantFlash("Pupil added to the group")
	}
	senco.wantText("#members", pupils[0].FullName(), pupils[1].FullName())
	senco.click("#edit-group", http.StatusOK, "group-edit")
	senco.click("#save-group", http.StatusOK, "")
	senco.wantFlash("Group saved")
	senco.click("#members a[href*='/members/']", http.StatusOK, "member-dates")
	senco.click("#save-member", http.StatusOK, "")
	senco.wantFlash("Dates saved")
	senco.open("/provision-groups", http.StatusOK, "groups")
	senco.wantText("#groups", "Year 6 spelling group", "Morning sensory circuits")
	senco.open("/provision/costs", http.StatusOK, "costs")
	senco.wantText("#rates", "Teaching assistant (role)")

	// The TA: today's session from the home page, marked in one form.
	ta := a.newUser(t, "TA")
	ta.signInTo("/", a.login(t, sen.RoleTA), "home")
	link := fmt.Sprintf("a[href^='%s/register?date=%s']", group, today.Format(time.DateOnly))
	if !ta.has(link) {
		t.Fatalf("the TA's home page has no link to today's register of %s", group)
	}
	ta.click(link, http.StatusOK, "register")
	ta.wantText("h1", "Session register: "+today.Format("2 January 2006"))
	absent := "p" + strconv.FormatInt(pupils[1].ID, 10)
	ta.check("#" + absent + "-absent")
	ta.typeInto("#"+absent+"-minutes", "")
	ta.click("#save-register", http.StatusUnprocessableEntity, "register-errors")
	ta.wantErrors("absent without a reason", "Select why the pupil missed the session")
	ta.choose("#"+absent+"-reason", "other-lesson")
	ta.typeInto("#note", "Practised the -tion words.")
	ta.click("#save-register", http.StatusOK, "group-ta")
	ta.wantFlash("Session recorded")
	ta.wantText("#session-list", "Yes, 20 minutes", "1 of 2")
	if strings.Contains(ta.text("main"), "£") {
		t.Error("the TA sees a cost on the group page")
	}

	// Entry and exit scores.
	ta.click("#record-scores", http.StatusOK, "scores")
	var entries []string
	ta.evalJSON(`Array.from(document.querySelectorAll("input[name$='-entry']"), e => e.id)`, &entries)
	for i, id := range entries {
		ta.typeInto("#"+id, "8y 3m")
		ta.typeInto("#"+strings.TrimSuffix(id, "-entry")+"-exit", []string{"8y 11m", "8y 3m"}[i%2])
	}
	ta.click("#save-scores", http.StatusOK, "group-progress")
	ta.wantFlash("Scores saved")
	ta.wantText("#members", "+8 months", "Improved", "No change")
	ta.open("/provision/costs", http.StatusForbidden, "")

	// The SENCO sees the cost of the session and the pupil's provision.
	senco.open(group, http.StatusOK, "")
	senco.wantText("#group-cost", "£")
	senco.open("/pupils/"+strconv.FormatInt(pupils[0].ID, 10)+"/provision", http.StatusOK, "pupil-provision")
	senco.wantText("#pupil-provision", "Word Wasp spelling", "1 of 1 session", "+8 months")
}
