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

func TestMain(m *testing.M) { storetest.Main(m) }

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func TestPupilCRUDAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)

		// Duplicate UPN is refused with a field error.
		dup := sen.Pupil{UPN: f.InClass.UPN, Forename: "X", Surname: "Y", DOB: d(2014, 1, 1), Sex: "M", YearGroup: "7"}
		err := s.CreatePupil(ctx, senco, &dup)
		var fe sen.FieldErrors
		if !errors.As(err, &fe) || !strings.Contains(fe["upn"], "already on this school's roll") {
			t.Fatalf("duplicate UPN: %v", err)
		}

		// Read is audited.
		p, err := s.Pupil(ctx, senco, f.InClass.ID, "view")
		if err != nil || p.FullName() != "Amara Okafor" || p.DOB != d(2014, 5, 1) || p.Status != "N" {
			t.Fatalf("read: %+v %v", p, err)
		}

		// Teacher sees the pupil they teach, not the other one.
		teacher := f.Actor(sen.RoleTeacher)
		if _, err := s.Pupil(ctx, teacher, f.InClass.ID, "view"); err != nil {
			t.Fatalf("teacher cannot read own pupil: %v", err)
		}
		if _, err := s.Pupil(ctx, teacher, f.NotTaught.ID, "view"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher reads untaught pupil: %v", err)
		}
		list, total, err := s.ListPupils(ctx, teacher, store.PupilFilter{})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != f.InClass.ID {
			t.Fatalf("teacher list: %v %d %v", list, total, err)
		}
		// Another school's SENCO sees nothing.
		if _, err := s.Pupil(ctx, sen.Actor{User: f.Other}, f.InClass.ID, "view"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("cross-school read: %v", err)
		}

		// Search by name, UPN, year and class.
		for q, want := range map[string]int{"okaf": 1, "b8012": 1, "": 2, "zzz": 0} {
			_, n, err := s.ListPupils(ctx, senco, store.PupilFilter{Query: q})
			if err != nil || n != want {
				t.Errorf("search %q: %d %v", q, n, err)
			}
		}
		if _, n, _ := s.ListPupils(ctx, senco, store.PupilFilter{ClassName: "7B"}); n != 1 {
			t.Errorf("class filter: %d", n)
		}

		// Optimistic locking: a stale version is refused.
		p.Forename = "Amarachi"
		if err := s.UpdatePupil(ctx, senco, &p); err != nil {
			t.Fatal(err)
		}
		stale := p
		stale.Version = 1
		stale.Surname = "Changed"
		if err := s.UpdatePupil(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale update: %v", err)
		}
		// Moving class moves the teaching relationship.
		p.ClassName = "7B"
		if err := s.UpdatePupil(ctx, senco, &p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Pupil(ctx, teacher, p.ID, "view"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher still sees moved pupil: %v", err)
		}

		audit, err := s.PupilAudit(ctx, senco, p.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range audit {
			actions[e.Action]++
		}
		if actions["pupil.create"] != 1 || actions["pupil.read"] < 2 || actions["pupil.update"] != 2 {
			t.Fatalf("audit trail: %v", actions)
		}
		if strings.Contains(audit[0].Detail, "Amarachi") {
			t.Fatal("audit detail leaks pupil data")
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		storetest.Seed(t, s, "x")
		if _, err := s.DB().Exec(`UPDATE audit_log SET action = 'x'`); err == nil {
			t.Fatal("audit_log update allowed")
		}
		if _, err := s.DB().Exec(`DELETE FROM audit_log`); err == nil {
			t.Fatal("audit_log delete allowed")
		}
	})
}

func TestRegisterStatusAndNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		id := f.InClass.ID

		// K without a primary need breaks census consistency.
		err := s.RecordStatus(ctx, senco, id, 1, sen.StatusChange{Status: "K", StartDate: d(2025, 9, 10), DecidedBy: "SENCO"}, nil)
		var fe sen.FieldErrors
		if !errors.As(err, &fe) || !strings.Contains(fe["needs"], "primary") {
			t.Fatalf("K without need: %v", err)
		}
		if err := s.RecordStatus(ctx, senco, id, 1, sen.StatusChange{Status: "K", StartDate: d(2025, 9, 10), DecidedBy: "SENCO with parents", Reason: "Assessment"},
			[]sen.Need{{Rank: 1, Code: "SLCN"}, {Rank: 2, Code: "SEMH"}}); err != nil {
			t.Fatal(err)
		}
		// Stale version refused.
		if err := s.SetNeeds(ctx, senco, id, 1, []sen.Need{{Rank: 1, Code: "MLD"}}); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale needs: %v", err)
		}
		// Backdating before the current status is refused.
		err = s.RecordStatus(ctx, senco, id, 2, sen.StatusChange{Status: "E", StartDate: d(2025, 1, 1), DecidedBy: "LA"}, []sen.Need{{Rank: 1, Code: "ASD"}})
		if !errors.As(err, &fe) || fe["startDate"] == "" {
			t.Fatalf("backdated: %v", err)
		}
		if err := s.RecordStatus(ctx, senco, id, 2, sen.StatusChange{Status: "E", StartDate: d(2026, 3, 1), DecidedBy: "LA issued EHC plan"}, []sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
			t.Fatal(err)
		}
		hist, err := s.StatusHistory(ctx, senco, id)
		if err != nil || len(hist) != 2 || hist[0].Status != "E" || hist[1].Status != "K" || hist[1].RecordedBy != "Test SENCO" {
			t.Fatalf("history: %+v %v", hist, err)
		}
		// Register filters.
		for _, tc := range []struct {
			f    store.PupilFilter
			want int
		}{
			{store.PupilFilter{Status: "E"}, 1},
			{store.PupilFilter{Status: "K"}, 0},
			{store.PupilFilter{Status: "SEN"}, 1},
			{store.PupilFilter{Need: "ASD"}, 1},
			{store.PupilFilter{Need: "SLCN"}, 0},
			{store.PupilFilter{Area: sen.AreaCI}, 1},
			{store.PupilFilter{Area: sen.AreaSEMH}, 0},
			{store.PupilFilter{YearGroup: "7", Status: "SEN"}, 1},
			{store.PupilFilter{YearGroup: "8", Status: "SEN"}, 0},
		} {
			list, n, err := s.ListPupils(ctx, senco, tc.f)
			if err != nil || n != tc.want {
				t.Errorf("filter %+v: %d %v", tc.f, n, err)
			}
			if n == 1 && (len(list[0].Needs) != 1 || list[0].Needs[0].Code != "ASD") {
				t.Errorf("needs not attached: %+v", list[0].Needs)
			}
		}
		if n, err := s.CensusProblems(ctx, f.SchoolID); err != nil || n != 0 {
			t.Fatalf("census problems on a clean register: %d %v", n, err)
		}
		// Legacy data written around the checks (e.g. an old MIS migration) is counted.
		if _, err := s.DB().Exec(`UPDATE pupils SET sen_status = 'K' WHERE id = $1`, f.NotTaught.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CensusProblems(ctx, f.SchoolID); err != nil || n != 1 {
			t.Fatalf("census problems: %d %v", n, err)
		}
		if _, err := s.DB().Exec(`UPDATE pupils SET sen_status = 'N' WHERE id = $1`, f.NotTaught.ID); err != nil {
			t.Fatal(err)
		}
		fig, err := s.Aggregates(ctx, f.SchoolID)
		if err != nil || fig.OnRoll != 2 || fig.ByStatus["E"] != 1 || fig.ByNeed["ASD"] != 1 || fig.ByArea[sen.AreaCI] != 1 {
			t.Fatalf("aggregates: %+v %v", fig, err)
		}
		// A teacher cannot change the register of a pupil they teach? The
		// store scopes reads; the write permission is checked by authz in web.
		if _, err := s.StatusHistory(ctx, f.Actor(sen.RoleTeacher), f.NotTaught.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		office := f.Actor(sen.RoleOffice)
		upd := f.InClass
		upd.ClassName = "7C"
		batch := []sen.Pupil{
			upd,
			{UPN: "P207000016049", Forename: "Cara", Surname: "Ng", DOB: d(2013, 2, 3), Sex: "F", YearGroup: "8", ClassName: "8A"},
		}
		res, err := s.ImportPupils(ctx, office, batch, "mis.csv")
		if err != nil || res.Created != 1 || res.Updated != 1 {
			t.Fatalf("import: %+v %v", res, err)
		}
		// Re-import: nothing changes.
		res, err = s.ImportPupils(ctx, office, batch, "mis.csv")
		if err != nil || res.Unchanged != 2 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		// A batch that fails part-way writes nothing.
		bad := []sen.Pupil{
			{UPN: "T20110001804V", Forename: "Dan", Surname: "Ode", DOB: d(2013, 2, 3), Sex: "M", YearGroup: "8"},
			{UPN: "T20110001804V", Forename: "Dup", Surname: "Row", DOB: d(2013, 2, 3), Sex: "M", YearGroup: "8"},
		}
		if _, err := s.ImportPupils(ctx, office, bad, "bad.csv"); err == nil {
			t.Fatal("duplicate within batch accepted")
		}
		if _, n, _ := s.ListPupils(ctx, f.Actor(sen.RoleSENCO), store.PupilFilter{Query: "t20110001804v"}); n != 0 {
			t.Fatal("half-written import")
		}
	})
}
