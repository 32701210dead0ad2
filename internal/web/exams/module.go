// Package exams is the web module of exam access arrangements (issue 15,
// JCQ): the register with its reminders, each candidate's arrangements and
// evidence (the assessor's scores and the 25% extra time criterion, an EHC
// plan, normal way of working), the Form 8 PDF, the school's exam series
// and the invigilators' lists (PDF and CSV). Its domain is internal/exams
// (imported as domain), its SQL internal/store/exams*.go.
package exams

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"

	"opensend/internal/authz"
	domain "opensend/internal/exams"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

//go:embed templates
var templateFS embed.FS

type module struct {
	k     *kit.Kit
	st    *store.Store
	views *kit.Views
}

// Who may reach the module's routes, written by hand for the route × role
// matrix test (never derived from authz). Arrangements are SEN records: the
// SENCO and deputy keep them, the head teacher reads them. Teachers add
// normal-way-of-working statements for the candidates they teach (JCQ: the
// evidence comes from teachers, fact sheet §6.1). TAs, office staff and
// governors have no part: the fact sheet gives them none (invigilators get
// the printed list from the SENCO or exams officer).
var (
	readers    = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	leads      = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	statements = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher}
)

var funcs = template.FuncMap{
	"eaKind":    domain.KindLabel,
	"eaStatus":  func(code string) string { return domain.StatusOptions.Label(code) },
	"eaArea":    func(code string) string { return domain.AreaOptions.Label(code) },
	"eaNormal":  func(code string) string { return domain.NormalKinds.Label(code) },
	"eaSession": func(code string) string { return domain.SessionOptions.Label(code) },
	"eaKindOf": func(code string) domain.Kind {
		k, _ := domain.KindOf(code)
		return k
	},
}

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, funcs)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "exams",
		Routes: []kit.Route{
			{Pattern: "GET /exams", Action: authz.ExamsRead, Handler: s.register, Allow: readers},
			{Pattern: "GET /pupils/{id}/exams", Action: authz.ExamsRead, Handler: s.candidate, Allow: readers, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/exams/form8.pdf", Action: authz.ExamsRead, Handler: s.form8PDF, Allow: readers, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/exams/candidate", Action: authz.ExamsWrite, Handler: s.candidateSave, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/exams/assessment", Action: authz.ExamsWrite, Handler: s.assessmentForm, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/exams/assessment", Action: authz.ExamsWrite, Handler: s.assessmentSave, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/exams/arrangements/new", Action: authz.ExamsWrite, Handler: s.arrangementForm, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/exams/arrangements/new", Action: authz.ExamsWrite, Handler: s.arrangementSave, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /exams/arrangements/{id}/edit", Action: authz.ExamsWrite, Handler: s.arrangementForm, Allow: leads, ID: kit.IDExamArrangement},
			{Pattern: "POST /exams/arrangements/{id}/edit", Action: authz.ExamsWrite, Handler: s.arrangementSave, Allow: leads, ID: kit.IDExamArrangement},
			{Pattern: "POST /pupils/{id}/exams/normal/link", Action: authz.ExamsWrite, Handler: s.normalLink, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/exams/statement", Action: authz.ExamsStatement, Handler: s.statementForm, Allow: statements, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/exams/statement", Action: authz.ExamsStatement, Handler: s.statementSave, Allow: statements, ID: kit.IDPupil},

			{Pattern: "GET /exams/series", Action: authz.ExamsRead, Handler: s.seriesList, Allow: readers},
			{Pattern: "POST /exams/series", Action: authz.ExamsWrite, Handler: s.seriesSave, Allow: leads},
			{Pattern: "POST /exams/thresholds", Action: authz.ExamsWrite, Handler: s.thresholdsSave, Allow: leads},
			{Pattern: "GET /exams/series/{id}", Action: authz.ExamsRead, Handler: s.seriesShow, Allow: readers, ID: kit.IDExamSeries},
			{Pattern: "POST /exams/series/{id}", Action: authz.ExamsWrite, Handler: s.seriesSave, Allow: leads, ID: kit.IDExamSeries},
			{Pattern: "POST /exams/series/{id}/sittings", Action: authz.ExamsWrite, Handler: s.sittingAdd, Allow: leads, ID: kit.IDExamSeries},
			{Pattern: "GET /exams/sittings/{id}", Action: authz.ExamsRead, Handler: s.invigilators, Allow: readers, ID: kit.IDExamSitting},
			{Pattern: "GET /exams/sittings/{id}/invigilators.pdf", Action: authz.ExamsRead, Handler: s.invigilatorsPDF, Allow: readers, ID: kit.IDExamSitting},
			{Pattern: "GET /exams/sittings/{id}/invigilators.csv", Action: authz.ExamsRead, Handler: s.invigilatorsCSV, Allow: readers, ID: kit.IDExamSitting},
		},
		Nav: []kit.NavItem{
			{Href: "/exams", Label: "Exam access arrangements", Action: authz.ExamsRead, Group: kit.NavSupport, Order: 80},
		},
		Sections: s.pupilSections,
		Flashes: map[string]string{
			"ea-candidate":   "Candidate's details saved",
			"ea-assessment":  "Assessment and scores saved",
			"ea-arrangement": "Access arrangement saved",
			"ea-statement":   "Statement saved: the SENCO will see it with the candidate's evidence",
			"ea-linked":      "Kept as normal way of working evidence",
			"ea-series":      "Exam series saved",
			"ea-thresholds":  "Score thresholds saved",
			"ea-sitting":     "Exam added to the series",
		},
	}, nil
}

// pupilSections, for pupils from Year 9 (the earliest an assessment may
// be, fact sheet §6.4): the candidate's page for those who read
// arrangements; for a teacher, the statement form.
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	id := strconv.FormatInt(p.ID, 10)
	if !examYear(p.YearGroup) {
		return nil
	}
	if c.Can(authz.ExamsRead) {
		return []kit.Section{{Order: 60, Href: "/pupils/" + id + "/exams", Label: "Exam access arrangements"}}
	}
	if c.Can(authz.ExamsStatement) {
		return []kit.Section{{Order: 60, Href: "/pupils/" + id + "/exams/statement", Label: "Add a normal way of working statement for exams"}}
	}
	return nil
}

func examYear(y string) bool {
	n, err := strconv.Atoi(y)
	return err == nil && n >= 9
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

func pupilURL(id int64) string { return "/pupils/" + strconv.FormatInt(id, 10) + "/exams" }
