package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// makeProvision makes the provision map's records for the route × role
// matrix: a library entry, a group run by the teacher and TA with a 7A
// pupil in it, that group's pupil, and a staff hourly cost; nil for a kind
// that is not the provision map's.
func (p *prober) makeProvision(t *testing.T, kind string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := p.a.st
	switch kind {
	case kit.IDProvision:
		pr := probeProvision(t, p)
		return map[string]string{"id": id(pr.ID), "form:version": id(pr.Version)}
	case kit.IDProvisionRun, kit.IDProvisionMember:
		pr := probeProvision(t, p)
		run := provision.Run{ProvisionID: pr.ID, Name: fmt.Sprintf("Probe group %d", p.n), Staff: []int64{p.a.f.Users[sen.RoleTA].ID, p.a.f.Users[sen.RoleTeacher].ID},
			Starts: st.Today().AddDate(0, 0, -14), Capacity: 4, Slots: []provision.Slot{{Weekday: time.Monday, Start: 600, Minutes: 30, Place: "Room 4"}}}
		if err := st.StartRun(ctx, p.senco, &run); err != nil {
			t.Fatal(err)
		}
		pu := p.pupil(t)
		if err := st.EnrolPupil(ctx, p.senco, run.ID, pu.ID, run.Starts); err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDProvisionRun {
			return map[string]string{"id": id(run.ID)}
		}
		v, err := st.Run(ctx, p.senco, run.ID, "probe")
		if err != nil || len(v.Run.Members) != 1 {
			t.Fatalf("probe member: %v", err)
		}
		return map[string]string{"id": id(run.ID), "member": id(v.Run.Members[0].ID), "form:version": id(v.Run.Members[0].Version)}
	case kit.IDProvisionRate:
		r := provision.Rate{Role: sen.RoleTA, HourlyPence: 1400, OnCostBP: 2800}
		if err := st.SaveRate(ctx, p.senco, &r); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(r.ID)}
	}
	return nil
}

func probeProvision(t *testing.T, p *prober) provision.Provision {
	t.Helper()
	pr := provision.Provision{Name: fmt.Sprintf("Probe intervention %d", p.n), Areas: []string{sen.AreaCL}, Wave: provision.WaveTargeted, SessionMinutes: 30,
		SessionsPerWeek: 2, Weeks: 10, GroupSize: 4, Deliverer: string(sen.RoleTA), Scale: provision.ScaleStandardised, Direction: provision.HigherBetter}
	if err := p.a.st.SaveProvision(context.Background(), p.senco, &pr); err != nil {
		t.Fatal(err)
	}
	return pr
}
