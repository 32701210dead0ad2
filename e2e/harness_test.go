package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"opensend/internal/demo"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// stepTimeout bounds one browser step (a navigation, a click, an axe run).
const stepTimeout = 30 * time.Second

// needOrFail skips a test when a tool is missing on a developer's machine,
// and fails it on CI (CI=true), where the suite must really run.
func needOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (this fails when CI=true)", args...)
}

// repoRoot finds the module root (the directory holding go.mod).
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("e2e: cannot find the repository root (go.mod)")
		}
		dir = parent
	}
}

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axeSource reads axe-core as installed by `make assets` (npm ci).
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join(repoRoot(t), "node_modules", "axe-core", "axe.min.js"))
		axeSrc = string(b)
	})
	if axeErr != nil {
		needOrFail(t, "e2e: axe-core is not installed (run `make assets`): %v", axeErr)
	}
	return axeSrc
}

// newBrowser starts one headless Chromium for the test, with the flags the
// PDF renderer uses on this kind of machine.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := pdf.BrowserPath()
	if err != nil {
		needOrFail(t, "e2e: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		needOrFail(t, "e2e: Chromium at %s: %v", path, err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), pdf.AllocatorOptions(path)...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	// The first run starts the browser: no timeout on it (a timeout there
	// would stop the whole browser when it fires).
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("e2e: start Chromium: %v", err)
	}
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return browser
}

// app is the real OpenSEND, in-process, over a seeded demo school.
type app struct {
	engine  string
	st      *store.Store
	demo    *demo.Result
	pupils  []sen.Pupil // the roll as seeded, read back from the store
	url     string
	browser context.Context
	shots   string // screenshot directory, "" for none
	shotN   int
	// shotPrefix starts this app's screenshot names, so journeys that run
	// one after another keep their own pictures.
	shotPrefix string
	clock      *atomic.Int64 // the store's clock, Unix nanoseconds (see setToday)
}

// cleanShots empties the screenshot directory once per test run, so it
// holds only this run's pictures from every journey.
var cleanShots sync.Once

func startApp(t *testing.T, engine string, browser context.Context, shots bool) *app {
	t.Helper()
	st := storetest.Open(t, engine)
	res, err := demo.Seed(context.Background(), st, demo.Options{Seed: 1, Pupils: 60})
	if err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	// A clock a journey can move on (setToday), read atomically by the
	// server's goroutines.
	clock := new(atomic.Int64)
	clock.Store(st.Now().UnixNano())
	st.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s, err := web.New(st, web.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	a := &app{engine: engine, st: st, demo: res, url: srv.URL, browser: browser, clock: clock}
	a.pupils = a.roll(t)
	if shots {
		a.shots = os.Getenv("OPENSEND_SHOTS")
		if a.shots == "" {
			a.shots = filepath.Join(os.TempDir(), "opensend-shots")
		}
		if err := os.MkdirAll(a.shots, 0o755); err != nil {
			t.Fatal(err)
		}
		cleanShots.Do(func() {
			old, _ := filepath.Glob(filepath.Join(a.shots, "*.png"))
			for _, f := range old { // leave only this run's pictures
				_ = os.Remove(f)
			}
		})
	}
	return a
}

// setToday moves the application's clock to 09:00 UTC on a date, as if the
// journey skipped ahead to that day. Sessions that have been idle too long
// end, as they would.
func (a *app) setToday(y int, m time.Month, d int) {
	a.clock.Store(time.Date(y, m, d, 9, 0, 0, 0, time.UTC).UnixNano())
}

// roll reads the whole roll from the store, as the SENCO sees it. Later
// demo seeds change statuses after demo.Result.Pupils is taken, so the
// expectations come from here.
func (a *app) roll(t *testing.T) []sen.Pupil {
	t.Helper()
	senco := sen.Actor{User: a.demo.Users[sen.RoleSENCO][0], IP: "127.0.0.1"}
	list, _, err := a.st.ListPupils(context.Background(), senco, store.PupilFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// login returns the demo account's email for role.
func (a *app) login(t *testing.T, role sen.Role) string {
	t.Helper()
	for _, l := range a.demo.Logins {
		if l.Role == role {
			return l.Email
		}
	}
	t.Fatalf("demo has no %s login", role)
	return ""
}

// watchScript runs in every document before the page's own scripts. It is
// injected over CDP, so the page's CSP does not apply to it, and records
// what the CSP blocked and any uncaught script error.
const watchScript = `window.__e2e = {csp: [], errors: []};
document.addEventListener('securitypolicyviolation', e => window.__e2e.csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
window.addEventListener('error', e => window.__e2e.errors.push(String(e.message || e.type) + ' at ' + (e.filename || '') + ':' + (e.lineno || '')));
window.addEventListener('unhandledrejection', e => window.__e2e.errors.push('unhandled rejection: ' + String(e.reason)));`

// user is one person at one browser: a tab in its own browser context, so
// each user has their own cookies.
type user struct {
	t   *testing.T
	a   *app
	ctx context.Context
	who string
}

func (a *app) newUser(t *testing.T, who string) *user {
	t.Helper()
	ctx, cancel := chromedp.NewContext(a.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	u := &user{t: t, a: a, ctx: ctx, who: who}
	// The first run opens the tab: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		t.Fatalf("add watch script: %v", err)
	}
	return u
}

// step runs f with a bounded context.
func (u *user) step(what string, f func(ctx context.Context) error) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		u.t.Fatalf("%s: %s: %v", u.who, what, err)
	}
}

// open navigates to path, expects the final HTTP status, and checks the page.
func (u *user) open(path string, wantStatus int, shot string) {
	u.t.Helper()
	u.step("open "+path, func(ctx context.Context) error {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u.a.url+path))
		if err != nil {
			return err
		}
		if int(resp.Status) != wantStatus {
			return fmt.Errorf("status %d, want %d (%s)", resp.Status, wantStatus, resp.URL)
		}
		return nil
	})
	u.checkPage(shot)
}

