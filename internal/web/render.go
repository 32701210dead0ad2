package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	"opensend/internal/sen"
)

//go:embed templates
var templateFS embed.FS

type templates struct{ pages map[string]*template.Template }

// ErrorItem is one line of the GOV.UK error summary.
type ErrorItem struct{ Field, Msg string }

// NavItem is a service navigation link.
type NavItem struct {
	Href, Label string
	Active      bool
}

// Page is embedded in every page's data.
type Page struct {
	Title    string
	User     *sen.User
	School   string
	CSRF     string
	Nav      []NavItem
	Flash    string
	Errors   sen.FieldErrors
	ErrorSum []ErrorItem
	Wide     bool
}

// setErrors stores field errors and their summary in form order.
func (p *Page) setErrors(fe sen.FieldErrors, order ...string) {
	p.Errors = fe
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := fe[f]; ok {
			p.ErrorSum = append(p.ErrorSum, ErrorItem{f, m})
			seen[f] = true
		}
	}
	for f, m := range fe {
		if !seen[f] {
			p.ErrorSum = append(p.ErrorSum, ErrorItem{f, m})
		}
	}
}

// Err returns the message for field, "" if none.
func (p *Page) Err(field string) string { return p.Errors[field] }

func (p *Page) page() *Page { return p }

type pager interface{ page() *Page }

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 January 2006")
	},
	"dateShort": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("02/01/2006")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(deadline.London()).Format("2 Jan 2006 15:04")
	},
	"statusLabel": sen.StatusLabel,
	"yearLabel":   sen.YearGroupLabel,
	"areaLabel":   sen.AreaLabel,
	"needLabel": func(code string) string {
		n, ok := sen.LookupNeed(code)
		if !ok {
			return code
		}
		return n.Label
	},
	"needAreas": sen.NeedAreas,
	"roleLabel": func(r sen.Role) string { return r.Label() },
	"add":       func(a, b int) int { return a + b },
	"eq2":       func(a, b string) bool { return a == b },
	"itoa":      strconv.Itoa,
	"i64":       func(n int64) string { return strconv.FormatInt(n, 10) },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd arguments")
		}
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m, nil
	},
	"upper": strings.ToUpper,
	"pct": func(n, d int) string {
		if d == 0 {
			return "0%"
		}
		return fmt.Sprintf("%.1f%%", float64(n)*100/float64(d))
	},
}

// parseTemplates builds one template set per page: the layout, every
// partial, and the page itself.
func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}}
	base := template.New("layout").Funcs(funcs)
	if _, err := base.ParseFS(templateFS, "templates/*.html"); err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		pt, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		t.pages[name] = pt
	}
	return t, nil
}

// render writes a page with status. It fills the shared Page fields.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pager) error {
	t, ok := s.tmpl.pages[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	p := data.page()
	if c := reqFrom(r); c != nil {
		u := c.Actor.User
		p.User = &u
		p.School = c.School.Name
		p.CSRF = c.Session.CSRFToken
		p.Nav = navFor(c, r.URL.Path)
	}
	if p.Flash == "" {
		p.Flash = takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func navFor(c *reqCtx, current string) []NavItem {
	var nav []NavItem
	add := func(href, label string, a authz.Action) {
		if c.can(a) {
			nav = append(nav, NavItem{Href: href, Label: label})
		}
	}
	add("/", "Home", authz.Dashboard)
	add("/pupils", "Pupils", authz.PupilList)
	add("/register", "SEN register", authz.RegisterRead)
	for _, x := range extraNav {
		add(x.href, x.label, x.action)
	}
	add("/groups", "Classes and groups", authz.GroupsManage)
	add("/figures", "Figures", authz.AggregateRead)
	// The order a SENCO works in: daily work first, administration last.
	rank := map[string]int{"/": 0, "/senco": 1, "/concerns": 2, "/pupils": 3, "/register": 4, "/my-pupils": 5, "/ehc": 6,
		"/calendar": 7, "/ehc/letters": 8, "/outbox": 9, "/groups": 10, "/term-dates": 11, "/staff": 12, "/figures": 13}
	sort.SliceStable(nav, func(i, j int) bool {
		ri, ok := rank[nav[i].Href]
		if !ok {
			ri = 50
		}
		rj, ok := rank[nav[j].Href]
		if !ok {
			rj = 50
		}
		return ri < rj
	})
	// One current item: the longest link the page's path starts with.
	best := -1
	for i, n := range nav {
		if current == n.Href || (n.Href != "/" && strings.HasPrefix(current, n.Href+"/")) || (n.Href != "/" && current == n.Href) {
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

// extraNav lets later capabilities add navigation entries.
var extraNav []struct {
	href, label string
	action      authz.Action
}

type errorPage struct {
	Page
	Status  int
	Heading string
	Body    string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, c *reqCtx, status int) {
	// Errors can be written before the request carries the user (a refused
	// role, an unknown address): still show who is signed in, so the page
	// offers their home page and sign-out rather than "Sign in".
	if c == nil {
		c = reqFrom(r)
	}
	if c == nil {
		c, _ = s.session(r)
	}
	if c != nil && reqFrom(r) == nil {
		r = r.WithContext(context.WithValue(r.Context(), reqKey, c))
	}
	p := &errorPage{Status: status}
	switch status {
	case http.StatusNotFound:
		p.Heading, p.Body = "Page not found", "If you typed the web address, check it is correct. If you followed a link to a pupil's record, the record may not exist or you may not have access to it."
	case http.StatusForbidden:
		p.Heading, p.Body = "You cannot do this", "Your role does not allow this, or the form had expired. Go back, reload the page and try again. If you think you should have access, ask your SENCO."
	case http.StatusRequestEntityTooLarge:
		p.Heading, p.Body = "The file is too large", "Files must be smaller than the limit shown on the upload page."
	default:
		p.Heading, p.Body = "Sorry, there is a problem with the service", "Try again later. Nothing you entered has been half-saved: if the page showed an error, your change was not made."
	}
	p.Title = p.Heading
	if err := s.render(w, r, status, "error", p); err != nil {
		s.log.Error("render error page", "err", err.Error())
		http.Error(w, p.Heading, status)
	}
}

// setFlash shows a one-off confirmation on the next page. Only fixed
// messages are used so the cookie never carries pupil data.
func (s *Server) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: "opensend_flash", Value: key, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

var flashes = map[string]string{
	"pupil-added":  "Pupil added",
	"pupil-saved":  "Pupil details saved",
	"status-saved": "SEN register entry saved",
	"needs-saved":  "Needs saved",
	"import-done":  "Import complete",
	"group-saved":  "Group staff updated",
	"signed-out":   "You have signed out",
	"saved":        "Saved",
}

func takeFlash(w http.ResponseWriter, r *http.Request) string {
	ck, err := r.Cookie("opensend_flash")
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: "opensend_flash", Value: "", Path: "/", MaxAge: -1})
	return flashes[ck.Value]
}

// RegisterFlash lets later capabilities add flash messages.
func RegisterFlash(key, msg string) { flashes[key] = msg }
