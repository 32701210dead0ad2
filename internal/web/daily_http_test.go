package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The navigation is in groups: the service navigation shows the groups, the
// current group's pages are listed beneath it, and every page has the same
// width and (for staff who may list pupils) the header's pupil search.
func TestGroupedNavigationHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		senco := a.login(sen.RoleSENCO)
		home := senco.get("/")
		for _, g := range []string{"Today", "Pupils and register", "Support", "EHC", "School settings"} {
			if !strings.Contains(home.Body, `class="govuk-service-navigation__link" href="`) || !strings.Contains(home.Body, ">"+g+"<") {
				t.Errorf("SENCO's navigation has no group %q", g)
			}
		}
		reg := senco.get("/register")
		sub := regexp.MustCompile(`(?s)<nav class="app-subnav" aria-label="Pupils and register">(.*?)</nav>`).FindStringSubmatch(reg.Body)
		if sub == nil {
			t.Fatalf("no sub-navigation for the register's group")
		}
		for _, href := range []string{"/pupils", "/register", "/my-pupils", "/figures"} {
			if !strings.Contains(sub[1], `href="`+href+`"`) {
				t.Errorf("the group's pages have no link to %s", href)
			}
		}
		if !strings.Contains(sub[1], `href="/register" aria-current="page"`) || strings.Count(reg.Body, `aria-current="page"`) != 1 {
			t.Errorf("the register is not the one current page")
		}
		if strings.Contains(home.Body, `class="app-subnav"`) && !strings.Contains(home.Body, `aria-label="Today"`) {
			t.Errorf("the home page shows another group's pages")
		}
		// A teacher's navigation: groups of one page show that page (Today:
		// Home); groups of several show their heading (Support: their
		// concerns, the provision library and their intervention groups).
		teacher := a.login(sen.RoleTeacher)
		th := teacher.get("/")
		nav := regexp.MustCompile(`(?s)<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>`).FindStringSubmatch(th.Body)
		if nav == nil {
			t.Fatal("no service navigation")
		}
		for _, want := range []string{">Home<", ">Pupils and register<", ">Support<"} {
			if !strings.Contains(nav[1], want) {
				t.Errorf("teacher's navigation lacks %s: %s", want, nav[1])
			}
		}
		for _, refused := range []string{"/today", "/concerns", "/staff", "/ehc"} {
			if strings.Contains(nav[1], `href="`+refused+`"`) {
				t.Errorf("teacher's navigation links to %s", refused)
			}
		}
		// The header search: for staff who may list pupils, never for governors.
		search := `<form method="get" action="/pupils" class="app-header-search" role="search"`
		for _, u := range []string{"/", "/register", "/my-pupils", "/today", "/account/password"} {
			r := senco.get(u)
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, search) || !strings.Contains(r.Body, `for="header-pupil-search"`) {
				t.Errorf("%s: %d, no header pupil search", u, r.StatusCode)
			}
			// One width: every container is the one app width.
			if n := strings.Count(r.Body, `class="govuk-width-container`); strings.Contains(r.Body, "app-width-container--wide") || n < 3 || strings.Count(r.Body, `class="govuk-width-container app-width-container"`) != n {
				t.Errorf("%s: the page's containers differ in width", u)
			}
		}
		if r := teacher.get("/my-pupils"); !strings.Contains(r.Body, search) {
			t.Errorf("teacher has no header pupil search")
		}
		if r := a.login(sen.RoleGovernor).get("/"); strings.Contains(r.Body, search) {
			t.Errorf("a governor, who may not list pupils, is offered the pupil search")
		}
		// The search it sends is the pupil list's search (audited by its length).
		if r := senco.get("/pupils?q=okafor"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Okafor, Amara") || strings.Contains(r.Body, "Carter, Ben") ||
			!strings.Contains(r.Body, "1 May 2014") {
			t.Errorf("header search results: %d", r.StatusCode)
		}
	})
}

