package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"opensend/internal/authz"
	"opensend/internal/pdf"
	"opensend/internal/plans"
	"opensend/internal/readability"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// SEN support plans (assess–plan–do–review cycles), reviews, amendments,
// the do-log and passports (issue 4).
func init() {
	featureRoutes = append(featureRoutes, func(s *Server) []route {
		return []route{
			{"GET /pupils/{id}/plan", authz.PlanRead, s.spPupilPlan},
			{"POST /pupils/{id}/plan", authz.PlanWrite, s.spPlanCreate},
			{"GET /plans/{id}", authz.PlanRead, s.spPlanShow},
			{"GET /plans/{id}/pdf", authz.PlanRead, s.spPlanPDF},
			{"GET /plans/{id}/edit", authz.PlanWrite, s.spPlanEdit},
			{"POST /plans/{id}/edit", authz.PlanWrite, s.spPlanSave},
			{"GET /plans/{id}/outcomes/new", authz.PlanWrite, s.spOutcomeNew},
			{"POST /plans/{id}/outcomes/new", authz.PlanWrite, s.spOutcomeCreate},
			{"GET /plans/{id}/strategies", authz.PlanWrite, s.spStrategies},
			{"POST /plans/{id}/strategies", authz.PlanWrite, s.spStrategyAdd},
			{"GET /plans/{id}/support/new", authz.PlanWrite, s.spSupportNew},
			{"POST /plans/{id}/support/new", authz.PlanWrite, s.spSupportCreate},
			{"POST /plans/{id}/remove", authz.PlanWrite, s.spRemove},
			{"POST /plans/{id}/activate", authz.PlanWrite, s.spActivate},
			{"GET /plans/{id}/review", authz.PlanWrite, s.spReviewForm},
			{"POST /plans/{id}/review", authz.PlanWrite, s.spReviewSave},
			{"GET /plans/{id}/review/pdf", authz.PlanRead, s.spReviewPDF},
			{"GET /plans/{id}/amend", authz.PlanWrite, s.spAmendForm},
			{"POST /plans/{id}/amend", authz.PlanWrite, s.spAmendSave},
			{"POST /plans/{id}/log", authz.DoLogWrite, s.spLogAdd},
			{"GET /pupils/{id}/passport", authz.PlanRead, s.spPassport},
			{"GET /pupils/{id}/passport/pdf", authz.PlanRead, s.spPassportPDF},
			{"GET /pupils/{id}/passport/edit", authz.PlanWrite, s.spPassportEdit},
			{"POST /pupils/{id}/passport/edit", authz.PlanWrite, s.spPassportSave},
		}
	})
	for k, v := range map[string]string{"plan-created": "Support plan started", "plan-saved": "Plan saved", "outcome-added": "Outcome added",
		"strategy-added": "Strategy added", "support-added": "Support added", "item-removed": "Removed from the plan", "plan-active": "The plan is now active",
		"review-done": "Review recorded. The cycle is locked and the next cycle has been opened as a draft", "amended": "Amendment recorded",
		"log-added": "Log entry saved", "passport-saved": "Passport saved"} {
		RegisterFlash(k, v)
	}
	pupilSections = append(pupilSections, func(c *reqCtx, p sen.Pupil) *PupilSection {
		if !c.can(authz.PlanRead) || p.Status == sen.StatusNone {
			return nil
		}
		return &PupilSection{Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/plan", Label: "SEN support plan"}
	}, func(c *reqCtx, p sen.Pupil) *PupilSection {
		if !c.can(authz.PlanRead) || p.Status == sen.StatusNone {
			return nil
		}
		return &PupilSection{Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/passport", Label: "Pupil passport (one-page profile)"}
	})
	funcs["spReadability"] = readability.Analyse
	funcs["spAreas"] = func(codes []string) string {
		var out []string
		for _, c := range codes {
			out = append(out, sen.AreaLabel(c))
		}
		return strings.Join(out, "; ")
	}
	funcs["spKind"] = plans.KindLabel
	funcs["spShared"] = func(sh plans.Sharing, key string) bool { return sh.Get(key) }
}

var (
	spPDFOnce sync.Once
	spPDF     *pdf.Renderer
)

func spRenderer() *pdf.Renderer {
	spPDFOnce.Do(func() { spPDF = pdf.New() })
	return spPDF
}

func cycleURL(id int64) string { return "/plans/" + strconv.FormatInt(id, 10) }

// spPupilPlan sends the reader to the pupil's current cycle, or offers to
// start a plan.
func (s *Server) spPupilPlan(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
	return s.render(w, r, http.StatusOK, "plan_none", &spNewPlanPage{Page: Page{Title: "Support plan: " + v.Pupil.FullName()}, Pupil: v.Pupil,
		CanWrite: c.can(authz.PlanWrite), Start: dateFieldOf(today), Review: dateFieldOf(today.AddDate(0, 0, 7*12))})
}

type spNewPlanPage struct {
	Page
	Pupil    sen.Pupil
	CanWrite bool
	Start    DateField
	Review   DateField
}

func (s *Server) spPlanCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "start plan")
	if err != nil {
		return err
	}
	pg := &spNewPlanPage{Page: Page{Title: "Support plan: " + p.FullName()}, Pupil: p, CanWrite: true, Start: readDate(r, "start"), Review: readDate(r, "review")}
	fe := sen.FieldErrors{}
	start, msg := pg.Start.Parse("Plan start date", true)
	if msg != "" {
		fe.Add("start", msg)
	}
	review, msg := pg.Review.Parse("Review date", true)
	if msg != "" {
		fe.Add("review", msg)
	}
	if len(fe) == 0 {
		cid, err := s.st.CreateCycle(r.Context(), c.Actor, id, start, review)
		if err == nil {
			s.setFlash(w, "plan-created")
			http.Redirect(w, r, cycleURL(cid), http.StatusSeeOther)
			return nil
		}
		var ce *sen.ConflictError
		if errors.As(err, &ce) {
			fe.Add("start", ce.Error())
		} else if !errors.As(err, &fe) {
			return err
		}
	}
	pg.setErrors(fe, "start", "review")
	return s.render(w, r, http.StatusUnprocessableEntity, "plan_none", pg)
}

