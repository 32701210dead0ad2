package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/plans"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var (
	spVersionRe  = regexp.MustCompile(`name="version" value="(\d+)"`)
	spPlanLinkRe = regexp.MustCompile(`^/plans/(\d+)$`)
)

func spVersion(t *testing.T, body string) string {
	t.Helper()
	m := spVersionRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func spDateVals(v url.Values, name string, d time.Time) {
	v.Set(name+"-day", strconv.Itoa(d.Day()))
	v.Set(name+"-month", strconv.Itoa(int(d.Month())))
	v.Set(name+"-year", strconv.Itoa(d.Year()))
}

func spPDFText(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestGraduatedApproachJourney walks one pupil from a teacher's concern to a
// completed review and a passport, checking the rules and who may do what.
func TestGraduatedApproachJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in, out := a.f.InClass, a.f.NotTaught
		pupil := "/pupils/" + strconv.FormatInt(in.ID, 10)
		today := a.st.Today()

		// A teacher raises a concern about a pupil they teach.
		teacher := a.login(sen.RoleTeacher)
		if r := teacher.get(pupil + "/concerns/new"); r.StatusCode != 200 || !strings.Contains(r.Body, `id="noticed"`) {
			t.Fatalf("concern form: %d", r.StatusCode)
		}
		r := teacher.post(pupil+"/concerns/new", url.Values{})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty concern: %d", r.StatusCode)
		}
		if err := hasFieldError(r, "noticed", "Enter what you have noticed"); err != nil {
			t.Fatal(err)
		}
		r = teacher.post(pupil+"/concerns/new", url.Values{"noticed": {"Struggles to follow spoken instructions"}, "areas": {sen.AreaCI}, "tried": {"Visual prompts"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("raise concern: %d %s", r.StatusCode, r.Body)
		}
		if r := teacher.post("/pupils/"+strconv.FormatInt(out.ID, 10)+"/concerns/new", url.Values{"noticed": {"x"}, "areas": {sen.AreaCL}}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("concern about a pupil not taught: %d", r.StatusCode)
		}
		if r := teacher.get("/concerns"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("teacher sees the triage queue: %d", r.StatusCode)
		}

		// The SENCO triages: the queue shows the concern; a decision to place on
		// SEN support needs the parents told.
		senco := a.login(sen.RoleSENCO)
		r = senco.get("/concerns")
		if r.StatusCode != 200 || !strings.Contains(r.Body, in.FullName()) {
			t.Fatalf("queue: %d", r.StatusCode)
		}
		cid := regexp.MustCompile(`href="/concerns/(\d+)"`).FindStringSubmatch(r.Body)[1]
		r = senco.get("/concerns/" + cid)
		v := url.Values{"version": {spVersion(t, r.Body)}, "decision": {"support"}, "reason": {"Needs beyond quality-first teaching"}, "primaryNeed": {"SLCN"}}
		spDateVals(v, "planStart", today)
		spDateVals(v, "planReview", today.AddDate(0, 0, 60))
		r = senco.post("/concerns/"+cid+"/decide", v)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("decision without parents told: %d", r.StatusCode)
		}
		if err := hasFieldError(r, "informedOn", "Enter the date parents were told: schools must inform parents when they make special educational provision"); err != nil {
			t.Fatal(err)
		}
		spDateVals(v, "informedOn", today)
		v.Set("informedHow", "Meeting")
		r = senco.post("/concerns/"+cid+"/decide", v)
		m := spPlanLinkRe.FindStringSubmatch(r.Header.Get("Location"))
		if r.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("decide: %d %q", r.StatusCode, r.Header.Get("Location"))
		}
		plan := "/plans/" + m[1]
		if r := senco.get(pupil); !strings.Contains(r.Body, "SEN support") || !strings.Contains(r.Body, "SLCN") {
			t.Fatal("register not updated to K with SLCN")
		}

		// Plan: two people edit; the second save is refused and shows the first's text.
		r = senco.get(plan + "/edit")
		ver := spVersion(t, r.Body)
		edit := url.Values{"version": {ver}, "needsSummary": {"Finds spoken language hard"}, "pupilImportant": {"My cat Biscuit"}, "pupilHelps": {"Pictures"},
			"pupilNotHelp": {"Noise"}, "pupilStrengths": {"Drawing"}, "parentViews": {"We use scaffolding and differentiation at home."}, "share-outcomes": {"yes"}, "share-voice": {"yes"}, "share-parents": {"yes"}}
		spDateVals(edit, "start", today)
		spDateVals(edit, "review", today.AddDate(0, 0, 60))
		if r := senco.post(plan+"/edit", edit); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save plan: %d %s", r.StatusCode, r.Body)
		}
		deputy := a.login(sen.RoleDeputy)
		deputy.get(plan + "/edit")
		stale := url.Values{}
		for k, vs := range edit {
			stale[k] = vs
		}
		stale.Set("csrf_token", deputy.csrf)
		stale.Set("parentViews", "Deputy's text")
		r = deputy.post(plan+"/edit", stale)
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), "Someone else saved this plan first") || !strings.Contains(r.Body, "My cat Biscuit") || !strings.Contains(r.text(), "Deputy's text") {
			t.Fatalf("stale save: %d", r.StatusCode)
		}
		// Dates out of order are refused with a reason.
		bad := url.Values{"version": {spVersion(t, senco.get(plan+"/edit").Body)}}
		spDateVals(bad, "start", today)
		spDateVals(bad, "review", today.AddDate(0, 0, -1))
		if err := hasFieldError(senco.post(plan+"/edit", bad), "review", "The review date must be after the plan start date"); err != nil {
			t.Fatal(err)
		}

		// Outcomes, strategies, support.
		ov := url.Values{"version": {spVersion(t, senco.get(plan+"/outcomes/new").Body)}, "outcome-1": {"Follow a two-step instruction"}, "successCriteria-1": {"4 of 5 times"}, "baseline-1": {"1 of 5"}}
		spDateVals(ov, "targetDate-1", today)
		if err := hasFieldError(senco.post(plan+"/outcomes/new", ov), "targetDate-1", "Outcome 1: The target date must be after the plan start date ("+today.Format("2 January 2006")+")"); err != nil {
			t.Fatal(err)
		}
		spDateVals(ov, "targetDate-1", today.AddDate(0, 0, 50))
		if r := senco.post(plan+"/outcomes/new", ov); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add outcome: %d", r.StatusCode)
		}
		r = senco.get(plan + "/strategies")
		if !strings.Contains(r.Body, "Allow thinking time") { // the bank starts with the primary need's (SLCN) strategies
			t.Fatal("bank not filtered to SLCN")
		}
		bankID := regexp.MustCompile(`name="bank" value="(\d+)"`).FindStringSubmatch(r.Body)[1]
		if r := senco.post(plan+"/strategies", url.Values{"version": {spVersion(t, r.Body)}, "bank": {bankID}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add strategy: %d", r.StatusCode)
		}
		sv := url.Values{"version": {spVersion(t, senco.get(plan+"/support/new").Body)}, "what-1": {"Language group"}, "who-1": {"TA"}, "frequency-1": {"3 times a week"}, "duration-1": {"20 minutes"}}
		spDateVals(sv, "supportStart-1", today)
		if r := senco.post(plan+"/support/new", sv); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add support: %d", r.StatusCode)
		}
		r = senco.get(plan)
		if !strings.Contains(r.Body, "Plain English check") || !strings.Contains(r.Body, "scaffolding") || !strings.Contains(r.Body, "differentiation") {
			t.Fatal("readability indicator missing or jargon not flagged")
		}
		if r := senco.post(plan+"/activate", url.Values{"version": {spVersion(t, r.Body)}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("activate: %d", r.StatusCode)
		}
		// Conflicts are shown with 409: against the field they concern, or on
		// the plan's actions.
		again := url.Values{}
		spDateVals(again, "start", today)
		spDateVals(again, "review", today.AddDate(0, 0, 60))
		r = senco.post(pupil+"/plan", again)
		if r.StatusCode != http.StatusConflict {
			t.Fatalf("second open plan: %d, want 409", r.StatusCode)
		}
		if err := hasFieldError(r, "start", "This pupil already has an open plan cycle."); err != nil {
			t.Fatal(err)
		}
		r = senco.post(plan+"/activate", url.Values{"version": {spVersion(t, senco.get(plan+"/edit").Body)}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.text(), `href="#plan-actions">Only a draft plan can be made active.</a>`) {
			t.Fatalf("activate an active plan: %d", r.StatusCode)
		}

		// Do: the teacher reads the plan and logs work; office and governors cannot read it.
		r = teacher.get(plan)
		if r.StatusCode != 200 || strings.Contains(r.Body, "Edit plan sections") || !strings.Contains(r.Body, "Follow a two-step instruction") {
			t.Fatalf("teacher plan view: %d", r.StatusCode)
		}
		oid := regexp.MustCompile(`<option value="(\d+)">Follow a two-step`).FindStringSubmatch(r.Body)[1]
		lv := url.Values{"logOutcome": {oid}, "logDid": {"Chunked instructions"}, "logResponse": {"Followed 3 of 4"}}
		spDateVals(lv, "logDate", today.AddDate(0, 0, 1))
		if err := hasFieldError(teacher.post(plan+"/log", lv), "logDate", "The date must be today or in the past"); err != nil {
			t.Fatal(err)
		}
		spDateVals(lv, "logDate", today)
		if r := teacher.post(plan+"/log", lv); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("log: %d", r.StatusCode)
		}
		if r := teacher.post(plan+"/edit", edit); r.StatusCode != http.StatusForbidden {
			t.Fatalf("teacher edits plan: %d", r.StatusCode)
		}
		for _, role := range []sen.Role{sen.RoleOffice, sen.RoleGovernor} {
			c := a.login(role)
			for _, u := range []string{plan, pupil + "/passport", "/senco", "/my-pupils"} {
				if r := c.get(u); r.StatusCode != http.StatusForbidden || strings.Contains(r.Body, "two-step") {
					t.Errorf("%s GET %s: %d, want 403", role, u, r.StatusCode)
				}
			}
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'plan.read' AND user_id = $1 AND pupil_id = $2`, a.f.Users[sen.RoleTeacher].ID, in.ID); n == 0 {
			t.Fatal("teacher's plan read not audited")
		}

		// The teacher cannot reach the untaught pupil's plan.
		a.setSEN(&out, "K", "MLD")
		senco.get("/pupils/" + strconv.FormatInt(out.ID, 10) + "/plan")
		pv := url.Values{}
		spDateVals(pv, "start", today)
		spDateVals(pv, "review", today.AddDate(0, 0, 10))
		r = senco.post("/pupils/"+strconv.FormatInt(out.ID, 10)+"/plan", pv)
		other := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !spPlanLinkRe.MatchString(other) {
			t.Fatalf("start plan: %d %q", r.StatusCode, other)
		}
		if r := teacher.get(other); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, out.Surname) {
			t.Fatalf("teacher reads untaught plan: %d", r.StatusCode)
		}

		// SENCO dashboard: the other plan's review is due in 10 days and it has no outcomes.
		r = senco.get("/senco")
		if r.StatusCode != 200 || !strings.Contains(r.Body, out.FullName()) {
			t.Fatalf("dashboard: %d", r.StatusCode)
		}
		if r := senco.get("/"); !strings.Contains(r.Body, "Reviews due in the next 14 days") {
			t.Fatal("home widget missing")
		}

		// Teacher's My pupils: their pupil, not the other one.
		r = teacher.get("/my-pupils")
		if r.StatusCode != 200 || !strings.Contains(r.Body, in.FullName()) || strings.Contains(r.Body, out.Surname) || !strings.Contains(r.Body, "Follow a two-step instruction") {
			t.Fatalf("my pupils: %d", r.StatusCode)
		}

		// Review 55 days later: locks the cycle and opens the next one.
		a.advance(55 * 24 * time.Hour)
		later := a.st.Today()
		senco, teacher = a.login(sen.RoleSENCO), a.login(sen.RoleTeacher) // sessions expired meanwhile
		r = senco.get(plan + "/review")
		rv := url.Values{"version": {spVersion(t, r.Body)}, "pupilAttended": {"yes"}, "parents": {"Mrs Okafor"}, "staff": {"Class teacher"},
			"pupilComments": {"I like the pictures"}, "parentComments": {"Happier at home"}, "nextSteps": {"Keep the language group"}}
		spDateVals(rv, "meetingDate", later)
		spDateVals(rv, "nextReview", later.AddDate(0, 3, 0))
		r = senco.post(plan+"/review", rv)
		if err := hasFieldError(r, "rating-"+oid, "Select how far this outcome was achieved: Follow a two-step instruction"); err != nil {
			t.Fatal(err)
		}
		rv.Set("rating-"+oid, "partly")
		rv.Set("evidence-"+oid, "3 of 5")
		rv.Set("carry-"+oid, "yes")
		r = senco.post(plan+"/review", rv)
		next := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !spPlanLinkRe.MatchString(next) || next == plan {
			t.Fatalf("review: %d %q %s", r.StatusCode, next, regexp.MustCompile(`(?s)govuk-error-summary__list">(.*?)</ul>`).FindString(r.Body))
		}
		r = senco.get(plan)
		if !strings.Contains(r.Body, "Reviewed (locked)") || !strings.Contains(r.Body, "Partly achieved") || strings.Contains(r.Body, `id="edit-plan"`) {
			t.Fatal("reviewed cycle not locked")
		}
		if r := senco.post(plan+"/edit", edit); r.StatusCode == http.StatusSeeOther {
			t.Fatal("locked cycle edited")
		}
		if r := senco.post(plan+"/amend", url.Values{"field": {"review_next_steps"}, "value": {"Keep the language group twice a week"}}); hasFieldError(r, "reason", "Enter the reason for the correction") != nil {
			t.Fatalf("amendment without reason: %d", r.StatusCode)
		}
		if r := senco.post(plan+"/amend", url.Values{"field": {"review_next_steps"}, "value": {"Keep the language group twice a week"}, "reason": {"Typo"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("amend: %d", r.StatusCode)
		}
		if r := senco.get(next); !strings.Contains(r.Body, "cycle 2") || !strings.Contains(r.Body, "Follow a two-step instruction") || !strings.Contains(r.Body, "carried forward") {
			t.Fatal("next cycle lacks the carried outcome")
		}
		// Teachers see the carried-forward outcome, marked as not yet agreed.
		if r := teacher.get("/my-pupils"); !strings.Contains(r.text(), "This plan is a draft") || !strings.Contains(r.text(), "Proposed outcomes") {
			t.Error("My pupils does not mark a draft plan as a draft")
		}

		// Passport: generated from the plan, edited, readable by the teacher.
		r = senco.get(pupil + "/passport/edit")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "My cat Biscuit") {
			t.Fatalf("passport draft: %d", r.StatusCode)
		}
		pp := url.Values{"version": {spVersion(t, r.Body)}, "aboutMe": {"I love my cat Biscuit and drawing."}, "strengths": {"Drawing"}, "needs": {"Spoken language"},
			"helps": {"Pictures with instructions"}, "notHelps": {"Noise"}}
		if r := senco.post(pupil+"/passport/edit", pp); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save passport: %d %s", r.StatusCode, r.Body)
		}
		if r := senco.post(pupil+"/passport/edit", pp); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "Someone else saved this passport first") {
			t.Fatalf("stale passport: %d", r.StatusCode)
		}
		if r := teacher.get(pupil + "/passport"); r.StatusCode != 200 || !strings.Contains(r.Body, "Pictures with instructions") {
			t.Fatalf("teacher passport: %d", r.StatusCode)
		}

		// Documents: the review record, plan and passport as PDF with school, pupil, dates and page numbers.
		if testing.Short() {
			return
		}
		for _, doc := range []struct {
			url  string
			want []string
		}{
			{plan + "/pdf", []string{"SEN support plan", "Test Academy", in.FullName(), "Follow a two-step instruction", "Partly achieved", "Page 1 of", "Printed " + later.Format("2 January 2006")}},
			{plan + "/review/pdf", []string{"SEN support review record", "Mrs Okafor", "Keep the language group twice a week", "Page 1 of"}},
			{pupil + "/passport/pdf", []string{in.FullName() + "'s passport", "What helps me", "Pictures with instructions", "Page 1 of 1"}},
		} {
			req, _ := http.NewRequest(http.MethodGet, a.srv.URL+doc.url, nil)
			res, err := teacher.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s: %d %s", doc.url, res.StatusCode, res.Header.Get("Content-Type"))
			}
			text := spPDFText(t, raw)
			for _, w := range doc.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: PDF text lacks %q:\n%s", doc.url, w, text)
				}
			}
		}
		// The parents' copy and the staff copy have different file names, and
		// the parents' copy is in parents' words.
		pdfGet := func(u string) (string, string) {
			req, _ := http.NewRequest(http.MethodGet, a.srv.URL+u, nil)
			res, err := teacher.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("%s: %d %v", u, res.StatusCode, err)
			}
			return res.Header.Get("Content-Disposition"), spPDFText(t, raw)
		}
		staffCD, staffText := pdfGet(plan + "/pdf")
		parentsCD, parentsText := pdfGet(plan + "/pdf?copy=parents")
		if !strings.Contains(parentsCD, "-parents-copy.pdf") || strings.Contains(staffCD, "parents") || staffCD == parentsCD {
			t.Errorf("file names: staff %q, parents %q", staffCD, parentsCD)
		}
		if !strings.Contains(staffText, "Reviewed (locked)") {
			t.Errorf("staff copy lacks the status:\n%s", staffText)
		}
		if strings.Contains(parentsText, "locked") || strings.Contains(parentsText, "Cycle ") || !strings.Contains(parentsText, "(parents' copy)") {
			t.Errorf("parents' copy wording:\n%s", parentsText)
		}
	})
}

