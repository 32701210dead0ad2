package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/upload"
)

// withNeed puts a pupil on SEN support with a primary need, so a plan can
// make them E (census: E needs a primary need).
func withNeed(t *testing.T, s *store.Store, f *storetest.Fixture, p sen.Pupil) {
	t.Helper()
	ctx := context.Background()
	cur, err := s.Pupil(ctx, f.Actor(sen.RoleSENCO), p.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordStatus(ctx, f.Actor(sen.RoleSENCO), p.ID, cur.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: d(2025, 9, 10), DecidedBy: "SENCO"},
		[]sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
		t.Fatal(err)
	}
}

func fieldErr(t *testing.T, err error, field string) {
	t.Helper()
	var fe sen.FieldErrors
	if !errors.As(err, &fe) || fe[field] == "" {
		t.Fatalf("want a field error on %q, got %v", field, err)
	}
}

func TestEHCRequestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		// today is 2026-11-23
		bad := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "nobody", Received: d(2026, 12, 1)}
		err := s.CreateRequest(ctx, senco, bad)
		fieldErr(t, err, "requestedBy")
		fieldErr(t, err, "received")

		r := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "school", Received: d(2026, 9, 7), LAName: "Riverside"}
		if err := s.CreateRequest(ctx, senco, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Request(ctx, senco, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		ms := got.Milestones()
		today := deadline.FromTime(s.Today())
		m, _ := deadline.Find(ms, deadline.KeyAssessDecision)
		if m.Due != (deadline.Date{Y: 2026, M: 10, D: 19}) || m.Status(today) != deadline.StatusOverdue || m.Owner != deadline.OwnerLA {
			t.Fatalf("6-week milestone %+v status %s", m, m.Status(today))
		}
		fp, _ := deadline.Find(ms, deadline.KeyFinalPlan)
		if fp.Due != (deadline.Date{Y: 2027, M: 1, D: 25}) {
			t.Fatalf("20-week date %v", fp.Due)
		}
		// Events: a decision to assess, recorded late.
		if err := s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvAssessDecision, Date: d(2026, 10, 20), Outcome: "assess"}); err != nil {
			t.Fatal(err)
		}
		// Inconsistent: a final plan before the request was received.
		fieldErr(t, s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvFinalIssued, Date: d(2026, 9, 1)}), "eventDate")
		// Missing outcome on a decision.
		fieldErr(t, s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvAssessDecision, Date: d(2026, 10, 20)}), "outcome")
		// Future event.
		fieldErr(t, s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvDraftServed, Date: d(2026, 12, 20)}), "eventDate")
		// Exception: school closure on the 6-week decision.
		fieldErr(t, s.RecordException(ctx, senco, r.ID, ehc.RequestException{Milestone: deadline.KeyAssessDecision, Reason: "school-closure"}), "exceptionNote")
		// An early-years closure cannot excuse the 6-week decision (reg 5(4)).
		fieldErr(t, s.RecordException(ctx, senco, r.ID, ehc.RequestException{Milestone: deadline.KeyAssessDecision, Reason: string(deadline.ExceptionEarlyYearsClosure), Note: "n"}), "reason")
		if err := s.RecordException(ctx, senco, r.ID, ehc.RequestException{Milestone: deadline.KeyAssessDecision, Reason: "school-closure", Note: "Advice asked for in the summer closure"}); err != nil {
			t.Fatal(err)
		}
		// A second exception for the same time limit is refused (a change is
		// a correction, with its reason and the history).
		fieldErr(t, s.RecordException(ctx, senco, r.ID, ehc.RequestException{Milestone: deadline.KeyAssessDecision, Reason: string(deadline.ExceptionAbsence), Note: "Family abroad"}), "milestone")
		got, err = s.Request(ctx, senco, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		m, _ = deadline.Find(got.Milestones(), deadline.KeyAssessDecision)
		if m.Status(today) != deadline.StatusExcepted {
			t.Fatalf("excepted milestone shows %s", m.Status(today))
		}
		if len(got.Events) != 1 || got.Events[0].RecordedBy != "Test SENCO" {
			t.Fatalf("events %+v", got.Events)
		}
		if s.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: ehc.EvDraftServed, Date: d(2026, 11, 16)}) != nil {
			t.Fatal("draft served")
		}
		got, _ = s.Request(ctx, senco, r.ID)
		dc, ok := deadline.Find(got.Milestones(), deadline.KeyDraftComments)
		if !ok || dc.Due != (deadline.Date{Y: 2026, M: 11, D: 30}) || dc.Owner != deadline.OwnerParent {
			t.Fatalf("draft comments %+v", dc)
		}

		// Scope: a teacher who does not teach the pupil, another school: not found.
		other := &ehc.Request{PupilID: f.NotTaught.ID, RequestedBy: "parent", Received: d(2026, 10, 1)}
		if err := s.CreateRequest(ctx, senco, other); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Request(ctx, f.Actor(sen.RoleTeacher), other.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher sees untaught pupil's request: %v", err)
		}
		if _, err := s.Request(ctx, sen.Actor{User: f.Other}, r.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school: %v", err)
		}
		list, err := s.Requests(ctx, senco)
		if err != nil || len(list) != 2 {
			t.Fatalf("list %d %v", len(list), err)
		}
		// Calendar: the open request milestones appear; the excepted one too.
		cal, err := s.StatutoryDates(ctx, senco, "test")
		if err != nil {
			t.Fatal(err)
		}
		var sawExcepted, sawOverdue bool
		for _, e := range cal {
			if e.Kind == ehc.KindRequest && e.RefID == r.ID && e.M.Key == deadline.KeyAssessDecision {
				t.Fatalf("done milestone listed as open: %+v", e)
			}
			if e.RefID == other.ID && e.M.Key == deadline.KeyAssessDecision && e.Status == deadline.StatusDueSoon {
				sawOverdue = true // 2026-10-01 + 6 weeks = 2026-11-12: overdue, not due soon
			}
			if e.Status == deadline.StatusOverdue {
				sawExcepted = true
			}
		}
		if sawOverdue || !sawExcepted {
			t.Fatalf("calendar statuses wrong: %+v", cal)
		}
		// Audit rows for reads exist.
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'ehc.request.read' AND pupil_id = $1`, f.InClass.ID).Scan(&n); err != nil || n < 3 {
			t.Fatalf("read audit %d %v", n, err)
		}
	})
}

func docx() []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<w:document/>`))
	zw.Close()
	return b.Bytes()
}