// spPlanPage is the plan page: the cycle and everything around it.
type spPlanPage struct {
	Page
	V          store.SupportPlanView
	CanWrite   bool
	CanLog     bool
	ParentText readability.Report
	Log        spLogForm
	Ratings    []plans.Rating
}

type spLogForm struct {
	Outcome  string
	Date     DateField
	Did      string
	Response string
}

// parentText joins the sections marked shareable with parents, for the
// readability indicator.
func parentText(c plans.Cycle) string {
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

func (s *Server) spPlanPage(r *http.Request, c *reqCtx, purpose string) (*spPlanPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, purpose)
	if err != nil {
		return nil, err
	}
	pg := &spPlanPage{Page: Page{Title: fmt.Sprintf("Support plan %d: %s", v.Cycle.Number, v.Pupil.FullName()), Wide: true}, V: v,
		CanWrite: c.can(authz.PlanWrite), CanLog: c.can(authz.DoLogWrite) && v.Cycle.Status == plans.Active, Ratings: plans.Ratings,
		Log: spLogForm{Date: dateFieldOf(s.st.Today())}}
	if pg.CanWrite {
		pg.ParentText = readability.Analyse(parentText(v.Cycle))
	}
	return pg, nil
}

func (s *Server) spPlanShow(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spPlanPage(r, c, "view plan")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_show", pg)
}

