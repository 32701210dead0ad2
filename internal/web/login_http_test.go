package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

// errorSummary returns the messages of the page's error summary.
func errorSummary(r resp) []string {
	var out []string
	for _, m := range summaryRe.FindAllStringSubmatch(r.text(), -1) {
		out = append(out, m[1])
	}
	return out
}

var summaryRe = regexp.MustCompile(`<li><a href="#[^"]*">([^<]*)</a></li>`)

func cookieOf(r resp, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		teacher := a.f.Users[sen.RoleTeacher]
		loginAs := func(email, pw, next string) resp {
			v := url.Values{"email": {email}, "password": {pw}}
			if next != "" {
				v.Set("next", next)
			}
			return a.anon().post("/login", v)
		}

		t.Run("wrong password and unknown email read the same", func(t *testing.T) {
			wrong := loginAs(teacher.Email, "not the password", "")
			unknown := loginAs("nobody@test.example", "not the password", "")
			for _, r := range []resp{wrong, unknown} {
				if r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401", r.StatusCode)
				}
				if err := hasFieldError(r, "email", "Enter a correct email address and password"); err != nil {
					t.Error(err)
				}
				if cookieOf(r, "opensend_session") != nil {
					t.Error("a failed sign-in set a session cookie")
				}
			}
			if w, u := errorSummary(wrong), errorSummary(unknown); strings.Join(w, "|") != strings.Join(u, "|") {
				t.Errorf("messages differ: %q vs %q", w, u)
			}
			if r := loginAs("", "", ""); r.StatusCode != http.StatusUnprocessableEntity ||
				hasFieldError(r, "email", "Enter your email address") != nil || hasFieldError(r, "password", "Enter your password") != nil {
				t.Errorf("empty form: %d %q", r.StatusCode, errorSummary(r))
			}
		})

		t.Run("wrong passwords slow the account down, never lock it", func(t *testing.T) {
			teacher := a.f.Users[sen.RoleTA] // no earlier failures
			for i := 1; i <= 5; i++ {
				r := loginAs(teacher.Email, "guess", "")
				if r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("failure %d: %d", i, r.StatusCode)
				}
				if err := hasFieldError(r, "email", "Enter a correct email address and password"); err != nil {
					t.Errorf("failure %d: %v", i, err)
				}
			}
			r := loginAs(teacher.Email, testPassword, "")
			if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "30" {
				t.Fatalf("right password at once: %d Retry-After %q %q", r.StatusCode, r.Header.Get("Retry-After"), errorSummary(r))
			}
			if err := hasFieldError(r, "email", "Too many failed attempts to sign in. Wait 30 seconds and try again, or ask your SENCO to unlock your account"); err != nil {
				t.Error(err)
			}
			if cookieOf(r, "opensend_session") != nil {
				t.Error("throttled sign-in got a session cookie")
			}
			if n := a.count(`SELECT COUNT(*) FROM sessions WHERE user_id = $1`, teacher.ID); n != 0 {
				t.Errorf("%d sessions for a throttled account", n)
			}
			if n := a.auditCount("login.failed", teacher.ID); n != 4 {
				t.Errorf("login.failed audit rows = %d, want 4", n)
			}
			if n := a.auditCount("login.throttled", teacher.ID); n != 1 {
				t.Errorf("login.throttled audit rows = %d, want 1", n)
			}
			a.advance(31 * time.Second)
			if r := loginAs(teacher.Email, testPassword, ""); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("after the wait: %d %q", r.StatusCode, errorSummary(r))
			}
			if n := a.auditCount("login", teacher.ID); n != 1 {
				t.Errorf("login audit rows = %d, want 1", n)
			}
		})

		t.Run("session cookie flags and server-side logout", func(t *testing.T) {
			a.advance(5 * time.Minute)
			r := loginAs(a.f.Users[sen.RoleSENCO].Email, testPassword, "")
			ck := cookieOf(r, "opensend_session")
			if r.StatusCode != http.StatusSeeOther || ck == nil {
				t.Fatalf("login: %d, cookie %v", r.StatusCode, ck)
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
				t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Path=%q Secure=%v (plain-HTTP base URL)", ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure)
			}
			if len(ck.Value) < 26 { // 26 base32 characters = 130 bits
				t.Errorf("session token too short: %d", len(ck.Value))
			}

			c := a.login(sen.RoleSENCO)
			u, _ := url.Parse(a.srv.URL)
			old := c.c.Jar.Cookies(u)
			if r := c.get("/pupils"); r.StatusCode != http.StatusOK {
				t.Fatalf("signed in: %d", r.StatusCode)
			}
			if r := c.post("/logout", nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Fatalf("logout: %d %s", r.StatusCode, r.Header.Get("Location"))
			}
			// Replay the old cookie from a fresh browser: the session is gone.
			jar, _ := cookiejar.New(nil)
			jar.SetCookies(u, old)
			replay := &client{a: a, c: &http.Client{Jar: jar, CheckRedirect: c.c.CheckRedirect}}
			if r := replay.get("/pupils"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("old cookie after logout: %d %s", r.StatusCode, r.Header.Get("Location"))
			}
			if n := a.auditCount("logout", a.f.Users[sen.RoleSENCO].ID); n != 1 {
				t.Errorf("logout audit rows = %d", n)
			}
		})

		t.Run("idle session expires", func(t *testing.T) {
			a.advance(5 * time.Minute)
			c := a.login(sen.RoleHead)
			a.advance(90 * time.Minute)
			if r := c.get("/pupils"); r.StatusCode != http.StatusOK {
				t.Fatalf("after 90 minutes: %d", r.StatusCode)
			}
			a.advance(2*time.Hour + time.Minute)
			if r := c.get("/pupils"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("after 2 hours idle: %d %s", r.StatusCode, r.Header.Get("Location"))
			}
		})

		t.Run("CSRF and cross-origin POSTs", func(t *testing.T) {
			a.advance(5 * time.Minute)
			c := a.login(sen.RoleSENCO)
			form := func(upn, token string) url.Values {
				v := url.Values{"upn": {upn}, "forename": {"Csrf"}, "surname": {"Probe"}, "dob-day": {"1"}, "dob-month": {"2"},
					"dob-year": {"2015"}, "sex": {"M"}, "yearGroup": {"6"}}
				if token != "" {
					v.Set("csrf_token", token)
				}
				return v
			}
			pupils := func() int { return a.count(`SELECT COUNT(*) FROM pupils WHERE school_id = $1`, a.f.SchoolID) }
			before := pupils()
			cases := []struct {
				name string
				v    url.Values
				hdr  map[string]string
			}{
				{"no token", form(makeUPN(1), ""), nil},
				{"wrong token", form(makeUPN(1), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), nil},
				{"cross-site", form(makeUPN(1), c.csrf), map[string]string{"Sec-Fetch-Site": "cross-site"}},
				{"foreign Origin", form(makeUPN(1), c.csrf), map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"}},
			}
			for _, tc := range cases {
				h := map[string]string{}
				for k, v := range tc.hdr {
					h[k] = v
				}
				r := c.postRaw("/pupils/new", tc.v, h)
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", tc.name, r.StatusCode)
				}
				checkSecurityHeaders(t, tc.name, r)
			}
			if n := pupils(); n != before {
				t.Fatalf("a refused POST created a pupil (%d -> %d)", before, n)
			}
			// The same form with the token, same-origin, is accepted: the
			// refusals above were for the missing protections only.
			if r := c.postRaw("/pupils/new", form(makeUPN(1), c.csrf), nil); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("valid POST: %d %q", r.StatusCode, errorSummary(r))
			}
			if n := pupils(); n != before+1 {
				t.Errorf("valid POST did not create the pupil")
			}
			// A cross-site sign-out is refused and the session survives.
			if r := c.postRaw("/logout", url.Values{"csrf_token": {c.csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}); r.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site logout: %d", r.StatusCode)
			}
			if r := c.get("/pupils"); r.StatusCode != http.StatusOK {
				t.Errorf("session lost after refused logout: %d", r.StatusCode)
			}
		})

		t.Run("security headers on every kind of response", func(t *testing.T) {
			anon := a.anon()
			for _, p := range []string{"/login", "/no-such-page", "/healthz", "/pupils", "/static/app.js"} {
				r := anon.get(p)
				checkSecurityHeaders(t, p, r)
			}
			c := a.login(sen.RoleGovernor)
			for _, p := range []string{"/", "/figures", "/pupils", "/pupils/999999"} {
				checkSecurityHeaders(t, p, c.get(p))
			}
		})

		t.Run("next cannot redirect off-site", func(t *testing.T) {
			if r := a.anon().get("/login?next=" + url.QueryEscape("//evil.example")); !strings.Contains(r.Body, `name="next" value=""`) {
				t.Errorf("GET /login kept an off-site next")
			}
			if r := a.anon().get("/login?next=" + url.QueryEscape("/register")); !strings.Contains(r.Body, `name="next" value="/register"`) {
				t.Errorf("GET /login dropped a local next")
			}
			senco := a.f.Users[sen.RoleSENCO].Email
			for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example",
				"/\t/evil.example", "/\n/evil.example", "http:evil.example", "evil.example"} {
				a.advance(time.Minute)
				r := loginAs(senco, testPassword, next)
				if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != "/" {
					t.Errorf("next=%q: %d to %q, want 303 to /", next, r.StatusCode, loc)
				}
			}
			a.advance(time.Minute)
			if r := loginAs(senco, testPassword, "/register?status=all"); r.Header.Get("Location") != "/register?status=all" {
				t.Errorf("local next not honoured: %q", r.Header.Get("Location"))
			}
		})
	})
}

// TestSecureCookieOverHTTPS: with an https:// base URL the session cookie
// is Secure with the __Host- prefix and HSTS is sent.
func TestSecureCookieOverHTTPS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAppWith(t, st.Engine(), web.Config{BaseURL: "https://opensend.example"})
		r := a.anon().post("/login", url.Values{"email": {a.f.Users[sen.RoleSENCO].Email}, "password": {testPassword}})
		ck := cookieOf(r, "__Host-opensend_session")
		if r.StatusCode != http.StatusSeeOther || ck == nil {
			t.Fatalf("login: %d, cookie %v (%v)", r.StatusCode, ck, r.Header["Set-Cookie"])
		}
		if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("cookie flags: %+v", ck)
		}
		if h := r.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
			t.Errorf("no HSTS: %q", h)
		}
	})
}
