package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"opensend/internal/auth"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const testPassword = "correct horse battery staple"

var (
	hashOnce sync.Once
	pwHash   string
)

func passwordHash(t testing.TB) string {
	hashOnce.Do(func() {
		var err error
		pwHash, err = auth.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
	})
	return pwHash
}

// app is a running server with a seeded fixture school.
type app struct {
	t   testing.TB
	st  *store.Store
	srv *httptest.Server
	f   *storetest.Fixture
}

func newApp(t testing.TB, engine string) *app {
	st := storetest.Open(t, engine)
	f := storetest.Seed(t, st, passwordHash(t))
	s, err := web.New(st, web.Config{BaseURL: "http://127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &app{t: t, st: st, srv: srv, f: f}
}

// client is a browser-like user: cookies and the CSRF token of the last page.
type client struct {
	a    *app
	c    *http.Client
	csrf string
}

func (a *app) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (a *app) login(role sen.Role) *client {
	c := a.anon()
	res := c.post("/login", url.Values{"email": {a.f.Users[role].Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("login %s: %d", role, res.StatusCode)
	}
	c.get("/") // pick up the CSRF token
	return c
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

type resp struct {
	StatusCode int
	Body       string
	Header     http.Header
}

func (c *client) do(req *http.Request) resp {
	c.a.t.Helper()
	// Browsers send Sec-Fetch-Site; CrossOriginProtection relies on it.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.c.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfRe.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp{res.StatusCode, string(b), res.Header}
}

func (c *client) get(path string) resp {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, c.a.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, v url.Values) resp {
	if v == nil {
		v = url.Values{}
	}
	if c.csrf != "" && v.Get("csrf_token") == "" {
		v.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.a.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func TestSignInAndOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.anon()
		if r := c.get("/pupils"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("anonymous /pupils: %d", r.StatusCode)
		}
		r := c.post("/login", url.Values{"email": {a.f.Users[sen.RoleSENCO].Email}, "password": {"wrong"}})
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "Enter a correct email address and password") {
			t.Fatalf("wrong password: %d", r.StatusCode)
		}
		c = a.login(sen.RoleSENCO)
		r = c.get("/pupils")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Okafor, Amara") {
			t.Fatalf("pupils: %d", r.StatusCode)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
			if r.Header.Get(h) == "" {
				t.Errorf("missing %s", h)
			}
		}
		if r := c.post("/logout", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.StatusCode)
		}
		if r := c.get("/pupils"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("after logout: %d", r.StatusCode)
		}
	})
}
