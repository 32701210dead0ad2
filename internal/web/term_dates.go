package web

import (
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/sen"
)

// The school's term dates: its holidays, so that Section F provision is
// expected on school days only.

type termDatesPage struct {
	kit.Page
	Holidays     []sen.Holiday
	Label        string
	Starts, Ends kit.DateField
}

var termDatesOrder = []string{"label", "starts", "ends"}

func (s *Server) termDatesPage(r *http.Request, c *kit.Ctx) (*termDatesPage, error) {
	hs, err := s.st.Holidays(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &termDatesPage{Page: kit.Page{Title: "Term dates"}, Holidays: hs}, nil
}

func (s *Server) termDates(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.termDatesPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "term_dates", pg)
}

func (s *Server) termDatesAdd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.termDatesPage(r, c)
	if err != nil {
		return err
	}
	pg.Label, pg.Starts, pg.Ends = r.PostFormValue("label"), kit.ReadDate(r, "starts"), kit.ReadDate(r, "ends")
	h := sen.Holiday{Label: pg.Label}
	fe := sen.FieldErrors{}
	var msg string
	if h.Starts, msg = pg.Starts.Parse("First day", false); msg != "" {
		fe.Add("starts", msg)
	}
	if h.Ends, msg = pg.Ends.Parse("Last day", false); msg != "" {
		fe.Add("ends", msg)
	}
	if strings.TrimSpace(h.Label) == "" && len(fe) > 0 {
		// Say everything that is missing at once, not the name only after
		// the dates are right.
		fe.Add("label", "Enter a name for the holiday, for example \"October half-term\"")
	}
	form := s.views.Form("term_dates", pg, termDatesOrder...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddHoliday(r.Context(), c.Actor, &h); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "holiday-added")
	http.Redirect(w, r, "/term-dates", http.StatusSeeOther)
	return nil
}

func (s *Server) termDatesRemove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sen.ErrNotFound
	}
	if err := s.st.RemoveHoliday(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "holiday-removed")
	http.Redirect(w, r, "/term-dates", http.StatusSeeOther)
	return nil
}
