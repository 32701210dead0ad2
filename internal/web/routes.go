package web

import "opensend/internal/authz"

// allRoutes is the whole route table: pattern, permission, handler. The
// route × role matrix test walks it.
func (s *Server) allRoutes() []route {
	rs := []route{
		{"GET /login", "", s.loginForm},
		{"POST /login", "", s.login},
		{"POST /logout", authz.Dashboard, s.logout},
		{"GET /{$}", authz.Dashboard, s.home},

		{"GET /pupils", authz.PupilList, s.pupilList},
		{"GET /pupils/new", authz.PupilWrite, s.pupilNew},
		{"POST /pupils/new", authz.PupilWrite, s.pupilCreate},
		{"GET /pupils/{id}", authz.PupilRead, s.pupilShow},
		{"GET /pupils/{id}/edit", authz.PupilWrite, s.pupilEdit},
		{"POST /pupils/{id}/edit", authz.PupilWrite, s.pupilUpdate},
		{"GET /pupils/{id}/sen", authz.RegisterWrite, s.senForm},
		{"POST /pupils/{id}/sen", authz.RegisterWrite, s.senSave},
		{"GET /pupils/{id}/audit", authz.AuditRead, s.pupilAudit},

		{"GET /import", authz.PupilImport, s.importForm},
		{"POST /import", authz.PupilImport, s.importPreview},
		{"POST /import/commit", authz.PupilImport, s.importCommit},

		{"GET /register", authz.RegisterRead, s.register},
		{"GET /register.csv", authz.RegisterExport, s.registerCSV},

		{"GET /groups", authz.GroupsManage, s.groups},
		{"POST /groups/{id}/staff", authz.GroupsManage, s.groupStaff},

		{"GET /figures", authz.AggregateRead, s.figures},
	}
	for _, f := range featureRoutes {
		rs = append(rs, f(s)...)
	}
	return rs
}

// featureRoutes lets each later capability add its own routes from its own file.
var featureRoutes []func(s *Server) []route
