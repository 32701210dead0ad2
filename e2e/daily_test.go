package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestDailyUse walks the daily pages with axe-core (open and click check
// every page: WCAG 2.2 AA, script errors, CSP reports): the grouped
// navigation and its sub-navigation by keyboard, the today page and its
// filters, the header's pupil search, a pupil picker that filters as you
// type, and a teacher's "My concerns" and "My pupils with SEN".
func TestDailyUse(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, true)
	a.shotPrefix = "daily-"
	senco := a.newUser(t, "senco")
	senco.signInTo("/today", a.login(t, sen.RoleSENCO), "today")
	senco.wantText("h1", "Today")
	senco.wantText(".govuk-service-navigation", "Today", "Pupils and register", "Support", "EHC", "School settings")
	senco.wantText(".app-subnav", "Home", "Today", "SENCO dashboard")

	// The filter is in the query string and kept on the page.
	senco.choose("#owner", "School")
	senco.click("main form[action='/today'] button[type=submit]", http.StatusOK, "today-filtered")
	if p := senco.path(); !strings.Contains(p, "owner=School") {
		t.Errorf("today filter not in the address: %s", p)
	}
	senco.wantText("main [role=status]", "for your choices")

	// The navigation by keyboard: Tab from the skip link reaches the groups,
	// and Enter on a group opens its first page with its pages beneath.
	senco.open("/", http.StatusOK, "")
	senco.step("tab to the Pupils and register group", func(ctx context.Context) error {
		for range 12 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				return err
			}
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute('href') || ''`))
			if err != nil {
				return err
			}
			if href == "/pupils" {
				_, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter))
				return err
			}
		}
		return fmt.Errorf("the Pupils and register group is not reached by Tab")
	})
	senco.checkPage("nav-pupils")
	senco.wantText(".app-subnav", "Pupils", "SEN register", "My pupils with SEN", "Figures")
	senco.click(".app-subnav a[href='/register']", http.StatusOK, "")
	if cur := senco.eval(`document.querySelector('.app-subnav [aria-current=page]').getAttribute('href')`); cur != "/register" {
		t.Errorf("current page in the sub-navigation: %q", cur)
	}

	// The header search finds a pupil from any page.
	target := a.pupils[3]
	senco.typeInto("#header-pupil-search", strings.ToLower(target.Surname))
	senco.click("form.app-header-search button[type=submit]", http.StatusOK, "header-search")
	if !slices.Contains(senco.rowNames(), target.Surname+", "+target.Forename) {
		t.Errorf("header search for %q did not find %s", target.Surname, target.FullName())
	}

	// A pupil picker filters as you type, naming year, class and birth date.
	senco.open("/ehc/requests/new", http.StatusOK, "picker")
	all, _ := strconv.Atoi(senco.eval(`String(Array.from(document.querySelectorAll('#pupil option')).filter(o => o.value).length)`))
	if all != len(a.pupils) {
		t.Errorf("picker lists %d pupils, want %d", all, len(a.pupils))
	}
	senco.typeInto("#pupil-q", strings.ToLower(target.Surname))
	want := 0
	for _, p := range a.pupils {
		if strings.Contains(strings.ToLower(p.Surname+", "+p.Forename), strings.ToLower(target.Surname)) {
			want++
		}
	}
	var got []string
	senco.step("wait for the picker to filter", func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`Array.from(document.querySelectorAll('#pupil option')).filter(o => o.value).length === %d`, want)))
		return err
	})
	senco.evalJSON(`Array.from(document.querySelectorAll('#pupil option')).filter(o => o.value).map(o => o.textContent)`, &got)
	born := "born " + target.DOB.Format("2 January 2006")
	if !slices.ContainsFunc(got, func(s string) bool {
		return strings.HasPrefix(s, target.Surname+", "+target.Forename) && strings.Contains(s, born)
	}) {
		t.Errorf("picker options %q lack %s with %q", got, target.FullName(), born)
	}
	senco.wantText("#pupil-q-count", "your search")
	if p := senco.path(); p != "/ehc/requests/new" {
		t.Errorf("typing reloaded the page: %s", p)
	}
	senco.checkPage("picker-filtered")
	senco.reflow([]string{"/today", "/my-concerns", "/ehc/requests/new?q=" + strings.ToLower(target.Surname)})

	// A teacher's concerns and pupils: two of the pupils they teach put on
	// SEN support, one with an EHC plan and a Section E outcome.
	var tu sen.User
	email := a.login(t, sen.RoleTeacher)
	for _, u := range a.demo.Users[sen.RoleTeacher] {
		if u.Email == email {
			tu = u
		}
	}
	ctx := context.Background()
	sencoActor := sen.Actor{User: a.demo.Users[sen.RoleSENCO][0], IP: "127.0.0.1"}
	taught, _, err := a.st.ListPupils(ctx, sen.Actor{User: tu}, store.PupilFilter{Status: "N", Limit: 2})
	if err != nil || len(taught) != 2 {
		t.Fatalf("the demo teacher teaches %d pupils with no SEN (%v), want 2", len(taught), err)
	}
	for _, p := range taught {
		if err := a.st.RecordStatus(ctx, sencoActor, p.ID, p.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: a.st.Today(), DecidedBy: "SENCO"}, []sen.Need{{Rank: 1, Code: "SLCN"}}); err != nil {
			t.Fatal(err)
		}
	}
	plan := &ehc.Plan{PupilID: taught[1].ID, LAName: "Riverside", Issued: a.st.Today().AddDate(0, -1, 0)}
	if err := a.st.CreatePlan(ctx, sencoActor, plan); err != nil {
		t.Fatal(err)
	}
	if err := a.st.AddOutcome(ctx, sencoActor, plan.ID, ehc.Outcome{Text: "Asks for help using a help card", ByWhen: "July 2027"}); err != nil {
		t.Fatal(err)
	}
	teacher := a.newUser(t, "teacher")
	teacher.signInTo("/my-concerns", a.login(t, sen.RoleTeacher), "my-concerns")
	teacher.wantText("h1", "My concerns")
	teacher.open("/my-pupils", http.StatusOK, "my-pupils-guidance")
	teacher.wantText(fmt.Sprintf("#pupil-%d", taught[0].ID), "Suggested strategies", "Allow thinking time")
	teacher.wantText(fmt.Sprintf("#pupil-%d", taught[1].ID), "Outcomes in the EHC plan (Section E)", "Asks for help using a help card (by July 2027)")
	teacher.reflow([]string{"/my-pupils", "/my-concerns"})
}
