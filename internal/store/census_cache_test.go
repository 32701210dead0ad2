package store_test

import (
	"context"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The census problems are reused under the school's change counter, yet
// they exist to find register entries written around the application's
// checks. Every change to pupils and pupil_needs by plain SQL must move the
// counter (migration 00020's triggers), or the home page would keep
// showing a count that is no longer true: this test fails without them.
func TestCensusProblemsFollowWritesAroundTheApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		db := s.DB()
		want := func(step string, n int) {
			t.Helper()
			// Twice: the second is the cached view.
			for range 2 {
				if got, err := s.CensusProblems(ctx, f.SchoolID); err != nil || got != n {
					t.Fatalf("%s: census problems %d, want %d (%v)", step, got, n, err)
				}
			}
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		want("clean register", 0)
		exec(`INSERT INTO pupil_needs (pupil_id, rank, need_code, area) VALUES ($1, 1, 'ASD', $2)`, f.NotTaught.ID, sen.AreaCI)
		want("a need for a pupil with no SEN (N)", 1)
		exec(`UPDATE pupils SET sen_status = 'K' WHERE id = $1`, f.NotTaught.ID)
		want("status K with a primary need", 0)
		exec(`UPDATE pupil_needs SET rank = 2 WHERE pupil_id = $1`, f.NotTaught.ID)
		want("no primary need", 1)
		exec(`DELETE FROM pupil_needs WHERE pupil_id = $1`, f.NotTaught.ID)
		want("SEN support with no need", 1)
		exec(`UPDATE pupils SET sen_status = 'N' WHERE id = $1`, f.NotTaught.ID)
		want("back to no SEN", 0)
		now := time.Now().UTC()
		exec(`INSERT INTO pupils (school_id, upn, forename, surname, dob, sex, year_group, year_order, search_text, sen_status, created_at, updated_at)
VALUES ($1, 'A123456789012', 'Cara', 'Dunn', $2, 'F', '7', 7, 'cara dunn', 'E', $3, $3)`, f.SchoolID, "2014-01-01", now)
		want("a pupil inserted with an EHC plan and no need", 1)
		exec(`DELETE FROM pupils WHERE upn = 'A123456789012'`)
		want("that pupil deleted", 0)
		// Another school's counter and count are its own.
		if n, err := s.CensusProblems(ctx, f.Other.SchoolID); err != nil || n != 0 {
			t.Fatalf("other school: %d %v", n, err)
		}
	})
}

// The EHC overview's lists (requests, ended plans) are reused under the
// change counter: another server process's new request shows at once, and
// a teacher's scope never shares the SENCO's list.
func TestEHCListsFollowOtherProcessesWrites(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a, b := storetest.Twin(t, engine)
			f := storetest.Seed(t, a, "x")
			senco := f.Actor(sen.RoleSENCO)
			if rs, err := a.Requests(ctx, senco); err != nil || len(rs) != 0 {
				t.Fatalf("requests: %d %v", len(rs), err)
			}
			for _, p := range []sen.Pupil{f.InClass, f.NotTaught} {
				r := &ehc.Request{PupilID: p.ID, RequestedBy: "school", Received: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), LAName: "Riverside"}
				if err := b.CreateRequest(ctx, senco, r); err != nil {
					t.Fatal(err)
				}
			}
			if rs, err := a.Requests(ctx, senco); err != nil || len(rs) != 2 {
				t.Fatalf("requests after another process's writes: %d %v", len(rs), err)
			}
			if rs, err := a.Requests(ctx, f.Actor(sen.RoleTeacher)); err != nil || len(rs) != 1 || rs[0].PupilID != f.InClass.ID {
				t.Fatalf("teacher's requests: %+v %v", rs, err)
			}
			if ended, err := a.EndedPlans(ctx, senco); err != nil || len(ended) != 0 {
				t.Fatalf("ended plans: %d %v", len(ended), err)
			}
		})
	}
}
