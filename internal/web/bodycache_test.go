package web_test

import (
	"net/http"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The register and pupil list reuse their rendered bodies only while
// nothing in the school has changed, and never across staff scope or
// permissions; every view is still audited, and the layout (the signed-in
// person) is rendered for each request.
func TestListBodiesReusedOnlyWhileUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in, out := a.f.InClass, a.f.NotTaught
		a.setSEN(&in, "K", "MLD")
		senco := a.login(sen.RoleSENCO)
		sencoID := a.f.Users[sen.RoleSENCO].ID

		first := senco.get("/register")
		again := senco.get("/register")
		if first.StatusCode != http.StatusOK || again.StatusCode != http.StatusOK {
			t.Fatalf("register: %d, %d", first.StatusCode, again.StatusCode)
		}
		if !strings.Contains(again.Body, in.Surname) || strings.Contains(again.Body, out.Surname) || !strings.Contains(again.text(), "1 pupil.") {
			t.Fatalf("register body: want %s alone", in.Surname)
		}
		if n := a.auditCount("register.list", sencoID); n != 2 {
			t.Errorf("two views, %d audit rows", n)
		}

		// A change: the next view shows it.
		a.setSEN(&out, "K", "ASD")
		after := senco.get("/register")
		if !strings.Contains(after.Body, out.Surname) || !strings.Contains(after.text(), "2 pupils.") {
			t.Errorf("register after a change does not show %s", out.Surname)
		}
		list := senco.get("/pupils")
		if !strings.Contains(list.Body, out.Surname) {
			t.Fatalf("pupil list: %d", list.StatusCode)
		}

		// Another person, the same filter: their own scope, permissions and name.
		teacher := a.login(sen.RoleTeacher)
		for _, u := range []string{"/register", "/pupils"} {
			r := teacher.get(u)
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, in.Surname) || strings.Contains(r.Body, out.Surname) {
				t.Errorf("teacher %s: %d, shows pupils they do not teach or misses theirs", u, r.StatusCode)
			}
			if strings.Contains(r.Body, "/register.csv") || !strings.Contains(r.Body, a.f.Users[sen.RoleTeacher].Name) {
				t.Errorf("teacher %s: the SENCO's page (CSV link, or not the teacher's name)", u)
			}
		}
		if r := senco.get("/register"); !strings.Contains(r.Body, "/register.csv") || !strings.Contains(r.Body, out.Surname) {
			t.Errorf("SENCO's register after the teacher's: not the SENCO's")
		}
	})
}
