package store_test

import (
	"context"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// Cached views (dashboard, statutory dates) must follow every write, also a
// write made by another server process on the same database, and the day.
func TestCachedViewsFollowWrites(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a, b := storetest.Twin(t, engine)
			f := storetest.Seed(t, a, "x")
			senco := f.Actor(sen.RoleSENCO)

			d, err := a.SencoDashboard(ctx, senco)
			if err != nil || len(d.Concerns) != 0 {
				t.Fatalf("dashboard: %+v %v", d.Concerns, err)
			}
			// The other process raises a concern; this one sees it at once.
			c := plans.Concern{PupilID: f.InClass.ID, Noticed: "Struggles to copy from the board", Areas: []string{sen.AreaSP}}
			if err := b.RaiseConcern(ctx, f.Actor(sen.RoleTeacher), &c); err != nil {
				t.Fatal(err)
			}
			d, err = a.SencoDashboard(ctx, senco)
			if err != nil || len(d.Concerns) != 1 || d.Concerns[0].ID != c.ID {
				t.Fatalf("dashboard after another process's write: %+v %v", d.Concerns, err)
			}
			// A day later the same concern has waited one more day.
			wait := d.OldestWait
			a.Now = storetest.FixedClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
			d, err = a.SencoDashboard(ctx, senco)
			if err != nil || d.OldestWait != wait+1 {
				t.Fatalf("oldest wait next day: %d then %d (%v)", wait, d.OldestWait, err)
			}

			// Statutory dates: a new request appears, for this process and the other.
			before, err := a.StatutoryDates(ctx, senco, "test")
			if err != nil {
				t.Fatal(err)
			}
			r := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "school", Received: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), LAName: "Riverside"}
			if err := b.CreateRequest(ctx, senco, r); err != nil {
				t.Fatal(err)
			}
			after, err := a.StatutoryDates(ctx, senco, "test")
			if err != nil || len(after) <= len(before) {
				t.Fatalf("statutory dates after a new request: %d then %d (%v)", len(before), len(after), err)
			}
			// Another school's writes and a teacher's scope never share a view.
			if other, err := a.StatutoryDates(ctx, sen.Actor{User: f.Other}, "test"); err != nil || len(other) != 0 {
				t.Fatalf("other school sees %d dates (%v)", len(other), err)
			}
		})
	}
}