func (s *Server) spLogAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spPlanPage(r, c, "log work")
	if err != nil {
		return err
	}
	f := spLogForm{Outcome: r.PostFormValue("logOutcome"), Date: readDate(r, "logDate"), Did: r.PostFormValue("logDid"), Response: r.PostFormValue("logResponse")}
	oid, _ := strconv.ParseInt(f.Outcome, 10, 64)
	l := plans.LogEntry{CycleID: pg.V.Cycle.ID, OutcomeID: oid, Did: f.Did, Response: f.Response}
	fe := sen.FieldErrors{}
	var msg string
	if l.Date, msg = f.Date.Parse("Date", true); msg != "" {
		fe.Add("logDate", msg)
	}
	if len(fe) == 0 {
		err = s.st.AddDoLog(r.Context(), c.Actor, &l)
		if err == nil {
			s.setFlash(w, "log-added")
			http.Redirect(w, r, cycleURL(pg.V.Cycle.ID)+"#do-log", http.StatusSeeOther)
			return nil
		}
		var ce *sen.ConflictError
		if errors.As(err, &ce) {
			fe.Add("logOutcome", ce.Error())
		} else if !errors.As(err, &fe) {
			return err
		}
	}
	pg.Log = f
	pg.setErrors(fe, "logOutcome", "logDate", "logDid", "logResponse")
	return s.render(w, r, http.StatusUnprocessableEntity, "plan_show", pg)
}

// spPlanEditPage is the form for the plan's sections, dates and sharing.
type spPlanEditPage struct {
	Page
	V        store.SupportPlanView
	C        plans.Cycle
	Start    DateField
	Review   DateField
	Saved    *plans.Cycle // the other person's saved version on a conflict
	Sections []struct{ Key, Label string }
	Read     readability.Report
}

var spPlanEditOrder = []string{"conflict", "start", "review", "needsSummary", "pupilImportant", "pupilHelps", "pupilNotHelp", "pupilStrengths", "parentViews", "staffNotes"}

func (s *Server) spPlanEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
	return s.render(w, r, http.StatusOK, "plan_edit", &spPlanEditPage{Page: Page{Title: "Edit support plan: " + v.Pupil.FullName()}, V: v, C: v.Cycle,
		Start: dateFieldOf(v.Cycle.StartDate), Review: dateFieldOf(v.Cycle.Review), Sections: plans.Sections, Read: readability.Analyse(parentText(v.Cycle))})
}

func (s *Server) spPlanSave(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "save plan")
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	cy := plans.Cycle{ID: id, Version: version, NeedsSummary: r.PostFormValue("needsSummary"), PupilImportant: r.PostFormValue("pupilImportant"),
		PupilHelps: r.PostFormValue("pupilHelps"), PupilNotHelp: r.PostFormValue("pupilNotHelp"), PupilStrengths: r.PostFormValue("pupilStrengths"),
		ParentViews: r.PostFormValue("parentViews"), StaffNotes: r.PostFormValue("staffNotes"), Outcomes: v.Cycle.Outcomes, Strategies: v.Cycle.Strategies, Support: v.Cycle.Support}
	for _, sec := range plans.Sections {
		cy.Share.Set(sec.Key, r.PostFormValue("share-"+sec.Key) == "yes")
	}
	pg := &spPlanEditPage{Page: Page{Title: "Edit support plan: " + v.Pupil.FullName()}, V: v, C: cy, Start: readDate(r, "start"), Review: readDate(r, "review"), Sections: plans.Sections}
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
	if len(fe) == 0 {
		err = s.st.UpdateCycle(r.Context(), c.Actor, &cy)
		if err == nil {
			s.setFlash(w, "plan-saved")
			http.Redirect(w, r, cycleURL(id), http.StatusSeeOther)
			return nil
		}
		var ce *sen.ConflictError
		switch {
		case errors.As(err, &ce):
			saved := v.Cycle
			pg.Saved = &saved
			pg.C.Version = saved.Version // saving again applies the user's text over the version they have now seen
			pg.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
			return s.render(w, r, http.StatusConflict, "plan_edit", pg)
		case errors.As(err, &fe):
		default:
			return err
		}
	}
	pg.setErrors(fe, spPlanEditOrder...)
	return s.render(w, r, http.StatusUnprocessableEntity, "plan_edit", pg)
}

