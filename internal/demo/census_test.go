package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The demo school is census-true at any register share: no NSA pupil is
// given an EHC plan, NSA is always a pupil's only need, and the register has
// no census problems (issue 12: larger shares gave an NSA pupil a plan).
func TestDemoRegisterIsCensusTrue(t *testing.T) {
	ctx := context.Background()
	for _, o := range []demo.Options{{Seed: 1}, {Seed: 2, SENShare: 0.5, EHCPShare: 0.5}} {
		st := storetest.Open(t, store.SQLite)
		res, err := demo.Seed(ctx, st, o)
		if err != nil {
			t.Fatalf("seed %+v: %v", o, err)
		}
		nsa := 0
		for _, p := range res.Pupils {
			if probs := sen.CheckCensus(p.Status, p.Needs); len(probs) > 0 {
				t.Errorf("seed %+v: %s %s %v: %v", o, p.UPN, p.Status, p.Needs, probs)
			}
			for _, n := range p.Needs {
				if n.Code == "NSA" {
					nsa++
				}
			}
		}
		if nsa == 0 {
			t.Errorf("seed %+v: no NSA pupil to check", o)
		}
		if n, err := st.CensusProblems(ctx, res.SchoolID); err != nil || n != 0 {
			t.Errorf("seed %+v: %d census problems %v", o, n, err)
		}
	}
}