// The today page brings the SENCO's tasks together, filtered by year, class
// and whose move; each view is one audit row with the filter.
func TestTodayPageHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		st := a.st
		ctx := context.Background()
		senco := a.f.Actor(sen.RoleSENCO)
		for _, p := range []sen.Pupil{a.f.InClass, a.f.NotTaught} {
			if err := st.RaiseConcern(ctx, senco, &plans.Concern{PupilID: p.ID, Noticed: "Secret noticed text", Areas: []string{sen.AreaCL}}); err != nil {
				t.Fatal(err)
			}
		}
		y9 := a.addPupil("Dana", "Evans", "9", "9D")
		a.setSEN(&y9, sen.StatusSupport, "ASD")
		// An EHC plan issued 11 months and three weeks ago: its annual review is due within four weeks.
		if err := st.CreatePlan(ctx, senco, &ehc.Plan{PupilID: y9.ID, LAName: "Riverside", Issued: st.Today().AddDate(-1, 0, 21)}); err != nil {
			t.Fatal(err)
		}
		c := a.login(sen.RoleSENCO)
		r := c.get("/today")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("today: %d", r.StatusCode)
		}
		for _, want := range []string{"Amara Okafor", "Ben Carter", "Dana Evans", "Year 9, 9D", "Year 7, 7A", "Annual review", `href="/concerns/`} {
			if !strings.Contains(r.text(), want) {
				t.Errorf("today page lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "Secret noticed text") {
			t.Errorf("the today page shows what a concern says")
		}
		for _, tc := range []struct {
			query        string
			want, absent []string
		}{
			{"?class=7B", []string{"Ben Carter"}, []string{"Amara Okafor", "Dana Evans"}},
			{"?year=9", []string{"Dana Evans"}, []string{"Amara Okafor", "Ben Carter"}},
			{"?owner=LA", nil, []string{"Amara Okafor", "Ben Carter"}},
			{"?owner=School&year=9", []string{"Dana Evans"}, []string{"Ben Carter"}},
			// Values that are not among the choices are ignored, never an error.
			{"?year=99&class=nope&owner=Nobody", []string{"Amara Okafor", "Ben Carter", "Dana Evans"}, nil},
		} {
			r := c.get("/today" + tc.query)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", tc.query, r.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.text(), w) {
					t.Errorf("%s: %q missing", tc.query, w)
				}
			}
			for _, w := range tc.absent {
				if strings.Contains(r.text(), w) {
					t.Errorf("%s: %q shown", tc.query, w)
				}
			}
		}
		if r := c.get("/today?class=7B"); !strings.Contains(r.Body, `<option value="7B" selected>`) || !strings.Contains(r.text(), "1 task for your choices") {
			t.Errorf("the filter is not kept on the page, or the count is wrong")
		}
		sencoID := a.f.Users[sen.RoleSENCO].ID
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'today.list' AND user_id = $1 AND detail = 'rows=1 filter=class=7B within=28'`, sencoID); n != 2 {
			t.Errorf("class 7B views audited %d times, want 2", n)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE l.action = 'today.list' AND al.pupil_id = $1`, y9.ID); n == 0 {
			t.Errorf("the Year 9 pupil's trail does not show the today page")
		}
		if r := a.login(sen.RoleTeacher).get("/today"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher: %d, want 403", r.StatusCode)
		}
	})
}

// A teacher sees the concerns they raised and what was decided, never the
// evidence they or others wrote or the SENCO's reasons.
func TestMyConcernsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		st := a.st
		ctx := context.Background()
		teacher := a.login(sen.RoleTeacher)
		empty := teacher.get("/my-concerns")
		if empty.StatusCode != http.StatusOK || !strings.Contains(empty.Body, "You have not raised any concerns") {
			t.Fatalf("empty: %d", empty.StatusCode)
		}
		in := strconv.FormatInt(a.f.InClass.ID, 10)
		teacher.get("/pupils/" + in + "/concerns/new")
		if r := teacher.post("/pupils/"+in+"/concerns/new", map[string][]string{"noticed": {"Private noticing words"}, "areas": {sen.AreaCL}, "evidence": {"Private evidence words"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("raise: %d %s", r.StatusCode, r.Body)
		}
		r := teacher.get("/my-concerns")
		if !strings.Contains(r.text(), "Amara Okafor") || !strings.Contains(r.text(), "Waiting for the SENCO") || !strings.Contains(r.text(), "Cognition and learning") {
			t.Errorf("open concern not shown")
		}
		list, err := st.OpenConcerns(ctx, a.f.Actor(sen.RoleSENCO))
		if err != nil || len(list) != 1 {
			t.Fatalf("queue: %v", err)
		}
		review := st.Today().AddDate(0, 0, 30)
		if _, err := st.DecideConcern(ctx, a.f.Actor(sen.RoleSENCO), list[0].ID, plans.DecisionInput{Decision: plans.Monitor, Reason: "Private SENCO reason", Version: list[0].Version, MonitorReview: review}, ""); err != nil {
			t.Fatal(err)
		}
		r = teacher.get("/my-concerns")
		want := "Monitor on " + st.Today().Format("2 January 2006") + "; review by " + review.Format("2 January 2006")
		if !strings.Contains(r.text(), want) || !strings.Contains(r.text(), "Decided") {
			t.Errorf("decision not shown as %q", want)
		}
		for _, secret := range []string{"Private noticing words", "Private evidence words", "Private SENCO reason"} {
			if strings.Contains(r.text(), secret) {
				t.Errorf("my concerns shows %q", secret)
			}
		}
		// Only the concerns they raised: the TA raised none.
		if r := a.login(sen.RoleTA).get("/my-concerns"); strings.Contains(r.text(), "Amara Okafor") {
			t.Errorf("the TA sees the teacher's concern")
		}
		if n := a.auditCount("concern.mine", a.f.Users[sen.RoleTeacher].ID); n != 3 {
			t.Errorf("teacher's views audited %d times, want 3", n)
		}
	})
}

