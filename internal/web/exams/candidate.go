package exams

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/authz"
	domain "opensend/internal/exams"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// arrangementRow is one arrangement as the candidate's page shows it.
type arrangementRow struct {
	A        domain.Arrangement
	Kind     domain.Kind
	Current  string // the status today
	Series   string // the series' name, or "" for every series
	Evidence string // what evidence it still lacks, "" when none
}

type candidatePage struct {
	kit.Page
	V           store.ExamCandidateView
	Rows        []arrangementRow
	Criterion   domain.Result
	Criterion50 domain.Result
	Year9       time.Time
	CanWrite    bool
	C           domain.Candidate // the candidate form as typed
	Consent     kit.DateField
	Printed     string
}

func (s *module) candidateView(r *http.Request, c *kit.Ctx, purpose string) (*candidatePage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.ExamCandidate(r.Context(), c.Actor, id, purpose)
	if err != nil {
		return nil, err
	}
	today := s.st.Today()
	pg := &candidatePage{Page: kit.Page{Title: "Exam access arrangements: " + v.Pupil.FullName()}, V: v, CanWrite: c.Can(authz.ExamsWrite),
		C: v.Candidate, Consent: kit.DateFieldOf(v.Candidate.ConsentOn), Year9: domain.Year9Start(v.Pupil.DOB)}
	ehcp := v.HasEHCP && v.Candidate.EHCPConfirms
	pg.Criterion = domain.ExtraTime25(v.Assessment, v.Pupil.DOB, v.Thresholds, ehcp)
	pg.Criterion50 = domain.ExtraTime50(v.Assessment, v.Thresholds)
	names := map[int64]string{}
	for _, x := range v.Series {
		names[x.ID] = x.Name
	}
	for _, a := range v.Arrangements {
		row := arrangementRow{A: a, Current: a.Current(today), Series: names[a.SeriesID]}
		row.Kind, _ = domain.KindOf(a.Kind)
		switch {
		case a.NeedsAssessor(v.Candidate) && v.Assessment == nil:
			row.Evidence = "Needs the assessor's evidence (Form 8)"
		case a.Kind == "extra-time-25" && !pg.Criterion.Met:
			row.Evidence = "The 25% extra time criterion is not met"
		case len(v.Normal) == 0:
			row.Evidence = "Needs normal way of working evidence"
		}
		pg.Rows = append(pg.Rows, row)
	}
	return pg, nil
}

func (s *module) candidate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.candidateView(r, c, "page")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "candidate", pg)
}

func (s *module) candidateSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.candidateView(r, c, "candidate form")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	pg.C = domain.Candidate{PupilID: pg.V.Pupil.ID, CandidateNumber: r.PostFormValue("candidate_number"), PictureOfNeed: r.PostFormValue("picture_of_need"),
		EHCPConfirms: r.PostFormValue("ehcp_confirms") == "yes", Version: version}
	pg.Consent = kit.ReadDate(r, "consent_on")
	form := s.views.Form("candidate", pg, "candidate_number", "picture_of_need", "ehcp_confirms", "consent_on")
	fe := sen.FieldErrors{}
	var msg string
	if pg.C.ConsentOn, msg = pg.Consent.Parse("Date the candidate was informed", false); msg != "" {
		fe.Add("consent_on", msg)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveExamCandidate(r.Context(), c.Actor, &pg.C); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-candidate")
	http.Redirect(w, r, pupilURL(pg.V.Pupil.ID)+"#candidate", http.StatusSeeOther)
	return nil
}

// scoreRows is how many score lines the assessment form offers.
const scoreRows = 8

type scoreField struct {
	N                 int
	Test, Area, Score string
	On                kit.DateField
	TestKey, OnKey    string
	AreaKey, ScoreKey string
}

type assessmentPage struct {
	kit.Page
	Pupil             sen.Pupil
	A                 domain.Assessment
	Assessed, Checked kit.DateField
	Scores            []scoreField
	Areas             sen.Options
	Thresholds        domain.Thresholds
}

func newScoreFields() []scoreField {
	out := make([]scoreField, scoreRows)
	for i := range out {
		k := "scores." + strconv.Itoa(i+1) + "."
		out[i] = scoreField{N: i + 1, TestKey: k + "test", OnKey: k + "on", AreaKey: k + "area", ScoreKey: k + "score"}
	}
	return out
}

