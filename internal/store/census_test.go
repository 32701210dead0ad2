package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Census needs are ranks 1 and 2; a third need is stored as the additional
// need and never counted, filtered or checked as a census need. NSA is only
// the sole need of a pupil on SEN support. Both engines.
func TestCensusNeedsAdditionalAndNSA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		id := f.InClass.ID
		version := func() int64 {
			p, err := s.Pupil(ctx, senco, id, "test")
			if err != nil {
				t.Fatal(err)
			}
			return p.Version
		}
		ch := func(status string) sen.StatusChange {
			return sen.StatusChange{Status: status, StartDate: d(2025, 9, 10), DecidedBy: "SENCO"}
		}
		var fe sen.FieldErrors
		for _, tc := range []struct {
			name   string
			status string
			needs  []sen.Need
			want   string
		}{
			{"NSA with an EHC plan", "E", []sen.Need{{Rank: 1, Code: "NSA"}}, "can only be used for a pupil on SEN support (K)"},
			{"NSA beside another need", "K", []sen.Need{{Rank: 1, Code: "NSA"}, {Rank: 2, Code: "MLD"}}, "must be the pupil's only need"},
			{"NSA as the secondary need", "K", []sen.Need{{Rank: 1, Code: "MLD"}, {Rank: 2, Code: "NSA"}}, "must be the pupil's only need"},
			{"NSA with an additional need", "K", []sen.Need{{Rank: 1, Code: "NSA"}, {Rank: 2, Code: "HI"}, {Rank: 3, Code: "MLD"}}, "must be the pupil's only need"},
			{"a fourth need", "K", []sen.Need{{Rank: 1, Code: "MLD"}, {Rank: 2, Code: "HI"}, {Rank: 3, Code: "VI"}, {Rank: 4, Code: "PD"}}, "Rank 4 is not used"},
		} {
			err := s.RecordStatus(ctx, senco, id, version(), ch(tc.status), tc.needs)
			if !errors.As(err, &fe) || !strings.Contains(fe["needs"], tc.want) {
				t.Errorf("%s: %v, want needs error containing %q", tc.name, err, tc.want)
			}
		}
		// NSA alone on SEN support is accepted.
		if err := s.RecordStatus(ctx, senco, id, version(), ch("K"), []sen.Need{{Rank: 1, Code: "NSA"}}); err != nil {
			t.Fatalf("NSA alone on K: %v", err)
		}
		// SetNeeds (no status change) is held to the same rule.
		if err := s.SetNeeds(ctx, senco, id, version(), []sen.Need{{Rank: 1, Code: "NSA"}, {Rank: 2, Code: "SEMH"}}); !errors.As(err, &fe) || !strings.Contains(fe["needs"], "only need") {
			t.Fatalf("SetNeeds NSA with another need: %v", err)
		}
		// Primary, secondary and an additional need (HI, sensory and physical).
		if err := s.SetNeeds(ctx, senco, id, version(), []sen.Need{{Rank: 1, Code: "SPLD"}, {Rank: 2, Code: "SEMH"}, {Rank: sen.AdditionalNeedRank, Code: "HI"}}); err != nil {
			t.Fatal(err)
		}
		p, err := s.Pupil(ctx, senco, id, "test")
		if err != nil || len(p.Needs) != 3 || len(sen.CensusNeeds(p.Needs)) != 2 || sen.AdditionalNeeds(p.Needs)[0].Code != "HI" {
			t.Fatalf("needs stored: %+v %v", p.Needs, err)
		}
		// Filters by need and area read the census needs only.
		for _, tc := range []struct {
			f    store.PupilFilter
			want int
		}{
			{store.PupilFilter{Need: "SPLD"}, 1},
			{store.PupilFilter{Need: "SEMH"}, 1},
			{store.PupilFilter{Need: "HI"}, 0},
			{store.PupilFilter{Area: sen.AreaSEMH}, 1},
			{store.PupilFilter{Area: sen.AreaSP}, 0},
		} {
			if _, n, err := s.ListPupils(ctx, senco, tc.f); err != nil || n != tc.want {
				t.Errorf("filter %+v: %d %v, want %d", tc.f, n, err, tc.want)
			}
		}
		// Figures count the primary need only; the additional need is not counted.
		fig, err := s.Aggregates(ctx, f.SchoolID)
		if err != nil || fig.ByNeed["SPLD"] != 1 || fig.ByNeed["HI"] != 0 || fig.ByArea[sen.AreaSP] != 0 {
			t.Fatalf("figures: %+v %v", fig, err)
		}
		if n, err := s.CensusProblems(ctx, f.SchoolID); err != nil || n != 0 {
			t.Fatalf("an additional need is not a census problem: %d %v", n, err)
		}
		// An EHC plan is refused to a pupil whose only need is NSA.
		if err := s.SetNeeds(ctx, senco, id, version(), []sen.Need{{Rank: 1, Code: "NSA"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordStatus(ctx, senco, id, version(), sen.StatusChange{Status: "E", StartDate: d(2026, 3, 1), DecidedBy: "LA"}, []sen.Need{{Rank: 1, Code: "NSA"}}); !errors.As(err, &fe) || !strings.Contains(fe["needs"], "NSA") {
			t.Fatalf("E with NSA: %v", err)
		}
	})
}

