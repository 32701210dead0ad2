package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"opensend/internal/people"
	"opensend/internal/sen"
)

// MatchContactImport fills each row's pupil (by UPN, on the actor's roll)
// and says whether it would replace the pupil's contact of the same name;
// rows whose UPN is not on the roll are returned by index. The preview is
// a list view of the pupils matched: one audit row, each pupil linked.
func (s *Store) MatchContactImport(ctx context.Context, a sen.Actor, rows []people.ImportRow) (unknown []int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var ids []int64
		unknown, ids, err = s.matchContacts(ctx, tx, a, rows)
		if err != nil {
			return err
		}
		return s.auditList(ctx, tx, a, "contact.import.preview", "import", fmt.Sprintf("rows=%d unknown=%d", len(rows), len(unknown)), ids)
	})
	return unknown, err
}

func (s *Store) matchContacts(ctx context.Context, tx *sql.Tx, a sen.Actor, rows []people.ImportRow) ([]int, []int64, error) {
	type pupil struct {
		id   int64
		name string
	}
	roll := map[string]pupil{}
	q, err := tx.QueryContext(ctx, `SELECT p.id, p.upn, p.forename || ' ' || p.surname FROM pupils p WHERE p.school_id = $1 AND `+teachesSQL("$2"), a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, nil, err
	}
	for q.Next() {
		var p pupil
		var upn string
		if err := q.Scan(&p.id, &upn, &p.name); err != nil {
			q.Close()
			return nil, nil, err
		}
		roll[upn] = p
	}
	q.Close()
	if err := q.Err(); err != nil {
		return nil, nil, err
	}
	existing := map[int64]map[string]int64{} // pupil -> lower(name) -> contact id
	q, err = tx.QueryContext(ctx, `SELECT pupil_id, id, name FROM pupil_contacts WHERE school_id = $1`, a.User.SchoolID)
	if err != nil {
		return nil, nil, err
	}
	for q.Next() {
		var pid, cid int64
		var name string
		if err := q.Scan(&pid, &cid, &name); err != nil {
			q.Close()
			return nil, nil, err
		}
		if existing[pid] == nil {
			existing[pid] = map[string]int64{}
		}
		existing[pid][strings.ToLower(name)] = cid
	}
	q.Close()
	if err := q.Err(); err != nil {
		return nil, nil, err
	}
	var unknown []int
	var ids []int64
	for i := range rows {
		p, ok := roll[rows[i].UPN]
		if !ok {
			unknown = append(unknown, i)
			continue
		}
		rows[i].PupilID, rows[i].PupilName = p.id, p.name
		rows[i].Contact.PupilID = p.id
		rows[i].Contact.ID = existing[p.id][strings.ToLower(rows[i].Contact.Name)]
		rows[i].Update = rows[i].Contact.ID != 0
		ids = append(ids, p.id)
	}
	return unknown, ids, nil
}

// ImportContacts saves every row of a contacts import in one transaction,
// or none: a contact of the same name as one the pupil has replaces it,
// any other is added. Each contact gets its audit row, and the import one.
func (s *Store) ImportContacts(ctx context.Context, a sen.Actor, rows []people.ImportRow, filename string) (added, updated int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		added, updated = 0, 0
		unknown, _, err := s.matchContacts(ctx, tx, a, rows)
		if err != nil {
			return err
		}
		if len(unknown) > 0 {
			r := rows[unknown[0]]
			return people.ErrImportUnknownUPN(r.Row, r.UPN)
		}
		for i := range rows {
			c := &rows[i].Contact
			if fe := c.Validate(); len(fe) > 0 {
				return fe
			}
			if c.ID == 0 {
				if err := s.insertContact(ctx, tx, a, c, "contact.import.add"); err != nil {
					return err
				}
				added++
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE pupil_contacts SET relationship = $2, parental_resp = $3, lives_with = $4, address = $5, phone = $6,
email = $7, preferred_way = $8, language = $9, interpreter = $10, restricted = $11, restriction = $12, updated_by = $13, updated_at = $14, version = version + 1
WHERE id = $1`, c.ID, c.Relationship, c.ParentalResp, c.LivesWith, c.Address, c.Phone, c.Email, c.PreferredWay, c.Language, c.Interpreter,
				c.Restricted, c.Restriction, a.User.Name, s.now()); err != nil {
				return fmt.Errorf("store: import contact: %w", err)
			}
			if err := s.audit(ctx, tx, a, "contact.import.update", "contact", c.ID, c.PupilID, ""); err != nil {
				return err
			}
			updated++
		}
		return s.audit(ctx, tx, a, "contact.import", "import", 0, 0, fmt.Sprintf("file=%q added=%d updated=%d", truncate(filename, 100), added, updated))
	})
	return added, updated, err
}
