// Package records is the web module of records management (issue 17): the
// school's retention rules, the disposal list with its review and
// confirmation, disposal certificates, and legal holds on a pupil's
// records. Its domain is internal/records (imported as domain), its SQL
// internal/store/records.go.
package records

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	"opensend/internal/pdf"
	domain "opensend/internal/records"
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

// Who may reach the module's routes, by hand for the route × role matrix.
var (
	leads = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	senco = []sen.Role{sen.RoleSENCO}
)

var funcs = template.FuncMap{
	"rcKind":  domain.KindLabel,
	"rcBasis": domain.Bases.Label,
	"rcRef":   domain.PupilRef,
	"rcEditable": func(kind string) bool {
		return domain.Editable(kind)
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
		Name: "records",
		Routes: []kit.Route{
			{Pattern: "GET /records", Action: authz.RecordsDispose, Handler: s.disposalList, Allow: leads},
			{Pattern: "GET /records/rules", Action: authz.RecordsDispose, Handler: s.rules, Allow: leads},
			{Pattern: "GET /records/rule", Action: authz.RecordsRules, Handler: s.ruleEdit, Allow: senco},
			{Pattern: "POST /records/rule", Action: authz.RecordsRules, Handler: s.ruleSave, Allow: senco},
			{Pattern: "GET /records/disposal/{id}", Action: authz.RecordsDispose, Handler: s.review, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /records/disposal/{id}", Action: authz.RecordsDispose, Handler: s.dispose, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /records/certificates", Action: authz.RecordsDispose, Handler: s.certificates, Allow: leads},
			{Pattern: "GET /records/certificates/{id}", Action: authz.RecordsDispose, Handler: s.certificate, Allow: leads, ID: kit.IDCertificate},
			{Pattern: "GET /records/certificates/{id}/pdf", Action: authz.RecordsDispose, Handler: s.certificatePDF, Allow: leads, ID: kit.IDCertificate},
			{Pattern: "GET /pupils/{id}/retention", Action: authz.RecordsDispose, Handler: s.pupilRetention, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/legal-hold", Action: authz.RecordsDispose, Handler: s.placeHold, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /records/holds/{id}/lift", Action: authz.RecordsDispose, Handler: s.liftHold, Allow: leads, ID: kit.IDLegalHold},
		},
		Nav: []kit.NavItem{
			{Href: "/records", Label: "Records retention and disposal", Action: authz.RecordsDispose, Group: kit.NavSettings, Order: 140},
		},
		Sections: s.pupilSections,
		Flashes: map[string]string{
			"rule-saved":  "Retention rule saved",
			"disposed":    "The records were destroyed. This certificate is all that remains of them",
			"hold-placed": "Legal hold placed: the pupil's records cannot be disposed of until it is lifted",
			"hold-lifted": "Legal hold lifted",
		},
	}, nil
}

// pupilSections links the pupil's page to their retention page, saying so
// when the records are under a legal hold.
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	if !c.Can(authz.RecordsDispose) {
		return nil
	}
	label := "Records retention and legal hold"
	if held, err := s.st.UnderHold(context.Background(), c.Actor, p.ID); err == nil && held {
		label = "Records retention: under a legal hold"
	}
	return []kit.Section{{Order: 90, Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/retention", Label: label}}
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

type listPage struct {
	kit.Page
	L        store.DisposalList
	CanRules bool
}

func (s *module) disposalList(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	l, err := s.st.Disposal(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "disposal", &listPage{Page: kit.Page{Title: "Records retention and disposal"}, L: l, CanRules: c.Can(authz.RecordsRules)})
}

type rulesPage struct {
	kit.Page
	Rules    []domain.Rule
	CanRules bool
	R        domain.Rule
	Bases    sen.Options
	Years    string
	Saved    *domain.Rule
}

func (s *module) rules(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rules, err := s.st.RetentionRules(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rules", &rulesPage{Page: kit.Page{Title: "Retention rules"}, Rules: rules, CanRules: c.Can(authz.RecordsRules)})
}

// editableRule reads the rule the form names (?kind= or the kind field);
// a kind the school cannot set is not found.
func (s *module) editableRule(r *http.Request, c *kit.Ctx, kind string) (domain.Rule, error) {
	if !domain.Editable(kind) {
		return domain.Rule{}, sen.ErrNotFound
	}
	return s.st.RetentionRule(r.Context(), c.Actor, kind)
}

func (s *module) ruleEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	kind := r.URL.Query().Get("kind")
	if kind == "" {
		kind = domain.KindSENFile
	}
	cur, err := s.editableRule(r, c, kind)
	if err != nil {
		return err
	}
	pg := &rulesPage{Page: kit.Page{Title: "Change the retention rule: " + domain.KindLabel(kind)}, R: cur, Bases: domain.AllowedBases(kind)}
	if cur.Years > 0 {
		pg.Years = strconv.Itoa(cur.Years)
	}
	return s.render(w, r, http.StatusOK, "rule_edit", pg)
}

func (s *module) ruleSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	kind := r.PostFormValue("kind")
	if kind == "" {
		kind = domain.KindSENFile
	}
	cur, err := s.editableRule(r, c, kind)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	yearsText := strings.TrimSpace(r.PostFormValue("years"))
	years, yerr := strconv.Atoi(yearsText)
	rule := domain.Rule{Kind: kind, Basis: r.PostFormValue("basis"), Years: years, Source: r.PostFormValue("source"), Version: version}
	pg := &rulesPage{Page: kit.Page{Title: "Change the retention rule: " + domain.KindLabel(kind)}, R: rule, Bases: domain.AllowedBases(kind), Years: yearsText}
	form := s.views.Form("rule_edit", pg, "basis", "years", "source")
	form.OnConflict = func(*sen.ConflictError) error {
		saved := cur
		pg.Saved, pg.R.Version = &saved, saved.Version
		return nil
	}
	if yerr != nil && yearsText != "" && rule.Basis != domain.BasisWithFile {
		return form.Check(sen.FieldErrors{"years": "Enter the number of years as a whole number, like 31"})
	}
	if err := s.st.SaveRetentionRule(r.Context(), c.Actor, &rule); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "rule-saved")
	http.Redirect(w, r, "/records/rules#rule-"+kind, http.StatusSeeOther)
	return nil
}

