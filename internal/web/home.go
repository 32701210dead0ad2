package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sort"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type homePage struct {
	kit.Page
	Role     sen.Role
	Figures  *figuresView
	Widgets  []kit.Widget
	MyPupils []sen.Pupil
	Can      map[string]bool
	Problems int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p := &homePage{Page: kit.Page{Title: "Home"}, Role: c.Actor.User.Role, Can: map[string]bool{
		"register": c.Can(authz.RegisterRead), "import": c.Can(authz.PupilImport), "write": c.Can(authz.PupilWrite),
		"aggregate": c.Can(authz.AggregateRead), "groups": c.Can(authz.GroupsManage), "pupils": c.Can(authz.PupilList),
		"today": c.Can(authz.SencoDashboard), "concerns": c.Can(authz.ConcernRaise),
	}}
	if c.Can(authz.AggregateRead) {
		f, err := s.st.Aggregates(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return err
		}
		v := newFiguresView(f, c.Actor.User.Role == sen.RoleGovernor)
		p.Figures = &v
	}
	if c.Actor.User.Role.Scoped() {
		list, _, err := s.st.ViewPupils(r.Context(), c.Actor, store.PupilFilter{Status: "SEN", Limit: 200}, store.ViewHome)
		if err != nil {
			return err
		}
		p.MyPupils = list
	}
	if c.Can(authz.RegisterWrite) {
		n, err := s.st.CensusProblems(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return err
		}
		p.Problems = n
	}
	for _, m := range s.modules {
		if m.Widgets == nil {
			continue
		}
		ws, err := m.Widgets(r, c)
		if err != nil {
			return err
		}
		p.Widgets = append(p.Widgets, ws...)
	}
	sort.SliceStable(p.Widgets, func(i, j int) bool { return p.Widgets[i].Order < p.Widgets[j].Order })
	return s.views.RenderCached(w, r, http.StatusOK, "home", homeKey(c, p), p)
}

// homeKey names everything the home page's body shows: a digest of the
// page's own data (figures, census problems, every module's panels, the
// person's pupils, what they may do) as JSON, which takes in any field a
// page or panel gains, and the school's name. Equal data means the same
// HTML, so the body is reused however the panels were computed, and never
// across different data. "" (always render) if the data cannot be encoded.
func homeKey(c *kit.Ctx, p *homePage) string {
	own := *p
	own.Page = kit.Page{}
	b, err := json.Marshal(struct {
		School string
		Data   homePage
	}{c.School.Name, own})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

type figuresPage struct {
	kit.Page
	F         figuresView
	Areas     sen.Options
	NeedTypes []sen.NeedType
}

// figures shows anonymous counts only: the governors' view, where small
// counts are suppressed (newFiguresView); SENCOs and leaders see them exact.
func (s *Server) figures(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	f, err := s.st.Aggregates(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	v := newFiguresView(f, c.Actor.User.Role == sen.RoleGovernor)
	return s.render(w, r, http.StatusOK, "figures", &figuresPage{Page: kit.Page{Title: "SEN figures"}, F: v, Areas: sen.Areas, NeedTypes: sen.NeedTypes})
}
