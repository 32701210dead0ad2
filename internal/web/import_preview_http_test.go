package web_test

import (
	"encoding/binary"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// utf16LE is s saved as Excel's "Unicode text": UTF-16 little-endian with a
// byte order mark.
func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

var importTagRe = regexp.MustCompile(`<[^>]+>`)

// plain is the page's text without tags or extra spaces.
func plain(r resp) string {
	return strings.Join(strings.Fields(importTagRe.ReplaceAllString(r.text(), " ")), " ")
}

// The preview says, per pupil, new, updated (old → new per field) or
// unchanged, lists the columns it does not import, and reads semicolon,
// tab and UTF-16 exports; the counts match what the commit then does.
func TestImportPreviewChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleOffice)
		u1 := makeUPN(930001)
		// InClass: Amara Okafor, 1 May 2014, F, year 7, 7A. NotTaught: Ben Carter, 2 March 2014, M, year 7, 7B.
		rows := [][]string{
			{"UPN", "Surname", "Forename", "DOB", "Sex", "Year", "Class", "Ethnicity", ""},
			{a.f.InClass.UPN, "Okafor", "Amarachi", "01/05/2014", "F", "8", "8C", "WBRI", "x"},
			{a.f.NotTaught.UPN, "Carter", "Ben", "02/03/2014", "M", "7", "7B", "", ""},
			{u1, "Adams", "Ivy", "2015-02-03", "F", "6", "6A", "", ""},
		}
		join := func(sep, eol string) string {
			var b strings.Builder
			for _, r := range rows {
				b.WriteString(strings.Join(r, sep) + eol)
			}
			return b.String()
		}
		files := []struct {
			name, how string
			data      []byte
		}{
			{"commas.csv", "UTF-8 text, fields separated by commas", []byte(join(",", "\r\n"))},
			{"bom.csv", "UTF-8 text, fields separated by commas", []byte("\xef\xbb\xbf" + join(",", "\n"))},
			{"semicolons.csv", "UTF-8 text, fields separated by semicolons", []byte(join(";", "\r\n"))},
			{"unicode.txt", "UTF-16 text, fields separated by tabs", utf16LE(join("\t", "\r\n"))},
		}
		for _, f := range files {
			t.Run(f.name, func(t *testing.T) {
				r := c.upload("/import", "file", f.name, f.data, url.Values{})
				if r.StatusCode != http.StatusOK {
					t.Fatalf("preview: %d %q %q", r.StatusCode, errorSummary(r), importErrors(r))
				}
				txt := plain(r)
				for _, want := range []string{
					f.how,
					"1 pupil will be added", "1 pupil already in OpenSEND will be updated by UPN", "1 pupil is already in OpenSEND with the same details",
					"1 pupil to update", "Okafor, Amarachi Forename: Amara → becomes Amarachi Year group: Year 7 → becomes Year 8 Class: 7A → becomes 8C",
					"1 pupil to add", "Adams, Ivy", "1 pupil unchanged", "Carter, Ben (" + a.f.NotTaught.UPN + ")",
					"2 columns are in the file but not imported", "Column 8: “Ethnicity”", "Column 9: no heading",
				} {
					if !strings.Contains(txt, want) {
						t.Errorf("preview lacks %q:\n%s", want, txt)
					}
				}
			})
		}
		// Checking the file is a view of the matched pupils: audited, and
		// each matched pupil's trail shows it.
		office := a.f.Users[sen.RoleOffice].ID
		if n := a.auditCount("pupil.import.preview", office); n != len(files) {
			t.Errorf("pupil.import.preview rows = %d, want %d", n, len(files))
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_listed_pupils al JOIN audit_log l ON l.id = al.audit_id WHERE l.action = 'pupil.import.preview' AND al.pupil_id = $1`, a.f.InClass.ID); n != len(files) {
			t.Errorf("InClass listed by %d previews, want %d", n, len(files))
		}
		r := c.upload("/import", "file", "unicode.txt", files[3].data, url.Values{})
		r = c.post("/import/commit", url.Values{"data": {previewData(t, r)}, "filename": {"unicode.txt"}})
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "1 added, 1 updated, 1 unchanged") {
			t.Fatalf("commit: %d %q", r.StatusCode, errorSummary(r))
		}
		if n := a.count(`SELECT COUNT(*) FROM pupils WHERE id = $1 AND forename = 'Amarachi' AND class_name = '8C' AND year_group = '8'`, a.f.InClass.ID); n != 1 {
			t.Error("the UTF-16 import did not update Amara")
		}
	})
}

// Files that cannot be read are refused with the reason, and where it is.
func TestImportRefusesUnreadableFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleOffice)
		header := "UPN,Surname,Forename,DOB,Sex,Year\r\n"
		noBOM := utf16LE(header + makeUPN(940001) + ",Adams,Ivy,2015-02-03,F,6\r\n")[2:]
		for _, tt := range []struct {
			name string
			data []byte
			want string
		}{
			{"latin1.csv", []byte(header + makeUPN(940002) + ",Ad\xe9ms,Ivy,2015-02-03,F,6\r\n"),
				"Row 2, column 2 (Surname): has a character that is not UTF-8: the file looks saved as Windows or Latin-1 text. Save it as “CSV UTF-8” and upload it again"},
			{"nobom.txt", noBOM, "The file looks like UTF-16 (Unicode text) saved without a byte order mark"},
			{"cut.txt", utf16LE(header)[:9], "The file is saved as UTF-16 (Unicode text) but its last character is cut short"},
			{"quote.csv", []byte(header + makeUPN(940003) + ",Adams,I\"vy,2015-02-03,F,6\r\n"), "Row 2, column 3 (Forename): a quotation mark is not closed or is in the wrong place"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := a.count(`SELECT COUNT(*) FROM audit_log`)
				r := c.upload("/import", "file", tt.name, tt.data, url.Values{})
				if r.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", r.StatusCode)
				}
				if got := strings.Join(append(importErrors(r), errorSummary(r)...), "\n"); !strings.Contains(got, tt.want) {
					t.Errorf("want %q in:\n%s", tt.want, got)
				}
				if strings.Contains(r.Body, `action="/import/commit"`) || a.count(`SELECT COUNT(*) FROM audit_log`) != before {
					t.Error("a refused file can be committed or wrote something")
				}
			})
		}
	})
}
