// Package schoolsen is the web module of the school's own SEN duties (issue
// 16): staff training and expertise with suggested training, the SENCO's
// qualification deadline, the SEN policy, the SEN information report (edited
// by the SENCO and published as an open page with no sign-in), the
// accessibility plan and each pupil's reasonable adjustments. Its domain is
// internal/schoolsen (imported as domain), its SQL
// internal/store/schoolsen*.go.
package schoolsen

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"opensend/internal/authz"
	"opensend/internal/readability"
	domain "opensend/internal/schoolsen"
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
// matrix test (never derived from authz).
var (
	leads   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	withSLT = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	staff   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	// everyone: the published report is open, signed in or not.
	everyone = sen.Roles
)

var funcs = template.FuncMap{
	"ssHours":    domain.HoursLabel,
	"ssStrand":   domain.Strands.Label,
	"ssProgress": domain.ProgressStates.Label,
	"ssQual":     domain.Qualifications.Label,
	"ssKind":     domain.SkillKinds.Label,
	"ssHas":      func(ids []int64, id int64) bool { return contains(ids, id) },
	"ssRead":     readability.Analyse,
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, funcs)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "schoolsen",
		Routes: []kit.Route{
			{Pattern: "GET /staff-training", Action: authz.SchoolSENRead, Handler: s.training, Allow: withSLT},
			{Pattern: "GET /staff-training/sessions/new", Action: authz.SchoolSENWrite, Handler: s.sessionForm, Allow: leads},
			{Pattern: "POST /staff-training/sessions/new", Action: authz.SchoolSENWrite, Handler: s.sessionSave, Allow: leads},
			{Pattern: "GET /staff-training/sessions/{id}", Action: authz.SchoolSENWrite, Handler: s.sessionForm, Allow: leads, ID: kit.IDTrainingSession},
			{Pattern: "POST /staff-training/sessions/{id}", Action: authz.SchoolSENWrite, Handler: s.sessionSave, Allow: leads, ID: kit.IDTrainingSession},
			{Pattern: "GET /staff-training/skills/new", Action: authz.SchoolSENWrite, Handler: s.skillForm, Allow: leads},
			{Pattern: "POST /staff-training/skills/new", Action: authz.SchoolSENWrite, Handler: s.skillSave, Allow: leads},
			{Pattern: "POST /staff-training/skills/{id}/remove", Action: authz.SchoolSENWrite, Handler: s.skillRemove, Allow: leads, ID: kit.IDStaffSkill},
			{Pattern: "GET /my-training", Action: authz.TrainingOwn, Handler: s.myTraining, Allow: staff},

			{Pattern: "GET /senco-qualification", Action: authz.SchoolSENRead, Handler: s.posts, Allow: withSLT},
			{Pattern: "GET /senco-qualification/new", Action: authz.SchoolSENWrite, Handler: s.postForm, Allow: leads},
			{Pattern: "POST /senco-qualification/new", Action: authz.SchoolSENWrite, Handler: s.postSave, Allow: leads},
			{Pattern: "GET /senco-qualification/{id}", Action: authz.SchoolSENWrite, Handler: s.postForm, Allow: leads, ID: kit.IDSencoPost},
			{Pattern: "POST /senco-qualification/{id}", Action: authz.SchoolSENWrite, Handler: s.postSave, Allow: leads, ID: kit.IDSencoPost},

			{Pattern: "GET /sen-policy", Action: authz.SchoolSENRead, Handler: s.policy, Allow: withSLT},
			{Pattern: "POST /sen-policy", Action: authz.SchoolSENWrite, Handler: s.policyUpload, Allow: leads},
			{Pattern: "POST /sen-policy/review", Action: authz.SchoolSENWrite, Handler: s.policyReview, Allow: leads},
			{Pattern: "GET /sen-policy/files/{id}", Action: authz.SchoolSENRead, Handler: s.policyFile, Allow: withSLT, ID: kit.IDPolicyFile},

			{Pattern: "GET /sen-information-report", Action: authz.SchoolSENRead, Handler: s.report, Allow: withSLT},
			{Pattern: "GET /sen-information-report/details", Action: authz.SchoolSENWrite, Handler: s.detailsForm, Allow: leads},
			{Pattern: "POST /sen-information-report/details", Action: authz.SchoolSENWrite, Handler: s.detailsSave, Allow: leads},
			{Pattern: "GET /sen-information-report/sections/{item}", Action: authz.SchoolSENWrite, Handler: s.sectionForm, Allow: leads, ID: kit.IDReportItem},
			{Pattern: "POST /sen-information-report/sections/{item}", Action: authz.SchoolSENWrite, Handler: s.sectionSave, Allow: leads, ID: kit.IDReportItem},
			{Pattern: "POST /sen-information-report/publish", Action: authz.SchoolSENWrite, Handler: s.publish, Allow: leads},
			{Pattern: "GET /sen-information-report/pdf", Action: authz.SchoolSENRead, Handler: s.reportPDF, Allow: withSLT},
			// The published report: open to everyone, with no sign-in and
			// no pupil data ({school} is the report's slug: the URN).
			{Pattern: "GET /schools/{school}/sen-information-report", Handler: s.public, Allow: everyone, ID: kit.IDPublicReport},
			{Pattern: "GET /schools/{school}/sen-information-report/pdf", Handler: s.publicPDF, Allow: everyone, ID: kit.IDPublicReport},

			{Pattern: "GET /accessibility-plan", Action: authz.SchoolSENRead, Handler: s.access, Allow: withSLT},
			{Pattern: "POST /accessibility-plan", Action: authz.SchoolSENWrite, Handler: s.accessPeriod, Allow: leads},
			{Pattern: "GET /accessibility-plan/actions/new", Action: authz.SchoolSENWrite, Handler: s.actionForm, Allow: leads},
			{Pattern: "POST /accessibility-plan/actions/new", Action: authz.SchoolSENWrite, Handler: s.actionSave, Allow: leads},
			{Pattern: "GET /accessibility-plan/actions/{id}", Action: authz.SchoolSENWrite, Handler: s.actionForm, Allow: leads, ID: kit.IDAccessAction},
			{Pattern: "POST /accessibility-plan/actions/{id}", Action: authz.SchoolSENWrite, Handler: s.actionSave, Allow: leads, ID: kit.IDAccessAction},

			{Pattern: "GET /pupils/{id}/adjustments", Action: authz.SchoolSENRead, Handler: s.adjustments, Allow: withSLT, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/adjustments/new", Action: authz.SchoolSENWrite, Handler: s.adjustmentForm, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/adjustments/new", Action: authz.SchoolSENWrite, Handler: s.adjustmentSave, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /adjustments/{id}", Action: authz.SchoolSENWrite, Handler: s.adjustmentForm, Allow: leads, ID: kit.IDAdjustment},
			{Pattern: "POST /adjustments/{id}", Action: authz.SchoolSENWrite, Handler: s.adjustmentSave, Allow: leads, ID: kit.IDAdjustment},
		},
		Nav: []kit.NavItem{
			{Href: "/sen-information-report", Label: "SEN information report", Action: authz.SchoolSENRead, Group: kit.NavSettings, Order: 130},
			{Href: "/sen-policy", Label: "SEN policy", Action: authz.SchoolSENRead, Group: kit.NavSettings, Order: 131},
			{Href: "/senco-qualification", Label: "SENCO qualification", Action: authz.SchoolSENRead, Group: kit.NavSettings, Order: 132},
			{Href: "/staff-training", Label: "Staff training", Action: authz.SchoolSENRead, Group: kit.NavSettings, Order: 133},
			{Href: "/accessibility-plan", Label: "Accessibility plan", Action: authz.SchoolSENRead, Group: kit.NavSettings, Order: 134},
			{Href: "/my-training", Label: "My training", Action: authz.TrainingOwn, Group: kit.NavSettings, Order: 135},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"ss-session-saved":   "Training session saved",
			"ss-skill-saved":     "Qualification or skill recorded",
			"ss-skill-removed":   "Qualification or skill removed",
			"ss-post-saved":      "SENCO record saved",
			"ss-policy-uploaded": "New version of the SEN policy uploaded",
			"ss-policy-review":   "Next review date saved",
			"ss-details-saved":   "Report details saved",
			"ss-section-saved":   "Section saved",
			"ss-published":       "The SEN information report is published on its public page",
			"ss-unpublished":     "The SEN information report is no longer on its public page",
			"ss-period-saved":    "Plan dates saved",
			"ss-action-saved":    "Action saved",
			"ss-adjust-saved":    "Reasonable adjustment saved",
		},
	}, nil
}

