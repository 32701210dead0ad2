package plans

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/pdf"
	domain "opensend/internal/plans"
	"opensend/internal/readability"
	"opensend/internal/sen"
	"opensend/internal/store"
)

func cycleURL(id int64) string { return "/plans/" + strconv.FormatInt(id, 10) }

// spPupilPlan sends the reader to the pupil's current cycle, or offers to
// start a plan.
func (s *module) spPupilPlan(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, ok, err := s.st.CurrentSupportPlan(r.Context(), c.Actor, id, "current plan")
	if err != nil {
		return err
	}
	if ok {
		http.Redirect(w, r, cycleURL(v.Cycle.ID), http.StatusSeeOther)
		return nil
	}
	today := s.st.Today()
	pg := &spNewPlanPage{Page: kit.Page{Title: "Support plan: " + v.Pupil.FullName()}, Pupil: v.Pupil,
		CanWrite: c.Can(authz.PlanWrite), Start: kit.DateFieldOf(today), Review: kit.DateFieldOf(today.AddDate(0, 0, 7*12))}
	if pg.CanWrite {
		if pg.Templates, err = s.st.PlanTemplates(r.Context(), c.Actor); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "plan_none", pg)
}

type spNewPlanPage struct {
	kit.Page
	Pupil     sen.Pupil
	CanWrite  bool
	Start     kit.DateField
	Review    kit.DateField
	Templates []domain.Template
	Template  string // the template chosen ("" for a blank plan)
}

func (s *module) spPlanCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "start plan")
	if err != nil {
		return err
	}
	pg := &spNewPlanPage{Page: kit.Page{Title: "Support plan: " + p.FullName()}, Pupil: p, CanWrite: true, Start: kit.ReadDate(r, "start"), Review: kit.ReadDate(r, "review"),
		Template: r.PostFormValue("template")}
	if pg.Templates, err = s.st.PlanTemplates(r.Context(), c.Actor); err != nil {
		return err
	}
	templateID, _ := strconv.ParseInt(pg.Template, 10, 64)
	if pg.Template != "" && templateID <= 0 {
		templateID = -1 // not a template: refused as such
	}
	fe := sen.FieldErrors{}
	start, msg := pg.Start.Parse("Plan start date", true)
	if msg != "" {
		fe.Add("start", msg)
	}
	review, msg := pg.Review.Parse("Review date", true)
	if msg != "" {
		fe.Add("review", msg)
	}
	form := s.views.Form("plan_none", pg, "template", "start", "review")
	form.ConflictField = "start" // e.g. a plan is already open
	if err := form.Check(fe); err != nil {
		return err
	}
	cid, err := s.st.CreateCycleFrom(r.Context(), c.Actor, id, start, review, store.StartBlank, templateID)
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "plan-created")
	http.Redirect(w, r, cycleURL(cid), http.StatusSeeOther)
	return nil
}

// spPlanPage is the plan page: the cycle and everything around it.
type spPlanPage struct {
	kit.Page
	V          store.SupportPlanView
	CanWrite   bool
	CanLog     bool
	ParentText readability.Report
	Log        spLogForm
	Ratings    []domain.Rating
	Templates  []domain.Template // the school's templates, offered on an open plan
}

type spLogForm struct {
	Outcome  string
	Date     kit.DateField
	Did      string
	Response string
}

// parentText joins the sections marked shareable with parents, for the
// readability indicator.
func parentText(c domain.Cycle) string {
	var b strings.Builder
	add := func(on bool, parts ...string) {
		if !on {
			return
		}
		for _, p := range parts {
			if strings.TrimSpace(p) != "" {
				b.WriteString(strings.TrimSpace(p))
				if !strings.HasSuffix(strings.TrimSpace(p), ".") {
					b.WriteString(".")
				}
				b.WriteString("\n")
			}
		}
	}
	add(c.Share.Needs, c.NeedsSummary)
	add(c.Share.Voice, c.PupilImportant, c.PupilHelps, c.PupilNotHelp, c.PupilStrengths)
	add(c.Share.Parents, c.ParentViews)
	if c.Share.Outcomes {
		for _, o := range c.Outcomes {
			add(true, o.Text, o.SuccessCriteria)
		}
	}
	if c.Share.Strategies {
		for _, st := range c.Strategies {
			add(true, st.Text)
		}
	}
	if c.Share.Support {
		for _, su := range c.Support {
			add(true, su.What)
		}
	}
	add(c.Share.Notes, c.StaffNotes)
	return b.String()
}

