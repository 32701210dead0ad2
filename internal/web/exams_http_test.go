package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/exams"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// examCandidate is a Year 11 pupil (Year 9 from September 2024) in 7A,
// the class the fixture's teacher and TA teach.
func (a *app) examCandidate(forename, surname string) sen.Pupil {
	a.t.Helper()
	p := sen.Pupil{UPN: makeUPN(800000 + int(a.nextUPN.Add(1))), Forename: forename, Surname: surname,
		DOB: time.Date(2010, 11, 3, 0, 0, 0, 0, time.UTC), Sex: "M", YearGroup: "11", ClassName: "7A"}
	if err := a.st.CreatePupil(context.Background(), a.f.Actor(sen.RoleSENCO), &p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

func scoreForm(lines ...[5]string) url.Values {
	v := url.Values{"assessed_on-day": {"5"}, "assessed_on-month": {"10"}, "assessed_on-year": {"2026"},
		"assessor": {"Dr Jane Moss"}, "qualification": {"CPT3A (Level 7)"}, "checked_by": {"Test SENCO"},
		"checked_on-day": {"1"}, "checked_on-month": {"10"}, "checked_on-year": {"2026"}, "version": {"0"}}
	for i, l := range lines {
		k := "scores." + strconv.Itoa(i+1) + "."
		v.Set(k+"test", l[0])
		d := strings.Split(l[1], "/")
		if len(d) == 3 {
			v.Set(k+"on-day", d[0])
			v.Set(k+"on-month", d[1])
			v.Set(k+"on-year", d[2])
		}
		v.Set(k+"area", l[2])
		v.Set(k+"score", l[3])
	}
	return v
}

// TestExamAccessArrangementsHTTP: who reaches what, the assessment form's
// field errors, the criterion on the page, a teacher's statement, the Form 8
// PDF and the invigilators' CSV and PDF.
func TestExamAccessArrangementsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		p := a.examCandidate("Kai", "Mensah")
		pid := strconv.FormatInt(p.ID, 10)
		senco, head, teacher := a.login(sen.RoleSENCO), a.login(sen.RoleHead), a.login(sen.RoleTeacher)

		// Role limits: TAs, office staff and governors have no part; teachers only the statement.
		for _, role := range []sen.Role{sen.RoleTA, sen.RoleOffice, sen.RoleGovernor} {
			c := a.login(role)
			for _, path := range []string{"/exams", "/pupils/" + pid + "/exams", "/pupils/" + pid + "/exams/statement", "/exams/series"} {
				if r := c.get(path); r.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: %d", role, path, r.StatusCode)
				}
			}
		}
		if r := teacher.get("/exams"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher register: %d", r.StatusCode)
		}
		if r := teacher.get("/pupils/" + strconv.FormatInt(a.f.NotTaught.ID, 10) + "/exams/statement"); r.StatusCode != http.StatusNotFound {
			t.Errorf("teacher, untaught pupil: %d", r.StatusCode)
		}
		if r := teacher.get("/pupils/" + pid); !strings.Contains(r.Body, "/pupils/"+pid+"/exams/statement") {
			t.Error("the teacher's pupil page does not offer the statement")
		}
		r := teacher.post("/pupils/"+pid+"/exams/statement", url.Values{"subject": {""}, "text": {"Uses a laptop"}, "on-day": {"1"}, "on-month": {"11"}, "on-year": {"2026"}})
		if err := hasFieldError(r, "subject", "Enter the subject or setting, like English or mock exams"); err != nil || r.StatusCode != 422 {
			t.Errorf("statement without subject: %d %v", r.StatusCode, err)
		}
		r = teacher.post("/pupils/"+pid+"/exams/statement", url.Values{"subject": {"English"}, "text": {"Types every extended answer on a laptop in lessons and mocks"}, "on-day": {"1"}, "on-month": {"11"}, "on-year": {"2026"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/pupils/"+pid {
			t.Fatalf("statement: %d %s", r.StatusCode, r.Header.Get("Location"))
		}

		// Bad scores are refused with field errors; nothing is saved.
		r = senco.post("/pupils/"+pid+"/exams/assessment", scoreForm(
			[5]string{"DASH 17+ free writing", "5/10/2026", "writing-speed", "abc"},
			[5]string{"TOWRE-2", "31/2/2026", "reading-speed", "85"},
			[5]string{"WRIT", "5/10/2026", "", "300"}))
		if r.StatusCode != 422 {
			t.Fatalf("bad scores: %d", r.StatusCode)
		}
		for field, msg := range map[string]string{
			"scores.1.score": "Enter the standardised score of test 1 as a whole number from 40 to 160",
			"scores.2.on":    "Date of test 2 must be a real date",
			"scores.3.area":  "Select what test 3 measured",
			"scores.3.score": "Enter the standardised score of test 3 as a whole number from 40 to 160",
		} {
			if err := hasFieldError(r, field, msg); err != nil {
				t.Errorf("%s: %v", field, err)
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM exam_assessments`); n != 0 {
			t.Fatalf("a refused assessment was saved: %d", n)
		}
		// A gap between lines: the lines typed close up, so the error is on line 2, which now holds the third line typed.
		r = senco.post("/pupils/"+pid+"/exams/assessment", scoreForm(
			[5]string{"DASH 17+ free writing", "5/10/2026", "writing-speed", "78"}, [5]string{}, [5]string{"SDMT", "5/10/2026", "cognitive-speed", "20"}))
		if err := hasFieldError(r, "scores.2.score", "Enter the standardised score of test 2 as a whole number from 40 to 160"); err != nil {
			t.Errorf("gap: %v", err)
		}

		// Good scores: the criterion is met and the page says why.
		r = senco.post("/pupils/"+pid+"/exams/assessment", scoreForm(
			[5]string{"DASH 17+ free writing", "5/10/2026", "writing-speed", "78"},
			[5]string{"TOWRE-2", "5/10/2026", "reading-speed", "88"}))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("scores: %d %s", r.StatusCode, r.Body)
		}
		page := senco.get("/pupils/" + pid + "/exams").text()
		for _, want := range []string{"Met", "One below-average and one low-average score in different areas of speed of working: Writing speed 78 (DASH 17+ free writing) and Reading speed 88 (TOWRE-2)", "Types every extended answer", "save-candidate"} {
			if !strings.Contains(page, want) {
				t.Errorf("candidate page lacks %q", want)
			}
		}
		if strings.Contains(page, "05/10/2026") || strings.Contains(page, "2026-10-05") {
			t.Error("a date is not written as people read it")
		}
		// The head teacher reads it but has no forms.
		if hp := head.get("/pupils/" + pid + "/exams"); hp.StatusCode != 200 || strings.Contains(hp.Body, "save-candidate") || strings.Contains(hp.Body, "add-arrangement") {
			t.Errorf("head's view: %d", hp.StatusCode)
		}
		if r := head.post("/pupils/"+pid+"/exams/candidate", url.Values{"version": {"0"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("head saves: %d", r.StatusCode)
		}

		// Candidate details, a series with an exam, an approved arrangement.
		r = senco.post("/pupils/"+pid+"/exams/candidate", url.Values{"version": {"0"}, "candidate_number": {"42"}})
		if err := hasFieldError(r, "candidate_number", "Enter the candidate number as 4 digits, like 0123"); err != nil {
			t.Error(err)
		}
		r = senco.post("/pupils/"+pid+"/exams/candidate", url.Values{"version": {"0"}, "candidate_number": {"0421"}, "picture_of_need": {"Slow to finish written work; loses marks for unfinished answers"},
			"consent_on-day": {"2"}, "consent_on-month": {"11"}, "consent_on-year": {"2026"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("candidate: %d", r.StatusCode)
		}
		r = senco.post("/exams/series", url.Values{"name": {"June 2027"}, "starts-day": {"10"}, "starts-month": {"5"}, "starts-year": {"2027"},
			"ends-day": {"25"}, "ends-month": {"6"}, "ends-year": {"2027"}, "deadline-day": {"21"}, "deadline-month": {"3"}, "deadline-year": {"2027"}, "version": {"0"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("series: %d %s", r.StatusCode, r.Body)
		}
		series := strings.TrimPrefix(r.Header.Get("Location"), "/exams/series/")
		r = senco.post("/exams/series/"+series+"/sittings", url.Values{"paper": {"GCSE English Language Paper 1"}, "on-day": {"20"}, "on-month": {"5"}, "on-year": {"2027"}, "session": {"AM"}, "room": {"Main hall"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sitting: %d", r.StatusCode)
		}
		r = senco.post("/pupils/"+pid+"/exams/arrangements/new", url.Values{"kind": {"extra-time-25"}, "status": {"approved"}, "series": {"0"}})
		if err := hasFieldError(r, "approval_ref", "Enter the approval reference from Access Arrangements Online"); err != nil {
			t.Error(err)
		}
		r = senco.post("/pupils/"+pid+"/exams/arrangements/new", url.Values{"kind": {"extra-time-25"}, "status": {"approved"}, "approval_ref": {"AAO-7781"}, "series": {"0"},
			"expires-day": {"1"}, "expires-month": {"6"}, "expires-year": {"2027"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("arrangement: %d %s", r.StatusCode, r.Body)
		}
		r = senco.post("/pupils/"+pid+"/exams/arrangements/new", url.Values{"kind": {"word-processor"}, "status": {"evidence"}, "series": {"0"}, "room": {"Room S2"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("word processor: %d", r.StatusCode)
		}

		// Two people change the same arrangement: the second is told, not overwritten.
		var aid int64
		if err := a.st.DB().QueryRow(`SELECT id FROM exam_arrangements WHERE kind = 'extra-time-25'`).Scan(&aid); err != nil {
			t.Fatal(err)
		}
		edit := "/exams/arrangements/" + strconv.FormatInt(aid, 10) + "/edit"
		change := url.Values{"kind": {"extra-time-25"}, "status": {"approved"}, "approval_ref": {"AAO-7781"}, "series": {"0"}, "expires-day": {"1"}, "expires-month": {"6"}, "expires-year": {"2027"}, "version": {"1"}}
		if r := senco.post(edit, change); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("first edit: %d", r.StatusCode)
		}
		if r := senco.post(edit, change); r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "Someone else changed this arrangement") {
			t.Errorf("second edit on the old version: %d", r.StatusCode)
		}
		// The head teacher reads arrangements but may not change them.
		if r := head.get("/exams/arrangements/999999/edit"); r.StatusCode != http.StatusForbidden {
			t.Errorf("head edits: %d", r.StatusCode)
		}

		// The register reminds: the approval expires before the end of June 2027.
		reg := head.get("/exams").text()
		if !strings.Contains(reg, "The approval expires on 1 June 2027, before the end of June 2027 (25 June 2027): apply again") || !strings.Contains(reg, "1 candidate") {
			t.Errorf("register: %s", reg)
		}
		if reg := senco.get("/exams?status=proposed").text(); !strings.Contains(reg, "0 candidates") {
			t.Error("status filter")
		}

		// The invigilators' CSV and PDF.
		var sitting int64
		if err := a.st.DB().QueryRow(`SELECT id FROM exam_sittings`).Scan(&sitting); err != nil {
			t.Fatal(err)
		}
		sid := strconv.FormatInt(sitting, 10)
		csv := senco.get("/exams/sittings/" + sid + "/invigilators.csv")
		if csv.StatusCode != 200 || !strings.Contains(csv.Body, "GCSE English Language Paper 1,20 May 2027,Morning,Room S2,0421,Mensah,Kai,Year 11,25% extra time; Word processor,AAO-7781") {
			t.Errorf("CSV: %d %s", csv.StatusCode, csv.Body)
		}
		if _, err := pdf.BrowserPath(); err != nil {
			t.Fatal(err)
		}
		r = head.get("/exams/sittings/" + sid + "/invigilators.pdf")
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("invigilators PDF: %d", r.StatusCode)
		}
		if text := pdfText(t, r.Body); !strings.Contains(text, "Mensah, Kai") || !strings.Contains(text, "Word processor") || !strings.Contains(text, "Room S2") {
			t.Errorf("invigilators PDF: %s", text)
		}

		// Form 8 from the record, with the parts the SENCO and the assessor sign.
		r = senco.get("/pupils/" + pid + "/exams/form8.pdf")
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("Form 8: %d", r.StatusCode)
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"Form 8: Profile of learning difficulties", "Kai Mensah", "3 November 2010", "0421", "Slow to finish written work",
			"Types every extended answer on a laptop", "Dr Jane Moss", "CPT3A (Level 7)", "DASH 17+ free writing", "78", "Writing speed", "Met.",
			"25% extra time", "AAO-7781", "SENCO", "Assessor", "Signature and date", "Part 1", "Part 2", "Part 3"} {
			if !strings.Contains(text, want) {
				t.Errorf("Form 8 lacks %q", want)
			}
		}
		if a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'exams.candidate.read' AND detail = 'Form 8 PDF' AND pupil_id = $1`, p.ID) != 1 {
			t.Error("the Form 8 print is not audited")
		}
		_ = exams.Kinds
	})
}
