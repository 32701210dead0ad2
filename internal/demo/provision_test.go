package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The demo's provision map: a library of common interventions, staff costs,
// about ten groups of pupils on the register run by the TAs, a term of
// sessions with absences and one not delivered, entry scores, and exit
// scores (with progress) for the groups that have finished.
func TestDemoProvisionMap(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	lib, err := st.Provisions(ctx, senco, store.ProvisionFilter{})
	if err != nil || len(lib) < 15 {
		t.Fatalf("library: %d %v", len(lib), err)
	}
	if rates, err := st.ProvisionRates(ctx, senco); err != nil || len(rates) < 4 {
		t.Fatalf("rates: %d %v", len(rates), err)
	}
	runs, err := st.Runs(ctx, senco, store.RunFilter{})
	if err != nil || len(runs) < 8 || len(runs) > 10 {
		t.Fatalf("groups: %d %v", len(runs), err)
	}
	onRegister := map[int64]bool{}
	for _, p := range res.Pupils {
		onRegister[p.ID] = p.Status == sen.StatusSupport || p.Status == sen.StatusEHCP
	}
	var sessions, notDelivered, absences, exits, improved int
	for _, r := range runs {
		v, err := st.Run(ctx, senco, r.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Run.Members) == 0 {
			t.Errorf("%s has no pupils", r.Name)
		}
		for _, m := range v.Run.Members {
			if !onRegister[m.PupilID] {
				t.Errorf("%s: a pupil not on the register", r.Name)
			}
			if m.Entry == nil {
				t.Errorf("%s: no entry score", r.Name)
			}
			if m.Exit != nil {
				exits++
				if provision.ProgressOf(m.Entry, m.Exit, v.Provision.Direction).Outcome == provision.Improved {
					improved++
				}
			}
		}
		for _, se := range v.Sessions {
			sessions++
			if !se.Delivered {
				notDelivered++
			}
			absences += len(se.Attendance) - se.Present()
		}
	}
	if sessions < 100 || notDelivered != 1 || absences == 0 || exits == 0 || improved == 0 || improved == exits {
		t.Errorf("%d sessions, %d not delivered, %d absences, %d exit scores (%d improved)", sessions, notDelivered, absences, exits, improved)
	}
	ta := sen.Actor{User: res.Users[sen.RoleTA][len(res.Users[sen.RoleTA])-1]}
	mine, err := st.Runs(ctx, ta, store.RunFilter{Mine: true})
	if err != nil || len(mine) < 3 {
		t.Errorf("the printed TA runs %d groups: %v", len(mine), err)
	}
}
