package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// A person sees each browser signed in to their account and signs any of
// them out; the SENCO signs a staff member out everywhere.
func TestAccountSessionsHTTP(t *testing.T) {
	a := newApp(t, store.SQLite)
	one := a.login(sen.RoleDeputy)
	two := a.login(sen.RoleDeputy)
	page := one.get("/account/sessions")
	refs := regexp.MustCompile(`id="session-([0-9a-f]+)"`).FindAllStringSubmatch(page.Body, -1)
	if page.StatusCode != http.StatusOK || len(refs) != 2 || strings.Count(page.Body, "This browser") != 1 || !strings.Contains(page.Body, "127.0.0.1") {
		t.Fatalf("sessions page: %d %d sessions %s", page.StatusCode, len(refs), page.Body)
	}
	// The one that is not this browser.
	cur := regexp.MustCompile(`id="session-([0-9a-f]+)">\s*<td class="govuk-table__cell">[^<]*<strong class="govuk-tag govuk-tag--green">This browser`).FindStringSubmatch(page.Body)
	if cur == nil {
		t.Fatal("no current session marked")
	}
	other := refs[0][1]
	if other == cur[1] {
		other = refs[1][1]
	}
	if r := one.post("/account/sessions/end", url.Values{"session": {other}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/sessions" {
		t.Fatalf("end the other: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := two.get("/"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("the ended browser still works: %d", r.StatusCode)
	}
	if r := one.get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("this browser was signed out too: %d", r.StatusCode)
	}
	if r := one.post("/account/sessions/end", url.Values{"session": {other}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end again: %d", r.StatusCode)
	}
	// Someone else's session cannot be named.
	teacher := a.login(sen.RoleTeacher)
	tp := teacher.get("/account/sessions")
	tref := regexp.MustCompile(`id="session-([0-9a-f]+)"`).FindStringSubmatch(tp.Body)
	if tref == nil {
		t.Fatal("teacher has no session listed")
	}
	one.post("/account/sessions/end", url.Values{"session": {tref[1]}})
	if r := teacher.get("/"); r.StatusCode != http.StatusOK {
		t.Fatalf("the deputy ended the teacher's session by its reference: %d", r.StatusCode)
	}
	if a.auditCount("session.end", a.f.Users[sen.RoleDeputy].ID) != 1 {
		t.Errorf("session.end audited %d times", a.auditCount("session.end", a.f.Users[sen.RoleDeputy].ID))
	}
	// Ending this browser signs out.
	if r := one.post("/account/sessions/end", url.Values{"session": {cur[1]}}); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("end this browser: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := one.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("still signed in: %d", r.StatusCode)
	}

	// The SENCO signs the teacher out everywhere.
	teacher2 := a.login(sen.RoleTeacher)
	senco := a.login(sen.RoleSENCO)
	staff := senco.get("/staff/" + id(a.f.Users[sen.RoleTeacher].ID))
	if !strings.Contains(staff.Body, `/sessions/end"`) {
		t.Fatal("no sign-out-everywhere form on the staff page")
	}
	if r := senco.post("/staff/"+id(a.f.Users[sen.RoleTeacher].ID)+"/sessions/end", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("end staff sessions: %d", r.StatusCode)
	}
	if r := teacher.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("teacher browser one still signed in: %d", r.StatusCode)
	}
	if r := teacher2.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("teacher browser two still signed in: %d", r.StatusCode)
	}
	if r := senco.get("/"); r.StatusCode != http.StatusOK {
		t.Errorf("the SENCO was signed out: %d", r.StatusCode)
	}
	if a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'staff.sessions.end' AND entity_id = $1 AND detail = 'sessions=2'`, a.f.Users[sen.RoleTeacher].ID) != 1 {
		t.Error("staff.sessions.end not audited with its count")
	}
	if r := a.login(sen.RoleTeacher).post("/staff/"+id(a.f.Users[sen.RoleSENCO].ID)+"/sessions/end", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a teacher ends the SENCO's sessions: %d", r.StatusCode)
	}
}
