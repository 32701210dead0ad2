package sen

import (
	"strings"
	"testing"
)

func TestCheckCensus(t *testing.T) {
	tests := []struct {
		name   string
		status string
		needs  []Need
		want   string // substring of a problem, "" for consistent
	}{
		{"N no needs", "N", nil, ""},
		{"K primary", "K", []Need{{1, "SLCN"}}, ""},
		{"E primary and secondary", "E", []Need{{2, "SEMH"}, {1, "ASD"}}, ""},
		{"K with NSA", "K", []Need{{1, "NSA"}}, ""},
		{"E with DS", "E", []Need{{1, "DS"}}, ""},
		{"N with a need", "N", []Need{{1, "MLD"}}, "must have no SEN type"},
		{"K without need", "K", nil, "primary (rank 1)"},
		{"E only secondary", "E", []Need{{2, "MLD"}}, "primary (rank 1)"},
		{"duplicate rank", "K", []Need{{1, "MLD"}, {1, "SEMH"}}, "rank 1 is used more than once"},
		{"duplicate code", "K", []Need{{1, "MLD"}, {2, "MLD"}}, "more than once"},
		{"NSA with E", "E", []Need{{1, "NSA"}}, "NSA"},
		{"bad code", "K", []Need{{1, "XYZ"}}, "not a census SEN type"},
		{"bad status", "S", nil, "not a census code"},
		{"gap", "K", []Need{{1, "MLD"}, {3, "SEMH"}}, "no gaps"},
		// Census needs are ranks 1 and 2; rank 3 is the one additional need.
		{"K with additional need", "K", []Need{{1, "MLD"}, {2, "SEMH"}, {3, "HI"}}, ""},
		{"E with additional need", "E", []Need{{1, "ASD"}, {2, "SLCN"}, {3, "SEMH"}}, ""},
		{"rank 4", "K", []Need{{1, "MLD"}, {2, "SEMH"}, {3, "HI"}, {4, "VI"}}, "rank 4 is not used"},
		{"rank 0", "K", []Need{{0, "MLD"}, {1, "SEMH"}}, "rank 0 is not used"},
		{"N with additional need only", "N", []Need{{3, "MLD"}}, "must have no SEN type"},
		// NSA: SEN support only, and the pupil's only need (NeedRules).
		{"NSA as secondary", "K", []Need{{1, "MLD"}, {2, "NSA"}}, "must be the pupil's only need"},
		{"NSA with secondary", "K", []Need{{1, "NSA"}, {2, "MLD"}}, "must be the pupil's only need"},
		{"NSA with additional need", "K", []Need{{1, "NSA"}, {2, "MLD"}, {3, "HI"}}, "must be the pupil's only need"},
		{"NSA with E names K", "E", []Need{{1, "NSA"}}, "only be used for a pupil on SEN support (K), not with EHC plan (E)"},
		{"NSA with N", "N", []Need{{1, "NSA"}}, "only be used for a pupil on SEN support"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckCensus(tt.status, tt.needs)
			if tt.want == "" {
				if len(got) != 0 {
					t.Fatalf("want consistent, got %v", got)
				}
				return
			}
			if !strings.Contains(strings.Join(got, "|"), tt.want) {
				t.Fatalf("want problem containing %q, got %v", tt.want, got)
			}
		})
	}
}

func TestCensusAndAdditionalNeeds(t *testing.T) {
	needs := []Need{{3, "HI"}, {1, "SPLD"}, {2, "SEMH"}}
	census, extra := CensusNeeds(needs), AdditionalNeeds(needs)
	if len(census) != 2 || census[0].Code != "SPLD" || census[1].Code != "SEMH" {
		t.Fatalf("census needs %v", census)
	}
	if len(extra) != 1 || extra[0].Code != "HI" || extra[0].InCensus() {
		t.Fatalf("additional needs %v", extra)
	}
	// The additional need adds no broad area: HI (sensory) is not counted.
	if got := strings.Join(NeedAreas(needs), ","); got != "CL,SEMH" {
		t.Fatalf("areas %s", got)
	}
}

func TestCheckNeedRules(t *testing.T) {
	tests := []struct {
		status string
		needs  []Need
		n      int
	}{
		{"K", []Need{{1, "NSA"}}, 0},
		{"K", []Need{{1, "MLD"}, {2, "SEMH"}}, 0},
		{"E", []Need{{1, "NSA"}}, 1},
		{"K", []Need{{1, "NSA"}, {2, "MLD"}}, 1},
		{"E", []Need{{1, "NSA"}, {2, "MLD"}}, 2},
	}
	for _, tt := range tests {
		if got := CheckNeedRules(tt.status, tt.needs); len(got) != tt.n {
			t.Errorf("%s %v: %v, want %d problems", tt.status, tt.needs, got, tt.n)
		}
	}
}

func TestNeedAreas(t *testing.T) {
	got := NeedAreas([]Need{{2, "HI"}, {1, "SPLD"}, {3, "MLD"}})
	if strings.Join(got, ",") != "CL,SP" {
		t.Fatalf("got %v", got)
	}
	for _, n := range NeedTypes {
		if NeedArea(n.Code) == "" {
			t.Fatalf("%s has no area", n.Code)
		}
	}
	if NeedArea("ASD") != AreaCI || NeedArea("SEMH") != AreaSEMH || NeedArea("DS") != AreaNone {
		t.Fatal("area mapping wrong")
	}
}
