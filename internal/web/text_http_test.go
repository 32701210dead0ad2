package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"net/url"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestCleanTextHTTP: on both engines, a form field with NUL, bytes that are
// not UTF-8, a bidi override in a name or a tab in a name is refused with a
// field error (never a 500); a tab in a long text is kept; the import names
// the row and column; a web address with NUL is a 422.
func TestCleanTextHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleSENCO)
		pupils := func() int { return a.count(`SELECT COUNT(*) FROM pupils`) }
		before := pupils()
		for i, tc := range []struct {
			name, field, value, msg string
		}{
			{"NUL in a first name", "forename", "Za\x00ra", "Enter text without control characters (such as NUL or tab)"},
			{"invalid UTF-8 in a surname", "surname", "Qu\xffinn", "Enter text using letters, numbers and punctuation only: this contains characters that are not valid text (check the file or text was saved as UTF-8)"},
			{"bidi override in a surname", "surname", "Qu\u202einn", "Enter the name without hidden direction-changing characters"},
			{"bidi isolate in a surname", "surname", "\u2066Quinn", "Enter the name without hidden direction-changing characters"},
			{"tab in a name", "forename", "Za\tra", "Enter text without control characters (such as NUL or tab)"},
			{"control character in a class", "className", "5\x1bB", "Enter text without control characters (such as NUL or tab)"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.post("/pupils/new", with(validPupilForm(makeUPN(810000+i)), tc.field, tc.value))
				if r.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", r.StatusCode)
				}
				if err := hasFieldError(r, tc.field, tc.msg); err != nil {
					t.Error(err)
				}
			})
		}
		if pupils() != before {
			t.Fatalf("a refused pupil was saved")
		}

		// Staff names: the same rule.
		r := c.post("/staff/new", url.Values{"name": {"Eve \u202eliM"}, "email": {"eve@school.example"}, "role": {"ta"}})
		if r.StatusCode != http.StatusUnprocessableEntity || hasFieldError(r, "name", "Enter the name without hidden direction-changing characters") != nil {
			t.Errorf("staff name with a bidi override: %d", r.StatusCode)
		}

		// Long text: a tab and new lines are kept, NUL is refused.
		p := a.f.InClass
		senURL := "/pupils/" + strconv.FormatInt(p.ID, 10) + "/sen"
		version := func() string {
			cur, err := a.st.Pupil(t.Context(), a.f.Actor(sen.RoleSENCO), p.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			return strconv.FormatInt(cur.Version, 10)
		}
		today := a.st.Today()
		form := func(reason string) url.Values {
			return url.Values{"status": {"K"}, "need1": {"SPLD"}, "startDate-day": {strconv.Itoa(today.Day())}, "startDate-month": {strconv.Itoa(int(today.Month()))},
				"startDate-year": {strconv.Itoa(today.Year())}, "decidedBy": {"SENCO"}, "reason": {reason}, "version": {version()}}
		}
		r = c.post(senURL, form("Reading\x00age"))
		if r.StatusCode != http.StatusUnprocessableEntity || hasFieldError(r, "reason", "Enter text without control characters (tabs and new lines are allowed)") != nil {
			t.Fatalf("NUL in a long text: %d %q", r.StatusCode, errorSummary(r))
		}
		r = c.post(senURL, form("Reading age:\t7y 2m\r\nSpelling age:\t6y 11m"))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("tab in a long text: %d %q", r.StatusCode, errorSummary(r))
		}
		if n := a.count(`SELECT COUNT(*) FROM sen_status_history WHERE pupil_id = $1 AND reason LIKE $2`, p.ID, "Reading age:\t7y%"); n != 1 {
			t.Errorf("tab in a long text not kept: %d", n)
		}

		// The import: row and column.
		csv := "UPN,Surname,Forename,DOB,Sex,Year\n" +
			makeUPN(820001) + ",Jo\x00nes,Tom,2015-01-01,M,6\n" +
			makeUPN(820003) + ",Oka\u202efor,Ada,2015-01-01,F,6\n" +
			makeUPN(820004) + ",\"Bro\tok\",Leo,2015-01-01,M,6\n"
		r = c.upload("/import", "file", "bad.csv", []byte(csv), url.Values{})
		want := []string{
			"Row 2, Surname: Enter text without control characters (such as NUL or tab)",
			"Row 3, Surname: Enter the name without hidden direction-changing characters",
			"Row 4, Surname: Enter text without control characters (such as NUL or tab)",
		}
		if r.StatusCode != http.StatusUnprocessableEntity || strings.Join(importErrors(r), "\n") != strings.Join(want, "\n") {
			t.Errorf("import: %d\n%s", r.StatusCode, strings.Join(importErrors(r), "\n"))
		}
		// Text that is not UTF-8 (a Latin-1 export) refuses the file, saying where.
		r = c.upload("/import", "file", "latin1.csv", []byte("UPN,Surname,Forename,DOB,Sex,Year\n"+makeUPN(820002)+",Smith,Am\xe9lie,2015-01-01,F,6\n"), url.Values{})
		want = []string{"Row 2, column 3 (Forename): has a character that is not UTF-8: the file looks saved as Windows or Latin-1 text. Save it as “CSV UTF-8” and upload it again"}
		if r.StatusCode != http.StatusUnprocessableEntity || strings.Join(importErrors(r), "\n") != strings.Join(want, "\n") {
			t.Errorf("Latin-1 import: %d\n%s", r.StatusCode, strings.Join(importErrors(r), "\n"))
		}
		if pupils() != before {
			t.Fatalf("a refused import saved pupils")
		}

		// The backstop: a web address with NUL or bytes that are not UTF-8.
		for _, q := range []string{"/pupils?q=a%00b", "/pupils?q=%ff"} {
			if r := c.get(q); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "characters that are not text") {
				t.Errorf("%s: %d", q, r.StatusCode)
			}
		}
	})
}
