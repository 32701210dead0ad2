package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// A disposal run over HTTP: the pupil's page links to the retention page;
// a legal hold (with its reason) keeps a due SEN file on the list but not
// disposable; lifted, the SENCO reviews the line, must tick the
// confirmation naming what will be destroyed, and is left with a
// certificate naming only the pupil reference. The SENCO changes a rule
// with its source; a deputy may not.
func TestRecordsDisposalHTTP(t *testing.T) {
	a := newApp(t, store.SQLite)
	senco := a.login(sen.RoleSENCO)
	old := a.addPupil("Olivia", "Leaver", "7", "7B")
	if _, err := a.st.DB().Exec(`UPDATE pupils SET dob = '1994-03-03' WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	pupilURL := "/pupils/" + id(old.ID)

	list := senco.get("/records")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `id="due-`+id(old.ID)+`-sen_file"`) || !strings.Contains(list.Body, "3 March 2025") ||
		!strings.Contains(list.text(), "Date of birth + 31 years") {
		t.Fatalf("disposal list: %d %s", list.StatusCode, list.Body)
	}
	if a.count(`SELECT COUNT(*) FROM audit_log a JOIN audit_view_sets v ON v.audit_id = a.id JOIN audit_pupil_set_members m ON m.set_id = v.set_id WHERE a.action = 'records.disposal.list' AND m.pupil_id = $1`, old.ID) != 1 {
		t.Error("the disposal list view is not audited against the pupil")
	}
	if p := senco.get(pupilURL); !strings.Contains(p.Body, pupilURL+"/retention") || !strings.Contains(p.Body, "Records retention and legal hold") {
		t.Fatalf("pupil page lacks the retention link")
	}

	// A hold without a reason is a field error; with one, it stops disposal.
	senco.get(pupilURL + "/retention")
	if r := senco.post(pupilURL+"/legal-hold", url.Values{"reason": {"  "}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("hold without a reason: %d", r.StatusCode)
	} else if err := hasFieldError(r, "reason", "Enter the reason for the legal hold, for example the claim or inquiry it is for"); err != nil {
		t.Fatal(err)
	}
	if r := senco.post(pupilURL+"/legal-hold", url.Values{"reason": {"Personal injury claim, Smith v Council"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("hold: %d %s", r.StatusCode, r.Body)
	}
	if p := senco.get(pupilURL); !strings.Contains(p.Body, "Records retention: under a legal hold") {
		t.Error("the pupil page does not say the records are held")
	}
	ret := senco.get(pupilURL + "/retention")
	if !strings.Contains(ret.Body, `id="hold-banner"`) || !strings.Contains(ret.Body, "Smith v Council") {
		t.Fatalf("retention page: %s", ret.Body)
	}
	list = senco.get("/records")
	if !strings.Contains(list.Body, "Due: on legal hold") || !strings.Contains(list.Body, `id="hold-`+id(old.ID)+`"`) ||
		strings.Contains(list.Body, "/records/disposal/"+id(old.ID)) {
		t.Fatalf("held line on the list: %s", list.Body)
	}
	if r := senco.post("/records/disposal/"+id(old.ID), url.Values{"kind": {"sen_file"}, "confirm": {"yes"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1`, old.ID) != 1 {
		t.Fatalf("disposal under a hold: %d", r.StatusCode)
	}
	hold := regexp.MustCompile(`/records/holds/(\d+)/lift`).FindStringSubmatch(ret.Body)
	if hold == nil {
		t.Fatal("no lift form")
	}
	if r := senco.post("/records/holds/"+hold[1]+"/lift", url.Values{"version": {"1"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("lift without a reason: %d", r.StatusCode)
	} else if err := hasFieldError(r, "liftReason", "Enter why the legal hold is being lifted"); err != nil {
		t.Fatal(err)
	}
	if r := senco.post("/records/holds/"+hold[1]+"/lift", url.Values{"version": {"1"}, "liftReason": {"Claim withdrawn"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("lift: %d", r.StatusCode)
	}
	if r := senco.get(pupilURL + "/retention"); !strings.Contains(r.Body, "lifted by") || !strings.Contains(r.Body, "Claim withdrawn") {
		t.Error("the hold's history does not show who lifted it and why")
	}

	// Review, then confirm.
	rv := senco.get("/records/disposal/" + id(old.ID) + "?kind=sen_file")
	if rv.StatusCode != http.StatusOK || !strings.Contains(rv.text(), "Everything OpenSEND holds about Olivia Leaver will be destroyed for good") {
		t.Fatalf("review: %d %s", rv.StatusCode, rv.Body)
	}
	if r := senco.post("/records/disposal/"+id(old.ID), url.Values{"kind": {"sen_file"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unconfirmed: %d", r.StatusCode)
	} else if err := hasFieldError(r, "confirm", "Confirm that you want to destroy these records for good"); err != nil {
		t.Fatal(err)
	}
	r := senco.post("/records/disposal/"+id(old.ID), url.Values{"kind": {"sen_file"}, "confirm": {"yes"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/records/certificates/") {
		t.Fatalf("dispose: %d %q %s", r.StatusCode, loc, r.Body)
	}
	if a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1`, old.ID) != 0 {
		t.Fatal("the pupil is still there")
	}
	cert := senco.get(loc)
	if cert.StatusCode != http.StatusOK || !strings.Contains(cert.Body, "OS-"+id(old.ID)) || strings.Contains(cert.Body, "Leaver") ||
		!strings.Contains(cert.Body, a.f.Users[sen.RoleSENCO].Name) || !strings.Contains(cert.text(), "Date of birth + 31 years: kept until 3 March 2025") {
		t.Fatalf("certificate: %s", cert.Body)
	}
	if p := senco.get(loc + "/pdf"); p.StatusCode != http.StatusOK || p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.Body, "%PDF") {
		t.Fatalf("certificate PDF: %d %s", p.StatusCode, p.Header.Get("Content-Type"))
	}
	if l := senco.get("/records/certificates"); !strings.Contains(l.Body, "OS-"+id(old.ID)) || strings.Contains(l.Body, "Olivia") {
		t.Fatal("certificate list")
	}
	if r := senco.get(pupilURL); r.StatusCode != http.StatusNotFound {
		t.Errorf("disposed pupil's page: %d", r.StatusCode)
	}

	// Rules: the SENCO changes one with its source; bad input is a field error.
	if r := senco.get("/records/rules"); !strings.Contains(r.Body, "IRMS default") || !strings.Contains(r.Body, "/records/rule?kind=concerns") {
		t.Fatal("rules page")
	}
	senco.get("/records/rule?kind=concerns")
	if r := senco.post("/records/rule", url.Values{"kind": {"concerns"}, "version": {"0"}, "basis": {"closed"}, "years": {"six"}, "source": {"Policy"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("years not a number: %d", r.StatusCode)
	} else if err := hasFieldError(r, "years", "Enter the number of years as a whole number, like 31"); err != nil {
		t.Fatal(err)
	}
	if r := senco.post("/records/rule", url.Values{"kind": {"concerns"}, "version": {"0"}, "basis": {"closed"}, "years": {"6"}, "source": {""}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no source: %d", r.StatusCode)
	}
	if r := senco.post("/records/rule", url.Values{"kind": {"concerns"}, "version": {"0"}, "basis": {"closed"}, "years": {"6"}, "source": {"Retention schedule 2026, row 4"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save rule: %d %s", r.StatusCode, r.Body)
	}
	if r := senco.post("/records/rule", url.Values{"kind": {"concerns"}, "version": {"0"}, "basis": {"closed"}, "years": {"7"}, "source": {"x"}}); r.StatusCode != http.StatusConflict {
		t.Fatalf("stale rule: %d", r.StatusCode)
	}
	if r := senco.get("/records/rules"); !strings.Contains(r.text(), "Closed + 6 years") || !strings.Contains(r.Body, "Retention schedule 2026, row 4") {
		t.Fatal("saved rule not shown")
	}
	if r := senco.get("/records/rule?kind=audit_trail"); r.StatusCode != http.StatusNotFound {
		t.Errorf("audit trail rule edit: %d", r.StatusCode)
	}
	deputy := a.login(sen.RoleDeputy)
	if r := deputy.get("/records/rule?kind=concerns"); r.StatusCode != http.StatusForbidden {
		t.Errorf("deputy edits a rule: %d", r.StatusCode)
	}
	if r := deputy.get("/records"); r.StatusCode != http.StatusOK {
		t.Errorf("deputy disposal list: %d", r.StatusCode)
	}
	if r := a.login(sen.RoleTeacher).get("/records"); r.StatusCode != http.StatusForbidden {
		t.Errorf("teacher disposal list: %d", r.StatusCode)
	}
}
