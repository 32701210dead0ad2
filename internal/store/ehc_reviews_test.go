package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func milestoneOf(t *testing.T, ms []deadline.Milestone, key string) deadline.Milestone {
	t.Helper()
	m, ok := deadline.Find(ms, key)
	if !ok {
		t.Fatalf("no milestone %s in %+v", key, ms)
	}
	return m
}

func dd(y int, m time.Month, day int) deadline.Date { return deadline.Date{Y: y, M: m, D: day} }

// TestEHCLateReview: a plan whose review is overdue is reviewed late, with
// the meeting entered afterwards with its real date; the review's steps are
// measured from that date, and mistakes are corrected with a reason, the
// plan's dates following.
func TestEHCLateReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, office := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleOffice)
		withNeed(t, s, f, f.InClass)
		// Issued 1 October 2025: the review was due by 30 September 2026;
		// today is 23 November 2026, so it is 54 days overdue.
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2025, 10, 1), LastAmended: d(2026, 3, 1)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		today := s.Today()
		// The meeting took place on 10 November (41 days late) and is entered now.
		id, err := s.StartReview(ctx, senco, p.ID, d(2026, 11, 10), "secondary")
		if err != nil {
			t.Fatalf("a late meeting already held is refused: %v", err)
		}
		rv, _ := s.Review(ctx, senco, id)
		if w := rv.Facts(nil).MeetingWarnings(deadline.FromTime(today)); len(w) != 2 || w[0] != (deadline.MeetingWarning{Kind: deadline.WarnLate, Days: 41}) || w[1].Kind != deadline.WarnNotYetHeld {
			t.Fatalf("warnings %+v", w)
		}
		for _, party := range []string{"parent", "la"} {
			if err := s.AddInvitee(ctx, senco, id, ehc.Invitee{Party: party, Name: "Invitee " + party}); err != nil {
				t.Fatal(err)
			}
		}
		rv, _ = s.Review(ctx, senco, id)
		for _, in := range rv.Invitees {
			if err := s.RecordInviteeStep(ctx, office, in.ID, ehc.StepInvited, d(2026, 10, 20)); err != nil {
				t.Fatal(err)
			}
		}
		rv, _ = s.Review(ctx, senco, id)
		if err := s.SaveReviewRecord(ctx, senco, id, ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true, Progress: []ehc.OutcomeProgress{}}); err != nil {
			t.Fatal(err)
		}
		plan, _ := s.Plan(ctx, senco, p.ID)
		if !plan.LastReviewed.Equal(d(2026, 11, 10)) || !plan.ReviewDue().Equal(d(2027, 11, 9)) {
			t.Fatalf("after the late review: last reviewed %v, next due %v", plan.LastReviewed, plan.ReviewDue())
		}
		if err := s.RecordReviewEvent(ctx, senco, id, ehc.RvReportSent, d(2026, 11, 20), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordReviewEvent(ctx, senco, id, ehc.RvDecision, d(2026, 11, 23), "amend"); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		ms := deadline.ReviewMilestones(rv.Facts(nil))
		tday := deadline.FromTime(today)
		if m := milestoneOf(t, ms, deadline.KeyReviewMeeting); m.Status(tday) != deadline.StatusDoneLate || m.DaysLate(tday) != 41 {
			t.Errorf("meeting %s, %d days late", m.Status(tday), m.DaysLate(tday))
		}
		if m := milestoneOf(t, ms, deadline.KeyReviewInvitations); m.Due != dd(2026, 10, 27) || m.Status(tday) != deadline.StatusDone {
			t.Errorf("invitations due %s %s", m.Due, m.Status(tday))
		}
		if m := milestoneOf(t, ms, deadline.KeyReviewDecision); m.Due != dd(2026, 12, 8) || m.Status(tday) != deadline.StatusDone {
			t.Errorf("decision due %s %s: 4 weeks from the real meeting", m.Due, m.Status(tday))
		}

		// The decision was typed wrongly: corrected, with a reason.
		c := ehc.CorrectionRequest{Version: rv.Version, Item: ehc.RvDecision, Action: ehc.ActCorrect, Date: d(2026, 11, 21), Outcome: "maintain", Reason: "Wrong date and outcome typed"}
		fieldErr(t, s.CorrectReview(ctx, senco, id, ehc.CorrectionRequest{Version: rv.Version, Item: ehc.RvDecision, Action: ehc.ActWithdraw}), "correctReason")
		if err := s.CorrectReview(ctx, sen.Actor{User: sen.User{ID: 999, SchoolID: 999, Role: sen.RoleSENCO}}, id, c); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school corrected a review: %v", err)
		}
		if err := s.CorrectReview(ctx, senco, id, c); err != nil {
			t.Fatal(err)
		}
		if err := s.CorrectReview(ctx, senco, id, c); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale correction: %v", err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if !rv.Decision.Equal(d(2026, 11, 21)) || rv.Outcome != "maintain" || len(rv.Corrections) != 1 {
			t.Fatalf("decision %v %q, %d corrections", rv.Decision, rv.Outcome, len(rv.Corrections))
		}
		h := rv.Corrections[0]
		if h.From() != "23 November 2026: Amend the plan" || h.To() != "21 November 2026: Maintain the plan as it is" || h.By != f.Users[sen.RoleSENCO].Name || h.At.IsZero() || h.Reason != c.Reason {
			t.Errorf("history %+v: %q -> %q", h, h.From(), h.To())
		}
		if appeal := milestoneOf(t, deadline.ReviewMilestones(rv.Facts(nil)), deadline.KeyAppeal); appeal.Due != dd(2027, 1, 21) {
			t.Errorf("appeal due %s: does not follow the corrected decision", appeal.Due)
		}
		// The meeting cannot be un-held while steps after it are recorded.
		fieldErr(t, s.CorrectReview(ctx, senco, id, ehc.CorrectionRequest{Version: rv.Version, Item: ehc.ItemMeeting, Action: ehc.ActWithdraw, Reason: "Not held"}), "action")
		// An invitation recorded by mistake.
		c = ehc.CorrectionRequest{Version: rv.Version, Item: ehc.InviteeItem(rv.Invitees[1].ID, ehc.StepInvited), Action: ehc.ActWithdraw, Reason: "Letter not sent"}
		if err := s.CorrectReview(ctx, senco, id, c); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if !rv.Invitees[1].Invited.IsZero() || !rv.InvitesSent.IsZero() || rv.Corrections[1].RefName != "Invitee la" {
			t.Errorf("invitation withdrawn: %+v, invites sent %v, %+v", rv.Invitees[1], rv.InvitesSent, rv.Corrections[1])
		}
		// Withdraw the steps after the meeting, then the meeting itself: the
		// plan's review dates go back.
		for _, item := range []string{ehc.RvDecision, ehc.RvReportSent, ehc.ItemMeeting} {
			rv, _ = s.Review(ctx, senco, id)
			if err := s.CorrectReview(ctx, senco, id, ehc.CorrectionRequest{Version: rv.Version, Item: item, Action: ehc.ActWithdraw, Reason: "Entered on the wrong plan"}); err != nil {
				t.Fatalf("withdraw %s: %v", item, err)
			}
		}
		plan, _ = s.Plan(ctx, senco, p.ID)
		if !plan.LastReviewed.IsZero() || !plan.ReviewDue().Equal(d(2026, 9, 30)) {
			t.Fatalf("meeting not held: last reviewed %v, due %v", plan.LastReviewed, plan.ReviewDue())
		}
		rv, _ = s.Review(ctx, senco, id)
		if rv.MeetingHeld || len(rv.Corrections) != 5 || rv.Corrections[4].To() != "Not held" {
			t.Fatalf("held %v, history %+v", rv.MeetingHeld, rv.Corrections)
		}
		// Held after all, on 12 November: the amended plan recorded, then
		// withdrawn, puts the plan's last-amended date back.
		if err := s.RescheduleMeeting(ctx, senco, id, rv.Version, d(2026, 11, 12), "secondary"); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if err := s.SaveReviewRecord(ctx, senco, id, ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true, Progress: []ehc.OutcomeProgress{}}); err != nil {
			t.Fatal(err)
		}
		// Un-ticking "held" on the record form is refused: it is a correction.
		rv, _ = s.Review(ctx, senco, id)
		fieldErr(t, s.SaveReviewRecord(ctx, senco, id, ehc.ReviewRecord{Version: rv.Version, Progress: []ehc.OutcomeProgress{}}), "meetingHeld")
		for _, ev := range []struct {
			kind, outcome string
			on            time.Time
		}{{ehc.RvDecision, "amend", d(2026, 11, 19)}, {ehc.RvAmendedIssued, "", d(2026, 11, 23)}} {
			if err := s.RecordReviewEvent(ctx, senco, id, ev.kind, ev.on, ev.outcome); err != nil {
				t.Fatal(err)
			}
		}
		plan, _ = s.Plan(ctx, senco, p.ID)
		if !plan.LastAmended.Equal(d(2026, 11, 23)) || !plan.LastReviewed.Equal(d(2026, 11, 12)) {
			t.Fatalf("plan amended %v reviewed %v", plan.LastAmended, plan.LastReviewed)
		}
		// The held meeting's date was wrong: corrected, the plan follows.
		rv, _ = s.Review(ctx, senco, id)
		if err := s.CorrectReview(ctx, senco, id, ehc.CorrectionRequest{Version: rv.Version, Item: ehc.ItemMeeting, Action: ehc.ActCorrect, Date: d(2026, 11, 13), Reason: "Held on the Friday"}); err != nil {
			t.Fatal(err)
		}
		rv, _ = s.Review(ctx, senco, id)
		if err := s.CorrectReview(ctx, senco, id, ehc.CorrectionRequest{Version: rv.Version, Item: ehc.RvAmendedIssued, Action: ehc.ActWithdraw, Reason: "That was the draft"}); err != nil {
			t.Fatal(err)
		}
		plan, _ = s.Plan(ctx, senco, p.ID)
		if !plan.LastAmended.Equal(d(2026, 3, 1)) || !plan.LastReviewed.Equal(d(2026, 11, 13)) {
			t.Errorf("after the corrections: plan amended %v (want 1 March 2026), reviewed %v (want 13 November 2026)", plan.LastAmended, plan.LastReviewed)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'ehc.review.correct' AND pupil_id = $1`, f.InClass.ID); n != 7 {
			t.Errorf("%d correction audit rows, want 7", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'ehc.review.correct' AND detail LIKE '%Held on%'`); n != 0 {
			t.Error("a correction's reason is in the audit detail")
		}
	})
}

