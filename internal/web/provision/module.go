// Package provision is the web module of the provision map (issue 13): the
// school's library of provisions, staff hourly costs, groups (runs of a
// provision) with their pupils, the session register, entry and exit
// scores, "My sessions today" on the home page and a pupil's provision.
// Its domain is internal/provision (imported as domain), its SQL
// internal/store/provision*.go.
package provision

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"opensend/internal/authz"
	domain "opensend/internal/provision"
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
	readers    = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	leads      = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	costRoles  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	deliverers = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher, sen.RoleTA}
)

var funcs = template.FuncMap{
	"pvWave":      domain.Waves.Label,
	"pvScale":     domain.Scales.Label,
	"pvDirection": domain.Directions.Label,
	"pvPounds":    domain.Pounds,
	"pvPercent":   domain.PercentText,
	"pvScore": func(scale string, n *int) string {
		if n == nil {
			return "Not recorded"
		}
		return domain.ScoreText(scale, *n)
	},
	"pvChange":  domain.ChangeText,
	"pvOutcome": domain.Outcomes.Label,
	"pvReason":  domain.NotDeliveredReasons.Label,
	"pvAbsence": domain.AbsenceReasons.Label,
	"pvHas": func(list []string, code string) bool {
		for _, x := range list {
			if x == code {
				return true
			}
		}
		return false
	},
	"pvHasID": func(list []int64, id int64) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	},
	"pvISO": func(t time.Time) string { return t.Format(time.DateOnly) },
}

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, funcs)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "provision",
		Routes: []kit.Route{
			{Pattern: "GET /provision", Action: authz.ProvisionRead, Handler: s.library, Allow: readers},
			{Pattern: "GET /provision/new", Action: authz.ProvisionWrite, Handler: s.provisionEdit, Allow: leads},
			{Pattern: "POST /provision/new", Action: authz.ProvisionWrite, Handler: s.provisionSave, Allow: leads},
			{Pattern: "GET /provision/{id}", Action: authz.ProvisionRead, Handler: s.provisionShow, Allow: readers, ID: kit.IDProvision},
			{Pattern: "GET /provision/{id}/edit", Action: authz.ProvisionWrite, Handler: s.provisionEdit, Allow: leads, ID: kit.IDProvision},
			{Pattern: "POST /provision/{id}/edit", Action: authz.ProvisionWrite, Handler: s.provisionSave, Allow: leads, ID: kit.IDProvision},
			{Pattern: "POST /provision/{id}/copy", Action: authz.ProvisionWrite, Handler: s.provisionCopy, Allow: leads, ID: kit.IDProvision},
			{Pattern: "POST /provision/{id}/retire", Action: authz.ProvisionWrite, Handler: s.provisionRetire, Allow: leads, ID: kit.IDProvision},
			{Pattern: "GET /provision/{id}/groups/new", Action: authz.ProvisionWrite, Handler: s.runNew, Allow: leads, ID: kit.IDProvision},
			{Pattern: "POST /provision/{id}/groups/new", Action: authz.ProvisionWrite, Handler: s.runCreate, Allow: leads, ID: kit.IDProvision},
			{Pattern: "GET /provision/costs", Action: authz.ProvisionCosts, Handler: s.costs, Allow: costRoles},
			{Pattern: "POST /provision/costs", Action: authz.ProvisionCosts, Handler: s.costSave, Allow: costRoles},
			{Pattern: "POST /provision/costs/{id}/remove", Action: authz.ProvisionCosts, Handler: s.costRemove, Allow: costRoles, ID: kit.IDProvisionRate},

			{Pattern: "GET /provision-groups", Action: authz.ProvisionRead, Handler: s.runs, Allow: readers},
			{Pattern: "GET /provision-groups/{id}", Action: authz.ProvisionRead, Handler: s.runShow, Allow: readers, ID: kit.IDProvisionRun},
			{Pattern: "GET /provision-groups/{id}/edit", Action: authz.ProvisionWrite, Handler: s.runEdit, Allow: leads, ID: kit.IDProvisionRun},
			{Pattern: "POST /provision-groups/{id}/edit", Action: authz.ProvisionWrite, Handler: s.runSave, Allow: leads, ID: kit.IDProvisionRun},
			{Pattern: "GET /provision-groups/{id}/enrol", Action: authz.ProvisionWrite, Handler: s.enrolForm, Allow: leads, ID: kit.IDProvisionRun},
			{Pattern: "POST /provision-groups/{id}/enrol", Action: authz.ProvisionWrite, Handler: s.enrolSave, Allow: leads, ID: kit.IDProvisionRun},
			{Pattern: "GET /provision-groups/{id}/members/{member}", Action: authz.ProvisionWrite, Handler: s.memberForm, Allow: leads, ID: kit.IDProvisionMember},
			{Pattern: "POST /provision-groups/{id}/members/{member}", Action: authz.ProvisionWrite, Handler: s.memberSave, Allow: leads, ID: kit.IDProvisionMember},
			{Pattern: "GET /provision-groups/{id}/register", Action: authz.ProvisionDeliver, Handler: s.registerForm, Allow: deliverers, ID: kit.IDProvisionRun},
			{Pattern: "POST /provision-groups/{id}/register", Action: authz.ProvisionDeliver, Handler: s.registerSave, Allow: deliverers, ID: kit.IDProvisionRun},
			{Pattern: "GET /provision-groups/{id}/scores", Action: authz.ProvisionDeliver, Handler: s.scoresForm, Allow: deliverers, ID: kit.IDProvisionRun},
			{Pattern: "POST /provision-groups/{id}/scores", Action: authz.ProvisionDeliver, Handler: s.scoresSave, Allow: deliverers, ID: kit.IDProvisionRun},
			{Pattern: "GET /pupils/{id}/provision", Action: authz.ProvisionRead, Handler: s.pupilProvision, Allow: readers, ID: kit.IDPupil},
		},
		Nav: []kit.NavItem{
			{Href: "/provision", Label: "Provision library", Action: authz.ProvisionRead, Group: kit.NavSupport, Order: 60},
			{Href: "/provision-groups", Label: "Intervention groups", Action: authz.ProvisionRead, Group: kit.NavSupport, Order: 61},
			{Href: "/provision/costs", Label: "Staff costs", Action: authz.ProvisionCosts, Group: kit.NavSupport, Order: 62},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"pv-provision-saved":    "Provision saved in the school's library",
			"pv-provision-copied":   "Copy made: change it and save",
			"pv-provision-retired":  "Provision retired: it is no longer offered for new groups",
			"pv-provision-restored": "Provision restored to the library",
			"pv-rate-saved":         "Staff cost saved",
			"pv-rate-removed":       "Staff cost removed",
			"pv-run-started":        "Group started: add its pupils",
			"pv-run-saved":          "Group saved",
			"pv-pupil-enrolled":     "Pupil added to the group",
			"pv-member-saved":       "Dates saved",
			"pv-session-saved":      "Session recorded",
			"pv-scores-saved":       "Scores saved",
		},
	}, nil
}

