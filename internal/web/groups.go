package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/sen"
	"opensend/internal/store"
)

type groupsPage struct {
	kit.Page
	Groups []store.Group
	Staff  []sen.User
}

func (s *Server) groups(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p, err := s.groupsData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "groups", p)
}

// groupOrder sorts classes by year group as a school lists them (Nursery,
// Reception, Year 1 … Year 13), then by name.
func groupOrder(name string) (int, string) {
	best := -1
	for i, y := range sen.YearGroups {
		if strings.HasPrefix(name, y) && (best < 0 || len(y) > len(sen.YearGroups[best])) {
			rest := name[len(y):]
			if rest == "" || rest[0] < '0' || rest[0] > '9' {
				best = i
			}
		}
	}
	if best < 0 {
		best = len(sen.YearGroups)
	}
	return best, name
}

func (s *Server) groupsData(r *http.Request, c *kit.Ctx) (*groupsPage, error) {
	gs, err := s.st.Groups(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(gs, func(i, j int) bool {
		yi, ni := groupOrder(gs[i].Name)
		yj, nj := groupOrder(gs[j].Name)
		if yi != yj {
			return yi < yj
		}
		return ni < nj
	})
	users, err := s.st.Users(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return nil, err
	}
	var teaching []sen.User
	for _, u := range users {
		if u.Role.Scoped() && u.Active {
			teaching = append(teaching, u)
		}
	}
	return &groupsPage{Page: kit.Page{Title: "Classes and groups"}, Groups: gs, Staff: teaching}, nil
}

func (s *Server) groupStaff(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	uid, err := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	if err != nil {
		p, err := s.groupsData(r, c)
		if err != nil {
			return err
		}
		field := "user-" + strconv.FormatInt(id, 10)
		return s.views.Form("groups", p, field).Check(sen.FieldErrors{field: "Select a teacher or teaching assistant to add"})
	}
	if err := s.st.SetGroupStaff(r.Context(), c.Actor, id, uid, r.PostFormValue("op") != "remove"); err != nil {
		return err
	}
	s.k.SetFlash(w, "group-saved")
	http.Redirect(w, r, "/groups#group-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