// TestGovernorSeesOnlyPlanCounts: governors get counts on the home page and
// nothing that names a pupil.
func TestGovernorSeesOnlyPlanCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in := a.f.InClass
		a.setSEN(&in, "K", "SPLD")
		g := a.login(sen.RoleGovernor)
		r := g.get("/")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Active SEN support plans") || strings.Contains(r.Body, in.Surname) {
			t.Fatalf("governor home: %d", r.StatusCode)
		}
		for _, u := range []string{"/concerns", "/senco", "/pupils/" + strconv.FormatInt(in.ID, 10) + "/evidence", "/pupils/" + strconv.FormatInt(in.ID, 10) + "/plan"} {
			if r := g.get(u); r.StatusCode != http.StatusForbidden {
				t.Errorf("governor %s: %d", u, r.StatusCode)
			}
		}
	})
}

// TestConfidentialEvidenceHTTP: the SENCO records evidence, one entry
// confidential to named people; others see that it exists but not what it says.
func TestConfidentialEvidenceHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in := a.f.InClass
		ev := "/pupils/" + strconv.FormatInt(in.ID, 10) + "/evidence"
		today := a.st.Today()
		senco := a.login(sen.RoleSENCO)
		if r := senco.get(ev + "/new"); r.StatusCode != 200 || !strings.Contains(r.Body, `id="confidential"`) {
			t.Fatalf("evidence form: %d", r.StatusCode)
		}
		v := url.Values{"kind": {"assessment"}, "title": {"YARC"}, "body": {"Reading accuracy below average"}, "standardScore": {"200"}}
		spDateVals(v, "date", today.AddDate(0, 0, 1))
		r := senco.post(ev+"/new", v)
		if err := hasFieldError(r, "date", "The date must be today or in the past"); err != nil {
			t.Fatal(err)
		}
		if err := hasFieldError(r, "standardScore", "A standard score must be between 40 and 160"); err != nil {
			t.Fatal(err)
		}
		v.Set("standardScore", "79")
		spDateVals(v, "date", today)
		if r := senco.post(ev+"/new", v); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add assessment: %d", r.StatusCode)
		}
		conf := url.Values{"kind": {"note"}, "body": {"Bereavement in the family"}, "confidential": {"yes"}, "readers": {strconv.FormatInt(a.f.Users[sen.RoleDeputy].ID, 10)}}
		spDateVals(conf, "date", today)
		if r := senco.post(ev+"/new", conf); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add confidential note: %d", r.StatusCode)
		}
		if r := senco.get(ev); !strings.Contains(r.Body, "Bereavement") || !strings.Contains(r.Body, "Standard score 79") {
			t.Fatal("author cannot read own entries")
		}
		if r := a.login(sen.RoleDeputy).get(ev); !strings.Contains(r.Body, "Bereavement") {
			t.Fatal("named reader cannot read the confidential entry")
		}
		r = a.login(sen.RoleHead).get(ev)
		if r.StatusCode != 200 || strings.Contains(r.Body, "Bereavement") || !strings.Contains(r.Body, "Restricted") || !strings.Contains(r.Body, "Test SENCO") {
			t.Fatalf("SLT not named: %d", r.StatusCode)
		}
		if r := a.login(sen.RoleTeacher).get(ev); r.StatusCode != http.StatusForbidden {
			t.Fatalf("teacher reads evidence: %d", r.StatusCode)
		}
	})
}

