package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	"opensend/internal/plans"
	"opensend/internal/sen"
)

// Concerns, the SENCO's triage queue and decisions, and the assessment
// timeline (issue 4). Routes are added from init.
func init() {
	featureRoutes = append(featureRoutes, func(s *Server) []route {
		return []route{
			{"GET /concerns", authz.ConcernTriage, s.spConcernQueue},
			{"GET /pupils/{id}/concerns/new", authz.ConcernRaise, s.spConcernNew},
			{"POST /pupils/{id}/concerns/new", authz.ConcernRaise, s.spConcernCreate},
			{"GET /concerns/{id}", authz.ConcernTriage, s.spConcernShow},
			{"POST /concerns/{id}/decide", authz.ConcernDecide, s.spConcernDecide},
			{"POST /concerns/{id}/monitoring-review", authz.ConcernDecide, s.spMonitoringReview},
			{"GET /concerns/{id}/attachments/{att}", authz.ConcernTriage, s.spConcernAttachment},
			{"GET /pupils/{id}/evidence", authz.EvidenceRead, s.spEvidence},
			{"GET /pupils/{id}/evidence/new", authz.EvidenceWrite, s.spEvidenceNew},
			{"POST /pupils/{id}/evidence/new", authz.EvidenceWrite, s.spEvidenceCreate},
		}
	})
	RegisterFlash("concern-raised", "Concern sent to the SENCO")
	RegisterFlash("concern-decided", "Decision recorded")
	RegisterFlash("monitoring-review", "Monitoring review started: record your decision below")
	RegisterFlash("evidence-added", "Evidence added to the timeline")
	pupilSections = append(pupilSections, func(c *reqCtx, p sen.Pupil) *PupilSection {
		if !c.can(authz.ConcernRaise) {
			return nil
		}
		return &PupilSection{Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/concerns/new", Label: "Raise a concern about this pupil"}
	}, func(c *reqCtx, p sen.Pupil) *PupilSection {
		if !c.can(authz.EvidenceRead) {
			return nil
		}
		return &PupilSection{Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/evidence", Label: "Assessment evidence and concerns"}
	})
	extraNav = append(extraNav, struct {
		href, label string
		action      authz.Action
	}{"/concerns", "Concerns", authz.ConcernTriage})
}

type spConcernQueuePage struct {
	Page
	Concerns []plans.Concern
	Waits    map[int64]int
}

func (s *Server) spConcernQueue(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	list, err := s.st.OpenConcerns(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &spConcernQueuePage{Page: Page{Title: "Concerns awaiting triage", Wide: true}, Concerns: list, Waits: map[int64]int{}}
	today := s.st.Today()
	for _, x := range list {
		p.Waits[x.ID] = x.Waited(today)
	}
	return s.render(w, r, http.StatusOK, "concern_queue", p)
}

type spConcernFormPage struct {
	Page
	Pupil     sen.Pupil
	C         plans.Concern
	Areas     sen.Options
	ForParent bool
	Selected  map[string]bool
}

var spConcernOrder = []string{"onBehalfOf", "noticed", "areas", "evidence", "attachments", "tried"}

func (s *Server) spConcernNew(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "raise concern")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "concern_form", &spConcernFormPage{Page: Page{Title: "Raise a concern: " + p.FullName()}, Pupil: p,
		Areas: sen.Areas, ForParent: !c.Actor.User.Role.Scoped(), Selected: map[string]bool{}})
}

func (s *Server) spConcernCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "raise concern")
	if err != nil {
		return err
	}
	pg := &spConcernFormPage{Page: Page{Title: "Raise a concern: " + p.FullName()}, Pupil: p, Areas: sen.Areas, ForParent: !c.Actor.User.Role.Scoped(), Selected: map[string]bool{}}
	pg.C = plans.Concern{PupilID: id, Noticed: r.PostFormValue("noticed"), Evidence: r.PostFormValue("evidence"), Tried: r.PostFormValue("tried"),
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
			data, err := io.ReadAll(io.LimitReader(f, plans.MaxAttachmentSize+1))
			f.Close()
			if err != nil {
				return err
			}
			pg.C.Attachments = append(pg.C.Attachments, plans.Attachment{Name: fh.Filename, Data: data})
		}
	}
	err = s.st.RaiseConcern(r.Context(), c.Actor, &pg.C)
	var fe sen.FieldErrors
	switch {
	case err == nil:
		s.setFlash(w, "concern-raised")
		http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	case errors.As(err, &fe):
		pg.setErrors(fe, spConcernOrder...)
		return s.render(w, r, http.StatusUnprocessableEntity, "concern_form", pg)
	}
	return err
}

