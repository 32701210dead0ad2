package web

import (
	"fmt"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// figuresView is the text of every count on the figures page and the home
// page's figures: exact for SENCOs and leaders, suppressed for governors
// (sen.Suppress: a count from 1 to 4 reads "fewer than 5", and a
// complementary count is withheld where a total would give it away).
type figuresView struct {
	OnRoll   string
	Status   map[string]string // E, K, N
	Share    map[string]string // share of roll per status
	SEN      string            // share of roll with SEN (K or E)
	Area     map[string]string
	Need     map[string]string
	Year     map[string]map[string]string
	Years    []string
	Withheld bool // some count is hidden: the page says why
}

var figureStatuses = []string{sen.StatusEHCP, sen.StatusSupport, sen.StatusNone}

func pctOf(n, d int) string {
	if d == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(d))
}

// newFiguresView builds the text of f; suppress hides small counts.
func newFiguresView(f store.Figures, suppress bool) figuresView {
	v := figuresView{Status: map[string]string{}, Share: map[string]string{}, Area: map[string]string{}, Need: map[string]string{}, Year: map[string]map[string]string{}}
	known := map[string]bool{}
	for _, y := range sen.YearGroups {
		if f.ByYear[y] != nil {
			v.Years = append(v.Years, y)
			known[y] = true
		}
	}
	// Years outside the list still count towards the totals.
	for y := range f.ByYear {
		if !known[y] {
			v.Years = append(v.Years, y)
		}
	}
	// Year group × status, with the status totals and the roll.
	cells := make([][]int, len(v.Years))
	for r, y := range v.Years {
		for _, st := range figureStatuses {
			cells[r] = append(cells[r], f.ByYear[y][st])
		}
	}
	t := sen.SuppressTable(cells)
	if len(v.Years) == 0 {
		t.ColTotals = make([]bool, len(figureStatuses))
	}
	show := func(n int, hidden bool) string {
		if !suppress {
			return fmt.Sprint(n)
		}
		if hidden || sen.IsSmall(n) {
			v.Withheld = true
		}
		return sen.ShowCount(n, hidden)
	}
	for r, y := range v.Years {
		v.Year[y] = map[string]string{}
		for c, st := range figureStatuses {
			v.Year[y][st] = show(f.ByYear[y][st], t.Cells[r][c])
		}
	}
	hidden := map[string]bool{}
	for c, st := range figureStatuses {
		n := f.ByStatus[st]
		hidden[st] = suppress && (t.ColTotals[c] || sen.IsSmall(n))
		v.Status[st] = show(n, t.ColTotals[c])
		v.Share[st] = pctOf(n, f.OnRoll)
		if hidden[st] || (suppress && t.Total) {
			v.Share[st] = sen.Withheld
		}
	}
	v.OnRoll = show(f.OnRoll, t.Total)
	// With SEN = E + K: shown when it can be worked out from what is shown
	// anyway (both parts, or the roll less N) and is not itself small.
	withSEN := f.ByStatus[sen.StatusEHCP] + f.ByStatus[sen.StatusSupport]
	v.SEN = pctOf(withSEN, f.OnRoll)
	if suppress {
		derivable := (!hidden[sen.StatusEHCP] && !hidden[sen.StatusSupport]) || (!hidden[sen.StatusNone] && !t.Total)
		if sen.IsSmall(withSEN) || !derivable {
			v.SEN = sen.Withheld
			v.Withheld = true
		}
	}
	// Primary need within its broad area, the areas within the pupils with a
	// recorded need.
	var values []int
	var lines [][]int
	areaIdx := map[string]int{}
	for _, a := range sen.Areas {
		areaIdx[a.Code] = len(values)
		values = append(values, f.ByArea[a.Code])
	}
	needIdx := map[string]int{}
	byArea := map[string][]int{}
	for _, n := range sen.NeedTypes {
		needIdx[n.Code] = len(values)
		byArea[n.Area] = append(byArea[n.Area], len(values))
		values = append(values, f.ByNeed[n.Code])
	}
	total := 0
	for _, a := range sen.Areas {
		total += f.ByArea[a.Code]
		lines = append(lines, append(append([]int{}, byArea[a.Code]...), areaIdx[a.Code]))
	}
	all := make([]int, 0, len(sen.Areas)+1)
	for _, a := range sen.Areas {
		all = append(all, areaIdx[a.Code])
	}
	lines = append(lines, append(all, len(values)))
	values = append(values, total)
	h := sen.Suppress(values, lines)
	for _, a := range sen.Areas {
		v.Area[a.Code] = show(f.ByArea[a.Code], h[areaIdx[a.Code]])
	}
	for _, n := range sen.NeedTypes {
		v.Need[n.Code] = show(f.ByNeed[n.Code], h[needIdx[n.Code]])
	}
	return v
}
