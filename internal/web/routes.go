package web

import (
	"net/http"
	"strings"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/web/ehc"
	"opensend/internal/web/exams"
	"opensend/internal/web/kit"
	"opensend/internal/web/people"
	"opensend/internal/web/plans"
	"opensend/internal/web/provision"
	"opensend/internal/web/records"
	"opensend/internal/web/schoolsen"
	"opensend/internal/web/transition"
)

// moduleList is the one explicit list of the server's modules: the
// foundation first, then each capability. Routes, navigation, pupil-page
// sections, home-page widgets, flashes and evidence sources all come from
// it, in the order each entry declares.
func (s *Server) moduleList() ([]kit.Module, error) {
	mods := []kit.Module{s.foundation()}
	for _, newModule := range []func(*kit.Kit) (kit.Module, error){
		ehc.New,
		plans.New,
		schoolsen.New,
		provision.New,
		exams.New,
		people.New,
		records.New,
		transition.New,
	} {
		m, err := newModule(s.k)
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	return mods, nil
}

// Who may reach the foundation's routes, written by hand for the route ×
// role matrix test (never derived from authz).
var (
	everyone  = sen.Roles
	pupilSeer = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA, sen.RoleOffice}
	rollKeep  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}
	senWrite  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	senRead   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	senLeads  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	figures   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleGovernor}
	termDates = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleOffice}
)

