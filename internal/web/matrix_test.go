package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Role shorthands for the expected-permission table.
var (
	everyone  = sen.Roles
	pupilRead = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA, sen.RoleOffice}
	rollKeep  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}
	senWrite  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	senRead   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	senLeads  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
	figures   = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleGovernor}
)

// expectedAccess is the foundation's access policy written out by hand
// (not derived from authz), so a wrong grant or a wrong action on a route
// makes the matrix test fail.
var expectedAccess = map[string][]sen.Role{
	"GET /login":   everyone,
	"POST /login":  everyone,
	"POST /logout": everyone,
	"GET /{$}":     everyone,

	"GET /pupils":             pupilRead,
	"GET /pupils/new":         rollKeep,
	"POST /pupils/new":        rollKeep,
	"GET /pupils/{id}":        pupilRead,
	"GET /pupils/{id}/edit":   rollKeep,
	"POST /pupils/{id}/edit":  rollKeep,
	"GET /pupils/{id}/sen":    senWrite,
	"POST /pupils/{id}/sen":   senWrite,
	"GET /pupils/{id}/audit":  senLeads,
	"GET /import":             rollKeep,
	"POST /import":            rollKeep,
	"POST /import/commit":     rollKeep,
	"GET /register":           senRead,
	"GET /register.csv":       senLeads,
	"GET /groups":             rollKeep,
	"POST /groups/{id}/staff": rollKeep,
	"GET /figures":            figures,
}

var wildcardRe = regexp.MustCompile(`\{[^}]*\}`)

// concretePath turns a route pattern's path into a URL, with every
// wildcard replaced by id (a pupil the role may see).
func concretePath(path string, id int64) string {
	path = strings.ReplaceAll(path, "{$}", "")
	return wildcardRe.ReplaceAllString(path, strconv.FormatInt(id, 10))
}

func splitPattern(p string) (method, path string) {
	method, path, ok := strings.Cut(p, " ")
	if !ok {
		return "GET", p
	}
	if i := strings.Index(path, "/"); i > 0 { // host-qualified pattern
		path = path[i:]
	}
	return method, path
}

func sameRoles(a, b []sen.Role) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !roleIn(r, b) {
			return false
		}
	}
	return true
}

func roleIn(r sen.Role, rs []sen.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func checkSecurityHeaders(t *testing.T, what string, r resp) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("%s: weak or missing CSP %q", what, csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s: %s = %q, want %q", what, h, got, want)
		}
	}
}

// TestAuthorisationMatrix walks every route of the route table for every
// role, and anonymously.
func TestAuthorisationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		routes := a.web.Routes()
		// Sign-out ends the session, so it is checked last.
		sort.SliceStable(routes, func(i, j int) bool {
			return routes[i].Pattern != "POST /logout" && routes[j].Pattern == "POST /logout"
		})
		seen := map[string]bool{}
		for _, rt := range routes {
			seen[rt.Pattern] = true
		}
		for p := range expectedAccess {
			if !seen[p] {
				t.Errorf("route %q in the expected table is not in the route table", p)
			}
		}
		var viaAuthz []string
		for _, rt := range routes {
			if _, ok := expectedAccess[rt.Pattern]; !ok {
				viaAuthz = append(viaAuthz, rt.Pattern+" ("+string(rt.Action)+")")
			}
		}
		if len(viaAuthz) > 0 {
			t.Logf("%d feature routes not in the foundation table, expected access taken from authz.Can: %s", len(viaAuthz), strings.Join(viaAuthz, ", "))
		}
		allow := map[string][]sen.Role{}
		for _, rt := range routes {
			if rt.Allow != nil {
				allow[rt.Pattern] = rt.Allow
			}
		}
		expect := func(pattern string, action authz.Action, role sen.Role) bool {
			if rs, ok := expectedAccess[pattern]; ok {
				if a, ok := allow[pattern]; ok && !sameRoles(a, rs) {
					t.Errorf("%s: route allows %v, test table %v", pattern, a, rs)
				}
				return roleIn(role, rs)
			}
			if rs, ok := allow[pattern]; ok {
				return roleIn(role, rs)
			}
			return action == "" || authz.Can(role, action)
		}
		// {id} is a pupil in 7A, which every role that sees pupils may see
		// (the teacher and TA teach 7A). Its id is above every user id so a
		// feature route whose {id} is a user (e.g. a staff password reset)
		// cannot hit the signed-in user's own account.
		maxUser := int64(a.count(`SELECT MAX(id) FROM users`))
		probe := a.f.InClass
		for probe.ID <= maxUser {
			probe = a.addPupil("Matrix", "Probe", "7", "7A")
		}
		id := probe.ID

		for _, role := range sen.Roles {
			a.advance(time.Minute) // keep within the sign-in rate limit
			c := a.login(role)
			for _, rt := range routes {
				method, path := splitPattern(rt.Pattern)
				u := concretePath(path, id)
				var r resp
				switch method {
				case http.MethodGet:
					r = c.get(u)
				case http.MethodPost:
					r = c.post(u, url.Values{})
				default:
					t.Errorf("route %s: method %s not covered by the matrix", rt.Pattern, method)
					continue
				}
				what := role.Label() + " " + method + " " + u
				checkSecurityHeaders(t, what, r)
				if expect(rt.Pattern, rt.Action, role) {
					if r.StatusCode == http.StatusForbidden {
						t.Errorf("%s: 403, want allowed", what)
					}
					if loc := r.Header.Get("Location"); strings.HasPrefix(loc, "/login") && rt.Pattern != "POST /logout" {
						t.Errorf("%s: redirected to %s, want allowed", what, loc)
					}
					if r.StatusCode >= 500 {
						t.Errorf("%s: %d", what, r.StatusCode)
					}
				} else if r.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", what, r.StatusCode)
				}
				// A feature POST may end the session on purpose (e.g.
				// changing one's own password); sign in again so the
				// remaining routes are still checked.
				if method == http.MethodPost && rt.Pattern != "POST /logout" {
					if r := c.get("/"); r.StatusCode != http.StatusOK {
						t.Logf("%s ended the session; signing in again", what)
						a.advance(time.Minute)
						c = a.login(role)
					}
				}
			}
		}

		anon := a.anon()
		for _, rt := range routes {
			if rt.Action == "" {
				continue
			}
			method, path := splitPattern(rt.Pattern)
			u := concretePath(path, id)
			var r resp
			if method == http.MethodPost {
				r = anon.postRaw(u, url.Values{}, nil)
			} else {
				r = anon.get(u)
			}
			if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
				t.Errorf("anonymous %s %s: %d to %q, want 303 to /login", method, u, r.StatusCode, loc)
			}
			if strings.Contains(r.Body, a.f.InClass.Surname) {
				t.Errorf("anonymous %s %s: body shows pupil data", method, u)
			}
		}
	})
}

