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
