package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var tempPwRe = regexp.MustCompile(`<strong>([A-Z2-7]{20})</strong>`)

func TestStaffAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)

		// Field errors.
		r := senco.post("/staff/new", url.Values{"name": {""}, "email": {"not-an-email"}, "role": {"wizard"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter the person&#39;s full name") ||
			!strings.Contains(r.Body, "Enter an email address in the correct format") || !strings.Contains(r.Body, "Select the person&#39;s role") {
			t.Fatalf("errors: %d", r.StatusCode)
		}
		// Duplicate e-mail.
		r = senco.post("/staff/new", url.Values{"name": {"X"}, "email": {a.f.Users[sen.RoleTA].Email}, "role": {"ta"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "already exists") {
			t.Fatalf("duplicate: %d", r.StatusCode)
		}
		// Create: a temporary password is shown once and works.
		r = senco.post("/staff/new", url.Values{"name": {"Nia Hale"}, "email": {"nia.hale@test.example"}, "role": {"teacher"}})
		m := tempPwRe.FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || m == nil {
			t.Fatalf("create: %d", r.StatusCode)
		}
		nia := a.anon()
		if r := nia.post("/login", url.Values{"email": {"nia.hale@test.example"}, "password": {m[1]}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("new user login: %d", r.StatusCode)
		}
		nia.get("/")
		// The new teacher changes her password; a weak one is refused.
		if r := nia.post("/account/password", url.Values{"current": {m[1]}, "new": {"short"}, "confirm": {"short"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("weak password: %d", r.StatusCode)
		}
		if r := nia.post("/account/password", url.Values{"current": {m[1]}, "new": {"a much longer passphrase"}, "confirm": {"a much longer passphrase"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", r.StatusCode)
		}
		if r := nia.get("/"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("session survived a password change: %d", r.StatusCode)
		}
		nia = a.anon()
		if r := nia.post("/login", url.Values{"email": {"nia.hale@test.example"}, "password": {"a much longer passphrase"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with new password: %d", r.StatusCode)
		}
		nia.get("/")
		// Teachers cannot manage staff.
		if r := nia.get("/staff"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("teacher /staff: %d", r.StatusCode)
		}
		// Deactivation ends her session at once.
		staff, err := a.st.Staff(t.Context(), a.f.Actor(sen.RoleSENCO))
		if err != nil {
			t.Fatal(err)
		}
		var id string
		for _, s := range staff {
			if s.Email == "nia.hale@test.example" {
				id = itoa(s.ID)
			}
		}
		senco.get("/staff/" + id)
		if r := senco.post("/staff/"+id, url.Values{"name": {"Nia Hale"}, "role": {"teacher"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", r.StatusCode)
		}
		if r := nia.get("/"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("deactivated user still signed in: %d", r.StatusCode)
		}
		// A SENCO cannot deactivate or demote themself.
		self := itoa(a.f.Users[sen.RoleSENCO].ID)
		if r := senco.post("/staff/"+self, url.Values{"name": {"Test SENCO"}, "role": {"teacher"}, "active": {"yes"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("self demotion: %d", r.StatusCode)
		}
		// Another school's account is not found.
		if r := senco.get("/staff/" + itoa(a.f.Other.ID)); r.StatusCode != http.StatusNotFound {
			t.Fatalf("other school's account: %d", r.StatusCode)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// staffRow is the staff list's table row for an e-mail address.
func staffRow(t *testing.T, body, email string) string {
	t.Helper()
	for _, row := range strings.Split(body, "<tr") {
		if strings.Contains(row, ">"+email+"<") {
			return row
		}
	}
	t.Fatalf("no staff row for %s", email)
	return ""
}

func TestStaffLastSignInSurvivesSignOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		email := a.f.Users[sen.RoleTA].Email
		if row := staffRow(t, senco.get("/staff").Body, email); !strings.Contains(row, "Never") {
			t.Fatalf("before sign-in: %s", row)
		}
		ta := a.login(sen.RoleTA)
		if r := ta.post("/logout", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.StatusCode)
		}
		if row := staffRow(t, senco.get("/staff").Body, email); strings.Contains(row, "Never") {
			t.Errorf("after sign-out the staff list says never signed in: %s", row)
		}
	})
}

func TestPasswordChangeRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		teacher := a.login(sen.RoleTeacher) // "Test Teacher"
		for _, tc := range []struct{ pw, msg string }{
			{"              ", "Password must not be only spaces"},
			{"password12345!", "Password is too common and easy to guess: try three random words together"},
			{"the best Teacher ever", "Password must not contain your name or email address"},
			{"i love opensend so much", "Password must not contain the name of this service (OpenSEND)"},
		} {
			r := teacher.post("/account/password", url.Values{"current": {testPassword}, "new": {tc.pw}, "confirm": {tc.pw}})
			if err := hasFieldError(r, "new", tc.msg); err != nil {
				t.Errorf("%q: %v", tc.pw, err)
			}
		}
		if r := teacher.post("/account/password", url.Values{"current": {testPassword}, "new": {"purple tractor umbrella"}, "confirm": {"purple tractor umbrella"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("a good password: %d", r.StatusCode)
		}
	})
}
