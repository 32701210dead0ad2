package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestPlanEditingPages: the SENCO manages the school's strategies bank (add
// with an error first, change, retire), saves a plan as a template and
// starts another pupil's plan from it, and changes and removes an EHC
// plan's Section B need and Section E outcome (confirmation page first).
// Every page passes checkPage (axe-core at WCAG 2.2 AA, CSP, script errors).
func TestPlanEditingPages(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	a.shotPrefix = "plan-edit-"
	ctx := context.Background()
	senco := a.newUser(t, "SENCO")
	senco.signInTo("/strategies", a.login(t, sen.RoleSENCO), "strategy-bank")

	// The strategies bank.
	senco.click("#add-bank-strategy", http.StatusOK, "strategy-new")
	senco.click("#save-bank-strategy", http.StatusUnprocessableEntity, "strategy-new-errors")
	senco.wantErrors("empty strategy", "Enter the strategy's name", "Enter what staff do", "Select the broad area of need")
	senco.fill("#title", "Calm corner pass")
	senco.fill("#description", "A card she can show to spend five minutes in the calm corner.")
	senco.choose("#area", sen.AreaSEMH)
	senco.click("#save-bank-strategy", http.StatusOK, "")
	senco.wantFlash("Strategy saved in the school's bank")
	row := senco.eval(`(Array.from(document.querySelectorAll('#bank-manage tbody tr')).find(r => r.textContent.includes('Calm corner pass')) || {id: ''}).id`)
	if row == "" {
		t.Fatal("the new strategy is not in the bank")
	}
	senco.click("#"+row+" a", http.StatusOK, "strategy-edit")
	senco.fill("#description", "A card she can show to spend ten minutes in the calm corner.")
	senco.click("#save-bank-strategy", http.StatusOK, "")
	senco.wantText("#"+row, "ten minutes", "This school")
	senco.click("#"+row+" button[type=submit]", http.StatusOK, "")
	senco.wantFlash("Strategy retired: it is no longer offered for new plans")
	senco.wantText("#"+row, "Retired")

	// A plan saved as a template, and a new plan started from it.
	var withPlan, without sen.Pupil
	for _, p := range a.roll(t) {
		if p.Status == sen.StatusNone {
			if without.ID == 0 {
				without = p
			}
			continue
		}
		_, found, err := a.st.CurrentSupportPlan(ctx, a.senco(), p.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if found && withPlan.ID == 0 && p.Status == sen.StatusSupport {
			withPlan = p
		}
	}
	if without.ID != 0 { // onto the register (no specialist assessment yet), without a plan
		if err := a.st.RecordStatus(ctx, a.senco(), without.ID, without.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: a.st.Today(), DecidedBy: "SENCO with parents"},
			[]sen.Need{{Rank: 1, Code: "NSA"}}); err != nil {
			t.Fatal(err)
		}
	}
	if withPlan.ID == 0 || without.ID == 0 {
		t.Fatal("the demo school needs a pupil on SEN support with a plan and one without")
	}
	v, _, err := a.st.CurrentSupportPlan(ctx, a.senco(), withPlan.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Cycle.Outcomes)+len(v.Cycle.Strategies)+len(v.Cycle.Support) == 0 {
		t.Fatal("the demo plan is empty")
	}
	cycle := "/plans/" + strconv.FormatInt(v.Cycle.ID, 10)
	senco.open(cycle, http.StatusOK, "")
	senco.click("#save-as-template", http.StatusOK, "plan-template")
	senco.click("#save-template", http.StatusUnprocessableEntity, "plan-template-errors")
	senco.wantErrors("template without a name", "Enter a name for the template")
	senco.fill("#templateName", "Reading and language")
	senco.click("#save-template", http.StatusOK, "")
	senco.wantFlash("Template saved: choose it when you start a plan")
	senco.open("/pupils/"+strconv.FormatInt(without.ID, 10)+"/plan", http.StatusOK, "plan-none-templates")
	senco.wantText("main", "Template: Reading and language")
	senco.check("input[name=template]:not([value=''])")
	senco.click("#start-plan", http.StatusOK, "plan-from-template")
	senco.wantFlash("Support plan started")
	if len(v.Cycle.Outcomes) > 0 {
		senco.wantText("#outcomes-table", v.Cycle.Outcomes[0].Text)
	}

	// An EHC plan's Sections B and E.
	var ehcPupil sen.Pupil
	for _, p := range a.roll(t) {
		if p.Status == sen.StatusEHCP {
			ehcPupil = p
			break
		}
	}
	planID, err := a.st.PlanIDForPupil(ctx, a.senco(), ehcPupil.ID)
	if err != nil {
		t.Fatalf("the demo school has no pupil with an active EHC plan: %v", err)
	}
	if err := a.st.AddPlanNeed(ctx, a.senco(), planID, ehc.Need{Area: sen.AreaCI, Text: "Understanding of spoken language is below that of his peers."}); err != nil {
		t.Fatal(err)
	}
	if err := a.st.AddOutcome(ctx, a.senco(), planID, ehc.Outcome{Text: "Will take part in a small-group discussion.", ByWhen: "July 2027"}); err != nil {
		t.Fatal(err)
	}
	plan := "/ehc/plans/" + strconv.FormatInt(planID, 10)
	senco.open(plan, http.StatusOK, "")
	senco.click("#section-b a[id^=edit-need-], #section-b + div a[id^=edit-need-]", http.StatusOK, "ehc-need-edit")
	senco.fill("#needText", "")
	senco.click("#save-section", http.StatusUnprocessableEntity, "ehc-need-edit-errors")
	senco.wantErrors("need without text", "Enter the need as written in Section B")
	senco.fill("#needText", "Understanding of spoken language is well below that of his peers.")
	senco.click("#save-section", http.StatusOK, "")
	senco.wantFlash("Plan section updated")
	senco.wantText("#ehc-amendments", "well below", "Section B")
	senco.click("#outcomes a[id^=edit-outcome-]", http.StatusOK, "ehc-outcome-edit")
	senco.fill("#outcomeBy", "December 2027")
	senco.click("#save-section", http.StatusOK, "")
	last := senco.eval(`(a => a[a.length - 1].id)(document.querySelectorAll('#outcomes a[id^=remove-outcome-]'))`)
	senco.click("#"+last, http.StatusOK, "ehc-outcome-remove")
	senco.wantText("h1", "Are you sure you want to remove this Section E outcome?")
	senco.click("#confirm-remove", http.StatusOK, "")
	senco.wantText("#ehc-amendments", "(removed)", "December 2027")
	if strings.Contains(senco.text("main"), "Are you sure") {
		t.Error("still on the confirmation page")
	}
}
