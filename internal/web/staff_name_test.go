package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Editing a staff member's name has the same limits as creating one: at
// most 120 characters, no control or direction-changing characters. Both
// engines.
func TestStaffEditNameLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		ta := a.f.Users[sen.RoleTA]
		page := "/staff/" + itoa(ta.ID)
		for _, tc := range []struct{ name, msg string }{
			{strings.Repeat("a", 121), "Name must be 120 characters or fewer"},
			{"Eve \u202eliM", "Enter the name without hidden direction-changing characters"},
			{"", "Enter the person's full name"},
		} {
			for _, path := range []string{"/staff/new", page} {
				senco.get(path)
				r := senco.post(path, url.Values{"name": {tc.name}, "email": {"eve@school.example"}, "role": {"ta"}, "active": {"yes"}})
				if r.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s name %q: %d", path, tc.name, r.StatusCode)
					continue
				}
				if err := hasFieldError(r, "name", tc.msg); err != nil {
					t.Errorf("%s name %q: %v", path, tc.name, err)
				}
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM users WHERE id = $1 AND name = $2`, ta.ID, ta.Name); n != 1 {
			t.Error("a refused name was saved")
		}
		senco.get(page)
		if r := senco.post(page, url.Values{"name": {strings.Repeat("a", 120)}, "role": {"ta"}, "active": {"yes"}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("120 characters: %d", r.StatusCode)
		}
	})
}
