package web

import "opensend/internal/authz"

// TestRoute is one line of the route table as the tests see it.
type TestRoute struct {
	Pattern string
	Action  authz.Action
}

// RoutesForTest returns the server's whole route table (foundation and
// feature routes) for the route × role matrix test.
func (s *Server) RoutesForTest() []TestRoute {
	out := make([]TestRoute, len(s.routes))
	for i, rt := range s.routes {
		out[i] = TestRoute{rt.pattern, rt.action}
	}
	return out
}