// spItemPage is the form to add an outcome or support, or choose strategies.
type spItemPage struct {
	Page
	V        store.SupportPlanView
	Version  int64
	O        plans.Outcome
	Target   DateField
	Su       plans.Support
	SuStart  DateField
	Bank     []plans.BankStrategy
	Q        string
	Area     string
	Need     string
	Areas    sen.Options
	Needs    []sen.NeedType
	FreeText string
}

func (s *Server) spItemPage(r *http.Request, c *reqCtx, title, purpose string) (*spItemPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, purpose)
	if err != nil {
		return nil, err
	}
	if !plans.Editable(v.Cycle.Status) {
		return nil, sen.ErrNotFound
	}
	return &spItemPage{Page: Page{Title: title + ": " + v.Pupil.FullName()}, V: v, Version: v.Cycle.Version, Areas: sen.Areas, Needs: sen.NeedTypes}, nil
}

// spItemResult handles a store error for an item form: redirect on success,
// field errors or a conflict message on the form.
func (s *Server) spItemResult(w http.ResponseWriter, r *http.Request, pg *spItemPage, page, flash string, err error, fe sen.FieldErrors, order ...string) error {
	if err == nil && len(fe) == 0 {
		s.setFlash(w, flash)
		http.Redirect(w, r, cycleURL(pg.V.Cycle.ID), http.StatusSeeOther)
		return nil
	}
	var ce *sen.ConflictError
	status := http.StatusUnprocessableEntity
	switch {
	case err == nil:
	case errors.As(err, &ce):
		// Show the plan as it is now; the form keeps what was typed.
		v, err2 := s.st.SupportPlan(r.Context(), reqFrom(r).Actor, pg.V.Cycle.ID, "conflict")
		if err2 != nil {
			return err2
		}
		pg.V, pg.Version = v, v.Cycle.Version
		pg.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
		return s.render(w, r, http.StatusConflict, page, pg)
	case errors.As(err, &fe):
	default:
		return err
	}
	pg.setErrors(fe, order...)
	return s.render(w, r, status, page, pg)
}

func (s *Server) spOutcomeNew(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spItemPage(r, c, "Add an outcome", "add outcome")
	if err != nil {
		return err
	}
	pg.Target = dateFieldOf(pg.V.Cycle.Review)
	return s.render(w, r, http.StatusOK, "plan_outcome", pg)
}

func (s *Server) spOutcomeCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spItemPage(r, c, "Add an outcome", "add outcome")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	pg.O = plans.Outcome{Text: r.PostFormValue("outcome"), SuccessCriteria: r.PostFormValue("successCriteria"), Baseline: r.PostFormValue("baseline")}
	pg.Target = readDate(r, "targetDate")
	fe := sen.FieldErrors{}
	var msg string
	if pg.O.TargetDate, msg = pg.Target.Parse("Target date", true); msg != "" {
		fe.Add("targetDate", msg)
		fe2 := pg.O.Validate(pg.V.Cycle.StartDate, pg.V.Cycle.Review, s.st.Today())
		for k, v := range fe2 {
			fe.Add(k, v)
		}
		err = nil
	} else {
		err = s.st.AddSupportOutcome(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, &pg.O)
		fe = nil
	}
	return s.spItemResult(w, r, pg, "plan_outcome", "outcome-added", err, fe, "outcome", "successCriteria", "baseline", "targetDate")
}

func (s *Server) spStrategies(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spItemPage(r, c, "Strategies for staff", "strategies")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg.Q, pg.Area, pg.Need = strings.TrimSpace(q.Get("q")), q.Get("area"), q.Get("need")
	if sen.AreaLabel(pg.Area) == pg.Area {
		pg.Area = ""
	}
	if _, ok := sen.LookupNeed(pg.Need); !ok {
		pg.Need = ""
	}
	if pg.Area == "" && pg.Need == "" && pg.Q == "" && !q.Has("area") && len(pg.V.Pupil.Needs) > 0 {
		pg.Need = pg.V.Pupil.Needs[0].Code // start with the primary need's strategies
	}
	pg.Bank, err = s.st.StrategyBank(r.Context(), c.Actor, pg.Q, pg.Area, pg.Need)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_strategies", pg)
}