// foundation is the server's own module: sign-in, home, pupils, the
// register, import, classes and groups, figures, staff, term dates and the
// outbox.
func (s *Server) foundation() kit.Module {
	return kit.Module{
		Name: "foundation",
		Routes: []kit.Route{
			{Pattern: "GET /login", Handler: s.loginForm, Allow: everyone},
			{Pattern: "POST /login", Handler: s.login, Allow: everyone},
			{Pattern: "POST /logout", Action: authz.Dashboard, Handler: s.logout, Allow: everyone},
			{Pattern: "GET /{$}", Action: authz.Dashboard, Handler: s.home, Allow: everyone},
			{Pattern: "GET /account/password", Action: authz.Dashboard, Handler: s.passwordForm, Allow: everyone},
			{Pattern: "POST /account/password", Action: authz.Dashboard, Handler: s.passwordChange, Allow: everyone},
			{Pattern: "GET /login/code", Action: authz.Dashboard, Handler: s.loginCode, Allow: everyone},
			{Pattern: "POST /login/code", Action: authz.Dashboard, Handler: s.loginCodeCheck, Allow: everyone},
			{Pattern: "GET /account/sign-in-attempts", Action: authz.Dashboard, Handler: s.signInAttempts, Allow: everyone},
			{Pattern: "GET /account/two-factor", Action: authz.Dashboard, Handler: s.twoFactor, Allow: everyone},
			{Pattern: "POST /account/two-factor/start", Action: authz.Dashboard, Handler: s.twoFactorStart, Allow: everyone},
			{Pattern: "GET /account/two-factor/setup", Action: authz.Dashboard, Handler: s.twoFactorSetup, Allow: everyone},
			{Pattern: "POST /account/two-factor/setup", Action: authz.Dashboard, Handler: s.twoFactorConfirm, Allow: everyone},
			{Pattern: "POST /account/two-factor/recovery-codes", Action: authz.Dashboard, Handler: s.twoFactorRecovery, Allow: everyone},
			{Pattern: "POST /account/two-factor/off", Action: authz.Dashboard, Handler: s.twoFactorOff, Allow: everyone},

			{Pattern: "GET /pupils", Action: authz.PupilList, Handler: s.pupilList, Allow: pupilSeer},
			{Pattern: "GET /pupils/new", Action: authz.PupilWrite, Handler: s.pupilNew, Allow: rollKeep},
			{Pattern: "POST /pupils/new", Action: authz.PupilWrite, Handler: s.pupilCreate, Allow: rollKeep},
			{Pattern: "GET /pupils/{id}", Action: authz.PupilRead, Handler: s.pupilShow, Allow: pupilSeer, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/edit", Action: authz.PupilWrite, Handler: s.pupilEdit, Allow: rollKeep, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/edit", Action: authz.PupilWrite, Handler: s.pupilUpdate, Allow: rollKeep, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/sen", Action: authz.RegisterWrite, Handler: s.senForm, Allow: senWrite, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/sen", Action: authz.RegisterWrite, Handler: s.senSave, Allow: senWrite, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/audit", Action: authz.AuditRead, Handler: s.pupilAudit, Allow: senLeads, ID: kit.IDPupil},
			{Pattern: "GET /audit", Action: authz.AuditRead, Handler: s.auditCheck, Allow: senLeads},

			{Pattern: "GET /import", Action: authz.PupilImport, Handler: s.importForm, Allow: rollKeep},
			{Pattern: "POST /import", Action: authz.PupilImport, Handler: s.importPreview, Allow: rollKeep},
			{Pattern: "POST /import/commit", Action: authz.PupilImport, Handler: s.importCommit, Allow: rollKeep},

			{Pattern: "GET /register", Action: authz.RegisterRead, Handler: s.register, Allow: senRead},
			{Pattern: "GET /register.csv", Action: authz.RegisterExport, Handler: s.registerCSV, Allow: senLeads},
			{Pattern: "GET /register/provision", Action: authz.RegisterWrite, Handler: s.provisionForm, Allow: senWrite},
			{Pattern: "POST /register/provision", Action: authz.RegisterWrite, Handler: s.provisionSave, Allow: senWrite},

			{Pattern: "GET /groups", Action: authz.GroupsManage, Handler: s.groups, Allow: rollKeep},
			{Pattern: "POST /groups/{id}/staff", Action: authz.GroupsManage, Handler: s.groupStaff, Allow: rollKeep, ID: kit.IDGroup},

			{Pattern: "GET /figures", Action: authz.AggregateRead, Handler: s.figures, Allow: figures},
			{Pattern: "GET /today", Action: authz.SencoDashboard, Handler: s.today, Allow: senLeads},

			{Pattern: "GET /staff", Action: authz.StaffManage, Handler: s.staffList, Allow: senWrite},
			{Pattern: "GET /staff/new", Action: authz.StaffManage, Handler: s.staffNew, Allow: senWrite},
			{Pattern: "POST /staff/new", Action: authz.StaffManage, Handler: s.staffCreate, Allow: senWrite},
			{Pattern: "GET /staff/{id}", Action: authz.StaffManage, Handler: s.staffEdit, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/{id}", Action: authz.StaffManage, Handler: s.staffUpdate, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/{id}/reset", Action: authz.StaffManage, Handler: s.staffReset, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/{id}/feed/revoke", Action: authz.StaffManage, Handler: s.staffFeedRevoke, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/{id}/unlock", Action: authz.StaffManage, Handler: s.staffUnlock, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/{id}/two-factor/reset", Action: authz.StaffManage, Handler: s.staffTwoFactorReset, Allow: senWrite, ID: kit.IDStaff},
			{Pattern: "POST /staff/two-factor", Action: authz.StaffManage, Handler: s.staffTwoFactorRule, Allow: senWrite},

			{Pattern: "GET /term-dates", Action: authz.TermDates, Handler: s.termDates, Allow: termDates},
			{Pattern: "POST /term-dates", Action: authz.TermDates, Handler: s.termDatesAdd, Allow: termDates},
			{Pattern: "POST /term-dates/{id}/remove", Action: authz.TermDates, Handler: s.termDatesRemove, Allow: termDates, ID: kit.IDTermDate},

			{Pattern: "GET /outbox", Action: authz.OutboxRead, Handler: s.outbox, Allow: senWrite},
			{Pattern: "GET /outbox/{id}", Action: authz.OutboxRead, Handler: s.outboxMail, Allow: senWrite, ID: kit.IDMail},

			{Pattern: "GET /account/sessions", Action: authz.Dashboard, Handler: s.accountSessions, Allow: everyone},
			{Pattern: "POST /account/sessions/end", Action: authz.Dashboard, Handler: s.accountSessionEnd, Allow: everyone},
			{Pattern: "POST /staff/{id}/sessions/end", Action: authz.StaffManage, Handler: s.staffSessionsEnd, Allow: senWrite, ID: kit.IDStaff},
		},
		// Navigation in the order a SENCO works, under kit.NavGroups' headings:
		// daily work first, the school's settings last (other modules'
		// items fit between).
		Nav: []kit.NavItem{
			{Href: "/", Label: "Home", Action: authz.Dashboard, Group: kit.NavToday, Order: 0},
			{Href: "/today", Label: "Today", Action: authz.SencoDashboard, Group: kit.NavToday, Order: 5},
			{Href: "/pupils", Label: "Pupils", Action: authz.PupilList, Group: kit.NavPupils, Order: 30},
			{Href: "/register", Label: "SEN register", Action: authz.RegisterRead, Group: kit.NavPupils, Order: 40},
			{Href: "/outbox", Label: "Outbox", Action: authz.OutboxRead, Group: kit.NavSettings, Order: 90},
			{Href: "/groups", Label: "Classes and groups", Action: authz.GroupsManage, Group: kit.NavSettings, Order: 100},
			{Href: "/term-dates", Label: "Term dates", Action: authz.TermDates, Group: kit.NavSettings, Order: 110},
			{Href: "/staff", Label: "Staff", Action: authz.StaffManage, Group: kit.NavSettings, Order: 120},
			{Href: "/audit", Label: "Audit log", Action: authz.AuditRead, Group: kit.NavSettings, Order: 125},
			{Href: "/figures", Label: "Figures", Action: authz.AggregateRead, Group: kit.NavPupils, Order: 130},
		},
		Flashes: map[string]string{
			"pupil-added":            "Pupil added",
			"pupil-saved":            "Pupil details saved",
			"status-saved":           "SEN register entry saved",
			"provision-saved":        "Census provision saved",
			"needs-saved":            "Needs saved",
			"import-done":            "Import complete",
			"group-saved":            "Group staff updated",
			"signed-out":             "You have signed out",
			"saved":                  "Saved",
			"staff-saved":            "Staff account saved",
			"staff-feed-off":         "Calendar feed turned off",
			"staff-unlocked":         "Sign-in delays cleared: they can sign in with their password now",
			"staff-two-factor-reset": "Authenticator app removed: they set up a new one when they next sign in if their role needs one",
			"two-factor-rule-saved":  "Authenticator app setting saved",
			"two-factor-off":         "Your authenticator app has been turned off",
			"password-changed":       "Your password has been changed. Sign in again with the new password",
			"holiday-added":          "Holiday added",
			"holiday-removed":        "Holiday removed",
			"session-ended":          "Signed out of that browser",
			"session-gone":           "That browser was signed out already",
			"staff-sessions-ended":   "Signed out everywhere: they must sign in again on every device",
		},
		Evidence: []kit.EvidenceSource{s.evidenceRegister},
	}
}

// navFor is the navigation for the signed-in user: every module's items
// their role allows, in order, with one current item (the longest link the
// page's path starts with).
func (s *Server) navFor(c *kit.Ctx, current string) []kit.NavItem {
	var nav []kit.NavItem
	for _, n := range s.nav { // already in order (New sorts it once)
		if c.Can(n.Action) {
			nav = append(nav, n)
		}
	}
	best := -1
	for i, n := range nav {
		if current == n.Href || (n.Href != "/" && strings.HasPrefix(current, n.Href+"/")) {
			if best < 0 || len(n.Href) > len(nav[best].Href) {
				best = i
			}
		}
	}
	if best >= 0 {
		nav[best].Active = true
	}
	return nav
}

// RouteInfo is one route as the route × role matrix test sees it.
type RouteInfo struct {
	Module  string
	Pattern string
	Action  authz.Action
	Allow   []sen.Role
	ID      string
}

// Routes lists every module's routes with their hand-written expected access.
func (s *Server) Routes() []RouteInfo {
	var out []RouteInfo
	for _, m := range s.modules {
		for _, rt := range m.Routes {
			out = append(out, RouteInfo{m.Name, rt.Pattern, rt.Action, rt.Allow, rt.ID})
		}
	}
	return out
}

// render writes one of the foundation's pages.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}
