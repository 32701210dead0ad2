package plans

import (
	"io"
	"net/http"
	"opensend/internal/web/kit"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type spConcernQueuePage struct {
	kit.Page
	Concerns []domain.Concern
	Waits    map[int64]int
}

func (s *module) spConcernQueue(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.OpenConcerns(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &spConcernQueuePage{Page: kit.Page{Title: "Concerns awaiting triage"}, Concerns: list, Waits: map[int64]int{}}
	today := s.st.Today()
	for _, x := range list {
		p.Waits[x.ID] = x.Waited(today)
	}
	return s.render(w, r, http.StatusOK, "concern_queue", p)
}

type spConcernFormPage struct {
	kit.Page
	Pupil     sen.Pupil
	C         domain.Concern
	Areas     sen.Options
	ForParent bool
	Selected  map[string]bool
}

var spConcernOrder = []string{"onBehalfOf", "noticed", "areas", "evidence", "attachments", "tried"}

func (s *module) spConcernNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "raise concern")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "concern_form", &spConcernFormPage{Page: kit.Page{Title: "Raise a concern: " + p.FullName()}, Pupil: p,
		Areas: sen.Areas, ForParent: !c.Actor.User.Role.Scoped(), Selected: map[string]bool{}})
}

func (s *module) spConcernCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "raise concern")
	if err != nil {
		return err
	}
	pg := &spConcernFormPage{Page: kit.Page{Title: "Raise a concern: " + p.FullName()}, Pupil: p, Areas: sen.Areas, ForParent: !c.Actor.User.Role.Scoped(), Selected: map[string]bool{}}
	pg.C = domain.Concern{PupilID: id, Noticed: r.PostFormValue("noticed"), Evidence: r.PostFormValue("evidence"), Tried: r.PostFormValue("tried"),
		Areas: r.PostForm["areas"], OnBehalfOf: r.PostFormValue("onBehalfOf")}
	for _, a := range pg.C.Areas {
		pg.Selected[a] = true
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["attachments"] {
			if fh.Filename == "" && fh.Size == 0 {
				continue
			}
			f, err := fh.Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(io.LimitReader(f, domain.MaxAttachmentSize+1))
			f.Close()
			if err != nil {
				return err
			}
			pg.C.Attachments = append(pg.C.Attachments, domain.Attachment{Name: fh.Filename, Data: data})
		}
	}
	if err := s.st.RaiseConcern(r.Context(), c.Actor, &pg.C); err != nil {
		return s.views.Form("concern_form", pg, spConcernOrder...).Fail(err)
	}
	s.k.SetFlash(w, "concern-raised")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type spConcernPage struct {
	kit.Page
	C           domain.Concern
	Pupil       sen.Pupil
	Waited      int
	CanDecide   bool
	CanReview   bool // a monitoring decision whose review has not started
	Decisions   []domain.Decision
	Methods     []string
	NeedTypes   []sen.NeedType
	D           spDecisionForm
	ConflictMsg string
}

type spDecisionForm struct {
	Decision      string
	Reason        string
	MonitorReview kit.DateField
	InformedOn    kit.DateField
	InformedHow   string
	PrimaryNeed   string
	PlanStart     kit.DateField
	PlanReview    kit.DateField
}

var spDecisionOrder = []string{"decision", "reason", "monitorReview", "informedOn", "informedHow", "primaryNeed", "planStart", "planReview"}

func (s *module) spConcernPage(r *http.Request, c *kit.Ctx, id int64) (*spConcernPage, error) {
	con, err := s.st.Concern(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, con.PupilID, "concern")
	if err != nil {
		return nil, err
	}
	today := s.st.Today()
	return &spConcernPage{Page: kit.Page{Title: "Concern about " + p.FullName()}, C: con, Pupil: p, Waited: con.Waited(today),
		CanReview: !con.Open && con.Decision == domain.Monitor && con.FollowUpID == 0 && c.Can(authz.ConcernDecide),
		CanDecide: con.Open && c.Can(authz.ConcernDecide), Decisions: domain.Decisions, Methods: domain.InformMethods, NeedTypes: sen.NeedTypes,
		D: spDecisionForm{InformedOn: kit.DateFieldOf(today), PlanStart: kit.DateFieldOf(today), PlanReview: kit.DateFieldOf(today.AddDate(0, 0, 7*12))}}, nil
}