func TestEHCRequestCorrection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		r := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "school", Received: d(2026, 6, 1)}
		if err := s.CreateRequest(ctx, senco, r); err != nil {
			t.Fatal(err)
		}
		for _, e := range []ehc.RequestEvent{{Kind: ehc.EvAssessDecision, Date: d(2026, 7, 6), Outcome: "assess"}, {Kind: ehc.EvFinalIssued, Date: d(2026, 10, 12)}} {
			if err := s.RecordRequestEvent(ctx, senco, r.ID, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordException(ctx, senco, r.ID, ehc.RequestException{Milestone: deadline.KeyFinalPlan, Reason: string(deadline.ExceptionAbsence), Note: "Family abroad"}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Request(ctx, senco, r.ID)
		final, _ := got.Event(ehc.EvFinalIssued)
		c := ehc.CorrectionRequest{Version: got.Version, Item: "event-" + itoa(final.ID), Action: ehc.ActCorrect, Date: d(2026, 10, 26), Reason: "Date of the covering letter, not the plan"}
		if err := s.CorrectRequest(ctx, senco, r.ID, c); err != nil {
			t.Fatal(err)
		}
		if err := s.CorrectRequest(ctx, senco, r.ID, c); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale: %v", err)
		}
		got, _ = s.Request(ctx, senco, r.ID)
		m := milestoneOf(t, got.Milestones(), deadline.KeyFinalPlan)
		if m.Done == nil || *m.Done != dd(2026, 10, 26) {
			t.Errorf("final plan done %v", m.Done)
		}
		if err := s.CorrectRequest(ctx, senco, r.ID, ehc.CorrectionRequest{Version: got.Version, Item: "exception-" + deadline.KeyFinalPlan, Action: ehc.ActWithdraw, Reason: "Did not apply"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Request(ctx, senco, r.ID)
		if len(got.Exceptions) != 0 || len(got.Corrections) != 2 || got.Corrections[1].Old.Note != "Family abroad" || got.Corrections[0].From() != "12 October 2026" {
			t.Fatalf("exceptions %+v corrections %+v", got.Exceptions, got.Corrections)
		}
		if m := milestoneOf(t, got.Milestones(), deadline.KeyFinalPlan); m.Excepted {
			t.Error("the withdrawn exception still excuses the final plan")
		}
		// A withdrawn event leaves the facts.
		dec, _ := got.Event(ehc.EvAssessDecision)
		fieldErr(t, s.CorrectRequest(ctx, senco, r.ID, ehc.CorrectionRequest{Version: got.Version, Item: "event-" + itoa(dec.ID), Action: ehc.ActCorrect, Date: d(2026, 7, 6), Outcome: "refuse", Reason: "x"}), "item")
		if err := s.CorrectRequest(ctx, senco, r.ID, ehc.CorrectionRequest{Version: got.Version, Item: "event-" + itoa(final.ID), Action: ehc.ActWithdraw, Reason: "Wrong pupil"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Request(ctx, senco, r.ID)
		if _, ok := got.Event(ehc.EvFinalIssued); ok {
			t.Error("withdrawn final plan still recorded")
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'ehc.request.correct' AND pupil_id = $1`, f.InClass.ID); n != 3 {
			t.Errorf("%d correction audit rows, want 3", n)
		}
		// Another school's request is not found.
		if err := s.CorrectRequest(ctx, sen.Actor{User: sen.User{ID: 999, SchoolID: 999, Role: sen.RoleSENCO}}, r.ID, c); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("other school: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