func (s *module) spPlanPage(r *http.Request, c *kit.Ctx, purpose string) (*spPlanPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, purpose)
	if err != nil {
		return nil, err
	}
	pg := &spPlanPage{Page: kit.Page{Title: fmt.Sprintf("Support plan %d: %s", v.Cycle.Number, v.Pupil.FullName())}, V: v,
		CanWrite: c.Can(authz.PlanWrite), CanLog: c.Can(authz.DoLogWrite) && v.Cycle.Status == domain.Active, Ratings: domain.Ratings,
		Log: spLogForm{Date: kit.DateFieldOf(s.st.Today())}}
	if pg.CanWrite {
		pg.ParentText = readability.Analyse(parentText(v.Cycle))
		if domain.Editable(v.Cycle.Status) {
			if pg.Templates, err = s.st.PlanTemplates(r.Context(), c.Actor); err != nil {
				return nil, err
			}
		}
	}
	return pg, nil
}

func (s *module) spPlanShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spPlanPage(r, c, "view plan")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_show", pg)
}

func (s *module) spLogAdd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spPlanPage(r, c, "log work")
	if err != nil {
		return err
	}
	f := spLogForm{Outcome: r.PostFormValue("logOutcome"), Date: kit.ReadDate(r, "logDate"), Did: r.PostFormValue("logDid"), Response: r.PostFormValue("logResponse")}
	oid, _ := strconv.ParseInt(f.Outcome, 10, 64)
	l := domain.LogEntry{CycleID: pg.V.Cycle.ID, OutcomeID: oid, Did: f.Did, Response: f.Response}
	fe := sen.FieldErrors{}
	var msg string
	if l.Date, msg = f.Date.Parse("Date", true); msg != "" {
		fe.Add("logDate", msg)
	}
	pg.Log = f
	form := s.views.Form("plan_show", pg, "logOutcome", "logDate", "logDid", "logResponse")
	form.ConflictField = "logOutcome"
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddDoLog(r.Context(), c.Actor, &l); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "log-added")
	http.Redirect(w, r, cycleURL(pg.V.Cycle.ID)+"#do-log", http.StatusSeeOther)
	return nil
}

// spPlanEditPage is the form for the plan's sections, dates and sharing.
type spPlanEditPage struct {
	kit.Page
	V        store.SupportPlanView
	C        domain.Cycle
	Start    kit.DateField
	Review   kit.DateField
	Saved    *domain.Cycle // the other person's saved version on a conflict
	Sections sen.Options
	Read     readability.Report
}

var spPlanEditOrder = []string{"conflict", "start", "review", "needsSummary", "pupilImportant", "pupilHelps", "pupilNotHelp", "pupilStrengths", "parentViews", "staffNotes"}

func (s *module) spPlanEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "edit plan")
	if err != nil {
		return err
	}
	if v.Cycle.Locked() {
		http.Redirect(w, r, cycleURL(id)+"/amend", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "plan_edit", &spPlanEditPage{Page: kit.Page{Title: "Edit support plan: " + v.Pupil.FullName()}, V: v, C: v.Cycle,
		Start: kit.DateFieldOf(v.Cycle.StartDate), Review: kit.DateFieldOf(v.Cycle.Review), Sections: domain.Sections, Read: readability.Analyse(parentText(v.Cycle))})
}

