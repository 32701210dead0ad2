package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestEHCSectionsBEEditHTTP: a Section B need and a Section E outcome are
// changed in place and removed after a confirmation page; every change is
// shown on the plan with who and the old text; a stale edit is refused.
func TestEHCSectionsBEEditHTTP(t *testing.T) {
	a := newApp(t, store.SQLite)
	a.setSEN(&a.f.InClass, sen.StatusSupport, "ASD")
	senco, deputy := a.login(sen.RoleSENCO), a.login(sen.RoleDeputy)
	sa := a.f.Actor(sen.RoleSENCO)
	p := &ehc.Plan{PupilID: a.f.InClass.ID, LAName: "Riverside", Issued: day(2026, 1, 20)}
	if err := a.st.CreatePlan(t.Context(), sa, p); err != nil {
		t.Fatal(err)
	}
	if err := a.st.AddPlanNeed(t.Context(), sa, p.ID, ehc.Need{Area: sen.AreaCI, Text: "Social communication"}); err != nil {
		t.Fatal(err)
	}
	if err := a.st.AddOutcome(t.Context(), sa, p.ID, ehc.Outcome{Text: "Reads with fluency", ByWhen: "July 2027"}); err != nil {
		t.Fatal(err)
	}
	pl, _ := a.st.Plan(t.Context(), sa, p.ID)
	planURL := fmt.Sprintf("/ehc/plans/%d", p.ID)
	needEdit := fmt.Sprintf("%s/sections/need-%d/edit", planURL, pl.Needs[0].ID)
	outRemove := fmt.Sprintf("%s/sections/outcome-%d/remove", planURL, pl.Outcomes[0].ID)

	r := senco.get(planURL)
	if !strings.Contains(r.Body, `href="`+needEdit+`"`) || !strings.Contains(r.Body, `href="`+outRemove+`"`) {
		t.Fatal("the plan does not link to change or remove Section B and E entries")
	}
	r = senco.get(needEdit)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Social communication") {
		t.Fatalf("edit page: %d", r.StatusCode)
	}
	ver := spVersion(t, r.Body)
	v := url.Values{"version": {ver}, "needArea": {sen.AreaCI}, "needText": {"Social communication and interaction"}}
	if r := senco.post(needEdit, v); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save need: %d %s", r.StatusCode, r.text())
	}
	dv := url.Values{"version": {ver}, "needArea": {sen.AreaCI}, "needText": {"Deputy's text"}}
	deputy.get(needEdit)
	r = deputy.post(needEdit, dv)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "and interaction") {
		t.Fatalf("stale edit: %d", r.StatusCode)
	}
	v.Set("version", spVersion(t, senco.get(needEdit).Body))
	v.Set("needText", "")
	if err := hasFieldError(senco.post(needEdit, v), "needText", "Enter the need as written in Section B"); err != nil {
		t.Fatal(err)
	}
	r = senco.get(outRemove)
	if r.StatusCode != 200 || !strings.Contains(r.text(), "Are you sure you want to remove this Section E outcome?") || !strings.Contains(r.text(), "Reads with fluency (by July 2027)") {
		t.Fatalf("confirmation: %d", r.StatusCode)
	}
	if r := senco.post(outRemove, url.Values{"version": {spVersion(t, r.Body)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	r = senco.get(planURL)
	txt := r.text()
	if !strings.Contains(r.Body, `id="ehc-amendments"`) || !strings.Contains(txt, "Social communication and interaction") || !strings.Contains(txt, "(removed)") ||
		!strings.Contains(txt, a.f.Users[sen.RoleSENCO].Name) || strings.Contains(r.Body, `id="ehc-outcome-`) {
		t.Fatal("changes not shown on the plan")
	}
	if r := a.login(sen.RoleTeacher).get(needEdit); r.StatusCode != http.StatusForbidden {
		t.Fatalf("teacher: %d", r.StatusCode)
	}
	if r := senco.get(planURL + "/sections/provision-1/edit"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown kind: %d", r.StatusCode)
	}
}
