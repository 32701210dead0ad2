package kit

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"opensend/internal/authz"
	"opensend/internal/sen"
)

//go:embed templates
var kitFS embed.FS

// ErrorItem is one line of the GOV.UK error summary.
type ErrorItem struct{ Field, Msg string }

// Page is embedded in every page's data.
type Page struct {
	Title     string
	User      *sen.User
	School    string
	CSRF      string
	Nav       []NavItem
	NavGroups []NavSection // Nav grouped under its headings, for the layout
	Search    bool         // the header's pupil search is shown (the person may list pupils)
	Flash     string
	Errors    sen.FieldErrors
	ErrorSum  []ErrorItem
	RequestID string // shown on an error page so support can find the log line
	// ReusedBody is the page's body when it is reused (Views.RenderCached).
	ReusedBody template.HTML
	filled     bool // the fields above are set for the request (Views.fill)
}

// SetErrors stores field errors and their summary in form order.
func (p *Page) SetErrors(fe sen.FieldErrors, order ...string) {
	p.Errors = fe
	p.ErrorSum = nil
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := fe[f]; ok && !seen[f] {
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

// Base returns the shared part of a page's data.
func (p *Page) Base() *Page { return p }

// Pager is any page's data: a struct embedding Page.
type Pager interface{ Base() *Page }

// FormatDate writes a date as people read it ("2 January 2006"), "" for none.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// isoDate is a YYYY-MM-DD date inside a text written for machines (an audit
// detail, say).
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// LongDates rewrites every YYYY-MM-DD date in s as people read it
// ("15 February 2027"); anything that is not a real date is left alone.
func LongDates(s string) string {
	return isoDate.ReplaceAllStringFunc(s, func(d string) string {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return d
		}
		return FormatDate(t)
	})
}

// count reads a template's count (an int from len, or an int64 from the
// store) for plural and noun.
func count(n any) (int, error) {
	switch v := n.(type) {
	case int:
		return v, nil
	case int64:
		return int(v), nil
	case int32:
		return int(v), nil
	}
	return 0, fmt.Errorf("plural: %T is not a count", n)
}

// Funcs are the template functions every page may use. A module adds its
// own when it makes its Views.
var Funcs = template.FuncMap{
	"date": FormatDate,
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(sen.London()).Format("2 Jan 2006 15:04")
	},
	"statusLabel": sen.StatusLabel,
	"yearLabel":   sen.YearGroupLabel,
	"areaLabel":   sen.AreaLabel,
	"needLabel":   sen.NeedLabel,
	"needAreas":   sen.NeedAreas,
	// censusNeeds and additionalNeeds split a pupil's needs: ranks 1 and 2
	// are the census needs; a third is shown only as sen.AdditionalNeedLabel.
	"censusNeeds":         sen.CensusNeeds,
	"additionalNeeds":     sen.AdditionalNeeds,
	"additionalNeedLabel": func() string { return sen.AdditionalNeedLabel },
	"roleLabel":           func(r sen.Role) string { return r.Label() },
	"add":                 func(a, b int) int { return a + b },
	"eq2":                 func(a, b string) bool { return a == b },
	"itoa":                strconv.Itoa,
	"i64":                 func(n int64) string { return strconv.FormatInt(n, 10) },
	// dict passes named arguments to a partial ({{template "input" (dict "p" . "name" "email")}}).
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
	// plural writes a count with its noun agreeing ({{plural 1 "day" "days"}}
	// is "1 day"), as sen.Count does in Go; noun is the noun alone.
	"plural": func(n any, one, many string) (string, error) {
		c, err := count(n)
		return sen.Count(c, one, many), err
	},
	"noun": func(n any, one, many string) (string, error) {
		c, err := count(n)
		return sen.Noun(c, one, many), err
	},
	"longDates": LongDates,
	"pct": func(n, d int) string {
		if d == 0 {
			return "0%"
		}
		return fmt.Sprintf("%.1f%%", float64(n)*100/float64(d))
	},
}

// Views are one module's page templates: each page is parsed with the
// layout, the shared partials, the module's own partials and the page.
type Views struct {
	k     *Kit
	pages map[string]*template.Template
	// For RenderCached (bodycache.go): the unexecuted base set, where the
	// pages come from, and each page's shell, made on first use.
	base    *template.Template
	src     fs.FS
	files   map[string]string
	shellMu sync.Mutex
	shells  map[string]*template.Template
}

