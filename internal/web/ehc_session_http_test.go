package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestGroupSessionHTTP: the TA's link opens the delivery form on the line
// with today's date and the line's minutes; the other pupils with the same
// provision whom the TA may see are listed, and one form records the session
// for each pupil ticked, all or nothing, each audited against its pupil.
func TestGroupSessionHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		ctx := context.Background()
		senco := a.f.Actor(sen.RoleSENCO)
		ta := a.f.Users[sen.RoleTA]
		third := sen.Pupil{UPN: "A801200005002", Forename: "Cara", Surname: "Diaz", DOB: time.Date(2014, 6, 2, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: "7", ClassName: "7A"}
		if err := a.st.CreatePupil(ctx, senco, &third); err != nil {
			t.Fatal(err)
		}
		// Class 7A: the TA's group.
		lines := map[int64]int64{} // pupil -> line
		plans := map[int64]int64{}
		for _, p := range []struct {
			pupil sen.Pupil
			desc  string
		}{{a.f.InClass, "Lego therapy group"}, {third, " lego therapy GROUP "}, {a.f.NotTaught, "Lego therapy group"}} {
			a.setSEN(&p.pupil, sen.StatusSupport, "SEMH")
			pl := &ehc.Plan{PupilID: p.pupil.ID, LAName: "Riverside", Issued: a.st.Today().AddDate(0, -3, 0)}
			if err := a.st.CreatePlan(ctx, senco, pl); err != nil {
				t.Fatal(err)
			}
			if err := a.st.AddProvision(ctx, senco, pl.ID, ehc.Provision{Description: p.desc, SessionsPerWeek: 2, Minutes: 40, DeliveredBy: "TA", StaffUserID: ta.ID}); err != nil {
				t.Fatal(err)
			}
			full, err := a.st.Plan(ctx, senco, pl.ID)
			if err != nil {
				t.Fatal(err)
			}
			lines[p.pupil.ID], plans[p.pupil.ID] = full.Provision[0].ID, pl.ID
		}
		mine, withThird, withOut := lines[a.f.InClass.ID], lines[third.ID], lines[a.f.NotTaught.ID]
		planID := fmt.Sprint(plans[a.f.InClass.ID])

		tac := a.login(sen.RoleTA)
		// The home widget links to the line's form and reads naturally.
		home := tac.get("/")
		link := fmt.Sprintf("/ehc/plans/%s?line=%d#delivery", planID, mine)
		if !strings.Contains(home.Body, link) || !strings.Contains(home.Body, "this term, 0 of ") {
			t.Errorf("home widget lacks the line's link or natural summary")
		}
		today := a.st.Today()
		r := tac.get(fmt.Sprintf("/ehc/plans/%s?line=%d", planID, mine))
		for _, want := range []string{
			fmt.Sprintf(`value="%d" selected`, mine),
			fmt.Sprintf(`name="sessionDate-day" type="text" inputmode="numeric" value="%d"`, today.Day()),
			`id="minutes" name="minutes" type="text" value="40"`,
			fmt.Sprintf(`value="%d"`, withThird), "Cara Diaz (7, 7A) was in the session",
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("delivery form lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "Ben Carter") {
			t.Error("TA is offered a pupil they do not teach")
		}
		// The SENCO sees every pupil with the line.
		if r := a.login(sen.RoleSENCO).get(fmt.Sprintf("/ehc/plans/%s?line=%d", planID, mine)); !strings.Contains(r.Body, "Ben Carter (7, 7B) was in the session") {
			t.Error("SENCO is not offered the other pupil")
		}

		count := func() int { return a.count(`SELECT COUNT(*) FROM ehc_delivery`) }
		form := func(with ...int64) url.Values {
			v := dateVals("sessionDate", today, url.Values{"provision": {fmt.Sprint(mine)}, "missed": {"no"}, "minutes": {"40"}, "deliveredBy": {"Test TA"}})
			for _, w := range with {
				v.Add("with", fmt.Sprint(w))
			}
			return v
		}
		// A pupil the TA may not see: refused, and nothing is recorded.
		r = tac.post("/ehc/plans/"+planID+"/delivery", form(withThird, withOut))
		if err := hasFieldError(r, "with", "Tick only pupils listed for this provision line"); err != nil {
			t.Error(err)
		}
		if n := count(); n != 0 {
			t.Fatalf("a refused session recorded %d deliveries", n)
		}
		// Bad input for the whole form: nothing recorded either.
		bad := form(withThird)
		bad.Set("minutes", "0")
		if err := hasFieldError(tac.post("/ehc/plans/"+planID+"/delivery", bad), "minutes", "Minutes delivered must be a whole number from 1 to 600"); err != nil {
			t.Error(err)
		}
		r = tac.post("/ehc/plans/"+planID+"/delivery", form(withThird))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("session: %d %s", r.StatusCode, ehcErrSummary(r))
		}
		if n := count(); n != 2 {
			t.Fatalf("session recorded %d deliveries, want 2", n)
		}
		for _, p := range []int64{a.f.InClass.ID, third.ID} {
			if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'ehc.delivery.record' AND pupil_id = $1`, p); n != 1 {
				t.Errorf("pupil %d: %d delivery audit rows, want 1", p, n)
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM ehc_delivery WHERE provision_id = $1`, withOut); n != 0 {
			t.Error("untaught pupil's line was recorded")
		}
		// The third pupil's plan shows the session.
		if r := tac.get(fmt.Sprintf("/ehc/plans/%d", plans[third.ID])); !strings.Contains(r.Body, "1 of ") || !strings.Contains(r.Body, "sessions delivered") {
			t.Error("third pupil's plan does not show the session")
		}
	})
}
