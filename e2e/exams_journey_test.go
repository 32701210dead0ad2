package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestExamsJourney walks one exam candidate from the assessor's scores to
// the Form 8 PDF in a real browser on each engine: the candidate's page,
// the assessment form refused and then accepted, the 25% extra time
// criterion, the candidate's details, an exam series with an exam and a
// room, an arrangement, the register with its reminder, the invigilators'
// list and a teacher's statement page. Every page, error states included,
// passes checkPage (axe-core at WCAG 2.2 AA, CSP, script errors).
func TestExamsJourney(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			a.shotPrefix = "exams-"
			examsJourney(t, a)
		})
	}
}

func examsJourney(t *testing.T, a *app) {
	a.setToday(2026, time.November, 23)
	// The demo school is primary: the candidate is a Year 11 pupil added for the journey.
	p := sen.Pupil{UPN: "", Forename: "Kai", Surname: "Mensah", DOB: day(2010, 11, 3), Sex: "M", YearGroup: "11", ClassName: "11A"}
	rest := "886200110777"
	p.UPN = string(sen.UPNCheckLetter(rest)) + rest
	if err := a.st.CreatePupil(context.Background(), a.senco(), &p); err != nil {
		t.Fatal(err)
	}
	pid := strconv.FormatInt(p.ID, 10)
	senco := a.newUser(t, "SENCO")
	senco.signInTo("/pupils/"+pid, a.login(t, sen.RoleSENCO), "")
	senco.click("a[href='/pupils/"+pid+"/exams']", http.StatusOK, "candidate-empty")
	senco.wantText("#criterion-result", "Not met", "No assessor's scores are recorded yet.")

	// The assessor's scores: a mistyped score and a missing area are refused.
	senco.click("#record-scores", http.StatusOK, "assessment")
	senco.typeDate("assessed_on", day(2026, 10, 5))
	senco.typeInto("#assessor", "Dr Jane Moss")
	senco.typeInto("#qualification", "CPT3A (Level 7)")
	senco.typeInto("#checked_by", "Sarah Ahmed")
	senco.typeDate("checked_on", day(2026, 10, 1))
	score := func(n int, test string, area string, value string) {
		k := "scores." + strconv.Itoa(n) + "."
		senco.typeInto(`[id="`+k+`test"]`, test)
		senco.typeInto(`[id="`+k+`on"]`, "5")
		senco.typeInto(`[id="`+k+`on-month"]`, "10")
		senco.typeInto(`[id="`+k+`on-year"]`, "2026")
		if area != "" {
			senco.choose(`[id="`+k+`area"]`, area)
		}
		senco.typeInto(`[id="`+k+`score"]`, value)
	}
	score(1, "DASH 17+ free writing", "writing-speed", "7.8")
	score(2, "TOWRE-2", "", "88")
	senco.click("#save-assessment", http.StatusUnprocessableEntity, "assessment-errors")
	senco.wantErrors("bad scores", "Enter the standardised score of test 1 as a whole number from 40 to 160", "Select what test 2 measured")
	senco.typeInto(`[id="scores.1.score"]`, "78")
	senco.choose(`[id="scores.2.area"]`, "reading-speed")
	senco.click("#save-assessment", http.StatusOK, "candidate-scored")
	senco.wantText("#criterion-result", "Met", "One below-average and one low-average score in different areas of speed of working: Writing speed 78 (DASH 17+ free writing) and Reading speed 88 (TOWRE-2)")
	senco.wantText("#scores", "DASH 17+ free writing", "5 October 2026", "Writing speed", "78")

	// The candidate's details (Form 8 Part 1).
	senco.typeInto("#candidate_number", "0421")
	senco.fill("#picture_of_need", "Slow to finish written work; loses marks for unfinished answers in mocks")
	senco.typeDate("consent_on", day(2026, 11, 2))
	senco.click("#save-candidate", http.StatusOK, "")

	// The series, with its deadline typed from the current regulations, and an exam in a room.
	senco.open("/exams/series", http.StatusOK, "series")
	senco.typeInto("#name", "June 2027")
	senco.typeDate("starts", day(2027, 5, 10))
	senco.typeDate("ends", day(2027, 6, 25))
	senco.typeDate("deadline", day(2027, 6, 1))
	senco.click("#save-series", http.StatusUnprocessableEntity, "series-errors")
	senco.wantErrors("deadline after the first exam", "The application deadline must be before the first exam")
	senco.typeDate("deadline", day(2027, 3, 21))
	senco.click("#save-series", http.StatusOK, "series-show")
	senco.typeInto("#paper", "GCSE English Language Paper 1")
	senco.typeDate("on", day(2027, 5, 20))
	senco.typeInto("#room", "Main hall")
	senco.click("#add-sitting", http.StatusOK, "")
	senco.wantText("#sitting-list", "GCSE English Language Paper 1", "20 May 2027", "Main hall")

	// An arrangement: 25% extra time, approved, expiring before the series ends.
	senco.open("/pupils/"+pid+"/exams", http.StatusOK, "")
	senco.click("#add-arrangement", http.StatusOK, "arrangement")
	senco.choose("#kind", "extra-time-25")
	senco.choose("#status", "approved")
	senco.click("#save-arrangement", http.StatusUnprocessableEntity, "arrangement-errors")
	senco.wantErrors("approved without reference", "Enter the approval reference from Access Arrangements Online", "Enter the date the approval expires")
	senco.typeInto("#approval_ref", "AAO-7781")
	senco.typeDate("expires", day(2027, 6, 1))
	senco.click("#save-arrangement", http.StatusOK, "candidate-arranged")
	senco.click("#arrangements ~ table a[href$='/edit']", http.StatusOK, "arrangement-edit")
	senco.typeInto("#detail", "for every written paper")
	senco.click("#save-arrangement", http.StatusOK, "")
	senco.wantText("table", "25% extra time (for every written paper)")

	// The register reminds the SENCO to apply again.
	senco.open("/exams", http.StatusOK, "register")
	senco.wantText("#reminder-list", "Kai Mensah", "The approval expires on 1 June 2027, before the end of June 2027")
	senco.wantText("#candidates", "Kai Mensah", "0421", "25% extra time")

	// The invigilators' list for the exam.
	senco.open("/exams/series", http.StatusOK, "")
	senco.click("#series-list a", http.StatusOK, "")
	senco.click("#sitting-list a", http.StatusOK, "invigilators")
	senco.wantText("#invigilator-list", "Mensah, Kai", "25% extra time", "Main hall")

	// The statement page a teacher uses.
	senco.open("/pupils/"+pid+"/exams/statement", http.StatusOK, "statement")

	// Form 8, filled from the record.
	senco.open("/pupils/"+pid+"/exams", http.StatusOK, "")
	text := pdfText(t, "Form 8", senco.fetch("/pupils/"+pid+"/exams/form8.pdf"))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Form 8: Profile of learning difficulties", "Kai Mensah", "0421", "Slow to finish written work", "Dr Jane Moss",
		"CPT3A (Level 7)", "Writing speed", "Met.", "AAO-7781", "Signature and date"} {
		if !strings.Contains(flat, want) {
			t.Errorf("Form 8 lacks %q", want)
		}
	}
}