// TestRelationshipScoping: teachers and TAs see only the pupils they teach,
// another school sees none, governors never see a name.
func TestRelationshipScoping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in, out := a.f.InClass, a.f.NotTaught
		a.setSEN(&in, "K", "SPLD")
		a.setSEN(&out, "E", "ASD")
		path := func(p sen.Pupil, rest string) string { return "/pupils/" + strconv.FormatInt(p.ID, 10) + rest }

		for _, role := range []sen.Role{sen.RoleTeacher, sen.RoleTA} {
			c := a.login(role)
			uid := a.f.Users[role].ID
			if r := c.get(path(out, "")); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, out.Surname) {
				t.Errorf("%s: pupil not taught: %d, want 404 without the name", role, r.StatusCode)
			}
			if r := c.get(path(in, "")); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, in.FullName()) {
				t.Errorf("%s: pupil in class: %d, want 200 with the name", role, r.StatusCode)
			}
			if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND pupil_id = $2`, uid, out.ID); n != 0 {
				t.Errorf("%s: %d audit rows claim a read of a pupil that was not found", role, n)
			}
			for _, u := range []string{"/pupils", "/pupils?q=" + strings.ToLower(out.Surname), "/register", "/register?status=all", "/register?need=ASD", "/"} {
				r := c.get(u)
				if r.StatusCode != http.StatusOK {
					t.Errorf("%s %s: %d", role, u, r.StatusCode)
					continue
				}
				if strings.Contains(r.Body, out.Surname) || strings.Contains(r.Body, out.UPN) {
					t.Errorf("%s %s lists a pupil they do not teach", role, u)
				}
			}
			for _, u := range []string{"/pupils", "/register", "/"} {
				if r := c.get(u); !strings.Contains(r.Body, in.Surname) {
					t.Errorf("%s %s does not list their own pupil", role, u)
				}
			}
		}

		// A SENCO of another school: both pupils are "not found", whatever the route.
		other := a.anon()
		if r := other.post("/login", url.Values{"email": {a.f.Other.Email}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("other SENCO login: %d", r.StatusCode)
		}
		other.get("/")
		for _, p := range []sen.Pupil{in, out} {
			for _, rest := range []string{"", "/edit", "/sen", "/audit"} {
				if r := other.get(path(p, rest)); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, p.Surname) {
					t.Errorf("other school GET %s: %d, want 404", path(p, rest), r.StatusCode)
				}
			}
			r := other.post(path(p, "/edit"), url.Values{"upn": {p.UPN}, "forename": {"Hijack"}, "surname": {"Attempt"}, "dob-day": {"1"},
				"dob-month": {"1"}, "dob-year": {"2014"}, "sex": {"F"}, "yearGroup": {"7"}, "version": {"2"}})
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("other school POST edit: %d, want 404", r.StatusCode)
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM pupils WHERE forename = 'Hijack'`); n != 0 {
			t.Errorf("another school's SENCO changed a pupil")
		}
		for _, u := range []string{"/pupils", "/register?status=all", "/register.csv?status=all", "/"} {
			r := other.get(u)
			if strings.Contains(r.Body, in.Surname) || strings.Contains(r.Body, out.Surname) {
				t.Errorf("other school %s shows this school's pupils", u)
			}
		}

		// Office staff keep the roll but see no SEN detail.
		office := a.login(sen.RoleOffice)
		for _, u := range []string{path(in, ""), path(out, ""), "/pupils", "/pupils?status=K&need=SPLD", "/"} {
			r := office.get(u)
			if r.StatusCode != http.StatusOK {
				t.Errorf("office %s: %d", u, r.StatusCode)
				continue
			}
			for _, s := range []string{"SEN support", "EHC plan", "Specific learning difficulty", "Autistic spectrum disorder", ">SPLD<", "(SPLD)", "(ASD)"} {
				if strings.Contains(r.Body, s) {
					t.Errorf("office %s shows SEN detail %q", u, s)
				}
			}
		}

		// Governors see figures only.
		gov := a.login(sen.RoleGovernor)
		for _, u := range []string{"/", "/figures"} {
			r := gov.get(u)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("governor %s: %d", u, r.StatusCode)
			}
			for _, p := range []sen.Pupil{in, out} {
				for _, s := range []string{p.Surname, p.Forename, p.UPN} {
					if strings.Contains(r.Body, s) {
						t.Errorf("governor %s shows %q", u, s)
					}
				}
			}
		}
	})
}
