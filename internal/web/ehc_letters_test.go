package web_test

import (
	"strings"
	"testing"

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
		if n := strings.Count(body, "Sent today"); n != len(invitees) {
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