// Views parses a module's templates from fsys: partials at "templates/*.html"
// and pages at "templates/pages/*.html". funcs are the module's own
// template functions, added to Funcs. A nil fsys gives the kit's own views.
func (k *Kit) Views(fsys fs.FS, funcs template.FuncMap) (*Views, error) {
	all := maps.Clone(Funcs)
	maps.Copy(all, funcs)
	base := template.New("layout").Funcs(all)
	if _, err := base.ParseFS(kitFS, "templates/*.html"); err != nil {
		return nil, fmt.Errorf("kit: templates: %w", err)
	}
	src := fs.FS(kitFS)
	if fsys != nil {
		src = fsys
		if m, _ := fs.Glob(fsys, "templates/*.html"); len(m) > 0 {
			if _, err := base.ParseFS(fsys, "templates/*.html"); err != nil {
				return nil, fmt.Errorf("kit: module partials: %w", err)
			}
		}
	}
	files, err := fs.Glob(src, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &Views{k: k, pages: map[string]*template.Template{}, base: base, src: src, files: map[string]string{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		v.files[name] = f
		pt, err := template.Must(base.Clone()).ParseFS(src, f)
		if err != nil {
			return nil, fmt.Errorf("kit: page %s: %w", name, err)
		}
		v.pages[name] = pt
	}
	return v, nil
}

// Render writes a page with status, filling the shared Page fields.
func (v *Views) Render(w http.ResponseWriter, r *http.Request, status int, name string, data Pager) error {
	t, ok := v.pages[name]
	if !ok {
		return fmt.Errorf("kit: no page template %q", name)
	}
	return v.render(w, r, status, name, t, data)
}

// render writes the page's layout from template set t.
func (v *Views) render(w http.ResponseWriter, r *http.Request, status int, name string, t *template.Template, data Pager) error {
	v.fill(w, r, data.Base())
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("kit: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// fill sets the shared Page fields of a request (once).
func (v *Views) fill(w http.ResponseWriter, r *http.Request, p *Page) {
	if p.filled {
		return
	}
	p.filled = true
	if c := From(r); c != nil {
		u := c.Actor.User
		p.User = &u
		p.School = c.School.Name
		p.CSRF = c.Session.CSRFToken
		if v.k.Nav != nil {
			p.Nav = v.k.Nav(c, r.URL.Path)
			p.NavGroups = GroupNav(p.Nav)
		}
		p.Search = c.Can(authz.PupilList)
	}
	if p.Flash == "" {
		p.Flash = v.k.takeFlash(w, r)
	}
}

// pageBuffers are reused between renders: a large page (the SEN register is
// about 400 KB) otherwise grows a new buffer by doubling on every view,
// which measured a quarter of the register's server CPU in allocation and
// garbage collection.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return // an unusually large page: let it go
	}
	b.Reset()
	pageBuffers.Put(b)
}

// Execute runs one named template of a page's set (e.g. a PDF document
// body) into a string.
func (v *Views) Execute(page, name string, data any) (string, error) {
	t, ok := v.pages[page]
	if !ok {
		return "", fmt.Errorf("kit: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("kit: %s/%s: %w", page, name, err)
	}
	return buf.String(), nil
}

// AddFlashes registers a module's flash messages (key → fixed text).
func (k *Kit) AddFlashes(m map[string]string) {
	for key, msg := range m {
		if _, dup := k.flashes[key]; dup {
			panic("kit: flash " + key + " declared twice")
		}
		k.flashes[key] = msg
	}
}

// SetFlash shows a one-off confirmation on the next page. Only fixed,
// declared messages are used, so the cookie never carries pupil data.
func (k *Kit) SetFlash(w http.ResponseWriter, key string) {
	if _, ok := k.flashes[key]; !ok {
		k.Log.Error("undeclared flash", "key", key)
	}
	http.SetCookie(w, &http.Cookie{Name: "opensend_flash", Value: key, Path: "/", HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (k *Kit) takeFlash(w http.ResponseWriter, r *http.Request) string {
	ck, err := r.Cookie("opensend_flash")
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: "opensend_flash", Value: "", Path: "/", MaxAge: -1})
	return k.flashes[ck.Value]
}
