package web

import (
	"errors"
	"net/http"
	"strconv"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// The school's term dates: its holidays, so that Section F provision is
// expected on school days only.

func init() {
	featureRoutes = append(featureRoutes, func(s *Server) []route {
		return []route{
			{"GET /term-dates", authz.TermDates, s.termDates},
			{"POST /term-dates", authz.TermDates, s.termDatesAdd},
			{"POST /term-dates/{id}/remove", authz.TermDates, s.termDatesRemove},
		}
	})
	extraNav = append(extraNav, struct {
		href, label string
		action      authz.Action
	}{"/term-dates", "Term dates", authz.TermDates})
	RegisterFlash("holiday-added", "Holiday added")
	RegisterFlash("holiday-removed", "Holiday removed")
}

type termDatesPage struct {
	Page
	Holidays     []store.Holiday
	Label        string
	Starts, Ends DateField
}

var termDatesOrder = []string{"label", "starts", "ends"}

func (s *Server) termDatesPage(r *http.Request, c *reqCtx) (*termDatesPage, error) {
	hs, err := s.st.Holidays(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &termDatesPage{Page: Page{Title: "Term dates"}, Holidays: hs}, nil
}

func (s *Server) termDates(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.termDatesPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "term_dates", pg)
}

func (s *Server) termDatesAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.termDatesPage(r, c)
	if err != nil {
		return err
	}
	pg.Label, pg.Starts, pg.Ends = r.PostFormValue("label"), readDate(r, "starts"), readDate(r, "ends")
	h := store.Holiday{Label: pg.Label}
	fe := sen.FieldErrors{}
	var msg string
	if h.Starts, msg = pg.Starts.Parse("First day", false); msg != "" {
		fe.Add("starts", msg)
	}
	if h.Ends, msg = pg.Ends.Parse("Last day", false); msg != "" {
		fe.Add("ends", msg)
	}
	if len(fe) == 0 {
		err = s.st.AddHoliday(r.Context(), c.Actor, &h)
		if errors.As(err, &fe) {
			err = nil
		} else if err != nil {
			return err
		}
	}
	if len(fe) > 0 {
		if fe["label"] == "" && h.Label == "" {
			fe.Add("label", "Enter a name for the holiday, for example \"October half-term\"")
		}
		pg.setErrors(fe, termDatesOrder...)
		return s.render(w, r, http.StatusUnprocessableEntity, "term_dates", pg)
	}
	s.setFlash(w, "holiday-added")
	http.Redirect(w, r, "/term-dates", http.StatusSeeOther)
	return nil
}

func (s *Server) termDatesRemove(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sen.ErrNotFound
	}
	if err := s.st.RemoveHoliday(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.setFlash(w, "holiday-removed")
	http.Redirect(w, r, "/term-dates", http.StatusSeeOther)
	return nil
}
