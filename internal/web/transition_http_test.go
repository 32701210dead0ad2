package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/transition"
)

func leaveForm(day time.Time, reason string) url.Values {
	return url.Values{"leftOn-day": {fmt.Sprint(day.Day())}, "leftOn-month": {fmt.Sprint(int(day.Month()))}, "leftOn-year": {fmt.Sprint(day.Year())},
		"reason": {reason}, "destName": {"Riverside Academy"}, "destURN": {"123456"}, "destLAESTAB": {"201/4002"}}
}

func dateForm(name string, day time.Time) url.Values {
	return url.Values{name + "-day": {fmt.Sprint(day.Day())}, name + "-month": {fmt.Sprint(int(day.Month()))}, name + "-year": {fmt.Sprint(day.Year())}}
}

func versionOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version on the page")
	}
	return m[1]
}

// TestLeaverJourneyHTTP: the office records a leaving; the leaver leaves
// every working list, is read-only, is found on the Leavers list and by
// direct link by the SENCO; the office sees no SEN detail; the CTF duty is on
// the calendar until the CTF is recorded as sent; the leaving can be undone.
func TestLeaverJourneyHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		office, senco, teacher := a.login(sen.RoleOffice), a.login(sen.RoleSENCO), a.login(sen.RoleTeacher)
		p := a.f.InClass
		a.setSEN(&p, sen.StatusSupport, "SPLD")
		pid := fmt.Sprint(p.ID)
		today := st.Today()

		form := office.get("/pupils/" + pid + "/leave")
		if form.StatusCode != http.StatusOK || strings.Contains(form.Body, "SPLD") || strings.Contains(form.Body, "SEN support") {
			t.Fatalf("leave form for the office: %d", form.StatusCode)
		}
		v := leaveForm(today, "")
		v.Set("version", versionOf(t, form.Body))
		if r := office.post("/pupils/"+pid+"/leave", v); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("no reason: %d", r.StatusCode)
		} else if err := hasFieldError(r, "reason", "Select why the pupil left"); err != nil {
			t.Error(err)
		}
		v.Set("reason", "transfer")
		if r := office.post("/pupils/"+pid+"/leave", v); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/leavers/"+pid {
			t.Fatalf("record leaving: %d %s", r.StatusCode, r.Header.Get("Location"))
		}

		// Off every working list.
		for _, path := range []string{"/pupils", "/pupils?q=okafor", "/register", "/today", "/senco", "/my-pupils"} {
			if r := senco.get(path); r.StatusCode != http.StatusOK || strings.Contains(r.Body, "/pupils/"+pid+`"`) {
				t.Errorf("%s: %d, lists the leaver: %v", path, r.StatusCode, strings.Contains(r.Body, "/pupils/"+pid+`"`))
			}
		}
		if r := teacher.get("/pupils"); strings.Contains(r.Body, "Okafor") {
			t.Error("the teacher's pupil list has the leaver")
		}
		// Found by direct link by the SENCO, read-only; not by the teacher or the office.
		if r := senco.get("/pupils/" + pid); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Left the school on") || strings.Contains(r.Body, "/pupils/"+pid+"/edit") {
			t.Errorf("SENCO opens the leaver: %d", r.StatusCode)
		}
		for _, c := range []*client{teacher, office} {
			if r := c.get("/pupils/" + pid); r.StatusCode != http.StatusNotFound {
				t.Errorf("leaver's record: %d, want 404", r.StatusCode)
			}
		}
		// Writes to a leaver are refused with the reason, and change nothing.
		edit := validPupilForm(p.UPN)
		edit.Set("version", versionOf(t, senco.get("/pupils/"+pid+"/edit").Body))
		if r := senco.post("/pupils/"+pid+"/edit", edit); r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "has left the school") {
			t.Errorf("edit a leaver: %d", r.StatusCode)
		}
		plan := dateForm("start", today)
		for k, v := range dateForm("review", today.AddDate(0, 0, 60)) {
			plan[k] = v
		}
		if r := senco.post("/pupils/"+pid+"/plan", plan); r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "has left the school") {
			t.Errorf("start a plan for a leaver: %d", r.StatusCode)
		}
		if n := a.count(`SELECT COUNT(*) FROM plan_cycles WHERE pupil_id = $1`, p.ID); n != 0 {
			t.Errorf("a plan was started for the leaver: %d", n)
		}

		// The Leavers list and the leaver's page: the office sees the leaving, no SEN detail.
		list := office.get("/leavers")
		if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, "Amara Okafor") || !strings.Contains(list.Body, "201/4002") {
			t.Fatalf("leavers: %d", list.StatusCode)
		}
		page := office.get("/leavers/" + pid)
		if page.StatusCode != http.StatusOK || strings.Contains(page.Body, "SPLD") || strings.Contains(page.Body, "SEN support") || strings.Contains(page.Body, "kept record") {
			t.Errorf("office's leaver page: %d, SEN detail shown", page.StatusCode)
		}
		if r := senco.get("/leavers/" + pid); !strings.Contains(r.Body, "kept record") {
			t.Error("the SENCO's leaver page has no link to the kept record")
		}
		if r := teacher.get("/leavers"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher's leavers: %d", r.StatusCode)
		}
		if r := office.get("/register"); r.StatusCode != http.StatusForbidden {
			t.Errorf("office's register: %d", r.StatusCode)
		}

		// The CTF duty is on the calendar, then closed when sent.
		if r := senco.get("/calendar"); !strings.Contains(r.Body, "/leavers/"+pid) {
			t.Error("the CTF duty is not on the calendar")
		}
		due := st.Today()
		sent := dateForm("sentOn", today.AddDate(0, 0, 2))
		sent.Set("version", versionOf(t, page.Body))
		if r := office.post("/leavers/"+pid+"/ctf-sent", sent); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a future sent date: %d", r.StatusCode)
		}
		sent = dateForm("sentOn", due)
		sent.Set("version", versionOf(t, page.Body))
		if r := office.post("/leavers/"+pid+"/ctf-sent", sent); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("record sent: %d", r.StatusCode)
		}
		if r := senco.get("/calendar"); strings.Contains(r.Body, "/leavers/"+pid) {
			t.Error("the CTF duty is still on the calendar once sent")
		}

		// The office downloads the CTF, named by the DfE convention.
		x := office.post("/ctf/export", url.Values{"pupils": {pid}})
		if x.StatusCode != http.StatusOK || !strings.HasPrefix(x.Header.Get("Content-Type"), "application/xml") ||
			x.Header.Get("Content-Disposition") != `attachment; filename="2014001_CTF_2014002_001.xml"` || !strings.Contains(x.Body, "<SENprovision>K</SENprovision>") {
			t.Errorf("export: %d %q %q", x.StatusCode, x.Header.Get("Content-Type"), x.Header.Get("Content-Disposition"))
		}
		if r := office.post("/ctf/export", url.Values{"dest": {"12"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("export of nobody: %d", r.StatusCode)
		}
		if a.auditCount("ctf.export", a.f.Users[sen.RoleOffice].ID) != 1 {
			t.Error("the export is not audited")
		}

		// Undo: back on roll.
		page = senco.get("/leavers/" + pid)
		undo := url.Values{"version": {versionOf(t, page.Body)}}
		if r := senco.post("/leavers/"+pid+"/undo", undo); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("undo without a reason: %d", r.StatusCode)
		}
		undo.Set("undoReason", "Recorded for the wrong pupil")
		if r := senco.post("/leavers/"+pid+"/undo", undo); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("undo: %d", r.StatusCode)
		}
		if r := teacher.get("/pupils"); !strings.Contains(r.Body, "Okafor") {
			t.Error("the undone leaver is not back in the teacher's list")
		}
		if r := office.get("/leavers/" + pid); r.StatusCode != http.StatusNotFound {
			t.Errorf("leaver page after undo: %d", r.StatusCode)
		}
	})
}