func (s *module) spPlanSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "save plan")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	cy := domain.Cycle{ID: id, Version: version, NeedsSummary: r.PostFormValue("needsSummary"), PupilImportant: r.PostFormValue("pupilImportant"),
		PupilHelps: r.PostFormValue("pupilHelps"), PupilNotHelp: r.PostFormValue("pupilNotHelp"), PupilStrengths: r.PostFormValue("pupilStrengths"),
		ParentViews: r.PostFormValue("parentViews"), StaffNotes: r.PostFormValue("staffNotes"), Outcomes: v.Cycle.Outcomes, Strategies: v.Cycle.Strategies, Support: v.Cycle.Support}
	for _, sec := range domain.Sections {
		cy.Share.Set(sec.Code, r.PostFormValue("share-"+sec.Code) == "yes")
	}
	pg := &spPlanEditPage{Page: kit.Page{Title: "Edit support plan: " + v.Pupil.FullName()}, V: v, C: cy, Start: kit.ReadDate(r, "start"), Review: kit.ReadDate(r, "review"), Sections: domain.Sections}
	fe := sen.FieldErrors{}
	var msg string
	if cy.StartDate, msg = pg.Start.Parse("Plan start date", true); msg != "" {
		fe.Add("start", msg)
	}
	if cy.Review, msg = pg.Review.Parse("Review date", true); msg != "" {
		fe.Add("review", msg)
	}
	pg.C = cy
	pg.Read = readability.Analyse(parentText(cy))
	form := s.views.Form("plan_edit", pg, spPlanEditOrder...)
	form.OnConflict = func(*sen.ConflictError) error {
		saved := v.Cycle
		pg.Saved = &saved
		pg.C.Version = saved.Version // saving again applies the user's text over the version they have now seen
		return nil
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.UpdateCycle(r.Context(), c.Actor, &cy); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "plan-saved")
	http.Redirect(w, r, cycleURL(id), http.StatusSeeOther)
	return nil
}

// spItemPage is the form to add an outcome or support, or choose strategies.
type spItemPage struct {
	kit.Page
	V        store.SupportPlanView
	Version  int64
	O        domain.Outcome
	Target   kit.DateField
	Su       domain.Support
	SuStart  kit.DateField
	Bank     []domain.BankStrategy
	Q        string
	Area     string
	Need     string
	Areas    sen.Options
	Needs    []sen.NeedType
	FreeText string
	Texts    []string       // free-text strategies, one a row
	Chosen   map[int64]bool // bank strategies ticked
	Query    string         // the bank's filter as a query string, kept across page loads
}

func (s *module) spItemPage(r *http.Request, c *kit.Ctx, title, purpose string) (*spItemPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, purpose)
	if err != nil {
		return nil, err
	}
	if !domain.Editable(v.Cycle.Status) {
		return nil, sen.ErrNotFound
	}
	return &spItemPage{Page: kit.Page{Title: title + ": " + v.Pupil.FullName()}, V: v, Version: v.Cycle.Version, Areas: sen.Areas, Needs: sen.NeedTypes}, nil
}

// spItemForm is an item form to show again on failure: field errors on the
// form, or on a conflict the plan as it is now with the form keeping what
// was typed.
func (s *module) spItemForm(r *http.Request, c *kit.Ctx, pg *spItemPage, page string, order ...string) *kit.Form {
	form := s.views.Form(page, pg, order...)
	form.OnConflict = func(*sen.ConflictError) error {
		v, err := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
		if err != nil {
			return err
		}
		pg.V, pg.Version = v, v.Cycle.Version
		return nil
	}
	return form
}

// spSimpleAction handles the plan page's small POSTs (remove, activate):
// a conflict or refusal is shown on the plan page.
func (s *module) spSimpleAction(w http.ResponseWriter, r *http.Request, c *kit.Ctx, do func(id, version int64) error, flash string) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := do(id, version); err != nil {
		// The plan is read (and its read audited) only to show it again.
		pg, perr := s.spPlanPage(r, c, "view plan")
		if perr != nil {
			return perr
		}
		form := s.views.Form("plan_show", pg)
		form.ConflictField = "plan-actions"
		return form.Fail(err)
	}
	s.k.SetFlash(w, flash)
	http.Redirect(w, r, cycleURL(id), http.StatusSeeOther)
	return nil
}

func (s *module) spActivate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.spSimpleAction(w, r, c, func(id, version int64) error {
		return s.st.ActivateCycle(r.Context(), c.Actor, id, version)
	}, "plan-active")
}

// spReviewPage is the review meeting form.
type spReviewPage struct {
	kit.Page
	V          store.SupportPlanView
	Version    int64
	R          domain.Review
	Meeting    kit.DateField
	NextReview kit.DateField
	Ratings    []domain.Rating
}

func (s *module) spReviewPageFor(r *http.Request, c *kit.Ctx) (*spReviewPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "review")
	if err != nil {
		return nil, err
	}
	if v.Cycle.Status != domain.Active {
		return nil, sen.ErrNotFound
	}
	return &spReviewPage{Page: kit.Page{Title: "Review meeting: " + v.Pupil.FullName()}, V: v, Version: v.Cycle.Version, Ratings: domain.Ratings,
		R: domain.Review{Ratings: map[int64]domain.Rating{}, Evidence: map[int64]string{}, CarryForward: map[int64]bool{}}}, nil
}

