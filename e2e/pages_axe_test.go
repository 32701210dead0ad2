package e2e

import (
	"net/http"
	"strconv"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestNewPagesPassAxe opens, as the role that uses each, the pages this
// round of work added or changed: the census provision setting, the staff
// page with its calendar-feed control, a pupil's audit trail with list views,
// the governors' suppressed figures and the office's letters. open checks
// each page with axe-core (WCAG 2.2 AA), for script errors and CSP reports.
func TestNewPagesPassAxe(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	var pupil sen.Pupil
	for _, p := range a.roll(t) {
		if p.Status == sen.StatusEHCP {
			pupil = p
			break
		}
	}
	if pupil.ID == 0 {
		t.Fatal("the demo school has no pupil with an EHC plan")
	}
	id := strconv.FormatInt(pupil.ID, 10)

	senco := a.newUser(t, "senco")
	senco.signInTo("/register", a.login(t, sen.RoleSENCO), "")
	for _, p := range []string{"/register/provision", "/pupils/" + id + "/sen", "/pupils/" + id + "/audit", "/staff", "/figures",
		"/register?sort=name&dir=desc", "/pupils/" + id + "/ehc"} {
		senco.open(p, http.StatusOK, "")
	}
	// The plan's delivery form lists the other pupils with the same provision.
	senco.wantText("#session-peers", "was in the session")
	gov := a.newUser(t, "governor")
	gov.signInTo("/figures", a.login(t, sen.RoleGovernor), "")
	gov.wantText("main", "fewer than 5")
	office := a.newUser(t, "office")
	office.signInTo("/ehc/letters", a.login(t, sen.RoleOffice), "")
}
