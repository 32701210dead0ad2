package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// counted is a signed-in client that counts the pages it loads (every GET
// and POST, each redirect followed by hand as a browser would).
type counted struct {
	c *client
	n int
}

func (c *counted) get(u string) resp { c.n++; return c.c.get(u) }

func (c *counted) post(u string, v url.Values) resp { c.n++; return c.c.post(u, v) }

// follow loads the page a 303 sends the browser to.
func (c *counted) follow(t *testing.T, r resp, wantPrefix string) resp {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, wantPrefix) {
		t.Fatalf("want a redirect to %s, got %d %q: %s", wantPrefix, r.StatusCode, loc, r.text())
	}
	return c.get(loc)
}

var bankBoxRe = regexp.MustCompile(`name="bank" value="(\d+)"`)

// planFor starts a draft plan for a new SEN support pupil with need.
func planFor(t *testing.T, a *app, need string) (sen.Pupil, string) {
	t.Helper()
	p := a.addPupil("Priya", "Edit"+need, "7", "7A")
	a.setSEN(&p, sen.StatusSupport, need)
	today := a.st.Today()
	cid, err := a.st.CreateCycle(context.Background(), a.f.Actor(sen.RoleSENCO), p.ID, today, today.AddDate(0, 0, 84))
	if err != nil {
		t.Fatal(err)
	}
	return p, "/plans/" + strconv.FormatInt(cid, 10)
}

// TestPlanInEightPageLoads: a plan with 2 outcomes, 3 strategies and 2
// support lines takes at most 8 page loads from the plan's page.
func TestPlanInEightPageLoads(t *testing.T) {
	a := newApp(t, store.SQLite)
	_, plan := planFor(t, a, "SLCN")
	today := a.st.Today()
	c := &counted{c: a.login(sen.RoleSENCO)}

	r := c.get(plan) // 1
	if !strings.Contains(r.Body, plan+"/outcomes/new") {
		t.Fatal("no link to add outcomes")
	}
	r = c.get(plan + "/outcomes/new") // 2
	if n := strings.Count(r.Body, `id="outcome-row-`); n != 3 {
		t.Fatalf("outcome rows: %d, want 3 blank rows", n)
	}
	ov := url.Values{"version": {spVersion(t, r.Body)}, "action": {"next"}}
	for i, text := range []string{"Follows a two-step instruction", "Reads 20 common exception words"} {
		n := strconv.Itoa(i + 1)
		ov.Set("outcome-"+n, text)
		ov.Set("successCriteria-"+n, "4 times out of 5")
		ov.Set("baseline-"+n, "1 time out of 5")
		spDateVals(ov, "targetDate-"+n, today.AddDate(0, 0, 70))
	}
	spDateVals(ov, "targetDate-3", today.AddDate(0, 0, 84))               // the blank row's default date alone adds nothing
	r = c.follow(t, c.post(plan+"/outcomes/new", ov), plan+"/strategies") // 3, 4
	boxes := bankBoxRe.FindAllStringSubmatch(r.Body, -1)
	if len(boxes) < 2 {
		t.Fatalf("bank rows: %d", len(boxes))
	}
	sv := url.Values{"version": {spVersion(t, r.Body)}, "action": {"next"}, "bank": {boxes[0][1], boxes[1][1]}, "strategyText-1": {"Sit her near the front"}}
	r = c.follow(t, c.post(plan+"/strategies", sv), plan+"/support/new") // 5, 6
	uv := url.Values{"version": {spVersion(t, r.Body)}, "action": {"save"}}
	for i, what := range []string{"Language group", "Reading buddy"} {
		n := strconv.Itoa(i + 1)
		uv.Set("what-"+n, what)
		uv.Set("who-"+n, "Mrs Shah")
		uv.Set("frequency-"+n, "3 times a week")
		uv.Set("duration-"+n, "20 minutes")
		spDateVals(uv, "supportStart-"+n, today)
	}
	r = c.follow(t, c.post(plan+"/support/new", uv), plan) // 7, 8
	if c.n > 8 {
		t.Fatalf("the plan took %d page loads, want at most 8", c.n)
	}
	for _, want := range []string{"Follows a two-step instruction", "Reads 20 common exception words", "Sit her near the front", "Language group", "Reading buddy"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("plan page lacks %q", want)
		}
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(plan, "/plans/"), 10, 64)
	v, err := a.st.SupportPlan(context.Background(), a.f.Actor(sen.RoleSENCO), id, "test")
	if err != nil || len(v.Cycle.Outcomes) != 2 || len(v.Cycle.Strategies) != 3 || len(v.Cycle.Support) != 2 {
		t.Fatalf("plan: %d outcomes, %d strategies, %d support (%v)", len(v.Cycle.Outcomes), len(v.Cycle.Strategies), len(v.Cycle.Support), err)
	}
}

