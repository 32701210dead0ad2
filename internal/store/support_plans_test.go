package store_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func auditCount(t *testing.T, s *store.Store, action string, pupilID int64) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND pupil_id = $2`, action, pupilID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGraduatedApproachLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher, ta := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleTA)
		today := s.Today()

		// A teacher raises a concern about a pupil they teach, not about one they do not.
		c := plans.Concern{PupilID: f.InClass.ID, Noticed: "Finds it hard to follow spoken instructions", Areas: []string{sen.AreaCI}, Tried: "Visual prompts", OnBehalfOf: "ignored for teachers"}
		if err := s.RaiseConcern(ctx, teacher, &c); err != nil {
			t.Fatal(err)
		}
		bad := plans.Concern{PupilID: f.NotTaught.ID, Noticed: "x", Areas: []string{sen.AreaCL}}
		if err := s.RaiseConcern(ctx, teacher, &bad); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("concern about untaught pupil: %v", err)
		}
		var fe sen.FieldErrors
		if err := s.RaiseConcern(ctx, teacher, &plans.Concern{PupilID: f.InClass.ID}); !errors.As(err, &fe) || fe["noticed"] == "" || fe["areas"] == "" {
			t.Fatalf("empty concern: %v", err)
		}
		// The SENCO records a parent's concern about the other pupil.
		pc := plans.Concern{PupilID: f.NotTaught.ID, Noticed: "Mum worried about reading", Areas: []string{sen.AreaCL}, OnBehalfOf: "Mrs Carter (mother), by phone"}
		if err := s.RaiseConcern(ctx, senco, &pc); err != nil {
			t.Fatal(err)
		}
		q, err := s.OpenConcerns(ctx, senco)
		if err != nil || len(q) != 2 || q[0].ID != c.ID || q[0].OnBehalfOf != "" || q[1].OnBehalfOf == "" {
			t.Fatalf("queue: %+v %v", q, err)
		}

		// Decide: place on SEN support. Parents must have been told.
		d := plans.DecisionInput{Decision: plans.PlaceOnSupport, Reason: "Needs beyond quality-first teaching", Version: q[0].Version,
			PlanStart: today, PlanReview: today.AddDate(0, 3, 0)}
		if _, err := s.DecideConcern(ctx, senco, c.ID, d, "SLCN"); !errors.As(err, &fe) || fe["informedOn"] == "" {
			t.Fatalf("support without informing parents: %v", err)
		}
		d.InformedOn, d.InformedHow = today, "Meeting"
		cycleID, err := s.DecideConcern(ctx, senco, c.ID, d, "SLCN")
		if err != nil || cycleID == 0 {
			t.Fatalf("decide: %d %v", cycleID, err)
		}
		// A second decision on a stale version is refused.
		if _, err := s.DecideConcern(ctx, senco, c.ID, d, "SLCN"); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("second decision: %v", err)
		}
		p, err := s.Pupil(ctx, senco, f.InClass.ID, "test")
		if err != nil || p.Status != sen.StatusSupport || len(p.Needs) != 1 || p.Needs[0].Code != "SLCN" {
			t.Fatalf("register not updated: %+v %v", p, err)
		}
		hist, _ := s.StatusHistory(ctx, senco, p.ID)
		if len(hist) != 1 || hist[0].Status != "K" {
			t.Fatalf("history: %+v", hist)
		}
		if auditCount(t, s, "concern.decide", p.ID) != 1 || auditCount(t, s, "register.status", p.ID) != 1 {
			t.Fatal("decision not audited")
		}

		// Plan: edit sections; a stale save is refused and names who saved.
		v, err := s.SupportPlan(ctx, senco, cycleID, "test")
		if err != nil || v.Cycle.Status != plans.Draft || v.Cycle.Number != 1 || !v.Cycle.Share.Outcomes || v.Cycle.Share.Notes {
			t.Fatalf("new cycle: %+v %v", v.Cycle, err)
		}
		cy := v.Cycle
		cy.NeedsSummary, cy.PupilImportant, cy.PupilStrengths = "Language", "My cat", "Lego"
		if err := s.UpdateCycle(ctx, senco, &cy); err != nil {
			t.Fatal(err)
		}
		stale := v.Cycle
		stale.ParentViews = "other edit"
		var ce *sen.ConflictError
		if err := s.UpdateCycle(ctx, f.Actor(sen.RoleDeputy), &stale); !errors.As(err, &ce) || !strings.Contains(ce.Error(), "Test SENCO") {
			t.Fatalf("stale save: %v", err)
		}
		// Review date before start is refused.
		badDates := cy
		badDates.Review = cy.StartDate.AddDate(0, 0, -1)
		if err := s.UpdateCycle(ctx, senco, &badDates); !errors.As(err, &fe) || !strings.Contains(fe["review"], "after the plan start") {
			t.Fatalf("review before start: %v", err)
		}
		// Outcomes: target before start refused.
		o := plans.Outcome{Text: "Follow a two-step instruction", SuccessCriteria: "4 of 5 times", Baseline: "1 of 5", TargetDate: today}
		if err := s.AddSupportOutcome(ctx, senco, cycleID, cy.Version, &o); !errors.As(err, &fe) || fe["targetDate"] == "" {
			t.Fatalf("target on start: %v", err)
		}
		if err := s.ActivateCycle(ctx, senco, cycleID, cy.Version); !errors.As(err, &fe) || fe["activate"] == "" {
			t.Fatalf("activate without outcomes: %v", err)
		}
		o.TargetDate = today.AddDate(0, 3, 0)
		if err := s.AddSupportOutcome(ctx, senco, cycleID, cy.Version, &o); err != nil {
			t.Fatal(err)
		}
		o2 := plans.Outcome{Text: "Ask for help", SuccessCriteria: "Uses help card", Baseline: "Never", TargetDate: today.AddDate(0, 2, 0)}
		if err := s.AddSupportOutcome(ctx, senco, cycleID, cy.Version+1, &o2); err != nil {
			t.Fatal(err)
		}
		bank, err := s.StrategyBank(ctx, senco, "", sen.AreaCI, "SLCN")
		if err != nil || len(bank) < 3 {
			t.Fatalf("bank: %d %v", len(bank), err)
		}
		if found, _ := s.StrategyBank(ctx, senco, "thinking time", "", ""); len(found) != 1 {
			t.Fatalf("bank search: %v", found)
		}
		if err := s.AddPlanStrategy(ctx, senco, cycleID, cy.Version+2, bank[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPlanStrategy(ctx, senco, cycleID, cy.Version+3, 0, "Sit near the front"); err != nil {
			t.Fatal(err)
		}
		su := plans.Support{What: "Language group", Who: "TA", Frequency: "3 times a week", Duration: "20 minutes for 6 weeks", StartDate: today.AddDate(0, 0, -1)}
		if err := s.AddPlanSupport(ctx, senco, cycleID, cy.Version+4, &su); !errors.As(err, &fe) || fe["supportStart"] == "" {
			t.Fatalf("support before plan start: %v", err)
		}
		su.StartDate = today
		if err := s.AddPlanSupport(ctx, senco, cycleID, cy.Version+4, &su); err != nil {
			t.Fatal(err)
		}
		// A do-log entry is refused on a draft plan.
		l := plans.LogEntry{CycleID: cycleID, OutcomeID: o.ID, Date: today, Did: "Chunked instructions", Response: "Followed 3 of 4"}
		if err := s.AddDoLog(ctx, teacher, &l); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("log on draft: %v", err)
		}
		if err := s.ActivateCycle(ctx, senco, cycleID, cy.Version+5); err != nil {
			t.Fatal(err)
		}
		// Teacher and TA log; the teacher reads the plan; office is not stopped by the store but by authz (web tests).
		if err := s.AddDoLog(ctx, teacher, &l); err != nil {
			t.Fatal(err)
		}
		l2 := plans.LogEntry{CycleID: cycleID, OutcomeID: o2.ID, Date: today, Did: "Help card", Response: "Used it once"}
		if err := s.AddDoLog(ctx, ta, &l2); err != nil {
			t.Fatal(err)
		}

		// The parent concern about the untaught pupil: the teacher cannot see that pupil's plan.
		pcq, _ := s.Concern(ctx, senco, pc.ID)
		d2 := plans.DecisionInput{Decision: plans.PlaceOnSupport, Reason: "Reading age 2 years behind", InformedOn: today, InformedHow: "Telephone call",
			PlanStart: today, PlanReview: today.AddDate(0, 0, 10), Version: pcq.Version}
		other, err := s.DecideConcern(ctx, senco, pc.ID, d2, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SupportPlan(ctx, teacher, other, "test"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher reads untaught pupil's plan: %v", err)
		}
		if err := s.AddDoLog(ctx, teacher, &plans.LogEntry{CycleID: other, OutcomeID: 1, Date: today, Did: "x", Response: "y"}); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher logs on untaught pupil: %v", err)
		}
		np, _ := s.Pupil(ctx, senco, f.NotTaught.ID, "test")
		if np.Status != "K" || len(np.Needs) != 1 || np.Needs[0].Code != "NSA" {
			t.Fatalf("no need given: want NSA, got %+v", np.Needs)
		}

		// Dashboard on today's clock: the untaught pupil's plan (review in 10 days) is due soon and has no outcomes.
		dash, err := s.SencoDashboard(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		if len(dash.Concerns) != 0 || len(dash.DueSoon) != 1 || dash.DueSoon[0].PupilID != np.ID || len(dash.NoOutcomes) != 1 || len(dash.Overdue) != 0 || dash.ActivePlans != 1 {
			t.Fatalf("dashboard today: %+v", dash)
		}
		// Both pupils are on K with at most one parent meeting: both short of three meetings.
		if len(dash.FewMeetings) != 2 {
			t.Fatalf("few meetings: %+v", dash.FewMeetings)
		}

		// Move the clock on 80 days: the review is held (late for the other pupil, whose review is overdue).
		s.Now = storetest.FixedClock(time.Date(2027, 2, 11, 10, 0, 0, 0, time.UTC))
		later := s.Today()
		dash, _ = s.SencoDashboard(ctx, senco)
		if len(dash.Overdue) != 1 || dash.Overdue[0].PupilID != np.ID {
			t.Fatalf("overdue: %+v", dash.Overdue)
		}
		v, _ = s.SupportPlan(ctx, senco, cycleID, "test")
		r := plans.Review{MeetingDate: later, PupilAttended: true, Parents: "Mr and Mrs Okafor", Staff: "Class teacher", PupilComments: "I like the help card",
			ParentComments: "Happier", NextSteps: "Keep going", Ratings: map[int64]plans.Rating{o.ID: plans.PartlyAchieve}, Evidence: map[int64]string{o.ID: "3 of 5"},
			CarryForward: map[int64]bool{o.ID: true}, NextReview: later.AddDate(0, 3, 0)}
		if _, err := s.CompleteSupportReview(ctx, senco, cycleID, v.Cycle.Version, &r); !errors.As(err, &fe) || fe["rating-"+strconv.FormatInt(o2.ID, 10)] == "" {
			t.Fatalf("review without every rating: %v", err)
		}
		r.Ratings[o2.ID] = plans.Achieved
		next, err := s.CompleteSupportReview(ctx, senco, cycleID, v.Cycle.Version, &r)
		if err != nil {
			t.Fatal(err)
		}
		locked, _ := s.SupportPlan(ctx, senco, cycleID, "test")
		if locked.Cycle.Status != plans.Reviewed || locked.Review == nil || locked.Review.Parents != "Mr and Mrs Okafor" || locked.Cycle.Outcomes[0].Rating != plans.PartlyAchieve {
			t.Fatalf("locked cycle: %+v %+v", locked.Cycle, locked.Review)
		}
		if len(locked.Log) != 2 {
			t.Fatalf("log: %+v", locked.Log)
		}
		// A locked cycle cannot be edited directly, only amended with a reason.
		lc := locked.Cycle
		lc.NeedsSummary = "changed"
		if err := s.UpdateCycle(ctx, senco, &lc); !errors.As(err, &ce) || !strings.Contains(ce.Error(), "locked") {
			t.Fatalf("edit locked: %v", err)
		}
		if err := s.AmendLockedCycle(ctx, senco, cycleID, "needs_summary", "Language and communication", ""); !errors.As(err, &fe) || fe["reason"] == "" {
			t.Fatalf("amend without reason: %v", err)
		}
		if err := s.AmendLockedCycle(ctx, senco, cycleID, "review_next_steps", "Keep going with the help card", "Typo"); err != nil {
			t.Fatal(err)
		}
		locked, _ = s.SupportPlan(ctx, senco, cycleID, "test")
		if locked.Review.NextSteps != "Keep going with the help card" || len(locked.Amendments) != 1 || locked.Amendments[0].Old != "Keep going" {
			t.Fatalf("amendment: %+v %+v", locked.Review, locked.Amendments)
		}
		if auditCount(t, s, "plan.amend", p.ID) != 1 {
			t.Fatal("amendment not audited")
		}
		// The next cycle carries forward the chosen outcome, strategies and support, and sections.
		nv, err := s.SupportPlan(ctx, senco, next, "test")
		if err != nil || nv.Cycle.Number != 2 || nv.Cycle.Status != plans.Draft || len(nv.Cycle.Outcomes) != 1 || nv.Cycle.Outcomes[0].CarriedFrom != o.ID ||
			nv.Cycle.Outcomes[0].Rating != "" || len(nv.Cycle.Strategies) != 2 || len(nv.Cycle.Support) != 1 || nv.Cycle.PupilImportant != "My cat" || !nv.Cycle.StartDate.Equal(later) {
			t.Fatalf("next cycle: %+v %v", nv.Cycle, err)
		}
		if len(nv.Cycles) != 2 {
			t.Fatalf("cycles: %d", len(nv.Cycles))
		}
		cur, ok, err := s.CurrentSupportPlan(ctx, teacher, f.InClass.ID, "test")
		if err != nil || !ok || cur.Cycle.ID != next {
			t.Fatalf("current: %v %v %v", cur.Cycle.ID, ok, err)
		}
		counts, err := s.GovernorPlanCounts(ctx, f.SchoolID)
		if err != nil || counts.ReviewsThisYear != 1 || counts.OnTimeThisYear != 1 || counts.ActivePlans != 0 {
			t.Fatalf("governor counts: %+v %v", counts, err)
		}
		// Review meeting with parents + the decision meeting = 2 in 12 months: still short.
		dash, _ = s.SencoDashboard(ctx, senco)
		for _, it := range dash.FewMeetings {
			if it.PupilID == p.ID && it.Count != 2 {
				t.Fatalf("meetings counted: %+v", it)
			}
		}
		if err := s.AddEvidence(ctx, senco, &plans.Evidence{PupilID: p.ID, Kind: plans.KindParentMeeting, Date: later.AddDate(0, 0, -7), Title: "Parents' evening", Body: "Discussed progress"}); err != nil {
			t.Fatal(err)
		}
		dash, _ = s.SencoDashboard(ctx, senco)
		for _, it := range dash.FewMeetings {
			if it.PupilID == p.ID {
				t.Fatalf("three meetings recorded but still flagged: %+v", it)
			}
		}
		for _, it := range dash.NoPlan {
			if it.PupilID == p.ID {
				t.Fatal("pupil with an open cycle listed as without plan")
			}
		}
	})
}

func TestConfidentialEvidenceAndPassport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher, head := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleHead)
		today := s.Today()
		pid := f.InClass.ID
		open := plans.Evidence{PupilID: pid, Kind: plans.KindAssessment, Date: today, Title: "YARC", Who: "SENCO", Body: "Reading accuracy below age", StandardScore: 78, Percentile: 7}
		if err := s.AddEvidence(ctx, senco, &open); err != nil {
			t.Fatal(err)
		}
		conf := plans.Evidence{PupilID: pid, Kind: plans.KindNote, Date: today, Body: "Family circumstances: bereavement", Confidential: true, Readers: []int64{f.Users[sen.RoleHead].ID}}
		if err := s.AddEvidence(ctx, senco, &conf); err != nil {
			t.Fatal(err)
		}
		var fe sen.FieldErrors
		if err := s.AddEvidence(ctx, senco, &plans.Evidence{PupilID: pid, Kind: plans.KindAssessment, Date: today.AddDate(0, 0, 1), Body: "x"}); !errors.As(err, &fe) || fe["date"] == "" || fe["standardScore"] == "" {
			t.Fatalf("bad evidence: %v", err)
		}
		check := func(a sen.Actor, wantRestricted bool) {
			t.Helper()
			list, err := s.EvidenceTimeline(ctx, a, pid)
			if err != nil || len(list) != 2 {
				t.Fatalf("timeline: %v %v", list, err)
			}
			for _, e := range list {
				if e.ID == conf.ID {
					if e.Restricted != wantRestricted || (wantRestricted && e.Body != "") || (!wantRestricted && e.Body == "") || e.Author != "Test SENCO" || e.Date.IsZero() {
						t.Fatalf("%s: confidential entry %+v", a.User.Role, e)
					}
				} else if e.StandardScore != 78 || e.Restricted {
					t.Fatalf("open entry: %+v", e)
				}
			}
		}
		check(senco, false)                  // author
		check(head, false)                   // named reader
		check(teacher, true)                 // not named
		check(f.Actor(sen.RoleDeputy), true) // even the deputy, unless named
		if _, err := s.EvidenceTimeline(ctx, teacher, f.NotTaught.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("untaught timeline: %v", err)
		}

		// Passport: created, then a stale second save is refused.
		pp := plans.Passport{PupilID: pid, AboutMe: "I love football", Strengths: "Kind", Needs: "Reading", Helps: "Short instructions", NotHelps: "Noise"}
		if err := s.SavePassport(ctx, senco, &pp); err != nil {
			t.Fatal(err)
		}
		again := plans.Passport{PupilID: pid, AboutMe: "Second creator"}
		if err := s.SavePassport(ctx, senco, &again); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("second create: %v", err)
		}
		got, _, ok, err := s.Passport(ctx, teacher, pid)
		if err != nil || !ok || got.AboutMe != "I love football" || got.Version != 1 {
			t.Fatalf("teacher reads passport: %+v %v", got, err)
		}
		got.Helps = "Visual timetable"
		if err := s.SavePassport(ctx, senco, &got); err != nil {
			t.Fatal(err)
		}
		stale := pp // version 1
		stale.NotHelps = "Crowds"
		if err := s.SavePassport(ctx, f.Actor(sen.RoleDeputy), &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale passport save: %v", err)
		}
		if _, _, _, err := s.Passport(ctx, teacher, f.NotTaught.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("untaught passport: %v", err)
		}
		if auditCount(t, s, "passport.read", pid) != 1 || auditCount(t, s, "evidence.read", pid) != 4 {
			t.Fatal("reads not audited")
		}
		// My pupils: the teacher sees only pupils they teach who are on the register.
		mine, err := s.MyPupils(ctx, teacher, "")
		if err != nil || len(mine) != 0 {
			t.Fatalf("my pupils before register: %v %v", mine, err)
		}
		p, _ := s.Pupil(ctx, senco, pid, "test")
		if err := s.RecordStatus(ctx, senco, pid, p.Version, sen.StatusChange{Status: "K", StartDate: today, DecidedBy: "SENCO"}, []sen.Need{{Rank: 1, Code: "SPLD"}}); err != nil {
			t.Fatal(err)
		}
		np, _ := s.Pupil(ctx, senco, f.NotTaught.ID, "test")
		if err := s.RecordStatus(ctx, senco, np.ID, np.Version, sen.StatusChange{Status: "K", StartDate: today, DecidedBy: "SENCO"}, []sen.Need{{Rank: 1, Code: "MLD"}}); err != nil {
			t.Fatal(err)
		}
		mine, err = s.MyPupils(ctx, teacher, "")
		if err != nil || len(mine) != 1 || mine[0].Pupil.ID != pid || mine[0].Passport == nil || mine[0].PlanStatus != "No plan" {
			t.Fatalf("my pupils: %+v %v", mine, err)
		}
		if all, _ := s.MyPupils(ctx, senco, "7B"); len(all) != 1 || all[0].Pupil.ID != np.ID {
			t.Fatalf("class filter: %+v", all)
		}
	})
}

func TestConcernAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		teacher, senco := f.Actor(sen.RoleTeacher), f.Actor(sen.RoleSENCO)
		pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
		bad := plans.Concern{PupilID: f.InClass.ID, Noticed: "x", Areas: []string{sen.AreaCL},
			Attachments: []plans.Attachment{{Name: "virus.pdf", Data: []byte("MZ\x90\x00 not a pdf")}}}
		var fe sen.FieldErrors
		if err := s.RaiseConcern(ctx, teacher, &bad); !errors.As(err, &fe) || !strings.Contains(fe["attachments"], "must be a PDF") {
			t.Fatalf("disguised file accepted: %v", err)
		}
		c := plans.Concern{PupilID: f.InClass.ID, Noticed: "Handwriting sample attached", Areas: []string{sen.AreaCL},
			Attachments: []plans.Attachment{{Name: `../../Work "sample".pdf`, Data: pdf}}}
		if err := s.RaiseConcern(ctx, teacher, &c); err != nil {
			t.Fatal(err)
		}
		got, err := s.Concern(ctx, senco, c.ID)
		if err != nil || len(got.Attachments) != 1 || got.Attachments[0].Name != "Work_sample.pdf" || got.Attachments[0].ContentType != "application/pdf" || got.Attachments[0].Data != nil {
			t.Fatalf("attachment metadata: %+v %v", got.Attachments, err)
		}
		at, err := s.ConcernAttachment(ctx, senco, c.ID, got.Attachments[0].ID)
		if err != nil || !bytes.Equal(at.Data, pdf) {
			t.Fatalf("download: %v", err)
		}
		// A concern about a pupil the teacher does not teach: its file is not found for them.
		other := plans.Concern{PupilID: f.NotTaught.ID, Noticed: "y", Areas: []string{sen.AreaCL}, Attachments: []plans.Attachment{{Name: "a.pdf", Data: pdf}}}
		if err := s.RaiseConcern(ctx, senco, &other); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConcernAttachment(ctx, teacher, other.ID, other.Attachments[0].ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher downloads untaught pupil's file: %v", err)
		}
		if auditCount(t, s, "concern.attachment.read", f.InClass.ID) != 1 {
			t.Fatal("download not audited")
		}
	})
}

// A "monitor" decision comes back on the dashboard 14 days before its review
// date, shows as overdue after it, and leaves once the review is started (a
// new concern the SENCO decides, the old decision kept).
func TestMonitoringReviewOnDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		c := plans.Concern{PupilID: f.InClass.ID, Noticed: "Seems tired and withdrawn in the afternoons", Areas: []string{sen.AreaSEMH}}
		if err := s.RaiseConcern(ctx, teacher, &c); err != nil {
			t.Fatal(err)
		}
		d := plans.DecisionInput{Decision: plans.Monitor, Reason: "Check again after the half-term", MonitorReview: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), Version: c.Version}
		if _, err := s.DecideConcern(ctx, senco, c.ID, d, ""); err != nil {
			t.Fatal(err)
		}
		at := func(y int, m time.Month, day int) []store.DashItem {
			t.Helper()
			s.Now = storetest.FixedClock(time.Date(y, m, day, 9, 0, 0, 0, time.UTC))
			dash, err := s.SencoDashboard(ctx, senco)
			if err != nil {
				t.Fatal(err)
			}
			return dash.Monitoring
		}
		for _, tc := range []struct {
			y       int
			m       time.Month
			d       int
			n       int
			overdue bool
		}{
			{2026, 12, 31, 0, false}, // 15 days before: not yet
			{2027, 1, 1, 1, false},   // 14 days before
			{2027, 1, 15, 1, false},  // the review date itself
			{2027, 1, 16, 1, true},   // a day late
		} {
			got := at(tc.y, tc.m, tc.d)
			if len(got) != tc.n || (tc.n > 0 && (got[0].Overdue != tc.overdue || got[0].Concern != c.ID || !got[0].Date.Equal(d.MonitorReview))) {
				t.Fatalf("%d-%02d-%02d: monitoring %+v", tc.y, tc.m, tc.d, got)
			}
		}
		// Starting twice (a double click) gives the same review.
		next, err := s.StartMonitoringReview(ctx, senco, c.ID)
		if err != nil || next == 0 || next == c.ID {
			t.Fatalf("start review: %d %v", next, err)
		}
		if again, err := s.StartMonitoringReview(ctx, senco, c.ID); err != nil || again != next {
			t.Fatalf("second start: %d %v", again, err)
		}
		if got := at(2027, 1, 16); len(got) != 0 {
			t.Fatalf("monitoring still listed after the review started: %+v", got)
		}
		old, err := s.Concern(ctx, senco, c.ID)
		if err != nil || old.Decision != plans.Monitor || old.FollowUpID != next {
			t.Fatalf("old concern %+v %v", old, err)
		}
		nc, err := s.Concern(ctx, senco, next)
		if err != nil || !nc.Open || !strings.Contains(nc.Noticed, "Seems tired") || !strings.Contains(nc.Evidence, "Check again after the half-term") {
			t.Fatalf("review concern %+v %v", nc, err)
		}
		// Only monitoring decisions have a monitoring review.
		if _, err := s.StartMonitoringReview(ctx, senco, next); err == nil {
			t.Fatal("an open concern started a monitoring review")
		}
	})
}
