package store_test

import (
	"context"
	"testing"
	"time"

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
