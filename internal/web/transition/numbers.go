package transition

import (
	"net/http"

	"opensend/internal/web/kit"
)

type numbersPage struct {
	kit.Page
	LAESTAB, URN string
}

func (s *module) numbersPage(r *http.Request, c *kit.Ctx) (*numbersPage, error) {
	sc, err := s.st.School(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return nil, err
	}
	return &numbersPage{Page: kit.Page{Title: "School numbers for common transfer files"}, LAESTAB: sc.LACode + sc.Estab, URN: sc.URN}, nil
}

func (s *module) numbersForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.numbersPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tr_numbers", pg)
}

func (s *module) numbersSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.numbersPage(r, c)
	if err != nil {
		return err
	}
	pg.LAESTAB, pg.URN = r.PostFormValue("laestab"), r.PostFormValue("urn")
	if err := s.st.SetSchoolNumbers(r.Context(), c.Actor, pg.LAESTAB, pg.URN); err != nil {
		return s.views.Form("tr_numbers", pg, "laestab", "urn").Fail(err)
	}
	s.k.SetFlash(w, "numbers-saved")
	http.Redirect(w, r, "/settings/ctf", http.StatusSeeOther)
	return nil
}