// The census SEN unit and resourced-provision indicators: offered only where
// the school has the provision, only with an EHC plan, cleared when the
// status or the school's provision no longer allows them. Both engines.
func TestProvisionIndicators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		id := f.InClass.ID
		pupil := func() sen.Pupil {
			p, err := s.Pupil(ctx, senco, id, "test")
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		ehcp := &sen.StatusChange{Status: "E", StartDate: d(2025, 9, 10), DecidedBy: "LA issued EHC plan"}
		asd := []sen.Need{{Rank: 1, Code: "ASD"}}
		unit := sen.ProvisionIndicators{SENUnit: true}
		var fe sen.FieldErrors
		// The school has no unit yet: refused, and nothing saved.
		if err := s.RecordRegister(ctx, senco, id, pupil().Version, ehcp, asd, unit); !errors.As(err, &fe) || !strings.Contains(fe["senUnit"], "settings do not record SEN unit") {
			t.Fatalf("unit without school provision: %v", err)
		}
		if p := pupil(); p.Status != sen.StatusNone || p.Indicators.SENUnit {
			t.Fatalf("refused save kept changes: %+v", p)
		}
		if err := s.SetSchoolProvision(ctx, senco, sen.SchoolProvision{SENUnit: true, ResourcedProvision: true}); err != nil {
			t.Fatal(err)
		}
		if sc, err := s.School(ctx, f.SchoolID); err != nil || !sc.Provision.SENUnit || !sc.Provision.ResourcedProvision {
			t.Fatalf("school provision: %+v %v", sc, err)
		}
		// SEN support cannot carry the flag.
		k := &sen.StatusChange{Status: "K", StartDate: d(2025, 9, 10), DecidedBy: "SENCO"}
		if err := s.RecordRegister(ctx, senco, id, pupil().Version, k, asd, unit); !errors.As(err, &fe) || fe["senUnit"] == "" {
			t.Fatalf("K with unit: %v", err)
		}
		if err := s.RecordRegister(ctx, senco, id, pupil().Version, ehcp, asd, sen.ProvisionIndicators{SENUnit: true, ResourcedProvision: true}); err != nil {
			t.Fatal(err)
		}
		if p := pupil(); p.Status != "E" || !p.Indicators.SENUnit || !p.Indicators.ResourcedProvision {
			t.Fatalf("saved: %+v", p)
		}
		// Needs alone (no status change) keep or change the flags.
		if err := s.RecordRegister(ctx, senco, id, pupil().Version, nil, asd, unit); err != nil {
			t.Fatal(err)
		}
		if p := pupil(); !p.Indicators.SENUnit || p.Indicators.ResourcedProvision {
			t.Fatalf("needs-only save: %+v", p.Indicators)
		}
		// The school no longer has a unit: every pupil's unit flag is cleared.
		if err := s.SetSchoolProvision(ctx, senco, sen.SchoolProvision{ResourcedProvision: true}); err != nil {
			t.Fatal(err)
		}
		if p := pupil(); p.Indicators.SENUnit {
			t.Fatalf("unit flag kept after the school's unit was removed")
		}
		if err := s.RecordRegister(ctx, senco, id, pupil().Version, nil, asd, sen.ProvisionIndicators{ResourcedProvision: true}); err != nil {
			t.Fatal(err)
		}
		// Leaving the EHC plan for SEN support clears the flags.
		if err := s.RecordStatus(ctx, senco, id, pupil().Version, sen.StatusChange{Status: "K", StartDate: d(2026, 3, 1), DecidedBy: "LA ceased plan"}, []sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
			t.Fatal(err)
		}
		if p := pupil(); p.Indicators != (sen.ProvisionIndicators{}) {
			t.Fatalf("flags kept on K: %+v", p.Indicators)
		}
	})
}
