package e2e

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestPeopleJourney follows the people around one pupil (issue 14) in a
// real browser: the SENCO adds a contact with a restriction (first without
// saying what it is), sees the warning on the family page and the contact
// log form, logs a meeting with a follow-up, makes a referral to a service
// of the directory, records the parents' consent and moves it from draft to
// seen; then the school's referrals, follow-ups, agencies and import pages,
// and a teacher's view of the family without addresses. Every page, error
// states included, passes checkPage (axe-core at WCAG 2.2 AA).
func TestPeopleJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "people-"
			peopleJourney(t, a)
		})
	}
}

var referralPathRE = regexp.MustCompile(`^/referrals/\d+$`)

func peopleJourney(t *testing.T, a *app) {
	var pupil sen.Pupil
	for _, p := range a.roll(t) {
		if p.ClassName == "6A" && p.Status == sen.StatusSupport {
			pupil = p
			break
		}
	}
	if pupil.ID == 0 {
		for _, p := range a.roll(t) {
			if p.ClassName == "6A" {
				pupil = p
				break
			}
		}
	}
	if pupil.ID == 0 {
		t.Fatal("the demo school has no pupil in 6A")
	}
	pid := strconv.FormatInt(pupil.ID, 10)
	today := a.st.Today()
	const restriction = "Court order: no contact with the pupil at school"

	senco := a.newUser(t, "SENCO")
	senco.signInTo("/pupils/"+pid+"/family", a.login(t, sen.RoleSENCO), "family")
	senco.wantText("h1", "Family and contacts")

	// A contact with a restriction, first without its text.
	senco.click("a[href='/pupils/"+pid+"/contacts/new']", http.StatusOK, "contact-new")
	senco.typeInto("#name", "Jordan Blake")
	senco.choose("#relationship", "father")
	senco.check("#parentalResp")
	senco.check("#restricted")
	senco.click("#save-contact", http.StatusUnprocessableEntity, "contact-error")
	senco.wantErrors("a restriction without its text", "Describe the restriction, for example what a court order says about contact")
	senco.fill("#restriction", restriction)
	senco.click("#save-contact", http.StatusOK, "")
	senco.wantFlash("Contact added")
	senco.wantText("main", "Restriction on contact with Jordan Blake (Father): "+restriction)

	// Log a meeting with the first contact, with a follow-up.
	senco.click("a[href='/pupils/"+pid+"/contact-log/new']", http.StatusOK, "log-new")
	senco.wantText("main", "Restriction on contact with Jordan Blake")
	senco.choose("#kind", "meeting")
	senco.choose("#contact", senco.optionFor("#contact", "Mother"))
	senco.fill("#summary", "Met to talk about reading at home; agreed a reading diary.")
	senco.typeInto("#followUp", "Send the reading diary home")
	senco.typeDate("followUpDue", today.AddDate(0, 0, 2))
	senco.click("#save-log", http.StatusOK, "")
	senco.wantFlash("Contact logged")
	senco.wantText("#contact-log", "Meeting", "Send the reading diary home")

	// A referral: drafted, consent recorded, sent, accepted, seen.
	senco.open("/agencies", http.StatusOK, "agencies")
	senco.open("/pupils/"+pid+"/referrals", http.StatusOK, "pupil-referrals")
	senco.click("a[href='/pupils/"+pid+"/referrals/new']", http.StatusOK, "referral-new")
	senco.wantText("main", "Restriction on contact with Jordan Blake")
	senco.choose("#agency", senco.optionFor("#agency", "Speech and Language"))
	senco.fill("#reason", "Speech is hard to follow in class; assessment of speech sounds.")
	senco.check("#consent")
	senco.click("#save-referral", http.StatusUnprocessableEntity, "referral-error")
	senco.wantErrors("consent without who or when", "Enter who gave consent", "Enter the date consent was given")
	senco.typeInto("#consentBy", "Mother, signed form")
	senco.typeDate("consentDate", today.AddDate(0, 0, -3))
	senco.click("#save-referral", http.StatusOK, "referral")
	senco.wantFlash("Referral drafted")
	senco.at(referralPathRE)
	for _, to := range []string{"sent", "accepted", "seen"} {
		sel := "#status-" + to
		if !senco.has(sel) {
			sel = "#status"
		}
		senco.check(sel)
		senco.typeDate("date", today)
		senco.click("#move-referral", http.StatusOK, "")
		senco.wantFlash("Referral updated")
	}
	senco.wantText("#referral-status", "Seen")
	senco.wantText("#waiting", "0 weeks until seen")
	senco.wantText("#referral-history", "Drafted", "Sent", "Accepted", "Seen")

	senco.open("/referrals?status=seen", http.StatusOK, "referrals")
	senco.wantText("#referrals", pupil.FullName())
	senco.open("/follow-ups", http.StatusOK, "follow-ups")
	senco.wantText("#follow-ups", "Send the reading diary home")
	senco.open("/agencies/new", http.StatusOK, "agency-new")
	senco.open("/contacts/import", http.StatusOK, "contacts-import")
	senco.open("/pupils/"+pid+"/key-adult", http.StatusOK, "key-adult")

	// The class teacher sees the restriction, not the addresses.
	teacher := a.newUser(t, "Teacher")
	teacher.signInTo("/pupils/"+pid+"/family", a.login(t, sen.RoleTeacher), "family-teacher")
	teacher.wantText("main", "Restriction on contact with Jordan Blake")
	if teacher.has("a[href^='/contacts/']") {
		t.Error("the teacher can change contacts")
	}
	if got := teacher.text("main"); regexp.MustCompile(`RV\d \d`).MatchString(got) {
		t.Error("the teacher sees an address")
	}
}