// TestPlanRoutesAccessPolicy is issue 4's part of the route × role matrix,
// written out by hand (not derived from authz): the matrix test in
// matrix_test.go then checks every route over HTTP against authz.
func TestPlanRoutesAccessPolicy(t *testing.T) {
	a := newApp(t, store.SQLite)
	var (
		leads    = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
		readers  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
		withSLT  = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
		teachers = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher, sen.RoleTA}
	)
	want := map[string][]sen.Role{
		"GET /concerns": withSLT, "GET /pupils/{id}/concerns/new": readers, "POST /pupils/{id}/concerns/new": readers,
		"GET /concerns/{id}": withSLT, "POST /concerns/{id}/decide": leads, "POST /concerns/{id}/monitoring-review": leads,
		"GET /pupils/{id}/evidence": withSLT, "GET /pupils/{id}/evidence/new": leads, "POST /pupils/{id}/evidence/new": leads,
		"GET /pupils/{id}/plan": readers, "POST /pupils/{id}/plan": leads, "GET /plans/{id}": readers, "GET /plans/{id}/pdf": readers,
		"GET /plans/{id}/edit": leads, "POST /plans/{id}/edit": leads, "GET /plans/{id}/outcomes/new": leads, "POST /plans/{id}/outcomes/new": leads,
		"GET /plans/{id}/strategies": leads, "POST /plans/{id}/strategies": leads, "GET /plans/{id}/support/new": leads, "POST /plans/{id}/support/new": leads,
		"GET /plans/{id}/items/{item}/edit": leads, "POST /plans/{id}/items/{item}/edit": leads, "GET /plans/{id}/items/{item}/remove": leads,
		"POST /plans/{id}/items/{item}/remove": leads, "GET /plans/{id}/template": leads, "POST /plans/{id}/template": leads, "POST /plans/{id}/template/apply": leads, "GET /strategies": leads,
		"GET /strategies/new": leads, "POST /strategies/new": leads, "GET /strategies/{id}/edit": leads, "POST /strategies/{id}/edit": leads, "POST /strategies/{id}/retire": leads,
		"POST /plans/{id}/activate": leads, "GET /plans/{id}/review": leads, "POST /plans/{id}/review": leads,
		"GET /plans/{id}/review/pdf": readers, "GET /plans/{id}/amend": leads, "POST /plans/{id}/amend": leads, "POST /plans/{id}/log": teachers,
		"GET /pupils/{id}/passport": readers, "GET /pupils/{id}/passport/pdf": readers, "GET /pupils/{id}/passport/edit": leads, "POST /pupils/{id}/passport/edit": leads,
		"GET /senco": withSLT, "GET /my-pupils": readers,
	}
	found := map[string]bool{}
	for _, rt := range a.web.Routes() {
		roles, ok := want[rt.Pattern]
		if !ok {
			continue
		}
		found[rt.Pattern] = true
		for _, role := range sen.Roles {
			if got := authz.Can(role, rt.Action); got != roleIn(role, roles) {
				t.Errorf("%s: %s allowed = %v, want %v", rt.Pattern, role, got, !got)
			}
		}
	}
	for p := range want {
		if !found[p] {
			t.Errorf("route %s missing from the route table", p)
		}
	}
	// Office never sees plan content; governors only counts.
	for _, role := range []sen.Role{sen.RoleOffice, sen.RoleGovernor} {
		for _, act := range []authz.Action{authz.PlanRead, authz.EvidenceRead, authz.ConcernTriage, authz.MyPupilsRead, authz.SencoDashboard} {
			if authz.Can(role, act) {
				t.Errorf("%s may %s", role, act)
			}
		}
	}
}

