package schoolsen

import (
	"net/http"
	"strconv"

	"opensend/internal/authz"
	domain "opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

type accessPage struct {
	kit.Page
	P        domain.AccessPlan
	Starts   kit.DateField
	Today    string
	CanWrite bool
}

func (s *module) accessPageFor(r *http.Request, c *kit.Ctx) (*accessPage, error) {
	p, err := s.st.AccessPlan(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &accessPage{Page: kit.Page{Title: "Accessibility plan"}, P: p, Starts: kit.DateFieldOf(p.Starts), CanWrite: c.Can(authz.SchoolSENWrite)}, nil
}

func (s *module) access(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.accessPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "access", pg)
}

func (s *module) accessPeriod(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.accessPageFor(r, c)
	if err != nil {
		return err
	}
	fe := sen.FieldErrors{}
	starts, df := readDate(r, fe, "starts", "Date the plan starts", true)
	pg.Starts = df
	form := s.views.Form("access", pg, "starts")
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SetAccessPlanStart(r.Context(), c.Actor, starts, int(kit.FormInt(r, "version"))); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-period-saved")
	http.Redirect(w, r, "/accessibility-plan", http.StatusSeeOther)
	return nil
}

type actionPage struct {
	kit.Page
	A        domain.Action
	Due      kit.DateField
	Strands  sen.Options
	Progress sen.Options
	IsNew    bool
}

func actionPageFor(a domain.Action) *actionPage {
	title := "Add an action to the accessibility plan"
	if a.ID != 0 {
		title = "Change an action of the accessibility plan"
	}
	return &actionPage{Page: kit.Page{Title: title}, A: a, Due: kit.DateFieldOf(a.Due), Strands: domain.Strands, Progress: domain.ProgressStates, IsNew: a.ID == 0}
}

func (s *module) actionForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	a := domain.Action{Progress: domain.ProgressNotStarted}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if a, err = s.st.AccessAction(r.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "action_form", actionPageFor(a))
}

func (s *module) actionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	a := domain.Action{Strand: r.PostFormValue("strand"), What: r.PostFormValue("what"), Owner: r.PostFormValue("owner"), Progress: r.PostFormValue("progress"),
		Notes: r.PostFormValue("notes"), Version: int(kit.FormInt(r, "version"))}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if _, err := s.st.AccessAction(r.Context(), c.Actor, id); err != nil {
			return err
		}
		a.ID = id
	}
	fe := sen.FieldErrors{}
	var df kit.DateField
	a.Due, df = readDate(r, fe, "due", "Date the action is due", true)
	pg := actionPageFor(a)
	pg.Due = df
	form := s.views.Form("action_form", pg, "strand", "what", "owner", "due", "progress", "notes")
	for f, m := range a.Validate() {
		fe.Add(f, m)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveAccessAction(r.Context(), c.Actor, &a); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-action-saved")
	http.Redirect(w, r, "/accessibility-plan", http.StatusSeeOther)
	return nil
}

type adjustmentsPage struct {
	kit.Page
	Pupil    sen.Pupil
	List     []domain.Adjustment
	CanWrite bool
}

func (s *module) adjustments(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, list, err := s.st.Adjustments(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "adjustments", &adjustmentsPage{Page: kit.Page{Title: "Reasonable adjustments: " + p.FullName()}, Pupil: p, List: list, CanWrite: c.Can(authz.SchoolSENWrite)})
}

type adjustmentPage struct {
	kit.Page
	Pupil                  sen.Pupil
	J                      domain.Adjustment
	From, Reviewed, Review kit.DateField
	IsNew                  bool
}

func adjustmentPageFor(p sen.Pupil, j domain.Adjustment) *adjustmentPage {
	title := "Record a reasonable adjustment: " + p.FullName()
	if j.ID != 0 {
		title = "Change a reasonable adjustment: " + p.FullName()
	}
	return &adjustmentPage{Page: kit.Page{Title: title}, Pupil: p, J: j, From: kit.DateFieldOf(j.From), Reviewed: kit.DateFieldOf(j.Reviewed), Review: kit.DateFieldOf(j.NextReview), IsNew: j.ID == 0}
}

// adjustmentTarget reads the pupil and, on /adjustments/{id}, the adjustment.
func (s *module) adjustmentTarget(r *http.Request, c *kit.Ctx) (sen.Pupil, domain.Adjustment, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return sen.Pupil{}, domain.Adjustment{}, err
	}
	if r.Pattern == "GET /adjustments/{id}" || r.Pattern == "POST /adjustments/{id}" {
		return s.st.Adjustment(r.Context(), c.Actor, id)
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "record a reasonable adjustment")
	return p, domain.Adjustment{PupilID: id}, err
}

func (s *module) adjustmentForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p, j, err := s.adjustmentTarget(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "adjustment_form", adjustmentPageFor(p, j))
}

func (s *module) adjustmentSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, old, err := s.adjustmentTarget(r, c)
	if err != nil {
		return err
	}
	j := domain.Adjustment{ID: old.ID, PupilID: p.ID, Disability: r.PostFormValue("disability"), What: r.PostFormValue("what"), Version: int(kit.FormInt(r, "version"))}
	fe := sen.FieldErrors{}
	var from, rev, next kit.DateField
	j.From, from = readDate(r, fe, "from", "Date it started", true)
	j.Reviewed, rev = readDate(r, fe, "reviewed", "Date last reviewed", false)
	j.NextReview, next = readDate(r, fe, "nextReview", "Next review", false)
	pg := adjustmentPageFor(p, j)
	pg.From, pg.Reviewed, pg.Review = from, rev, next
	form := s.views.Form("adjustment_form", pg, "disability", "what", "from", "reviewed", "nextReview")
	for f, m := range j.Validate(s.st.Today()) {
		fe.Add(f, m)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveAdjustment(r.Context(), c.Actor, &j); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-adjust-saved")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(p.ID, 10)+"/adjustments", http.StatusSeeOther)
	return nil
}
