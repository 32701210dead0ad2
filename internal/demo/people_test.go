package demo_test

import (
	"context"
	"strings"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestDemoPeople(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	var restricted, interpreters, otherSurname, keyAdults, logged int
	for _, p := range res.Pupils {
		fam, err := st.Family(ctx, senco, p.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(fam.Contacts) == 0 {
			t.Fatalf("%s has no contacts", p.FullName())
		}
		for _, c := range fam.Contacts {
			if c.Restricted {
				restricted++
			}
			if c.Interpreter {
				interpreters++
			}
			if !strings.HasSuffix(c.Name, " "+p.Surname) {
				otherSurname++
			}
		}
		if fam.KeyAdult.Assigned {
			keyAdults++
		}
		if len(fam.Log) > 0 {
			logged++
		}
	}
	if restricted < 2 || interpreters < 1 || otherSurname == 0 || otherSurname > len(res.Pupils)/3 || keyAdults < 10 || logged < 10 {
		t.Fatalf("restricted %d, interpreters %d, other surnames %d, key adults %d, pupils with a log %d", restricted, interpreters, otherSurname, keyAdults, logged)
	}
	ags, err := st.Agencies(ctx, senco)
	if err != nil || len(ags) != 10 {
		t.Fatalf("agencies: %v %d", err, len(ags))
	}
	refs, err := st.Referrals(ctx, senco, store.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range refs {
		seen[r.Status] = true
	}
	for _, s := range people.Statuses {
		if !seen[s.Code] {
			t.Errorf("no demo referral is %s", s.Label)
		}
	}
	if due, _, err := st.FollowUpsDueCount(ctx, senco); err != nil || due == 0 {
		t.Errorf("follow-ups due: %d %v", due, err)
	}
}
