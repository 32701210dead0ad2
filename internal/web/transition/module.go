// Package transition is the web module of pupils moving on (issue 15):
// recording a leaving (off roll, read-only, kept), the Leavers list, the
// CTF duty, and the common transfer file's export and import (preview, then
// commit all or nothing). Its domain is internal/transition (imported as
// domain), its SQL internal/store/transition*.go.
package transition

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
	domain "opensend/internal/transition"
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
	recorders = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}
	readers   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleOffice}
	leads     = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
)

var funcs = template.FuncMap{
	"trReason": domain.Reasons.Label,
	"trLAESTAB": func(v string) string {
		if len(v) == 7 {
			return v[:3] + "/" + v[3:]
		}
		return v
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
		Name: "transition",
		Routes: []kit.Route{
			{Pattern: "GET /pupils/{id}/leave", Action: authz.LeaverRecord, Handler: s.leaveForm, Allow: recorders, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/leave", Action: authz.LeaverRecord, Handler: s.leaveSave, Allow: recorders, ID: kit.IDPupil},
			{Pattern: "GET /leavers", Action: authz.LeaversRead, Handler: s.leavers, Allow: readers},
			{Pattern: "GET /leavers/{id}", Action: authz.LeaversRead, Handler: s.leaver, Allow: readers, ID: kit.IDLeaver},
			{Pattern: "POST /leavers/{id}/ctf-sent", Action: authz.LeaverRecord, Handler: s.ctfSent, Allow: recorders, ID: kit.IDLeaver},
			{Pattern: "POST /leavers/{id}/undo", Action: authz.LeaverRecord, Handler: s.undo, Allow: recorders, ID: kit.IDLeaver},
			{Pattern: "GET /ctf/export", Action: authz.CTFExport, Handler: s.exportForm, Allow: recorders},
			{Pattern: "POST /ctf/export", Action: authz.CTFExport, Handler: s.export, Allow: recorders},
			{Pattern: "GET /ctf/import", Action: authz.CTFImport, Handler: s.importForm, Allow: leads},
			{Pattern: "POST /ctf/import", Action: authz.CTFImport, Handler: s.importPreview, Allow: leads},
			{Pattern: "POST /ctf/import/commit", Action: authz.CTFImport, Handler: s.importCommit, Allow: leads},
			{Pattern: "GET /settings/ctf", Action: authz.SchoolSettings, Handler: s.numbersForm, Allow: recorders},
			{Pattern: "POST /settings/ctf", Action: authz.SchoolSettings, Handler: s.numbersSave, Allow: recorders},
		},
		Nav: []kit.NavItem{
			{Href: "/leavers", Label: "Leavers", Action: authz.LeaversRead, Group: kit.NavPupils, Order: 70},
			{Href: "/ctf/import", Label: "Import a CTF", Action: authz.CTFImport, Group: kit.NavPupils, Order: 75},
			{Href: "/settings/ctf", Label: "School numbers for CTFs", Action: authz.SchoolSettings, Group: kit.NavSettings, Order: 130},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"leaving-recorded": "Leaving recorded: the pupil is off roll and their records are kept read-only",
			"leaving-undone":   "Leaving undone: the pupil is back on roll",
			"ctf-sent":         "CTF recorded as sent",
			"numbers-saved":    "The school's numbers are saved",
		},
	}, nil
}

// pupilSections link a leaver's record to their leaving.
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	if p.Left() && c.Can(authz.LeaversRead) {
		return []kit.Section{{Order: 5, Href: "/leavers/" + strconv.FormatInt(p.ID, 10), Label: "Leaving and common transfer file"}}
	}
	return nil
}

// homeWidgets: the CTFs still to send, for those who send them.
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	if !c.Can(authz.LeaverRecord) {
		return nil, nil
	}
	open, err := s.st.CTFDutiesOpen(r.Context(), c.Actor)
	if err != nil || len(open) == 0 {
		return nil, err
	}
	today := s.st.Today()
	overdue := 0
	for _, l := range open {
		if l.CTFDue.Before(today) {
			overdue++
		}
	}
	return []kit.Widget{{Order: 40, Title: "Leavers", Items: []kit.WidgetItem{
		{Label: "Common transfer files to send (within 15 school days of leaving)", Href: "/leavers", Count: len(open)},
		{Label: "Common transfer files overdue", Href: "/leavers", Count: overdue, Warn: overdue > 0},
	}}}, nil
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

func formVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}
