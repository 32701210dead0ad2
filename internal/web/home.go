package web

import (
	"net/http"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Widget is a dashboard panel contributed by a capability.
type Widget struct {
	Title string
	Items []WidgetItem
}

// WidgetItem is one line of a dashboard panel.
type WidgetItem struct {
	Label, Href string
	Count       int
	Unit        string // shown after the count, e.g. "minutes short"
	Warn        bool
}

// dashboardWidgets lets capabilities add panels to the home page.
var dashboardWidgets []func(s *Server, r *http.Request, c *reqCtx) (*Widget, error)

type homePage struct {
	Page
	Role     sen.Role
	Figures  *store.Figures
	Widgets  []Widget
	MyPupils []sen.Pupil
	Can      map[string]bool
	Problems int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	p := &homePage{Page: Page{Title: "Home"}, Role: c.Actor.User.Role, Can: map[string]bool{
		"register": c.can(authz.RegisterRead), "import": c.can(authz.PupilImport), "write": c.can(authz.PupilWrite),
		"aggregate": c.can(authz.AggregateRead), "groups": c.can(authz.GroupsManage), "pupils": c.can(authz.PupilList),
	}}
	if c.can(authz.AggregateRead) {
		f, err := s.st.Aggregates(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return err
		}
		p.Figures = &f
	}
	if c.Actor.User.Role.Scoped() {
		list, _, err := s.st.ListPupils(r.Context(), c.Actor, store.PupilFilter{Status: "SEN", Limit: 200})
		if err != nil {
			return err
		}
		p.MyPupils = list
	}
	if c.can(authz.RegisterWrite) {
		n, err := s.st.CensusProblems(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return err
		}
		p.Problems = n
	}
	for _, wf := range dashboardWidgets {
		wd, err := wf(s, r, c)
		if err != nil {
			return err
		}
		if wd != nil {
			p.Widgets = append(p.Widgets, *wd)
		}
	}
	return s.render(w, r, http.StatusOK, "home", p)
}

type figuresPage struct {
	Page
	F          store.Figures
	Areas      sen.Options
	NeedTypes  []sen.NeedType
	YearGroups []string
}

// figures shows anonymous counts only: the governors' view.
func (s *Server) figures(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	f, err := s.st.Aggregates(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	var years []string
	for _, y := range sen.YearGroups {
		if f.ByYear[y] != nil {
			years = append(years, y)
		}
	}
	return s.render(w, r, http.StatusOK, "figures", &figuresPage{Page: Page{Title: "SEN figures"}, F: f, Areas: sen.Areas, NeedTypes: sen.NeedTypes, YearGroups: years})
}
