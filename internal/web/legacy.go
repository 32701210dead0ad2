package web

import (
	"html/template"
	"net/http"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The registries below are what is left of the init()-time plug-ins while
// the capabilities move into their own modules (issue 10). legacyModule
// turns them into one module of the explicit list.

type reqCtx = kit.Ctx

type route struct {
	pattern string
	action  authz.Action
	h       kit.HandlerFunc
}

var (
	featureRoutes    []func(s *Server) []route
	extraNav         []kit.NavItem
	pupilSections    []func(c *kit.Ctx, p sen.Pupil) *kit.Section
	dashboardWidgets []func(s *Server, r *http.Request, c *kit.Ctx) (*kit.Widget, error)
	legacyFlashes    = map[string]string{}
	funcs            = template.FuncMap{}
)

// RegisterFlash lets a capability add flash messages.
func RegisterFlash(key, msg string) { legacyFlashes[key] = msg }

func (s *Server) legacyModule() kit.Module {
	m := kit.Module{Name: "legacy", Nav: extraNav, Flashes: legacyFlashes}
	for _, f := range featureRoutes {
		for _, rt := range f(s) {
			m.Routes = append(m.Routes, kit.Route{Pattern: rt.pattern, Action: rt.action, Handler: rt.h})
		}
	}
	m.Sections = func(c *kit.Ctx, p sen.Pupil) []kit.Section {
		var out []kit.Section
		for _, f := range pupilSections {
			if sec := f(c, p); sec != nil {
				sec.Order = 30 // between the graduated approach's evidence and its plan
				out = append(out, *sec)
			}
		}
		return out
	}
	m.Widgets = func(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
		var out []kit.Widget
		for i, f := range dashboardWidgets {
			wd, err := f(s, r, c)
			if err != nil {
				return nil, err
			}
			if wd != nil {
				wd.Order = 10 * (i + 1)
				out = append(out, *wd)
			}
		}
		return out, nil
	}
	return m
}
