package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var locationID = regexp.MustCompile(`/(\d+)(?:[/#?].*)?$`)

// idFrom reads the record id from a redirect's Location.
func idFrom(t *testing.T, r resp) int64 {
	t.Helper()
	m := locationID.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("want a redirect to a record, got %d %q: %s", r.StatusCode, r.Header.Get("Location"), r.text())
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// The provision map over HTTP: the SENCO adds a provision and starts a
// group, enrols pupils (refused over capacity), the TA who runs it marks a
// session in one form and records entry and exit scores; costs are shown
// only to the SENCO, deputy and head; a teacher who neither runs a group nor
// teaches its pupils gets "not found"; a confidential provision is hidden.
func TestProvisionHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		wed := time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC) // a Wednesday in term
		a.clock.Store(&wed)
		ctx := context.Background()
		senco := a.login(sen.RoleSENCO)
		ta := a.login(sen.RoleTA)
		teacher := a.login(sen.RoleTeacher)
		taUser := a.f.Users[sen.RoleTA]

		// A provision: a bad form first, then a good one.
		form := url.Values{"name": {""}, "areas": {"CL"}, "wave": {"targeted"}, "sessionMinutes": {"20"}, "sessionsPerWeek": {"3"}, "weeks": {"ten"},
			"groupSize": {"2"}, "deliverer": {"ta"}, "scale": {"reading-age"}, "direction": {"higher"}, "resourceCost": {"1.2.3"}}
		r := senco.post("/provision/new", form)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad provision: %d", r.StatusCode)
		}
		for field, msg := range map[string]string{"name": "Enter the name of the provision", "weeks": "Enter the number of weeks, from 1 to 52",
			"resourceCost": "Enter the resources cost per session in pounds, like 1.50, or leave it blank"} {
			if err := hasFieldError(r, field, msg); err != nil {
				t.Errorf("%s: %v", field, err)
			}
		}
		form.Set("name", "Precision teaching")
		form.Set("weeks", "10")
		form.Set("resourceCost", "0.40")
		pid := idFrom(t, senco.post("/provision/new", form))
		if r := senco.get("/provision?area=CL"); !strings.Contains(r.Body, "Precision teaching") {
			t.Errorf("library filtered by area does not list it")
		}
		if r := senco.get("/provision?area=SP"); strings.Contains(r.Body, "Precision teaching") {
			t.Errorf("library filtered by another area lists it")
		}

		// A confidential provision, named for nobody: hidden from the TA.
		secret := provision.Provision{Name: "Bereavement support", Areas: []string{sen.AreaSEMH}, Wave: provision.WaveSpecialist, SessionMinutes: 30, SessionsPerWeek: 1,
			Weeks: 6, GroupSize: 1, Deliverer: string(sen.RoleSENCO), Scale: provision.ScaleSchool, Direction: provision.HigherBetter, Confidential: true}
		if err := a.st.SaveProvision(ctx, a.f.Actor(sen.RoleSENCO), &secret); err != nil {
			t.Fatal(err)
		}
		if r := ta.get("/provision"); strings.Contains(r.Body, "Bereavement support") || !strings.Contains(r.Body, "Precision teaching") {
			t.Errorf("TA's library: confidential shown or open one missing")
		}
		if r := ta.get("/provision/" + id(secret.ID)); r.StatusCode != http.StatusNotFound {
			t.Errorf("TA opens a confidential provision: %d", r.StatusCode)
		}
		if r := a.login(sen.RoleHead).get("/provision"); !strings.Contains(r.Body, "Bereavement support") {
			t.Errorf("head does not see the confidential provision")
		}

		// Start a group from the provision's defaults, run by the TA on Wednesdays.
		if r := senco.get("/provision/" + id(pid) + "/groups/new"); r.StatusCode != 200 || !strings.Contains(r.Body, `value="20"`) {
			t.Fatalf("new group form: %d (defaults missing)", r.StatusCode)
		}
		run := url.Values{"name": {"Year 7 reading"}, "staff": {id(taUser.ID)}, "starts-day": {"1"}, "starts-month": {"9"}, "starts-year": {"2026"},
			"capacity": {"2"}, "slot1Day": {"3"}, "slot1Start": {"25:00"}, "slot1Minutes": {"20"}, "slot1Place": {"Library"}}
		r = senco.post("/provision/"+id(pid)+"/groups/new", run)
		if err := hasFieldError(r, "slot1Start", "Enter a start time in the school day, between 07:00 and 19:00, like 10:30"); err != nil {
			t.Errorf("bad slot time: %v", err)
		}
		run.Set("slot1Start", "9:30")
		rid := idFrom(t, senco.post("/provision/"+id(pid)+"/groups/new", run))

		// Enrol: two pupils fill it, a third is refused.
		other := a.addPupil("Dev", "Singh", "7", "7A")
		third := a.addPupil("Eve", "Lloyd", "7", "7B")
		enrol := func(p sen.Pupil) resp {
			return senco.post("/provision-groups/"+id(rid)+"/enrol", url.Values{"pupil": {id(p.ID)}, "joined-day": {"1"}, "joined-month": {"9"}, "joined-year": {"2026"}})
		}
		if r := senco.get("/provision-groups/" + id(rid) + "/enrol"); !strings.Contains(r.Body, "Okafor, Amara") {
			t.Fatalf("enrol picker lacks the pupil")
		}
		if r := enrol(a.f.InClass); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("enrol: %d", r.StatusCode)
		}
		if r := enrol(other); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("enrol: %d", r.StatusCode)
		}
		if err := hasFieldError(enrol(third), "pupil", "The group is full (2 places). Remove a pupil, or change the number of places, first"); err != nil {
			t.Errorf("over capacity: %v", err)
		}

		// The TA's home page links to today's session's register.
		home := ta.get("/")
		if !strings.Contains(home.Body, "My sessions today") || !strings.Contains(home.Body, "/provision-groups/"+id(rid)+"/register?date=2026-10-14&amp;minutes=20") {
			t.Errorf("TA's home page lacks today's session")
		}
		reg := ta.get("/provision-groups/" + id(rid) + "/register?date=2026-10-14&minutes=20")
		if reg.StatusCode != 200 || !strings.Contains(reg.Body, "Amara Okafor") || !strings.Contains(reg.Body, "Dev Singh") || !strings.Contains(reg.Body, "14 October 2026") {
			t.Fatalf("register: %d", reg.StatusCode)
		}
		amara, dev := "p"+id(a.f.InClass.ID), "p"+id(other.ID)
		mark := url.Values{"date": {"2026-10-14"}, "delivered": {"yes"}, "staffMinutes": {"20"},
			amara + "-present": {"yes"}, amara + "-minutes": {"20"}, amara + "-note": {"Read 42 words"},
			dev + "-present": {"no"}, dev + "-reason": {""}}
		r = ta.post("/provision-groups/"+id(rid)+"/register", mark)
		if err := hasFieldError(r, dev+"-reason", "Select why the pupil missed the session"); err != nil {
			t.Errorf("absent with no reason: %v", err)
		}
		mark.Set(dev+"-reason", "absent-school")
		if r := ta.post("/provision-groups/"+id(rid)+"/register", mark); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("mark: %d %s", r.StatusCode, r.text())
		}
		// A second session not delivered.
		if r := ta.post("/provision-groups/"+id(rid)+"/register", url.Values{"date": {"2026-10-07"}, "delivered": {"no"}, "reason": {"staff-absent"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("not delivered: %d", r.StatusCode)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'provision.attendance' AND user_id = $1`, taUser.ID); n != 2 {
			t.Errorf("attendance audit rows %d", n)
		}

		// Scores, with progress shown.
		v, err := a.st.Run(ctx, a.f.Actor(sen.RoleSENCO), rid, "test")
		if err != nil {
			t.Fatal(err)
		}
		scores := url.Values{}
		for _, m := range v.Run.Members {
			k := "m" + id(m.ID)
			scores.Set(k+"-version", id(m.Version))
			scores.Set(k+"-entry", "7y 2m")
			scores.Set(k+"-exit", "7y 9m")
		}
		if r := ta.post("/provision-groups/"+id(rid)+"/scores", scores); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("scores: %d %s", r.StatusCode, r.text())
		}
		page := ta.get("/provision-groups/" + id(rid))
		if !strings.Contains(page.text(), "+7 months") || !strings.Contains(page.Body, "Improved") || !strings.Contains(page.Body, "Not delivered") {
			t.Errorf("group page lacks progress or the session not delivered")
		}

		// Costs: set by the SENCO; shown to her, never to the TA or teacher.
		if r := senco.post("/provision/costs", url.Values{"who": {"role:ta"}, "hourly": {"15"}, "oncost": {"30"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("set a cost: %d", r.StatusCode)
		}
		if !strings.Contains(senco.get("/provision-groups/"+id(rid)).Body, "£6.90") { // 20 minutes at £19.50 + £0.40
			t.Errorf("SENCO does not see the session's cost")
		}
		for _, c := range []*client{ta, teacher} {
			for _, path := range []string{"/provision-groups/" + id(rid), "/pupils/" + id(a.f.InClass.ID) + "/provision", "/provision/" + id(pid)} {
				if r := c.get(path); r.StatusCode != 200 || strings.Contains(r.Body, "£") {
					t.Errorf("%s: %d, shows a cost: %v", path, r.StatusCode, strings.Contains(r.Body, "£"))
				}
			}
			if r := c.get("/provision/costs"); r.StatusCode != http.StatusForbidden {
				t.Errorf("staff costs page: %d", r.StatusCode)
			}
		}
		if r := senco.get("/pupils/" + id(a.f.InClass.ID) + "/provision"); !strings.Contains(r.Body, "£6.90") || !strings.Contains(r.Body, "1 of 1 session") {
			t.Errorf("pupil's provision for the SENCO lacks the cost or attendance")
		}

		// The teacher teaches 7A pupils in the group, so sees it; a group of
		// 7B pupils run by someone else is not found for them.
		if r := teacher.get("/provision-groups/" + id(rid)); r.StatusCode != 200 {
			t.Errorf("teacher of a pupil in the group: %d", r.StatusCode)
		}
		if r := teacher.get("/provision-groups/" + id(rid) + "/register"); r.StatusCode != http.StatusNotFound {
			t.Errorf("teacher opens the register of a group they do not run: %d", r.StatusCode)
		}
		hidden := provision.Run{ProvisionID: pid, Name: "7B reading", Staff: []int64{a.f.Users[sen.RoleSENCO].ID}, Starts: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Capacity: 3}
		if err := a.st.StartRun(ctx, a.f.Actor(sen.RoleSENCO), &hidden); err != nil {
			t.Fatal(err)
		}
		if err := a.st.EnrolPupil(ctx, a.f.Actor(sen.RoleSENCO), hidden.ID, third.ID, hidden.Starts); err != nil {
			t.Fatal(err)
		}
		if r := teacher.get("/provision-groups/" + id(hidden.ID)); r.StatusCode != http.StatusNotFound {
			t.Errorf("teacher sees a group they neither run nor teach: %d", r.StatusCode)
		}
		if r := teacher.get("/provision-groups"); strings.Contains(r.Body, "7B reading") || !strings.Contains(r.Body, "Year 7 reading") {
			t.Errorf("teacher's group list")
		}
		for _, role := range []sen.Role{sen.RoleOffice, sen.RoleGovernor} {
			if r := a.login(role).get("/provision-groups/" + id(rid)); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d", role, r.StatusCode)
			}
		}

		// Copy and retire.
		cid := idFrom(t, senco.post("/provision/"+id(pid)+"/copy", nil))
		if r := senco.get("/provision/" + id(cid) + "/edit"); !strings.Contains(r.Body, "Copy of Precision teaching") {
			t.Errorf("copy not offered for editing")
		}
		cp, _ := a.st.Provision(ctx, a.f.Actor(sen.RoleSENCO), cid)
		if r := senco.post("/provision/"+id(cid)+"/retire", url.Values{"version": {id(cp.Version)}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", r.StatusCode)
		}
		if r := senco.get("/provision"); strings.Contains(r.Body, "Copy of Precision teaching") {
			t.Errorf("retired provision still offered")
		}
	})
}
