package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func amendmentCount(t *testing.T, s *store.Store, cycleID int64) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM plan_amendments WHERE cycle_id = $1`, cycleID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlanItemsEditMultiAddAmendAndCarry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		today := s.Today()
		withNeed(t, s, f, f.InClass)
		cid, err := s.CreateCycle(ctx, senco, f.InClass.ID, today, today.AddDate(0, 3, 0))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := s.SupportPlan(ctx, senco, cid, "test")

		// Several outcomes at once: all or none, errors by row.
		good := plans.Outcome{Text: "Follows a two-step instruction", SuccessCriteria: "4 out of 5", Baseline: "1 out of 5", TargetDate: today.AddDate(0, 2, 0)}
		bad := plans.Outcome{Text: "Reads 20 words", TargetDate: today.AddDate(0, 2, 0)}
		err = s.AddSupportOutcomes(ctx, senco, cid, v.Cycle.Version, []plans.Outcome{good, bad})
		var fe sen.FieldErrors
		if !errors.As(err, &fe) || fe["baseline-2"] == "" || fe["successCriteria-2"] == "" || fe["outcome-1"] != "" || !strings.HasPrefix(fe["baseline-2"], "Outcome 2: ") {
			t.Fatalf("row errors: %v", err)
		}
		second := good
		second.Text = "Reads 20 tricky words"
		if err := s.AddSupportOutcomes(ctx, senco, cid, v.Cycle.Version, []plans.Outcome{good, second}); err != nil {
			t.Fatal(err)
		}
		// A stale version is refused.
		if err := s.AddSupportOutcomes(ctx, senco, cid, v.Cycle.Version, []plans.Outcome{good}); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale multi-add: %v", err)
		}
		bank, err := s.StrategyBank(ctx, senco, "", "", "")
		if err != nil || len(bank) < 3 {
			t.Fatalf("bank: %d %v", len(bank), err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if n, err := s.AddPlanStrategies(ctx, senco, cid, v.Cycle.Version, []int64{bank[0].ID, bank[1].ID}, []string{"Sit near the front", ""}); err != nil || n != 3 {
			t.Fatalf("strategies: %d %v", n, err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if _, err := s.AddPlanStrategies(ctx, senco, cid, v.Cycle.Version, []int64{bank[0].ID}, nil); !errors.As(err, &fe) || fe["strategy"] == "" {
			t.Fatalf("bank strategy twice: %v", err)
		}
		if _, err := s.AddPlanStrategies(ctx, senco, cid, v.Cycle.Version, nil, []string{" "}); !errors.As(err, &fe) || fe["strategy"] == "" {
			t.Fatalf("nothing chosen: %v", err)
		}
		sus := []plans.Support{{What: "Language group", Who: "Mrs Shah", Frequency: "3 times a week", Duration: "20 minutes", StartDate: today},
			{What: "Reading buddy", Who: "Year 9 mentor", Frequency: "Daily", Duration: "10 minutes", StartDate: today}}
		if err := s.AddPlanSupports(ctx, senco, cid, v.Cycle.Version, sus); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if len(v.Cycle.Outcomes) != 2 || len(v.Cycle.Strategies) != 3 || len(v.Cycle.Support) != 2 {
			t.Fatalf("plan: %d outcomes %d strategies %d support", len(v.Cycle.Outcomes), len(v.Cycle.Strategies), len(v.Cycle.Support))
		}
		// A draft changes freely: no amendments.
		o := v.Cycle.Outcomes[0]
		o.Baseline = "2 out of 5"
		if err := s.UpdateSupportOutcome(ctx, senco, cid, v.Cycle.Version, &o); err != nil {
			t.Fatal(err)
		}
		if amendmentCount(t, s, cid) != 0 {
			t.Fatal("a draft's edit was recorded as an amendment")
		}
		// The same text again is "nothing has changed"; a stale version a conflict.
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if err := s.UpdateSupportOutcome(ctx, senco, cid, v.Cycle.Version, &o); !errors.As(err, &fe) || fe["outcome"] == "" {
			t.Fatalf("no change: %v", err)
		}
		if err := s.UpdateSupportOutcome(ctx, senco, cid, v.Cycle.Version-1, &o); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		// A teacher cannot reach an item of a pupil they do not teach.
		if err := s.UpdatePlanStrategy(ctx, teacher, cid, v.Cycle.Version, 999999, "x"); err == nil {
			t.Fatal("teacher edited an unknown strategy")
		}

		// Active: every change is an amendment with who, when and the old value.
		if err := s.ActivateCycle(ctx, senco, cid, v.Cycle.Version); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		o = v.Cycle.Outcomes[0]
		o.Text = "Follows a three-step instruction"
		if err := s.UpdateSupportOutcome(ctx, senco, cid, v.Cycle.Version, &o); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		st := v.Cycle.Strategies[2]
		if err := s.UpdatePlanStrategy(ctx, senco, cid, v.Cycle.Version, st.ID, "Sit near the front, facing the board"); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		su := v.Cycle.Support[1]
		su.Frequency = "Twice a week"
		if err := s.UpdatePlanSupport(ctx, senco, cid, v.Cycle.Version, &su); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if err := s.RemoveSupportPlanItem(ctx, senco, cid, v.Cycle.Version, "strategy", st.ID); err != nil {
			t.Fatal(err)
		}
		v, _ = s.SupportPlan(ctx, senco, cid, "test")
		if len(v.Amendments) != 4 {
			t.Fatalf("amendments: %+v", v.Amendments)
		}
		a0 := v.Amendments[0]
		if a0.Field != "Outcome changed" || !strings.Contains(a0.Old, "two-step") || !strings.Contains(a0.New, "three-step") || a0.By == "" || a0.At.IsZero() {
			t.Fatalf("outcome amendment: %+v", a0)
		}
		if v.Amendments[3].Field != "Strategy removed" || v.Amendments[3].Old != "Sit near the front, facing the board" || v.Amendments[3].New != "" {
			t.Fatalf("removal amendment: %+v", v.Amendments[3])
		}
		if auditCount(t, s, "plan.outcome.edit", f.InClass.ID) != 2 || auditCount(t, s, "plan.support.edit", f.InClass.ID) != 1 {
			t.Fatal("edits not audited")
		}

		// The review carries an outcome forward with the recorded level as its baseline.
		r := &plans.Review{MeetingDate: today, Parents: "Mum", NextSteps: "Keep going", NextReview: today.AddDate(0, 3, 0),
			Ratings: map[int64]plans.Rating{}, Evidence: map[int64]string{}, CarryForward: map[int64]bool{}}
		for _, x := range v.Cycle.Outcomes {
			r.Ratings[x.ID] = plans.PartlyAchieve
		}
		first := v.Cycle.Outcomes[0]
		r.Evidence[first.ID] = "Follows three steps 3 times out of 5"
		r.CarryForward[first.ID] = true
		r.MeetingDate = v.Cycle.StartDate.AddDate(0, 0, 1)
		s.Now = storetest.FixedClock(r.MeetingDate.Add(12 * time.Hour))
		r.NextReview = r.MeetingDate.AddDate(0, 3, 0)
		next, err := s.CompleteSupportReview(ctx, senco, cid, v.Cycle.Version, r)
		if err != nil {
			t.Fatal(err)
		}
		nv, _ := s.SupportPlan(ctx, senco, next, "test")
		want := plans.CarriedBaseline(first, plans.PartlyAchieve, r.Evidence[first.ID], r.MeetingDate)
		if len(nv.Cycle.Outcomes) != 1 || nv.Cycle.Outcomes[0].Baseline != want || !strings.Contains(want, "3 times out of 5") {
			t.Fatalf("carried baseline: %+v want %q", nv.Cycle.Outcomes, want)
		}

		// Save the reviewed cycle as a template; a name is unique in the school.
		tid, err := s.SaveCycleTemplate(ctx, senco, cid, "Language and reading")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveCycleTemplate(ctx, senco, cid, "Language and reading"); !errors.As(err, &fe) || fe["templateName"] == "" {
			t.Fatalf("duplicate template: %v", err)
		}
		ts, err := s.PlanTemplates(ctx, senco)
		if err != nil || len(ts) != 1 || ts[0].ID != tid || len(ts[0].Outcomes) != 2 || len(ts[0].Strategies) != 2 || len(ts[0].Support) != 2 || ts[0].Outcomes[0].Baseline != "" {
			t.Fatalf("templates: %+v %v", ts, err)
		}
		// The other pupil starts a plan from the template.
		withNeed(t, s, f, f.NotTaught)
		tc, err := s.CreateCycleFrom(ctx, senco, f.NotTaught.ID, r.MeetingDate, r.NextReview, store.StartBlank, tid)
		if err != nil {
			t.Fatal(err)
		}
		tv, _ := s.SupportPlan(ctx, senco, tc, "test")
		if len(tv.Cycle.Outcomes) != 2 || len(tv.Cycle.Strategies) != 2 || len(tv.Cycle.Support) != 2 || !tv.Cycle.Outcomes[0].TargetDate.Equal(r.NextReview) {
			t.Fatalf("from template: %+v", tv.Cycle)
		}
		// The template added again to the open plan: the bank strategies already there are not doubled.
		if err := s.ApplyTemplate(ctx, senco, tc, tv.Cycle.Version, tid); err != nil {
			t.Fatal(err)
		}
		tv, _ = s.SupportPlan(ctx, senco, tc, "test")
		if len(tv.Cycle.Outcomes) != 4 || len(tv.Cycle.Strategies) != 2 || len(tv.Cycle.Support) != 4 {
			t.Fatalf("template applied: %d outcomes %d strategies %d support", len(tv.Cycle.Outcomes), len(tv.Cycle.Strategies), len(tv.Cycle.Support))
		}
		if err := s.ApplyTemplate(ctx, senco, tc, tv.Cycle.Version-1, tid); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale apply: %v", err)
		}
		if _, err := s.CreateCycleFrom(ctx, senco, f.NotTaught.ID, r.MeetingDate, r.NextReview, store.StartBlank, tid+100); !errors.As(err, &fe) || fe["template"] == "" {
			t.Fatalf("unknown template: %v", err)
		}
		if _, err := s.CreateCycleFrom(ctx, senco, f.NotTaught.ID, r.MeetingDate, r.NextReview, store.StartPrevious, 0); !errors.As(err, &fe) && !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("from previous with an open cycle: %v", err)
		}
	})
}

func TestStrategyBankManagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		all, err := s.StrategyBank(ctx, senco, "", "", "")
		if err != nil {
			t.Fatal(err)
		}
		// NSA has no type of need to filter by: the pupil sees every strategy.
		if plans.BankFilter("NSA") != "" || plans.BankFilter("SLCN") != "SLCN" {
			t.Fatal("bank filter")
		}
		var fe sen.FieldErrors
		if err := s.SaveBankStrategy(ctx, senco, &plans.BankStrategy{Area: "XX"}); !errors.As(err, &fe) || fe["title"] == "" || fe["area"] == "" || fe["description"] == "" {
			t.Fatalf("empty entry: %v", err)
		}
		own := plans.BankStrategy{Title: "Calm corner pass", Description: "Two minutes of movement every 20 minutes", Area: sen.AreaSEMH}
		if err := s.SaveBankStrategy(ctx, senco, &own); err != nil || own.ID == 0 {
			t.Fatalf("add: %v", err)
		}
		if found, _ := s.StrategyBank(ctx, senco, "calm corner pass", "", ""); len(found) != 1 {
			t.Fatalf("own entry not found: %+v", found)
		}
		own.Description = "Two minutes of movement every 15 minutes"
		if err := s.SaveBankStrategy(ctx, senco, &own); err != nil || own.Version != 2 {
			t.Fatalf("edit own: %v %d", err, own.Version)
		}
		stale := own
		stale.Version = 1
		if err := s.SaveBankStrategy(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		// Editing a shared entry makes the school's copy; the shared one is no longer offered.
		shared := all[0]
		if !shared.Shared {
			t.Fatalf("first entry not shared: %+v", shared)
		}
		edited := shared
		edited.Title = shared.Title + " (our way)"
		if err := s.SaveBankStrategy(ctx, senco, &edited); err != nil || edited.ID == shared.ID || edited.Shared {
			t.Fatalf("edit shared: %v %+v", err, edited)
		}
		after, _ := s.StrategyBank(ctx, senco, "", "", "")
		if len(after) != len(all)+1 { // +own +copy -shared
			t.Fatalf("bank after edit: %d, was %d", len(after), len(all))
		}
		for _, b := range after {
			if b.ID == shared.ID {
				t.Fatal("the edited shared entry is still offered")
			}
		}
		// Retire and restore.
		if err := s.RetireBankStrategy(ctx, senco, own.ID, false); err != nil {
			t.Fatal(err)
		}
		if found, _ := s.StrategyBank(ctx, senco, "calm corner pass", "", ""); len(found) != 0 {
			t.Fatal("retired entry still offered")
		}
		list, _ := s.SchoolStrategyBank(ctx, senco)
		retired := 0
		for _, b := range list {
			if b.Retired {
				retired++
			}
		}
		if retired != 2 || len(list) != len(all)+2 {
			t.Fatalf("school bank: %d retired of %d", retired, len(list))
		}
		// A retired strategy cannot be added to a plan.
		withNeed(t, s, f, f.InClass)
		cid, _ := s.CreateCycle(ctx, senco, f.InClass.ID, s.Today(), s.Today().AddDate(0, 3, 0))
		if _, err := s.AddPlanStrategies(ctx, senco, cid, 1, []int64{own.ID}, nil); !errors.As(err, &fe) || fe["strategy"] == "" {
			t.Fatalf("retired strategy added: %v", err)
		}
		if err := s.RetireBankStrategy(ctx, senco, own.ID, true); err != nil {
			t.Fatal(err)
		}
		if found, _ := s.StrategyBank(ctx, senco, "calm corner pass", "", ""); len(found) != 1 {
			t.Fatal("restored entry not offered")
		}
		// Another school never sees this school's entries.
		other := senco
		other.User.SchoolID = senco.User.SchoolID + 1000
		if err := s.RetireBankStrategy(ctx, other, own.ID, false); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school: %v", err)
		}
	})
}

func TestEHCSectionsBEditAmendments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		withNeed(t, s, f, f.InClass)
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 3, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPlanNeed(ctx, senco, p.ID, ehc.Need{Area: sen.AreaCI, Text: "Social communication"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddOutcome(ctx, senco, p.ID, ehc.Outcome{Text: "Joins in group work", ByWhen: "July 2027"}); err != nil {
			t.Fatal(err)
		}
		pl, _ := s.Plan(ctx, senco, p.ID)
		n := pl.Needs[0]
		n.Text = "Social communication and interaction"
		if err := s.UpdatePlanNeed(ctx, senco, p.ID, pl.Version, n); err != nil {
			t.Fatal(err)
		}
		// A stale version is refused; an unchanged text is a field error.
		if err := s.UpdatePlanNeed(ctx, senco, p.ID, pl.Version, n); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale: %v", err)
		}
		pl, _ = s.Plan(ctx, senco, p.ID)
		fieldErr(t, s.UpdatePlanNeed(ctx, senco, p.ID, pl.Version, n), "needText")
		fieldErr(t, s.UpdatePlanNeed(ctx, senco, p.ID, pl.Version, ehc.Need{ID: n.ID, Area: "XX", Text: "x"}), "needArea")
		o := pl.Outcomes[0]
		o.ByWhen = "December 2027"
		if err := s.UpdatePlanOutcome(ctx, senco, p.ID, pl.Version, o); err != nil {
			t.Fatal(err)
		}
		// Teachers and TAs cannot change the plan.
		pl, _ = s.Plan(ctx, senco, p.ID)
		if err := s.UpdatePlanOutcome(ctx, teacher, p.ID, pl.Version, o); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher edit: %v", err)
		}
		if err := s.RemovePlanSectionItem(ctx, senco, p.ID, pl.Version, "outcome", o.ID); err != nil {
			t.Fatal(err)
		}
		pl, _ = s.Plan(ctx, senco, p.ID)
		if len(pl.Outcomes) != 0 || len(pl.Amendments) != 5 {
			t.Fatalf("after: %d outcomes, amendments %+v", len(pl.Outcomes), pl.Amendments)
		}
		m := pl.Amendments[2]
		if m.Section != ehc.SectionB || !strings.Contains(m.Old, "Social communication") || !strings.HasSuffix(m.New, "and interaction") || m.By == "" {
			t.Fatalf("need amendment: %+v", m)
		}
		if last := pl.Amendments[4]; last.Section != ehc.SectionE || last.New != "" || !strings.Contains(last.Old, "December 2027") {
			t.Fatalf("removal amendment: %+v", last)
		}
		tp, _ := s.Plan(ctx, teacher, p.ID)
		if len(tp.Amendments) != 0 {
			t.Fatal("a teacher sees the amendments")
		}
		if auditCount(t, s, "ehc.plan.need.edit", f.InClass.ID) != 1 || auditCount(t, s, "ehc.plan.outcome.remove", f.InClass.ID) != 1 {
			t.Fatal("not audited")
		}
	})
}