// TestConcernAttachmentUpload: files are accepted by content, not by name,
// and served only as downloads with the sniffed type.
func TestConcernAttachmentUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in := a.f.InClass
		teacher := a.login(sen.RoleTeacher)
		teacher.get("/pupils/" + strconv.FormatInt(in.ID, 10) + "/concerns/new")
		upload := func(name string, data []byte) resp {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for k, v := range map[string]string{"csrf_token": teacher.csrf, "noticed": "Handwriting is very hard to read", "areas": sen.AreaCL} {
				mw.WriteField(k, v)
			}
			fw, _ := mw.CreateFormFile("attachments", name)
			fw.Write(data)
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/pupils/"+strconv.FormatInt(in.ID, 10)+"/concerns/new", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return teacher.do(req)
		}
		r := upload("sample.pdf", []byte("<html><script>alert(1)</script></html>"))
		if err := hasFieldError(r, "attachments", "sample.pdf must be a PDF, a photo (PNG or JPEG) or a Word, Excel or OpenDocument text file"); err != nil {
			t.Fatalf("%v (status %d)", err, r.StatusCode)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		if r := upload("work sample.png", png); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", r.StatusCode)
		}
		senco := a.login(sen.RoleSENCO)
		r = senco.get("/concerns")
		cid := regexp.MustCompile(`href="/concerns/(\d+)"`).FindStringSubmatch(r.Body)[1]
		r = senco.get("/concerns/" + cid)
		m := regexp.MustCompile(`href="(/concerns/\d+/attachments/\d+)"`).FindStringSubmatch(r.Body)
		if m == nil || !strings.Contains(r.Body, "work_sample.png") {
			t.Fatal("attachment not listed")
		}
		r = senco.get(m[1])
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") || r.Body != string(png) {
			t.Fatalf("download: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
		}
		if r := teacher.get(m[1]); r.StatusCode != http.StatusForbidden {
			t.Fatalf("teacher downloads from the triage queue: %d", r.StatusCode)
		}
	})
}

