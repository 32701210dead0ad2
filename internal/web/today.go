package web

import (
	"net/http"
	"slices"

	"opensend/internal/deadline"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// todayWithin is how far ahead the today page shows statutory dates (any
// overdue date is always shown); the statutory calendar shows them all.
const todayWithin = 28

// owners are whose move a task can be, for the today page's filter
// (deadline's owners; concerns and support-plan reviews are the school's).
var owners = sen.Options{
	{Code: deadline.OwnerSchool, Label: "The school"},
	{Code: deadline.OwnerLA, Label: "The local authority"},
	{Code: deadline.OwnerParent, Label: "The parent or young person"},
	{Code: deadline.OwnerBody, Label: "Another body asked for advice"},
}

type todayPage struct {
	kit.Page
	T          store.Today
	F          store.TodayFilter
	Waits      map[int64]int
	YearGroups []string
	Classes    []string
	Owners     sen.Options
	Within     int
	Filtered   bool
	Tasks      int
}

// todayFilter reads the filter from the query string; a value that is not
// one of the choices is ignored.
func todayFilter(r *http.Request, classes []string) store.TodayFilter {
	q := r.URL.Query()
	f := store.TodayFilter{YearGroup: q.Get("year"), ClassName: q.Get("class"), Owner: q.Get("owner"), Within: todayWithin}
	if !sen.ValidYearGroup(f.YearGroup) {
		f.YearGroup = ""
	}
	if !slices.Contains(classes, f.ClassName) {
		f.ClassName = ""
	}
	if owners.Label(f.Owner) == f.Owner {
		f.Owner = ""
	}
	return f
}

// today brings together what the SENCO has to act on: concerns to decide,
// support-plan reviews and monitoring reviews due, and the statutory dates
// of the EHC calendar in the next four weeks.
func (s *Server) today(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	classes, err := s.st.Classes(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	f := todayFilter(r, classes)
	t, err := s.st.TodayTasks(r.Context(), c.Actor, f)
	if err != nil {
		return err
	}
	p := &todayPage{Page: kit.Page{Title: "Today"}, T: t, F: f, Waits: map[int64]int{}, YearGroups: sen.YearGroups, Classes: classes,
		Owners: owners, Within: todayWithin, Filtered: f.YearGroup != "" || f.ClassName != "" || f.Owner != "",
		Tasks: len(t.Concerns) + len(t.Reviews) + len(t.Monitoring) + len(t.Dates)}
	today := s.st.Today()
	for _, x := range t.Concerns {
		p.Waits[x.ID] = x.Waited(today)
	}
	return s.render(w, r, http.StatusOK, "today", p)
}
