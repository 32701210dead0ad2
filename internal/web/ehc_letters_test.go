package web_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Office staff see on the review-letters page only what posting needs: the
// pupil, the recipient and the send-by date, never which services are
// involved with a child (party labels or a service's name) or SEN detail.
// The SENCO still sees everything. Both engines.
func TestEHCLettersOfficeSeesNoServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
		if err := a.st.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		meeting := a.st.Today().AddDate(0, 0, 30)
		rid, err := a.st.StartReview(ctx, senco, p.ID, meeting, "")
		if err != nil {
			t.Fatal(err)
		}
		invitees := []ehc.Invitee{{Party: "parent", Name: "Mrs Okafor"}, {Party: "la", Name: "Riverside SEN casework officer"},
			{Party: "health", Name: "Speech and language therapist"}, {Party: "social-care", Name: "Children's social worker"},
			{Party: "professional", Name: "Educational psychologist"}}
		for _, in := range invitees {
			if err := a.st.AddInvitee(ctx, senco, rid, in); err != nil {
				t.Fatal(err)
			}
		}
		services := []string{"Speech and language therapist", "Children's social worker", "Educational psychologist",
			"Health", "Social care", "Other professional involved", "ASD", "Autistic", "meeting " + meeting.Format("2 January 2006")}

		r := a.login(sen.RoleOffice).get("/ehc/letters")
		if r.StatusCode != 200 {
			t.Fatalf("office letters: %d", r.StatusCode)
		}
		body := r.text()
		for _, want := range []string{"Mrs Okafor", "Riverside SEN casework officer", a.f.InClass.Forename, "A professional"} {
			if !strings.Contains(body, want) {
				t.Errorf("office page lacks %q", want)
			}
		}
		for _, s := range services {
			if strings.Contains(body, s) {
				t.Errorf("office page shows %q", s)
			}
		}
		if n := strings.Count(body, "Printed for post today"); n != len(invitees) {
			t.Errorf("office page has %d letters, want %d", n, len(invitees))
		}

		r = a.login(sen.RoleSENCO).get("/ehc/letters")
		body = r.text()
		for _, want := range []string{"Mrs Okafor", "Speech and language therapist", "Children's social worker", "Educational psychologist", "Health", "Social care", "meeting " + meeting.Format("2 January 2006")} {
			if !strings.Contains(body, want) {
				t.Errorf("SENCO page lacks %q", want)
			}
		}
	})
}

// The review letters print for post: one PDF per invitee and one with all
// of a review's letters, one a page, with the meeting date and, for an
// invitee asked for advice, the request for advice with the date it is
// needed by (2 weeks before the meeting). Office staff print only the
// letters to parents and the local authority. Both engines.
func TestEHCReviewLettersPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not installed (Debian poppler-utils)")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
		if err := a.st.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		meeting := a.st.Today().AddDate(0, 0, 30)
		rid, err := a.st.StartReview(ctx, senco, p.ID, meeting, "")
		if err != nil {
			t.Fatal(err)
		}
		reviewPDF := fmt.Sprintf("/ehc/reviews/%d/letters.pdf", rid)
		// No one to invite yet: back to the letters page, saying why.
		s := a.login(sen.RoleSENCO)
		if r := s.get(reviewPDF); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/ehc/letters" {
			t.Fatalf("review with no invitees: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		if body := s.get("/ehc/letters").text(); !strings.Contains(body, "No letters to print for that review yet") {
			t.Error("no-letters message missing")
		}
		for _, in := range []ehc.Invitee{{Party: "parent", Name: "Mrs Okafor"}, {Party: "la", Name: "Riverside SEN casework officer"},
			{Party: "professional", Name: "Educational psychologist"}} {
			if err := a.st.AddInvitee(ctx, senco, rid, in); err != nil {
				t.Fatal(err)
			}
		}
		rv, err := a.st.Review(ctx, senco, rid)
		if err != nil {
			t.Fatal(err)
		}
		parent, ep := rv.Invitees[0].ID, rv.Invitees[2].ID
		if err := a.st.RecordInviteeStep(ctx, senco, ep, ehc.StepAdviceRequested, a.st.Today()); err != nil {
			t.Fatal(err)
		}
		long := func(t time.Time) string { return t.Weekday().String() + " " + t.Format("2 January 2006") }
		meetingText, adviceBy := long(meeting), long(meeting.AddDate(0, 0, -14))
		pupil := a.f.InClass.Forename + " " + a.f.InClass.Surname

		r := s.get(reviewPDF)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("SENCO review letters: %d", r.StatusCode)
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"Test Academy", "Dear Mrs Okafor", "Dear Riverside SEN casework officer", "Dear Educational psychologist",
			"Annual review of " + pupil + "'s EHC plan", "The meeting is on " + meetingText, "Request for advice", "by " + adviceBy, "Page 3 of 3"} {
			if !strings.Contains(text, want) {
				t.Errorf("review letters lack %q:\n%s", want, text)
			}
		}
		if n := strings.Count(text, "Request for advice"); n != 1 {
			t.Errorf("requests for advice: %d, want 1 (the psychologist's)", n)
		}
		// Both asks are audited: the one with no letters yet and this one.
		if n := a.auditCount("ehc.letters.print", a.f.Users[sen.RoleSENCO].ID); n != 2 {
			t.Errorf("print audit rows %d", n)
		}

		r = s.get(fmt.Sprintf("/ehc/letters/%d/letter.pdf", parent))
		if r.StatusCode != 200 {
			t.Fatalf("parent letter: %d", r.StatusCode)
		}
		text = pdfText(t, r.Body)
		if !strings.Contains(text, "Dear Mrs Okafor") || strings.Contains(text, "Educational psychologist") || strings.Contains(text, "Request for advice") || !strings.Contains(text, "Page 1 of 1") {
			t.Errorf("parent letter wrong:\n%s", text)
		}

		if !strings.Contains(s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).Body, `href="`+reviewPDF+`"`) {
			t.Error("review page lacks the letters link")
		}
		if strings.Contains(a.login(sen.RoleHead).get(fmt.Sprintf("/ehc/reviews/%d", rid)).Body, reviewPDF) {
			t.Error("head teacher (who may not print letters) offered the letters link")
		}

		// Office staff: the letters to the parent and the LA, never a service's.
		o := a.login(sen.RoleOffice)
		page := o.get("/ehc/letters").text()
		if !strings.Contains(page, fmt.Sprintf("/ehc/letters/%d/letter.pdf", parent)) || strings.Contains(page, fmt.Sprintf("/ehc/letters/%d/letter.pdf", ep)) || !strings.Contains(page, reviewPDF) {
			t.Error("office letters page links wrong")
		}
		r = o.get(reviewPDF)
		if r.StatusCode != 200 {
			t.Fatalf("office review letters: %d", r.StatusCode)
		}
		text = pdfText(t, r.Body)
		if !strings.Contains(text, "Dear Mrs Okafor") || !strings.Contains(text, "Dear Riverside SEN casework officer") || strings.Contains(text, "psychologist") || strings.Contains(text, "Request for advice") {
			t.Errorf("office review letters wrong:\n%s", text)
		}
		if r := o.get(fmt.Sprintf("/ehc/letters/%d/letter.pdf", ep)); r.StatusCode != 404 {
			t.Errorf("office service letter: %d, want 404", r.StatusCode)
		}
		if r := a.login(sen.RoleTeacher).get(reviewPDF); r.StatusCode != 403 {
			t.Errorf("teacher review letters: %d, want 403", r.StatusCode)
		}
	})
}
