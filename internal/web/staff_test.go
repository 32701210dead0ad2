package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
		} else if loc := r.Header.Get("Location"); loc != "/account/password" {
			t.Errorf("temporary password: sent to %q, want the change-password page", loc)
		}
		// Nothing else until the temporary password is changed.
		if r := nia.get("/"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/password" {
			t.Errorf("home before changing the temporary password: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		if r := nia.get("/account/password"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "You signed in with a temporary password") {
			t.Fatalf("change-password page: %d", r.StatusCode)
		}
		if r := nia.post("/pupils/"+itoa(a.f.InClass.ID)+"/concerns/new", url.Values{}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/password" {
			t.Errorf("a form before changing the temporary password: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		// The temporary password works once.
		if r := a.anon().post("/login", url.Values{"email": {"nia.hale@test.example"}, "password": {m[1]}}); r.StatusCode != http.StatusUnauthorized ||
			!strings.Contains(r.Body, "This temporary password has expired or has already been used") {
			t.Errorf("temporary password a second time: %d", r.StatusCode)
		}
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

// A temporary password set by a reset expires after 7 days unused, and one
// used within them is replaced by the person's own.
func TestTemporaryPasswordExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		ta := a.f.Users[sen.RoleTA]
		reset := func() string {
			senco.get("/staff/" + itoa(ta.ID))
			r := senco.post("/staff/"+itoa(ta.ID)+"/reset", nil)
			m := tempPwRe.FindStringSubmatch(r.Body)
			if r.StatusCode != 200 || m == nil {
				t.Fatalf("reset: %d", r.StatusCode)
			}
			return m[1]
		}
		pw := reset()
		a.advance(7*24*time.Hour + time.Minute)
		if r := a.anon().post("/login", url.Values{"email": {ta.Email}, "password": {pw}}); r.StatusCode != http.StatusUnauthorized ||
			!strings.Contains(r.Body, "This temporary password has expired") {
			t.Fatalf("expired temporary password: %d", r.StatusCode)
		}
		senco = a.login(sen.RoleSENCO)
		pw = reset()
		a.advance(6 * 24 * time.Hour)
		c := a.anon()
		if r := c.post("/login", url.Values{"email": {ta.Email}, "password": {pw}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("temporary password within 7 days: %d", r.StatusCode)
		}
		c.get("/account/password")
		if r := c.post("/account/password", url.Values{"current": {pw}, "new": {"purple tractor umbrella"}, "confirm": {"purple tractor umbrella"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", r.StatusCode)
		}
		a.advance(30 * 24 * time.Hour)
		c = a.anon()
		if r := c.post("/login", url.Values{"email": {ta.Email}, "password": {"purple tractor umbrella"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("own password: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		if r := c.get("/"); r.StatusCode != http.StatusOK {
			t.Fatalf("home with own password: %d", r.StatusCode)
		}
	})
}