type spConcernPage struct {
	Page
	C           plans.Concern
	Pupil       sen.Pupil
	Waited      int
	CanDecide   bool
	CanReview   bool // a monitoring decision whose review has not started
	Decisions   []plans.Decision
	Methods     []string
	NeedTypes   []sen.NeedType
	D           spDecisionForm
	ConflictMsg string
}

type spDecisionForm struct {
	Decision      string
	Reason        string
	MonitorReview DateField
	InformedOn    DateField
	InformedHow   string
	PrimaryNeed   string
	PlanStart     DateField
	PlanReview    DateField
}

var spDecisionOrder = []string{"decision", "reason", "monitorReview", "informedOn", "informedHow", "primaryNeed", "planStart", "planReview"}

func (s *Server) spConcernPage(r *http.Request, c *reqCtx, id int64) (*spConcernPage, error) {
	con, err := s.st.Concern(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, con.PupilID, "concern")
	if err != nil {
		return nil, err
	}
	today := s.st.Today()
	return &spConcernPage{Page: Page{Title: "Concern about " + p.FullName()}, C: con, Pupil: p, Waited: con.Waited(today),
		CanReview: !con.Open && con.Decision == plans.Monitor && con.FollowUpID == 0 && c.can(authz.ConcernDecide),
		CanDecide: con.Open && c.can(authz.ConcernDecide), Decisions: plans.Decisions, Methods: plans.InformMethods, NeedTypes: sen.NeedTypes,
		D: spDecisionForm{InformedOn: dateFieldOf(today), PlanStart: dateFieldOf(today), PlanReview: dateFieldOf(today.AddDate(0, 0, 7*12))}}, nil
}

