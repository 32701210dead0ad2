// Package ehc is the web module of EHC work (issue 5): needs-assessment
// requests and their statutory timeline, EHC plans with Sections B, E and F
// and Section F delivery, annual reviews with invitations, advice and the
// report, phase transfers, review letters for the office, the statutory
// calendar and its iCalendar feed, and the evidence pack for the local
// authority. Its domain is internal/ehc (imported as domain), its SQL
// internal/store/ehc_*.go.
package ehc

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
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
	everyone  = sen.Roles
	leads     = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	withSLT   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	deliverer = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	letters   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}
)

// funcs are the module's template functions.
var funcs = template.FuncMap{
	"msStatusLabel":    msStatusLabel,
	"msTagClass":       msTagClass,
	"requestedByLabel": domain.RequestedByLabel,
	"eventLabel":       domain.RequestEventLabel,
	"exceptionLabel":   func(code string) string { return deadline.ExceptionReason(code).Description() },
	"ehcAreaLabel":     domain.NeedAreaLabel,
	"ehcSectionLabel":  domain.SectionLabel,
	"partyLabel":       domain.InviteePartyLabel,
	"ratingLabel":      domain.ProgressRatingLabel,
	"daysText":         daysText,
	"dayTime":          deadline.Date.Time,
	"schoolTypeLabel":  domain.SchoolTypeLabel,
	"reportKindLabel":  domain.ReportKindLabel,
	"meetingTimeText":  domain.MeetingTimeText,
	"shortPct":         func() string { return fmt.Sprintf("%.0f%%", domain.ShortfallThreshold*100) },
}

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, funcs)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "ehc",
		Routes: []kit.Route{
			{Pattern: "GET /ehc", Action: authz.EHCRead, Handler: s.ehcIndex, Allow: withSLT},
			{Pattern: "GET /ehc/requests/new", Action: authz.EHCWrite, Handler: s.ehcRequestNew, Allow: leads},
			{Pattern: "POST /ehc/requests/new", Action: authz.EHCWrite, Handler: s.ehcRequestCreate, Allow: leads},
			{Pattern: "GET /ehc/requests/{id}", Action: authz.EHCRead, Handler: s.ehcRequestShow, Allow: withSLT, ID: kit.IDEHCRequest},
			{Pattern: "POST /ehc/requests/{id}/events", Action: authz.EHCWrite, Handler: s.ehcRequestEvent, Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "POST /ehc/requests/{id}/exceptions", Action: authz.EHCWrite, Handler: s.ehcRequestException, Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "POST /ehc/requests/{id}/correct", Action: authz.EHCWrite, Handler: s.ehcRequestCorrect, Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "GET /ehc/requests/{id}/evidence", Action: authz.EHCWrite, Handler: s.ehcEvidenceForm, Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "POST /ehc/requests/{id}/evidence", Action: authz.EHCWrite, Handler: s.ehcEvidencePDF, Allow: leads, ID: kit.IDEHCRequest},

			{Pattern: "GET /ehc/plans/new", Action: authz.EHCWrite, Handler: s.planNew, Allow: leads},
			{Pattern: "POST /ehc/plans/new", Action: authz.EHCWrite, Handler: s.planCreate, Allow: leads},
			{Pattern: "GET /ehc/plans/{id}", Action: authz.EHCProvision, Handler: s.planShow, Allow: deliverer, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/plans/{id}/edit", Action: authz.EHCWrite, Handler: s.planEdit, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/edit", Action: authz.EHCWrite, Handler: s.planUpdate, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/plans/{id}/end", Action: authz.EHCWrite, Handler: s.planEnd, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/end", Action: authz.EHCWrite, Handler: s.planEnd, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/needs", Action: authz.EHCWrite, Handler: s.planAddNeed, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/outcomes", Action: authz.EHCWrite, Handler: s.planAddOutcome, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/provision", Action: authz.EHCWrite, Handler: s.planAddProvision, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/remove", Action: authz.EHCWrite, Handler: s.planRemoveItem, Allow: leads, ID: kit.IDEHCPlanItem},
			{Pattern: "GET /ehc/plans/{id}/sections/{item}/edit", Action: authz.EHCWrite, Handler: s.sectionEdit, Allow: leads, ID: kit.IDEHCPlanItem},
			{Pattern: "POST /ehc/plans/{id}/sections/{item}/edit", Action: authz.EHCWrite, Handler: s.sectionSave, Allow: leads, ID: kit.IDEHCPlanItem},
			{Pattern: "GET /ehc/plans/{id}/sections/{item}/remove", Action: authz.EHCWrite, Handler: s.sectionRemoveConfirm, Allow: leads, ID: kit.IDEHCPlanItem},
			{Pattern: "POST /ehc/plans/{id}/sections/{item}/remove", Action: authz.EHCWrite, Handler: s.sectionRemove, Allow: leads, ID: kit.IDEHCPlanItem},
			{Pattern: "POST /ehc/plans/{id}/document", Action: authz.EHCWrite, Handler: s.planUpload, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/plans/{id}/document", Action: authz.EHCRead, Handler: s.planDownload, Allow: withSLT, ID: kit.IDEHCPlanDocument},
			{Pattern: "POST /ehc/plans/{id}/delivery", Action: authz.EHCProvision, Handler: s.planDelivery, Allow: deliverer, ID: kit.IDEHCPlan},
			{Pattern: "GET /pupils/{id}/ehc", Action: authz.EHCProvision, Handler: s.pupilEHC, Allow: deliverer, ID: kit.IDEHCPupil},

			{Pattern: "GET /ehc/plans/{id}/reviews/new", Action: authz.EHCWrite, Handler: s.reviewNew, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/reviews/new", Action: authz.EHCWrite, Handler: s.reviewCreate, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/reviews/{id}", Action: authz.EHCRead, Handler: s.reviewShow, Allow: withSLT, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/meeting", Action: authz.EHCWrite, Handler: s.reviewMeeting, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/invitees", Action: authz.EHCWrite, Handler: s.reviewInvitee, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/invitees/step", Action: authz.EHCWrite, Handler: s.reviewInviteeStep, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/record", Action: authz.EHCWrite, Handler: s.reviewRecord, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/events", Action: authz.EHCWrite, Handler: s.reviewEvent, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/correct", Action: authz.EHCWrite, Handler: s.reviewCorrect, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "GET /ehc/reviews/{id}/report.pdf", Action: authz.EHCRead, Handler: s.reviewReportPDF, Allow: withSLT, ID: kit.IDEHCReview},
			{Pattern: "GET /ehc/transfers", Action: authz.EHCRead, Handler: s.transfers, Allow: withSLT},
			{Pattern: "GET /ehc/plans/{id}/move", Action: authz.EHCWrite, Handler: s.move, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/move", Action: authz.EHCWrite, Handler: s.moveSave, Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/plans/{id}/unopposed", Action: authz.EHCWrite, Handler: s.unopposed(domain.RecordPlan), Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "POST /ehc/plans/{id}/unopposed", Action: authz.EHCWrite, Handler: s.unopposed(domain.RecordPlan), Allow: leads, ID: kit.IDEHCPlan},
			{Pattern: "GET /ehc/requests/{id}/unopposed", Action: authz.EHCWrite, Handler: s.unopposed(domain.RecordRequest), Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "POST /ehc/requests/{id}/unopposed", Action: authz.EHCWrite, Handler: s.unopposed(domain.RecordRequest), Allow: leads, ID: kit.IDEHCRequest},
			{Pattern: "GET /settings/school", Action: authz.SchoolSettings, Handler: s.settings, Allow: settingsRoles},
			{Pattern: "POST /settings/school", Action: authz.SchoolSettings, Handler: s.settingsSave, Allow: settingsRoles},
			{Pattern: "GET /ehc/letters", Action: authz.EHCLetters, Handler: s.letters, Allow: letters},
			{Pattern: "POST /ehc/letters/{id}/sent", Action: authz.EHCLetters, Handler: s.letterSent, Allow: letters, ID: kit.IDEHCInvitee},
			{Pattern: "GET /ehc/letters/{id}/letter.pdf", Action: authz.EHCLetters, Handler: s.inviteeLetterPDF, Allow: letters, ID: kit.IDEHCInvitee},
			{Pattern: "GET /ehc/reviews/{id}/letters.pdf", Action: authz.EHCLetters, Handler: s.reviewLettersPDF, Allow: letters, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/letters/{id}/email", Action: authz.EHCLetters, Handler: s.letterEmail, Allow: letters, ID: kit.IDEHCInvitee},
			{Pattern: "POST /ehc/reviews/{id}/letters/email", Action: authz.EHCLetters, Handler: s.reviewLettersEmail, Allow: letters, ID: kit.IDEHCReview},
			{Pattern: "GET /ehc/invitees/{id}/edit", Action: authz.EHCWrite, Handler: s.inviteeEdit, Allow: leads, ID: kit.IDEHCInvitee},
			{Pattern: "POST /ehc/invitees/{id}/edit", Action: authz.EHCWrite, Handler: s.inviteeEdit, Allow: leads, ID: kit.IDEHCInvitee},
			{Pattern: "POST /ehc/reviews/{id}/reports", Action: authz.EHCWrite, Handler: s.reportUpload, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "POST /ehc/reviews/{id}/circulate", Action: authz.EHCWrite, Handler: s.reportsCirculate, Allow: leads, ID: kit.IDEHCReview},
			{Pattern: "GET /ehc/review-reports/{id}", Action: authz.EHCRead, Handler: s.reportDownload, Allow: withSLT, ID: kit.IDEHCReviewReport},

			{Pattern: "GET /calendar", Action: authz.EHCRead, Handler: s.calendar, Allow: withSLT},
			{Pattern: "POST /calendar/feed", Action: authz.CalendarFeed, Handler: s.calendarFeedNew, Allow: withSLT},
			{Pattern: "POST /calendar/feed/revoke", Action: authz.CalendarFeed, Handler: s.calendarFeedRevoke, Allow: withSLT},
			// Open route: the secret token in the URL is the credential.
			{Pattern: "GET /calendar/feed/{token}", Handler: s.calendarFeed, Allow: everyone, ID: kit.IDFeedToken},
		},
		Nav: []kit.NavItem{
			{Href: "/ehc", Label: "EHC plans", Action: authz.EHCRead, Group: kit.NavEHC, Order: 60},
			{Href: "/calendar", Label: "Statutory calendar", Action: authz.EHCRead, Group: kit.NavEHC, Order: 70},
			{Href: "/ehc/letters", Label: "Review letters", Action: authz.EHCLetters, Group: kit.NavEHC, Order: 80},
			{Href: "/settings/school", Label: "School type", Action: authz.SchoolSettings, Group: kit.NavSettings, Order: 115},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"ehc-request-added":        "Request recorded",
			"ehc-event-saved":          "Event recorded",
			"ehc-exception-saved":      "Exception recorded",
			"ehc-plan-saved":           "EHC plan saved",
			"ehc-plan-ended":           "Plan ended and the SEN register updated",
			"ehc-section-saved":        "Plan section updated",
			"ehc-document-saved":       "Plan document uploaded",
			"ehc-delivery-saved":       "Delivery recorded",
			"ehc-session-saved":        "Session recorded for each pupil ticked",
			"ehc-review-started":       "Annual review started",
			"ehc-review-saved":         "Review updated",
			"ehc-letter-saved":         "Invitation recorded as sent",
			"ehc-letters-none":         "No letters to print for that review yet: it needs a meeting date and people to invite",
			"feed-revoked":             "Calendar feed turned off: the old address no longer works",
			"school-settings-saved":    "School type and age range saved, with the letterhead",
			"ehc-move-saved":           "Next move recorded",
			"ehc-unopposed-saved":      "Unopposed appeal recorded: its deadlines are on the calendar",
			"ehc-record-corrected":     "Record corrected: the history below keeps what it said before",
			"ehc-letter-emailed":       "Letter sent by e-mail and recorded: the outbox shows it",
			"ehc-letter-no-email":      "That letter was not e-mailed: the invitee has no e-mail address. Add one on the review page, or print the letter for post",
			"ehc-letters-emailed":      "Every letter for the review sent by e-mail and recorded",
			"ehc-letters-emailed-some": "Letters sent by e-mail to everyone with an e-mail address: print the others' letters for post",
			"ehc-letters-none-email":   "No letters sent: nobody invited to that review has an e-mail address. Print the letters for post",
			"ehc-report-saved":         "Report uploaded: circulate it at least 2 weeks before the meeting",
			"ehc-reports-circulated":   "Reports circulated and recorded",
		},
		Evidence: []kit.EvidenceSource{s.evidenceEHC},
	}, nil
}

// pupilSections is the module's link on a pupil's page (at 30, between the
// graduated approach's evidence and its plan).
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	switch {
	case p.Status == sen.StatusEHCP && c.Can(authz.EHCProvision):
		return []kit.Section{{Order: 30, Href: fmt.Sprintf("/pupils/%d/ehc", p.ID), Label: "EHC plan: outcomes and provision"}}
	case c.Can(authz.EHCWrite):
		return []kit.Section{{Order: 30, Href: fmt.Sprintf("/ehc/requests/new?pupil=%d", p.ID), Label: "Record a request for an EHC needs assessment"}}
	}
	return nil
}

// homeWidgets is the module's home-page panel (first).
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	w, err := s.ehcDashboard(r, c)
	if w == nil || err != nil {
		return nil, err
	}
	w.Order = 10
	return []kit.Widget{*w}, nil
}

// render writes one of the module's pages.
func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}
