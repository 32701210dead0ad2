package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// dropAuditGuards removes the append-only triggers and the chain's unique
// index, as someone with the database owner's rights could, so a test can
// tamper with the log.
func dropAuditGuards(t *testing.T, s *store.Store) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`, `DROP INDEX audit_log_chain`}
	if s.Engine() == store.Postgres {
		stmts = []string{`DROP TRIGGER audit_log_no_update ON audit_log`, `DROP INDEX audit_log_chain`}
	}
	for _, q := range stmts {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// chainOf seeds the fixture and writes a few more audited reads, returning
// the school's chain rows (id by seq).
func chainOf(t *testing.T, s *store.Store) (*storetest.Fixture, map[int64]int64, int64) {
	t.Helper()
	ctx := context.Background()
	f := storetest.Seed(t, s, "x")
	for range 3 {
		if _, err := s.Pupil(ctx, f.Actor(sen.RoleSENCO), f.InClass.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.DB().Query(`SELECT seq, id FROM audit_log WHERE school_id = $1 ORDER BY seq`, f.SchoolID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[int64]int64{}
	var last int64
	for rows.Next() {
		var seq, id int64
		if err := rows.Scan(&seq, &id); err != nil {
			t.Fatal(err)
		}
		if seq != last+1 {
			t.Fatalf("seq %d follows %d", seq, last)
		}
		ids[seq], last = id, seq
	}
	if last < 6 {
		t.Fatalf("only %d rows in the chain", last)
	}
	return f, ids, last
}

func reportFor(t *testing.T, s *store.Store, school int64) store.ChainReport {
	t.Helper()
	reps, err := s.VerifyAuditChains(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.SchoolID == school {
			return r
		}
	}
	t.Fatalf("no report for school %d in %+v", school, reps)
	return store.ChainReport{}
}

func breaksString(bs []store.ChainBreak) string {
	out := ""
	for _, b := range bs {
		out += fmt.Sprintf("[%s id=%d seq=%d missing=%d] ", b.Kind, b.AuditID, b.Seq, b.Missing)
	}
	return out
}

func TestAuditChainHoldsAndEveryChainVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, _, last := chainOf(t, s)
		reps, err := s.VerifyAuditChains(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) < 2 {
			t.Fatalf("want a chain per school, got %d", len(reps))
		}
		for _, r := range reps {
			if !r.OK() {
				t.Fatalf("school %d: %s", r.SchoolID, breaksString(r.Breaks))
			}
		}
		r := reportFor(t, s, f.SchoolID)
		if r.HeadSeq != last || r.Rows != int(last) {
			t.Fatalf("head %d rows %d, want %d", r.HeadSeq, r.Rows, last)
		}
		h, err := s.AuditHead(context.Background(), f.SchoolID)
		if err != nil || h.Seq != r.HeadSeq || h.Hash != r.HeadHash || len(h.Hash) != 64 {
			t.Fatalf("head %+v %v", h, err)
		}
		// The page's check, with a head published in a digest.
		rep, err := s.VerifyAudit(context.Background(), f.Actor(sen.RoleSENCO), &store.PublishedCheck{Seq: h.Seq, Hash: h.Hash})
		if err != nil || !rep.OK() || !rep.Published.Found || !rep.Published.Match {
			t.Fatalf("published head: %+v %v", rep.Published, err)
		}
		rep, err = s.VerifyAudit(context.Background(), f.Actor(sen.RoleSENCO), &store.PublishedCheck{Seq: 2, Hash: h.Hash})
		if err != nil || rep.OK() || !rep.Published.Found || rep.Published.Match {
			t.Fatalf("a wrong published hash: %+v %v", rep.Published, err)
		}
	})
}

func TestAuditChainDetectsAlteredRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, ids, _ := chainOf(t, s)
		dropAuditGuards(t, s)
		if _, err := s.DB().Exec(`UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1`, ids[4]); err != nil {
			t.Fatal(err)
		}
		r := reportFor(t, s, f.SchoolID)
		if len(r.Breaks) != 1 || r.Breaks[0].Kind != store.BreakAltered || r.Breaks[0].AuditID != ids[4] || r.Breaks[0].Seq != 4 {
			t.Fatalf("want row 4 altered, got %s", breaksString(r.Breaks))
		}
	})
}

// Altering a row and recomputing its hash still shows: the next row's link
// names the old hash.
func TestAuditChainDetectsAlteredRowWithRecomputedHash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, ids, _ := chainOf(t, s)
		dropAuditGuards(t, s)
		var uid, eid, pid int64
		var name, action, entity, ip, prev string
		var at time.Time
		row := s.DB().QueryRow(`SELECT COALESCE(user_id, 0), user_name, action, entity, COALESCE(entity_id, 0), COALESCE(pupil_id, 0), ip, prev_hash FROM audit_log WHERE id = $1`, ids[3])
		if err := row.Scan(&uid, &name, &action, &entity, &eid, &pid, &ip, &prev); err != nil {
			t.Fatal(err)
		}
		at = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		forged := store.AuditHashForTest(f.SchoolID, uid, name, action, entity, eid, pid, "forged", ip, at, 3, prev)
		if _, err := s.DB().Exec(`UPDATE audit_log SET detail = 'forged', at = $2, hash = $3 WHERE id = $1`, ids[3], at, forged); err != nil {
			t.Fatal(err)
		}
		r := reportFor(t, s, f.SchoolID)
		if len(r.Breaks) != 1 || r.Breaks[0].Kind != store.BreakAltered || r.Breaks[0].AuditID != ids[3] {
			t.Fatalf("want row 3 altered, got %s", breaksString(r.Breaks))
		}
	})
}

func TestAuditChainDetectsDeletedRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, ids, last := chainOf(t, s)
		dropAuditGuards(t, s)
		for _, seq := range []int64{3, 4, last} {
			if _, err := s.DB().Exec(`DELETE FROM audit_log WHERE id = $1`, ids[seq]); err != nil {
				t.Fatal(err)
			}
		}
		r := reportFor(t, s, f.SchoolID)
		if len(r.Breaks) != 2 {
			t.Fatalf("want 2 breaks, got %s", breaksString(r.Breaks))
		}
		if b := r.Breaks[0]; b.Kind != store.BreakDeleted || b.Seq != 3 || b.Missing != 2 || b.AuditID != ids[5] {
			t.Fatalf("want seq 3 and 4 deleted before row 5, got %s", breaksString(r.Breaks))
		}
		if b := r.Breaks[1]; b.Kind != store.BreakDeleted || b.Seq != last || b.Missing != 1 || b.AuditID != 0 {
			t.Fatalf("want the last row deleted, got %s", breaksString(r.Breaks))
		}
	})
}

func TestAuditChainDetectsInsertedRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, ids, last := chainOf(t, s)
		dropAuditGuards(t, s)
		at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		ins := func(seq any, prev, hash any) int64 {
			var id int64
			if err := s.DB().QueryRow(`INSERT INTO audit_log (school_id, user_name, action, entity, detail, ip, at, seq, prev_hash, hash)
