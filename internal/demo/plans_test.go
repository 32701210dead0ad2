package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestDemoGraduatedApproach(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	d, err := st.SencoDashboard(ctx, senco)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Concerns) < 5 || d.ActivePlans < 10 || len(d.NoPlan) == 0 || d.ReviewsThisYear == 0 {
		t.Fatalf("dashboard: %d concerns, %d active plans, %d without plan, %d reviews this year", len(d.Concerns), d.ActivePlans, len(d.NoPlan), d.ReviewsThisYear)
	}
	var multi, passports int
	for _, p := range res.Pupils {
		if p.Status != sen.StatusSupport {
			continue
		}
		v, ok, err := st.CurrentSupportPlan(ctx, senco, p.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if ok && v.Cycle.Number >= 3 && len(v.Cycles) >= 3 {
			multi++
			prev, err := st.SupportPlan(ctx, senco, v.Cycles[1].ID, "test")
			if err != nil || prev.Cycle.Status != plans.Reviewed || prev.Review == nil {
				t.Fatalf("earlier cycle not reviewed: %+v %v", prev.Cycle, err)
			}
		}
		if _, _, ok, _ := st.Passport(ctx, senco, p.ID); ok {
			passports++
		}
	}
	if multi == 0 || passports < 10 {
		t.Fatalf("%d pupils with 3 cycles, %d passports", multi, passports)
	}
	// A teacher sees passports for the pupils they teach.
	seen := false
	for _, u := range res.Users[sen.RoleTeacher] {
		mine, err := st.MyPupils(ctx, sen.Actor{User: u}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mine {
			seen = seen || m.Passport != nil
		}
	}
	if !seen {
		t.Fatal("no teacher sees a passport")
	}
}