// click clicks sel, which must load a new page with wantStatus, and checks
// that page.
func (u *user) click(sel string, wantStatus int, shot string) {
	u.t.Helper()
	u.step("click "+sel, func(ctx context.Context) error {
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		if err != nil {
			return err
		}
		if int(resp.Status) != wantStatus {
			return fmt.Errorf("status %d, want %d (%s)", resp.Status, wantStatus, resp.URL)
		}
		return nil
	})
	u.checkPage(shot)
}

// typeInto replaces an input's text by typing, as a person would.
func (u *user) typeInto(sel, text string) {
	u.t.Helper()
	if u.eval(fmt.Sprintf(`(e => e ? (e.value = '', 'ok') : 'missing')(document.querySelector(%q))`, sel)) != "ok" {
		u.t.Fatalf("%s: %s: no %s to type into", u.who, u.path(), sel)
	}
	u.step("type into "+sel, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text))
	})
}

// choose selects an option of a <select> by value.
func (u *user) choose(sel, value string) {
	u.t.Helper()
	u.step("choose "+value+" in "+sel, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value))
	})
	if got := u.eval(fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != value {
		u.t.Fatalf("%s: %s has value %q, want %q (no such option?)", u.who, sel, got, value)
	}
}

// check ticks a radio or checkbox by clicking it.
func (u *user) check(sel string) {
	u.t.Helper()
	u.step("check "+sel, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)))
	})
}

// eval evaluates a JavaScript expression that yields a string.
func (u *user) eval(js string) string {
	u.t.Helper()
	var out string
	u.step("evaluate "+js, func(ctx context.Context) error {
		var err error
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](js))
		return err
	})
	return out
}

// evalJSON evaluates js and decodes its JSON-able result into v.
func (u *user) evalJSON(js string, v any, opts ...chromedp.EvaluateOption) {
	u.t.Helper()
	u.step("evaluate "+js, func(ctx context.Context) error {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, opts...))
		if err != nil {
			return err
		}
		return json.Unmarshal(raw, v)
	})
}