// "My pupils with SEN" is useful for every pupil: Section E outcomes for a
// pupil with an EHC plan, strategies suggested for the needs of a pupil
// without a plan, the passport where there is one.
func TestMyPupilsGuidanceHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		st := a.st
		ctx := context.Background()
		senco := a.f.Actor(sen.RoleSENCO)
		in := a.f.InClass
		a.setSEN(&in, sen.StatusSupport, "MLD")
		second := a.addPupil("Eli", "Ford", "7", "7A")
		a.setSEN(&second, sen.StatusSupport, "SLCN")
		pl := &ehc.Plan{PupilID: second.ID, LAName: "Riverside", Issued: st.Today().AddDate(0, -2, 0)}
		if err := st.CreatePlan(ctx, senco, pl); err != nil {
			t.Fatal(err)
		}
		if err := st.AddOutcome(ctx, senco, pl.ID, ehc.Outcome{Text: "Takes part in a group discussion", ByWhen: "July 2027"}); err != nil {
			t.Fatal(err)
		}
		teacher := a.login(sen.RoleTeacher)
		r := teacher.get("/my-pupils")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("my pupils: %d", r.StatusCode)
		}
		sections := map[int64]string{}
		for _, m := range regexp.MustCompile(`(?s)<section class="app-mypupil" id="pupil-(\d+)".*?</section>`).FindAllStringSubmatch(r.text(), -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			sections[id] = m[0]
		}
		k, e := sections[in.ID], sections[second.ID]
		if !strings.Contains(k, "Suggested strategies") || !strings.Contains(k, "Concrete resources in maths") || !strings.Contains(k, "no support plan yet") {
			t.Errorf("SEN support pupil without a plan has no suggested strategies for MLD:\n%s", k)
		}
		if !strings.Contains(e, "Outcomes in the EHC plan (Section E)") || !strings.Contains(e, "Takes part in a group discussion (by July 2027)") {
			t.Errorf("EHC pupil's Section E outcomes not shown:\n%s", e)
		}
		if !strings.Contains(e, "Allow thinking time") {
			t.Errorf("EHC pupil without a support plan has no strategies for SLCN")
		}
		if strings.Contains(k, "Section E") {
			t.Errorf("a pupil without an EHC plan shows Section E")
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE l.action = 'mypupils.guidance' AND al.pupil_id = $1 AND l.user_id = $2`,
			second.ID, a.f.Users[sen.RoleTeacher].ID); n != 1 {
			t.Errorf("the Section E read is on the pupil's trail %d times, want 1", n)
		}
	})
}

// A pupil picker searches without JavaScript (?q=) and names each pupil's
// year, class and date of birth; the search is audited by its length only.
func TestPupilPickerSearchHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		twin := a.addPupil("Amara", "Okafor", "8", "8B")
		c := a.login(sen.RoleSENCO)
		for _, path := range []string{"/ehc/requests/new", "/ehc/plans/new"} {
			all := c.get(path)
			if all.StatusCode != http.StatusOK || !strings.Contains(all.Body, `data-pupil-filter="pupil"`) || !strings.Contains(all.text(), "Carter, Ben – Year 7, class 7B, born 2 March 2014") {
				t.Fatalf("%s: %d, no searchable picker naming year, class and birth date", path, all.StatusCode)
			}
			r := c.get(path + "?q=okafor")
			opts := regexp.MustCompile(`<option value="\d+"[^>]*>([^<]*)</option>`).FindAllStringSubmatch(r.text(), -1)
			var names []string
			for _, o := range opts {
				names = append(names, o[1])
			}
			want := []string{"Okafor, Amara – Year 7, class 7A, born 1 May 2014", "Okafor, Amara – Year 8, class 8B, born 14 September 2013"}
			if len(names) != 2 || names[0] != want[0] || names[1] != want[1] {
				t.Errorf("%s?q=okafor: options %q, want %q", path, names, want)
			}
			if !strings.Contains(r.text(), "2 pupils match your search.") || !strings.Contains(r.Body, `value="okafor"`) {
				t.Errorf("%s: the search is not shown with its count", path)
			}
		}
		if c.get("/ehc/plans/new?request=5&q=x").Body == "" {
			t.Fatal("empty page")
		}
		if r := c.get("/ehc/plans/new?request=5"); !strings.Contains(r.Body, `<input type="hidden" name="request" value="5">`) {
			t.Errorf("the picker's search drops the request the plan form was opened from")
		}
		sencoID := a.f.Users[sen.RoleSENCO].ID
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'pupil.list' AND user_id = $1 AND detail = 'rows=2 filter=search=6chars'`, sencoID); n != 2 {
			t.Errorf("picker searches audited %d times, want 2", n)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE LOWER(detail) LIKE '%okafor%'`); n != 0 {
			t.Errorf("the search text is in the audit log")
		}
		// An error keeps the picker's search.
		r := c.post("/ehc/requests/new?q=okafor", map[string][]string{"pupil": {""}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "Select the pupil") || strings.Contains(r.text(), "Carter, Ben") {
			t.Errorf("error page: %d", r.StatusCode)
		}
		_ = twin
	})
}
