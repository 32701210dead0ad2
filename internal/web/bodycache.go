package web

import (
	"html/template"
	"sync"
)

// bodyCache keeps the rendered bodies of large list pages (the SEN
// register), everything inside the layout, filed under the store's
// Listing.Stamp and what else shapes the page (the query, the user's
// permissions): the same key means the same HTML, so a register view while
// nothing in the school has changed reuses it instead of rendering 500 rows
// again. It holds HTML only; every view is still listed and audited by the
// store first, and the layout (the user, the CSRF token, a flash message) is
// rendered for each request.
type bodyCache struct {
	mu    sync.Mutex
	m     map[string]template.HTML
	bytes int
}

// maxBodyCacheBytes bounds the cache's memory; when full it starts again.
const maxBodyCacheBytes = 16 << 20

// get returns the body filed under key.
func (c *bodyCache) get(key string) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

func (c *bodyCache) put(key string, b template.HTML) {
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

// body renders the named template of page with the data made by data, or
// reuses the HTML filed under key; a "" key (a listing that is not cached,
// such as a search) is always rendered.
func (s *Server) body(page, name, key string, data func() any) (template.HTML, error) {
	if key != "" {
		if b, ok := s.bodies.get(key); ok {
			return b, nil
		}
	}
	out, err := s.views.Execute(page, name, data())
	if err != nil {
		return "", err
	}
	b := template.HTML(out) // html/template's own escaped output
	if key != "" {
		s.bodies.put(key, b)
	}
	return b, nil
}