func (s *Server) spConcernShow(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
func (s *Server) spMonitoringReview(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	next, err := s.st.StartMonitoringReview(r.Context(), c.Actor, id)
	var fe sen.FieldErrors
	if errors.As(err, &fe) {
		pg, perr := s.spConcernPage(r, c, id)
		if perr != nil {
			return perr
		}
		pg.setErrors(fe, "concern")
		return s.render(w, r, http.StatusUnprocessableEntity, "concern_show", pg)
	}
	if err != nil {
		return err
	}
	s.setFlash(w, "monitoring-review")
	http.Redirect(w, r, "/concerns/"+strconv.FormatInt(next, 10)+"#decide", http.StatusSeeOther)
	return nil
}

func (s *Server) spConcernDecide(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spConcernPage(r, c, id)
	if err != nil {
		return err
	}
	f := spDecisionForm{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"), MonitorReview: readDate(r, "monitorReview"),
		InformedOn: readDate(r, "informedOn"), InformedHow: r.PostFormValue("informedHow"), PrimaryNeed: r.PostFormValue("primaryNeed"),
		PlanStart: readDate(r, "planStart"), PlanReview: readDate(r, "planReview")}
	pg.D = f
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d := plans.DecisionInput{Decision: plans.Decision(f.Decision), Reason: f.Reason, InformedHow: f.InformedHow, Version: version}
	fe := sen.FieldErrors{}
	var msg string
	if d.MonitorReview, msg = f.MonitorReview.Parse("Monitoring review date", false); msg != "" {
		fe.Add("monitorReview", msg)
	}
	if d.InformedOn, msg = f.InformedOn.Parse("Date parents were told", false); msg != "" {
		fe.Add("informedOn", msg)
	}
	if d.Decision == plans.PlaceOnSupport {
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
	if len(fe) == 0 {
		var cycleID int64
		cycleID, err = s.st.DecideConcern(r.Context(), c.Actor, id, d, f.PrimaryNeed)
		if err == nil {
			s.setFlash(w, "concern-decided")
			if cycleID != 0 {
				http.Redirect(w, r, "/plans/"+strconv.FormatInt(cycleID, 10), http.StatusSeeOther)
			} else {
				http.Redirect(w, r, "/concerns", http.StatusSeeOther)
			}
			return nil
		}
		var ce *sen.ConflictError
		switch {
		case errors.As(err, &ce):
			fresh, err2 := s.spConcernPage(r, c, id)
			if err2 != nil {
				return err2
			}
			fresh.D = f
			fresh.ConflictMsg = ce.Error()
			fresh.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
			return s.render(w, r, http.StatusConflict, "concern_show", fresh)
		case errors.As(err, &fe):
		default:
			return err
		}
	}
	pg.setErrors(fe, spDecisionOrder...)
	return s.render(w, r, http.StatusUnprocessableEntity, "concern_show", pg)
}

// spConcernAttachment serves an attached file as a download only, with the
// content type sniffed when it was uploaded.
func (s *Server) spConcernAttachment(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
	w.Header().Set("Content-Disposition", `attachment; filename="`+plans.SafeFilename(a.Name)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, err = w.Write(a.Data)
	return err
}

type spEvidencePage struct {
	Page
	Pupil    sen.Pupil
	Entries  []plans.Evidence
	Concerns []plans.Concern
	CanWrite bool
	CanPlan  bool
}

func (s *Server) spEvidence(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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
	return s.render(w, r, http.StatusOK, "plan_evidence", &spEvidencePage{Page: Page{Title: "Assessment evidence: " + p.FullName(), Wide: true},
		Pupil: p, Entries: entries, Concerns: concerns, CanWrite: c.can(authz.EvidenceWrite), CanPlan: c.can(authz.PlanRead)})
}

type spEvidenceForm struct {
	Page
	Pupil   sen.Pupil
	Kinds   sen.Options
	Staff   []sen.User
	E       plans.Evidence
	Date    DateField
	Score   string
	Pct     string
	Readers map[int64]bool
}

var spEvidenceOrder = []string{"kind", "date", "title", "who", "standardScore", "percentile", "ageEquivalent", "body", "readers"}

func (s *Server) spEvidenceFormPage(r *http.Request, c *reqCtx, id int64) (*spEvidenceForm, error) {
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
	return &spEvidenceForm{Page: Page{Title: "Add evidence: " + p.FullName()}, Pupil: p, Kinds: plans.Kinds, Staff: others,
		Date: dateFieldOf(s.st.Today()), Readers: map[int64]bool{}}, nil
}

func (s *Server) spEvidenceNew(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
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

func (s *Server) spEvidenceCreate(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := s.spEvidenceFormPage(r, c, id)
	if err != nil {
		return err
	}
	pg.E = plans.Evidence{PupilID: id, Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Who: r.PostFormValue("who"), Body: r.PostFormValue("body"),
		AgeEquivalent: r.PostFormValue("ageEquivalent"), Confidential: r.PostFormValue("confidential") == "yes"}
	pg.Date, pg.Score, pg.Pct = readDate(r, "date"), strings.TrimSpace(r.PostFormValue("standardScore")), strings.TrimSpace(r.PostFormValue("percentile"))
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
	if len(fe) == 0 {
		err = s.st.AddEvidence(r.Context(), c.Actor, &pg.E)
		if err == nil {
			s.setFlash(w, "evidence-added")
			http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10)+"/evidence", http.StatusSeeOther)
			return nil
		}
		if !errors.As(err, &fe) {
			return err
		}
	}
	pg.setErrors(fe, spEvidenceOrder...)
	return s.render(w, r, http.StatusUnprocessableEntity, "plan_evidence_form", pg)
}
