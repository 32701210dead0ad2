package demo_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// female and male forenames the demo uses, for checking names against sex.
var demoFemale = map[string]bool{"Amara": true, "Isla": true, "Ava": true, "Freya": true, "Sophia": true, "Lily": true, "Grace": true, "Evie": true,
	"Ivy": true, "Mia": true, "Aisha": true, "Zara": true, "Poppy": true, "Ella": true, "Ruby": true, "Maya": true, "Layla": true, "Emily": true,
	"Hana": true, "Chloe": true, "Daisy": true, "Priya": true, "Niamh": true, "Orla": true, "Fatima": true, "Lucy": true, "Anaya": true, "Erin": true,
	"Matilda": true, "Sienna": true}

// The demo school tells one story: names agree with the recorded sex, each
// EHC plan's Section B describes the pupil's census needs (an area per
// need), Section E follows it, support plan reviews have every kind of
// result, and a decided concern's reason answers what was noticed.
func TestDemoIsCoherent(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	byID := map[int64]sen.Pupil{}
	sexes := map[string]int{}
	for _, p := range res.Pupils {
		byID[p.ID] = p
		sexes[p.Sex]++
		if demoFemale[p.Forename] != (p.Sex == "F") {
			t.Errorf("%s %s is recorded as %s", p.Forename, p.Surname, p.Sex)
		}
	}
	if sexes["F"] == 0 || sexes["M"] == 0 {
		t.Fatalf("sexes %v", sexes)
	}
	plans, err := st.Plans(ctx, senco)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]bool{}
	for _, pl := range plans {
		full, err := st.Plan(ctx, senco, pl.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := byID[full.PupilID]
		var want, got []string
		for _, n := range sen.CensusNeeds(p.Needs) {
			a := sen.NeedArea(n.Code)
			if a == sen.AreaNone {
				a = sen.AreaCL
			}
			want = append(want, a)
		}
		for _, n := range full.Needs {
			got = append(got, n.Area)
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			t.Errorf("plan %d: Section B areas %v, pupil's census needs %v (areas %v)", pl.ID, got, p.Needs, want)
		}
		for _, o := range full.Outcomes {
			outcomes[o.Text] = true
		}
	}
	if len(plans) < 10 || len(outcomes) < 5 {
		t.Errorf("%d plans with %d different Section E outcomes", len(plans), len(outcomes))
	}
	// Support plan reviews: every rating is used.
	var ratings []string
	rows, err := st.DB().Query(`SELECT DISTINCT rating FROM plan_outcomes WHERE rating <> ''`)
	if err == nil {
		for rows.Next() {
			var r string
			_ = rows.Scan(&r)
			ratings = append(ratings, r)
		}
		rows.Close()
	}
	if len(ratings) != 3 {
		t.Errorf("review ratings used: %v (%v)", ratings, err)
	}
	// Decided concerns: the reason answers what was noticed.
	type pair struct{ noticed, reason string }
	var decided []pair
	rows, err = st.DB().Query(`SELECT noticed, reason FROM concerns WHERE decision IN ('monitor', 'nfa')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p pair
		_ = rows.Scan(&p.noticed, &p.reason)
		decided = append(decided, p)
	}
	rows.Close()
	answers := map[string]string{"glasses": "board", "phonics": "phonics"}
	for _, d := range decided {
		for inReason, inNoticed := range answers {
			if strings.Contains(d.reason, inReason) && !strings.Contains(d.noticed, inNoticed) {
				t.Errorf("concern %q decided with %q", d.noticed, d.reason)
			}
		}
	}
	if len(decided) < 2 {
		t.Errorf("decided concerns: %d", len(decided))
	}
}

// The demo seeds at any register share, with history on too: no share
// gives an NSA pupil an EHC plan or runs past the roll, and the register
// stays census-true.
func TestDemoSeedsAtAnyShare(t *testing.T) {
	ctx := context.Background()
	for _, o := range []demo.Options{
		{Pupils: 200, SENShare: 0.02},
		{Pupils: 200, SENShare: 0.15, History: true, Secondary: true},
		{Pupils: 200, SENShare: 0.45, EHCPShare: 0.4},
		{Pupils: 80, SENShare: 0.8},
		{Pupils: 60, SENShare: 1},
	} {
		t.Run(fmt.Sprintf("%d pupils %.0f%% history=%t", o.Pupils, o.SENShare*100, o.History), func(t *testing.T) {
			st := storetest.Open(t, store.SQLite)
			o.Seed = 3
			res, err := demo.Seed(ctx, st, o)
			if err != nil {
				t.Fatal(err)
			}
			onRegister := 0
			for _, p := range res.Pupils {
				if p.Status != sen.StatusNone {
					onRegister++
				}
				if probs := sen.CheckCensus(p.Status, p.Needs); len(probs) > 0 {
					t.Errorf("%s %v: %v", p.Status, p.Needs, probs)
				}
			}
			if want := int(float64(o.Pupils) * o.SENShare); onRegister < want {
				t.Errorf("%d on the register, want at least %d", onRegister, want)
			}
			if n, err := st.CensusProblems(ctx, res.SchoolID); err != nil || n != 0 {
				t.Errorf("%d census problems %v", n, err)
			}
		})
	}
}
