package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Check (opensend verify) on both engines: a sound database passes with
// its schema version; an altered audit row fails on its school's chain.
func TestDatabaseCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		c, err := s.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !c.OK() || c.SchemaVersion != store.BuildSchemaVersion() || c.SchemaVersion < 26 || len(c.Chains) < 2 {
			t.Fatalf("sound database: %+v", c)
		}
		disable := `DROP TRIGGER audit_log_no_update`
		if s.Engine() == store.Postgres {
			disable = `ALTER TABLE audit_log DISABLE TRIGGER ALL`
		}
		for _, q := range []string{disable, `UPDATE audit_log SET detail = 'edited' WHERE id = (SELECT MIN(id) FROM audit_log WHERE school_id = $1)`} {
			args := []any{}
			if strings.Contains(q, "$1") {
				args = append(args, f.SchoolID)
			}
			if _, err := s.DB().Exec(q, args...); err != nil {
				t.Fatal(q, err)
			}
		}
		c, err = s.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		broken := 0
		for _, r := range c.Chains {
			if !r.OK() {
				broken++
				if r.SchoolID != f.SchoolID {
					t.Errorf("school %d's chain broken, want %d's", r.SchoolID, f.SchoolID)
				}
			}
		}
		if c.OK() || broken != 1 || len(c.Integrity) > 0 {
			t.Fatalf("tampered: %+v", c)
		}
	})
}

// Active sessions on both engines: listed for their owner only, live ones
// only; one ended by its reference; all of a staff member's ended by the SENCO.
func TestActiveSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		deputy, teacher, senco := f.Actor(sen.RoleDeputy), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleSENCO)
		now := s.Now()
		add := func(hash string, userID int64, seen time.Time, stage string) {
			t.Helper()
			if _, err := s.DB().Exec(`INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent, stage) VALUES ($1, $2, 'c', $3, $3, $4, '10.0.0.5', 'Firefox/133', $5)`,
				hash, userID, seen, now.Add(12*time.Hour), stage); err != nil {
				t.Fatal(err)
			}
		}
		add("d1", deputy.User.ID, now.Add(-time.Minute), store.StageDone)
		add("d2", deputy.User.ID, now.Add(-30*time.Minute), store.StageDone)
		add("d-idle", deputy.User.ID, now.Add(-3*time.Hour), store.StageDone)
		add("d-code", deputy.User.ID, now, store.StageCode)
		add("t1", teacher.User.ID, now, store.StageDone)
		add("t2", teacher.User.ID, now, store.StageDone)
		list, err := s.ActiveSessions(ctx, deputy, "d2", 2*time.Hour)
		if err != nil || len(list) != 2 || list[0].Current || !list[1].Current || list[0].IP != "10.0.0.5" || list[0].UserAgent != "Firefox/133" {
			t.Fatalf("deputy sessions: %+v %v", list, err)
		}
		tl, _ := s.ActiveSessions(ctx, teacher, "", 2*time.Hour)
		if err := s.EndSession(ctx, deputy, tl[0].Ref); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("ending another person's session: %v", err)
		}
		if err := s.EndSession(ctx, deputy, list[0].Ref); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.ActiveSessions(ctx, deputy, "d2", 2*time.Hour); len(list) != 1 || !list[0].Current {
			t.Fatalf("after ending one: %+v", list)
		}
		if err := s.EndSession(ctx, deputy, ""); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("no reference: %v", err)
		}
		if n, err := s.EndStaffSessions(ctx, senco, teacher.User.ID); err != nil || n != 2 {
			t.Fatalf("end staff sessions: %d %v", n, err)
		}
		if tl, _ := s.ActiveSessions(ctx, teacher, "", 2*time.Hour); len(tl) != 0 {
			t.Fatalf("teacher still has %d sessions", len(tl))
		}
		other := sen.Actor{User: f.Other}
		if _, err := s.EndStaffSessions(ctx, other, deputy.User.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("another school's SENCO: %v", err)
		}
	})
}