// TestCTFImportHTTP: a refused file writes nothing and says why; a good one
// is previewed per pupil and committed; the office may not import.
func TestCTFImportHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		pupils := func() int { return a.count(`SELECT COUNT(*) FROM pupils WHERE school_id = $1`, a.f.SchoolID) }
		before := pupils()
		for _, tc := range []struct {
			name, body, want string
		}{
			{"entity-laden", `<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><CTfile>&b;</CTfile>`, "DOCTYPE"},
			{"malformed", `<CTfile><Header><CTFversion>25.0</Header></CTfile>`, "not well-formed XML"},
			{"not a CTF", `<Census/>`, "not a CTF"},
		} {
			r := senco.upload("/ctf/import", "file", tc.name+".xml", []byte(tc.body), url.Values{})
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), tc.want) || !strings.Contains(r.text(), "Nothing has been imported") {
				t.Errorf("%s: %d", tc.name, r.StatusCode)
			}
		}
		if r := senco.upload("/ctf/import", "file", "big.xml", append([]byte("<CTfile>"), make([]byte, transition.MaxCTFBytes)...), url.Values{}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "larger than") {
			t.Errorf("oversized: %d", r.StatusCode)
		}
		upn := makeUPN(515151)
		c := transition.CTF{DateTime: st.Now(), Source: transition.School{LEA: "201", Estab: "1000", Name: "Hillside Primary", AcademicYear: "2026"},
			Pupils: []transition.CTFPupil{{UPN: upn, Surname: "Nwosu", Forename: "Tobi", DOB: time.Date(2015, 2, 3, 0, 0, 0, 0, time.UTC), Sex: "M", YearGroup: "7",
				SEN: []transition.SENEntry{{Start: time.Date(2022, 9, 5, 0, 0, 0, 0, time.UTC), Provision: "K"}}, Needs: []sen.Need{{Rank: 1, Code: "SEMH"}}}}}
		data, err := transition.Write(c)
		if err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(string(data), "<Sex>M</Sex>", "<Sex>X</Sex>", 1)
		if r := senco.upload("/ctf/import", "file", "bad.xml", []byte(bad), url.Values{}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "sex is missing") || strings.Contains(r.Body, "commit-ctf") {
			t.Errorf("a pupil with a problem: %d", r.StatusCode)
		}
		if pupils() != before {
			t.Fatal("a refused file wrote pupils")
		}
		old := strings.Replace(strings.Replace(string(data), "<Sex>M</Sex>", "<Gender>M</Gender><Contacts><Contact>x</Contact></Contacts>", 1), "25.0", "24.0", 1)
		prev := senco.upload("/ctf/import", "file", "2011000_CTF_2014001_001.xml", []byte(old), url.Values{})
		if prev.StatusCode != http.StatusOK || !strings.Contains(prev.text(), "New pupil") || !strings.Contains(prev.text(), "Not imported (OpenSEND keeps no record of these): Contacts") ||
			!strings.Contains(prev.text(), "SEN support from 5 September 2022") {
			t.Fatalf("preview: %d", prev.StatusCode)
		}
		if pupils() != before {
			t.Fatal("the preview wrote pupils")
		}
		m := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(prev.Body)
		if m == nil {
			t.Fatal("no data to commit")
		}
		done := senco.post("/ctf/import/commit", url.Values{"data": {m[1]}, "filename": {"2011000_CTF_2014001_001.xml"}})
		if done.StatusCode != http.StatusOK || !strings.Contains(done.text(), "1 pupil added") {
			t.Fatalf("commit: %d", done.StatusCode)
		}
		if pupils() != before+1 || a.count(`SELECT COUNT(*) FROM sen_status_history h JOIN pupils p ON p.id = h.pupil_id WHERE p.upn = $1 AND h.status = 'K'`, upn) != 1 {
			t.Error("the pupil or their SEN history was not imported")
		}
		if r := a.login(sen.RoleOffice).get("/ctf/import"); r.StatusCode != http.StatusForbidden {
			t.Errorf("office import: %d", r.StatusCode)
		}
	})
}