func (s *module) assessmentForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.ExamCandidate(r.Context(), c.Actor, id, "assessment form")
	if err != nil {
		return err
	}
	pg := &assessmentPage{Page: kit.Page{Title: "Assessor's scores: " + v.Pupil.FullName()}, Pupil: v.Pupil, Scores: newScoreFields(), Areas: domain.AreaOptions, Thresholds: v.Thresholds}
	if a := v.Assessment; a != nil {
		pg.A = *a
		pg.Assessed, pg.Checked = kit.DateFieldOf(a.AssessedOn), kit.DateFieldOf(a.CheckedOn)
		for i, sc := range a.Scores {
			if i < scoreRows {
				pg.Scores[i].Test, pg.Scores[i].On, pg.Scores[i].Area, pg.Scores[i].Score = sc.Test, kit.DateFieldOf(sc.TestedOn), sc.Area, strconv.Itoa(sc.Score)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "assessment", pg)
}

func (s *module) assessmentSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.ExamCandidate(r.Context(), c.Actor, id, "assessment form")
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	pg := &assessmentPage{Page: kit.Page{Title: "Assessor's scores: " + v.Pupil.FullName()}, Pupil: v.Pupil, Scores: newScoreFields(), Areas: domain.AreaOptions, Thresholds: v.Thresholds,
		A: domain.Assessment{PupilID: id, Assessor: r.PostFormValue("assessor"), Qualification: r.PostFormValue("qualification"),
			CheckedBy: r.PostFormValue("checked_by"), Findings: r.PostFormValue("findings"), Version: version},
		Assessed: kit.ReadDate(r, "assessed_on"), Checked: kit.ReadDate(r, "checked_on")}
	order := []string{"assessed_on", "assessor", "qualification", "checked_by", "checked_on", "findings"}
	fe := sen.FieldErrors{}
	var msg string
	if pg.A.AssessedOn, msg = pg.Assessed.Parse("Date of the assessment", true); msg != "" {
		fe.Add("assessed_on", msg)
	}
	if pg.A.CheckedOn, msg = pg.Checked.Parse("Date the qualification was checked", false); msg != "" {
		fe.Add("checked_on", msg)
	}
	// The lines typed move up to fill any empty line above them, so the
	// form's line N is the domain's score N and its field errors land on it.
	var typed []scoreField
	for _, f := range pg.Scores {
		f.Test, f.Area, f.Score, f.On = strings.TrimSpace(r.PostFormValue(f.TestKey)), r.PostFormValue(f.AreaKey), strings.TrimSpace(r.PostFormValue(f.ScoreKey)), kit.ReadDate(r, f.OnKey)
		if f.Test == "" && f.Area == "" && f.Score == "" && f.On.Empty() {
			continue // an unused line
		}
		typed = append(typed, f)
	}
	pg.Scores = newScoreFields()
	for i, f := range typed {
		g := &pg.Scores[i]
		g.Test, g.Area, g.Score, g.On = f.Test, f.Area, f.Score, f.On
		order = append(order, g.TestKey, g.OnKey, g.AreaKey, g.ScoreKey)
		sc := domain.Score{Test: g.Test, Area: g.Area, Score: -1}
		if n, err := strconv.Atoi(g.Score); err == nil {
			sc.Score = n
		}
		if sc.TestedOn, msg = g.On.Parse(fmt.Sprintf("Date of test %d", g.N), true); msg != "" {
			fe.Add(g.OnKey, msg)
		}
		pg.A.Scores = append(pg.A.Scores, sc)
	}
	form := s.views.Form("assessment", pg, order...)
	if len(pg.A.Scores) == 0 {
		fe.Add("scores.1.test", "Enter at least one of the assessor's standardised scores")
	}
	if len(fe) > 0 {
		// Show every mistake at once: the domain's checks as well as the dates'.
		for k, m := range pg.A.Validate(v.Pupil.DOB, s.st.Today()) {
			fe.Add(k, m)
		}
		return form.Check(fe)
	}
	if err := s.st.SaveExamAssessment(r.Context(), c.Actor, &pg.A); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-assessment")
	http.Redirect(w, r, pupilURL(id)+"#criterion", http.StatusSeeOther)
	return nil
}

type arrangementPage struct {
	kit.Page
	Pupil   sen.Pupil
	A       domain.Arrangement
	IsNew   bool
	Expires kit.DateField
	Kinds   []domain.Kind
	Status  sen.Options
	Series  []domain.Series
	Saved   *domain.Arrangement
}

// arrangementFor reads the pupil (new arrangement) or the arrangement
// (edit) the path names.
func (s *module) arrangementFor(r *http.Request, c *kit.Ctx) (*arrangementPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	pg := &arrangementPage{Kinds: domain.Kinds, Status: domain.StatusOptions, IsNew: strings.HasPrefix(r.URL.Path, "/pupils/")}
	pupilID := id
	if !pg.IsNew {
		if pg.A, err = s.st.ExamArrangement(r.Context(), c.Actor, id); err != nil {
			return nil, err
		}
		pupilID = pg.A.PupilID
	} else {
		pg.A = domain.Arrangement{PupilID: id, Status: domain.StatusProposed}
	}
	if pg.Pupil, err = s.st.Pupil(r.Context(), c.Actor, pupilID, "exam arrangement form"); err != nil {
		return nil, err
	}
	if pg.Series, err = s.st.ExamSeries(r.Context(), c.Actor); err != nil {
		return nil, err
	}
	pg.Title = "Add an access arrangement: " + pg.Pupil.FullName()
	if !pg.IsNew {
		pg.Title = "Change an access arrangement: " + pg.Pupil.FullName()
	}
	pg.Expires = kit.DateFieldOf(pg.A.Expires)
	return pg, nil
}