// pupilSections adds the reasonable adjustments to a pupil's page.
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	if !c.Can(authz.SchoolSENRead) {
		return nil
	}
	return []kit.Section{{Order: 60, Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/adjustments", Label: "Reasonable adjustments (Equality Act 2010)"}}
}

// homeWidgets reminds the SENCO and the head of the qualification deadline,
// the policy's and the report's reviews and late accessibility actions.
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	if !c.Can(authz.SchoolSENRead) {
		return nil, nil
	}
	d, err := s.st.SchoolDutyReminders(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	today := s.st.Today()
	var items []kit.WidgetItem
	for _, p := range d.Posts {
		if !p.Left.IsZero() {
			continue
		}
		ck := p.Deadline(today)
		if ck.Remind {
			items = append(items, kit.WidgetItem{Label: "SENCO qualification for " + p.Name + " (reg 49)", Href: "/senco-qualification",
				Text: ck.Standing.Label() + " by " + kit.FormatDate(ck.Deadline), Warn: true})
		}
	}
	if due := domain.ReviewDue(d.PolicyReview, today); due.Remind() {
		items = append(items, kit.WidgetItem{Label: "SEN policy review on " + kit.FormatDate(d.PolicyReview), Href: "/sen-policy", Text: due.Label(), Warn: due == domain.DueOverdue})
	}
	if d.HasReport && d.Report.Published {
		if due := domain.ReviewDue(d.Report.NextReview(), today); due.Remind() || d.Report.LastReviewed.IsZero() {
			label := "SEN information report: review it each year"
			if !d.Report.LastReviewed.IsZero() {
				label = "SEN information report review on " + kit.FormatDate(d.Report.NextReview())
			}
			items = append(items, kit.WidgetItem{Label: label, Href: "/sen-information-report", Text: due.Label(), Warn: due == domain.DueOverdue || due == domain.DueNone})
		}
	} else {
		items = append(items, kit.WidgetItem{Label: "SEN information report not yet published", Href: "/sen-information-report", Text: "Not published", Warn: true})
	}
	if d.LateActions > 0 {
		items = append(items, kit.WidgetItem{Label: "Accessibility plan " + sen.Noun(d.LateActions, "action", "actions") + " past " + sen.Noun(d.LateActions, "its", "their") + " date", Href: "/accessibility-plan", Count: d.LateActions, Warn: true})
	}
	if len(items) == 0 {
		return nil, nil
	}
	return []kit.Widget{{Order: 60, Title: "The school's SEN duties", Items: items}}, nil
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

// readDate parses a date field; errors go in fe under field.
func readDate(r *http.Request, fe sen.FieldErrors, field, label string, required bool) (time.Time, kit.DateField) {
	df := kit.ReadDate(r, field)
	t, msg := df.Parse(label, required)
	if msg != "" {
		fe.Add(field, msg)
	}
	return t, df
}
