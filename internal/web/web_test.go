package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	t     testing.TB
	st    *store.Store
	srv   *httptest.Server
	f     *storetest.Fixture
	web   *web.Server
	clock *atomic.Pointer[time.Time]
	// nextUPN numbers the pupils addPupil creates.
	nextUPN atomic.Int64
}

func newApp(t testing.TB, engine string) *app {
	return newAppWith(t, engine, web.Config{BaseURL: "http://127.0.0.1"})
}

// newAppWith is newApp with a chosen configuration. The store's clock is an
// atomic value the test can move with a.advance (race-free while the server
// reads it).
func newAppWith(t testing.TB, engine string, cfg web.Config) *app {
	st := storetest.Open(t, engine)
	a := &app{t: t, st: st, clock: new(atomic.Pointer[time.Time])}
	start := st.Now()
	a.clock.Store(&start)
	st.Now = func() time.Time { return *a.clock.Load() }
	a.f = storetest.Seed(t, st, passwordHash(t))
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := web.New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.srv = httptest.NewServer(s.Handler())
	t.Cleanup(a.srv.Close)
	a.web = s
	return a
}

// advance moves the application's clock on by d.
func (a *app) advance(d time.Duration) {
	n := a.clock.Load().Add(d)
	a.clock.Store(&n)
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

// send is do without the browser defaults: the caller sets every header
// (e.g. Sec-Fetch-Site: cross-site) and the body is sent as given.
func (c *client) send(method, path string, body io.Reader, hdr map[string]string) resp {
	c.a.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), method, c.a.srv.URL+path, body)
	for k, v := range hdr {
		if v != "" { // an empty value leaves the header out
			req.Header.Set(k, v)
		}
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, string(b), res.Header}
}

// postRaw posts v exactly as given: no CSRF token is added.
func (c *client) postRaw(path string, v url.Values, hdr map[string]string) resp {
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
	for k, x := range hdr {
		h[k] = x
	}
	return c.send(http.MethodPost, path, strings.NewReader(v.Encode()), h)
}

// upload posts a multipart form with one file field plus fields (and the
// CSRF token), as a browser's file upload does.
func (c *client) upload(path, field, filename string, content []byte, fields url.Values) resp {
	c.a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if c.csrf != "" && fields.Get("csrf_token") == "" {
		_ = mw.WriteField("csrf_token", c.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		c.a.t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.a.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
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

// makeUPN returns a valid permanent UPN built from n, with LA number 886 (a
// real English LA number, census rule 1530).
func makeUPN(n int) string {
	rest := fmt.Sprintf("886%09d", n)
	return string(sen.UPNCheckLetter(rest)) + rest
}

// addPupil creates a pupil directly in the store (test set-up, as the SENCO).
func (a *app) addPupil(forename, surname, year, class string) sen.Pupil {
	a.t.Helper()
	p := sen.Pupil{UPN: makeUPN(700000 + int(a.nextUPN.Add(1))), Forename: forename, Surname: surname,
		DOB: time.Date(2013, 9, 14, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: year, ClassName: class}
	if err := a.st.CreatePupil(context.Background(), a.f.Actor(sen.RoleSENCO), &p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

// setSEN puts a pupil on SEN support with a primary need (test set-up).
func (a *app) setSEN(p *sen.Pupil, status, need string) {
	a.t.Helper()
	ctx := context.Background()
	senco := a.f.Actor(sen.RoleSENCO)
	cur, err := a.st.Pupil(ctx, senco, p.ID, "test set-up")
	if err != nil {
		a.t.Fatal(err)
	}
	err = a.st.RecordStatus(ctx, senco, p.ID, cur.Version, sen.StatusChange{Status: status, StartDate: a.st.Today(), DecidedBy: "test"},
		[]sen.Need{{Rank: 1, Code: need}})
	if err != nil {
		a.t.Fatal(err)
	}
}

// count runs a COUNT(*) query against the app's database.
func (a *app) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.st.DB().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// auditCount counts audit rows of action written by user.
func (a *app) auditCount(action string, userID int64) int {
	return a.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND user_id = $2`, action, userID)
}

// text is the body with HTML entities decoded, for comparing messages that
// contain apostrophes or quotes.
func (r resp) text() string { return html.UnescapeString(r.Body) }

// hasFieldError reports whether the page shows msg both in the error
// summary (linked to #field) and inline beside field.
func hasFieldError(r resp, field, msg string) error {
	t := r.text()
	if !strings.Contains(t, "There is a problem") {
		return fmt.Errorf("no error summary")
	}
	if !strings.Contains(t, `href="#`+field+`">`+msg+`</a>`) {
		return fmt.Errorf("summary lacks %q for #%s", msg, field)
	}
	re := regexp.MustCompile(`id="` + regexp.QuoteMeta(field) + `-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span>\s*` + regexp.QuoteMeta(msg))
	if !re.MatchString(t) {
		return fmt.Errorf("no inline error %q beside %s", msg, field)
	}
	return nil
}
