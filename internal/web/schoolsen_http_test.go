package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The SEN information report through HTTP: the SENCO writes it from the
// app's suggestions and publishes it; anyone signed out reads it at
// /schools/{urn}/sen-information-report; it shows no pupil and no count of
// pupils; an unknown or unpublished school is "not found".
func TestSENInformationReportPublic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		var pupils []sen.Pupil
		for i := 0; i < 6; i++ {
			p := a.addPupil("Report", fmt.Sprintf("Pupilname%d", i), "7", "7A")
			a.setSEN(&p, sen.StatusSupport, "ASD")
			pupils = append(pupils, p)
		}
		rare := a.addPupil("Rare", "Needpupil", "7", "7B")
		a.setSEN(&rare, sen.StatusSupport, "MSI")
		pupils = append(pupils, rare, a.f.InClass, a.f.NotTaught)

		anon := a.anon()
		if r := anon.get("/schools/100001/sen-information-report"); r.StatusCode != http.StatusNotFound {
			t.Errorf("unpublished report: %d, want 404", r.StatusCode)
		}

		senco := a.login(sen.RoleSENCO)
		if r := senco.post("/sen-information-report/publish", url.Values{"publish": {"yes"}, "version": {"0"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Write every section before you publish") {
			t.Errorf("publishing an empty report: %d", r.StatusCode)
		}
		// Item 1 starts from the register: autism (6 pupils) named, the one
		// pupil's multi-sensory impairment not, and no number.
		r := senco.get("/sen-information-report/sections/1")
		m := regexp.MustCompile(`(?s)<textarea[^>]*name="text"[^>]*>(.*?)</textarea>`).FindStringSubmatch(r.Body)
		if r.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("section form: %d", r.StatusCode)
		}
		item1 := strings.ReplaceAll(m[1], "&#39;", "'")
		if !strings.Contains(item1, "autistic spectrum disorder") || strings.Contains(strings.ToLower(item1), "multi-sensory") || regexp.MustCompile(`\d`).MatchString(item1) {
			t.Errorf("item 1 suggestion %q", item1)
		}
		for _, it := range schoolsen.Items {
			text := "We help every child to learn. Our staff know each pupil well."
			if it.Key == "1" {
				text = item1
			}
			if r := senco.post("/sen-information-report/sections/"+it.Key, url.Values{"heading": {it.Heading}, "text": {text}, "version": {"0"}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("save section %s: %d", it.Key, r.StatusCode)
			}
		}
		// A second save from the same old form is a conflict, not an overwrite.
		if r := senco.post("/sen-information-report/sections/2", url.Values{"heading": {"x"}, "text": {"Overwrite"}, "version": {"0"}}); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "saved-version") {
			t.Errorf("stale section: %d, want 409 with the saved version", r.StatusCode)
		}
		if r := senco.post("/sen-information-report/sections/2", url.Values{"heading": {""}, "text": {"ok"}, "version": {"1"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter the heading") {
			t.Errorf("empty heading: %d", r.StatusCode)
		}
		if r := senco.post("/sen-information-report/details", url.Values{"localOffer": {"javascript:alert(1)"}, "version": {"0"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad local offer address: %d", r.StatusCode)
		}
		today := a.st.Today()
		if r := senco.post("/sen-information-report/details", url.Values{"localOffer": {"https://la.example/local-offer"}, "contact": {"senco@test.example"}, "version": {"0"},
			"reviewed-day": {strconv.Itoa(today.Day())}, "reviewed-month": {strconv.Itoa(int(today.Month()))}, "reviewed-year": {strconv.Itoa(today.Year())}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("details: %d", r.StatusCode)
		}
		page := senco.get("/sen-information-report")
		if !strings.Contains(page.Body, "Plain English check") || !strings.Contains(page.Body, "Reading ease") {
			t.Error("the editor does not show the readability check")
		}
		if r := senco.post("/sen-information-report/publish", url.Values{"publish": {"yes"}, "version": {"1"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", r.StatusCode)
		}

		pub := anon.get("/schools/100001/sen-information-report")
		if pub.StatusCode != http.StatusOK || !strings.Contains(pub.Body, "Test Academy") || !strings.Contains(pub.Body, "autistic spectrum disorder") ||
			!strings.Contains(pub.Body, "senco@test.example") || !strings.Contains(pub.Body, "Last reviewed on "+today.Format("2 January 2006")) {
			t.Fatalf("public page: %d", pub.StatusCode)
		}
		checkSecurityHeaders(t, "public report", pub)
		for _, p := range pupils {
			for _, s := range []string{p.Surname, p.UPN} {
				if strings.Contains(pub.Body, s) {
					t.Errorf("public page shows pupil data %q", s)
				}
			}
		}
		for _, s := range []string{"6 pupils", "7 pupils", "fewer than 5", "Multi-sensory", "multi-sensory", ">6<", ">7<", ">1<", "Sign out"} {
			if strings.Contains(pub.Body, s) {
				t.Errorf("public page shows %q", s)
			}
		}
		// Signed in, a governor reads the same public page (their only
		// access to the report) but not the editor.
		gov := a.login(sen.RoleGovernor)
		if r := gov.get("/schools/100001/sen-information-report"); r.StatusCode != http.StatusOK {
			t.Errorf("governor public page: %d", r.StatusCode)
		}
		if r := gov.get("/sen-information-report"); r.StatusCode != http.StatusForbidden {
			t.Errorf("governor editor: %d, want 403", r.StatusCode)
		}
		for _, u := range []string{"/schools/999999/sen-information-report", "/schools/other-school/sen-information-report", "/schools/100001/sen-information-report/x"} {
			if r := anon.get(u); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", u, r.StatusCode)
			}
		}
		// Taken down, it is gone.
		if r := senco.post("/sen-information-report/publish", url.Values{"publish": {"no"}, "version": {"2"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("unpublish: %d", r.StatusCode)
		}
		if r := anon.get("/schools/100001/sen-information-report"); r.StatusCode != http.StatusNotFound {
			t.Errorf("unpublished again: %d", r.StatusCode)
		}
		if a.auditCount("sen_report.publish", a.f.Users[sen.RoleSENCO].ID) != 1 || a.auditCount("sen_report.section", a.f.Users[sen.RoleSENCO].ID) != len(schoolsen.Items) {
			t.Error("publishing and the sections are not audited")
		}
	})
}

// Who sees what of the school's duties, the training forms' errors, the
// SENCO's qualification reminder and the pupil page's adjustments section.
func TestSchoolSENDutiesPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		ctx := context.Background()
		senco := a.login(sen.RoleSENCO)
		for _, p := range []string{"/staff-training", "/senco-qualification", "/sen-policy", "/sen-information-report", "/accessibility-plan", "/my-training"} {
			if r := senco.get(p); r.StatusCode != http.StatusOK {
				t.Errorf("SENCO %s: %d", p, r.StatusCode)
			}
		}
		// A session with an error is shown again with the error summary.
		r := senco.post("/staff-training/sessions/new", url.Values{"topic": {"Autism"}, "hours": {"lots"}, "ledBy": {"Outreach"}, "date-day": {"31"}, "date-month": {"2"}, "date-year": {"2026"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "govuk-error-summary") || !strings.Contains(r.Body, "must be a real date") || !strings.Contains(r.Body, "Enter how long it lasted") {
			t.Errorf("bad session: %d", r.StatusCode)
		}
		d := a.st.Today().AddDate(0, -1, 0)
		teacherID := a.f.Users[sen.RoleTeacher].ID
		r = senco.post("/staff-training/sessions/new", url.Values{"topic": {"Dyslexia-friendly classrooms"}, "hours": {"1.5"}, "ledBy": {"Specialist teacher"}, "need": {"SPLD"},
			"date-day": {strconv.Itoa(d.Day())}, "date-month": {strconv.Itoa(int(d.Month()))}, "date-year": {strconv.Itoa(d.Year())}, "attendees": {strconv.FormatInt(teacherID, 10)}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("session: %d %s", r.StatusCode, r.Body)
		}
		// The teacher sees their own record only.
		teacher := a.login(sen.RoleTeacher)
		if r := teacher.get("/my-training"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Dyslexia-friendly classrooms") || !strings.Contains(r.Body, "1.5 hours") {
			t.Errorf("teacher's training: %d", r.StatusCode)
		}
		ta := a.login(sen.RoleTA)
		if r := ta.get("/my-training"); strings.Contains(r.Body, "Dyslexia-friendly classrooms") {
			t.Error("the TA sees training they did not attend")
		}
		for _, role := range []sen.Role{sen.RoleTeacher, sen.RoleTA, sen.RoleOffice, sen.RoleGovernor} {
			c := a.login(role)
			for _, p := range []string{"/staff-training", "/senco-qualification", "/sen-policy", "/accessibility-plan", "/pupils/" + strconv.FormatInt(a.f.InClass.ID, 10) + "/adjustments"} {
				if r := c.get(p); r.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s: %d, want 403", role, p, r.StatusCode)
				}
			}
		}
		// The SENCO took the post 2 years ago with no course: the home page
		// of the SENCO and of the head reminds them of the deadline.
		sp := schoolsen.Post{UserID: a.f.Users[sen.RoleSENCO].ID, TookPost: a.st.Today().AddDate(-2, 0, 0)}
		if err := a.st.SaveSencoPost(ctx, a.f.Actor(sen.RoleSENCO), &sp); err != nil {
			t.Fatal(err)
		}
		deadline := sp.TookPost.AddDate(3, 0, 0).Format("2 January 2006")
		for _, role := range []sen.Role{sen.RoleSENCO, sen.RoleHead} {
			home := a.login(role).get("/")
			if !strings.Contains(home.Body, "SENCO qualification for "+a.f.Users[sen.RoleSENCO].Name) || !strings.Contains(home.Body, deadline) {
				t.Errorf("%s home page lacks the qualification reminder", role)
			}
		}
		if home := teacher.get("/"); strings.Contains(home.Body, "SENCO qualification") {
			t.Error("a teacher sees the qualification reminder")
		}
		qp := senco.get("/senco-qualification")
		if !strings.Contains(qp.Body, "Must hold the qualification by <strong>"+deadline) {
			t.Errorf("qualification page lacks the deadline %s", deadline)
		}
		// Policy: an upload that is not a document is refused on the form.
		if r := senco.upload("/sen-policy", "file", "policy.txt", []byte("just text"), url.Values{}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "must be a PDF") {
			t.Errorf("text policy: %d", r.StatusCode)
		}
		if r := senco.upload("/sen-policy", "file", "SEN policy.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), url.Values{"note": {"Annual review"}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("policy upload: %d", r.StatusCode)
		}
		head := a.login(sen.RoleHead)
		if r := head.get("/sen-policy"); !strings.Contains(r.Body, "SEN-policy.pdf") && !strings.Contains(r.Body, "SEN policy.pdf") {
			t.Errorf("head does not see the policy")
		}
		// The pupil page's section.
		pupil := "/pupils/" + strconv.FormatInt(a.f.InClass.ID, 10)
		if r := senco.get(pupil); !strings.Contains(r.Body, pupil+"/adjustments") {
			t.Error("the pupil page lacks the reasonable adjustments section")
		}
		if r := teacher.get(pupil); strings.Contains(r.Body, "/adjustments") {
			t.Error("a teacher's pupil page links to the adjustments")
		}
		r = senco.post(pupil+"/adjustments/new", url.Values{"disability": {"Hearing impairment"}, "what": {"Radio aid in every lesson"},
			"from-day": {"1"}, "from-month": {"9"}, "from-year": {"2026"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("adjustment: %d", r.StatusCode)
		}
		if r := head.get(pupil + "/adjustments"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Radio aid in every lesson") || !strings.Contains(r.Body, "1 September 2026") {
			t.Errorf("head reads adjustments: %d", r.StatusCode)
		}
		// Another school's SENCO finds nothing.
		other := a.anon()
		other.post("/login", url.Values{"email": {a.f.Other.Email}, "password": {testPassword}})
		other.get("/")
		if r := other.get(pupil + "/adjustments"); r.StatusCode != http.StatusNotFound {
			t.Errorf("other school: %d, want 404", r.StatusCode)
		}
		if r := other.get("/staff-training"); strings.Contains(r.Body, "Dyslexia-friendly") {
			t.Error("another school sees this school's training")
		}
	})
}