func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	if !c.Can(authz.ProvisionRead) {
		return nil
	}
	return []kit.Section{{Order: 60, Href: "/pupils/" + strconv.FormatInt(p.ID, 10) + "/provision", Label: "Provision and interventions"}}
}

// homeWidgets is "My sessions today": the sessions of the groups the person
// runs that are timetabled today, each linking to its register with today's
// date and the slot's minutes.
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	if !c.Can(authz.ProvisionDeliver) {
		return nil, nil
	}
	list, err := s.st.MySessionsToday(r.Context(), c.Actor)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	today := s.st.Today().Format(time.DateOnly)
	w := kit.Widget{Order: 5, Title: "My sessions today"}
	for _, t := range list {
		label := t.Provision + ": " + t.Run
		if t.Slot.Place != "" {
			label += ", " + t.Slot.Place
		}
		if t.Recorded {
			label += " (recorded)"
		} else {
			label += " (to record)"
		}
		w.Items = append(w.Items, kit.WidgetItem{Text: t.Slot.StartText(), Label: label,
			Href: "/provision-groups/" + strconv.FormatInt(t.RunID, 10) + "/register?date=" + today + "&minutes=" + strconv.Itoa(t.Slot.Minutes)})
	}
	return []kit.Widget{w}, nil
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

// atoi reads a whole number typed in a form (-1 when it is not one).
func atoi(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}
