package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var feedURLRe = regexp.MustCompile(`(/calendar/feed/[A-Za-z0-9]+)`)

// A personal calendar feed stops working when the SENCO turns it off from
// the staff page, deactivates the person, moves them to a role without the
// calendar (even if moved back), or resets their password. Both engines.
func TestStaffCalendarFeedRevoked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		headUser := a.f.Users[sen.RoleHead]
		page := "/staff/" + itoa(headUser.ID)
		newFeed := func() string {
			t.Helper()
			head := a.login(sen.RoleHead)
			r := head.post("/calendar/feed", nil)
			m := feedURLRe.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no feed address shown: %d", r.StatusCode)
			}
			if r := a.anon().get(m[1]); r.StatusCode != http.StatusOK {
				t.Fatalf("new feed: %d", r.StatusCode)
			}
			return m[1]
		}
		dead := func(feed, after string) {
			t.Helper()
			if r := a.anon().get(feed); r.StatusCode != http.StatusNotFound {
				t.Errorf("feed still served after %s: %d", after, r.StatusCode)
			}
			if n := a.count(`SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1`, headUser.ID); n != 0 {
				t.Errorf("feed row kept after %s", after)
			}
		}
		save := func(role sen.Role, active bool) {
			t.Helper()
			senco.get(page)
			v := url.Values{"name": {headUser.Name}, "role": {string(role)}}
			if active {
				v.Set("active", "yes")
			}
			if r := senco.post(page, v); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("save %s active=%v: %d", role, active, r.StatusCode)
			}
		}

		// No feed: no button.
		if r := senco.get(page); r.StatusCode != http.StatusOK || strings.Contains(r.Body, "Turn off calendar feed") {
			t.Fatalf("staff page without a feed: %d", r.StatusCode)
		}
		// The SENCO turns it off from the staff page.
		feed := newFeed()
		r := senco.get(page)
		if !strings.Contains(r.Body, "Turn off calendar feed") || !strings.Contains(r.Body, `action="/staff/`+itoa(headUser.ID)+`/feed/revoke"`) {
			t.Fatal("staff page does not offer to turn the feed off")
		}
		if r := senco.post(page+"/feed/revoke", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != page {
			t.Fatalf("turn off: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		dead(feed, "the SENCO turned it off")
		if r := senco.get(page); strings.Contains(r.Body, "Turn off calendar feed") || !strings.Contains(r.Body, "Calendar feed turned off") {
			t.Error("after turning off: button still shown or no confirmation")
		}
		if n := a.auditCount("calendar.feed.revoke.staff", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("audit rows after turning off: %d", n)
		}
		// Another school's SENCO cannot reach it.
		feed = newFeed()
		other := a.anon()
		if r := other.post("/login", url.Values{"email": {a.f.Other.Email}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("other login: %d", r.StatusCode)
		}
		other.get("/")
		if r := other.post(page+"/feed/revoke", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("other school's SENCO: %d", r.StatusCode)
		}
		if r := a.anon().get(feed); r.StatusCode != http.StatusOK {
			t.Fatalf("feed revoked by another school: %d", r.StatusCode)
		}

		// A move to a role without the calendar, and back again.
		save(sen.RoleTeacher, true)
		save(sen.RoleHead, true)
		dead(feed, "a move to a role without the calendar")

		// Deactivated, and active again.
		feed = newFeed()
		save(sen.RoleHead, false)
		save(sen.RoleHead, true)
		dead(feed, "deactivation")

		// Password reset by the SENCO.
		feed = newFeed()
		senco.get(page)
		if r := senco.post(page+"/reset", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("reset: %d", r.StatusCode)
		}
		dead(feed, "a password reset")
		if n := a.auditCount("calendar.feed.revoke.staff", a.f.Users[sen.RoleSENCO].ID); n != 4 {
			t.Errorf("audit rows: %d, want 4", n)
		}
	})
}
