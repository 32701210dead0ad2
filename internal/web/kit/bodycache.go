package kit

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"
	"sync"
)

// BodyCache keeps rendered page bodies (everything a page's "content"
// template writes, inside the layout) under a key that names everything
// the body shows: the same key means the same HTML. It holds HTML only;
// the caller has still read (and audited) what the page shows, and the
// layout (the signed-in person, the CSRF token, a flash message, the
// navigation) is rendered for each request.
type BodyCache struct {
	mu    sync.Mutex
	m     map[string]template.HTML
	bytes int
}

// maxBodyCacheBytes bounds the cache's memory; when full it starts again.
const maxBodyCacheBytes = 16 << 20

// Get returns the body filed under key.
func (c *BodyCache) Get(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

// Put files body under key (a body over a quarter of the bound is not kept).
func (c *BodyCache) Put(key string, b template.HTML) {
	if len(b) > maxBodyCacheBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+len(b) > maxBodyCacheBytes {
		c.m, c.bytes = map[string]template.HTML{}, 0
	}
	if old, ok := c.m[key]; ok {
		c.bytes -= len(old)
	}
	c.m[key] = b
	c.bytes += len(b)
}

// RenderCached is Render for a page whose body is reused: key must name
// everything the page's "content" template shows (for data read from the
// store, a stamp read before the reads, such as store.Stamp, plus the
// person where the body is theirs, their role for what they may do, the
// query). The body is rendered from data and filed under key the first
// time, and reused after; the layout around it is rendered per request. A
// "" key always renders. A body that holds the session's CSRF token (a form
// that posts) is never filed: it belongs to one session.
func (v *Views) RenderCached(w http.ResponseWriter, r *http.Request, status int, name, key string, data Pager) error {
	if key == "" {
		return v.Render(w, r, status, name, data)
	}
	shell, err := v.shell(name)
	if err != nil {
		return err
	}
	key = name + "\x00" + key
	// The shared fields first: the body may show them (the school's name).
	v.fill(w, r, data.Base())
	body, ok := v.k.Bodies.Get(key)
	if !ok {
		t := v.pages[name]
		buf := pageBuffers.Get().(*bytes.Buffer)
		defer putPageBuffer(buf)
		if err := t.ExecuteTemplate(buf, "content", data); err != nil {
			return fmt.Errorf("kit: render %s: %w", name, err)
		}
		body = template.HTML(buf.String()) // html/template's own escaped output
		if c := From(r); c == nil || c.Session.CSRFToken == "" || !strings.Contains(string(body), c.Session.CSRFToken) {
			v.k.Bodies.Put(key, body)
		}
	}
	data.Base().ReusedBody = body
	return v.render(w, r, status, name, shell, data)
}

// shell is the page's template set with its "content" replaced by the
// reused body (Page.ReusedBody): the layout and the page's other blocks
// (breadcrumbs) as they are. Made on first use from the unexecuted base.
func (v *Views) shell(name string) (*template.Template, error) {
	v.shellMu.Lock()
	defer v.shellMu.Unlock()
	if t, ok := v.shells[name]; ok {
		return t, nil
	}
	f, ok := v.files[name]
	if !ok {
		return nil, fmt.Errorf("kit: no page template %q", name)
	}
	base, err := v.base.Clone()
	if err != nil {
		return nil, fmt.Errorf("kit: shell %s: %w", name, err)
	}
	t, err := base.ParseFS(v.src, f)
	if err != nil {
		return nil, fmt.Errorf("kit: shell %s: %w", name, err)
	}
	if _, err := t.New(path.Base(f) + " reused").Parse(`{{define "content"}}{{.ReusedBody}}{{end}}`); err != nil {
		return nil, fmt.Errorf("kit: shell %s: %w", name, err)
	}
	if v.shells == nil {
		v.shells = map[string]*template.Template{}
	}
	v.shells[name] = t
	return t, nil
}

// BodyKey is the key RenderCached needs for a page built from store reads
// made after stamp (store.Stamp) and from nothing else of the request but
// its address: the stamp, the person (their name on a list, "you"), their
// role (what they may do), and the path and query string as sent.
func BodyKey(c *Ctx, r *http.Request, stamp string) string {
	if c == nil || stamp == "" {
		return ""
	}
	return fmt.Sprintf("%s user=%d role=%s %s?%s", stamp, c.Actor.User.ID, c.Actor.User.Role, r.URL.Path, r.URL.RawQuery)
}
