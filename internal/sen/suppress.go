package sen

import "fmt"

// Small-number suppression for the figures governors see.
//
// Source: statistical disclosure control as practised for official
// statistics in England — the ONS/GSS "Disclosure control guidance for
// tables produced from administrative sources" (threshold rule: small cells
// are not published; secondary suppression: where a suppressed cell could be
// worked out by subtraction from a published total, a complementary cell is
// suppressed too) and the DfE's statistics practice of publishing small
// counts as a symbol instead of the number (the fact sheet,
// statutory-facts.md, records DfE's "x" for a suppressed national figure).
// OpenSEND's threshold, from issue 12, is 5: any count from 1 to 4 is shown
// as "fewer than 5". Zero is shown: it identifies no child.

// SuppressBelow is the smallest count shown as a number (besides zero).
const SuppressBelow = 5

// FewerThan is what a governor reads instead of a count from 1 to 4.
var FewerThan = fmt.Sprintf("fewer than %d", SuppressBelow)

// Withheld is what a governor reads instead of a count hidden only so that
// a count of fewer than 5 cannot be worked out from a total.
const Withheld = "withheld"

// IsSmall reports whether n is a count that identifies too few children
// to be shown (1 to 4).
func IsSmall(n int) bool { return n > 0 && n < SuppressBelow }

// Suppress decides which of values to hide. Each line lists the indexes of
// values bound by one addition (the parts and their total, for example one
// row of a table with its row total): in a line with exactly one hidden
// value, that value could be worked out, so the smallest other value of the
// line (a part before a total, a non-zero before a zero) is hidden too,
// until no line has exactly one hidden value. Small counts (IsSmall) are
// hidden first.
func Suppress(values []int, lines [][]int) []bool {
	hide := make([]bool, len(values))
	for i, v := range values {
		hide[i] = IsSmall(v)
	}
	for changed := true; changed; {
		changed = false
		for _, line := range lines {
			hidden, pick := 0, -1
			for k, i := range line {
				if hide[i] {
					hidden++
					continue
				}
				if pick < 0 || better(values, line, k, pick) {
					pick = k
				}
			}
			if hidden == 1 && pick >= 0 {
				hide[line[pick]] = true
				changed = true
			}
		}
	}
	return hide
}

// better reports whether line[k] is a better complementary cell than
// line[pick]: a non-zero value, then the smaller value, then a part (the
// total is listed last by convention).
func better(values []int, line []int, k, pick int) bool {
	a, b := values[line[k]], values[line[pick]]
	if (a == 0) != (b == 0) {
		return a != 0
	}
	return a < b
}

// TableSuppression says which cells of a table with totals to hide.
type TableSuppression struct {
	Cells     [][]bool
	RowTotals []bool
	ColTotals []bool
	Total     bool
}

// SuppressTable applies Suppress to a table of counts whose row totals,
// column totals and grand total are published (or can be known) alongside
// it; the totals are the sums of the cells. A one-column table is a list of
// counts with its total.
func SuppressTable(cells [][]int) TableSuppression {
	rows := len(cells)
	cols := 0
	for _, r := range cells {
		cols = max(cols, len(r))
	}
	// values: cells row by row, then row totals, then column totals, then the total.
	values := make([]int, rows*cols+rows+cols+1)
	cell := func(r, c int) int { return r*cols + c }
	rowT := func(r int) int { return rows*cols + r }
	colT := func(c int) int { return rows*cols + rows + c }
	grand := len(values) - 1
	for r, row := range cells {
		for c, v := range row {
			values[cell(r, c)] = v
			values[rowT(r)] += v
			values[colT(c)] += v
			values[grand] += v
		}
	}
	var lines [][]int
	for r := 0; r < rows; r++ {
		l := make([]int, 0, cols+1)
		for c := 0; c < cols; c++ {
			l = append(l, cell(r, c))
		}
		lines = append(lines, append(l, rowT(r)))
	}
	for c := 0; c < cols; c++ {
		l := make([]int, 0, rows+1)
		for r := 0; r < rows; r++ {
			l = append(l, cell(r, c))
		}
		lines = append(lines, append(l, colT(c)))
	}
	l := make([]int, 0, rows+1)
	for r := 0; r < rows; r++ {
		l = append(l, rowT(r))
	}
	lines = append(lines, append(l, grand))
	l = make([]int, 0, cols+1)
	for c := 0; c < cols; c++ {
		l = append(l, colT(c))
	}
	lines = append(lines, append(l, grand))
	hide := Suppress(values, lines)
	out := TableSuppression{Cells: make([][]bool, rows), RowTotals: make([]bool, rows), ColTotals: make([]bool, cols), Total: hide[grand]}
	for r := 0; r < rows; r++ {
		out.Cells[r] = make([]bool, cols)
		for c := 0; c < cols; c++ {
			out.Cells[r][c] = hide[cell(r, c)]
		}
		out.RowTotals[r] = hide[rowT(r)]
	}
	for c := 0; c < cols; c++ {
		out.ColTotals[c] = hide[colT(c)]
	}
	return out
}

// ShowCount is the text a governor reads for a count: the number, or
// FewerThan for a small count, or Withheld for a complementary cell.
func ShowCount(n int, hidden bool) string {
	switch {
	case IsSmall(n):
		return FewerThan
	case hidden:
		return Withheld
	}
	return fmt.Sprint(n)
}
