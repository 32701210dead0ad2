package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// letterReview makes a plan for InClass and a review 30 days ahead; it
// returns the review id.
func letterReview(t *testing.T, a *app) int64 {
	t.Helper()
	a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
	ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
	p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
	if err := a.st.CreatePlan(ctx, senco, p); err != nil {
		t.Fatal(err)
	}
	rid, err := a.st.StartReview(ctx, senco, p.ID, a.st.Today().AddDate(0, 0, 30), "")
	if err != nil {
		t.Fatal(err)
	}
	return rid
}

func reviewVersion(t *testing.T, a *app, rid int64) string {
	t.Helper()
	rv, err := a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), rid)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(rv.Version, 10)
}

// The school's letterhead and the meeting's time and place are recorded
// through their forms (validated, version-checked) and printed on every
// letter; an invitee's e-mail and address are added and changed; a letter
// is e-mailed through the outbox with the PDF attached and the review page
// says so; re-sending is recorded; an invitee with no address cannot be
// e-mailed; printing for post is recorded. Both engines.
func TestEHCLettersByEmail(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not installed (Debian poppler-utils)")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		rid := letterReview(t, a)
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		s := a.login(sen.RoleSENCO)
		today := a.st.Today()

		// The letterhead, on the school's settings page.
		set, _ := a.st.SchoolSettings(ctx, senco)
		form := url.Values{"schoolType": {"secondary"}, "lowestYear": {"7"}, "highestYear": {"11"}, "version": {strconv.FormatInt(set.Version, 10)},
			"address": {"1 High Street\r\nRiverside\r\nRV1 2AB"}, "phone": {"01234 567890"}, "replyEmail": {"not-an-address"}}
		if r := s.post("/settings/school", form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter an email address in the correct format") {
			t.Fatalf("bad reply e-mail: %d", r.StatusCode)
		}
		form.Set("replyEmail", "office@test.example")
		if r := s.post("/settings/school", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings: %d %s", r.StatusCode, r.Body)
		}
		if r := s.post("/settings/school", form); r.StatusCode != http.StatusConflict {
			t.Errorf("stale settings: %d", r.StatusCode)
		}
		if body := s.get("/settings/school").Body; !strings.Contains(body, "RV1 2AB") || !strings.Contains(body, "office@test.example") {
			t.Error("settings page lacks the letterhead")
		}

		// The meeting's time and place.
		rv, _ := a.st.Review(ctx, senco, rid)
		meet := url.Values{"meeting-day": {strconv.Itoa(rv.Meeting.Day())}, "meeting-month": {strconv.Itoa(int(rv.Meeting.Month()))}, "meeting-year": {strconv.Itoa(rv.Meeting.Year())},
			"meetingTime": {"2.30pm"}, "meetingPlace": {"the SENCO's office"}, "version": {reviewVersion(t, a, rid)}}
		if r := s.post(fmt.Sprintf("/ehc/reviews/%d/meeting", rid), meet); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "24-hour clock") {
			t.Fatalf("bad meeting time: %d", r.StatusCode)
		}
		meet.Set("meetingTime", "14:30")
		if r := s.post(fmt.Sprintf("/ehc/reviews/%d/meeting", rid), meet); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("meeting time and place: %d %s", r.StatusCode, r.Body)
		}
		if r := s.post(fmt.Sprintf("/ehc/reviews/%d/meeting", rid), meet); r.StatusCode != http.StatusConflict {
			t.Errorf("stale meeting: %d", r.StatusCode)
		}
		when := rv.Meeting.Weekday().String() + " " + rv.Meeting.Format("2 January 2006") + " at 2:30pm in the SENCO's office"

		// Invitees with and without an e-mail address.
		add := func(v url.Values) resp { return s.post(fmt.Sprintf("/ehc/reviews/%d/invitees", rid), v) }
		if r := add(url.Values{"party": {"parent"}, "inviteeName": {"Mrs Okafor"}, "inviteeEmail": {"okafor@"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter an email address") {
			t.Fatalf("bad invitee e-mail: %d", r.StatusCode)
		}
		if r := add(url.Values{"party": {"parent"}, "inviteeName": {"Mrs Okafor"}, "inviteeEmail": {"okafor@home.example"}, "inviteeAddress": {"3 Mill Lane\nRiverside"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add invitee: %d", r.StatusCode)
		}
		if r := add(url.Values{"party": {"la"}, "inviteeName": {"Riverside SEN officer"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add invitee: %d", r.StatusCode)
		}
		rv, _ = a.st.Review(ctx, senco, rid)
		parent, la := rv.Invitees[0].ID, rv.Invitees[1].ID
		edit := fmt.Sprintf("/ehc/invitees/%d/edit", la)
		if r := s.get(edit); r.StatusCode != 200 || !strings.Contains(r.Body, "Riverside SEN officer") {
			t.Fatalf("edit invitee page: %d", r.StatusCode)
		}
		if r := s.post(edit, url.Values{"party": {"la"}, "inviteeName": {"Riverside SEN officer"}, "inviteeEmail": {"sen officer@la"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad edit: %d", r.StatusCode)
		}
		if r := s.post(edit, url.Values{"party": {"la"}, "inviteeName": {"Riverside SEN officer"}, "inviteeAddress": {"County Hall\nRiverside RV9 9ZZ"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit invitee: %d", r.StatusCode)
		}

		// The letter for post carries the letterhead, the address and the time and place.
		r := s.get(fmt.Sprintf("/ehc/letters/%d/letter.pdf", la))
		if r.StatusCode != 200 {
			t.Fatalf("letter: %d", r.StatusCode)
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"1 High Street", "RV1 2AB", "Telephone 01234 567890", "E-mail office@test.example", "County Hall", "The meeting is on " + when} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "We will tell you the time") {
			t.Errorf("letter still promises the time:\n%s", text)
		}

		// E-mail: the letter goes through the outbox as an attachment.
		if r := s.post(fmt.Sprintf("/ehc/letters/%d/email", parent), url.Values{"from": {"review"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/ehc/reviews/%d#invitees", rid) {
			t.Fatalf("e-mail letter: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		if page := s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).text(); !strings.Contains(page, "Letter sent by e-mail") ||
			!strings.Contains(page, "Sent by e-mail to okafor@home.example on "+today.Format("2 January 2006")) {
			t.Errorf("review page lacks the send:\n%s", page)
		}
		mails, _ := a.st.Outbox(ctx, senco, 10)
		if len(mails) != 1 || mails[0].Kind != "review-letter" || mails[0].To != "okafor@home.example" || strings.Contains(mails[0].Subject, a.f.InClass.Forename) ||
			strings.Contains(mails[0].Subject, "ASD") || strings.Contains(mails[0].Text, a.f.InClass.Forename) {
			t.Fatalf("outbox %+v", mails)
		}
		m, _ := a.st.OutboxMailFor(ctx, senco, mails[0].ID)
		if len(m.Attachments) != 1 || m.Attachments[0].MIME != "application/pdf" {
			t.Fatalf("attachments %+v", m.Attachments)
		}
		if text := pdfText(t, string(m.Attachments[0].Data)); !strings.Contains(text, "Dear Mrs Okafor") || !strings.Contains(text, "The meeting is on "+when) {
			t.Errorf("attached letter:\n%s", text)
		}
		if body := s.get(fmt.Sprintf("/outbox/%d", m.ID)).Body; !strings.Contains(body, "annual-review-letter.pdf") {
			t.Error("outbox page lacks the attachment")
		}
		// Re-sending is recorded again.
		s.post(fmt.Sprintf("/ehc/letters/%d/email", parent), url.Values{"from": {"review"}})
		if l, _ := a.st.InviteeLetter(ctx, senco, parent); len(l.Sends) != 2 {
			t.Errorf("sends after re-sending: %+v", l.Sends)
		}
		// No address: a clear message, nothing queued.
		r = s.post(fmt.Sprintf("/ehc/letters/%d/email", la), nil)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("e-mail with no address: %d", r.StatusCode)
		}
		if page := s.get("/ehc/letters").text(); !strings.Contains(page, "the invitee has no e-mail address") {
			t.Error("no-address message missing")
		}
		if mails, _ := a.st.Outbox(ctx, senco, 10); len(mails) != 2 {
			t.Errorf("outbox has %d mails, want 2", len(mails))
		}
		// Office staff print for post; the review page says so.
		o := a.login(sen.RoleOffice)
		if r := o.post(fmt.Sprintf("/ehc/letters/%d/sent", la), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("printed for post: %d", r.StatusCode)
		}
		if page := s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).text(); !strings.Contains(page, "Printed for post on "+today.Format("2 January 2006")) {
			t.Error("review page lacks the post send")
		}
		// Send all by e-mail: only those with an address.
		if r := s.post(fmt.Sprintf("/ehc/reviews/%d/letters/email", rid), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("send all: %d", r.StatusCode)
		}
		if page := s.get("/ehc/letters").text(); !strings.Contains(page, "print the others' letters for post") {
			t.Error("send-all message missing")
		}
		if mails, _ := a.st.Outbox(ctx, senco, 10); len(mails) != 3 {
			t.Errorf("outbox has %d mails after send all, want 3", len(mails))
		}
		if a.auditCount("ehc.letter.email", a.f.Users[sen.RoleSENCO].ID) != 3 || a.auditCount("ehc.letter.post", a.f.Users[sen.RoleOffice].ID) != 1 {
			t.Error("send audit rows wrong")
		}
	})
}

// Office staff see on the letters page the recipient, their address and
// the send-by date, never a service's name, address or e-mail.
func TestEHCLettersOfficeSeesAddressNotServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		rid := letterReview(t, a)
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		for _, in := range []ehc.Invitee{{Party: "parent", Name: "Mrs Okafor", Address: "3 Mill Lane\nRiverside RV2 3CD", Email: "okafor@home.example"},
			{Party: "health", Name: "Speech and language therapist", Address: "Riverside Children's Therapy Centre", Email: "salt@nhs.example"}} {
			if err := a.st.AddInvitee(ctx, senco, rid, in); err != nil {
				t.Fatal(err)
			}
		}
		page := a.login(sen.RoleOffice).get("/ehc/letters").text()
		for _, want := range []string{"Mrs Okafor", "3 Mill Lane", "Riverside RV2 3CD", "okafor@home.example", "A professional"} {
			if !strings.Contains(page, want) {
				t.Errorf("office page lacks %q", want)
			}
		}
		for _, not := range []string{"Speech and language", "Therapy Centre", "salt@nhs.example", "Advice and reports"} {
			if strings.Contains(page, not) {
				t.Errorf("office page shows %q", not)
			}
		}
	})
}

// Reports are uploaded (PDF or Word only) with author, kind and date
// received, listed on the review and the letters page, downloaded by those
// who may read EHC work (audited), and circulated by e-mail and post, each
// listed as circulated with the date and to whom; a meeting nearer than 2
// weeks with reports not circulated shows a warning (reg 20(4)).
func TestEHCReviewReportsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		rid := letterReview(t, a)
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		for _, in := range []ehc.Invitee{{Party: "parent", Name: "Mrs Okafor", Email: "okafor@home.example"}, {Party: "la", Name: "Riverside SEN officer"}} {
			if err := a.st.AddInvitee(ctx, senco, rid, in); err != nil {
				t.Fatal(err)
			}
		}
		s := a.login(sen.RoleSENCO)
		today := a.st.Today()
		up := fmt.Sprintf("/ehc/reviews/%d/reports", rid)
		fields := url.Values{"reportAuthor": {"Dr Shah, educational psychology service"}, "reportKind": {"ep"},
			"reportReceived-day": {strconv.Itoa(today.Day())}, "reportReceived-month": {strconv.Itoa(int(today.Month()))}, "reportReceived-year": {strconv.Itoa(today.Year())}}
		if r := s.upload(up, "reportFile", "photo.png", []byte("\x89PNG\r\n\x1a\nxx"), fields); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "must be a PDF or a Word document") {
			t.Fatalf("png report: %d", r.StatusCode)
		}
		bad := url.Values{"reportKind": {""}, "reportReceived-day": {"31"}, "reportReceived-month": {"2"}, "reportReceived-year": {"2026"}}
		if r := s.upload(up, "reportFile", "r.pdf", []byte("%PDF-1.4 x"), bad); r.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "Enter who wrote it") || !strings.Contains(r.Body, "Select what it is") {
			t.Fatalf("bad report details: %d", r.StatusCode)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		if r := s.upload(up, "reportFile", "EP report.pdf", pdf, fields); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
		}
		fields.Set("reportAuthor", "Mrs Okafor")
		fields.Set("reportKind", "parent-views")
		if r := s.upload(up, "reportFile", "views.pdf", pdf, fields); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", r.StatusCode)
		}
		rv, _ := a.st.Review(ctx, senco, rid)
		if len(rv.Reports) != 2 {
			t.Fatalf("reports %+v", rv.Reports)
		}
		dl := fmt.Sprintf("/ehc/review-reports/%d", rv.Reports[0].ID)
		page := s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).text()
		for _, want := range []string{"Dr Shah, educational psychology service", "Educational psychologist's report", "Not yet circulated", "EP report.pdf"} {
			if !strings.Contains(page, want) {
				t.Errorf("review page lacks %q", want)
			}
		}
		if strings.Contains(page, "not been circulated and the meeting") {
			t.Error("warning with the meeting 30 days away")
		}
		if letters := s.get("/ehc/letters").text(); !strings.Contains(letters, "Dr Shah") || !strings.Contains(letters, "Not yet circulated") {
			t.Error("letters page lacks the reports")
		}
		h := a.login(sen.RoleHead)
		if r := h.get(dl); r.StatusCode != 200 || r.Body != string(pdf) || r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("head download: %d", r.StatusCode)
		}
		if a.auditCount("ehc.review.report.download", a.f.Users[sen.RoleHead].ID) != 1 {
			t.Error("download not audited")
		}
		for _, role := range []sen.Role{sen.RoleOffice, sen.RoleTeacher, sen.RoleTA} {
			if r := a.login(role).get(dl); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s download: %d", role, r.StatusCode)
			}
		}

		// Ten days before the meeting, with reports not circulated: a warning.
		meeting := rv.Meeting
		a.st.Now = storetest.FixedClock(meeting.AddDate(0, 0, -10).Add(9 * 3600e9))
		s = a.login(sen.RoleSENCO)
		if page := s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).text(); !strings.Contains(page, "2 reports have not been circulated and the meeting on "+meeting.Format("2 January 2006")+" is less than 2 weeks away") {
			t.Errorf("no circulation warning:\n%s", page)
		}
		circ := fmt.Sprintf("/ehc/reviews/%d/circulate", rid)
		if r := s.post(circ, nil); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Select how to circulate") {
			t.Fatalf("circulate with no choice: %d", r.StatusCode)
		}
		if r := s.post(circ, url.Values{"circulateHow": {"email"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("circulate: %d", r.StatusCode)
		}
		day := a.st.Today().Format("2 January 2006")
		page = s.get(fmt.Sprintf("/ehc/reviews/%d", rid)).text()
		if strings.Count(page, "Circulated on "+day) != 2 || !strings.Contains(page, "to Mrs Okafor by e-mail, Riverside SEN officer by post") || strings.Contains(page, "not been circulated and the meeting") {
			t.Errorf("review page after circulating:\n%s", page)
		}
		mails, _ := a.st.Outbox(context.Background(), senco, 10)
		if len(mails) != 1 || mails[0].Kind != "review-reports" || mails[0].To != "okafor@home.example" {
			t.Fatalf("outbox %+v", mails)
		}
		if m, _ := a.st.OutboxMailFor(ctx, senco, mails[0].ID); len(m.Attachments) != 2 {
			t.Errorf("circulated attachments %d", len(m.Attachments))
		}
		if r := s.post(circ, url.Values{"circulateHow": {"post"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "no reports waiting") {
			t.Errorf("second circulation: %d", r.StatusCode)
		}
	})
}