func (s *Server) spStrategyAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spItemPage(r, c, "Strategies for staff", "add strategy")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	bankID, _ := strconv.ParseInt(r.PostFormValue("bank"), 10, 64)
	pg.FreeText = r.PostFormValue("strategyText")
	if bankID == 0 && strings.TrimSpace(pg.FreeText) == "" && r.PostFormValue("bank") != "" {
		bankID = -1
	}
	err = s.st.AddPlanStrategy(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, max(bankID, 0), pg.FreeText)
	if err != nil {
		if pg.Bank, _ = s.st.StrategyBank(r.Context(), c.Actor, "", "", ""); pg.Bank == nil {
			pg.Bank = []plans.BankStrategy{}
		}
	}
	return s.spItemResult(w, r, pg, "plan_strategies", "strategy-added", err, nil, "strategy", "strategyText")
}

func (s *Server) spSupportNew(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spItemPage(r, c, "Add support", "add support")
	if err != nil {
		return err
	}
	start := s.st.Today()
	if pg.V.Cycle.StartDate.After(start) {
		start = pg.V.Cycle.StartDate
	}
	pg.SuStart = dateFieldOf(start)
	return s.render(w, r, http.StatusOK, "plan_support", pg)
}

func (s *Server) spSupportCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spItemPage(r, c, "Add support", "add support")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	pg.Su = plans.Support{What: r.PostFormValue("what"), Who: r.PostFormValue("who"), Frequency: r.PostFormValue("frequency"), Duration: r.PostFormValue("duration")}
	pg.SuStart = readDate(r, "supportStart")
	fe := sen.FieldErrors{}
	var msg string
	if pg.Su.StartDate, msg = pg.SuStart.Parse("Start date", true); msg != "" {
		fe.Add("supportStart", msg)
		for k, v := range pg.Su.Validate(pg.V.Cycle.StartDate, s.st.Today()) {
			fe.Add(k, v)
		}
		err = nil
	} else {
		err = s.st.AddPlanSupport(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, &pg.Su)
		fe = nil
	}
	return s.spItemResult(w, r, pg, "plan_support", "support-added", err, fe, "what", "who", "frequency", "duration", "supportStart")
}

// spSimpleAction handles the plan page's small POSTs (remove, activate):
// a conflict or refusal is shown on the plan page.
func (s *Server) spSimpleAction(w http.ResponseWriter, r *http.Request, c *reqCtx, do func(id, version int64) error, flash string) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err = do(id, version)
	if err == nil {
		s.setFlash(w, flash)
		http.Redirect(w, r, cycleURL(id), http.StatusSeeOther)
		return nil
	}
	var ce *sen.ConflictError
	var fe sen.FieldErrors
	msg := ""
	switch {
	case errors.As(err, &ce):
		msg = ce.Error()
	case errors.As(err, &fe):
		for _, m := range fe {
			msg = m
		}
	default:
		return err
	}
	pg, err := s.spPlanPage(r, c, "view plan")
	if err != nil {
		return err
	}
	pg.ErrorSum = []ErrorItem{{Field: "plan-actions", Msg: msg}}
	return s.render(w, r, http.StatusConflict, "plan_show", pg)
}

func (s *Server) spRemove(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	return s.spSimpleAction(w, r, c, func(id, version int64) error {
		item, _ := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
		return s.st.RemoveSupportPlanItem(r.Context(), c.Actor, id, version, r.PostFormValue("kind"), item)
	}, "item-removed")
}

func (s *Server) spActivate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	return s.spSimpleAction(w, r, c, func(id, version int64) error {
		return s.st.ActivateCycle(r.Context(), c.Actor, id, version)
	}, "plan-active")
}

// spReviewPage is the review meeting form.
type spReviewPage struct {
	Page
	V          store.SupportPlanView
	Version    int64
	R          plans.Review
	Meeting    DateField
	NextReview DateField
	Ratings    []plans.Rating
}

