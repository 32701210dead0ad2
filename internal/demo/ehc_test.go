package demo_test

import (
	"context"
	"testing"

	"opensend/internal/deadline"
	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestDemoEHCData(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	plans, err := st.Plans(ctx, senco)
	if err != nil {
		t.Fatal(err)
	}
	short := 0
	for _, p := range plans {
		if len(p.Provision) == 0 {
			t.Errorf("plan %d has no Section F", p.ID)
		}
		for _, pr := range p.Provision {
			if pr.Year.Short() {
				short++
			}
		}
	}
	if len(plans) < 12 || short == 0 {
		t.Fatalf("%d plans, %d lines falling short", len(plans), short)
	}
	var held, circulated, placed, emails bool
	for _, p := range plans {
		full, err := st.Plan(ctx, senco, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range full.Reviews {
			held = held || r.MeetingHeld
			rv, err := st.Review(ctx, senco, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			placed = placed || (rv.MeetingTime != "" && rv.MeetingPlace != "")
			n := 0
			for _, x := range rv.Reports {
				if !x.Circulated.IsZero() && x.CirculatedTo != "" {
					n++
				}
			}
			circulated = circulated || n == 2
			for _, in := range rv.Invitees {
				emails = emails || in.Email != ""
			}
		}
	}
	if !held {
		t.Error("no held annual review in the demo")
	}
	if !circulated || !placed || !emails {
		t.Errorf("demo review letters: two reports circulated %v, a meeting time and place %v, invitees' e-mail %v", circulated, placed, emails)
	}
	if set, _ := st.SchoolSettings(ctx, senco); set.Address == "" || set.Email == "" || set.Phone == "" {
		t.Errorf("demo school has no letterhead: %+v", set)
	}
	reqs, err := st.Requests(ctx, senco)
	if err != nil || len(reqs) != 4 {
		t.Fatalf("requests %d %v", len(reqs), err)
	}
	today := deadline.FromTime(st.Today())
	var overdue, excepted bool
	for _, r := range reqs {
		for _, m := range r.Milestones() {
			overdue = overdue || m.Status(today) == deadline.StatusOverdue
			excepted = excepted || m.Excepted
		}
	}
	if !overdue || !excepted {
		t.Fatalf("want an overdue and an excepted request (overdue=%v excepted=%v)", overdue, excepted)
	}
}
