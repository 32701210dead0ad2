package web_test

import (
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestRegisterSortHTTP: the register sorts by its columns with links that
// keep the filters and mark the sorted header (aria-sort); each order is
// its own cached body.
func TestRegisterSortHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		a.setSEN(&a.f.InClass, sen.StatusSupport, "SEMH")  // Amara Okafor, 7A
		a.setSEN(&a.f.NotTaught, sen.StatusSupport, "ASD") // Ben Carter, 7B
		c := a.login(sen.RoleSENCO)
		order := func(path string) string {
			t.Helper()
			r := c.get(path)
			if r.StatusCode != 200 {
				t.Fatalf("%s: %d", path, r.StatusCode)
			}
			ok, cb := strings.Index(r.Body, "Okafor, Amara"), strings.Index(r.Body, "Carter, Ben")
			if ok < 0 || cb < 0 {
				t.Fatalf("%s: a pupil is missing", path)
			}
			if ok < cb {
				return "okafor first"
			}
			return "carter first"
		}
		for _, tc := range []struct{ path, want string }{
			{"/register", "carter first"}, // year, surname, forename
			{"/register?sort=name&dir=desc", "okafor first"},
			{"/register?sort=name&dir=asc", "carter first"},
			{"/register?sort=name&dir=desc", "okafor first"}, // again: from the body cache
			{"/register?sort=class&dir=asc", "okafor first"},
			{"/register?sort=class&dir=desc", "carter first"},
			{"/register?sort=need&dir=asc", "carter first"}, // Autistic spectrum disorder before Social, emotional and mental health
			{"/register?sort=need&dir=desc", "okafor first"},
			{"/register?sort=bogus&dir=sideways", "carter first"},
		} {
			if got := order(tc.path); got != tc.want {
				t.Errorf("%s: %s, want %s", tc.path, got, tc.want)
			}
		}
		r := c.get("/register?status=K&sort=name&dir=asc")
		for _, want := range []string{
			`aria-sort="ascending"><a class="govuk-link govuk-link--no-visited-state app-sort-link" href="/register?dir=desc&amp;sort=name&amp;status=K">Pupil`,
			`aria-sort="none"><a class="govuk-link govuk-link--no-visited-state app-sort-link" href="/register?dir=asc&amp;sort=year&amp;status=K">Year`,
			`<input type="hidden" name="sort" value="name"><input type="hidden" name="dir" value="asc">`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("register lacks %q", want)
			}
		}
		if strings.Contains(c.get("/register").Body, `aria-sort="ascending"`) {
			t.Error("default order marks a column as sorted")
		}
	})
}