func (s *Server) spReviewPageFor(r *http.Request, c *reqCtx) (*spReviewPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "review")
	if err != nil {
		return nil, err
	}
	if v.Cycle.Status != plans.Active {
		return nil, sen.ErrNotFound
	}
	return &spReviewPage{Page: Page{Title: "Review meeting: " + v.Pupil.FullName()}, V: v, Version: v.Cycle.Version, Ratings: plans.Ratings,
		R: plans.Review{Ratings: map[int64]plans.Rating{}, Evidence: map[int64]string{}, CarryForward: map[int64]bool{}}}, nil
}

func (s *Server) spReviewForm(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spReviewPageFor(r, c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	pg.Meeting = dateFieldOf(today)
	pg.NextReview = dateFieldOf(today.AddDate(0, 0, 7*12))
	return s.render(w, r, http.StatusOK, "plan_review", pg)
}

func (s *Server) spReviewSave(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
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
		rv.Ratings[o.ID] = plans.Rating(r.PostFormValue("rating-" + k))
		rv.Evidence[o.ID] = r.PostFormValue("evidence-" + k)
		rv.CarryForward[o.ID] = r.PostFormValue("carry-"+k) == "yes"
	}
	pg.Meeting, pg.NextReview = readDate(r, "meetingDate"), readDate(r, "nextReview")
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
	if len(fe) > 0 {
		for k, v := range rv.Validate(pg.V.Cycle, s.st.Today()) {
			fe.Add(k, v)
		}
		pg.setErrors(fe, order...)
		return s.render(w, r, http.StatusUnprocessableEntity, "plan_review", pg)
	}
	next, err := s.st.CompleteSupportReview(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, rv)
	if err == nil {
		s.setFlash(w, "review-done")
		http.Redirect(w, r, cycleURL(next), http.StatusSeeOther)
		return nil
	}
	var ce *sen.ConflictError
	switch {
	case errors.As(err, &ce):
		v, err2 := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
		if err2 != nil {
			return err2
		}
		if v.Cycle.Status != plans.Active {
			return sen.ErrNotFound
		}
		pg.V, pg.Version = v, v.Cycle.Version
		pg.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
		return s.render(w, r, http.StatusConflict, "plan_review", pg)
	case errors.As(err, &fe):
		pg.setErrors(fe, order...)
		return s.render(w, r, http.StatusUnprocessableEntity, "plan_review", pg)
	}
	return err
}

type spAmendPage struct {
	Page
	V      store.SupportPlanView
	Fields []struct{ Key, Label string }
	Field  string
	Value  string
	Reason string
}

func (s *Server) spAmendPageFor(r *http.Request, c *reqCtx) (*spAmendPage, error) {
	id, err := pathID(r)
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
	return &spAmendPage{Page: Page{Title: "Correct a reviewed plan: " + v.Pupil.FullName()}, V: v, Fields: store.AmendableFields}, nil
}

func (s *Server) spAmendForm(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	pg, err := s.spAmendPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_amend", pg)
}

func (s *Server) spAmendSave(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spAmendPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Field, pg.Value, pg.Reason = r.PostFormValue("field"), r.PostFormValue("value"), r.PostFormValue("reason")
	err = s.st.AmendLockedCycle(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Field, pg.Value, pg.Reason)
	if err == nil {
		s.setFlash(w, "amended")
		http.Redirect(w, r, cycleURL(pg.V.Cycle.ID), http.StatusSeeOther)
		return nil
	}
	var fe sen.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	pg.setErrors(fe, "field", "value", "reason")
	return s.render(w, r, http.StatusUnprocessableEntity, "plan_amend", pg)
}

// Passports.

type spPassportPage struct {
	Page
	Pupil    sen.Pupil
	P        plans.Passport
	Exists   bool
	CanWrite bool
	Saved    *plans.Passport
	Read     readability.Report
	Draft    bool
}

func (s *Server) spPassport(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pp, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "passport", &spPassportPage{Page: Page{Title: "Pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok,
		CanWrite: c.can(authz.PlanWrite)})
}

