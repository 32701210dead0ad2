package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The home page, the SENCO dashboard and the EHC overview reuse their
// rendered bodies (kit.Views.RenderCached): a reused body must follow every
// write, the day, and SQL written around the app (census problems), and
// never be shown to another role; each view is still audited.
func TestDashboardBodiesFollowWritesDaysAndRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		st := a.st
		ctx := context.Background()
		senco := a.login(sen.RoleSENCO)
		sencoID := a.f.Users[sen.RoleSENCO].ID
		get := func(c *client, path string) resp {
			t.Helper()
			r := c.get(path)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d", path, r.StatusCode)
			}
			return r
		}
		for range 2 {
			for _, p := range []string{"/", "/senco", "/ehc"} {
				if r := get(senco, p); strings.Contains(r.Body, "Okafor") {
					t.Fatalf("%s shows a pupil before anything was recorded", p)
				}
			}
		}
		if n := a.auditCount("dashboard.read", sencoID); n != 5 { // home (also at sign-in) and /senco, twice each
			t.Errorf("dashboard views: %d audit rows, want 5", n)
		}
		if n := a.auditCount("ehc.request.list", sencoID); n != 2 {
			t.Errorf("EHC overview views: %d request-list audit rows, want 2", n)
		}

		// A concern raised: the dashboard and home show it at once.
		c := plans.Concern{PupilID: a.f.InClass.ID, Noticed: "Struggles to copy from the board", Areas: []string{sen.AreaSP}}
		if err := st.RaiseConcern(ctx, a.f.Actor(sen.RoleSENCO), &c); err != nil {
			t.Fatal(err)
		}
		dash := get(senco, "/senco")
		if !strings.Contains(dash.Body, "Amara Okafor") || !strings.Contains(dash.Body, "0 days") {
			t.Errorf("SENCO dashboard after a concern: does not list it (waiting 0 days)")
		}
		if home := get(senco, "/"); !strings.Contains(home.text(), "Concerns awaiting triage (oldest waiting 0 days)") {
			t.Errorf("home after a concern: no count of concerns awaiting triage")
		}
		// Two days on, with no write: the wait moves.
		a.advance(48 * time.Hour)
		senco = a.login(sen.RoleSENCO) // the session has expired
		if d := get(senco, "/senco"); !strings.Contains(d.Body, "2 days") {
			t.Errorf("SENCO dashboard two days on: the concern's wait did not move")
		}
		if home := get(senco, "/"); !strings.Contains(home.text(), "oldest waiting 2 days") {
			t.Errorf("home two days on: the concern's wait did not move")
		}

		// A request for an EHC needs assessment appears on the overview.
		rq := &ehc.Request{PupilID: a.f.InClass.ID, RequestedBy: "school", Received: a.st.Today().AddDate(0, 0, -3), LAName: "Riverside"}
		if err := st.CreateRequest(ctx, a.f.Actor(sen.RoleSENCO), rq); err != nil {
			t.Fatal(err)
		}
		if o := get(senco, "/ehc"); !strings.Contains(o.Body, "Okafor") || !strings.Contains(o.Body, `id="new-request"`) {
			t.Errorf("EHC overview after a new request: does not list it, or the SENCO cannot record one")
		}

		// The head teacher (SLT) sees the same records without the SENCO's
		// actions, under their own name; the governor no names at all.
		head := a.login(sen.RoleHead)
		o := get(head, "/ehc")
		if !strings.Contains(o.Body, "Okafor") || strings.Contains(o.Body, `id="new-request"`) || !strings.Contains(o.Body, a.f.Users[sen.RoleHead].Name) {
			t.Errorf("SLT's EHC overview: the SENCO's body (a link to record a request) or not their name")
		}
		if h := get(senco, "/ehc"); !strings.Contains(h.Body, `id="new-request"`) || !strings.Contains(h.Body, a.f.Users[sen.RoleSENCO].Name) {
			t.Errorf("SENCO's EHC overview after the SLT's: not the SENCO's")
		}
		gov := a.login(sen.RoleGovernor)
		if g := get(gov, "/"); strings.Contains(g.Body, "Okafor") || strings.Contains(g.Body, "Concerns awaiting triage") {
			t.Errorf("governor's home shows the SENCO's panels")
		}
		if h := get(senco, "/"); !strings.Contains(h.text(), "Concerns awaiting triage") {
			t.Errorf("SENCO's home after the governor's: not the SENCO's")
		}

		// Census problems written around the app (plain SQL) show at once.
		if strings.Contains(get(senco, "/").Body, "census checks") {
			t.Fatalf("home warns of census problems on a clean register")
		}
		if _, err := st.DB().ExecContext(ctx, `UPDATE pupils SET sen_status = 'K' WHERE id = $1`, a.f.NotTaught.ID); err != nil {
			t.Fatal(err)
		}
		if h := get(senco, "/"); !strings.Contains(h.text(), "1 register entry fails the census checks") {
			t.Errorf("home after a census problem written around the app: no warning")
		}
	})
}
