package ehc

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	domain "opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// Changing a Section B need or a Section E outcome, and removing one after
// a confirmation page. The plan is issued: each change is kept on the plan
// as an amendment (who, when, old and new).

type sectionPage struct {
	kit.Page
	P       domain.Plan
	Version int64
	Kind    string // "need" or "outcome"
	ItemID  int64
	Areas   sen.Options
	N       domain.Need
	O       domain.Outcome
	Saved   string // the entry as saved now, on a conflict
}

// sectionItem reads {item}: "need-12" or "outcome-3".
func sectionItem(r *http.Request) (string, int64, error) {
	kind, n, ok := strings.Cut(r.PathValue("item"), "-")
	id, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || id <= 0 || (kind != "need" && kind != "outcome") {
		return "", 0, sen.ErrNotFound
	}
	return kind, id, nil
}

// fill fills the page with the entry as it is in p; false if p has none.
func (pg *sectionPage) fill(p domain.Plan) bool {
	if pg.Kind == "need" {
		for _, n := range p.Needs {
			if n.ID == pg.ItemID {
				pg.N = n
				return true
			}
		}
		return false
	}
	for _, o := range p.Outcomes {
		if o.ID == pg.ItemID {
			pg.O = o
			return true
		}
	}
	return false
}

func (pg *sectionPage) describe() string {
	if pg.Kind == "need" {
		return pg.N.Describe()
	}
	return pg.O.Describe()
}

func (s *module) sectionPageFor(r *http.Request, c *kit.Ctx) (*sectionPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	kind, item, err := sectionItem(r)
	if err != nil {
		return nil, err
	}
	p, err := s.st.Plan(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, sen.ErrNotFound
	}
	what := "Section B need"
	if kind == "outcome" {
		what = "Section E outcome"
	}
	pg := &sectionPage{Page: kit.Page{Title: "Change a " + what + ": " + p.PupilName}, P: p, Version: p.Version, Kind: kind, ItemID: item, Areas: domain.NeedAreas}
	if !pg.fill(p) {
		return nil, sen.ErrNotFound
	}
	return pg, nil
}

func (s *module) sectionEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.sectionPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_section_edit", pg)
}

func (s *module) sectionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.sectionPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	form := s.views.Form("ehc_section_edit", pg, "needArea", "needText", "outcomeText", "outcomeBy")
	form.OnConflict = func(*sen.ConflictError) error {
		p, err := s.st.Plan(r.Context(), c.Actor, pg.P.ID)
		if err != nil {
			return err
		}
		now := &sectionPage{Kind: pg.Kind, ItemID: pg.ItemID}
		if now.fill(p) {
			pg.Saved = now.describe()
		}
		pg.P, pg.Version = p, p.Version
		return nil
	}
	if pg.Kind == "need" {
		pg.N = domain.Need{ID: pg.ItemID, Area: r.PostFormValue("needArea"), Text: r.PostFormValue("needText")}
		err = s.st.UpdatePlanNeed(r.Context(), c.Actor, pg.P.ID, pg.Version, pg.N)
	} else {
		pg.O = domain.Outcome{ID: pg.ItemID, Text: r.PostFormValue("outcomeText"), ByWhen: r.PostFormValue("outcomeBy")}
		err = s.st.UpdatePlanOutcome(r.Context(), c.Actor, pg.P.ID, pg.Version, pg.O)
	}
	if err != nil {
		return form.Fail(err)
	}
	return s.planDone(w, r, pg.P.ID, "ehc-section-saved", map[string]string{"need": "section-b", "outcome": "section-e"}[pg.Kind])
}

func (s *module) sectionRemoveConfirm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.sectionPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Title = fmt.Sprintf("Remove from Section %s: %s", map[string]string{"need": "B", "outcome": "E"}[pg.Kind], pg.P.PupilName)
	return s.render(w, r, http.StatusOK, "ehc_section_remove", pg)
}

func (s *module) sectionRemove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.sectionPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Title = fmt.Sprintf("Remove from Section %s: %s", map[string]string{"need": "B", "outcome": "E"}[pg.Kind], pg.P.PupilName)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.st.RemovePlanSectionItem(r.Context(), c.Actor, pg.P.ID, version, pg.Kind, pg.ItemID); err != nil {
		form := s.views.Form("ehc_section_remove", pg)
		form.ConflictField = "remove"
		form.OnConflict = func(*sen.ConflictError) error {
			p, err := s.st.Plan(r.Context(), c.Actor, pg.P.ID)
			if err != nil {
				return err
			}
			pg.P, pg.Version = p, p.Version
			return nil
		}
		return form.Fail(err)
	}
	return s.planDone(w, r, pg.P.ID, "ehc-section-saved", map[string]string{"need": "section-b", "outcome": "section-e"}[pg.Kind])
}