func passportText(p plans.Passport) string {
	return strings.Join([]string{p.AboutMe, p.Strengths, p.Needs, p.Helps, p.NotHelps}, "\n")
}

func (s *Server) spPassportEdit(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pp, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg := &spPassportPage{Page: Page{Title: "Edit pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok, CanWrite: true}
	if !ok || r.URL.Query().Get("from") == "plan" {
		// Generate from the current plan (the SENCO then edits it).
		v, found, err := s.st.CurrentSupportPlan(r.Context(), c.Actor, id, "passport from plan")
		if err != nil {
			return err
		}
		if found {
			gen := plans.FromCycle(v.Cycle)
			gen.Version = pp.Version
			pg.P, pg.Draft = gen, true
		}
	}
	pg.Read = readability.Analyse(passportText(pg.P))
	return s.render(w, r, http.StatusOK, "passport_edit", pg)
}

func (s *Server) spPassportSave(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	cur, p, ok, err := s.st.Passport(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	from, _ := strconv.ParseInt(r.PostFormValue("fromCycle"), 10, 64)
	pp := plans.Passport{PupilID: id, AboutMe: r.PostFormValue("aboutMe"), Strengths: r.PostFormValue("strengths"), Needs: r.PostFormValue("needs"),
		Helps: r.PostFormValue("helps"), NotHelps: r.PostFormValue("notHelps"), Version: version, FromCycle: from}
	err = s.st.SavePassport(r.Context(), c.Actor, &pp)
	if err == nil {
		s.setFlash(w, "passport-saved")
		http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10)+"/passport", http.StatusSeeOther)
		return nil
	}
	pg := &spPassportPage{Page: Page{Title: "Edit pupil passport: " + p.FullName()}, Pupil: p, P: pp, Exists: ok, CanWrite: true, Read: readability.Analyse(passportText(pp))}
	var ce *sen.ConflictError
	var fe sen.FieldErrors
	switch {
	case errors.As(err, &ce):
		pg.Saved = &cur
		pg.P.Version = cur.Version
		pg.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
		return s.render(w, r, http.StatusConflict, "passport_edit", pg)
	case errors.As(err, &fe):
		pg.setErrors(fe, "aboutMe", "strengths", "needs", "helps", "notHelps")
		return s.render(w, r, http.StatusUnprocessableEntity, "passport_edit", pg)
	}
	return err
}

// Documents: print-ready HTML rendered to PDF with the school's name, the
// pupil, dates and page numbers.

type spDoc struct {
	School  string
	Printed string
	V       store.SupportPlanView
	P       plans.Passport
	Pupil   sen.Pupil
	Parents bool // parent copy: only sections marked shareable
}

func (s *Server) spSendPDF(w http.ResponseWriter, r *http.Request, c *reqCtx, tmpl string, d *spDoc, filename string) error {
	d.School = c.School.Name
	d.Printed = s.st.Today().Format("2 January 2006")
	var buf bytes.Buffer
	if err := s.tmpl.pages["plan_doc"].ExecuteTemplate(&buf, tmpl, d); err != nil {
		return fmt.Errorf("web: document %s: %w", tmpl, err)
	}
	out, err := spRenderer().Render(r.Context(), buf.String(), pdf.Footer{Left: c.School.Name + " – " + d.Pupil.FullName(), Right: "Printed " + d.Printed})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, err = w.Write(out)
	return err
}

func (s *Server) spPlanPDF(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.SupportPlan(r.Context(), c.Actor, id, "download plan PDF")
	if err != nil {
		return err
	}
	d := &spDoc{V: v, Pupil: v.Pupil, Parents: r.URL.Query().Get("copy") == "parents"}
	return s.spSendPDF(w, r, c, "plandoc", d, fmt.Sprintf("support-plan-%d-cycle-%d.pdf", v.Pupil.ID, v.Cycle.Number))
}

func (s *Server) spReviewPDF(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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

func (s *Server) spPassportPDF(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
