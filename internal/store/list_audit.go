package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"opensend/internal/sen"
)

// A ListView is a list of pupils a person looks at, named by the audit
// action its view writes. Each view writes one audit_log row (who, the
// filter, how many rows) and links every pupil listed to it (audit_listed),
// so each pupil's own audit trail shows that they were listed
// (sen.AuditListedLabel names the entry there).
type ListView string

// The list views that are audited. The anonymous figures are not a list of
// pupils and are not audited.
const (
	ViewRegister    ListView = "register.list"   // GET /register
	ViewRegisterCSV ListView = "register.export" // GET /register.csv
	ViewPupilList   ListView = "pupil.list"      // GET /pupils, with or without a search
	ViewHome        ListView = "home.list"       // a teacher's or TA's pupils with SEN on the home page
	ViewMyPupils    ListView = "mypupils.list"   // "My pupils with SEN"
)

// ListViews are the audited list views, for tests and labels.
var ListViews = []ListView{ViewRegister, ViewRegisterCSV, ViewPupilList, ViewHome, ViewMyPupils}

// ViewPupils is ListPupils for a person's list view: it lists the pupils and
// writes the view's audit row with the pupils listed, before anything is
// shown (if the audit cannot be written, the caller gets the error and
// shows nothing). The list is read first, outside the write transaction:
// on SQLite every write transaction holds the one write lock, and a
// 500-row register query inside it made every register view queue behind
// the others (measured: 70 to 36 views a second at 10 users). The audit
// row and its links are one transaction.
func (s *Store) ViewPupils(ctx context.Context, a sen.Actor, f PupilFilter, view ListView) ([]sen.Pupil, int, error) {
	list, total, err := s.listPupils(ctx, s.db, a, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	detail := fmt.Sprintf("rows=%d filter=%s", len(list), f.auditString())
	if total != len(list) {
		detail = fmt.Sprintf("rows=%d of %d filter=%s", len(list), total, f.auditString())
	}
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditList(ctx, tx, a, string(view), "pupils", detail, ids)
	}); err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// auditString describes the filter for the audit log. A search is recorded
// as made, with its length, never its text: the text is often a pupil's
// name (a hash of a short name could be reversed by trying names).
func (f PupilFilter) auditString() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("area", f.Area)
	add("class", f.ClassName)
	add("need", f.Need)
	if n := len([]rune(strings.TrimSpace(f.Query))); n > 0 {
		parts = append(parts, "search="+strconv.Itoa(n)+"chars")
	}
	add("status", f.Status)
	add("year", f.YearGroup)
	if f.Offset > 0 {
		parts = append(parts, "offset="+strconv.Itoa(f.Offset))
	}
	if len(parts) == 0 {
		return "none"
	}
	return truncate(strings.Join(parts, " "), 200)
}

// auditList writes the one audit row of a list view and links each pupil
// listed to it with multi-row INSERTs (a few statements for thousands of
// pupils), in the caller's transaction. A read: the change counter stays.
func (s *Store) auditList(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity, detail string, pupilIDs []int64) error {
	id, err := s.auditRowID(ctx, tx, a, action, entity, 0, 0, detail)
	if err != nil {
		return err
	}
	ids := uniqueIDs(pupilIDs)
	const chunk = 1000 // 1,001 parameters a statement, well inside both engines' limits
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		var b strings.Builder
		b.WriteString(`INSERT INTO audit_listed (audit_id, pupil_id) VALUES `)
		args := make([]any, 0, n+1)
		args = append(args, id)
		for i, pid := range ids[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "($1, $%d)", i+2)
			args = append(args, pid)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: audit listed: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

func uniqueIDs(in []int64) []int64 {
	out := make([]int64, 0, len(in))
	seen := make(map[int64]bool, len(in))
	for _, id := range in {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
