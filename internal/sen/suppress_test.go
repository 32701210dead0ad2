package sen

import (
	"reflect"
	"testing"
)

func TestIsSmall(t *testing.T) {
	for n, want := range map[int]bool{0: false, 1: true, 4: true, 5: false, 12: false} {
		if IsSmall(n) != want {
			t.Errorf("IsSmall(%d) = %v", n, !want)
		}
	}
}

// recoverable reports whether some hidden value is the only hidden one of a line.
func recoverable(hide []bool, lines [][]int) bool {
	for _, l := range lines {
		n := 0
		for _, i := range l {
			if hide[i] {
				n++
			}
		}
		if n == 1 {
			return true
		}
	}
	return false
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name   string
		values []int
		lines  [][]int
		want   []bool
	}{
		{"nothing small", []int{10, 20, 30}, [][]int{{0, 1, 2}}, []bool{false, false, false}},
		{"zero is shown", []int{0, 20, 20}, [][]int{{0, 1, 2}}, []bool{false, false, false}},
		{"one small: smallest other part hidden", []int{3, 20, 9, 32}, [][]int{{0, 1, 2, 3}}, []bool{true, false, true, false}},
		{"two small: enough", []int{3, 2, 9, 14}, [][]int{{0, 1, 2, 3}}, []bool{true, true, false, false}},
		{"non-zero before zero", []int{3, 0, 9, 12}, [][]int{{0, 1, 2, 3}}, []bool{true, false, true, false}},
		{"only the total left", []int{3, 0, 3}, [][]int{{0, 1, 2}}, []bool{true, false, true}},
		{"no lines", []int{3, 7}, nil, []bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Suppress(tc.values, tc.lines)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v want %v", got, tc.want)
			}
			if recoverable(got, tc.lines) {
				t.Fatalf("a hidden value can be worked out: %v", got)
			}
		})
	}
}

func TestSuppressTable(t *testing.T) {
	tests := []struct {
		name  string
		cells [][]int
		want  TableSuppression
	}{
		{"all large", [][]int{{10, 20}, {30, 40}}, TableSuppression{
			Cells: [][]bool{{false, false}, {false, false}}, RowTotals: []bool{false, false}, ColTotals: []bool{false, false}}},
		{"one small cell: a rectangle is hidden", [][]int{{2, 20}, {30, 40}}, TableSuppression{
			Cells: [][]bool{{true, true}, {true, true}}, RowTotals: []bool{false, false}, ColTotals: []bool{false, false}}},
		{"list with total", [][]int{{3}, {50}, {7}}, TableSuppression{
			Cells: [][]bool{{true}, {false}, {true}}, RowTotals: []bool{true, false, true}, ColTotals: []bool{false}}},
		{"small row total", [][]int{{0, 3}, {30, 40}, {12, 9}}, TableSuppression{
			Cells: [][]bool{{false, true}, {false, false}, {false, true}}, RowTotals: []bool{true, false, true}, ColTotals: []bool{false, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SuppressTable(tc.cells)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
			// Every line keeps zero or at least two hidden values.
			for r, row := range got.Cells {
				n := 0
				if got.RowTotals[r] {
					n++
				}
				for _, h := range row {
					if h {
						n++
					}
				}
				if n == 1 {
					t.Fatalf("row %d: one hidden value", r)
				}
			}
		})
	}
}

func TestShowCount(t *testing.T) {
	for _, tc := range []struct {
		n      int
		hidden bool
		want   string
	}{{0, false, "0"}, {3, true, "fewer than 5"}, {3, false, "fewer than 5"}, {12, true, "withheld"}, {12, false, "12"}} {
		if got := ShowCount(tc.n, tc.hidden); got != tc.want {
			t.Errorf("ShowCount(%d,%v) = %q", tc.n, tc.hidden, got)
		}
	}
}