// text returns the visible text of the first element matching sel.
func (u *user) text(sel string) string {
	u.t.Helper()
	var out string
	u.step("text of "+sel, func(ctx context.Context) error {
		var err error
		out, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		return err
	})
	return strings.Join(strings.Fields(out), " ")
}

// texts returns the text of every element matching sel (none is fine).
func (u *user) texts(sel string) []string {
	u.t.Helper()
	var out []string
	u.evalJSON(fmt.Sprintf(`Array.from(document.querySelectorAll(%q), e => e.innerText.replace(/\s+/g, ' ').trim())`, sel), &out)
	return out
}

// has reports whether an element matches sel.
func (u *user) has(sel string) bool {
	u.t.Helper()
	return u.eval(fmt.Sprintf(`String(document.querySelector(%q) !== null)`, sel)) == "true"
}

// wantText fails unless the element's text contains every want.
func (u *user) wantText(sel string, wants ...string) {
	u.t.Helper()
	got := u.text(sel)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			u.t.Errorf("%s: %s on %s says %q, want it to contain %q", u.who, sel, u.path(), got, w)
		}
	}
}

// path is the current page's path and query.
func (u *user) path() string {
	u.t.Helper()
	return u.eval(`location.pathname + location.search`)
}

var titleRE = regexp.MustCompile(`^(Error: )?\S.* – OpenSEND$`)

// checkPage runs the checks every page must pass: a proper title and one
// h1, the GOV.UK Frontend script running under the CSP, no CSP violation,
// no script error, and no axe-core violation at WCAG 2.2 AA. With shot, it
// also saves a full-page screenshot.
func (u *user) checkPage(shot string) {
	u.t.Helper()
	var st struct {
		Title     string   `json:"title"`
		H1s       int      `json:"h1s"`
		Supported bool     `json:"supported"`
		CSP       []string `json:"csp"`
		Errors    []string `json:"errors"`
		Watched   bool     `json:"watched"`
	}
	u.evalJSON(`({title: document.title, h1s: document.querySelectorAll('h1').length,
		supported: document.body.classList.contains('govuk-frontend-supported'),
		watched: !!window.__e2e, csp: (window.__e2e || {}).csp || [], errors: (window.__e2e || {}).errors || []})`, &st)
	where := u.path()
	if !st.Watched {
		u.t.Errorf("%s: %s: the CSP/error watcher did not run", u.who, where)
	}
	if !titleRE.MatchString(st.Title) {
		u.t.Errorf("%s: %s: title %q does not read \"<page> – OpenSEND\"", u.who, where, st.Title)
	}
	if st.H1s != 1 {
		u.t.Errorf("%s: %s: %d h1 headings, want 1", u.who, where, st.H1s)
	}
	if !st.Supported {
		u.t.Errorf("%s: %s: GOV.UK Frontend did not start (app.js blocked or failed)", u.who, where)
	}
	for _, c := range st.CSP {
		u.t.Errorf("%s: %s: Content Security Policy violation: %s", u.who, where, c)
	}
	for _, e := range st.Errors {
		u.t.Errorf("%s: %s: script error: %s", u.who, where, e)
	}
	for _, v := range u.axe() {
		u.t.Errorf("%s: %s: axe %s", u.who, where, v)
	}
	if shot != "" && u.a.shots != "" {
		u.screenshot(shot)
	}
}

// axeViolation is one failed axe rule with the nodes that fail it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.URL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %s  %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return b.String()
}

// axeTags are the rule sets for WCAG 2.2 level AA (axe has no 2.2 level A
// rules of its own; 2.2 AA adds target size).
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']`