func TestPlanRowsAddAnotherAndErrors(t *testing.T) {
	a := newApp(t, store.SQLite)
	_, plan := planFor(t, a, "SLCN")
	senco := a.login(sen.RoleSENCO)
	ver := spVersion(t, senco.get(plan+"/outcomes/new").Body)
	// "Add another" without JavaScript: the form comes back with one more row and what was typed.
	v := url.Values{"version": {ver}, "action": {"more"}, "outcome-1": {"Typed outcome"}, "outcome-2": {""}, "outcome-3": {""}}
	r := senco.post(plan+"/outcomes/new", v)
	if r.StatusCode != http.StatusOK || strings.Count(r.Body, `id="outcome-row-`) != 4 || !strings.Contains(r.Body, "Typed outcome") {
		t.Fatalf("add another: %d, %d rows", r.StatusCode, strings.Count(r.Body, `id="outcome-row-`))
	}
	// A half-filled row is a field error on that row; nothing is saved.
	v.Set("action", "save")
	r = senco.post(plan+"/outcomes/new", v)
	if err := hasFieldError(r, "baseline-1", "Outcome 1: Enter the baseline: where the pupil is now"); err != nil {
		t.Fatal(err)
	}
	// Every row blank: say so.
	r = senco.post(plan+"/outcomes/new", url.Values{"version": {ver}, "action": {"save"}, "outcome-1": {""}})
	if err := hasFieldError(r, "outcome-1", "Enter at least one outcome"); err != nil {
		t.Fatal(err)
	}
	// Support rows: the same.
	sv := url.Values{"version": {ver}, "action": {"save"}, "what-1": {"Group"}}
	if err := hasFieldError(senco.post(plan+"/support/new", sv), "who-1", "Support 1: Enter who provides it"); err != nil {
		t.Fatal(err)
	}
	sv.Set("action", "more")
	if r := senco.post(plan+"/support/new", sv); r.StatusCode != http.StatusOK || strings.Count(r.Body, `id="support-row-`) != 2 || !strings.Contains(r.Body, `value="Group"`) {
		t.Fatalf("support add another: %d", r.StatusCode)
	}
}

