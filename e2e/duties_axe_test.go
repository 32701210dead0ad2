package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestDutiesPagesPassAxe: the school type setting (with a field error),
// the phase transfers list, a plan's next move, an unopposed appeal and the
// calendar's appeals pass axe-core, used by keyboard-free forms without
// JavaScript-only controls.
func TestDutiesPagesPassAxe(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	senco := sen.Actor{User: a.demo.Users[sen.RoleSENCO][0]}
	plans, err := a.st.Plans(context.Background(), senco)
	if err != nil || len(plans) == 0 {
		t.Fatalf("demo plans: %d, %v", len(plans), err)
	}
	plan := fmt.Sprint(plans[0].ID)

	u := a.newUser(t, "senco")
	u.signInTo("/settings/school", a.login(t, sen.RoleSENCO), "")
	u.choose("#schoolType", "")
	u.click("#save-settings", http.StatusUnprocessableEntity, "")
	u.wantText(".govuk-error-summary", "Select the type of school or setting")
	u.choose("#schoolType", "primary")
	u.click("#save-settings", http.StatusOK, "")
	u.wantText("main", "School type and age range saved")

	u.open("/ehc/transfers", http.StatusOK, "")
	u.open("/ehc/plans/"+plan+"/move", http.StatusOK, "")
	u.choose("#choice", "leaving")
	u.click("#save-move", http.StatusUnprocessableEntity, "")
	u.wantText(".govuk-error-summary", "Select the type of school, college or setting the pupil is moving to")
	u.choose("#toType", "secondary")
	u.click("#save-move", http.StatusOK, "")
	u.wantText("main", "Next move recorded")

	u.open("/ehc/plans/"+plan+"/unopposed", http.StatusOK, "")
	u.typeDate("notified", a.st.Today().AddDate(0, 0, -7))
	u.click("#save-unopposed", http.StatusOK, "")
	u.wantText("main", "Unopposed appeal: Issue the amended EHC plan")

	office := a.newUser(t, "office")
	office.signInTo("/settings/school", a.login(t, sen.RoleOffice), "")
}