// TestSchoolNumbersHTTP: the office records the school's LA and
// establishment number, which a CTF's file name starts with.
func TestSchoolNumbersHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		office := a.login(sen.RoleOffice)
		if r := office.get("/settings/ctf"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `value="2014001"`) {
			t.Fatalf("form: %d", r.StatusCode)
		}
		if r := office.post("/settings/ctf", url.Values{"laestab": {"999/2001"}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad LA: %d", r.StatusCode)
		} else if err := hasFieldError(r, "laestab", "The first 3 digits must be an English local authority number: 999 is not one"); err != nil {
			t.Error(err)
		}
		if r := office.post("/settings/ctf", url.Values{"laestab": {"886/2001"}, "urn": {"142001"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", r.StatusCode)
		}
		x := office.post("/ctf/export", url.Values{"pupils": {fmt.Sprint(a.f.InClass.ID)}})
		if !strings.Contains(x.Header.Get("Content-Disposition"), `"8862001_CTF_MMMMMMM_001.xml"`) || !strings.Contains(x.Body, "<URN>142001</URN>") {
			t.Errorf("export after the change: %q", x.Header.Get("Content-Disposition"))
		}
		if r := a.login(sen.RoleTeacher).get("/settings/ctf"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher: %d", r.StatusCode)
		}
	})
}