type reviewPage struct {
	kit.Page
	It store.DisposalItem
}

func (s *module) reviewItem(r *http.Request, c *kit.Ctx, kind string) (*reviewPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	if kind == "" {
		kind = domain.KindSENFile
	}
	it, err := s.st.DisposalReview(r.Context(), c.Actor, id, kind)
	if err != nil {
		return nil, err
	}
	return &reviewPage{Page: kit.Page{Title: "Dispose of records: " + it.Pupil.FullName()}, It: it}, nil
}

func (s *module) review(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.reviewItem(r, c, r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "review", pg)
}

func (s *module) dispose(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.reviewItem(r, c, r.PostFormValue("kind"))
	if err != nil {
		return err
	}
	form := s.views.Form("review", pg, "confirm")
	if r.PostFormValue("confirm") != "yes" {
		return form.Check(domain.ErrNotConfirmed())
	}
	cert, err := s.st.Dispose(r.Context(), c.Actor, pg.It.Pupil.ID, pg.It.Kind)
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "disposed")
	http.Redirect(w, r, "/records/certificates/"+strconv.FormatInt(cert, 10), http.StatusSeeOther)
	return nil
}

type certsPage struct {
	kit.Page
	Certs []domain.Certificate
	C     domain.Certificate
}

func (s *module) certificates(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	certs, err := s.st.Certificates(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "certificates", &certsPage{Page: kit.Page{Title: "Disposal certificates"}, Certs: certs})
}

func (s *module) certificate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	cert, err := s.st.Certificate(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "certificate", &certsPage{Page: kit.Page{Title: "Disposal certificate " + strconv.FormatInt(cert.ID, 10)}, C: cert})
}

// certificatePDF is the certificate as a PDF, to file or print.
func (s *module) certificatePDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	cert, err := s.st.Certificate(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	doc, err := s.views.Execute("certificate_doc", "certdoc", struct {
		C          domain.Certificate
		SchoolName string
	}{cert, c.School.Name})
	if err != nil {
		return err
	}
	return s.k.SendPDF(w, r, doc, "disposal-certificate-"+strconv.FormatInt(cert.ID, 10)+".pdf",
		pdf.Footer{Left: c.School.Name + " – disposal certificate " + strconv.FormatInt(cert.ID, 10), Right: "Printed " + s.st.Today().Format("2 January 2006")})
}

type retentionPage struct {
	kit.Page
	R      store.PupilRetention
	Active *domain.Hold
	Reason string
	// LiftID is the hold whose lift form failed, to show its error there.
	LiftID int64
}

func (s *module) retention(r *http.Request, c *kit.Ctx, id int64) (*retentionPage, error) {
	ret, err := s.st.PupilRetention(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	pg := &retentionPage{Page: kit.Page{Title: "Records retention: " + ret.Pupil.FullName()}, R: ret}
	for i := range ret.Holds {
		if ret.Holds[i].Active() {
			pg.Active = &ret.Holds[i]
		}
	}
	return pg, nil
}

func (s *module) pupilRetention(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.retention(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "retention", pg)
}

func (s *module) placeHold(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.retention(r, c, id)
	if err != nil {
		return err
	}
	pg.Reason = r.PostFormValue("reason")
	if _, err := s.st.PlaceHold(r.Context(), c.Actor, id, pg.Reason); err != nil {
		return s.views.Form("retention", pg, "reason").Fail(err)
	}
	s.k.SetFlash(w, "hold-placed")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10)+"/retention", http.StatusSeeOther)
	return nil
}

func (s *module) liftHold(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	holdID, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pupil, err := s.st.HoldPupil(r.Context(), c.Actor, holdID)
	if err != nil {
		return err
	}
	pg, err := s.retention(r, c, pupil)
	if err != nil {
		return err
	}
	pg.LiftID = holdID
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	form := s.views.Form("retention", pg, "liftReason")
	form.Fields = map[string]string{"reason": "liftReason"}
	if err := s.st.LiftHold(r.Context(), c.Actor, holdID, version, r.PostFormValue("liftReason")); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "hold-lifted")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(pupil, 10)+"/retention", http.StatusSeeOther)
	return nil
}
