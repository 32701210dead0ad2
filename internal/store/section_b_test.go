package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/pressly/goose/v3"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// A Section B need and the register name a broad area of need the same way:
// both read the one list sen.BroadAreas.
func TestSectionBAreasAreTheRegisters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		withNeed(t, s, f, f.InClass)
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 3, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPlanNeed(ctx, senco, p.ID, ehc.Need{Area: sen.AreaCI, Text: "Needs help with social communication"}); err != nil {
			t.Fatal(err)
		}
		full, err := s.Plan(ctx, senco, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Needs) != 1 || full.Needs[0].Area != sen.AreaCI {
			t.Fatalf("needs %+v, want one under %s", full.Needs, sen.AreaCI)
		}
		if got, want := ehc.NeedAreaLabel(full.Needs[0].Area), sen.AreaLabel(sen.AreaCI); got != want || want != "Communication and interaction" {
			t.Fatalf("Section B names %s %q, the register %q", sen.AreaCI, got, want)
		}
		for _, a := range sen.BroadAreas {
			if got := ehc.NeedAreaLabel(a.Code); got != sen.AreaLabel(a.Code) {
				t.Errorf("Section B names %s %q, the register %q", a.Code, got, sen.AreaLabel(a.Code))
			}
		}

		// Migration 00007 translates rows stored with the old Section B codes.
		dialect := goose.DialectSQLite3
		if s.Engine() == store.Postgres {
			dialect = goose.DialectPostgres
		}
		prov, err := goose.NewProvider(dialect, s.DB(), os.DirFS("migrations/"+s.Engine()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := prov.DownTo(ctx, 6); err != nil {
			t.Fatal(err)
		}
		area := func(id int64) string {
			t.Helper()
			var a string
			if err := s.DB().QueryRowContext(ctx, `SELECT area FROM ehc_plan_needs WHERE id = $1`, id).Scan(&a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		if got := area(full.Needs[0].ID); got != "CL" {
			t.Fatalf("before 00007 the need is stored as %q, want the old code CL", got)
		}
		// Old codes: CL was communication and interaction, CI cognition and learning.
		old := map[string]string{"CI": sen.AreaCL, "SEMH": sen.AreaSEMH, "SP": sen.AreaSP}
		ids := map[string]int64{}
		for code := range old {
			var id int64
			if err := s.DB().QueryRowContext(ctx, `INSERT INTO ehc_plan_needs (plan_id, area, text) VALUES ($1, $2, 'old row') RETURNING id`, p.ID, code).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids[code] = id
		}
		if _, err := prov.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if got := area(full.Needs[0].ID); got != sen.AreaCI {
			t.Errorf("old CL stored as %q after 00007, want %s", got, sen.AreaCI)
		}
		for code, want := range old {
			if got := area(ids[code]); got != want {
				t.Errorf("old %s stored as %q after 00007, want %s", code, got, want)
			}
		}
	})
}
