package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestEHCPupilNotOnRoll: a request or plan for a pupil the SENCO may not
// choose (another school's, or no such id) is a field error on the pupil,
// not a missing page.
func TestEHCPupilNotOnRoll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		for _, pid := range []string{"999999", strconv.FormatInt(a.f.InClass.ID+100000, 10)} {
			r := senco.post("/ehc/requests/new", dateVals("received", day(2026, 2, 9), url.Values{"pupil": {pid}, "requestedBy": {"school"}}))
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("request for pupil %s: %d, want 422", pid, r.StatusCode)
			}
			if err := hasFieldError(r, "pupil", "Select a pupil on this school's roll"); err != nil {
				t.Error(err)
			}
			r = senco.post("/ehc/plans/new", dateVals("issued", day(2026, 2, 9), url.Values{"pupil": {pid}, "laName": {"Riverside"}}))
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("plan for pupil %s: %d, want 422", pid, r.StatusCode)
			}
			if err := hasFieldError(r, "pupil", "Select a pupil on this school's roll"); err != nil {
				t.Error(err)
			}
		}
	})
}
