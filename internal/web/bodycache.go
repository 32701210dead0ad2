package web

import (
	"html/template"
)

// body renders the named template of page with the data made by data, or
// reuses the HTML filed under key in the kit's body cache (kit.BodyCache,
// shared with the modules' Views.RenderCached and bounded as one): the
// rendered bodies of large list pages (the SEN register), everything inside
// the layout, filed under the store's Listing.Stamp and what else shapes
// the page (the query, the user's permissions). The same key means the same
// HTML, so a register view while nothing in the school has changed reuses
// it instead of rendering 500 rows again. Every view is still listed and
// audited by the store first, and the layout (the user, the CSRF token, a
// flash message) is rendered for each request. A "" key (a listing that is
// not cached, such as a search) is always rendered.
func (s *Server) body(page, name, key string, data func() any) (template.HTML, error) {
	if key != "" {
		key = "web " + page + "\x00" + key
		if b, ok := s.k.Bodies.Get(key); ok {
			return b, nil
		}
	}
	out, err := s.views.Execute(page, name, data())
	if err != nil {
		return "", err
	}
	b := template.HTML(out) // html/template's own escaped output
	if key != "" {
		s.k.Bodies.Put(key, b)
	}
	return b, nil
}