func (s *module) spConcernShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.spConcernPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "concern_show", pg)
}

// spMonitoringReview starts the review of a "monitor" decision: a new
// concern for the SENCO to decide, the earlier decision kept as recorded.
func (s *module) spMonitoringReview(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	next, err := s.st.StartMonitoringReview(r.Context(), c.Actor, id)
	if err != nil {
		// The concern page is read (and its read audited) only to show it again.
		pg, perr := s.spConcernPage(r, c, id)
		if perr != nil {
			return perr
		}
		return s.views.Form("concern_show", pg, "concern").Fail(err)
	}
	s.k.SetFlash(w, "monitoring-review")
	http.Redirect(w, r, "/concerns/"+strconv.FormatInt(next, 10)+"#decide", http.StatusSeeOther)
	return nil
}

func (s *module) spConcernDecide(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spConcernPage(r, c, id)
	if err != nil {
		return err
	}
	f := spDecisionForm{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"), MonitorReview: kit.ReadDate(r, "monitorReview"),
		InformedOn: kit.ReadDate(r, "informedOn"), InformedHow: r.PostFormValue("informedHow"), PrimaryNeed: r.PostFormValue("primaryNeed"),
		PlanStart: kit.ReadDate(r, "planStart"), PlanReview: kit.ReadDate(r, "planReview")}
	pg.D = f
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d := domain.DecisionInput{Decision: domain.Decision(f.Decision), Reason: f.Reason, InformedHow: f.InformedHow, Version: version}
	fe := sen.FieldErrors{}
	var msg string
	if d.MonitorReview, msg = f.MonitorReview.Parse("Monitoring review date", false); msg != "" {
		fe.Add("monitorReview", msg)
	}
	if d.InformedOn, msg = f.InformedOn.Parse("Date parents were told", false); msg != "" {
		fe.Add("informedOn", msg)
	}
	if d.Decision == domain.PlaceOnSupport {
		if d.PlanStart, msg = f.PlanStart.Parse("Plan start date", true); msg != "" {
			fe.Add("planStart", msg)
		}
		if d.PlanReview, msg = f.PlanReview.Parse("Plan review date", true); msg != "" {
			fe.Add("planReview", msg)
		}
	}
	if f.PrimaryNeed != "" {
		if _, ok := sen.LookupNeed(f.PrimaryNeed); !ok {
			fe.Add("primaryNeed", "Select a need from the list")
		}
	}
	form := s.views.Form("concern_show", pg, spDecisionOrder...)
	form.OnConflict = func(ce *sen.ConflictError) error {
		// Show the concern as it is now; the decision form keeps what was typed.
		fresh, err := s.spConcernPage(r, c, id)
		if err != nil {
			return err
		}
		fresh.D = f
		fresh.ConflictMsg = ce.Error()
		*pg = *fresh
		return nil
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	cycleID, err := s.st.DecideConcern(r.Context(), c.Actor, id, d, f.PrimaryNeed)
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "concern-decided")
	if cycleID != 0 {
		http.Redirect(w, r, "/plans/"+strconv.FormatInt(cycleID, 10), http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/concerns", http.StatusSeeOther)
	}
	return nil
}

// spConcernAttachment serves an attached file as a download only, with the
// content type sniffed when it was uploaded.
func (s *module) spConcernAttachment(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	att, err := strconv.ParseInt(r.PathValue("att"), 10, 64)
	if err != nil {
		return sen.ErrNotFound
	}
	a, err := s.st.ConcernAttachment(r.Context(), c.Actor, id, att)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+domain.SafeFilename(a.Name)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, err = w.Write(a.Data)
	return err
}

type spEvidencePage struct {
	kit.Page
	Pupil    sen.Pupil
	Entries  []domain.Evidence
	Concerns []domain.Concern
	CanWrite bool
	CanPlan  bool
}

func (s *module) spEvidence(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "evidence timeline")
	if err != nil {
		return err
	}
	entries, err := s.st.EvidenceTimeline(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	concerns, err := s.st.PupilConcerns(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_evidence", &spEvidencePage{Page: kit.Page{Title: "Assessment evidence: " + p.FullName()},
		Pupil: p, Entries: entries, Concerns: concerns, CanWrite: c.Can(authz.EvidenceWrite), CanPlan: c.Can(authz.PlanRead)})
}

