package sen

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every action code the store writes has a plain-English label. The codes
// are read from the store's source: the literal ones passed to s.audit and
// s.auditRead, plus those the store builds from a variable.
func TestAuditActionLabels(t *testing.T) {
	files, err := filepath.Glob("../store/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("store source: %v", err)
	}
	lit := regexp.MustCompile(`s\.audit(?:Read|List)?\(ctx, tx, .*?, "([a-z_.-]*[a-z])", "[a-z_]+", `)
	// The list views (store.ListView constants) are codes too.
	view := regexp.MustCompile(`ListView = "([a-z_.-]*[a-z])"`)
	codes := map[string]bool{}
	listViews := map[string]bool{}
	for _, f := range files {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			codes[m[1]] = true
		}
		for _, m := range view.FindAllStringSubmatch(string(b), -1) {
			codes[m[1]] = true
			listViews[m[1]] = true
		}
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d codes in the store: is the pattern out of date?", len(codes))
	}
	// Built from variables: pupils.go, staff.go, groups.go, outbox.go, plans.go,
	// ehc_plans.go (planItem and RemovePlanItem) and ehc_reviews.go.
	for _, c := range []string{"login", "login.password", "two_factor.disable", "two_factor.reset", "school.create", "mail.compose", "pupil.create", "pupil.import",
		"user.password.reset", "user.password.change", "group.staff.add", "group.staff.remove",
		"plan.outcome.remove", "plan.strategy.remove", "plan.support.remove", "strategy.retire", "strategy.restore",
		"ehc.plan.need.edit", "ehc.plan.outcome.edit",
		"ehc.plan.need.add", "ehc.plan.outcome.add", "ehc.plan.provision.add",
		"ehc.plan.need.remove", "ehc.plan.outcome.remove", "ehc.plan.provision.remove",
		"ehc.review.invitee.invited", "ehc.review.invitee.advice-requested", "ehc.review.invitee.advice-received",
		"ehc.review.report-sent", "ehc.review.decision", "ehc.review.amendment-comments", "ehc.review.amended-issued", "ehc.review.completed",
		"pupil.import.ctf"} {
		codes[c] = true
	}
	for c := range codes {
		if AuditActionLabel(c) == c {
			t.Errorf("audit action %q has no plain-English label", c)
		}
	}
	// Every list view, and the dashboard, is named on a listed pupil's trail.
	if len(listViews) < 5 {
		t.Fatalf("found only %d list views in the store: is the pattern out of date?", len(listViews))
	}
	listViews["dashboard.read"] = true
	for c := range listViews {
		if _, ok := auditListed[c]; !ok {
			t.Errorf("list view %q has no label for a listed pupil's audit trail", c)
		}
	}
	for c := range auditListed {
		if AuditActionLabel(c) == c {
			t.Errorf("listed label %q has no action label", c)
		}
	}
	if got := AuditActionLabel("something.new"); got != "something.new" {
		t.Errorf("unknown code: %q", got)
	}
}
