package web

import (
	"net/url"
	"slices"
	"sort"
	"strings"

	"opensend/internal/sen"
)

// registerSortCols are the register's sortable columns, in table order:
// the query value (?sort=), the header and how two rows compare.
var registerSortCols = []struct {
	Key, Label string
	less       func(a, b *sen.Pupil) int
}{
	{"name", "Pupil", func(a, b *sen.Pupil) int {
		if c := strings.Compare(strings.ToLower(a.Surname), strings.ToLower(b.Surname)); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Forename), strings.ToLower(b.Forename))
	}},
	{"year", "Year", func(a, b *sen.Pupil) int {
		return slices.Index(sen.YearGroups, a.YearGroup) - slices.Index(sen.YearGroups, b.YearGroup)
	}},
	{"class", "Class", func(a, b *sen.Pupil) int { return strings.Compare(a.ClassName, b.ClassName) }},
	{"status", "Provision", func(a, b *sen.Pupil) int {
		return strings.Compare(sen.StatusLabel(a.Status), sen.StatusLabel(b.Status))
	}},
	{"date", "Since", func(a, b *sen.Pupil) int { return a.StatusFrom.Compare(b.StatusFrom) }},
	{"need", "Needs", func(a, b *sen.Pupil) int { return compareNeed(primaryNeed(a), primaryNeed(b)) }},
}

// primaryNeed is the label of the pupil's census primary need, "" if none.
func primaryNeed(p *sen.Pupil) string {
	for _, n := range p.Needs {
		if n.Rank == 1 {
			if t, ok := sen.LookupNeed(n.Code); ok {
				return t.Label
			}
			return n.Code
		}
	}
	return ""
}

// compareNeed orders needs by label, pupils with none last.
func compareNeed(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

// sortHeader is one column header of a sortable table (GOV.UK's sortable
// table, as links so it works without JavaScript).
type sortHeader struct {
	Label string
	Href  string // the list sorted by this column (the other way if it is the current sort)
	Aria  string // aria-sort: ascending, descending or none
	Next  string // the order the link gives, for the visually hidden text
}

// registerSort reads ?sort= and ?dir= (anything else is the default order:
// year, surname, forename, as the store lists), sorts a copy of list (the
// listing may be shared) and makes the headers, whose links keep the other
// filters.
func registerSort(q url.Values, list []sen.Pupil) (string, string, []sen.Pupil, []sortHeader) {
	key, dir := q.Get("sort"), q.Get("dir")
	if dir != "desc" {
		dir = "asc"
	}
	col := -1
	for i, c := range registerSortCols {
		if c.Key == key {
			col = i
		}
	}
	if col < 0 {
		key, dir = "", ""
	} else {
		list = slices.Clone(list)
		less := registerSortCols[col].less
		sort.SliceStable(list, func(i, j int) bool {
			if dir == "desc" {
				return less(&list[j], &list[i]) < 0
			}
			return less(&list[i], &list[j]) < 0
		})
	}
	heads := make([]sortHeader, len(registerSortCols))
	for i, c := range registerSortCols {
		h := sortHeader{Label: c.Label, Aria: "none", Next: "ascending"}
		next := "asc"
		if i == col {
			h.Aria = map[string]string{"asc": "ascending", "desc": "descending"}[dir]
			if dir == "asc" {
				next, h.Next = "desc", "descending"
			}
		}
		v := url.Values{}
		for k, vs := range q {
			if k != "sort" && k != "dir" {
				v[k] = vs
			}
		}
		v.Set("sort", c.Key)
		v.Set("dir", next)
		h.Href = "/register?" + v.Encode()
		heads[i] = h
	}
	return key, dir, list, heads
}