func TestSniffDocument(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		mime string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"png", []byte("\x89PNG\r\n\x1a\nxxxx"), "image/png"},
		{"jpeg", []byte("\xff\xd8\xff\xe0xxxx"), "image/jpeg"},
		{"docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"ole", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xxxx"), "application/x-ole-storage"},
		{"html named pdf", []byte("<html><script>alert(1)</script>"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), ""},
		{"zip without content types", func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.Create("a.txt")
			w.Write([]byte("x"))
			zw.Close()
			return b.Bytes()
		}(), ""},
	}
	for _, c := range cases {
		dt, ok := upload.Sniff("", c.b)
		if ok != (c.mime != "") || dt.MIME != c.mime {
			t.Errorf("%s: got %q %v", c.name, dt.MIME, ok)
		}
	}
}

func TestEHCPlanSectionsDeliveryAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		teacher, ta := f.Actor(sen.RoleTeacher), f.Actor(sen.RoleTA)

		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 3, 2), CaseOfficer: "J Bloggs", Placement: "Test Academy"}
		// No primary need recorded yet: E would fail the census check.
		fieldErr(t, s.CreatePlan(ctx, senco, p), "laName")
		withNeed(t, s, f, f.InClass)
		fieldErr(t, s.CreatePlan(ctx, senco, &ehc.Plan{PupilID: f.InClass.ID, Issued: d(2026, 3, 2), LastReviewed: d(2026, 1, 1)}), "lastReviewed")
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		pu, _ := s.Pupil(ctx, senco, f.InClass.ID, "test")
		if pu.Status != sen.StatusEHCP {
			t.Fatalf("pupil status %s, want E", pu.Status)
		}
		fieldErr(t, s.CreatePlan(ctx, senco, &ehc.Plan{PupilID: f.InClass.ID, LAName: "X", Issued: d(2026, 3, 2)}), "laName") // second active plan
		if err := s.AddPlanNeed(ctx, senco, p.ID, ehc.Need{Area: sen.AreaCI, Text: "Needs help with social communication"}); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, s.AddPlanNeed(ctx, senco, p.ID, ehc.Need{Area: "XX", Text: ""}), "needArea")
		if err := s.AddOutcome(ctx, senco, p.ID, ehc.Outcome{Text: "Will take part in group work", ByWhen: "July 2027"}); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "x", SessionsPerWeek: 0, Minutes: 30, DeliveredBy: "TA"}), "provSessions")
		if err := s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "Speech and language group", SessionsPerWeek: 3, Minutes: 30, DeliveredBy: "TA", StaffUserID: ta.User.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "Social skills", SessionsPerWeek: 1, Minutes: 60, DeliveredBy: "Teacher", StaffUserID: teacher.User.ID}); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "x", SessionsPerWeek: 1, Minutes: 30, DeliveredBy: "TA", StaffUserID: f.Other.ID}), "provStaff")

		full, err := s.Plan(ctx, senco, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Needs) != 1 || len(full.Outcomes) != 1 || len(full.Provision) != 2 || full.Restricted {
			t.Fatalf("plan %+v", full)
		}
		ta1 := full.Provision[0]
		// Today 2026-11-23: autumn term from 1 Sep = 12 whole weeks; 3 × 30 min a week.
		if ta1.Term.Weeks != 12 || ta1.Term.ExpectedSessions != 36 || ta1.Term.ExpectedMinutes != 1080 {
			t.Fatalf("term expectation %+v", ta1.Term)
		}
		// The TA records deliveries on their own line, not on the teacher's.
		for i := 0; i < 30; i++ {
			if err := s.RecordDelivery(ctx, ta, ta1.ID, ehc.Delivery{Date: d(2026, 9, 1).AddDate(0, 0, i*2), Minutes: 30, DeliveredBy: "Test TA"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordDelivery(ctx, ta, ta1.ID, ehc.Delivery{Date: d(2026, 11, 20), Missed: true, MissedReason: "Pupil absent"}); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, s.RecordDelivery(ctx, ta, ta1.ID, ehc.Delivery{Date: d(2026, 11, 20), Missed: true}), "missedReason")
		fieldErr(t, s.RecordDelivery(ctx, ta, ta1.ID, ehc.Delivery{Date: d(2026, 2, 1), Minutes: 30, DeliveredBy: "x"}), "sessionDate")
		if err := s.RecordDelivery(ctx, ta, full.Provision[1].ID, ehc.Delivery{Date: d(2026, 11, 20), Minutes: 60, DeliveredBy: "x"}); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("TA recorded on another's line: %v", err)
		}
		full, _ = s.Plan(ctx, senco, p.ID)
		st := full.Provision[0].Term
		if st.DeliveredSessions != 30 || st.DeliveredMinutes != 900 || st.Missed != 1 || st.Short() {
			t.Fatalf("delivered %+v short=%v", st, st.Short())
		}
		if !full.Provision[1].Term.Short() {
			t.Fatalf("teacher's line with nothing delivered should be short: %+v", full.Provision[1].Term)
		}
		// Teacher: restricted view with Section E and only their line.
		tv, err := s.Plan(ctx, teacher, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !tv.Restricted || len(tv.Needs) != 0 || tv.LAName != "" || len(tv.Outcomes) != 1 || len(tv.Provision) != 1 || tv.Provision[0].StaffUserID != teacher.User.ID {
			t.Fatalf("teacher view %+v", tv)
		}
		for _, d := range tv.Deliveries {
			if d.ProvisionID != tv.Provision[0].ID {
				t.Fatalf("teacher sees delivery of another line")
			}
		}
		// Untaught pupil's plan: not found for the teacher.
		withNeed(t, s, f, f.NotTaught)
		p2 := &ehc.Plan{PupilID: f.NotTaught.ID, LAName: "Riverside", Issued: d(2025, 10, 1)}
		if err := s.CreatePlan(ctx, senco, p2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Plan(ctx, teacher, p2.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher opened untaught plan: %v", err)
		}
		// Documents: sniffed, stored, downloadable by SENCO, never by teachers.
		fieldErr(t, s.SetPlanDocument(ctx, senco, p.ID, "plan.pdf", []byte("<html>not a pdf</html>")), "document")
		fieldErr(t, s.SetPlanDocument(ctx, senco, p.ID, "plan.pdf", append([]byte("%PDF-"), make([]byte, ehc.MaxDocumentSize)...)), "document")
		if err := s.SetPlanDocument(ctx, senco, p.ID, `..\..\evil"name.html`, []byte("%PDF-1.4 test")); err != nil {
			t.Fatal(err)
		}
		doc, err := s.PlanDocumentFor(ctx, senco, p.ID)
		if err != nil || doc.MIME != "application/pdf" || !strings.HasSuffix(doc.Filename, ".pdf") || strings.ContainsAny(doc.Filename, `"/\`) || string(doc.Data) != "%PDF-1.4 test" {
			t.Fatalf("doc %+v %v", doc.Filename, err)
		}
		if _, err := s.PlanDocumentFor(ctx, teacher, p.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher downloaded plan: %v", err)
		}
		// Optimistic locking on the plan record.
		stale := full
		stale.CaseOfficer = "Someone"
		if err := s.UpdatePlan(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		// Governor figures: counts only.
		fig, err := s.EHCFiguresFor(ctx, f.SchoolID)
		if err != nil || fig.Plans != 2 || fig.ProvisionLines != 2 || fig.ProvisionShort != 1 {
			t.Fatalf("figures %+v %v", fig, err)
		}
	})
}

func TestEHCAnnualReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, office := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleOffice)
		withNeed(t, s, f, f.InClass)
		// Issued 2026-01-20: review due 2027-01-19.
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 1, 20)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		if due := p.ReviewDue(); !due.Equal(d(2027, 1, 19)) {
			t.Fatalf("review due %v", due)
		}
		// A meeting on the day the plan was issued, or more than 12 months
		// away (a mistyped year), is refused; a late or short-notice one is
		// accepted and warned about (TestEHCLateReview).
		fieldErr(t, func() error { _, err := s.StartReview(ctx, senco, p.ID, d(2026, 1, 20), "secondary"); return err }(), "meeting")
		fieldErr(t, func() error { _, err := s.StartReview(ctx, senco, p.ID, d(2027, 11, 24), "secondary"); return err }(), "meeting")
		id, err := s.StartReview(ctx, senco, p.ID, d(2026, 12, 10), "secondary")
		if err != nil {
			t.Fatal(err)
		}
		fieldErr(t, func() error { _, err := s.StartReview(ctx, senco, p.ID, d(2026, 12, 11), "secondary"); return err }(), "meeting")
		rv, err := s.Review(ctx, senco, id)
		if err != nil {
			t.Fatal(err)
		}
		md := deadline.MeetingDeadlinesFrom(deadline.FromTime(rv.Meeting))
		if md.Invitations != (deadline.Date{Y: 2026, M: 11, D: 26}) || md.Report != (deadline.Date{Y: 2026, M: 12, D: 24}) {
			t.Fatalf("deadlines %+v", md)
		}
		// The meeting moves: everything is recomputed from the new date.
		if err := s.RescheduleMeeting(ctx, senco, id, rv.Version, d(2026, 12, 17), "secondary"); err != nil {
			t.Fatal(err)
		}
		if err := s.RescheduleMeeting(ctx, senco, id, rv.Version, d(2026, 12, 18), "secondary"); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale reschedule: %v", err)
		}
		rv, _ = s.Review(ctx, senco, id)
		ms := deadline.ReviewMilestones(rv.Facts(nil))
		inv, _ := deadline.Find(ms, deadline.KeyReviewInvitations)
		if inv.Due != (deadline.Date{Y: 2026, M: 12, D: 3}) {
			t.Fatalf("invitations after move %v", inv.Due)
		}
		for _, party := range []string{"parent", "la"} {
			if err := s.AddInvitee(ctx, senco, id, ehc.Invitee{Party: party, Name: "Invitee " + party}); err != nil {
				t.Fatal(err)
			}
		}
		fieldErr(t, s.AddInvitee(ctx, senco, id, ehc.Invitee{Party: "x"}), "party")
		rv, _ = s.Review(ctx, senco, id)
		// Office records one letter sent: not yet all invited.
		if err := s.RecordInviteeStep(ctx, office, rv.Invitees[0].ID, ehc.StepInvited, d(2026, 11, 23)); err != nil {
			t.Fatal(err)
		}
		pend, err := s.PendingInvitations(ctx, office)
		if err != nil || len(pend) != 1 || !pend[0].SendBy.Equal(d(2026, 12, 3)) {
			t.Fatalf("pending %+v %v", pend, err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if !rv.InvitesSent.IsZero() {
			t.Fatal("invites_sent set before everyone was invited")
		}
		if err := s.RecordInviteeStep(ctx, office, rv.Invitees[1].ID, ehc.StepInvited, d(2026, 11, 23)); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if !rv.InvitesSent.Equal(d(2026, 11, 23)) {
			t.Fatalf("invites_sent %v", rv.InvitesSent)
		}
		// Cannot record the meeting held before it happens.
		fieldErr(t, s.SaveReviewRecord(ctx, senco, id, ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true}), "meetingHeld")
		// Jump to after the meeting.
		s.Now = storetest.FixedClock(time.Date(2026, 12, 18, 10, 0, 0, 0, time.UTC))
		rec := ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true, Attended: []int64{rv.Invitees[0].ID}, PupilViews: "I like maths",
			ParentViews: "Happy with progress", Amendments: "Update Section F", Progress: []ehc.OutcomeProgress{}}
		if err := s.SaveReviewRecord(ctx, senco, id, rec); err != nil {
			t.Fatal(err)
		}
		plan, _ := s.Plan(ctx, senco, p.ID)
		if !plan.LastReviewed.Equal(d(2026, 12, 17)) || !plan.ReviewDue().Equal(d(2027, 12, 16)) {
			t.Fatalf("plan last reviewed %v due %v", plan.LastReviewed, plan.ReviewDue())
		}
		fieldErr(t, s.RecordReviewEvent(ctx, senco, id, ehc.RvDecision, d(2026, 12, 18), "bogus"), "outcome")
		fieldErr(t, s.RecordReviewEvent(ctx, senco, id, ehc.RvReportSent, d(2026, 12, 1), ""), "eventDate")
		if err := s.RecordReviewEvent(ctx, senco, id, ehc.RvReportSent, d(2026, 12, 18), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordReviewEvent(ctx, senco, id, ehc.RvDecision, d(2026, 12, 18), "amend"); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		am, ok := deadline.Find(deadline.ReviewMilestones(rv.Facts(nil)), deadline.KeyAmendedPlan)
		if !ok || am.Owner != deadline.OwnerLA {
			t.Fatalf("amended plan milestone %+v", am)
		}
		if rv.Invitees[0].Attended != true || rv.Invitees[1].Attended {
			t.Fatalf("attendance %+v", rv.Invitees)
		}
		// Calendar: the amended plan is an LA milestone still open.
		cal, err := s.StatutoryDates(ctx, senco, "test")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range cal {
			if e.Kind == ehc.KindReview && e.RefID == id && e.M.Key == deadline.KeyAmendedPlan {
				found = true
			}
		}
		if !found {
			t.Fatalf("amended plan not in calendar: %+v", cal)
		}
		fig, _ := s.EHCFiguresFor(ctx, f.SchoolID)
		if fig.ReviewsHeld != 1 || fig.ReviewsHeldOnTime != 1 {
			t.Fatalf("figures %+v", fig)
		}
	})
}

func TestPhaseTransfersAndFeedAndOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		// A Year 11 pupil at a secondary school transfers to post-16: 31 March 2027.
		y11 := sen.Pupil{UPN: "A123456789012", Forename: "Cara", Surname: "Dunn", DOB: d(2010, 10, 1), Sex: "F", YearGroup: "11", ClassName: "11A"}
		y11.UPN = "E" + "820120001001"
		y11.UPN = string(sen.UPNCheckLetter(y11.UPN[1:])) + y11.UPN[1:]
		if err := s.CreatePupil(ctx, senco, &y11); err != nil {
			t.Fatal(err)
		}
		withNeed(t, s, f, y11)
		// Plan issued just before the transfer year's deadline window.
		p := &ehc.Plan{PupilID: y11.ID, LAName: "Riverside", Issued: d(2026, 11, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		rows, err := s.PhaseTransfers(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || !rows[0].Deadline.Equal(d(2027, 3, 31)) || !rows[0].LastDay.Equal(d(2027, 3, 30)) || !rows[0].ThisYear {
			t.Fatalf("transfers %+v", rows)
		}
		cal, _ := s.StatutoryDates(ctx, senco, "test")
		var tr bool
		for _, e := range cal {
			if e.Kind == ehc.KindTransfer && e.PupilID == y11.ID && e.Due.Equal(d(2027, 3, 30)) {
				tr = true
			}
			if e.Kind == ehc.KindReview && e.PupilID == y11.ID && e.M.Key == deadline.KeyReviewMeeting && !e.Due.Equal(d(2027, 3, 30)) {
				t.Fatalf("meeting limit should be the last day before the transfer deadline: %v", e.Due)
			}
		}
		if !tr {
			t.Fatalf("transfer not in calendar %+v", cal)
		}
		// The transfer review is held: the calendar asks for no second meeting,
		// and the transfer deadline stays, once, on that review until the LA amends.
		rid, err := s.StartReview(ctx, senco, p.ID, d(2026, 12, 10), "secondary")
		if err != nil {
			t.Fatal(err)
		}
		rv, _ := s.Review(ctx, senco, rid)
		s.Now = storetest.FixedClock(time.Date(2026, 12, 11, 10, 0, 0, 0, time.UTC))
		if err := s.SaveReviewRecord(ctx, senco, rid, ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true, Progress: []ehc.OutcomeProgress{}}); err != nil {
			t.Fatal(err)
		}
		transfers := func() (meetings, trs int, ref int64) {
			t.Helper()
			cal, err := s.StatutoryDates(ctx, senco, "test")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range cal {
				if e.PupilID != y11.ID {
					continue
				}
				switch e.M.Key {
				case deadline.KeyReviewMeeting:
					if e.Due.Before(d(2027, 12, 1)) { // next year's review is fine
						meetings++
					}
				case deadline.KeyPhaseTransfer:
					trs++
					ref = e.RefID
				}
			}
			return
		}
		if m, n, ref := transfers(); m != 0 || n != 1 || ref != rid {
			t.Fatalf("after the transfer review: %d open meetings, %d transfer dates (on %d, want review %d)", m, n, ref, rid)
		}
		if err := s.RecordReviewEvent(ctx, senco, rid, ehc.RvReportSent, d(2026, 12, 11), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordReviewEvent(ctx, senco, rid, ehc.RvDecision, d(2026, 12, 11), "amend"); err != nil {
			t.Fatal(err)
		}
		if m, n, _ := transfers(); m != 0 || n != 1 {
			t.Fatalf("before the amended plan: %d open meetings, %d transfer dates", m, n)
		}
		s.Now = storetest.FixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))

		// Calendar feed: token only stored hashed; revocable; regenerating revokes.
		tok, err := s.NewCalendarFeed(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		s.DB().QueryRow(`SELECT token_hash FROM calendar_feeds WHERE user_id = $1`, senco.User.ID).Scan(&stored)
		if stored == tok || len(stored) != 64 {
			t.Fatalf("token stored in clear or wrong hash: %q", stored)
		}
		if u, err := s.UserByFeedToken(ctx, tok); err != nil || u.ID != senco.User.ID {
			t.Fatalf("feed lookup %v", err)
		}
		tok2, _ := s.NewCalendarFeed(ctx, senco)
		if _, err := s.UserByFeedToken(ctx, tok); !errors.Is(err, sen.ErrNotFound) {
			t.Fatal("old token still works after regenerating")
		}
		if err := s.RevokeCalendarFeed(ctx, senco); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByFeedToken(ctx, tok2); !errors.Is(err, sen.ErrNotFound) {
			t.Fatal("revoked token still works")
		}

		// Outbox: one digest per user per day.
		m := &store.OutboxMail{SchoolID: f.SchoolID, UserID: senco.User.ID, Kind: "digest", Day: d(2026, 11, 23), To: "a@b", Subject: "s", Text: "t", HTML: "<p>t</p>", Status: store.OutboxHeld}
		created, err := s.AddOutbox(ctx, m)
		if err != nil || !created {
			t.Fatalf("outbox %v %v", created, err)
		}
		again := *m
		created, err = s.AddOutbox(ctx, &again)
		if err != nil || created {
			t.Fatalf("duplicate digest stored: %v %v", created, err)
		}
		list, err := s.Outbox(ctx, senco, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox list %d %v", len(list), err)
		}
		if _, err := s.OutboxMailFor(ctx, sen.Actor{User: f.Other}, m.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatal("other school read the outbox")
		}
	})
}

func TestSchoolDays(t *testing.T) {
	half := []sen.Holiday{{Label: "October half-term", Starts: d(2026, 10, 26), Ends: d(2026, 10, 30)}}
	for _, tc := range []struct {
		name        string
		first, last time.Time
		hols        []sen.Holiday
		want        int
	}{
		{"a Monday", d(2026, 11, 23), d(2026, 11, 23), nil, 1},
		{"a weekend", d(2026, 11, 21), d(2026, 11, 22), nil, 0},
		{"last before first", d(2026, 11, 24), d(2026, 11, 23), nil, 0},
		{"autumn term to 23 November", d(2026, 9, 1), d(2026, 11, 23), nil, 60},
		{"less October half-term", d(2026, 9, 1), d(2026, 11, 23), half, 55},
		{"inside the holiday", d(2026, 10, 27), d(2026, 10, 29), half, 0},
		{"leap day (a Thursday in 2028)", d(2028, 2, 29), d(2028, 2, 29), nil, 1},
	} {
		if got := store.SchoolDays(tc.first, tc.last, tc.hols); got != tc.want {
			t.Errorf("%s: %d school days, want %d", tc.name, got, tc.want)
		}
	}
}

// Term dates: holidays are checked and, with a line's start date, decide
// what Section F provision is expected.
func TestTermDatesAndLineStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, ta := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTA)
		withNeed(t, s, f, f.InClass)
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 3, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		fieldErr(t, s.AddHoliday(ctx, senco, &sen.Holiday{Starts: d(2026, 10, 26), Ends: d(2026, 10, 30)}), "label")
		fieldErr(t, s.AddHoliday(ctx, senco, &sen.Holiday{Label: "Half-term", Starts: d(2026, 10, 30), Ends: d(2026, 10, 26)}), "ends")
		fieldErr(t, s.AddHoliday(ctx, senco, &sen.Holiday{Label: "Too long", Starts: d(2026, 7, 1), Ends: d(2026, 9, 30)}), "ends")
		half := &sen.Holiday{Label: "October half-term", Starts: d(2026, 10, 26), Ends: d(2026, 10, 30)}
		if err := s.AddHoliday(ctx, senco, half); err != nil {
			t.Fatal(err)
		}
		err := s.AddHoliday(ctx, senco, &sen.Holiday{Label: "Training day", Starts: d(2026, 10, 30), Ends: d(2026, 10, 30)})
		var fe sen.FieldErrors
		if !errors.As(err, &fe) || !strings.Contains(fe["starts"], "overlap October half-term (26 October 2026 to 30 October 2026)") {
			t.Fatalf("overlap: %v", err)
		}
		// Another school's holidays are its own.
		if hs, err := s.Holidays(ctx, sen.Actor{User: f.Other}); err != nil || len(hs) != 0 {
			t.Fatalf("other school sees %d holidays (%v)", len(hs), err)
		}
		if err := s.RemoveHoliday(ctx, sen.Actor{User: f.Other}, half.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school removed a holiday: %v", err)
		}

		fieldErr(t, s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "x", SessionsPerWeek: 1, Minutes: 30, DeliveredBy: "TA", Starts: d(2026, 2, 1)}), "provStarts")
		if err := s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "Speech group", SessionsPerWeek: 2, Minutes: 30, DeliveredBy: "TA", StaffUserID: ta.User.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "Lego therapy", SessionsPerWeek: 2, Minutes: 30, DeliveredBy: "TA", StaffUserID: ta.User.ID, Starts: d(2026, 11, 2)}); err != nil {
			t.Fatal(err)
		}
		full, err := s.Plan(ctx, senco, p.ID)
		if err != nil || len(full.Provision) != 2 {
			t.Fatalf("plan %v", err)
		}
		// Today 2026-11-23. From 1 September: 60 weekdays less the 5-day half-term.
		if st := full.Provision[0].Term; st.SchoolDays != 55 || st.ExpectedSessions != 22 || st.ExpectedMinutes != 660 {
			t.Fatalf("term from 1 September %+v", st)
		}
		// From the line's start on 2 November: 16 school days, 6 sessions.
		lego := full.Provision[1]
		if !lego.Starts.Equal(d(2026, 11, 2)) || lego.Term.SchoolDays != 16 || lego.Term.ExpectedSessions != 6 || lego.Year.ExpectedSessions != 6 {
			t.Fatalf("line from 2 November %+v / %+v", lego.Term, lego.Year)
		}
		fieldErr(t, s.RecordDelivery(ctx, ta, lego.ID, ehc.Delivery{Date: d(2026, 10, 30), Minutes: 30, DeliveredBy: "TA"}), "sessionDate")
		for _, day := range []int{2, 4, 9, 11, 16, 18} {
			if err := s.RecordDelivery(ctx, ta, lego.ID, ehc.Delivery{Date: d(2026, 11, day), Minutes: 30, DeliveredBy: "TA"}); err != nil {
				t.Fatal(err)
			}
		}
		full, _ = s.Plan(ctx, senco, p.ID)
		if st := full.Provision[1].Term; st.DeliveredSessions != 6 || st.Short() || st.Percent() != 100 {
			t.Fatalf("delivered as specified %+v", st)
		}
		// Removing the holiday brings its week back into what is expected.
		if err := s.RemoveHoliday(ctx, senco, half.ID); err != nil {
			t.Fatal(err)
		}
		full, _ = s.Plan(ctx, senco, p.ID)
		if st := full.Provision[0].Term; st.SchoolDays != 60 || st.ExpectedSessions != 24 {
			t.Fatalf("after removing the holiday %+v", st)
		}
	})
}

// Ending a plan: checked, kept as an inactive record, off the calendar and
// the active list, the register updated, and no further changes.
func TestEndPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, ta := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTA)
		withNeed(t, s, f, f.InClass)
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2025, 6, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		if err := s.AddProvision(ctx, senco, p.ID, ehc.Provision{Description: "Speech group", SessionsPerWeek: 1, Minutes: 30, DeliveredBy: "TA", StaffUserID: ta.User.ID}); err != nil {
			t.Fatal(err)
		}
		cur, _ := s.Plan(ctx, senco, p.ID)
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Version: cur.Version, NewStatus: "K"}), "ended")
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 24), Reason: "2", NewStatus: "K", Version: cur.Version}), "ended")
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2025, 5, 1), Reason: "2", NewStatus: "K", Version: cur.Version}), "ended")
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "x", NewStatus: "K", Version: cur.Version}), "reason")
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "9", NewStatus: "K", Version: cur.Version}), "details")
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "2", NewStatus: "E", Version: cur.Version}), "newStatus")
		if err := s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "2", NewStatus: "N", Version: cur.Version - 1}); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale end: %v", err)
		}
		if err := s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "2", Details: "LA letter of 6 November", NewStatus: "N", Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		ended, err := s.Plan(ctx, senco, p.ID)
		if err != nil || ended.Active || !ended.Ended.Equal(d(2026, 11, 20)) || !strings.Contains(ended.EndReason, "Needs being met without an EHC plan") || !strings.Contains(ended.EndReason, "LA letter") {
			t.Fatalf("ended plan %+v %v", ended, err)
		}
		pu, _ := s.Pupil(ctx, senco, f.InClass.ID, "test")
		if pu.Status != sen.StatusNone || len(pu.Needs) != 0 || !pu.StatusFrom.Equal(d(2026, 11, 20)) {
			t.Fatalf("register after the plan ended: %s from %v needs %v", pu.Status, pu.StatusFrom, pu.Needs)
		}
		if active, _ := s.Plans(ctx, senco); len(active) != 0 {
			t.Fatalf("ended plan still listed as active: %d", len(active))
		}
		if list, _ := s.EndedPlans(ctx, senco); len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("ended plans %+v", list)
		}
		cal, _ := s.StatutoryDates(ctx, senco, "test")
		for _, e := range cal {
			if e.PupilID == f.InClass.ID {
				t.Fatalf("ended plan still on the calendar: %+v", e)
			}
		}
		fieldErr(t, s.AddOutcome(ctx, senco, p.ID, ehc.Outcome{Text: "x"}), "plan")
		if err := s.RecordDelivery(ctx, ta, ended.Provision[0].ID, ehc.Delivery{Date: d(2026, 11, 20), Minutes: 30, DeliveredBy: "TA"}); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("delivery on an ended plan: %v", err)
		}
		fieldErr(t, s.EndPlan(ctx, senco, p.ID, ehc.PlanEnd{Ended: d(2026, 11, 20), Reason: "2", NewStatus: "N", Version: ended.Version}), "ended")
		// A new plan can be recorded for the pupil later.
		pu, _ = s.Pupil(ctx, senco, f.InClass.ID, "test")
		if err := s.RecordStatus(ctx, senco, pu.ID, pu.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: d(2026, 11, 21), DecidedBy: "SENCO"},
			[]sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePlan(ctx, senco, &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 11, 23)}); err != nil {
			t.Fatalf("new plan after the old one ended: %v", err)
		}
	})
}