func (s *module) spReviewForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spReviewPageFor(r, c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	pg.Meeting = kit.DateFieldOf(today)
	pg.NextReview = kit.DateFieldOf(today.AddDate(0, 0, 7*12))
	return s.render(w, r, http.StatusOK, "plan_review", pg)
}

func (s *module) spReviewSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spReviewPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	rv := &pg.R
	rv.PupilAttended = r.PostFormValue("pupilAttended") == "yes"
	rv.Parents, rv.Staff, rv.Professionals = r.PostFormValue("parents"), r.PostFormValue("staff"), r.PostFormValue("professionals")
	rv.PupilComments, rv.ParentComments, rv.NextSteps = r.PostFormValue("pupilComments"), r.PostFormValue("parentComments"), r.PostFormValue("nextSteps")
	for _, o := range pg.V.Cycle.Outcomes {
		k := strconv.FormatInt(o.ID, 10)
		rv.Ratings[o.ID] = domain.Rating(r.PostFormValue("rating-" + k))
		rv.Evidence[o.ID] = r.PostFormValue("evidence-" + k)
		rv.CarryForward[o.ID] = r.PostFormValue("carry-"+k) == "yes"
	}
	pg.Meeting, pg.NextReview = kit.ReadDate(r, "meetingDate"), kit.ReadDate(r, "nextReview")
	fe := sen.FieldErrors{}
	var msg string
	if rv.MeetingDate, msg = pg.Meeting.Parse("Date of the review meeting", true); msg != "" {
		fe.Add("meetingDate", msg)
	}
	if rv.NextReview, msg = pg.NextReview.Parse("Next review date", true); msg != "" {
		fe.Add("nextReview", msg)
	}
	order := []string{"meetingDate", "parents"}
	for _, o := range pg.V.Cycle.Outcomes {
		order = append(order, "rating-"+strconv.FormatInt(o.ID, 10))
	}
	order = append(order, "nextSteps", "nextReview")
	form := s.views.Form("plan_review", pg, order...)
	form.OnConflict = func(*sen.ConflictError) error {
		// Show the plan as it is now, unless it is no longer open to review.
		v, err := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
		if err != nil {
			return err
		}
		if v.Cycle.Status != domain.Active {
			return sen.ErrNotFound
		}
		pg.V, pg.Version = v, v.Cycle.Version
		return nil
	}
	if len(fe) > 0 {
		for k, v := range rv.Validate(pg.V.Cycle, s.st.Today()) {
			fe.Add(k, v)
		}
		return form.Check(fe)
	}
	next, err := s.st.CompleteSupportReview(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, rv)
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "review-done")
	http.Redirect(w, r, cycleURL(next), http.StatusSeeOther)
	return nil
}

type spAmendPage struct {
	kit.Page
	V      store.SupportPlanView
	Fields sen.Options
	Field  string
	Value  string
	Reason string
}

func (s *module) spAmendPageFor(r *http.Request, c *kit.Ctx) (*spAmendPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "amend")
	if err != nil {
		return nil, err
	}
	if !v.Cycle.Locked() {
		return nil, sen.ErrNotFound
	}
	return &spAmendPage{Page: kit.Page{Title: "Correct a reviewed plan: " + v.Pupil.FullName()}, V: v, Fields: domain.AmendableFields}, nil
}

func (s *module) spAmendForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spAmendPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_amend", pg)
}

func (s *module) spAmendSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spAmendPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Field, pg.Value, pg.Reason = r.PostFormValue("field"), r.PostFormValue("value"), r.PostFormValue("reason")
	if err := s.st.AmendLockedCycle(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Field, pg.Value, pg.Reason); err != nil {
		return s.views.Form("plan_amend", pg, "field", "value", "reason").Fail(err)
	}
	s.k.SetFlash(w, "amended")
	http.Redirect(w, r, cycleURL(pg.V.Cycle.ID), http.StatusSeeOther)
	return nil
}

// Passports.

