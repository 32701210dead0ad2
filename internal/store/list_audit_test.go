package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func count(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func setK(t *testing.T, s *store.Store, a sen.Actor, p sen.Pupil) {
	t.Helper()
	ctx := context.Background()
	cur, err := s.Pupil(ctx, a, p.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordStatus(ctx, a, p.ID, cur.Version, sen.StatusChange{Status: "K", StartDate: d(2026, 9, 1), DecidedBy: "SENCO"}, []sen.Need{{Rank: 1, Code: "MLD"}}); err != nil {
		t.Fatal(err)
	}
}

// listedOn reports the listed entries of action on the pupil's audit trail.
func listedOn(t *testing.T, s *store.Store, a sen.Actor, pupilID int64, action string) []store.AuditEntry {
	t.Helper()
	entries, err := s.PupilAudit(context.Background(), a, pupilID, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range entries {
		if e.Listed && e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

func TestListViewsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		setK(t, s, senco, f.InClass)
		setK(t, s, senco, f.NotTaught)

		// A register view: one row with the filter and the count, and each
		// listed pupil's trail shows it.
		list, _, err := s.ViewPupils(ctx, senco, store.PupilFilter{Status: "SEN"}, store.ViewRegister)
		if err != nil || len(list) != 2 {
			t.Fatalf("register: %d %v", len(list), err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'register.list' AND user_id = $1 AND detail = 'rows=2 filter=status=SEN' AND pupil_id IS NULL`, senco.User.ID); n != 1 {
			t.Fatalf("register view rows = %d, want 1", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE l.action = 'register.list'`); n != 2 {
			t.Fatalf("listed links = %d, want 2", n)
		}
		for _, p := range []sen.Pupil{f.InClass, f.NotTaught} {
			got := listedOn(t, s, senco, p.ID, "register.list")
			if len(got) != 1 || got[0].UserName != senco.User.Name || got[0].Detail != "rows=2 filter=status=SEN" {
				t.Errorf("pupil %d trail: %+v", p.ID, got)
			}
		}

		// A teacher's scoped list records only the pupils they saw.
		if list, _, err := s.ViewPupils(ctx, teacher, store.PupilFilter{}, store.ViewPupilList); err != nil || len(list) != 1 {
			t.Fatalf("teacher list: %d %v", len(list), err)
		}
		if got := listedOn(t, s, senco, f.InClass.ID, "pupil.list"); len(got) != 1 || got[0].UserName != teacher.User.Name {
			t.Errorf("taught pupil's trail: %+v", got)
		}
		if got := listedOn(t, s, senco, f.NotTaught.ID, "pupil.list"); len(got) != 0 {
			t.Errorf("pupil the teacher does not teach is shown as listed: %+v", got)
		}
		if _, err := s.MyPupils(ctx, teacher, ""); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'mypupils.list' AND user_id = $1 AND detail = 'rows=1 filter=status=SEN'`, teacher.User.ID); n != 1 {
			t.Errorf("my pupils view rows = %d, want 1", n)
		}
		if got := listedOn(t, s, senco, f.InClass.ID, "mypupils.list"); len(got) != 1 {
			t.Errorf("my pupils not on the taught pupil's trail: %+v", got)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE pupil_id = $1 AND user_id = $2`, f.NotTaught.ID, teacher.User.ID) +
			count(t, s, `SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE al.pupil_id = $1 AND l.user_id = $2`, f.NotTaught.ID, teacher.User.ID); n != 0 {
			t.Errorf("%d audit entries for a pupil the teacher never saw", n)
		}

		// A search is recorded as made, with its length, never its text.
		if list, _, err := s.ViewPupils(ctx, senco, store.PupilFilter{Query: " Okafor ", YearGroup: "7"}, store.ViewPupilList); err != nil || len(list) != 1 {
			t.Fatalf("search: %d %v", len(list), err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'pupil.list' AND user_id = $1 AND detail = 'rows=1 filter=search=6chars year=7'`, senco.User.ID); n != 1 {
			t.Errorf("search view rows = %d, want 1", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE LOWER(detail) LIKE '%okafor%'`); n != 0 {
			t.Errorf("the search term is in the audit log (%d rows)", n)
		}

		// The SENCO dashboard is one row, linked to the pupils it lists.
		if _, err := s.SencoDashboard(ctx, senco); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'dashboard.read' AND user_id = $1 AND detail LIKE 'senco rows=%'`, senco.User.ID); n != 1 {
			t.Errorf("dashboard rows = %d, want 1", n)
		}

		// The links are append-only, like the log (and so are the links
		// written before the sets, in audit_listed).
		if _, err := s.DB().Exec(`INSERT INTO audit_listed (audit_id, pupil_id) SELECT MAX(id), $1 FROM audit_log`, f.InClass.ID); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DELETE FROM audit_listed`, `UPDATE audit_listed SET pupil_id = 0`,
			`DELETE FROM audit_pupil_sets`, `UPDATE audit_pupil_sets SET size = 0`,
			`DELETE FROM audit_pupil_set_members`, `UPDATE audit_pupil_set_members SET pupil_id = 0`,
			`DELETE FROM audit_view_sets`, `UPDATE audit_view_sets SET set_id = 0`} {
			if _, err := s.DB().Exec(q); err == nil {
				t.Errorf("allowed: %s", q)
			}
		}
	})
}

// A 300-pupil register view is one audit row and one link to the stored
// set of pupils listed, which is written once.
func TestRegisterViewOf300(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		batch := make([]sen.Pupil, 300)
		for i := range batch {
			batch[i] = sen.Pupil{UPN: upnFor(i), Forename: "P", Surname: fmt.Sprintf("Pupil%03d", i), DOB: d(2014, 1, 1), Sex: "F", YearGroup: "7"}
		}
		if _, err := s.ImportPupils(ctx, senco, batch, "test.csv"); err != nil {
			t.Fatal(err)
		}
		var plain, viewed time.Duration
		for range 5 {
			t0 := time.Now()
			if _, _, err := s.ListPupils(ctx, senco, store.PupilFilter{}); err != nil {
				t.Fatal(err)
			}
			t1 := time.Now()
			list, _, err := s.ViewPupils(ctx, senco, store.PupilFilter{}, store.ViewRegister)
			if err != nil || len(list) != 302 {
				t.Fatalf("%d %v", len(list), err)
			}
			plain, viewed = plain+t1.Sub(t0), viewed+time.Since(t1)
		}
		t.Logf("302-row list: %v unaudited, %v audited (mean of 5)", plain/5, viewed/5)
		if n := count(t, s, `SELECT COUNT(*) FROM audit_listed_pupils`); n != 5*302 {
			t.Errorf("links = %d", n)
		}
		// The same 302 pupils five times: one stored set, five small links.
		if n := count(t, s, `SELECT COUNT(*) FROM audit_pupil_set_members`); n != 302 {
			t.Errorf("set members = %d, want 302 (one set)", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_view_sets v JOIN audit_log l ON l.id = v.audit_id WHERE l.action = 'register.list'`); n != 5 {
			t.Errorf("view links = %d, want 5", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'register.list'`); n != 5 {
			t.Errorf("rows = %d", n)
		}
	})
}

// upnFor is a valid UPN for test pupil i.
func upnFor(i int) string {
	rest := fmt.Sprintf("201%04d%05d", 9100, i)[:12]
	return string(sen.UPNCheckLetter(rest)) + rest
}

// Each distinct set of pupils listed is stored once and each view links to
// its set; when the register changes, the next view is a new set, and every
// pupil's trail shows exactly the views that listed them — also the views
// recorded before the sets (audit_listed), and views of one new set made at
// the same moment by several requests (PostgreSQL: the unique digest).
func TestListedSets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		setK(t, s, senco, f.InClass)

		one, err := s.ViewList(ctx, senco, store.PupilFilter{Status: "SEN"}, store.ViewRegister)
		if err != nil || len(one.Pupils) != 1 {
			t.Fatalf("register: %+v %v", one, err)
		}
		again, err := s.ViewList(ctx, senco, store.PupilFilter{Status: "SEN"}, store.ViewRegister)
		if err != nil || again.Stamp != one.Stamp || len(again.Pupils) != 1 {
			t.Fatalf("unchanged register: stamp %q then %q, %v", one.Stamp, again.Stamp, err)
		}
		// The register changes: the cached list is not reused, a new set is stored.
		setK(t, s, senco, f.NotTaught)
		two, err := s.ViewList(ctx, senco, store.PupilFilter{Status: "SEN"}, store.ViewRegister)
		if err != nil || len(two.Pupils) != 2 || two.Stamp == one.Stamp {
			t.Fatalf("after a change: %d pupils, stamp %q (was %q), %v", len(two.Pupils), two.Stamp, one.Stamp, err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_pupil_sets WHERE school_id = $1`, f.SchoolID); n != 2 {
			t.Errorf("stored sets = %d, want 2", n)
		}
		if got := listedOn(t, s, senco, f.InClass.ID, "register.list"); len(got) != 3 {
			t.Errorf("listed three times, trail shows %d", len(got))
		}
		if got := listedOn(t, s, senco, f.NotTaught.ID, "register.list"); len(got) != 1 || got[0].Detail != "rows=2 filter=status=SEN" {
			t.Errorf("listed once (in the second set), trail: %+v", got)
		}

		// A view recorded before the sets, in audit_listed, is still on the trail.
		var auditID int64
		if err := s.DB().QueryRow(`INSERT INTO audit_log (school_id, user_id, user_name, action, entity, detail, ip, at)
VALUES ($1, $2, $3, 'pupil.list', 'pupils', 'rows=1 filter=none', '', $4) RETURNING id`, f.SchoolID, senco.User.ID, senco.User.Name, s.Now()).Scan(&auditID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`INSERT INTO audit_listed (audit_id, pupil_id) VALUES ($1, $2)`, auditID, f.NotTaught.ID); err != nil {
			t.Fatal(err)
		}
		if got := listedOn(t, s, senco, f.NotTaught.ID, "pupil.list"); len(got) != 1 || got[0].ID != auditID {
			t.Errorf("old-style listing not on the trail: %+v", got)
		}
		if got := listedOn(t, s, senco, f.InClass.ID, "pupil.list"); len(got) != 0 {
			t.Errorf("old-style listing on another pupil's trail: %+v", got)
		}

		// Several requests listing a set no view has listed yet.
		filter := store.PupilFilter{Status: "SEN", Limit: 1} // Carter alone: a set not yet stored
		errs := make(chan error, 6)
		for range 6 {
			go func() {
				_, err := s.ViewList(ctx, senco, filter, store.ViewRegister)
				errs <- err
			}()
		}
		for range 6 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'register.list' AND detail = 'rows=1 of 2 filter=status=SEN'`); n != 6 {
			t.Errorf("concurrent views = %d rows, want 6", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE l.detail = 'rows=1 of 2 filter=status=SEN' AND al.pupil_id = $1`, f.NotTaught.ID); n != 6 {
			t.Errorf("concurrent views: %d on Carter's trail, want 6", n)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_pupil_sets WHERE school_id = $1`, f.SchoolID); n != 3 {
			t.Errorf("stored sets = %d, want 3 (the new one once)", n)
		}
	})
}
