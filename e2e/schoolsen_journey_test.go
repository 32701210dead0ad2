package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestSchoolSENJourney: the SENCO looks over the school's own SEN duties
// (training, the SENCO qualification, the policy, the accessibility plan, a
// pupil's reasonable adjustments), rewrites a section of the SEN
// information report (an error first), publishes it, and a parent with no
// account reads the public page and its PDF. Every page passes checkPage
// (axe-core at WCAG 2.2 AA, CSP, script errors).
func TestSchoolSENJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "schoolsen-"
			schoolSENJourney(t, a)
		})
	}
}

func schoolSENJourney(t *testing.T, a *app) {
	senco := a.newUser(t, "SENCO")
	senco.signInTo("/sen-information-report", a.login(t, sen.RoleSENCO), "")
	senco.wantText("#report-status", "Published")
	// Take the demo's report down to write and publish it again.
	senco.click("#unpublish", http.StatusOK, "report-unpublished")
	senco.wantText("#report-status", "Not published")

	parent := a.newUser(t, "parent")
	parent.open("/schools/142001/sen-information-report", http.StatusNotFound, "")

	// Every page of the duties, as the SENCO sees it.
	for _, p := range []string{"/staff-training", "/staff-training/sessions/new", "/staff-training/skills/new", "/my-training", "/senco-qualification",
		"/senco-qualification/new", "/sen-policy", "/sen-information-report/details", "/accessibility-plan", "/accessibility-plan/actions/new"} {
		senco.open(p, http.StatusOK, strings.ReplaceAll(strings.Trim(p, "/"), "/", "-"))
	}
	senco.open("/senco-qualification", http.StatusOK, "")
	senco.wantText("main", "Must hold the qualification by", "NPQ")
	var pupil sen.Pupil
	for _, p := range a.roll(t) {
		for _, n := range p.Needs {
			if n.Code == "HI" || n.Code == "VI" || n.Code == "PD" {
				pupil = p
			}
		}
	}
	if pupil.ID != 0 {
		id := strconv.FormatInt(pupil.ID, 10)
		senco.open("/pupils/"+id+"/adjustments", http.StatusOK, "adjustments")
		senco.open("/pupils/"+id+"/adjustments/new", http.StatusOK, "adjustment-new")
	}

	// Rewrite item 2 in the SENCO's words: an empty heading first.
	senco.open("/sen-information-report/sections/2", http.StatusOK, "section")
	senco.typeInto("#heading", " ")
	senco.click("#save-section", http.StatusUnprocessableEntity, "section-error")
	senco.wantErrors("empty heading", "Enter the heading of the section")
	senco.typeInto("#heading", "How we find out that a child needs extra help")
	senco.fill("#text", "Teachers check how every child learns. If a child finds something hard, we talk with you first. Then we make a plan together.")
	senco.click("#save-section", http.StatusOK, "")
	senco.wantText("#item-2", "How we find out that a child needs extra help", "we talk with you first")
	senco.wantText("#readability", "Reading ease")
	senco.click("#publish", http.StatusOK, "report-published")
	senco.wantText("#report-status", "Published")
	senco.wantText("#public-link", "/schools/142001/sen-information-report")

	// The parent, signed out, reads it.
	parent.open("/schools/142001/sen-information-report", http.StatusOK, "public")
	parent.wantText("main", "SEN information report", "How we find out that a child needs extra help", "we talk with you first", "Our SENCO is")
	if strings.Contains(parent.text("main"), pupil.Surname+",") || (pupil.UPN != "" && strings.Contains(parent.text("main"), pupil.UPN)) {
		t.Error("the public page shows a pupil")
	}
	txt := pdfText(t, "public report PDF", parent.fetch("/schools/142001/sen-information-report/pdf"))
	if !strings.Contains(txt, "SEN information report") || !strings.Contains(txt, "How we find out that a child needs extra") {
		t.Errorf("the PDF lacks the report: %.300s", txt)
	}
}