// TestMonitoringReviewHTTP: a "monitor" decision returns on the SENCO
// dashboard near its review date and the SENCO starts the review from it.
func TestMonitoringReviewHTTP(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			a := newApp(t, engine)
			senco := a.login(sen.RoleSENCO)
			c := plans.Concern{PupilID: a.f.InClass.ID, Noticed: "Often anxious at the start of the day", Areas: []string{sen.AreaSEMH}}
			if err := a.st.RaiseConcern(t.Context(), a.f.Actor(sen.RoleTeacher), &c); err != nil {
				t.Fatal(err)
			}
			cid := strconv.FormatInt(c.ID, 10)
			r := senco.get("/concerns/" + cid)
			v := url.Values{"version": {spVersion(t, r.Body)}, "decision": {"monitor"}, "reason": {"Settling after a move; look again in three weeks"}}
			spDateVals(v, "monitorReview", a.st.Today().AddDate(0, 0, 21))
			if r := senco.post("/concerns/"+cid+"/decide", v); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("decide: %d", r.StatusCode)
			}
			if r := senco.get("/senco"); strings.Contains(r.Body, `href="/concerns/`+cid+`#monitoring-review"`) {
				t.Fatal("monitoring listed three weeks early")
			}
			a.advance(22 * 24 * time.Hour) // a day past the review date
			senco = a.login(sen.RoleSENCO)
			r = senco.get("/senco")
			if !strings.Contains(r.Body, `href="/concerns/`+cid+`#monitoring-review"`) || !strings.Contains(r.text(), "Overdue") {
				t.Fatal("overdue monitoring review not on the dashboard")
			}
			if r := senco.get("/"); !strings.Contains(r.text(), "Monitoring reviews due in the next 14 days or overdue") {
				t.Error("home page lacks the monitoring count")
			}
			if r := a.login(sen.RoleTeacher).post("/concerns/"+cid+"/monitoring-review", url.Values{}); r.StatusCode != http.StatusForbidden {
				t.Errorf("teacher started a monitoring review: %d", r.StatusCode)
			}
			r = senco.get("/concerns/" + cid)
			if !strings.Contains(r.Body, "Start the monitoring review") {
				t.Fatal("no way to start the monitoring review")
			}
			r = senco.post("/concerns/"+cid+"/monitoring-review", url.Values{})
			next := r.Header.Get("Location")
			if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(next, "#decide") || next == "/concerns/"+cid+"#decide" {
				t.Fatalf("start: %d %q", r.StatusCode, next)
			}
			r = senco.get(strings.TrimSuffix(next, "#decide"))
			if !strings.Contains(r.text(), "Monitoring review started") || !strings.Contains(r.text(), "Often anxious at the start of the day") || !strings.Contains(r.Body, "Record your decision") {
				t.Fatal("the review concern does not carry the earlier concern or offer a decision")
			}
			if r := senco.get("/senco"); strings.Contains(r.Body, `#monitoring-review"`) {
				t.Error("monitoring still on the dashboard after the review started")
			}
			if r := senco.get("/concerns/" + cid); strings.Contains(r.Body, "Start the monitoring review") || !strings.Contains(r.text(), "A later concern about") {
				t.Error("old concern still offers to start a review")
			}
			if n := a.auditCount("concern.monitor_review", a.f.Users[sen.RoleSENCO].ID); n != 1 {
				t.Errorf("audit rows %d", n)
			}
		})
	}
}
