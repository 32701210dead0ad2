package e2e

import (
	"encoding/binary"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestAuditCheckAndImportPreviewPassAxe: the SENCO checks the audit log
// (intact, then a mistyped fingerprint from a digest), and the office
// previews a UTF-16, tab-separated export that updates one pupil, adds one
// and has a column OpenSEND does not import; each page passes axe-core.
func TestAuditCheckAndImportPreviewPassAxe(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)

	senco := a.newUser(t, "senco")
	senco.signInTo("/audit", a.login(t, sen.RoleSENCO), "")
	senco.wantText("main", "The audit log is intact")
	senco.open("/audit?seq=12&hash=not-a-fingerprint", http.StatusUnprocessableEntity, "")
	senco.wantText(".govuk-error-summary", "Fingerprint must be the 64 letters and digits shown in the digest")

	existing := a.roll(t)[0]
	rows := []string{
		"UPN\tSurname\tForename\tDate of birth\tSex\tYear group\tClass\tEthnicity",
		fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\tWBRI", existing.UPN, existing.Surname, existing.Forename, existing.DOB.Format("02/01/2006"),
			existing.Sex, existing.YearGroup, existing.ClassName+"X"),
		upn(t, 921) + "\tNowak\tZofia\t14/03/2016\tF\t5\t5C\t",
	}
	units := utf16.Encode([]rune(strings.Join(rows, "\r\n") + "\r\n"))
	data := []byte{0xff, 0xfe}
	for _, u := range units {
		data = binary.LittleEndian.AppendUint16(data, u)
	}
	file := filepath.Join(t.TempDir(), "unicode-text.txt")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	office := a.newUser(t, "office")
	office.signInTo("/import", a.login(t, sen.RoleOffice), "")
	office.upload("#file", file)
	office.click("form[action='/import'] button[type=submit]", http.StatusOK, "")
	office.wantText("main", "UTF-16 text, fields separated by tabs", "1 pupil will be added", "1 pupil already in OpenSEND will be updated", "Ethnicity")
	office.wantText("#import-updated", "Class", existing.ClassName+"X")
}
