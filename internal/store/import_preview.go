package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/sen"
)

// ImportMatches returns the pupils on the actor's school roll whose UPNs are
// in upns, by UPN, so an import preview can say what would change for each
// (importer.Compare). Showing them is a list view of those pupils: one
// audit row ("pupil.import.preview", with how many UPNs the file has and
// how many matched) and each matched pupil linked to it (audit_listed).
// The roll is read outside the write transaction, as ViewPupils does.
func (s *Store) ImportMatches(ctx context.Context, a sen.Actor, upns []string) (map[string]sen.Pupil, error) {
	want := make(map[string]bool, len(upns))
	for _, u := range upns {
		want[u] = true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.school_id = $1 AND `+teachesSQL("$2"), a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	out := map[string]sen.Pupil{}
	var ids []int64
	for rows.Next() {
		var p sen.Pupil
		if err := scanPupil(rows, &p); err != nil {
			rows.Close()
			return nil, err
		}
		if want[p.UPN] {
			out[p.UPN] = p
			ids = append(ids, p.ID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("rows=%d matched=%d", len(want), len(out))
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditList(ctx, tx, a, "pupil.import.preview", "import", detail, ids)
	}); err != nil {
		return nil, err
	}
	return out, nil
}
