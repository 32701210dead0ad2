package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Every view of SEN data is audited, list views included: one row per view
// (who, the filter, how many rows), shown on each listed pupil's audit page;
// a search term never reaches the audit log; the anonymous figures are not
// audited.
func TestListViewsAuditedHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in, out := a.f.InClass, a.f.NotTaught
		a.setSEN(&in, "K", "MLD")
		a.setSEN(&out, "K", "ASD")
		senco := a.login(sen.RoleSENCO)
		sencoID, teacherID := a.f.Users[sen.RoleSENCO].ID, a.f.Users[sen.RoleTeacher].ID
		auditURL := func(p sen.Pupil) string { return "/pupils/" + strconv.FormatInt(p.ID, 10) + "/audit" }
		listed := func(action string, p sen.Pupil, userID int64) int {
			return a.count(`SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id
WHERE l.action = $1 AND al.pupil_id = $2 AND l.user_id = $3`, action, p.ID, userID)
		}

		// The register: one row with the count; each listed pupil's audit
		// page shows the view.
		if r := senco.get("/register"); r.StatusCode != http.StatusOK {
			t.Fatalf("register: %d", r.StatusCode)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'register.list' AND user_id = $1 AND detail = 'rows=2 filter=status=SEN'`, sencoID); n != 1 {
			t.Fatalf("register view audit rows = %d, want 1", n)
		}
		for _, p := range []sen.Pupil{in, out} {
			page := senco.get(auditURL(p))
			if page.StatusCode != http.StatusOK || !strings.Contains(page.text(), "Listed on the SEN register") || !strings.Contains(page.text(), "rows=2 filter=status=SEN") {
				t.Errorf("%s: %d, register view not on the pupil's audit page", p.FullName(), page.StatusCode)
			}
		}

		// The CSV and a search: recorded as a search with its length, never the text.
		if r := senco.get("/register.csv?q=Okafor"); r.StatusCode != http.StatusOK {
			t.Fatalf("csv: %d", r.StatusCode)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'register.export' AND user_id = $1 AND detail = 'rows=1 filter=search=6chars status=SEN'`, sencoID); n != 1 {
			t.Errorf("register export audit rows = %d, want 1", n)
		}
		if r := senco.get("/pupils?q=carter&year=7"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Carter") {
			t.Fatalf("search: %d", r.StatusCode)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'pupil.list' AND user_id = $1 AND detail = 'rows=1 filter=search=6chars year=7'`, sencoID); n != 1 {
			t.Errorf("search audit rows = %d, want 1", n)
		}
		if listed("pupil.list", out, sencoID) != 1 || listed("pupil.list", in, sencoID) != 0 {
			t.Errorf("search: only the pupil found is listed")
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE LOWER(detail) LIKE '%okafor%' OR LOWER(detail) LIKE '%carter%'`); n != 0 {
			t.Errorf("a search term is in the audit log (%d rows)", n)
		}
		if page := senco.get(auditURL(out)); !strings.Contains(page.text(), "Listed in the pupil list or a pupil search") {
			t.Errorf("search not on the found pupil's audit page")
		}

		// The SENCO dashboard: one row per view.
		before := a.auditCount("dashboard.read", sencoID)
		if r := senco.get("/senco"); r.StatusCode != http.StatusOK {
			t.Fatalf("dashboard: %d", r.StatusCode)
		}
		if n := a.auditCount("dashboard.read", sencoID) - before; n != 1 {
			t.Errorf("dashboard audit rows = %d, want 1", n)
		}

		// A teacher's scoped lists record only the pupils they saw.
		teacher := a.login(sen.RoleTeacher) // signing in lands on the home page: one view
		for _, u := range []string{"/", "/pupils", "/my-pupils", "/register"} {
			if r := teacher.get(u); r.StatusCode != http.StatusOK {
				t.Fatalf("teacher %s: %d", u, r.StatusCode)
			}
		}
		for _, action := range []string{"home.list", "pupil.list", "mypupils.list", "register.list"} {
			want := 1
			if action == "home.list" {
				want = 2
			}
			if n := a.auditCount(action, teacherID); n != want {
				t.Errorf("teacher %s rows = %d, want %d", action, n, want)
			}
			if listed(action, in, teacherID) != want {
				t.Errorf("teacher %s: taught pupil not listed", action)
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE al.pupil_id = $1 AND l.user_id = $2`, out.ID, teacherID) +
			a.count(`SELECT COUNT(*) FROM audit_log WHERE pupil_id = $1 AND user_id = $2`, out.ID, teacherID); n != 0 {
			t.Errorf("%d audit entries for a pupil the teacher does not teach", n)
		}
		if page := senco.get(auditURL(in)); !strings.Contains(page.text(), "Listed, with their plan and passport, in My pupils with SEN") ||
			!strings.Contains(page.text(), a.f.Users[sen.RoleTeacher].Name) {
			t.Errorf("teacher's My pupils view not on the taught pupil's audit page")
		}

		// The anonymous figures are not audited.
		gov := a.login(sen.RoleGovernor)
		govID := a.f.Users[sen.RoleGovernor].ID
		n0 := a.count(`SELECT COUNT(*) FROM audit_log WHERE user_id = $1`, govID)
		for _, u := range []string{"/", "/figures"} {
			if r := gov.get(u); r.StatusCode != http.StatusOK {
				t.Fatalf("governor %s: %d", u, r.StatusCode)
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE user_id = $1`, govID) - n0; n != 0 {
			t.Errorf("the anonymous figures wrote %d audit rows", n)
		}
	})
}
