package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The audit log check says the log is intact, checks a fingerprint from a
// digest, and after someone alters, removes and adds rows in the database,
// says which entries and how.
func TestAuditCheckPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		c := a.login(sen.RoleSENCO)
		c.get("/pupils/" + fmt.Sprint(a.f.InClass.ID))
		r := c.get("/audit")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "The audit log is intact") || !strings.Contains(r.Body, `href="/audit"`) {
			t.Fatalf("intact: %d %s", r.StatusCode, r.Body)
		}
		if n := a.auditCount("audit.verify", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Fatalf("audit.verify rows: %d", n)
		}
		h, err := a.st.AuditHead(context.Background(), a.f.SchoolID)
		if err != nil {
			t.Fatal(err)
		}
		r = c.get("/audit?" + url.Values{"seq": {fmt.Sprint(h.Seq)}, "hash": {strings.ToUpper(h.Hash)}}.Encode())
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `id="published-match"`) {
			t.Fatalf("published head: %d %s", r.StatusCode, r.Body)
		}
		r = c.get("/audit?seq=abc&hash=123")
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Entry number must be a whole number") ||
			!strings.Contains(r.Body, "Fingerprint must be the 64 letters and digits") || !strings.Contains(r.Body, "The audit log is intact") {
			t.Fatalf("bad fingerprint: %d", r.StatusCode)
		}
		var ids []int64
		rows, err := a.st.DB().Query(`SELECT id FROM audit_log WHERE school_id = $1 ORDER BY seq`, a.f.SchoolID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
		if st.Engine() == store.Postgres {
			drop = []string{`DROP TRIGGER audit_log_no_update ON audit_log`}
		}
		for _, q := range append(drop,
			fmt.Sprintf(`UPDATE audit_log SET user_name = 'Nobody' WHERE id = %d`, ids[2]),
			fmt.Sprintf(`DELETE FROM audit_log WHERE id = %d`, ids[5]),
			fmt.Sprintf(`INSERT INTO audit_log (school_id, user_name, action, at) VALUES (%d, 'x', 'pupil.read', CURRENT_TIMESTAMP)`, a.f.SchoolID)) {
			if _, err := a.st.DB().Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
		r = c.get("/audit?" + url.Values{"seq": {"3"}, "hash": {h.Hash}}.Encode())
		for _, want := range []string{"The audit log has been tampered with", "3 places do not match", "entry 3", "was changed after it was written",
			"entry 6", "1 entry was removed before entry 7", "was added to the log outside OpenSEND", `id="published-mismatch"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("tampered: missing %q", want)
			}
		}
		if t.Failed() {
			t.Log(r.Body)
		}
	})
}
