package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var (
	numCellRe = regexp.MustCompile(`govuk-table__cell--numeric">([^<]*)</td>`)
	statRe    = regexp.MustCompile(`<span class="app-stat">([^<]*)</span>`)
	tagRe     = regexp.MustCompile(`app-nowrap">([^<]*)</strong>`)
	statusRe  = regexp.MustCompile(`<th scope="row" class="govuk-table__header">(?:EHC plan \(E\)|SEN support \(K\)|No SEN \(N\)|On roll)</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>`)
)

// shownCounts are the counts and percentages a page shows in its figures.
func shownCounts(body string) []string {
	var out []string
	for _, re := range []*regexp.Regexp{numCellRe, statRe, tagRe} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			out = append(out, strings.TrimSpace(m[1]))
		}
	}
	return out
}

// TestGovernorFiguresSuppressSmallCounts: a governor never reads a count
// from 1 to 4, on the figures page or the home page, nor one that a total
// gives away; the SENCO reads the same figures exactly.
func TestGovernorFiguresSuppressSmallCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		// Two pupils with SEN support in Year 5: small counts everywhere they appear.
		p1 := a.addPupil("Small", "Countone", "5", "5A")
		p2 := a.addPupil("Small", "Counttwo", "5", "5A")
		a.setSEN(&p1, "K", "SPLD")
		a.setSEN(&p2, "K", "SPLD")
		g := a.login(sen.RoleGovernor)
		for _, u := range []string{"/figures", "/"} {
			r := g.get(u)
			if r.StatusCode != 200 {
				t.Fatalf("governor %s: %d", u, r.StatusCode)
			}
			shown := shownCounts(r.text())
			if len(shown) == 0 {
				t.Fatalf("governor %s: no figures found", u)
			}
			for _, s := range shown {
				if n, err := strconv.Atoi(s); err == nil && sen.IsSmall(n) {
					t.Errorf("governor %s shows the count %d", u, n)
				}
			}
			if u == "/" && !strings.Contains(r.text(), "fewer than 5") {
				t.Errorf("governor home: no suppressed count")
			}
		}
		r := g.get("/figures")
		if !strings.Contains(r.text(), "fewer than 5") || !strings.Contains(r.text(), "withheld") {
			t.Fatalf("figures page shows no suppression: %v", shownCounts(r.text()))
		}
		// The provision table: E + K + N = on roll, so never exactly one hidden;
		// and a hidden count's share of the roll is hidden too.
		rows := statusRe.FindAllStringSubmatch(r.text(), -1)
		if len(rows) != 4 {
			t.Fatalf("provision rows: %v", rows)
		}
		hidden := 0
		for i, m := range rows {
			if _, err := strconv.Atoi(m[1]); err != nil {
				hidden++
				if i < 3 && m[2] != "withheld" { // the roll is 100% of itself
					t.Errorf("share of a hidden count shown: %q", m[2])
				}
			}
		}
		if hidden == 1 {
			t.Errorf("one hidden count in the provision table: it can be worked out from the total: %v", rows)
		}
		// The SENCO keeps exact numbers.
		s := a.login(sen.RoleSENCO)
		r = s.get("/figures")
		if strings.Contains(r.text(), "fewer than 5") || strings.Contains(r.text(), "withheld") {
			t.Errorf("SENCO figures suppressed")
		}
	})
}
