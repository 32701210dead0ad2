package plans

import (
	"net/http"
	"strconv"

	domain "opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The school's strategies bank (SENCO and deputy): add, edit and retire
// strategies; and plan templates: save a plan as one, start a plan from one.

type spBankPage struct {
	kit.Page
	Bank    []domain.BankStrategy
	Offered int
	Areas   sen.Options
	Needs   []sen.NeedType
	B       domain.BankStrategy
	IsNew   bool
	Saved   *domain.BankStrategy
}

func (s *module) spBank(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.SchoolStrategyBank(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &spBankPage{Page: kit.Page{Title: "Strategies bank"}, Bank: list}
	for _, b := range list {
		if !b.Retired {
			pg.Offered++
		}
	}
	return s.render(w, r, http.StatusOK, "strategy_bank", pg)
}

func (s *module) spBankEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg := &spBankPage{Page: kit.Page{Title: "Add a strategy to the bank"}, Areas: sen.BroadAreas, Needs: sen.NeedTypes, IsNew: true}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if pg.B, err = s.st.BankStrategy(r.Context(), c.Actor, id); err != nil {
			return err
		}
		pg.Title, pg.IsNew = "Change a strategy", false
	}
	return s.render(w, r, http.StatusOK, "strategy_edit", pg)
}

func (s *module) spBankSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg := &spBankPage{Page: kit.Page{Title: "Add a strategy to the bank"}, Areas: sen.BroadAreas, Needs: sen.NeedTypes, IsNew: true}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		cur, err := s.st.BankStrategy(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		pg.B, pg.Title, pg.IsNew = cur, "Change a strategy", false
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	b := domain.BankStrategy{ID: pg.B.ID, Shared: pg.B.Shared, Version: version, Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Area: r.PostFormValue("area"), Need: r.PostFormValue("need")}
	saved := pg.B
	pg.B = b
	form := s.views.Form("strategy_edit", pg, "title", "description", "area", "need")
	form.OnConflict = func(*sen.ConflictError) error {
		pg.Saved = &saved
		pg.B.Version = saved.Version
		return nil
	}
	if err := s.st.SaveBankStrategy(r.Context(), c.Actor, &b); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "bank-saved")
	http.Redirect(w, r, "/strategies#strategy-"+strconv.FormatInt(b.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *module) spBankRetire(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	restore := r.PostFormValue("restore") == "yes"
	if err := s.st.RetireBankStrategy(r.Context(), c.Actor, id, restore); err != nil {
		return err
	}
	flash := "bank-retired"
	if restore {
		flash = "bank-restored"
	}
	s.k.SetFlash(w, flash)
	http.Redirect(w, r, "/strategies#strategy-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *module) spTemplateForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "save as template")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_template", &spItemPage{Page: kit.Page{Title: "Save the plan as a template: " + v.Pupil.FullName()}, V: v})
}

func (s *module) spTemplateSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "save as template")
	if err != nil {
		return err
	}
	pg := &spItemPage{Page: kit.Page{Title: "Save the plan as a template: " + v.Pupil.FullName()}, V: v, FreeText: r.PostFormValue("templateName")}
	if _, err := s.st.SaveCycleTemplate(r.Context(), c.Actor, id, pg.FreeText); err != nil {
		return s.views.Form("plan_template", pg, "templateName").Fail(err)
	}
	s.k.SetFlash(w, "template-saved")
	http.Redirect(w, r, cycleURL(id), http.StatusSeeOther)
	return nil
}

// spTemplateApply adds a school template to an open plan.
func (s *module) spTemplateApply(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.spSimpleAction(w, r, c, func(id, version int64) error {
		tid, _ := strconv.ParseInt(r.PostFormValue("template"), 10, 64)
		return s.st.ApplyTemplate(r.Context(), c.Actor, id, version, tid)
	}, "template-applied")
}
