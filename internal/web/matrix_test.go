package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

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
	// A page: self only and never framed. A downloaded document: nothing
	// may load and it runs sandboxed (stricter still).
	page := strings.Contains(csp, "default-src 'self'") && strings.Contains(csp, "frame-ancestors 'none'")
	document := strings.Contains(csp, "default-src 'none'") && strings.Contains(csp, "sandbox")
	if !(page || document) || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("%s: weak or missing CSP %q", what, csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s: %s = %q, want %q", what, h, got, want)
		}
	}
}

// TestAuthorisationMatrix walks every route of every module for every role,
// and anonymously. Each route's expected access is the hand-written Allow
// beside it in its module (cross-checked for the foundation against
// expectedAccess above); a route without one fails. Every request is made on
// a fresh, real record of the kind the route's {id} names, visible to the
// teacher and TA, so "allowed" means the handler answered: a page (200), a
// redirect that is not to sign-in (303), or the form shown again (4xx other
// than 403 and 404). A 404 on an allowed route fails: it would hide a route
// that no one can reach.
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
			if seen[rt.Pattern] {
				t.Errorf("route %q is declared twice", rt.Pattern)
			}
			seen[rt.Pattern] = true
			if rt.Allow == nil {
				t.Errorf("route %q (module %s) has no hand-written expected access (Allow)", rt.Pattern, rt.Module)
			}
			if strings.Contains(rt.Pattern, "{") && !strings.Contains(rt.Pattern, "{$}") && rt.ID == "" {
				t.Errorf("route %q (module %s) does not say what kind of record its path names (ID)", rt.Pattern, rt.Module)
			}
			if rt.Action == "" && !sameRoles(rt.Allow, sen.Roles) {
				t.Errorf("route %q is open (no permission) but its Allow names only some roles", rt.Pattern)
			}
			if rs, ok := expectedAccess[rt.Pattern]; ok && !sameRoles(rt.Allow, rs) {
				t.Errorf("%s: module allows %v, the test's table %v", rt.Pattern, rt.Allow, rs)
			}
		}
		for p := range expectedAccess {
			if !seen[p] {
				t.Errorf("route %q in the expected table is not in the route table", p)
			}
		}
		pr := newProber(a)

		for _, role := range sen.Roles {
			a.advance(time.Minute) // keep within the sign-in rate limit
			c := a.login(role)
			for _, rt := range routes {
				method, path := splitPattern(rt.Pattern)
				u, form := pr.path(t, rt.ID, path)
				var r resp
				switch method {
				case http.MethodGet:
					r = c.get(u)
				case http.MethodPost:
					r = c.post(u, form)
				default:
					t.Errorf("route %s: method %s not covered by the matrix", rt.Pattern, method)
					continue
				}
				what := role.Label() + " " + method + " " + u + " (" + rt.Pattern + ")"
				checkSecurityHeaders(t, what, r)
				if roleIn(role, rt.Allow) {
					loc := r.Header.Get("Location")
					switch {
					case r.StatusCode == http.StatusForbidden:
						t.Errorf("%s: 403, want allowed", what)
					case r.StatusCode == http.StatusNotFound:
						t.Errorf("%s: 404 on a real record, want the handler to answer", what)
					case strings.HasPrefix(loc, "/login") && rt.Pattern != "POST /logout":
						t.Errorf("%s: redirected to %s, want allowed", what, loc)
					case r.StatusCode >= 500:
						t.Errorf("%s: %d", what, r.StatusCode)
					case method == http.MethodGet && r.StatusCode != http.StatusOK && r.StatusCode != http.StatusSeeOther:
						t.Errorf("%s: %d, want the page (200) or a redirect (303)", what, r.StatusCode)
					}
				} else if r.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", what, r.StatusCode)
				}
				// A POST may end the session on purpose (e.g. changing
				// one's own password); sign in again so the remaining
				// routes are still checked.
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
			u, form := pr.path(t, rt.ID, path)
			var r resp
			if method == http.MethodPost {
				r = anon.postRaw(u, form, nil)
			} else {
				r = anon.get(u)
			}
			if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
				t.Errorf("anonymous %s %s: %d to %q, want 303 to /login", method, u, r.StatusCode, loc)
			}
			if strings.Contains(r.Body, a.f.InClass.Surname) || strings.Contains(r.Body, "Probe") {
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
