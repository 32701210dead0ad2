package plans

import (
	"reflect"
	"testing"

	"opensend/internal/sen"
)

func TestSuggestStrategies(t *testing.T) {
	bank := []BankStrategy{
		{ID: 1, Area: sen.AreaCI, Need: "SLCN"},
		{ID: 2, Area: sen.AreaCI, Need: "SLCN"},
		{ID: 3, Area: sen.AreaCI, Need: "ASD"},
		{ID: 4, Area: sen.AreaCL, Need: ""},
		{ID: 5, Area: sen.AreaCL, Need: "SPLD"},
		{ID: 6, Area: sen.AreaSEMH, Need: ""},
		{ID: 7, Area: sen.AreaCI, Need: ""},
	}
	ids := func(bs []BankStrategy) []int64 {
		var out []int64
		for _, b := range bs {
			out = append(out, b.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		needs   []sen.Need
		perNeed int
		want    []int64
	}{
		{"no needs, nothing suggested", nil, 3, nil},
		{"need type first, then its area", []sen.Need{{Rank: 1, Code: "SLCN"}}, 3, []int64{1, 2, 7}},
		{"capped per need", []sen.Need{{Rank: 1, Code: "SLCN"}}, 1, []int64{1}},
		{"primary before secondary", []sen.Need{{Rank: 2, Code: "SPLD"}, {Rank: 1, Code: "ASD"}}, 2, []int64{3, 7, 5, 4}},
		{"a strategy shared by two needs is suggested once", []sen.Need{{Rank: 1, Code: "ASD"}, {Rank: 2, Code: "SLCN"}}, 3, []int64{3, 7, 1, 2}},
		{"a third need is not a census need and is not used", []sen.Need{{Rank: 1, Code: "SEMH"}, {Rank: 3, Code: "SPLD"}}, 3, []int64{6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(SuggestStrategies(bank, tc.needs, tc.perNeed)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