type spEvidenceForm struct {
	kit.Page
	Pupil   sen.Pupil
	Kinds   sen.Options
	Staff   []sen.User
	E       domain.Evidence
	Date    kit.DateField
	Score   string
	Pct     string
	Readers map[int64]bool
}

var spEvidenceOrder = []string{"kind", "date", "title", "who", "standardScore", "percentile", "ageEquivalent", "body", "readers"}

func (s *module) spEvidenceFormPage(r *http.Request, c *kit.Ctx, id int64) (*spEvidenceForm, error) {
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "add evidence")
	if err != nil {
		return nil, err
	}
	staff, err := s.st.StaffList(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	var others []sen.User
	for _, u := range staff {
		if u.ID != c.Actor.User.ID && u.Role != sen.RoleGovernor && u.Role != sen.RoleOffice {
			others = append(others, u)
		}
	}
	return &spEvidenceForm{Page: kit.Page{Title: "Add evidence: " + p.FullName()}, Pupil: p, Kinds: domain.Kinds, Staff: others,
		Date: kit.DateFieldOf(s.st.Today()), Readers: map[int64]bool{}}, nil
}

func (s *module) spEvidenceNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.spEvidenceFormPage(r, c, id)
	if err != nil {
		return err
	}
	pg.E.Kind = r.URL.Query().Get("kind")
	return s.render(w, r, http.StatusOK, "plan_evidence_form", pg)
}

func (s *module) spEvidenceCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spEvidenceFormPage(r, c, id)
	if err != nil {
		return err
	}
	pg.E = domain.Evidence{PupilID: id, Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Who: r.PostFormValue("who"), Body: r.PostFormValue("body"),
		AgeEquivalent: r.PostFormValue("ageEquivalent"), Confidential: r.PostFormValue("confidential") == "yes"}
	pg.Date, pg.Score, pg.Pct = kit.ReadDate(r, "date"), strings.TrimSpace(r.PostFormValue("standardScore")), strings.TrimSpace(r.PostFormValue("percentile"))
	fe := sen.FieldErrors{}
	var msg string
	if pg.E.Date, msg = pg.Date.Parse("Date", true); msg != "" {
		fe.Add("date", msg)
	}
	if pg.Score != "" {
		if pg.E.StandardScore, err = strconv.Atoi(pg.Score); err != nil {
			fe.Add("standardScore", "The standard score must be a whole number, like 85")
		}
	}
	if pg.Pct != "" {
		if pg.E.Percentile, err = strconv.Atoi(pg.Pct); err != nil {
			fe.Add("percentile", "The percentile must be a whole number, like 16")
		}
	}
	for _, v := range r.PostForm["readers"] {
		if uid, err := strconv.ParseInt(v, 10, 64); err == nil {
			pg.E.Readers = append(pg.E.Readers, uid)
			pg.Readers[uid] = true
		}
	}
	if len(pg.E.Readers) > 0 && !pg.E.Confidential {
		fe.Add("readers", "Tick \"Confidential\" to limit who may read this entry, or untick the names")
	}
	form := s.views.Form("plan_evidence_form", pg, spEvidenceOrder...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddEvidence(r.Context(), c.Actor, &pg.E); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "evidence-added")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10)+"/evidence", http.StatusSeeOther)
	return nil
}

type spMyConcernsPage struct {
	kit.Page
	Concerns []store.RaisedConcern
	Open     int
}

// spMyConcerns shows the person who raised concerns what became of them:
// the pupil, when, whether the SENCO has decided, the decision and its
// date. Never the evidence written with the concern or the SENCO's reasons
// and notes (store.RaisedConcern carries neither).
func (s *module) spMyConcerns(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.MyConcerns(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &spMyConcernsPage{Page: kit.Page{Title: "My concerns"}, Concerns: list}
	for _, x := range list {
		if x.Open {
			p.Open++
		}
	}
	return s.render(w, r, http.StatusOK, "my_concerns", p)
}
