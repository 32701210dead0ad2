package web

import (
	"net/http"
	"strconv"

	"opensend/internal/sen"
	"opensend/internal/store"
)

type groupsPage struct {
	Page
	Groups []store.Group
	Staff  []sen.User
}

func (s *Server) groups(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	gs, err := s.st.Groups(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	users, err := s.st.Users(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	var teaching []sen.User
	for _, u := range users {
		if u.Role.Scoped() && u.Active {
			teaching = append(teaching, u)
		}
	}
	return s.render(w, r, http.StatusOK, "groups", &groupsPage{Page: Page{Title: "Classes and groups", Wide: true}, Groups: gs, Staff: teaching})
}

func (s *Server) groupStaff(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	uid, err := strconv.ParseInt(r.PostFormValue("user"), 10, 64)
	if err != nil {
		return sen.ErrNotFound
	}
	if err := s.st.SetGroupStaff(r.Context(), c.Actor, id, uid, r.PostFormValue("op") != "remove"); err != nil {
		return err
	}
	s.setFlash(w, "group-saved")
	http.Redirect(w, r, "/groups#group-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
