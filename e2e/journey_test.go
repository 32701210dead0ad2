package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/storetest"
)

// TestJourneys walks the main journeys in a real browser on each engine: the
// SENCO's working day, a governor's view of the figures and a teacher's view
// of their class. Every page on the way is checked with axe-core (see
// checkPage). Screenshots are taken on the first engine only.
func TestJourneys(t *testing.T) {
	browser := newBrowser(t)
	for i, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := startApp(t, engine, browser, i == 0)
			added := sencoJourney(t, a)
			governorJourney(t, a, added)
			teacherJourney(t, a, added)
		})
	}
}

// upn builds a valid UPN (check letter computed) for LA 886, school 2001.
func upn(t *testing.T, serial int) string {
	t.Helper()
	rest := fmt.Sprintf("8862001%02d%03d", 25, serial)
	return string(sen.UPNCheckLetter(rest)) + rest
}

// signIn fills and submits the sign-in form on the current page.
func (u *user) signIn(email, password string, wantStatus int, shot string) {
	u.t.Helper()
	u.typeInto("#email", email)
	u.typeInto("#password", password)
	u.click("form[action='/login'] button[type=submit]", wantStatus, shot)
}

// errorSummary returns the error summary's messages, checking that each
// links to a field that shows the same message inline.
func (u *user) errorSummary() []string {
	u.t.Helper()
	var items []struct{ Href, Text, Inline string }
	u.evalJSON(`Array.from(document.querySelectorAll('.govuk-error-summary__list a'), a => {
		const id = a.getAttribute('href').slice(1);
		const el = document.getElementById(id + '-error');
		return {href: a.getAttribute('href'), text: a.innerText.trim(), inline: el ? el.innerText.replace(/^Error:\s*/, '').trim() : ''};
	})`, &items)
	var msgs []string
	for _, it := range items {
		msgs = append(msgs, it.Text)
		if it.Inline != it.Text {
			u.t.Errorf("%s: %s: summary %q (%s) has inline message %q", u.who, u.path(), it.Text, it.Href, it.Inline)
		}
	}
	if len(items) > 0 && !strings.HasPrefix(u.eval(`document.title`), "Error: ") {
		u.t.Errorf("%s: %s: page with errors lacks the \"Error: \" title prefix", u.who, u.path())
	}
	return msgs
}

// focused describes the element that has focus.
func (u *user) focused() string {
	u.t.Helper()
	return u.eval(`(document.activeElement.id ? '#' + document.activeElement.id : document.activeElement.className) || document.activeElement.tagName`)
}

// wantFlash checks the success banner.
func (u *user) wantFlash(msg string) {
	u.t.Helper()
	if !u.has(".govuk-notification-banner--success") {
		u.t.Errorf("%s: %s: no success banner, want %q", u.who, u.path(), msg)
		return
	}
	u.wantText(".govuk-notification-banner--success", msg)
}

// rowNames lists the first-column links of the page's table ("Surname, Forename").
func (u *user) rowNames() []string {
	u.t.Helper()
	return u.texts("table.govuk-table tbody tr td:first-child a")
}

func (u *user) upload(sel, file string) {
	u.t.Helper()
	u.step("upload "+file, func(ctx context.Context) error {
		// DOM.setFileInputFiles on the file input.
		return chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file}))
	})
}

// sessionCookie checks the session cookie as Chromium stored it over plain
// http://127.0.0.1: present, HttpOnly, SameSite=Lax, and not Secure (a
// Secure cookie would not be sent back over http, so nobody could sign in).
func (u *user) sessionCookie() {
	u.t.Helper()
	var cookies []*network.Cookie
	u.step("read cookies", func(ctx context.Context) error {
		res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u.a.url + "/"}})
		cookies = res.Cookies
		return err
	})
	i := slices.IndexFunc(cookies, func(c *network.Cookie) bool { return c.Name == "opensend_session" })
	if i < 0 {
		u.t.Fatalf("%s: no opensend_session cookie after sign-in", u.who)
	}
	c := cookies[i]
	if !c.HTTPOnly || c.Secure || c.SameSite != network.CookieSameSiteLax || c.Path != "/" || len(c.Value) < 22 {
		u.t.Errorf("%s: session cookie httpOnly=%v secure=%v sameSite=%q path=%q len=%d; want HttpOnly, not Secure over http, Lax, /, a long token",
			u.who, c.HTTPOnly, c.Secure, c.SameSite, c.Path, len(c.Value))
	}
	if strings.Contains(u.eval(`document.cookie`), "opensend_session") {
		u.t.Errorf("%s: page script can read the session cookie", u.who)
	}
}

