package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/ehc"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var idRe = regexp.MustCompile(`/(\d+)(?:[#?].*)?$`)

func locID(t *testing.T, r resp) string {
	t.Helper()
	m := idRe.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("want a redirect to a record, got %d %q: %s", r.StatusCode, r.Header.Get("Location"), ehcErrSummary(r))
	}
	return m[1]
}

func ehcErrSummary(r resp) string {
	i := strings.Index(r.Body, "govuk-error-summary__list")
	if i < 0 {
		return ""
	}
	return r.Body[i:min(len(r.Body), i+400)]
}

func dateVals(name string, d time.Time, v url.Values) url.Values {
	v.Set(name+"-day", fmt.Sprint(d.Day()))
	v.Set(name+"-month", fmt.Sprint(int(d.Month())))
	v.Set(name+"-year", fmt.Sprint(d.Year()))
	return v
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestEHCRequestToPlanHTTP drives a request from receipt to a final plan,
// the plan's sections, Section F delivery, the document and role scoping.
func TestEHCRequestToPlanHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		senco := a.login(sen.RoleSENCO)
		pid := fmt.Sprint(a.f.InClass.ID)

		// Validation: every problem named next to its field.
		r := senco.post("/ehc/requests/new", url.Values{"requestedBy": {"x"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("invalid request: %d", r.StatusCode)
		}
		for field, msg := range map[string]string{"pupil": "Select the pupil", "requestedBy": "Select who made the request", "received": "Enter the date the local authority received the request"} {
			if err := hasFieldError(r, field, msg); err != nil {
				t.Error(err)
			}
		}
		r = senco.post("/ehc/requests/new", dateVals("received", day(2026, 2, 9), url.Values{"pupil": {pid}, "requestedBy": {"school"}, "laName": {"Riverside"}}))
		rid := locID(t, r)
		r = senco.get("/ehc/requests/" + rid)
		// Received 9 Feb 2026: 6 weeks = 23 March 2026; 20 weeks = 29 June 2026 (dates, not weeks).
		for _, want := range []string{"23 March 2026", "29 June 2026", "Overdue", "Local authority", "reg 5(1)"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("request page lacks %q", want)
			}
		}
		// An impossible event: refused, with a clear message.
		r = senco.post("/ehc/requests/"+rid+"/events", dateVals("eventDate", day(2026, 1, 1), url.Values{"kind": {"final-issued"}}))
		if err := hasFieldError(r, "eventDate", "The date must be on or after the date the request was received (9 February 2026)"); err != nil {
			t.Error(err)
		}
		for _, ev := range []url.Values{
			dateVals("eventDate", day(2026, 3, 20), url.Values{"kind": {"assess-decision"}, "outcome": {"assess"}}),
			dateVals("eventDate", day(2026, 6, 1), url.Values{"kind": {"draft-served"}}),
			dateVals("eventDate", day(2026, 7, 10), url.Values{"kind": {"final-issued"}}),
		} {
			if r := senco.post("/ehc/requests/"+rid+"/events", ev); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("event %v: %d %s", ev.Get("kind"), r.StatusCode, ehcErrSummary(r))
			}
		}
		r = senco.post("/ehc/requests/"+rid+"/exceptions", url.Values{"milestone": {"final-plan"}, "reason": {"personal-circumstances"}, "exceptionNote": {"Family bereavement"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("exception: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get("/ehc/requests/" + rid)
		if !strings.Contains(r.Body, "Exception applies") || !strings.Contains(r.Body, "Family bereavement") || !strings.Contains(r.Body, "Record the final EHC plan") {
			t.Error("request page does not show the exception or the plan link")
		}

		// The plan: E on the register.
		r = senco.post("/ehc/plans/new", dateVals("issued", day(2026, 7, 10), url.Values{"pupil": {pid}, "request": {rid}, "laName": {"Riverside"}, "placement": {"Test Academy"}}))
		planID := locID(t, r)
		if n := a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1 AND sen_status = 'E'`, a.f.InClass.ID); n != 1 {
			t.Fatal("pupil with a plan is not E on the register")
		}
		if r := senco.get("/register"); !strings.Contains(r.Body, "EHC plan") {
			t.Error("register does not show the plan")
		}
		if r := senco.post("/ehc/plans/"+planID+"/outcomes", url.Values{"outcomeText": {"Will join in group work"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("outcome: %d", r.StatusCode)
		}
		if r := senco.post("/ehc/plans/"+planID+"/needs", url.Values{"needArea": {sen.AreaCI}, "needText": {"Social communication"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("need: %d", r.StatusCode)
		}
		r = senco.post("/ehc/plans/"+planID+"/provision", url.Values{"provDescription": {""}, "provSessions": {"many"}, "provMinutes": {"30"}, "provBy": {"TA"}})
		if err := hasFieldError(r, "provSessions", "Sessions a week must be a whole number from 1 to 50"); err != nil {
			t.Error(err)
		}
		ta := a.f.Users[sen.RoleTA]
		teacher := a.f.Users[sen.RoleTeacher]
		for _, v := range []url.Values{
			{"provDescription": {"Speech and language group"}, "provSessions": {"3"}, "provMinutes": {"30"}, "provBy": {"TA"}, "provStaff": {fmt.Sprint(ta.ID)}},
			{"provDescription": {"Social skills with the class teacher"}, "provSessions": {"1"}, "provMinutes": {"45"}, "provBy": {"Teacher"}, "provStaff": {fmt.Sprint(teacher.ID)}},
		} {
			if r := senco.post("/ehc/plans/"+planID+"/provision", v); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("provision: %d %s", r.StatusCode, ehcErrSummary(r))
			}
		}
		plan, err := a.st.Plan(t.Context(), a.f.Actor(sen.RoleSENCO), mustInt(planID))
		if err != nil {
			t.Fatal(err)
		}
		taLine, teacherLine := plan.Provision[0].ID, plan.Provision[1].ID

		// The TA records delivery of their line; a line of someone else's is refused.
		tac := a.login(sen.RoleTA)
		r = tac.get("/ehc/plans/" + planID)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Speech and language group") || strings.Contains(r.Body, "Social skills with the class teacher") ||
			strings.Contains(r.Body, "Social communication") || !strings.Contains(r.Body, "Will join in group work") {
			t.Fatalf("TA view wrong: %d", r.StatusCode)
		}
		r = tac.post("/ehc/plans/"+planID+"/delivery", dateVals("sessionDate", day(2026, 11, 20), url.Values{"provision": {fmt.Sprint(taLine)}, "missed": {"no"}, "minutes": {"30"}, "deliveredBy": {"Test TA"}}))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("delivery: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = tac.post("/ehc/plans/"+planID+"/delivery", dateVals("sessionDate", day(2026, 11, 20), url.Values{"provision": {fmt.Sprint(teacherLine)}, "missed": {"no"}, "minutes": {"30"}, "deliveredBy": {"x"}}))
		if err := hasFieldError(r, "provision", "Select the provision line"); err != nil {
			t.Error(err)
		}
		r = tac.post("/ehc/plans/"+planID+"/delivery", dateVals("sessionDate", day(2026, 11, 19), url.Values{"provision": {fmt.Sprint(taLine)}, "missed": {"yes"}}))
		if err := hasFieldError(r, "missedReason", "Enter why the session was missed"); err != nil {
			t.Error(err)
		}
		// Specified versus delivered on the SENCO's page; the dashboard flags the teacher's line.
		r = senco.get("/ehc/plans/" + planID)
		if !strings.Contains(r.Body, "30 of 1080 minutes") || !strings.Contains(r.Body, "Falling short") {
			t.Errorf("plan page lacks specified vs delivered")
		}
		if r := senco.get("/"); !strings.Contains(r.Body, "Section F provision lines falling short this term") || !strings.Contains(r.Body, "Social skills with the class teacher") {
			t.Error("dashboard does not flag shortfalls")
		}
		// Teachers: not the document, not an untaught pupil's plan.
		a.setSEN(&a.f.NotTaught, sen.StatusSupport, "SLCN")
		// Issued 2025-11-01 and never reviewed: the review was due by 31 October 2026.
		p2 := &ehc.Plan{PupilID: a.f.NotTaught.ID, LAName: "Riverside", Issued: day(2025, 11, 1)}
		if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p2); err != nil {
			t.Fatal(err)
		}
		r = senco.get("/ehc")
		if !regexp.MustCompile(`31 October 2026<br><strong class="govuk-tag govuk-tag--red">Overdue</strong> <span class="govuk-body-s">23 days ago`).MatchString(r.Body) {
			t.Error("EHC overview does not mark the overdue annual review")
		}
		tc := a.login(sen.RoleTeacher)
		if r := tc.get(fmt.Sprintf("/ehc/plans/%d", p2.ID)); r.StatusCode != http.StatusNotFound {
			t.Errorf("teacher opened untaught pupil's plan: %d", r.StatusCode)
		}
		if r := tc.get("/ehc/plans/" + planID + "/document"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher document: %d", r.StatusCode)
		}

		// Document upload: HTML posing as a PDF is refused; a PDF is served as an attachment.
		r = senco.upload("/ehc/plans/"+planID+"/document", "document", "plan.pdf", []byte("<html><script>alert(1)</script></html>"), url.Values{})
		if err := hasFieldError(r, "document", "The file must be a PDF, an image (PNG or JPEG) or a Word or Excel document"); err != nil {
			t.Error(err)
		}
		r = senco.upload("/ehc/plans/"+planID+"/document", "document", "Final plan.pdf", []byte("%PDF-1.4\nfake but PDF-shaped"), url.Values{})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get("/ehc/plans/" + planID + "/document")
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Body, "%PDF-1.4") {
			t.Fatalf("download: %d %v", r.StatusCode, r.Header)
		}
		slt := a.login(sen.RoleHead)
		if r := slt.get("/ehc/plans/" + planID + "/document"); r.StatusCode != 200 {
			t.Errorf("SLT download: %d", r.StatusCode)
		}
		if r := slt.post("/ehc/plans/"+planID+"/outcomes", url.Values{"outcomeText": {"x"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("SLT write: %d", r.StatusCode)
		}
		if n := a.auditCount("ehc.plan.document.download", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("download audit rows %d", n)
		}
		// Governors: counts and percentages, no names.
		gov := a.login(sen.RoleGovernor)
		r = gov.get("/")
		if !strings.Contains(r.Body, "pupils with an EHC plan recorded") || strings.Contains(r.Body, "Okafor") {
			t.Error("governor dashboard wrong")
		}
		if r := gov.get("/ehc/plans/" + planID); r.StatusCode != http.StatusForbidden {
			t.Errorf("governor plan: %d", r.StatusCode)
		}

		// Evidence pack PDF: contents page, dated items, page numbers.
		// Debian poppler-utils and chromium are installed by .ci/run; a
		// missing tool fails the test rather than skipping the PDF checks.
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Fatal("pdftotext not installed (Debian poppler-utils)")
		}
		if _, err := pdf.BrowserPath(); err != nil {
			t.Fatal(err)
		}
		r = senco.post("/ehc/requests/"+rid+"/evidence", url.Values{})
		if err := hasFieldError(r, "items", "Select at least one item for the evidence pack"); err != nil {
			t.Error(err)
		}
		r = senco.post("/ehc/requests/"+rid+"/evidence", url.Values{"item": {"pupil", "plan", "provision"}})
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("evidence pack: %d", r.StatusCode)
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"Contents", "Pupil details and needs", "Current EHC plan", "Item 3", "Dated 10 July 2026", "Page 1 of", "Speech and language group"} {
			if !strings.Contains(text, want) {
				t.Errorf("evidence pack lacks %q", want)
			}
		}
	})
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

func pdfText(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestEHCAnnualReviewHTTP runs one annual review: a meeting that moves,
// invitations (one recorded by the office), the meeting record and the
// report PDF; then the calendar and its ICS feed.
func TestEHCAnnualReviewHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		senco := a.login(sen.RoleSENCO)
		p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
		if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p); err != nil {
			t.Fatal(err)
		}
		if err := a.st.AddOutcome(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, ehc.Outcome{Text: "Reads with fluency"}); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/ehc/plans/%d/reviews/new", p.ID)
		if r := senco.get(base); !strings.Contains(r.Body, "19 January 2027") {
			t.Error("review due date not shown as a date")
		}
		r := senco.post(base, dateVals("meeting", day(2026, 1, 20), url.Values{}))
		if err := hasFieldError(r, "meeting", "The meeting must be after 20 January 2026, when the plan was issued"); err != nil {
			t.Error(err)
		}
		// A meeting next week is set, with a warning that invitations sent now
		// give less than 2 weeks' notice.
		rid := locID(t, senco.post(base, dateVals("meeting", day(2026, 11, 30), url.Values{})))
		rv := "/ehc/reviews/" + rid
		r = senco.get(rv)
		if !strings.Contains(r.Body, `id="meeting-warnings"`) || !strings.Contains(r.Body, "The meeting is in 7 days: invitations sent now give less than the 2 weeks") {
			t.Error("short notice is not warned about")
		}
		ver := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
		if r := senco.post(rv+"/meeting", dateVals("meeting", day(2026, 12, 10), url.Values{"version": {ver}})); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("move meeting: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		r = senco.get(rv)
		if !strings.Contains(r.Body, "26 November 2026") { // invitations: meeting - 14 days
			t.Error("invitation deadline missing")
		}
		if strings.Contains(r.Body, `id="meeting-warnings"`) {
			t.Error("a meeting with 17 days' notice is warned about")
		}
		ver = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
		if r := senco.post(rv+"/meeting", dateVals("meeting", day(2026, 12, 17), url.Values{"version": {ver}})); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("move meeting: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		if r := senco.get(rv); !strings.Contains(r.Body, "3 December 2026") || !strings.Contains(r.Body, "31 December 2026") {
			t.Error("dates not recomputed after the meeting moved")
		}
		for _, v := range []url.Values{{"party": {"parent"}, "inviteeName": {"Mrs Okafor"}}, {"party": {"la"}, "inviteeName": {"SEN officer"}}} {
			if r := senco.post(rv+"/invitees", v); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("invitee: %d", r.StatusCode)
			}
		}
		// Office: sees the letters to send (no SEN detail) and records one.
		office := a.login(sen.RoleOffice)
		r = office.get("/ehc/letters")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Mrs Okafor") || !strings.Contains(r.Body, "3 December 2026") {
			t.Fatalf("letters: %d", r.StatusCode)
		}
		if r := office.get(rv); r.StatusCode != http.StatusForbidden {
			t.Errorf("office opened the review: %d", r.StatusCode)
		}
		rev, _ := a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), mustInt(rid))
		if r := office.post(fmt.Sprintf("/ehc/letters/%d/sent", rev.Invitees[0].ID), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("letter sent: %d", r.StatusCode)
		}
		if n := a.auditCount("ehc.review.invitee.invited", a.f.Users[sen.RoleOffice].ID); n != 1 {
			t.Errorf("office audit %d", n)
		}
		// After the meeting.
		a.advance(25 * 24 * time.Hour) // 18 December 2026
		senco = a.login(sen.RoleSENCO)
		rev, _ = a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), mustInt(rid))
		senco.get(rv)
		oid := fmt.Sprint(rev.Progress[0].OutcomeID)
		r = senco.post(rv+"/record", url.Values{"version": {fmt.Sprint(rev.Version)}, "meetingHeld": {"yes"}, "attended": {fmt.Sprint(rev.Invitees[0].ID)},
			"pupilViews": {"I like reading club"}, "parentViews": {"Pleased"}, "amendments": {"Increase reading support"}, "outcomeId": {oid}, "rating-" + oid: {"on-track"}, "note-" + oid: {"Reading age up 8 months"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("record: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		if r := senco.post(rv+"/events", dateVals("eventDate", day(2026, 12, 18), url.Values{"kind": {"report-sent"}})); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("report sent: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		if _, err := pdf.BrowserPath(); err == nil {
			if _, err := exec.LookPath("pdftotext"); err == nil {
				r = senco.get(rv + "/report.pdf")
				if r.StatusCode != 200 {
					t.Fatalf("report: %d", r.StatusCode)
				}
				text := pdfText(t, r.Body)
				for _, want := range []string{"annual review report", "I like reading club", "Reads with fluency", "On track", "Reading age up 8 months", "Increase reading support", "Mrs Okafor", "Page 1 of"} {
					if !strings.Contains(text, want) {
						t.Errorf("report lacks %q", want)
					}
				}
			}
		}
		// Calendar, filter and the ICS feed.
		r = senco.get("/calendar?kind=review")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Okafor") {
			t.Fatalf("calendar: %d", r.StatusCode)
		}
		if r := senco.get("/calendar?kind=request"); strings.Contains(r.Body, "Annual review:") {
			t.Error("filter by type did not filter")
		}
		r = senco.post("/calendar/feed", nil)
		m := regexp.MustCompile(`(/calendar/feed/[A-Za-z0-9]+)`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no feed address shown")
		}
		anon := a.anon()
		r = anon.get(m[1])
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d", r.StatusCode)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(r.Body))
		if err != nil || len(cal.Events()) == 0 {
			t.Fatalf("feed does not parse: %v", err)
		}
		if strings.Contains(r.Body, "Okafor") {
			t.Error("feed contains a pupil's surname")
		}
		senco.get("/calendar")
		if r := senco.post("/calendar/feed/revoke", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.StatusCode)
		}
		if r := anon.get(m[1]); r.StatusCode != http.StatusNotFound {
			t.Errorf("revoked feed still served: %d", r.StatusCode)
		}
		if r := anon.get("/calendar/feed/not-a-real-token-0000000000"); r.StatusCode != http.StatusNotFound {
			t.Errorf("bad token: %d", r.StatusCode)
		}
		// Phase transfers page renders.
		if r := senco.get("/ehc/transfers"); r.StatusCode != 200 {
			t.Errorf("transfers: %d", r.StatusCode)
		}
	})
}

// TestTermDatesHTTP: the office records the school's holidays with clear
// errors; Section F then expects provision on school days and a plan page
// stops warning that none are recorded; teachers cannot change them.
func TestTermDatesHTTP(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := newApp(t, engine)
			a.setSEN(&a.f.InClass, sen.StatusSupport, "SLCN")
			p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 3, 2)}
			if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p); err != nil {
				t.Fatal(err)
			}
			senco := a.login(sen.RoleSENCO)
			planURL := fmt.Sprintf("/ehc/plans/%d", p.ID)
			if r := senco.get(planURL); !strings.Contains(r.text(), "No holidays are recorded for this school") {
				t.Error("plan page does not warn that no term dates are recorded")
			}
			// A line that starts later, with its date shown.
			r := senco.post(planURL+"/provision", dateVals("provStarts", day(2026, 2, 1), url.Values{"provDescription": {"Lego therapy"}, "provSessions": {"2"}, "provMinutes": {"30"}, "provBy": {"TA"}}))
			if err := hasFieldError(r, "provStarts", "The start date must be on or after the date the plan was issued (2 March 2026)"); err != nil {
				t.Error(err)
			}
			r = senco.post(planURL+"/provision", dateVals("provStarts", day(2026, 11, 2), url.Values{"provDescription": {"Lego therapy"}, "provSessions": {"2"}, "provMinutes": {"30"}, "provBy": {"TA"}}))
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("add line: %d %s", r.StatusCode, ehcErrSummary(r))
			}
			if r := senco.get(planURL); !strings.Contains(r.text(), "from 2 November 2026") || !strings.Contains(r.text(), "0 of 180 minutes") {
				t.Errorf("line start not shown or not used: %s", regexp.MustCompile(`\d+ of \d+ minutes`).FindString(r.text()))
			}

			office := a.login(sen.RoleOffice)
			r = office.post("/term-dates", dateVals("starts", day(2026, 11, 13), dateVals("ends", day(2026, 11, 12), url.Values{"label": {"Training day"}})))
			if err := hasFieldError(r, "ends", "The last day must be the same as or after the first day"); err != nil {
				t.Error(err)
			}
			r = office.post("/term-dates", url.Values{"label": {"Training day"}, "starts-day": {"31"}, "starts-month": {"2"}, "starts-year": {"2026"}})
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "Last day") {
				t.Errorf("impossible and missing dates: %d", r.StatusCode)
			}
			r = office.post("/term-dates", dateVals("starts", day(2026, 11, 11), dateVals("ends", day(2026, 11, 13), url.Values{"label": {"Training days"}})))
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("add holiday: %d", r.StatusCode)
			}
			if r := office.get("/term-dates"); !strings.Contains(r.text(), "Training days") || !strings.Contains(r.text(), "13 November 2026") {
				t.Error("holiday not listed")
			}
			// 2 to 23 November is 16 weekdays; less 3 training days, 13: 5 sessions of 30 minutes.
			if r := senco.get(planURL); strings.Contains(r.text(), "No holidays are recorded") || !strings.Contains(r.text(), "0 of 150 minutes") {
				t.Error("plan page still warns or miscounts after the term dates were added")
			}
			if r := a.login(sen.RoleTeacher).post("/term-dates", url.Values{"label": {"x"}}); r.StatusCode != http.StatusForbidden {
				t.Errorf("teacher changed term dates: %d", r.StatusCode)
			}
			if n := a.auditCount("term_dates.add", a.f.Users[sen.RoleOffice].ID); n != 1 {
				t.Errorf("audit rows %d", n)
			}
		})
	}
}

// TestEndPlanHTTP: the SENCO records that a plan ended; errors name the
// field; the plan becomes a read-only record listed under ended plans.
func TestEndPlanHTTP(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := newApp(t, engine)
			a.setSEN(&a.f.InClass, sen.StatusSupport, "SLCN")
			p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2025, 6, 2)}
			if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p); err != nil {
				t.Fatal(err)
			}
			planURL := fmt.Sprintf("/ehc/plans/%d", p.ID)
			senco := a.login(sen.RoleSENCO)
			if r := senco.get(planURL); !strings.Contains(r.Body, `href="`+planURL+`/end"`) {
				t.Fatal("no way to record that the plan ended")
			}
			r := senco.get(planURL + "/end")
			version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
			r = senco.post(planURL+"/end", dateVals("ended", day(2026, 11, 20), url.Values{"version": {version}, "reason": {"9"}, "newStatus": {"K"}}))
			if err := hasFieldError(r, "details", "Enter why the plan ended"); err != nil {
				t.Error(err)
			}
			r = senco.post(planURL+"/end", dateVals("ended", day(2026, 11, 20), url.Values{"version": {version}, "reason": {"5"}, "newStatus": {"K"}, "details": {"Moved to Northshire"}}))
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("end plan: %d %s", r.StatusCode, ehcErrSummary(r))
			}
			r = senco.get(planURL)
			if !strings.Contains(r.text(), "This plan ended on 20 November 2026") || !strings.Contains(r.text(), "Transferred to another local authority in England: Moved to Northshire") ||
				strings.Contains(r.Body, `id="add-provision"`) || strings.Contains(r.Body, `id="end-plan"`) {
				t.Error("ended plan page is not a read-only record")
			}
			if r := senco.get("/ehc"); !strings.Contains(r.Body, `id="ended-table"`) || !strings.Contains(r.text(), "Moved to Northshire") {
				t.Error("ended plan not listed on the EHC overview")
			}
			if r := senco.get("/pupils/" + strconv.FormatInt(a.f.InClass.ID, 10)); !strings.Contains(r.text(), "SEN support") {
				t.Error("register status not changed to SEN support")
			}
			if r := a.login(sen.RoleHead).get(planURL + "/end"); r.StatusCode != http.StatusForbidden {
				t.Errorf("SLT opened the end-plan form: %d", r.StatusCode)
			}
			if n := a.auditCount("ehc.plan.end", a.f.Users[sen.RoleSENCO].ID); n != 1 {
				t.Errorf("audit rows %d", n)
			}
		})
	}
}

// TestEHCConflictsHTTP: a save over someone else's change is refused with
// 409 and the form shown again as typed, the message against the form's
// field (the plan's details, the plan's end) or at the top of the review.
func TestEHCConflictsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
		senco := a.login(sen.RoleSENCO)
		p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
		if err := a.st.CreatePlan(t.Context(), a.f.Actor(sen.RoleSENCO), p); err != nil {
			t.Fatal(err)
		}
		planURL := fmt.Sprintf("/ehc/plans/%d", p.ID)
		stale := fmt.Sprint(p.Version - 1)
		staleMsg := func(what string) string {
			return "Someone else changed this " + what + " while you were editing. Nothing has been saved: check the current record and try again."
		}

		r := senco.post(planURL+"/edit", dateVals("issued", day(2026, 1, 20), url.Values{"version": {stale}, "laName": {"Northshire"}}))
		if r.StatusCode != http.StatusConflict {
			t.Errorf("stale plan edit: %d, want 409", r.StatusCode)
		}
		if err := hasFieldError(r, "laName", staleMsg("plan")); err != nil {
			t.Error(err)
		}
		if !strings.Contains(r.text(), "Someone else changed this plan first") || !strings.Contains(r.Body, `value="Northshire"`) ||
			!strings.Contains(r.Body, fmt.Sprintf(`name="version" value="%d"`, p.Version)) {
			t.Error("stale plan edit: the typed details or the current version are not kept")
		}

		r = senco.post(planURL+"/end", dateVals("ended", day(2026, 11, 20), url.Values{"version": {stale}, "reason": {"5"}, "newStatus": {"K"}, "details": {"Moved"}}))
		if r.StatusCode != http.StatusConflict {
			t.Errorf("stale plan end: %d, want 409", r.StatusCode)
		}
		if err := hasFieldError(r, "ended", "Someone else changed this plan while you were recording its end. Nothing has been saved: check the plan and try again."); err != nil {
			t.Error(err)
		}

		rid, err := a.st.StartReview(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, day(2026, 12, 10), "secondary")
		if err != nil {
			t.Fatal(err)
		}
		rv, err := a.st.Review(t.Context(), a.f.Actor(sen.RoleSENCO), rid)
		if err != nil {
			t.Fatal(err)
		}
		r = senco.post(fmt.Sprintf("/ehc/reviews/%d/record", rid), url.Values{"version": {fmt.Sprint(rv.Version - 1)}, "pupilViews": {"Likes maths"}})
		if r.StatusCode != http.StatusConflict {
			t.Errorf("stale review record: %d, want 409", r.StatusCode)
		}
		if !strings.Contains(r.Body, `href="#conflict">`+staleMsg("review")+`</a>`) || !strings.Contains(r.Body, `id="conflict"`) || !strings.Contains(r.Body, "Likes maths") {
			t.Error("stale review record: the conflict is not shown at the top with the record as typed")
		}
	})
}
