package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestRegisterStatusAndNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleSENCO)
		p := a.f.InClass
		senURL := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/sen"
		version := func() string {
			cur, err := a.st.Pupil(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(cur.Version, 10)
		}
		form := func(status, need1 string) url.Values {
			return url.Values{"status": {status}, "need1": {need1}, "startDate-day": {"2"}, "startDate-month": {"11"}, "startDate-year": {"2026"},
				"decidedBy": {"SENCO with parents at review meeting"}, "reason": {"Reading age two years below"}, "version": {version()}}
		}
		history := func() int { return a.count(`SELECT COUNT(*) FROM sen_status_history WHERE pupil_id = $1`, p.ID) }

		r := c.post(senURL, form("K", ""))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("K without a need: %d", r.StatusCode)
		}
		if err := hasFieldError(r, "need1", "A pupil with SEN support (K) must have a primary (rank 1) need"); err != nil {
			t.Errorf("K without a need: %v (%q)", err, errorSummary(r))
		}
		if history() != 0 {
			t.Fatalf("refused change wrote history")
		}

		r = c.post(senURL, form("K", "SPLD"))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("K with a need: %d %q", r.StatusCode, errorSummary(r))
		}
		if history() != 1 {
			t.Fatalf("history rows = %d, want 1", history())
		}
		page := c.get(r.Header.Get("Location")).text()
		for _, want := range []string{"SEN register entry saved", "SEN support (K)", "SENCO with parents at review meeting", "Reading age two years below",
			"2 November 2026", "Specific learning difficulty (SPLD), primary need"} {
			if !strings.Contains(page, want) {
				t.Errorf("pupil page lacks %q", want)
			}
		}
		if n := a.auditCount("register.status", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("register.status audit rows = %d", n)
		}

		r = c.post(senURL, form("N", "SPLD"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("N with a need: %d", r.StatusCode)
		}
		if err := hasFieldError(r, "need1", "A pupil with no SEN (N) must have no SEN type recorded"); err != nil {
			t.Errorf("N with a need: %v (%q)", err, errorSummary(r))
		}
		bad := form("K", "SPLD")
		bad.Set("need1", "XYZ")
		if r := c.post(senURL, bad); r.StatusCode != http.StatusUnprocessableEntity || hasFieldError(r, "need1", "Select a need from the list") != nil {
			t.Errorf("unknown need code: %d %q", r.StatusCode, errorSummary(r))
		}
		if history() != 1 {
			t.Errorf("refused changes wrote history: %d rows", history())
		}
		if n := a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1 AND sen_status = 'K'`, p.ID); n != 1 {
			t.Errorf("status changed by a refused form")
		}

		// Ending SEN support: N with no needs is accepted and adds history.
		if r := c.post(senURL, form("N", "")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("N without needs: %d %q", r.StatusCode, errorSummary(r))
		}
		if history() != 2 {
			t.Errorf("history rows = %d, want 2", history())
		}
	})
}

func TestRegisterExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		in := a.f.InClass
		a.setSEN(&in, "K", "SPLD")
		evil := a.addPupil("+SUM(1;2)", "=HYPERLINK(\"http://evil.example\")", "8", "-8E")
		a.setSEN(&evil, "K", "SEMH")
		atSign := a.addPupil("@cmd", "Dash", "8", "8D")
		a.setSEN(&atSign, "E", "ASD")
		_ = a.addPupil("Nora", "NoSen", "8", "8D") // status N: not on the register

		c := a.login(sen.RoleSENCO)
		read := func(query string) [][]string {
			r := c.get("/register.csv?" + query)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("csv %s: %d", query, r.StatusCode)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("csv content type %q", ct)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("csv disposition %q", cd)
			}
			// Excel needs the UTF-8 byte order mark to read the file as UTF-8.
			body, ok := strings.CutPrefix(r.Body, "\ufeff")
			if !ok {
				t.Errorf("csv %s: no UTF-8 byte order mark at the start: %q", query, r.Body[:min(len(r.Body), 10)])
			}
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}
		header := []string{"UPN", "Surname", "Forename", "Date of birth", "Year group", "Class", "SEN provision", "Since", "Primary need",
			"Secondary need", "Broad areas", "Census check", "Additional need (not in the census)", "SEN unit", "Resourced provision"}

		all := read("")
		if strings.Join(all[0], "|") != strings.Join(header, "|") {
			t.Fatalf("header %q", all[0])
		}
		upns := func(recs [][]string) string {
			var out []string
			for _, r := range recs[1:] {
				out = append(out, r[0])
			}
			return strings.Join(out, ",")
		}
		// Default register = pupils with K or E, in year then name order.
		if got, want := upns(all), strings.Join([]string{in.UPN, evil.UPN, atSign.UPN}, ","); got != want {
			t.Errorf("register rows %s, want %s", got, want)
		}
		for _, r := range all[1:] {
			if r[0] == evil.UPN {
				if r[1] != `'=HYPERLINK("http://evil.example")` || r[2] != "'+SUM(1;2)" || r[5] != "'-8E" {
					t.Errorf("formula cells not neutralised: %q", r)
				}
			}
			if r[0] == atSign.UPN && r[2] != "'@cmd" {
				t.Errorf("@ cell not neutralised: %q", r[2])
			}
			for _, cell := range r {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("cell %q starts with a formula character", cell)
				}
			}
		}
		// Filters: only matching rows.
		if got := upns(read("need=ASD")); got != atSign.UPN {
			t.Errorf("need=ASD rows %s", got)
		}
		if got := upns(read("year=7")); got != in.UPN {
			t.Errorf("year=7 rows %s", got)
		}
		if got := upns(read("status=E")); got != atSign.UPN {
			t.Errorf("status=E rows %s", got)
		}
		if got := read("status=all"); len(got) != 1+5 {
			t.Errorf("status=all: %d rows, want 5", len(got)-1)
		}
		senco := a.f.Users[sen.RoleSENCO].ID
		if n := a.auditCount("register.export", senco); n != 5 {
			t.Errorf("register.export audit rows = %d, want 5", n)
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'register.export' AND user_id = $1 AND detail LIKE 'rows=1 filter=need=ASD%'`, senco); n != 1 {
			t.Errorf("export audit does not record rows and filter")
		}

		// The register page lists the same pupils and links the CSV with the filter.
		page := c.get("/register?need=ASD")
		if !strings.Contains(page.Body, "Dash, @cmd") || strings.Contains(page.Body, "Okafor") || !strings.Contains(page.text(), `href="/register.csv?need=ASD"`) {
			t.Errorf("register page filter/CSV link wrong")
		}

		office := a.login(sen.RoleOffice)
		for _, u := range []string{"/register", "/register.csv", "/register.csv?status=all"} {
			if r := office.get(u); r.StatusCode != http.StatusForbidden || strings.Contains(r.Body, in.UPN) {
				t.Errorf("office %s: %d, want 403", u, r.StatusCode)
			}
		}
		if n := a.auditCount("register.export", a.f.Users[sen.RoleOffice].ID); n != 0 {
			t.Errorf("office export audited as done")
		}
		// Teachers see the register of their pupils but cannot export it.
		teacher := a.login(sen.RoleTeacher)
		if r := teacher.get("/register.csv"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher csv: %d", r.StatusCode)
		}
		// Office may not filter the pupil list by SEN detail either.
		if r := office.get("/pupils?status=E"); !strings.Contains(r.Body, "Okafor") {
			t.Errorf("office status filter applied (leaks who has an EHC plan)")
		}
	})
}

// Census needs are ranks 1 and 2: the third need on the form is the
// additional need, shown and exported under its own label and never as a
// census need; NSA is only the sole need of a pupil on SEN support.
func TestRegisterAdditionalNeedAndNSA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleSENCO)
		p := a.f.InClass
		senURL := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/sen"
		form := func(status string, needs ...string) url.Values {
			cur, err := a.st.Pupil(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			v := url.Values{"status": {status}, "startDate-day": {"2"}, "startDate-month": {"11"}, "startDate-year": {"2026"},
				"decidedBy": {"SENCO with parents"}, "version": {strconv.FormatInt(cur.Version, 10)}}
			for i, n := range needs {
				v.Set("need"+strconv.Itoa(i+1), n)
			}
			return v
		}
		for _, tc := range []struct {
			name, status string
			needs        []string
			field, msg   string
		}{
			{"NSA with an EHC plan", "E", []string{"NSA"}, "need1", "NSA (SEN support but no specialist assessment of type of need) can only be used for a pupil on SEN support (K), not with EHC plan (E)"},
			{"NSA beside another need", "K", []string{"NSA", "SEMH"}, "need1", "NSA (SEN support but no specialist assessment of type of need) must be the pupil's only need: remove the other needs, or record the assessed type of need instead of NSA"},
			{"NSA as additional need", "K", []string{"MLD", "SEMH", "NSA"}, "need1", "NSA (SEN support but no specialist assessment of type of need) must be the pupil's only need: remove the other needs, or record the assessed type of need instead of NSA"},
			{"additional need without a secondary", "K", []string{"MLD", "", "HI"}, "need3", "Select a secondary need before an additional need, or move this need up to the secondary need"},
		} {
			r := c.post(senURL, form(tc.status, tc.needs...))
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, r.StatusCode)
				continue
			}
			if err := hasFieldError(r, tc.field, tc.msg); err != nil {
				t.Errorf("%s: %v (%q)", tc.name, err, errorSummary(r))
			}
		}
		if r := c.post(senURL, form("K", "NSA")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("NSA alone on K: %d %q", r.StatusCode, errorSummary(r))
		}
		if r := c.post(senURL, form("K", "SPLD", "SEMH", "HI")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("three needs: %d %q", r.StatusCode, errorSummary(r))
		}
		if n := a.count(`SELECT COUNT(*) FROM pupil_needs WHERE pupil_id = $1 AND rank = $2 AND need_code = 'HI'`, p.ID, sen.AdditionalNeedRank); n != 1 {
			t.Fatalf("additional need not stored at rank %d", sen.AdditionalNeedRank)
		}
		page := c.get("/pupils/" + strconv.FormatInt(p.ID, 10)).text()
		for _, want := range []string{"Specific learning difficulty (SPLD), primary need", "Additional need (not in the census)", "Hearing impairment (HI)"} {
			if !strings.Contains(page, want) {
				t.Errorf("pupil page lacks %q", want)
			}
		}
		if strings.Contains(page, "Sensory and/or physical") {
			t.Errorf("pupil page gives the additional need a broad area")
		}
		form3 := c.get(senURL).text()
		if !strings.Contains(form3, "Additional need (not in the census)") || strings.Contains(form3, "rank 3") {
			t.Errorf("SEN form does not label the additional need")
		}
		reg := c.get("/register").text()
		if !strings.Contains(reg, "Additional need (not in the census): <abbr") {
			t.Errorf("register does not label the additional need")
		}
		if r := c.get("/register?need=HI").text(); strings.Contains(r, "Okafor") {
			t.Errorf("register need filter matches the additional need")
		}
		r := c.get("/register.csv")
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("csv: %v %d rows", err, len(recs))
		}
		row := recs[1]
		if row[8] != "SPLD" || row[9] != "SEMH" || row[10] != "Cognition and learning; Social, emotional and mental health" || row[11] != "OK" || row[12] != "HI" {
			t.Errorf("csv row %q", row)
		}
		// Figures count the primary need only.
		fig := c.get("/figures").text()
		if strings.Contains(fig, "Hearing impairment (HI)</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">1") {
			t.Errorf("figures count the additional need")
		}
	})
}

// The census SEN unit and resourced-provision indicators are offered on the
// SEN form only where the school's census provision setting has them, and
// are exported in the register CSV.
func TestRegisterProvisionIndicators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleSENCO)
		p := a.f.InClass
		a.setSEN(&p, "E", "ASD")
		senURL := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/sen"
		form := func(extra ...string) url.Values {
			cur, err := a.st.Pupil(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			v := url.Values{"status": {"E"}, "need1": {"ASD"}, "version": {strconv.FormatInt(cur.Version, 10)}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		if page := c.get(senURL).text(); strings.Contains(page, `name="senUnit"`) || strings.Contains(page, "Census provision") {
			t.Fatalf("indicators offered before the school has the provision")
		}
		// Posted anyway: refused with the field error.
		r := c.post(senURL, form("senUnit", "yes"))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(errorSummary(r), "|"), "settings do not record SEN unit") {
			t.Fatalf("unit without provision: %d %q", r.StatusCode, errorSummary(r))
		}
		if !strings.Contains(c.get("/register").text(), `href="/register/provision"`) {
			t.Errorf("register page does not link the census provision setting")
		}
		if r := c.get("/register/provision"); r.StatusCode != http.StatusOK || !strings.Contains(r.text(), "Get Information About Schools") {
			t.Fatalf("provision form: %d", r.StatusCode)
		}
		if r := c.post("/register/provision", url.Values{"senUnit": {"yes"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save provision: %d %q", r.StatusCode, errorSummary(r))
		}
		page := c.get(senURL).text()
		if !strings.Contains(page, `name="senUnit"`) || strings.Contains(page, `name="resourcedProvision"`) {
			t.Fatalf("SEN form offers the wrong indicators")
		}
		if r := c.post(senURL, form("senUnit", "yes")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save unit flag: %d %q", r.StatusCode, errorSummary(r))
		}
		if page := c.get(senURL).text(); !strings.Contains(page, `value="yes" checked`) {
			t.Errorf("saved flag not shown on the form")
		}
		recs, err := csv.NewReader(strings.NewReader(c.get("/register.csv").Body)).ReadAll()
		if err != nil || len(recs) != 2 || recs[1][13] != "Yes" || recs[1][14] != "No" {
			t.Fatalf("csv indicators: %q %v", recs, err)
		}
		// Moving to SEN support with the box still ticked is refused.
		today := a.st.Today()
		v := form("senUnit", "yes", "status", "K", "startDate-day", strconv.Itoa(today.Day()), "startDate-month", strconv.Itoa(int(today.Month())),
			"startDate-year", strconv.Itoa(today.Year()), "decidedBy", "LA ceased plan")
		if r := c.post(senURL, v); r.StatusCode != http.StatusUnprocessableEntity || hasFieldError(r, "senUnit", "Only a pupil with an EHC plan that names the SEN unit can be recorded as in it, not a pupil with SEN support (K)") != nil {
			t.Fatalf("K with unit: %d %q", r.StatusCode, errorSummary(r))
		}
		// Office and teachers may not change the school's census provision.
		for _, role := range []sen.Role{sen.RoleOffice, sen.RoleTeacher} {
			if r := a.login(role).post("/register/provision", url.Values{}); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", role, r.StatusCode)
			}
		}
	})
}