type spPassportPage struct {
	kit.Page
	Pupil    sen.Pupil
	P        domain.Passport
	Exists   bool
	CanWrite bool
	Saved    *domain.Passport
	Read     readability.Report
	Draft    bool
}

func (s *module) spPassport(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pp, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "passport", &spPassportPage{Page: kit.Page{Title: "Pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok,
		CanWrite: c.Can(authz.PlanWrite)})
}

func passportText(p domain.Passport) string {
	return strings.Join([]string{p.AboutMe, p.Strengths, p.Needs, p.Helps, p.NotHelps}, "\n")
}

func (s *module) spPassportEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pp, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg := &spPassportPage{Page: kit.Page{Title: "Edit pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok, CanWrite: true}
	if !ok || r.URL.Query().Get("from") == "plan" {
		// Generate from the current plan (the SENCO then edits it).
		v, found, err := s.st.CurrentSupportPlan(r.Context(), c.Actor, id, "passport from plan")
		if err != nil {
			return err
		}
		if found {
			gen := domain.FromCycle(v.Cycle)
			gen.Version = pp.Version
			pg.P, pg.Draft = gen, true
		}
	}
	pg.Read = readability.Analyse(passportText(pg.P))
	return s.render(w, r, http.StatusOK, "passport_edit", pg)
}

func (s *module) spPassportSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	cur, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	from, _ := strconv.ParseInt(r.PostFormValue("fromCycle"), 10, 64)
	pp := domain.Passport{PupilID: id, AboutMe: r.PostFormValue("aboutMe"), Strengths: r.PostFormValue("strengths"), Needs: r.PostFormValue("needs"),
		Helps: r.PostFormValue("helps"), NotHelps: r.PostFormValue("notHelps"), Version: version, FromCycle: from}
	if err := s.st.SavePassport(r.Context(), c.Actor, &pp); err != nil {
		pg := &spPassportPage{Page: kit.Page{Title: "Edit pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok, CanWrite: true, Read: readability.Analyse(passportText(pp))}
		form := s.views.Form("passport_edit", pg, "aboutMe", "strengths", "needs", "helps", "notHelps")
		form.OnConflict = func(*sen.ConflictError) error {
			pg.Saved = &cur
			pg.P.Version = cur.Version
			return nil
		}
		return form.Fail(err)
	}
	s.k.SetFlash(w, "passport-saved")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10)+"/passport", http.StatusSeeOther)
	return nil
}

// Documents: print-ready HTML rendered to PDF with the school's name, the
// pupil, dates and page numbers.

type spDoc struct {
	School  string
	Printed string
	V       store.SupportPlanView
	P       domain.Passport
	Pupil   sen.Pupil
	Parents bool // parent copy: only sections marked shareable
}

func (s *module) spSendPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx, tmpl string, d *spDoc, filename string) error {
	d.School = c.School.Name
	d.Printed = s.st.Today().Format("2 January 2006")
	doc, err := s.views.Execute("plan_doc", tmpl, d)
	if err != nil {
		return err
	}
	return s.k.SendPDF(w, r, doc, filename, pdf.Footer{Left: c.School.Name + " – " + d.Pupil.FullName(), Right: "Printed " + d.Printed})
}

func (s *module) spPlanPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "download plan PDF")
	if err != nil {
		return err
	}
	d := &spDoc{V: v, Pupil: v.Pupil, Parents: r.URL.Query().Get("copy") == "parents"}
	name := fmt.Sprintf("support-plan-%d-cycle-%d", v.Pupil.ID, v.Cycle.Number)
	if d.Parents {
		name += "-parents-copy" // told apart from the staff copy in a downloads folder
	}
	return s.spSendPDF(w, r, c, "plandoc", d, name+".pdf")
}

func (s *module) spReviewPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "download review PDF")
	if err != nil {
		return err
	}
	if v.Review == nil {
		return sen.ErrNotFound
	}
	return s.spSendPDF(w, r, c, "reviewdoc", &spDoc{V: v, Pupil: v.Pupil}, fmt.Sprintf("review-%d-cycle-%d.pdf", v.Pupil.ID, v.Cycle.Number))
}

func (s *module) spPassportPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pp, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if !ok {
		return sen.ErrNotFound
	}
	return s.spSendPDF(w, r, c, "passportdoc", &spDoc{P: pp, Pupil: p}, fmt.Sprintf("passport-%d.pdf", p.ID))
}