// sencoJourney is the SENCO's day. It returns the pupil added on the way.
func sencoJourney(t *testing.T, a *app) sen.Pupil {
	u := a.newUser(t, "SENCO")
	email := a.login(t, sen.RoleSENCO)

	// Signed out, the home page asks for sign-in and comes back after.
	u.open("/", http.StatusOK, "login")
	if p := u.path(); p != "/login?next=%2F" {
		t.Errorf("signed-out home went to %s, want the sign-in page", p)
	}
	// A wrong password: error summary, inline error, focus on the summary.
	u.signIn(email, "not-the-password", http.StatusUnauthorized, "login-error")
	if got := u.errorSummary(); !slices.Equal(got, []string{"Enter a correct email address and password"}) {
		t.Errorf("wrong password: error summary %q", got)
	}
	if f := u.focused(); !strings.Contains(f, "govuk-error-summary") {
		t.Errorf("wrong password: focus on %q, want the error summary", f)
	}
	if v := u.eval(`document.getElementById('email').value`); v != email {
		t.Errorf("wrong password: email box has %q, want the email kept", v)
	}
	// The right password then: the person is told of the wrong attempt
	// first (it could have been someone else), then goes on.
	u.signIn(email, demo.Password, http.StatusOK, "sign-in-attempts")
	if p := u.path(); p != "/account/sign-in-attempts?next=%2F" {
		t.Fatalf("after sign-in at %s, want the failed attempts notice", p)
	}
	u.wantText(".govuk-notification-banner__heading", "1 failed sign-in attempt since you last signed in")
	u.click("a.govuk-button[href='/']", http.StatusOK, "home")
	if p := u.path(); p != "/" {
		t.Fatalf("after the notice at %s, want /", p)
	}
	u.sessionCookie()
	u.wantText("h1", "Meadowbank Primary School")
	u.wantText(".app-userbar", "Sarah Ahmed", "SENCO")

	// The pupil list, then a search by surname.
	u.click(".govuk-service-navigation a[href='/pupils']", http.StatusOK, "pupils")
	u.wantText("main [role=status]", plural(len(a.pupils), "pupil")+" found")
	target := a.pupils[7]
	q := strings.ToLower(target.Surname)
	var want []string
	for _, p := range a.pupils {
		if strings.Contains(strings.ToLower(p.Forename+" "+p.Surname+" "+p.Surname+" "+p.Forename+" "+p.UPN), q) {
			want = append(want, p.Surname+", "+p.Forename)
		}
	}
	u.typeInto("#q", q)
	u.click("main form[action='/pupils'] button[type=submit]", http.StatusOK, "pupils-search")
	got := u.rowNames()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("search %q: rows %q, want %q", q, got, want)
	}
	if v := u.eval(`document.getElementById('q').value`); v != q {
		t.Errorf("search box lost the query: %q", v)
	}

	// Add a pupil: first with mistakes, then corrected.
	u.click("a[href='/pupils/new']", http.StatusOK, "pupil-new")
	u.typeInto("#upn", "A12")
	u.typeInto("#forename", "Maya")
	u.typeInto("#dob", "31")
	u.typeInto("#dob-month", "2")
	u.typeInto("#dob-year", "2016")
	u.choose("#yearGroup", "6")
	u.click("main form[method=post] button[type=submit]", http.StatusUnprocessableEntity, "pupil-new-errors")
	msgs := u.errorSummary()
	for _, want := range []string{"UPN", "last name", "Date of birth", "sex"} {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, want) }) {
			t.Errorf("add pupil with mistakes: no error about %q in %q", want, msgs)
		}
	}
	if v := u.eval(`document.getElementById('forename').value`); v != "Maya" {
		t.Errorf("add pupil with mistakes: first name box has %q, want what was typed", v)
	}
	// The summary links take the keyboard to the field.
	u.check(".govuk-error-summary__list a[href='#dob']")
	if f := u.focused(); f != "#dob" {
		t.Errorf("error summary link for the date of birth focuses %q, want #dob (the day box)", f)
	}
	maya := sen.Pupil{UPN: upn(t, 901), Forename: "Maya", Surname: "Whitfield", YearGroup: "6", ClassName: "6A"}
	u.typeInto("#upn", maya.UPN)
	u.typeInto("#surname", maya.Surname)
	u.typeInto("#dob", "10")
	u.typeInto("#dob-month", "10")
	u.typeInto("#dob-year", "2015")
	u.check("#sex")
	u.typeInto("#className", maya.ClassName)
	u.click("main form[method=post] button[type=submit]", http.StatusOK, "pupil")
	u.wantFlash("Pupil added")
	u.wantText("h1", "Maya Whitfield")
	u.wantText("main .govuk-summary-list", maya.UPN, "10 October 2015", "Female", "Year 6", "6A")
	pupilPath := u.path()
	id, err := strconv.ParseInt(strings.TrimPrefix(pupilPath, "/pupils/"), 10, 64)
	if err != nil {
		t.Fatalf("after adding, at %s, want /pupils/{id}", pupilPath)
	}
	maya.ID = id

	// Put her on SEN support with a primary need: first forgetting who decided.
	u.click("a[href='"+pupilPath+"/sen']", http.StatusOK, "sen-form")
	u.check("#status-K")
	u.choose("#need1", "SLCN")
	u.click("main form[method=post] button[type=submit]", http.StatusUnprocessableEntity, "sen-form-errors")
	if got := u.errorSummary(); len(got) != 1 || !strings.Contains(got[0], "who made the decision") {
		t.Errorf("SEN form without who decided: errors %q", got)
	}
	if u.eval(`String(document.getElementById('status-K').checked)`) != "true" || u.eval(`document.getElementById('need1').value`) != "SLCN" {
		t.Error("SEN form with an error lost the choices made")
	}
	u.typeInto("#decidedBy", "SENCO with parents after assess-plan-do-review")
	u.click("main form[method=post] button[type=submit]", http.StatusOK, "pupil-sen-support")
	u.wantFlash("SEN register entry saved")
	u.wantText("main", "SEN support since 23 November 2026", "Speech, language and communication needs (SLCN), primary need")
	if rows := u.texts("main table.govuk-table tbody tr"); len(rows) != 1 || !strings.Contains(rows[0], "SENCO with parents") {
		t.Errorf("status history rows %q, want the one change", rows)
	}

	// Import from the MIS: a broken file first, then a good one.
	existing := a.pupils[3]
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.csv")
	writeFile(t, bad, "UPN,Surname,Forename,Date of birth,Sex,Year group\n"+upn(t, 911)+",Nowak,Zofia,31/02/2016,F,6\n")
	u.open("/pupils", http.StatusOK, "")
	u.click("a[href='/import']", http.StatusOK, "import")
	u.upload("#file", bad)
	u.click("form[action='/import'] button[type=submit]", http.StatusUnprocessableEntity, "import-errors")
	if got := u.errorSummary(); len(got) != 1 || !strings.Contains(got[0], "nothing has been imported") {
		t.Errorf("broken import: errors %q", got)
	}
	u.wantText("main table.govuk-table tbody", "Date of birth")
	good := filepath.Join(dir, "sims-export.csv")
	writeFile(t, good, "UPN,Surname,Forename,Date of birth,Sex,Year group,Class,Admission date\n"+
		upn(t, 912)+",Nowak,Zofia,14/03/2016,F,5,5C,02/09/2021\n"+
		upn(t, 913)+",Mensah,Kwame,2016-06-30,M,5,5C,2021-09-02\n"+
		upn(t, 914)+",O'Brien,Siobhan,01/12/2015,F,6,6B,\n"+
		fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s,%s\n", existing.UPN, existing.Surname, existing.Forename, existing.DOB.Format("02/01/2006"),
			existing.Sex, existing.YearGroup, existing.ClassName, existing.AdmissionDate.Format("02/01/2006")))
	u.upload("#file", good)
	u.click("form[action='/import'] button[type=submit]", http.StatusOK, "import-preview")
	u.wantText("main", "sims-export.csv: 4 pupils read with no problems", "3 pupils will be added", "1 pupil is already in OpenSEND with the same details")
	if rows := u.texts("main table#import-new tbody tr"); len(rows) != 3 {
		t.Errorf("import preview shows %d new pupils, want 3", len(rows))
	}
	u.click("form[action='/import/commit'] button[type=submit]", http.StatusOK, "import-done")
	u.wantText("h1", "Import complete")
	u.wantText(".govuk-panel__body", "3 added, 0 updated, 1 unchanged")

	// The register, filtered to SEN support with SLCN, and its CSV.
	// The register is under "Pupils and register": the group's link, then its page.
	u.click("header a[href='/pupils']", http.StatusOK, "")
	u.click(".app-subnav a[href='/register']", http.StatusOK, "register")
	u.choose("#status", "K")
	u.choose("#need", "SLCN")
	u.click("form[action='/register'] button[type=submit]", http.StatusOK, "register-filtered")
	names := u.rowNames()
	if !slices.Contains(names, "Whitfield, Maya") {
		t.Errorf("register filtered to K + SLCN lacks the new pupil: %q", names)
	}
	for _, row := range u.texts("main table.govuk-table tbody tr") {
		if !strings.Contains(row, "SEN support") || !strings.Contains(row, "SLCN") {
			t.Errorf("register filtered to K + SLCN shows %q", row)
		}
	}
	u.wantText("main [role=status]", plural(len(names), "pupil"))
	href := u.eval(`(document.querySelector('main a[download]') || {}).getAttribute ? document.querySelector('main a[download]').getAttribute('href') : ''`)
	if !strings.HasPrefix(href, "/register.csv?") || !strings.Contains(href, "status=K") || !strings.Contains(href, "need=SLCN") {
		t.Errorf("register download link %q, want /register.csv with the filter", href)
	}
	var csv string
	u.step("download the register", func(ctx context.Context) error {
		var err error
		csv, err = chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.ok ? r.text() : 'HTTP ' + r.status)`, href), chromedp.EvalAwaitPromise))
		return err
	})
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if !strings.HasPrefix(lines[0], "UPN,Surname,Forename") || len(lines)-1 != len(names) || !strings.Contains(csv, maya.UPN+",Whitfield,Maya") {
		t.Errorf("register CSV (%d rows for %d on the page):\n%s", len(lines)-1, len(names), csv)
	}

	// Who has seen her record.
	u.open(pupilPath, http.StatusOK, "")
	u.click("a[href='"+pupilPath+"/audit']", http.StatusOK, "audit")
	if rows := u.texts("main table.govuk-table tbody tr"); len(rows) < 4 || !strings.Contains(strings.Join(rows, "\n"), "Sarah Ahmed") {
		t.Errorf("audit log rows %q, want the SENCO's views and changes", rows)
	}

	// Classes and groups: give the imported class 5C its teaching assistant.
	u.click(".govuk-service-navigation a[href='/outbox']", http.StatusOK, "")
	u.click(".app-subnav a[href='/groups']", http.StatusOK, "groups")
	gid := u.eval(`(Array.from(document.querySelectorAll('main tr[id^="group-"]')).find(r => r.querySelector('th').textContent.trim() === '5C') || {id: ''}).id.replace('group-', '')`)
	if gid == "" {
		t.Fatal("groups page has no 5C from the import")
	}
	ta := a.demo.Users[sen.RoleTA][len(a.demo.Users[sen.RoleTA])-1]
	u.choose("#user-"+gid, strconv.FormatInt(ta.ID, 10))
	u.click("form.app-add-staff[action='/groups/"+gid+"/staff'] button[type=submit]", http.StatusOK, "")
	u.wantFlash("Group staff updated")
	u.wantText("#group-"+gid, ta.Name)

	// Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing needs sideways
	// scrolling of the page; wide tables scroll inside their own box.
	u.reflow([]string{"/", "/pupils", pupilPath, pupilPath + "/sen", "/register", "/import", "/groups", "/figures", pupilPath + "/audit"})

	// An address that does not exist.
	u.open("/no-such-page", http.StatusNotFound, "")
	u.wantSignedIn("Sarah Ahmed")

	// Sign out: the session ends.
	u.click("form[action='/logout'] button[type=submit]", http.StatusOK, "signed-out")
	u.wantFlash("You have signed out")
	u.open("/pupils", http.StatusOK, "")
	if p := u.path(); p != "/login?next=%2Fpupils" {
		t.Errorf("after sign-out /pupils went to %s, want the sign-in page", p)
	}
	return maya
}

// governorJourney: governors see anonymous figures only.
func governorJourney(t *testing.T, a *app, added sen.Pupil) {
	u := a.newUser(t, "governor")
	u.open("/login", http.StatusOK, "")
	u.signIn(a.login(t, sen.RoleGovernor), demo.Password, http.StatusOK, "governor-home")
	u.open("/pupils", http.StatusForbidden, "governor-forbidden")
	u.wantText("h1", "You cannot do this")
	u.wantSignedIn("David Osei")
	u.open("/pupils/"+strconv.FormatInt(added.ID, 10), http.StatusForbidden, "")
	u.open("/figures", http.StatusOK, "figures")
	row := func(label string) string {
		return u.eval(fmt.Sprintf(`(Array.from(document.querySelectorAll('main tr')).find(r => r.querySelector('th') && r.querySelector('th').innerText.trim() === %q) || {querySelector: () => ({innerText: 'missing'})}).querySelector('td').innerText.trim()`, label))
	}
	k := 0
	for _, p := range a.roll(t) { // now, after the SENCO's changes
		if p.Status == sen.StatusSupport {
			k++
		}
	}
	if got, want := row("On roll"), strconv.Itoa(len(a.pupils)+4); got != want {
		t.Errorf("figures: on roll %s, want %s", got, want)
	}
	// A count from 1 to 4 could identify a child: governors read "fewer
	// than 5" (issue 12).
	wantK := strconv.Itoa(k)
	if k >= 1 && k <= 4 {
		wantK = "fewer than 5"
	}
	if got := row("SEN support (K)"); got != wantK {
		t.Errorf("figures: SEN support %s, want %s", got, wantK)
	}
	if strings.Contains(u.text("main"), "Whitfield") {
		t.Error("figures name a pupil")
	}
}

// teacherJourney: a class teacher sees their own class only.
func teacherJourney(t *testing.T, a *app, added sen.Pupil) {
	u := a.newUser(t, "teacher")
	u.open("/login", http.StatusOK, "")
	u.signIn(a.login(t, sen.RoleTeacher), demo.Password, http.StatusOK, "teacher-home")
	u.open("/pupils", http.StatusOK, "teacher-pupils")
	want := []string{added.Surname + ", " + added.Forename}
	var other sen.Pupil
	for _, p := range a.pupils {
		if p.ClassName == "6A" {
			want = append(want, p.Surname+", "+p.Forename)
		} else if other.ID == 0 {
			other = p
		}
	}
	got := u.rowNames()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("teacher of 6A sees %q, want %q", got, want)
	}
	if u.has("a[href='/pupils/new']") || u.has("a[href='/import']") {
		t.Error("a teacher is offered adding or importing pupils")
	}
	// Another class's pupil is "not found", not "forbidden".
	u.open("/pupils/"+strconv.FormatInt(other.ID, 10), http.StatusNotFound, "teacher-not-found")
	u.wantText("h1", "Page not found")
	u.wantSignedIn("Anna Kowalska")
}

// wantSignedIn checks an error page still shows who is signed in, with a
// way home and out, rather than offering to sign in.
func (u *user) wantSignedIn(name string) {
	u.t.Helper()
	if !u.has(".app-userbar") || !u.has("main a[href='/']") || !u.has("form[action='/logout']") {
		u.t.Errorf("%s: %s: error page does not show the signed-in user with a link home and sign-out", u.who, u.path())
		return
	}
	u.wantText(".app-userbar", name)
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// reflow opens each page at 320 pixels wide and fails if the page itself
// scrolls sideways, then restores the desktop width.
func (u *user) reflow(paths []string) {
	u.t.Helper()
	u.step("narrow viewport", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.EmulateViewport(320, 640))
	})
	for _, p := range paths {
		u.open(p, http.StatusOK, "")
		var w struct{ Scroll, Client int }
		u.evalJSON(`({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})`, &w)
		if w.Scroll > w.Client {
			var wide []string
			u.evalJSON(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.app-table-scroll')).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + String(e.className).replace(/ /g, '.'))`, &wide)
			u.t.Errorf("%s: %s at 320px is %dpx wide (scrolls sideways); widest: %q", u.who, p, w.Scroll, wide)
		}
	}
	u.step("desktop viewport", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
	})
}

// plural writes "1 pupil" or "n pupils".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