VALUES ($1, 'Someone', 'pupil.read', 'pupil', '', '', $2, $3, $4, $5) RETURNING id`, f.SchoolID, at, seq, prev, hash).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		// A row with no place in the chain.
		loose := ins(nil, nil, nil)
		// A second row at place 3, hashed as if it belonged there.
		var prev3 string
		if err := s.DB().QueryRow(`SELECT prev_hash FROM audit_log WHERE id = $1`, ids[3]).Scan(&prev3); err != nil {
			t.Fatal(err)
		}
		dup := ins(3, prev3, store.AuditHashForTest(f.SchoolID, 0, "Someone", "pupil.read", "pupil", 0, 0, "", "", at, 3, prev3))
		// A row after the last, correctly linked, but past the head.
		h, err := s.AuditHead(context.Background(), f.SchoolID)
		if err != nil {
			t.Fatal(err)
		}
		past := ins(last+1, h.Hash, store.AuditHashForTest(f.SchoolID, 0, "Someone", "pupil.read", "pupil", 0, 0, "", "", at, last+1, h.Hash))
		r := reportFor(t, s, f.SchoolID)
		got := map[int64]string{}
		for _, b := range r.Breaks {
			got[b.AuditID] = b.Kind
		}
		if len(r.Breaks) != 3 || got[loose] != store.BreakInserted || got[dup] != store.BreakInserted || got[past] != store.BreakInserted {
			t.Fatalf("want rows %d, %d and %d inserted, got %s", loose, dup, past, breaksString(r.Breaks))
		}
	})
}

// The append-only trigger refuses changing a chained row, even only its
// hash, and removing one; a row written before the chain may be given its
// chain columns and nothing else.
func TestAuditTriggerGuardsTheChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f, ids, _ := chainOf(t, s)
		for _, q := range []string{`UPDATE audit_log SET hash = 'x' WHERE id = $1`, `UPDATE audit_log SET seq = 99 WHERE id = $1`, `DELETE FROM audit_log WHERE id = $1`} {
			if _, err := s.DB().Exec(q, ids[2]); err == nil {
				t.Fatalf("%s allowed", q)
			}
		}
		var legacy int64
		if err := s.DB().QueryRow(`INSERT INTO audit_log (school_id, user_name, action, at) VALUES ($1, 'old', 'pupil.read', $2) RETURNING id`,
			f.SchoolID, time.Now().UTC()).Scan(&legacy); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`UPDATE audit_log SET detail = 'x', seq = 1000, prev_hash = '', hash = 'h' WHERE id = $1`, legacy); err == nil {
			t.Fatal("a legacy row's detail changed with its chain columns")
		}
		if _, err := s.DB().Exec(`UPDATE audit_log SET seq = 1000, prev_hash = '', hash = 'h' WHERE id = $1`, legacy); err != nil {
			t.Fatalf("the backfill's update refused: %v", err)
		}
	})
}

// Rows written before the chain existed are chained on start; a chain that
// has a head keeps an unhashed row out and reports it.
func TestAuditChainBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f, _, _ := chainOf(t, s)
		// CreateSchool writes the school's first chained row; a school from
		// before the chain is one made straight in SQL.
		var old int64
		if err := s.DB().QueryRow(`INSERT INTO schools (name, created_at) VALUES ('Old School', $1) RETURNING id`, time.Now().UTC()).Scan(&old); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if _, err := s.DB().Exec(`INSERT INTO audit_log (school_id, user_name, action, detail, at) VALUES ($1, 'old', 'pupil.read', $2, $3)`,
				old, fmt.Sprint(i), time.Date(2025, 1, 1, 0, i, 0, 123456000, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		// And a row slipped into the fixture's live chain.
		if _, err := s.DB().Exec(`INSERT INTO audit_log (school_id, user_name, action, at) VALUES ($1, 'x', 'pupil.read', $2)`, f.SchoolID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if r := reportFor(t, s, old); len(r.Breaks) != 5 {
			t.Fatalf("before the backfill: %s", breaksString(r.Breaks))
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil { // idempotent
			t.Fatal(err)
		}
		r := reportFor(t, s, old)
		if !r.OK() || r.HeadSeq != 5 || r.Rows != 5 {
			t.Fatalf("after the backfill: head %d rows %d %s", r.HeadSeq, r.Rows, breaksString(r.Breaks))
		}
		if r := reportFor(t, s, f.SchoolID); len(r.Breaks) != 1 || r.Breaks[0].Kind != store.BreakInserted {
			t.Fatalf("the slipped-in row: %s", breaksString(r.Breaks))
		}
		// New rows carry on from the backfilled head.
		sys := sen.Actor{User: sen.User{Name: "system", SchoolID: old}}
		if _, err := s.CreateUser(ctx, sys, store.NewUser{SchoolID: f.SchoolID, Email: "n@x.example", Name: "N", Role: sen.RoleTeacher, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		if r := reportFor(t, s, old); !r.OK() || r.HeadSeq != 6 {
			t.Fatalf("after a new row: head %d %s", r.HeadSeq, breaksString(r.Breaks))
		}
	})
}

// Two servers writing at once never fork a school's chain.
func TestAuditChainConcurrentWriters(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(e, func(t *testing.T) {
			a, b := storetest.Twin(t, e)
			f := storetest.Seed(t, a, "x")
			senco := f.Actor(sen.RoleSENCO)
			var wg sync.WaitGroup
			errs := make(chan error, 40)
			for i := range 40 {
				st := a
				if i%2 == 1 {
					st = b
				}
				wg.Go(func() {
					if _, err := st.Pupil(context.Background(), senco, f.InClass.ID, "test"); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			r := reportFor(t, a, f.SchoolID)
			if !r.OK() || r.Rows < 40 || int64(r.Rows) != r.HeadSeq {
				t.Fatalf("rows %d head %d: %s", r.Rows, r.HeadSeq, breaksString(r.Breaks))
			}
		})
	}
}
