package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func lego() provision.Provision {
	return provision.Provision{Name: "Lego-based therapy", Description: "Builder, supplier, engineer", Areas: []string{sen.AreaCI, sen.AreaSEMH},
		Wave: provision.WaveTargeted, SessionMinutes: 45, SessionsPerWeek: 1, Weeks: 10, GroupSize: 3, Deliverer: string(sen.RoleTA),
		ResourcePence: 50, Measure: "Goodman SDQ peer problems", Scale: provision.ScaleSchool, Direction: provision.LowerBetter}
}

// The library: add, edit with a version, conflicts, filters, copy, retire,
// and a confidential entry seen only by leaders and its named staff. Both engines.
func TestProvisionLibrary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, ta, teacher, head := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTA), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleHead)
		p := lego()
		if err := s.SaveProvision(ctx, senco, &p); err != nil {
			t.Fatal(err)
		}
		bad := lego()
		bad.Name = ""
		var fe sen.FieldErrors
		if err := s.SaveProvision(ctx, senco, &bad); !errors.As(err, &fe) || fe["name"] == "" {
			t.Fatalf("no name: %v", err)
		}
		stale := p
		p.Name = "LEGO-based therapy"
		if err := s.SaveProvision(ctx, senco, &p); err != nil || p.Version != 2 {
			t.Fatalf("edit: %v %d", err, p.Version)
		}
		if err := s.SaveProvision(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale edit: %v", err)
		}
		secret := lego()
		secret.Name, secret.Confidential, secret.Staff, secret.Areas, secret.Wave = "Bereavement support", true, []int64{f.Users[sen.RoleTeacher].ID}, []string{sen.AreaSEMH}, provision.WaveSpecialist
		if err := s.SaveProvision(ctx, senco, &secret); err != nil {
			t.Fatal(err)
		}
		names := func(a sen.Actor, f store.ProvisionFilter) []string {
			t.Helper()
			list, err := s.Provisions(ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range list {
				out = append(out, p.Name)
			}
			return out
		}
		if got := names(ta, store.ProvisionFilter{}); len(got) != 1 || got[0] != "LEGO-based therapy" {
			t.Errorf("TA sees %v: the confidential entry must be hidden", got)
		}
		if got := names(teacher, store.ProvisionFilter{}); len(got) != 2 {
			t.Errorf("named teacher sees %v", got)
		}
		if got := names(head, store.ProvisionFilter{}); len(got) != 2 {
			t.Errorf("head sees %v", got)
		}
		if _, err := s.Provision(ctx, ta, secret.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("TA reads a confidential entry: %v", err)
		}
		if got := names(senco, store.ProvisionFilter{Area: sen.AreaCI}); len(got) != 1 {
			t.Errorf("CI filter: %v", got)
		}
		if got := names(senco, store.ProvisionFilter{Wave: provision.WaveSpecialist}); len(got) != 1 || got[0] != "Bereavement support" {
			t.Errorf("wave filter: %v", got)
		}
		cid, err := s.CopyProvision(ctx, senco, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Provision(ctx, senco, cid)
		if err != nil || c.Name != "Copy of LEGO-based therapy" || len(c.Areas) != 2 {
			t.Fatalf("copy: %+v %v", c, err)
		}
		if err := s.RetireProvision(ctx, senco, cid, c.Version, false); err != nil {
			t.Fatal(err)
		}
		if got := names(senco, store.ProvisionFilter{Retired: true}); len(got) != 1 {
			t.Errorf("retired: %v", got)
		}
		other := sen.Actor{User: f.Other}
		if _, err := s.Provision(ctx, other, p.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school reads it: %v", err)
		}
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action IN ('provision.add', 'provision.edit', 'provision.copy', 'provision.retire')`).Scan(&n); err != nil || n != 5 {
			t.Errorf("audit rows %d %v", n, err)
		}
	})
}

// Staff costs are read and set only by the SENCO, deputy and head.
func TestProvisionRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, head := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleHead)
		r := provision.Rate{Role: sen.RoleTA, HourlyPence: 1400, OnCostBP: 2800}
		if err := s.SaveRate(ctx, senco, &r); err != nil {
			t.Fatal(err)
		}
		person := provision.Rate{UserID: f.Users[sen.RoleTA].ID, HourlyPence: 1550, OnCostBP: 2800}
		if err := s.SaveRate(ctx, head, &person); err != nil {
			t.Fatal(err)
		}
		again := provision.Rate{Role: sen.RoleTA, HourlyPence: 1450, OnCostBP: 2800}
		if err := s.SaveRate(ctx, senco, &again); err != nil || again.ID != r.ID {
			t.Fatalf("set again: %v %d", err, again.ID)
		}
		if err := s.SaveRate(ctx, senco, &r); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale rate: %v", err)
		}
		for _, role := range []sen.Role{sen.RoleTA, sen.RoleTeacher, sen.RoleOffice, sen.RoleGovernor} {
			if _, err := s.ProvisionRates(ctx, f.Actor(role)); !errors.Is(err, sen.ErrNotFound) {
				t.Errorf("%s reads costs: %v", role, err)
			}
			x := provision.Rate{Role: sen.RoleTA, HourlyPence: 100}
			if err := s.SaveRate(ctx, f.Actor(role), &x); !errors.Is(err, sen.ErrNotFound) {
				t.Errorf("%s sets costs: %v", role, err)
			}
		}
		rates, err := s.ProvisionRates(ctx, head)
		if err != nil || len(rates) != 2 {
			t.Fatalf("rates %v %v", rates, err)
		}
		got, _ := provision.RateFor(rates, f.Users[sen.RoleTA].ID, sen.RoleTA)
		if got.HourlyPence != 1550 {
			t.Errorf("person's rate %d", got.HourlyPence)
		}
		if err := s.RemoveRate(ctx, senco, person.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// A group: started from a provision, pupils enrolled up to capacity, a
// session recorded by its TA with an absence, one not delivered, scores,
// the pupil's page, today's sessions, and who may see and record it.
func TestProvisionRunsAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		// A Tuesday, so the slot is today.
		s.Now = storetest.FixedClock(time.Date(2026, 10, 13, 9, 0, 0, 0, time.UTC))
		senco, ta, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTA), f.Actor(sen.RoleTeacher)
		p := lego()
		if err := s.SaveProvision(ctx, senco, &p); err != nil {
			t.Fatal(err)
		}
		run := provision.Run{ProvisionID: p.ID, Name: "Year 7 Tuesday group", Staff: []int64{f.Users[sen.RoleTA].ID}, Starts: time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC),
			Capacity: 2, Slots: []provision.Slot{{Weekday: time.Tuesday, Start: 630, Minutes: 45, Place: "Library"}}}
		if err := s.StartRun(ctx, senco, &run); err != nil {
			t.Fatal(err)
		}
		third := sen.Pupil{UPN: string(sen.UPNCheckLetter("886200126003")) + "886200126003", Forename: "Cara", Surname: "Diaz", DOB: time.Date(2014, 1, 2, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: "7", ClassName: "7B"}
		if err := s.CreatePupil(ctx, senco, &third); err != nil {
			t.Fatal(err)
		}
		sept := time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC)
		if err := s.EnrolPupil(ctx, senco, run.ID, f.InClass.ID, sept); err != nil {
			t.Fatal(err)
		}
		if err := s.EnrolPupil(ctx, senco, run.ID, f.InClass.ID, sept); err == nil {
			t.Error("enrolled twice")
		}
		// The pupil not taught by the teacher joins late.
		late := time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC)
		if err := s.EnrolPupil(ctx, senco, run.ID, f.NotTaught.ID, late); err != nil {
			t.Fatal(err)
		}
		var fe sen.FieldErrors
		if err := s.EnrolPupil(ctx, senco, run.ID, third.ID, late); !errors.As(err, &fe) || fe["pupil"] == "" {
			t.Fatalf("over capacity: %v", err)
		}
		// The TA records a session before the late joiner: one line only.
		d1 := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
		reg, err := s.Register(ctx, ta, run.ID, d1)
		if err != nil || len(reg.Expected) != 1 || reg.Session != nil {
			t.Fatalf("register %d %v", len(reg.Expected), err)
		}
		se := provision.Session{Date: d1, Delivered: true, StaffMinutes: 45, Attendance: []provision.Attendance{{PupilID: f.InClass.ID, Present: true, Minutes: 45, Note: "Engineer today"}}}
		if err := s.SaveSession(ctx, ta, run.ID, &se); err != nil {
			t.Fatal(err)
		}
		d2 := time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC)
		missing := provision.Session{Date: d2, Delivered: true, StaffMinutes: 45, Attendance: []provision.Attendance{{PupilID: f.InClass.ID, Present: true, Minutes: 45}}}
		if err := s.SaveSession(ctx, ta, run.ID, &missing); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("register missing a pupil: %v", err)
		}
		s2 := provision.Session{Date: d2, Delivered: true, StaffMinutes: 45, Attendance: []provision.Attendance{
			{PupilID: f.InClass.ID, Reason: "absent-school"}, {PupilID: f.NotTaught.ID, Present: true, Minutes: 40}}}
		if err := s.SaveSession(ctx, ta, run.ID, &s2); err != nil {
			t.Fatal(err)
		}
		dup := provision.Session{Date: d2, Reason: "staff-absent"}
		if err := s.SaveSession(ctx, ta, run.ID, &dup); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("second register for a date: %v", err)
		}
		d3 := time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC)
		nd := provision.Session{Date: d3, Reason: "staff-redeployed"}
		if err := s.SaveSession(ctx, ta, run.ID, &nd); err != nil {
			t.Fatal(err)
		}
		before := provision.Session{Date: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Reason: "staff-absent"}
		if err := s.SaveSession(ctx, ta, run.ID, &before); !errors.As(err, &fe) || fe["date"] == "" {
			t.Errorf("session before the group: %v", err)
		}
		// The teacher teaches a pupil in the group, so sees it, but does not run it.
		v, err := s.Run(ctx, teacher, run.ID, "test")
		if err != nil || v.MayDeliver || len(v.Sessions) != 3 || len(v.Run.Members) != 2 {
			t.Fatalf("teacher's view: %v %v %d", err, v.MayDeliver, len(v.Sessions))
		}
		if _, err := s.Register(ctx, teacher, run.ID, d1); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("teacher opens the register: %v", err)
		}
		// Editing the first session as read.
		reg, err = s.Register(ctx, ta, run.ID, d1)
		if err != nil || reg.Session == nil {
			t.Fatalf("register again: %v", err)
		}
		edit := *reg.Session
		edit.Attendance[0].Minutes = 40
		if err := s.SaveSession(ctx, ta, run.ID, &edit); err != nil {
			t.Fatal(err)
		}
		stale := *reg.Session
		if err := s.SaveSession(ctx, ta, run.ID, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale register: %v", err)
		}
		// Scores.
		v, _ = s.Run(ctx, ta, run.ID, "test")
		var scores []store.MemberScores
		for i, m := range v.Run.Members {
			entry, exit := 8+i, 4
			scores = append(scores, store.MemberScores{MemberID: m.ID, Version: m.Version, Entry: &entry, Exit: &exit})
		}
		if err := s.SaveScores(ctx, ta, run.ID, scores); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveScores(ctx, teacher, run.ID, scores); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("teacher records scores: %v", err)
		}
		v, _ = s.Run(ctx, senco, run.ID, "test")
		for _, m := range v.Run.Members {
			if pr := provision.ProgressOf(m.Entry, m.Exit, p.Direction); pr.Outcome != provision.Improved {
				t.Errorf("progress %+v", pr)
			}
		}
		// A teacher who neither runs the group nor teaches its pupils sees nothing.
		if err := s.SetMemberDates(ctx, senco, run.ID, memberOf(v, f.InClass.ID).ID, memberOf(v, f.InClass.ID).Version, sept, d2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(ctx, teacher, run.ID, "test"); err != nil {
			t.Errorf("a pupil who has left is still one the teacher taught in the group: %v", err)
		}
		_, list, err := s.PupilProvision(ctx, teacher, f.InClass.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("pupil's provision: %d %v", len(list), err)
		}
		if a := provision.AttendanceOf(list[0].Member, list[0].Sessions); a.Expected != 2 || a.Present != 1 {
			t.Errorf("attendance %+v", a)
		}
		if _, _, err := s.PupilProvision(ctx, teacher, f.NotTaught.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("teacher reads a pupil they do not teach: %v", err)
		}
		today, err := s.MySessionsToday(ctx, ta)
		if err != nil || len(today) != 1 || today[0].Recorded || today[0].Slot.Place != "Library" {
			t.Fatalf("today %+v %v", today, err)
		}
		if today, _ := s.MySessionsToday(ctx, teacher); len(today) != 0 {
			t.Errorf("teacher's today: %+v", today)
		}
		mine, err := s.Runs(ctx, ta, store.RunFilter{Mine: true})
		if err != nil || len(mine) != 1 || mine[0].Current != 1 {
			t.Fatalf("my groups %+v %v", mine, err)
		}
		if list, _ := s.Runs(ctx, f.Actor(sen.RoleTeacher), store.RunFilter{Mine: true}); len(list) != 0 {
			t.Errorf("teacher's own groups: %d", len(list))
		}
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'provision.attendance' AND pupil_id = $1`, f.NotTaught.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("attendance audit %d %v", n, err)
		}
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'provision.run.read'`).Scan(&n); err != nil || n < 3 {
			t.Errorf("run read audit %d %v", n, err)
		}
	})
}

// A teacher who neither runs a group nor teaches its pupils does not see it.
func TestProvisionRunHiddenFromOtherTeachers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		p := lego()
		if err := s.SaveProvision(ctx, senco, &p); err != nil {
			t.Fatal(err)
		}
		run := provision.Run{ProvisionID: p.ID, Name: "7B group", Staff: []int64{f.Users[sen.RoleSENCO].ID}, Starts: s.Today().AddDate(0, 0, -7), Capacity: 3}
		if err := s.StartRun(ctx, senco, &run); err != nil {
			t.Fatal(err)
		}
		if err := s.EnrolPupil(ctx, senco, run.ID, f.NotTaught.ID, run.Starts); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(ctx, teacher, run.ID, "test"); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("teacher sees a group they neither run nor teach: %v", err)
		}
		if list, _ := s.Runs(ctx, teacher, store.RunFilter{}); len(list) != 0 {
			t.Errorf("teacher lists %d groups", len(list))
		}
	})
}

func memberOf(v store.RunView, pupil int64) provision.Member {
	for _, m := range v.Run.Members {
		if m.PupilID == pupil {
			return m
		}
	}
	return provision.Member{}
}
