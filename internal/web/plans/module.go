// Package plans is the web module of the graduated approach (issue 4):
// concerns and their triage, the assessment timeline, SEN support plans in
// assess–plan–do–review cycles with reviews, amendments and the do-log,
// pupil passports, the SENCO dashboard and "My pupils with SEN". Its domain
// is internal/plans (imported as domain), its SQL internal/store/plans.go
// and internal/store/concerns.go.
package plans

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/plans"
	"opensend/internal/readability"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

//go:embed templates
var templateFS embed.FS

// module holds the handlers' shared services.
type module struct {
	k     *kit.Kit
	st    *store.Store
	views *kit.Views
}

// Who may reach the module's routes, written by hand for the route × role
// matrix test (never derived from authz).
var (
	readers  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	leads    = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	withSLT  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	teachers = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher, sen.RoleTA}
)

// funcs are the module's template functions.
var funcs = template.FuncMap{
	"spReadability": readability.Analyse,
	"spAreas": func(codes []string) string {
		var out []string
		for _, c := range codes {
			out = append(out, sen.AreaLabel(c))
		}
		return strings.Join(out, "; ")
	},
	"spKind":   domain.KindLabel,
	"spShared": func(sh domain.Sharing, key string) bool { return sh.Get(key) },
}

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, funcs)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "plans",
		Routes: []kit.Route{
			{Pattern: "GET /concerns", Action: authz.ConcernTriage, Handler: s.spConcernQueue, Allow: withSLT},
			{Pattern: "GET /my-concerns", Action: authz.ConcernRaise, Handler: s.spMyConcerns, Allow: readers},
			{Pattern: "GET /pupils/{id}/concerns/new", Action: authz.ConcernRaise, Handler: s.spConcernNew, Allow: readers, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/concerns/new", Action: authz.ConcernRaise, Handler: s.spConcernCreate, Allow: readers, ID: kit.IDPupil},
			{Pattern: "GET /concerns/{id}", Action: authz.ConcernTriage, Handler: s.spConcernShow, Allow: withSLT, ID: kit.IDConcern},
			{Pattern: "POST /concerns/{id}/decide", Action: authz.ConcernDecide, Handler: s.spConcernDecide, Allow: leads, ID: kit.IDConcern},
			{Pattern: "POST /concerns/{id}/monitoring-review", Action: authz.ConcernDecide, Handler: s.spMonitoringReview, Allow: leads, ID: kit.IDConcern},
			{Pattern: "GET /concerns/{id}/attachments/{att}", Action: authz.ConcernTriage, Handler: s.spConcernAttachment, Allow: withSLT, ID: kit.IDAttachment},
			{Pattern: "GET /pupils/{id}/evidence", Action: authz.EvidenceRead, Handler: s.spEvidence, Allow: withSLT, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/evidence/new", Action: authz.EvidenceWrite, Handler: s.spEvidenceNew, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/evidence/new", Action: authz.EvidenceWrite, Handler: s.spEvidenceCreate, Allow: leads, ID: kit.IDPupil},

			{Pattern: "GET /pupils/{id}/plan", Action: authz.PlanRead, Handler: s.spPupilPlan, Allow: readers, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/plan", Action: authz.PlanWrite, Handler: s.spPlanCreate, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /plans/{id}", Action: authz.PlanRead, Handler: s.spPlanShow, Allow: readers, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/pdf", Action: authz.PlanRead, Handler: s.spPlanPDF, Allow: readers, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/edit", Action: authz.PlanWrite, Handler: s.spPlanEdit, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/edit", Action: authz.PlanWrite, Handler: s.spPlanSave, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/outcomes/new", Action: authz.PlanWrite, Handler: s.spOutcomeNew, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/outcomes/new", Action: authz.PlanWrite, Handler: s.spOutcomeCreate, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/strategies", Action: authz.PlanWrite, Handler: s.spStrategies, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/strategies", Action: authz.PlanWrite, Handler: s.spStrategyAdd, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/support/new", Action: authz.PlanWrite, Handler: s.spSupportNew, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/support/new", Action: authz.PlanWrite, Handler: s.spSupportCreate, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/items/{item}/edit", Action: authz.PlanWrite, Handler: s.spItemEdit, Allow: leads, ID: kit.IDPlanItem},
			{Pattern: "POST /plans/{id}/items/{item}/edit", Action: authz.PlanWrite, Handler: s.spItemSave, Allow: leads, ID: kit.IDPlanItem},
			{Pattern: "GET /plans/{id}/items/{item}/remove", Action: authz.PlanWrite, Handler: s.spItemRemoveConfirm, Allow: leads, ID: kit.IDPlanItem},
			{Pattern: "POST /plans/{id}/items/{item}/remove", Action: authz.PlanWrite, Handler: s.spItemRemove, Allow: leads, ID: kit.IDPlanItem},
			{Pattern: "GET /plans/{id}/template", Action: authz.PlanWrite, Handler: s.spTemplateForm, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/template", Action: authz.PlanWrite, Handler: s.spTemplateSave, Allow: leads, ID: kit.IDCycle},
			{Pattern: "POST /plans/{id}/template/apply", Action: authz.PlanWrite, Handler: s.spTemplateApply, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /strategies", Action: authz.PlanWrite, Handler: s.spBank, Allow: leads},
			{Pattern: "GET /strategies/new", Action: authz.PlanWrite, Handler: s.spBankEdit, Allow: leads},
			{Pattern: "POST /strategies/new", Action: authz.PlanWrite, Handler: s.spBankSave, Allow: leads},
			{Pattern: "GET /strategies/{id}/edit", Action: authz.PlanWrite, Handler: s.spBankEdit, Allow: leads, ID: kit.IDStrategy},
			{Pattern: "POST /strategies/{id}/edit", Action: authz.PlanWrite, Handler: s.spBankSave, Allow: leads, ID: kit.IDStrategy},
			{Pattern: "POST /strategies/{id}/retire", Action: authz.PlanWrite, Handler: s.spBankRetire, Allow: leads, ID: kit.IDStrategy},
			{Pattern: "POST /plans/{id}/activate", Action: authz.PlanWrite, Handler: s.spActivate, Allow: leads, ID: kit.IDCycle},
			{Pattern: "GET /plans/{id}/review", Action: authz.PlanWrite, Handler: s.spReviewForm, Allow: leads, ID: kit.IDActiveCycle},
			{Pattern: "POST /plans/{id}/review", Action: authz.PlanWrite, Handler: s.spReviewSave, Allow: leads, ID: kit.IDActiveCycle},
			{Pattern: "GET /plans/{id}/review/pdf", Action: authz.PlanRead, Handler: s.spReviewPDF, Allow: readers, ID: kit.IDReviewed},
			{Pattern: "GET /plans/{id}/amend", Action: authz.PlanWrite, Handler: s.spAmendForm, Allow: leads, ID: kit.IDReviewed},
			{Pattern: "POST /plans/{id}/amend", Action: authz.PlanWrite, Handler: s.spAmendSave, Allow: leads, ID: kit.IDReviewed},
			{Pattern: "POST /plans/{id}/log", Action: authz.DoLogWrite, Handler: s.spLogAdd, Allow: teachers, ID: kit.IDCycle},
			{Pattern: "GET /pupils/{id}/passport", Action: authz.PlanRead, Handler: s.spPassport, Allow: readers, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/passport/pdf", Action: authz.PlanRead, Handler: s.spPassportPDF, Allow: readers, ID: kit.IDPassport},
			{Pattern: "GET /pupils/{id}/passport/edit", Action: authz.PlanWrite, Handler: s.spPassportEdit, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/passport/edit", Action: authz.PlanWrite, Handler: s.spPassportSave, Allow: leads, ID: kit.IDPupil},

			{Pattern: "GET /senco", Action: authz.SencoDashboard, Handler: s.spSencoDashboard, Allow: withSLT},
			{Pattern: "GET /my-pupils", Action: authz.MyPupilsRead, Handler: s.spMyPupils, Allow: readers},
		},
		Nav: []kit.NavItem{
			{Href: "/senco", Label: "SENCO dashboard", Action: authz.SencoDashboard, Group: kit.NavToday, Order: 10},
			{Href: "/concerns", Label: "Concerns", Action: authz.ConcernTriage, Group: kit.NavSupport, Order: 20},
			{Href: "/my-concerns", Label: "My concerns", Action: authz.ConcernRaise, Group: kit.NavSupport, Order: 25},
			{Href: "/my-pupils", Label: "My pupils with SEN", Action: authz.MyPupilsRead, Group: kit.NavPupils, Order: 50},
			{Href: "/strategies", Label: "Strategies bank", Action: authz.PlanWrite, Group: kit.NavSupport, Order: 55},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"concern-raised":    "Concern sent to the SENCO",
			"concern-decided":   "Decision recorded",
			"monitoring-review": "Monitoring review started: record your decision below",
			"evidence-added":    "Evidence added to the timeline",
			"plan-created":      "Support plan started",
			"plan-saved":        "Plan saved",
			"outcome-added":     "Outcome added",
			"strategy-added":    "Strategy added",
			"support-added":     "Support added",
			"item-removed":      "Removed from the plan",
			"item-saved":        "Change saved",
			"template-saved":    "Template saved: choose it when you start a plan",
			"template-applied":  "Template added to the plan: write this pupil's baselines for its outcomes",
			"bank-saved":        "Strategy saved in the school's bank",
			"bank-retired":      "Strategy retired: it is no longer offered for new plans",
			"bank-restored":     "Strategy restored to the bank",
			"plan-active":       "The plan is now active",
			"review-done":       "Review recorded. The cycle is locked and the next cycle has been opened as a draft",
			"amended":           "Amendment recorded",
			"log-added":         "Log entry saved",
			"passport-saved":    "Passport saved",
		},
		Evidence: []kit.EvidenceSource{s.evidenceGraduated},
	}, nil
}

// pupilSections are the module's links on a pupil's page (between them,
// at 30, the EHC module's).
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	id := strconv.FormatInt(p.ID, 10)
	var out []kit.Section
	if c.Can(authz.ConcernRaise) {
		out = append(out, kit.Section{Order: 10, Href: "/pupils/" + id + "/concerns/new", Label: "Raise a concern about this pupil"})
	}
	if c.Can(authz.EvidenceRead) {
		out = append(out, kit.Section{Order: 20, Href: "/pupils/" + id + "/evidence", Label: "Assessment evidence and concerns"})
	}
	if c.Can(authz.PlanRead) && p.Status != sen.StatusNone {
		out = append(out, kit.Section{Order: 40, Href: "/pupils/" + id + "/plan", Label: "SEN support plan"},
			kit.Section{Order: 50, Href: "/pupils/" + id + "/passport", Label: "Pupil passport (one-page profile)"})
	}
	return out
}

// render writes one of the module's pages.
func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}
