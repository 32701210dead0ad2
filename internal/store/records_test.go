package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/records"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// Tables that keep a disposed pupil's number on purpose: the append-only,
// chained audit trail (docs/operations.md, "Disposal and the audit trail").
var keepsPupilNumber = map[string]bool{"audit_log": true, "audit_listed": true, "audit_pupil_set_members": true}

// pupilTables lists every table with a pupil_id column, read from the
// schema, so a table added later is checked without changing this test.
func pupilTables(t *testing.T, s *store.Store) []string {
	t.Helper()
	q := `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'pupil_id' ORDER BY m.name`
	if s.Engine() == store.Postgres {
		q = `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
WHERE c.table_schema = current_schema() AND c.column_name = 'pupil_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`
	}
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if len(out) < 10 {
		t.Fatalf("only %d tables with pupil_id: %v", len(out), out)
	}
	return out
}

func rowsFor(t *testing.T, s *store.Store, table string, pupil int64) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE pupil_id = $1`, pupil).Scan(&n); err != nil {
		t.Fatal(table, err)
	}
	return n
}

// Disposal of a SEN file deletes every row of every table that refers to
// the pupil (documents included), leaves a certificate naming only the
// pupil's reference, keeps the audit chain intact, and is stopped by a legal
// hold. Both engines, on the demo school.
func TestDisposeSENFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		res, err := demo.Seed(ctx, s, demo.Options{Seed: 1, Pupils: 60, SENShare: 0.5, EHCPShare: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		senco := sen.Actor{User: res.Users[sen.RoleSENCO][0], IP: "127.0.0.1"}
		tables := pupilTables(t, s)
		// The pupil with rows in the most tables.
		var pupil int64
		best := 0
		rows, err := s.DB().Query(`SELECT id FROM pupils WHERE school_id = $1`, senco.User.SchoolID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			n := 0
			for _, tb := range tables {
				if !keepsPupilNumber[tb] && rowsFor(t, s, tb, id) > 0 {
					n++
				}
			}
			if n > best {
				pupil, best = id, n
			}
		}
		if best < 6 {
			t.Fatalf("the fullest pupil has rows in only %d tables", best)
		}
		// Give the pupil a concern with an attachment and an EHC document,
		// so documents are among what is destroyed.
		if _, err := s.DB().Exec(`INSERT INTO ehc_documents (id, school_id, pupil_id, filename, content_type, size, data, uploaded_at) VALUES ('doc-dispose', $1, $2, 'ep.pdf', 'application/pdf', 3, $3, $4)`,
			senco.User.SchoolID, pupil, []byte("pdf"), s.Now()); err != nil {
			t.Fatal(err)
		}
		var concern int64
		if err := s.DB().QueryRow(`INSERT INTO concerns (school_id, pupil_id, raised_at, noticed) VALUES ($1, $2, $3, 'Finds reading hard') RETURNING id`, senco.User.SchoolID, pupil, s.Now()).Scan(&concern); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`INSERT INTO concern_attachments (concern_id, filename, content_type, size, data, created_at) VALUES ($1, 'note.pdf', 'application/pdf', 3, $2, $3)`, concern, []byte("pdf"), s.Now()); err != nil {
			t.Fatal(err)
		}
		// Not due yet: not on the list, and Dispose refuses.
		if _, err := s.Dispose(ctx, senco, pupil, records.KindSENFile); err == nil {
			t.Fatal("disposed of a file that is not due")
		}
		if _, err := s.DB().Exec(`UPDATE pupils SET dob = '1990-02-01' WHERE id = $1`, pupil); err != nil {
			t.Fatal(err)
		}
		list, err := s.Disposal(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		var it *store.DisposalItem
		for i := range list.Due {
			if list.Due[i].Pupil.ID == pupil {
				it = &list.Due[i]
			}
		}
		if it == nil || it.Kind != records.KindSENFile || it.Status != records.StatusDue || it.Due.Format("2006-01-02") != "2021-02-01" || it.Documents < 2 {
			t.Fatalf("disposal list line %+v", it)
		}
		// A legal hold stops it; lifting it lets it go.
		hold, err := s.PlaceHold(ctx, senco, pupil, "Insurance claim 2026/114")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PlaceHold(ctx, senco, pupil, "Again"); err == nil {
			t.Error("a second hold on one pupil")
		}
		if _, err := s.Dispose(ctx, senco, pupil, records.KindSENFile); !isField(err, "confirm") {
			t.Fatalf("dispose under a hold: %v", err)
		}
		if it, err := s.DisposalReview(ctx, senco, pupil, records.KindSENFile); err != nil || it.Status != records.StatusHeld {
			t.Fatalf("held line: %+v %v", it, err)
		}
		if err := s.LiftHold(ctx, senco, hold, 0, "Claim settled"); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("lift with a stale version: %v", err)
		}
		if err := s.LiftHold(ctx, senco, hold, 1, " "); !isField(err, "reason") {
			t.Fatalf("lift without a reason: %v", err)
		}
		if err := s.LiftHold(ctx, senco, hold, 1, "Claim settled"); err != nil {
			t.Fatal(err)
		}
		// Another school's SENCO cannot see or dispose of it.
		other := sen.Actor{User: sen.User{ID: 0, SchoolID: senco.User.SchoolID + 1000, Name: "x", Role: sen.RoleSENCO}}
		if _, err := s.Dispose(ctx, other, pupil, records.KindSENFile); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school: %v", err)
		}
		// A failure part-way leaves everything as it was.
		failOn(t, s, "ehc_documents")
		if _, err := s.Dispose(ctx, senco, pupil, records.KindSENFile); err == nil {
			t.Fatal("dispose succeeded although a delete failed")
		}
		for _, tb := range []string{"pupils", "ehc_documents"} {
			col := "pupil_id"
			if tb == "pupils" {
				col = "id"
			}
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM `+tb+` WHERE `+col+` = $1`, pupil).Scan(&n); err != nil || n == 0 {
				t.Fatalf("after a failed disposal %s has %d rows for the pupil (%v)", tb, n, err)
			}
		}
		if certs, _ := s.Certificates(ctx, senco); len(certs) != 0 {
			t.Fatalf("a failed disposal left a certificate: %+v", certs)
		}
		unfail(t, s, "ehc_documents")

		var upn, surname string
		if err := s.DB().QueryRow(`SELECT upn, surname FROM pupils WHERE id = $1`, pupil).Scan(&upn, &surname); err != nil {
			t.Fatal(err)
		}
		certID, err := s.Dispose(ctx, senco, pupil, records.KindSENFile)
		if err != nil {
			t.Fatal(err)
		}
		var pupils int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM pupils WHERE id = $1`, pupil).Scan(&pupils); err != nil || pupils != 0 {
			t.Fatalf("pupil row still there: %d %v", pupils, err)
		}
		for _, tb := range tables {
			if n := rowsFor(t, s, tb, pupil); n > 0 && !keepsPupilNumber[tb] {
				t.Errorf("table %s still holds %d rows of the disposed pupil: add it to the disposal (ON DELETE CASCADE)", tb, n)
			}
		}
		var atts int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM concern_attachments WHERE concern_id = $1`, concern).Scan(&atts); err != nil || atts != 0 {
			t.Errorf("concern attachments left: %d %v", atts, err)
		}
		c, err := s.Certificate(ctx, senco, certID)
		if err != nil || c.Kind != records.KindSENFile || c.PupilRef != records.PupilRef(pupil) || c.Rule != "Date of birth + 31 years" ||
			c.DisposedBy != senco.User.Name || c.Records < 2 || c.Documents < 2 || c.Source != records.SourceIRMS {
			t.Fatalf("certificate %+v %v", c, err)
		}
		var certText string
		if err := s.DB().QueryRow(`SELECT kind || pupil_ref || rule || source || disposed_by_name FROM disposal_certificates WHERE id = $1`, certID).Scan(&certText); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(certText, surname) || strings.Contains(certText, upn) {
			t.Errorf("the certificate names the pupil: %q", certText)
		}
		if _, err := s.Certificate(ctx, other, certID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school's certificate: %v", err)
		}
		reps, err := s.VerifyAuditChains(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			if !r.OK() {
				t.Fatalf("audit chain of school %d broken after disposal: %+v", r.SchoolID, r.Breaks)
			}
		}
		var disposeAudit int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'records.dispose' AND pupil_id = $1 AND entity_id = $2`, pupil, certID).Scan(&disposeAudit); err != nil || disposeAudit != 1 {
			t.Errorf("dispose audit rows: %d %v", disposeAudit, err)
		}
		if _, err := s.Dispose(ctx, senco, pupil, records.KindSENFile); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("second disposal: %v", err)
		}
	})
}

func isField(err error, field string) bool {
	var fe sen.FieldErrors
	return errors.As(err, &fe) && fe[field] != ""
}

// failOn makes every delete from table fail, as a full disk or a lost
// connection would part-way through a disposal.
func failOn(t *testing.T, s *store.Store, table string) {
	t.Helper()
	qs := []string{fmt.Sprintf(`CREATE TRIGGER fail_%s BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT, 'injected failure'); END`, table, table)}
	if s.Engine() == store.Postgres {
		qs = []string{`CREATE FUNCTION fail_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
			fmt.Sprintf(`CREATE TRIGGER fail_%s BEFORE DELETE ON %s FOR EACH ROW EXECUTE FUNCTION fail_delete()`, table, table)}
	}
	for _, q := range qs {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

func unfail(t *testing.T, s *store.Store, table string) {
	t.Helper()
	q := fmt.Sprintf(`DROP TRIGGER fail_%s`, table)
	if s.Engine() == store.Postgres {
		q += " ON " + table
	}
	if _, err := s.DB().Exec(q); err != nil {
		t.Fatal(err)
	}
}

// Rules: the defaults, a change with its source, a stale change refused;
// concerns under a rule of their own are disposed of alone.
func TestRetentionRulesAndConcernDisposal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		rules, err := s.RetentionRules(ctx, senco)
		if err != nil || len(rules) != len(records.Kinds) || rules[0].Describe() != "Date of birth + 31 years" || !rules[0].Default {
			t.Fatalf("defaults %+v %v", rules, err)
		}
		bad := records.Rule{Kind: records.KindConcerns, Basis: records.BasisClosed, Years: 0, Source: "Policy"}
		if err := s.SaveRetentionRule(ctx, senco, &bad); !isField(err, "years") {
			t.Fatalf("no years: %v", err)
		}
		r := records.Rule{Kind: records.KindConcerns, Basis: records.BasisClosed, Years: 6, Source: "Hillside retention schedule 2026, row 4"}
		if err := s.SaveRetentionRule(ctx, senco, &r); err != nil || r.Version != 1 {
			t.Fatalf("save: %v %+v", err, r)
		}
		stale := records.Rule{Kind: records.KindConcerns, Basis: records.BasisClosed, Years: 7, Source: "x"}
		if err := s.SaveRetentionRule(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale save: %v", err)
		}
		got, err := s.RetentionRule(ctx, senco, records.KindConcerns)
		if err != nil || got.Years != 6 || got.Default || got.UpdatedBy != senco.User.Name || got.Source != r.Source {
			t.Fatalf("saved rule %+v %v", got, err)
		}
		// A concern closed in 2019 is due in 2025; an open one keeps all of them.
		p := f.NotTaught.ID
		var open int64
		for i, openNow := range []bool{false, true} {
			var id int64
			if err := s.DB().QueryRow(`INSERT INTO concerns (school_id, pupil_id, raised_at, noticed, is_open, decided_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				f.SchoolID, p, "2019-10-01 09:00:00", fmt.Sprintf("Concern %d", i), openNow, "2019-11-05 10:00:00").Scan(&id); err != nil {
				t.Fatal(err)
			}
			if openNow {
				open = id
			}
		}
		due := func() *store.DisposalItem {
			list, err := s.Disposal(ctx, senco)
			if err != nil {
				t.Fatal(err)
			}
			for i := range list.Due {
				if list.Due[i].Pupil.ID == p {
					return &list.Due[i]
				}
			}
			return nil
		}
		if it := due(); it != nil {
			t.Fatalf("due with a concern still open: %+v", it)
		}
		if _, err := s.DB().Exec(`UPDATE concerns SET is_open = $2 WHERE id = $1`, open, false); err != nil {
			t.Fatal(err)
		}
		it := due()
		if it == nil || it.Kind != records.KindConcerns || it.Records != 2 || it.Due.Format("2006-01-02") != "2025-11-05" {
			t.Fatalf("concerns line %+v", it)
		}
		id, err := s.Dispose(ctx, senco, p, records.KindConcerns)
		if err != nil {
			t.Fatal(err)
		}
		if n := rowsFor(t, s, "concerns", p); n != 0 {
			t.Errorf("%d concerns left", n)
		}
		var pupils int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM pupils WHERE id = $1`, p).Scan(&pupils); err != nil || pupils != 1 {
			t.Errorf("the pupil went with the concerns: %d %v", pupils, err)
		}
		c, err := s.Certificate(ctx, senco, id)
		if err != nil || c.Rule != "Closed + 6 years" || c.Records != 2 || c.Source != r.Source {
			t.Errorf("certificate %+v %v", c, err)
		}
		if certs, err := s.Certificates(ctx, senco); err != nil || len(certs) != 1 {
			t.Errorf("certificates %+v %v", certs, err)
		}
		ret, err := s.PupilRetention(ctx, senco, p)
		if err != nil || len(ret.Items) != 1 || ret.Items[0].Kind != records.KindSENFile || ret.Items[0].Due.Format("2006-01-02") != "2045-03-02" {
			t.Errorf("retention after: %+v %v", ret, err)
		}
	})
}
