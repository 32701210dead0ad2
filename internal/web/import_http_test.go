package web_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

var (
	dataFieldRe = regexp.MustCompile(`name="data" value="([^"]*)"`)
	errRowRe    = regexp.MustCompile(`(?s)<tr class="govuk-table__row"><td class="govuk-table__cell">([^<]*)</td><td class="govuk-table__cell">([^<]*)</td><td class="govuk-table__cell">([^<]*)</td></tr>`)
)

// importErrors returns the page's problem table as "Row N, Field: reason".
func importErrors(r resp) []string {
	var out []string
	for _, m := range errRowRe.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, "Row "+html.UnescapeString(m[1])+", "+html.UnescapeString(m[2])+": "+html.UnescapeString(m[3]))
	}
	return out
}

func previewData(t *testing.T, r resp) string {
	t.Helper()
	m := dataFieldRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("preview has no data field (%d)", r.StatusCode)
	}
	return html.UnescapeString(m[1])
}

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleOffice)
		office := a.f.Users[sen.RoleOffice].ID
		pupils := func() int { return a.count(`SELECT COUNT(*) FROM pupils WHERE school_id = $1`, a.f.SchoolID) }
		u1, u2 := makeUPN(900001), makeUPN(900002)
		good := "UPN,Legal Surname,Legal Forename,Date of Birth,Gender,NC Year,Reg Group\r\n" +
			a.f.InClass.UPN + ",Okafor,Amara,01/05/2014,F,7,7C\r\n" + // existing pupil, new class
			u1 + ",Adams,Ivy,2015-02-03,F,6,6A\r\n" +
			u2 + ",Brook,Leo,03/04/2015,M,Year 6,6A\r\n"

		t.Run("preview then commit", func(t *testing.T) {
			before := pupils()
			r := c.upload("/import", "file", "sims-export.csv", []byte(good), url.Values{})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("preview: %d %q %q", r.StatusCode, errorSummary(r), importErrors(r))
			}
			if !strings.Contains(r.Body, "<strong>2</strong> pupils will be added") || !strings.Contains(r.Body, "<strong>1</strong> pupil already in OpenSEND will be updated") || !strings.Contains(r.Body, "sims-export.csv") {
				t.Errorf("preview counts wrong")
			}
			for _, name := range []string{"Adams, Ivy", "Brook, Leo", "Okafor, Amara"} {
				if !strings.Contains(r.Body, name) {
					t.Errorf("preview lacks %s", name)
				}
			}
			if pupils() != before {
				t.Fatalf("the preview wrote pupils")
			}
			data := previewData(t, r)
			r = c.post("/import/commit", url.Values{"data": {data}, "filename": {"sims-export.csv"}})
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Import complete") || !strings.Contains(r.Body, "2 added, 1 updated, 0 unchanged") {
				t.Fatalf("commit: %d %q", r.StatusCode, errorSummary(r))
			}
			if pupils() != before+2 {
				t.Errorf("pupils %d, want %d", pupils(), before+2)
			}
			if n := a.count(`SELECT COUNT(*) FROM pupils WHERE upn = $1 AND surname = 'Brook' AND year_group = '6' AND class_name = '6A' AND sex = 'M'`, u2); n != 1 {
				t.Errorf("Leo Brook not stored as imported")
			}
			if n := a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1 AND class_name = '7C'`, a.f.InClass.ID); n != 1 {
				t.Errorf("existing pupil not updated by UPN")
			}
			if n := a.auditCount("pupil.import.commit", office); n != 1 {
				t.Errorf("pupil.import.commit audit rows = %d", n)
			}
			if n := a.auditCount("pupil.import", office); n != 2 {
				t.Errorf("pupil.import audit rows = %d, want 2", n)
			}
			// The new class group exists, so pupils appear under it.
			if r := c.get("/pupils?class=6A"); !strings.Contains(r.Body, "Adams, Ivy") || !strings.Contains(r.Body, "Brook, Leo") {
				t.Errorf("imported pupils not listed by class")
			}
		})

		t.Run("re-import updates by UPN", func(t *testing.T) {
			before := pupils()
			again := strings.Replace(good, u2+",Brook,Leo,03/04/2015,M,Year 6,6A", u2+",Brook,Leon,03/04/2015,M,7,7A", 1)
			r := c.upload("/import", "file", "again.csv", []byte(again), url.Values{})
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "<strong>0</strong> pupils will be added") || !strings.Contains(r.Body, "<strong>1</strong> pupil already in OpenSEND will be updated") ||
				!strings.Contains(r.Body, "<strong>2</strong> pupils are already in OpenSEND with the same details") {
				t.Fatalf("preview: %d %q", r.StatusCode, importErrors(r))
			}
			r = c.post("/import/commit", url.Values{"data": {previewData(t, r)}, "filename": {"again.csv"}})
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "0 added, 1 updated, 2 unchanged") {
				t.Fatalf("commit: %d %q", r.StatusCode, errorSummary(r))
			}
			if pupils() != before {
				t.Errorf("re-import created pupils")
			}
			if n := a.count(`SELECT COUNT(*) FROM pupils WHERE upn = $1 AND forename = 'Leon' AND year_group = '7' AND class_name = '7A'`, u2); n != 1 {
				t.Errorf("re-import did not update Leo Brook")
			}
		})

		badFile := "UPN,Surname,Forename,DOB,Sex,Year\n" +
			"A12345,Smith,,31/02/2015,X,15\n" +
			makeUPN(900010) + ",Jones,Tom,2015-01-01,M,6\n" +
			makeUPN(900010) + ",Jones,Tim,2015-01-01,M,6\n" +
			makeUPN(900011) + ",Later,Kit,2030-01-01,M,6\n"
		wantErrs := []string{
			"Row 2, UPN: UPN must be 13 characters, like A123456789012 (this one has 6)",
			"Row 2, Forename: Enter the pupil's first name",
			`Row 2, Date of birth: "31/02/2015" is not a date: use DD/MM/YYYY or YYYY-MM-DD`,
			`Row 2, Sex: "X" is not a census value: use F or M`,
			`Row 2, Year group: "15" is not a year group: use N1, N2, R or 1 to 14`,
			"Row 4, UPN: UPN " + makeUPN(900010) + " is also on row 3: each pupil must appear once",
			"Row 5, Date of birth: Date of birth must be in the past",
		}
		checkRefused := func(t *testing.T, r resp, want []string) {
			t.Helper()
			if r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.StatusCode)
			}
			if got := importErrors(r); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if err := hasFieldError(r, "file", "The file has problems: nothing has been imported. Fix them in your MIS export and upload it again"); err != nil {
				t.Error(err)
			}
			if strings.Contains(r.Body, `action="/import/commit"`) {
				t.Errorf("a refused file can still be committed")
			}
		}

		t.Run("bad file lists every problem and writes nothing", func(t *testing.T) {
			before, audits := pupils(), a.count(`SELECT COUNT(*) FROM audit_log`)
			checkRefused(t, c.upload("/import", "file", "bad.csv", []byte(badFile), url.Values{}), wantErrs)
			if pupils() != before || a.count(`SELECT COUNT(*) FROM audit_log`) != audits {
				t.Errorf("a refused file wrote something")
			}
		})

		t.Run("one bad row among good ones writes nothing", func(t *testing.T) {
			before := pupils()
			mixed := "UPN,Surname,Forename,DOB,Sex,Year\n" +
				makeUPN(900020) + ",Good,One,2015-01-01,M,6\n" +
				makeUPN(900021) + ",Good,Two,2015-01-01,F,6\n" +
				makeUPN(900022) + ",Bad,Three,2015-01-01,Q,6\n" +
				makeUPN(900023) + ",Good,Four,2015-01-01,F,6\n"
			checkRefused(t, c.upload("/import", "file", "mixed.csv", []byte(mixed), url.Values{}), []string{`Row 4, Sex: "Q" is not a census value: use F or M`})
			if pupils() != before {
				t.Errorf("good rows of a refused file were written")
			}
		})

		t.Run("tampered commit is re-validated", func(t *testing.T) {
			before := pupils()
			for _, data := range []string{"!!!not base64!!!", ""} {
				r := c.post("/import/commit", url.Values{"data": {data}, "filename": {"x.csv"}})
				if r.StatusCode != http.StatusUnprocessableEntity || hasFieldError(r, "file", "The import could not be read. Upload the file again") != nil {
					t.Errorf("data %q: %d %q", data, r.StatusCode, errorSummary(r))
				}
			}
			r := c.post("/import/commit", url.Values{"data": {base64.URLEncoding.EncodeToString([]byte(badFile))}, "filename": {"x.csv"}})
			checkRefused(t, r, wantErrs)
			if pupils() != before {
				t.Errorf("a tampered commit wrote pupils")
			}
			if n := a.auditCount("pupil.import.commit", office); n != 2 {
				t.Errorf("import commits audited = %d, want 2 (from the good imports only)", n)
			}
		})

		t.Run("a file just under 5 MB previews and commits", func(t *testing.T) {
			// MIS exports carry many columns the importer ignores; pad with one.
			rng := rand.New(rand.NewPCG(1, 2))
			const printable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ~?>=<;:!#$%&()*+-./"
			var b strings.Builder
			b.WriteString("UPN,Surname,Forename,DOB,Sex,Year,Notes\n")
			pad := make([]byte, 50000)
			for i := range 100 {
				for j := range pad {
					pad[j] = printable[rng.IntN(len(printable))]
				}
				fmt.Fprintf(&b, "%s,Big,Row%d,2015-01-01,F,6,%s\n", makeUPN(910000+i), i, pad)
			}
			file := []byte(b.String())
			if len(file) > 5<<20 || len(file) < 4<<20+700<<10 {
				t.Fatalf("test file is %d bytes", len(file))
			}
			before := pupils()
			r := c.upload("/import", "file", "wide.csv", file, url.Values{})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("preview: %d %q %q", r.StatusCode, errorSummary(r), importErrors(r))
			}
			r = c.post("/import/commit", url.Values{"data": {previewData(t, r)}, "filename": {"wide.csv"}})
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "100 added") {
				t.Fatalf("commit of a previewed %d-byte file: %d %q", len(file), r.StatusCode, errorSummary(r))
			}
			if pupils() != before+100 {
				t.Errorf("pupils %d, want %d", pupils(), before+100)
			}
		})

		t.Run("no file, empty file, oversize file", func(t *testing.T) {
			before := pupils()
			if r := c.post("/import", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity ||
				hasFieldError(r, "file", "Select a CSV file exported from your MIS") != nil {
				t.Errorf("no file: %d %q", r.StatusCode, errorSummary(r))
			}
			if r := c.upload("/import", "file", "empty.csv", nil, url.Values{}); r.StatusCode != http.StatusUnprocessableEntity ||
				!strings.Contains(r.text(), "The file is empty") {
				t.Errorf("empty file: %d %q", r.StatusCode, errorSummary(r))
			}
			// Over the importer's 5 MB limit but within the request cap.
			big := bytes.Repeat([]byte("x"), 5<<20+100)
			if r := c.upload("/import", "file", "big.csv", big, url.Values{}); r.StatusCode != http.StatusUnprocessableEntity ||
				hasFieldError(r, "file", "The file must be smaller than 5 MB") != nil {
				t.Errorf("5 MB+ file: %d %q", r.StatusCode, errorSummary(r))
			}
			// Over the request cap: refused as too large, not as a bad form.
			huge := bytes.Repeat([]byte("y"), 9<<20)
			if r := c.upload("/import", "file", "huge.csv", huge, url.Values{}); r.StatusCode != http.StatusRequestEntityTooLarge ||
				!strings.Contains(r.Body, "The file is too large") {
				t.Errorf("9 MB file: %d, want 413", r.StatusCode)
			}
			if pupils() != before {
				t.Errorf("refused uploads wrote pupils")
			}
			// The session still works after a refused upload.
			if r := c.get("/import"); r.StatusCode != http.StatusOK {
				t.Errorf("after oversize upload: %d", r.StatusCode)
			}
		})
	})
}