func TestPlanItemEditAmendAndConfirmRemoval(t *testing.T) {
	a := newApp(t, store.SQLite)
	ctx := context.Background()
	senco, deputy := a.login(sen.RoleSENCO), a.login(sen.RoleDeputy)
	_, plan := planFor(t, a, "SLCN")
	id, _ := strconv.ParseInt(strings.TrimPrefix(plan, "/plans/"), 10, 64)
	today := a.st.Today()
	sa := a.f.Actor(sen.RoleSENCO)
	if err := a.st.AddSupportOutcomes(ctx, sa, id, 1, []plans.Outcome{{Text: "Follows a two-step instruction", SuccessCriteria: "4 of 5", Baseline: "1 of 5", TargetDate: today.AddDate(0, 0, 60)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.st.AddPlanStrategies(ctx, sa, id, 2, nil, []string{"Chunk instructions"}); err != nil {
		t.Fatal(err)
	}
	if err := a.st.ActivateCycle(ctx, sa, id, 3); err != nil {
		t.Fatal(err)
	}
	v, _ := a.st.SupportPlan(ctx, sa, id, "test")
	o, st := v.Cycle.Outcomes[0], v.Cycle.Strategies[0]
	edit := plan + "/items/outcome-" + strconv.FormatInt(o.ID, 10) + "/edit"

	r := senco.get(plan)
	if !strings.Contains(r.Body, `href="`+edit+`"`) || strings.Contains(r.Body, `action="`+plan+`/remove"`) {
		t.Fatal("the plan page does not link to change the outcome, or still removes without asking")
	}
	r = senco.get(edit)
	if r.StatusCode != 200 || !strings.Contains(r.text(), "kept on the plan as an amendment") || !strings.Contains(r.Body, "1 of 5") {
		t.Fatalf("edit page: %d", r.StatusCode)
	}
	ver := spVersion(t, r.Body)
	deputy.get(edit)
	ev := url.Values{"version": {ver}, "outcome": {"Follows a three-step instruction"}, "successCriteria": {"4 of 5"}, "baseline": {"1 of 5"}}
	spDateVals(ev, "targetDate", o.TargetDate)
	if r := senco.post(edit, ev); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save outcome: %d %s", r.StatusCode, r.text())
	}
	// The deputy's edit from the same version is refused, showing what is saved now.
	dv := url.Values{}
	for k, x := range ev {
		dv[k] = x
	}
	dv.Set("outcome", "Deputy's outcome")
	dv.Set("csrf_token", deputy.csrf)
	r = deputy.post(edit, dv)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "three-step") || !strings.Contains(r.Body, "Deputy&#39;s outcome") {
		t.Fatalf("stale edit: %d", r.StatusCode)
	}
	// Bad input is a field error.
	ev.Set("version", spVersion(t, senco.get(edit).Body))
	ev.Set("outcome", "")
	if err := hasFieldError(senco.post(edit, ev), "outcome", "Enter the outcome"); err != nil {
		t.Fatal(err)
	}
	// The amendment is on the plan, with who and the old value.
	r = senco.get(plan)
	if !strings.Contains(r.Body, `id="amendments-table"`) || !strings.Contains(r.text(), "Outcome changed") || !strings.Contains(r.text(), "Follows a two-step instruction") ||
		!strings.Contains(r.text(), a.f.Users[sen.RoleSENCO].Name) {
		t.Fatal("amendment not shown on the plan")
	}

	// Removing asks first; "No" leaves it; "Yes" removes it and records it.
	rm := plan + "/items/strategy-" + strconv.FormatInt(st.ID, 10) + "/remove"
	r = senco.get(rm)
	if r.StatusCode != 200 || !strings.Contains(r.text(), "Are you sure you want to remove this strategy?") || !strings.Contains(r.text(), "Chunk instructions") {
		t.Fatalf("confirmation page: %d", r.StatusCode)
	}
	if r := senco.post(rm, url.Values{"version": {spVersion(t, r.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	r = senco.get(plan)
	if !strings.Contains(r.text(), "Strategy removed") || strings.Contains(r.Body, `id="strategy-`+strconv.FormatInt(st.ID, 10)+`"`) {
		t.Fatal("removal not recorded or strategy still in the plan")
	}
	if r := senco.get(rm); r.StatusCode != http.StatusNotFound {
		t.Fatalf("removed item's page: %d", r.StatusCode)
	}
	// A teacher cannot reach the edit or removal pages.
	if r := a.login(sen.RoleTeacher).get(edit); r.StatusCode != http.StatusForbidden {
		t.Fatalf("teacher: %d", r.StatusCode)
	}
	// An unknown kind of item is not found.
	if r := senco.get(plan + "/items/passport-1/edit"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown kind: %d", r.StatusCode)
	}
}

func TestStrategyBankPagesAndFilter(t *testing.T) {
	a := newApp(t, store.SQLite)
	senco := a.login(sen.RoleSENCO)
	if r := senco.get("/strategies"); r.StatusCode != 200 || !strings.Contains(r.text(), "Strategies bank") {
		t.Fatalf("bank page: %d", r.StatusCode)
	}
	r := senco.post("/strategies/new", url.Values{"title": {""}})
	if err := hasFieldError(r, "title", "Enter the strategy's name"); err != nil {
		t.Fatal(err)
	}
	r = senco.post("/strategies/new", url.Values{"title": {"Calm corner pass"}, "description": {"A card to use the calm corner for five minutes"}, "area": {sen.AreaSEMH}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %s", r.StatusCode, r.text())
	}
	bankID := strings.TrimPrefix(r.Header.Get("Location"), "/strategies#strategy-")
	edit := "/strategies/" + bankID + "/edit"
	r = senco.get(edit)
	ev := url.Values{"version": {spVersion(t, r.Body)}, "title": {"Calm corner pass"}, "description": {"A card to use the calm corner for ten minutes"}, "area": {sen.AreaSEMH}}
	if r := senco.post(edit, ev); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.StatusCode)
	}
	if r := senco.post(edit, ev); r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "ten minutes") {
		t.Fatalf("stale edit: %d", r.StatusCode)
	}

	// An NSA pupil sees every strategy, not the few with no need type.
	_, plan := planFor(t, a, "NSA")
	all, _ := a.st.StrategyBank(context.Background(), a.f.Actor(sen.RoleSENCO), "", "", "")
	r = senco.get(plan + "/strategies")
	if n := len(bankBoxRe.FindAllString(r.Body, -1)); n != len(all) || n < 30 {
		t.Fatalf("NSA pupil sees %d of %d strategies", n, len(all))
	}
	// The filter the SENCO chose is kept across page loads.
	r = senco.get(plan + "/strategies?q=calm+corner+pass&area=" + sen.AreaSEMH)
	m := bankBoxRe.FindAllStringSubmatch(r.Body, -1)
	if len(m) != 1 || m[0][1] != bankID || !strings.Contains(r.Body, `value="area=SEMH&amp;q=calm&#43;corner&#43;pass"`) {
		t.Fatalf("filtered bank: %v", m)
	}
	r = senco.post(plan+"/strategies", url.Values{"version": {spVersion(t, r.Body)}, "bank": {bankID}, "filter": {"area=SEMH&q=calm+corner+pass"}, "action": {"stay"}})
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != plan+"/strategies?area=SEMH&q=calm+corner+pass" {
		t.Fatalf("after adding: %d %q", r.StatusCode, loc)
	}
	// Retired: no longer offered.
	if r := senco.post("/strategies/"+bankID+"/retire", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", r.StatusCode)
	}
	if r := senco.get(plan + "/strategies?q=calm+corner+pass"); len(bankBoxRe.FindAllString(r.Body, -1)) != 0 {
		t.Fatal("retired strategy still offered")
	}
	if r := senco.get("/strategies"); !strings.Contains(r.text(), "Retired") || !strings.Contains(r.text(), "Restore") {
		t.Fatal("retired strategy not marked on the bank page")
	}
	if r := a.login(sen.RoleTeacher).get("/strategies"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("teacher: %d", r.StatusCode)
	}
}

func TestPlanTemplateSaveAndStart(t *testing.T) {
	a := newApp(t, store.SQLite)
	ctx := context.Background()
	senco := a.login(sen.RoleSENCO)
	_, plan := planFor(t, a, "SLCN")
	id, _ := strconv.ParseInt(strings.TrimPrefix(plan, "/plans/"), 10, 64)
	today := a.st.Today()
	sa := a.f.Actor(sen.RoleSENCO)
	if err := a.st.AddSupportOutcomes(ctx, sa, id, 1, []plans.Outcome{{Text: "Uses a word mat", SuccessCriteria: "Unprompted", Baseline: "Never", TargetDate: today.AddDate(0, 0, 60)}}); err != nil {
		t.Fatal(err)
	}
	if err := hasFieldError(senco.post(plan+"/template", url.Values{"templateName": {" "}}), "templateName", "Enter a name for the template"); err != nil {
		t.Fatal(err)
	}
	if r := senco.post(plan+"/template", url.Values{"templateName": {"Vocabulary"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save template: %d", r.StatusCode)
	}
	p := a.addPupil("Tom", "Template", "7", "7A")
	a.setSEN(&p, sen.StatusSupport, "SLCN")
	pupil := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/plan"
	r := senco.get(pupil)
	m := regexp.MustCompile(`name="template" type="radio" value="(\d+)"`).FindStringSubmatch(r.Body)
	if m == nil || !strings.Contains(r.text(), "Template: Vocabulary") || !strings.Contains(r.text(), "1 outcome, 0 strategies, 0 support lines") {
		t.Fatal("template not offered")
	}
	v := url.Values{"template": {m[1]}}
	spDateVals(v, "start", today)
	spDateVals(v, "review", today.AddDate(0, 0, 84))
	r = senco.post(pupil, v)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("start from template: %d %s", r.StatusCode, r.text())
	}
	if r := senco.get(r.Header.Get("Location")); !strings.Contains(r.Body, "Uses a word mat") || strings.Contains(r.Body, "Never") {
		t.Fatal("plan from template: outcome missing or the other pupil's baseline copied")
	}
	// A template added to an open plan (such as the draft a review opens).
	_, other := planFor(t, a, "MLD")
	r = senco.get(other)
	if !strings.Contains(r.Body, `id="apply-template"`) {
		t.Fatal("an open plan does not offer the school's templates")
	}
	if err := hasFieldError(senco.post(other+"/template/apply", url.Values{"version": {spVersion(t, r.Body)}, "template": {"999999"}}), "template", "Choose a template from the list"); err != nil {
		t.Fatal(err)
	}
	if r := senco.post(other+"/template/apply", url.Values{"version": {spVersion(t, r.Body)}, "template": {m[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply template: %d", r.StatusCode)
	}
	if r := senco.get(other); !strings.Contains(r.Body, "Uses a word mat") {
		t.Fatal("template not added to the open plan")
	}
}