func (s *module) arrangementForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.arrangementFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "arrangement", pg)
}

func (s *module) arrangementSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.arrangementFor(r, c)
	if err != nil {
		return err
	}
	saved := pg.A
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	series, _ := strconv.ParseInt(r.PostFormValue("series"), 10, 64)
	pg.A = domain.Arrangement{ID: saved.ID, PupilID: saved.PupilID, Kind: r.PostFormValue("kind"), Detail: r.PostFormValue("detail"), Status: r.PostFormValue("status"),
		ApprovalRef: strings.TrimSpace(r.PostFormValue("approval_ref")), SeriesID: series, Exams: r.PostFormValue("exams"), Room: r.PostFormValue("room"), Version: version}
	if pg.IsNew {
		pg.A.Version = 0
	}
	pg.Expires = kit.ReadDate(r, "expires")
	form := s.views.Form("arrangement", pg, "kind", "detail", "status", "approval_ref", "expires", "series", "exams", "room")
	form.OnConflict = func(*sen.ConflictError) error {
		pg.Saved = &saved
		pg.A.Version = saved.Version
		return nil
	}
	var msg string
	if pg.A.Expires, msg = pg.Expires.Parse("Date the approval expires", false); msg != "" {
		return form.Check(sen.FieldErrors{"expires": msg})
	}
	if err := s.st.SaveExamArrangement(r.Context(), c.Actor, &pg.A); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-arrangement")
	http.Redirect(w, r, pupilURL(pg.A.PupilID)+"#arrangements", http.StatusSeeOther)
	return nil
}

func (s *module) normalLink(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.candidateView(r, c, "link evidence")
	if err != nil {
		return err
	}
	src, _ := strconv.ParseInt(r.PostFormValue("source"), 10, 64)
	form := s.views.Form("candidate", pg, "source")
	form.MissingField, form.MissingMsg = "source", "Choose one of the records listed under normal way of working"
	if err := s.st.LinkExamNormal(r.Context(), c.Actor, pg.V.Pupil.ID, r.PostFormValue("kind"), src); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-linked")
	http.Redirect(w, r, pupilURL(pg.V.Pupil.ID)+"#normal", http.StatusSeeOther)
	return nil
}

type statementPage struct {
	kit.Page
	Pupil sen.Pupil
	N     domain.Normal
	On    kit.DateField
}

func (s *module) statementPupil(r *http.Request, c *kit.Ctx) (*statementPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "exam statement form")
	if err != nil {
		return nil, err
	}
	return &statementPage{Page: kit.Page{Title: "Normal way of working: " + p.FullName()}, Pupil: p, N: domain.Normal{PupilID: id}, On: kit.DateFieldOf(s.st.Today())}, nil
}

func (s *module) statementForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.statementPupil(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "statement", pg)
}

func (s *module) statementSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.statementPupil(r, c)
	if err != nil {
		return err
	}
	pg.N.Subject, pg.N.Text, pg.On = r.PostFormValue("subject"), r.PostFormValue("text"), kit.ReadDate(r, "on")
	form := s.views.Form("statement", pg, "subject", "text", "on")
	var msg string
	if pg.N.On, msg = pg.On.Parse("Date of the statement", true); msg != "" {
		return form.Check(sen.FieldErrors{"on": msg})
	}
	if err := s.st.AddExamStatement(r.Context(), c.Actor, &pg.N); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-statement")
	to := "/pupils/" + strconv.FormatInt(pg.Pupil.ID, 10)
	if c.Can(authz.ExamsRead) {
		to = pupilURL(pg.Pupil.ID) + "#normal"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// form8PDF is the JCQ Form 8 style profile of learning difficulties,
// filled from the record, with the parts the SENCO and the assessor sign.
func (s *module) form8PDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.candidateView(r, c, "Form 8 PDF")
	if err != nil {
		return err
	}
	pg.School = c.School.Name
	pg.Printed = kit.FormatDate(s.st.Today())
	doc, err := s.views.Execute("form8", "form8doc", pg)
	if err != nil {
		return err
	}
	name := "form-8-" + kit.FileSafe(pg.V.Pupil.Surname+"-"+pg.V.Pupil.Forename) + ".pdf"
	return s.k.SendPDF(w, r, doc, name, pdf.Footer{Left: c.School.Name + " – " + pg.V.Pupil.FullName() + " – Form 8 (kept on file by the centre)", Right: "Printed " + pg.Printed})
}
