package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// validPupilForm is an add-pupil form that passes validation.
func validPupilForm(upn string) url.Values {
	return url.Values{"upn": {upn}, "forename": {"Zara"}, "surname": {"Quinn"}, "dob-day": {"14"}, "dob-month": {"3"}, "dob-year": {"2015"},
		"sex": {"F"}, "yearGroup": {"5"}, "className": {"5B"}, "admissionDate-day": {"2"}, "admissionDate-month": {"9"}, "admissionDate-year": {"2024"}}
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestPupilCreateValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleOffice)
		pupils := func() int { return a.count(`SELECT COUNT(*) FROM pupils WHERE school_id = $1`, a.f.SchoolID) }
		before := pupils()
		good := makeUPN(424242)
		wrongLetter := "A" + good[1:]
		if wrongLetter == good {
			wrongLetter = "B" + good[1:]
		}
		base := validPupilForm(good)
		type fieldMsg struct{ field, msg string }
		cases := []struct {
			name string
			v    url.Values
			want []fieldMsg
		}{
			{"UPN format", with(base, "upn", "A12345"), []fieldMsg{{"upn", "UPN must be 13 characters, like A123456789012 (this one has 6)"}}},
			{"UPN letters inside", with(base, "upn", "A12345X789012"), []fieldMsg{{"upn", "UPN characters 2 to 12 must be digits"}}},
			{"UPN check letter", with(base, "upn", wrongLetter), []fieldMsg{{"upn", "UPN check letter is wrong: the first letter should be " + good[:1] + " for these digits"}}},
			{"UPN LA number (census rule 1530)", with(base, "upn", string(sen.UPNCheckLetter("999200125001"))+"999200125001"), []fieldMsg{{"upn", "UPN characters 2 to 4 must be an English local authority number: 999 is not one"}}},
			{"duplicate UPN", with(base, "upn", a.f.InClass.UPN), []fieldMsg{{"upn", "A pupil with UPN " + a.f.InClass.UPN + " is already on this school's roll"}}},
			{"missing names", with(base, "forename", " ", "surname", ""), []fieldMsg{{"forename", "Enter the pupil's first name"}, {"surname", "Enter the pupil's last name"}}},
			{"future DOB", with(base, "dob-day", "1", "dob-month", "1", "dob-year", "2027", "admissionDate-day", "", "admissionDate-month", "", "admissionDate-year", ""), []fieldMsg{{"dob", "Date of birth must be in the past"}}},
			{"impossible date", with(base, "dob-day", "31", "dob-month", "2", "dob-year", "2015"), []fieldMsg{{"dob", "Date of birth must be a real date"}}},
			{"missing DOB month", with(base, "dob-month", ""), []fieldMsg{{"dob", "Date of birth must include a month"}}},
			{"missing sex and year", with(base, "sex", "", "yearGroup", ""), []fieldMsg{{"sex", "Select the pupil's sex as recorded for the census"}, {"yearGroup", "Select a year group"}}},
			{"admission before birth", with(base, "admissionDate-year", "2010"), []fieldMsg{{"admissionDate", "Admission date must be after the date of birth"}}},
		}
		for _, tc := range cases {
			r := c.post("/pupils/new", tc.v)
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", tc.name, r.StatusCode)
				continue
			}
			for _, w := range tc.want {
				if err := hasFieldError(r, w.field, w.msg); err != nil {
					t.Errorf("%s: %v", tc.name, err)
				}
			}
			if got := len(errorSummary(r)); got != len(tc.want) {
				t.Errorf("%s: %d errors in the summary (%q), want %d", tc.name, got, errorSummary(r), len(tc.want))
			}
			if !strings.Contains(r.Body, "<title>Error: ") {
				t.Errorf("%s: title lacks the Error: prefix", tc.name)
			}
			// What was typed is kept.
			if tc.v.Get("surname") != "" && !strings.Contains(r.Body, `value="`+tc.v.Get("surname")+`"`) {
				t.Errorf("%s: the typed surname was not kept", tc.name)
			}
		}
		if n := pupils(); n != before {
			t.Fatalf("invalid forms wrote %d pupils", n-before)
		}

		r := c.post("/pupils/new", base)
		loc := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/pupils/\d+$`).MatchString(loc) {
			t.Fatalf("create: %d to %q (%q)", r.StatusCode, loc, errorSummary(r))
		}
		page := c.get(loc)
		if page.StatusCode != http.StatusOK {
			t.Fatalf("new pupil page: %d", page.StatusCode)
		}
		for _, want := range []string{"Pupil added", "Zara Quinn", good, "14 March 2015", "Female", "Year 5", "5B", "2 September 2024"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("new pupil page lacks %q", want)
			}
		}
		if n := pupils(); n != before+1 {
			t.Errorf("pupils: %d, want %d", n, before+1)
		}
	})
}

func TestPupilEditConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		p := a.f.NotTaught
		edit := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/edit"
		alice, bob := a.login(sen.RoleSENCO), a.login(sen.RoleOffice)
		versionRe := regexp.MustCompile(`name="version" value="(\d+)"`)
		formVersion := func(r resp) string {
			m := versionRe.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no version field (%d)", r.StatusCode)
			}
			return m[1]
		}
		v1 := formVersion(alice.get(edit))
		if v2 := formVersion(bob.get(edit)); v1 != v2 {
			t.Fatalf("versions differ: %s %s", v1, v2)
		}
		form := func(surname, class, version string) url.Values {
			return url.Values{"upn": {p.UPN}, "forename": {p.Forename}, "surname": {surname}, "dob-day": {"2"}, "dob-month": {"3"}, "dob-year": {"2014"},
				"sex": {"M"}, "yearGroup": {"7"}, "className": {class}, "version": {version}}
		}
		if r := alice.post(edit, form("Whitfield", "7C", v1)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("first save: %d %q", r.StatusCode, errorSummary(r))
		}
		r := bob.post(edit, form("Brown", "7B", v1))
		if r.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: %d, want 409", r.StatusCode)
		}
		body := r.text()
		for _, want := range []string{"Someone else changed this pupil's details", "Saved name", "Ben Whitfield", "7C", `value="Brown"`} {
			if !strings.Contains(body, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		cur, err := a.st.Pupil(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if cur.Surname != "Whitfield" || cur.ClassName != "7C" {
			t.Fatalf("stale save overwrote the record: %s %s", cur.Surname, cur.ClassName)
		}
		// Saving again from the conflict page (which carries the new version) works.
		if r := bob.post(edit, form("Brown", "7B", formVersion(r))); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("resave: %d %q", r.StatusCode, errorSummary(r))
		}
		if n := a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1 AND surname = 'Brown'`, p.ID); n != 1 {
			t.Errorf("resave not stored")
		}
	})
}

func TestPupilSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		long := a.addPupil("Zachary", "Long", "8", "8C")
		c := a.login(sen.RoleSENCO)
		names := map[string]string{"okafor": "Okafor, Amara", "carter": "Carter, Ben", "long": "Long, Zachary"}
		cases := []struct {
			query string
			want  []string
		}{
			{"q=okaf", []string{"okafor"}},
			{"q=AMARA", []string{"okafor"}},
			{"q=" + a.f.NotTaught.UPN, []string{"carter"}},
			{"q=" + strings.ToLower(long.UPN), []string{"long"}},
			{"year=8", []string{"long"}},
			{"year=7", []string{"okafor", "carter"}},
			{"class=7B", []string{"carter"}},
			{"year=7&class=7A", []string{"okafor"}},
			{"q=nobody-at-all", nil},
			{"", []string{"okafor", "carter", "long"}},
		}
		for _, tc := range cases {
			r := c.get("/pupils?" + tc.query)
			if r.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", tc.query, r.StatusCode)
				continue
			}
			for key, name := range names {
				want := false
				for _, w := range tc.want {
					want = want || w == key
				}
				if got := strings.Contains(r.Body, name); got != want {
					t.Errorf("/pupils?%s: shows %s = %v, want %v", tc.query, name, got, want)
				}
			}
		}
	})
}

// auditRows returns the (who, action, detail) cells of the audit page.
func auditRows(body string) [][3]string {
	rowRe := regexp.MustCompile(`(?s)<tr class="govuk-table__row">\s*<td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>`)
	var out [][3]string
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, [3]string{m[1], m[2], m[3]})
	}
	return out
}

func TestPupilReadsAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		id := strconv.FormatInt(a.f.InClass.ID, 10)
		teacher, office, senco := a.login(sen.RoleTeacher), a.login(sen.RoleOffice), a.login(sen.RoleSENCO)
		for range 3 {
			if r := teacher.get("/pupils/" + id); r.StatusCode != http.StatusOK {
				t.Fatalf("teacher view: %d", r.StatusCode)
			}
		}
		if r := office.get("/pupils/" + id + "/edit"); r.StatusCode != http.StatusOK {
			t.Fatalf("office edit form: %d", r.StatusCode)
		}
		if r := senco.get("/pupils/" + id + "/sen"); r.StatusCode != http.StatusOK {
			t.Fatalf("senco register form: %d", r.StatusCode)
		}
		r := senco.get("/pupils/" + id + "/audit")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("audit page: %d", r.StatusCode)
		}
		// The page may show the action's code or its plain-English label.
		label := map[string]string{"pupil.read": "Viewed the record", "pupil.create": "Added the pupil"}
		count := func(who, action, detail string) int {
			n := 0
			for _, row := range auditRows(r.text()) {
				if row[0] == who && (row[1] == action || row[1] == label[action]) && row[2] == detail {
					n++
				}
			}
			return n
		}
		rows := auditRows(r.text())
		if len(rows) == 0 {
			t.Fatalf("audit page has no rows")
		}
		for _, tc := range []struct {
			who, action, detail string
			want                int
		}{
			{"Test Teacher", "pupil.read", "view record", 3},
			{"Test Office / admin", "pupil.read", "edit form", 1},
			{"Test SENCO", "pupil.read", "register form", 1},
			{"Test SENCO", "pupil.create", "", 1},
		} {
			if got := count(tc.who, tc.action, tc.detail); got != tc.want {
				t.Errorf("audit page: %d × %s %s %q, want %d (rows %q)", got, tc.who, tc.action, tc.detail, tc.want, rows)
			}
		}
		// The audit page itself is a read and is logged too.
		if n := a.auditCount("audit.read", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("audit.read rows = %d, want 1", n)
		}
		// Actions are named in plain English, not by the store's codes.
		for _, row := range rows {
			if row[1] == "" || strings.Contains(row[1], ".") {
				t.Errorf("audit action not in plain English: %q", row[1])
			}
		}
		for _, row := range rows {
			if strings.Contains(row[2], a.f.InClass.Surname) || strings.Contains(row[2], a.f.InClass.UPN) {
				t.Errorf("audit detail carries pupil data: %q", row[2])
			}
		}
	})
}