// axe injects axe-core into the page over CDP (Runtime.evaluate is not
// subject to the page's CSP, which forbids inline script) and runs it on
// the whole document.
func (u *user) axe() []axeViolation {
	u.t.Helper()
	src := axeSource(u.t)
	u.step("inject axe-core", func(ctx context.Context) error {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`if (typeof window.axe === 'undefined') {`+src+"\n}\n"+
			`typeof window.axe === 'object' && typeof window.axe.run === 'function'`))
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("axe-core did not load")
		}
		return nil
	})
	var res struct {
		Violations []axeViolation `json:"violations"`
		Passes     int            `json:"passes"`
	}
	u.evalJSON(`axe.run(document, {runOnly: {type: 'tag', values: `+axeTags+`}, resultTypes: ['violations']}).then(r => ({
		passes: r.passes.length,
		violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html.slice(0, 200), summary: n.failureSummary || ''}))}))
	}))`, &res, chromedp.EvalAwaitPromise)
	if res.Passes == 0 {
		u.t.Errorf("%s: %s: axe-core ran no passing rules: is it really running?", u.who, u.path())
	}
	return res.Violations
}

// screenshot saves a full-page PNG, 1280 pixels wide.
func (u *user) screenshot(name string) {
	u.t.Helper()
	u.a.shotN++
	file := filepath.Join(u.a.shots, fmt.Sprintf("%s%02d-%s.png", u.a.shotPrefix, u.a.shotN, name))
	u.step("screenshot "+name, func(ctx context.Context) error {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return err
		}
		return os.WriteFile(file, png, 0o644)
	})
}

// media emulates a CSS media type ("print", or "" for the screen again).
func (u *user) media(m string) {
	u.t.Helper()
	u.step("emulate media "+m, func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// fetched is a response fetched from inside the page.
type fetched struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Body   []byte `json:"body"` // base64 in JSON
}

// fetch downloads href from the page itself, with the user's cookies, as
// following a download link would.
func (u *user) fetch(href string) fetched {
	u.t.Helper()
	var f fetched
	u.evalJSON(fmt.Sprintf(`fetch(%q).then(async r => {
		const a = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
		return {status: r.status, type: r.headers.get('content-type') || '', body: btoa(s)};
	})`, href), &f, chromedp.EvalAwaitPromise)
	return f
}

// pdfText checks that a fetched file is a PDF and returns its text as
// pdftotext extracts it.
func pdfText(t *testing.T, what string, f fetched) string {
	t.Helper()
	if f.Status != 200 || f.Type != "application/pdf" || !strings.HasPrefix(string(f.Body), "%PDF") {
		head := f.Body[:min(len(f.Body), 40)]
		t.Fatalf("%s: status %d, type %q, starts %q; want a PDF", what, f.Status, f.Type, head)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		needOrFail(t, "e2e: pdftotext (Debian package poppler-utils) is not installed: %v", err)
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, f.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("%s: pdftotext: %v", what, err)
	}
	return string(out)
}

// typeDate fills a GOV.UK date input (name, name-month, name-year).
func (u *user) typeDate(name string, d time.Time) {
	u.t.Helper()
	u.typeInto("#"+name, fmt.Sprint(d.Day()))
	u.typeInto("#"+name+"-month", fmt.Sprint(int(d.Month())))
	u.typeInto("#"+name+"-year", fmt.Sprint(d.Year()))
}

// signInTo opens path without a live session, signs in as email on the
// sign-in page it is sent to, and expects to come back to path.
func (u *user) signInTo(path, email, shot string) {
	u.t.Helper()
	u.open(path, 200, "")
	if p := u.path(); !strings.HasPrefix(p, "/login?next=") {
		u.t.Fatalf("%s: %s without a session went to %s, want the sign-in page", u.who, path, p)
	}
	u.signIn(email, demo.Password, 200, shot)
	if p := u.path(); p != path {
		u.t.Fatalf("%s: after signing in at %s, want %s", u.who, p, path)
	}
}

// fill sets a text field's value at once and fires its input and change
// events: for long text, where typing it key by key only costs time.
func (u *user) fill(sel, text string) {
	u.t.Helper()
	js := fmt.Sprintf(`(e => e ? (e.value = %q, e.dispatchEvent(new Event('input', {bubbles: true})), e.dispatchEvent(new Event('change', {bubbles: true})), 'ok') : 'missing')(document.querySelector(%q))`, text, sel)
	if u.eval(js) != "ok" {
		u.t.Fatalf("%s: %s: no %s to fill", u.who, u.path(), sel)
	}
}
