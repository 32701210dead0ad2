package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/people"
	"opensend/internal/sen"
)

// The people around a pupil (issue 14): contacts, the contact log and the
// key adult. Teachers and teaching assistants reach only the pupils they
// teach (pupilTx), and read a contact's name, relationship, preferred way
// of contact, language and restriction but not the address, phone or
// e-mail, which the store blanks for them.

const contactCols = `c.id, c.school_id, c.pupil_id, c.name, c.relationship, c.parental_resp, c.lives_with, c.address, c.phone, c.email,
c.preferred_way, c.language, c.interpreter, c.restricted, c.restriction, c.version`

func scanContact(sc interface{ Scan(...any) error }, c *people.Contact) error {
	return sc.Scan(&c.ID, &c.SchoolID, &c.PupilID, &c.Name, &c.Relationship, &c.ParentalResp, &c.LivesWith, &c.Address, &c.Phone, &c.Email,
		&c.PreferredWay, &c.Language, &c.Interpreter, &c.Restricted, &c.Restriction, &c.Version)
}

// hideDetails blanks what a teacher or TA may not read of a contact.
func hideDetails(a sen.Actor, c *people.Contact) {
	if a.User.Role.Scoped() {
		c.Address, c.Phone, c.Email, c.DetailsHidden = "", "", "", true
	}
}

func contactsTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64) ([]people.Contact, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+contactCols+` FROM pupil_contacts c WHERE c.pupil_id = $1 AND c.school_id = $2
ORDER BY c.parental_resp DESC, c.id`, pupilID, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []people.Contact
	for rows.Next() {
		var c people.Contact
		if err := scanContact(rows, &c); err != nil {
			return nil, err
		}
		hideDetails(a, &c)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Family is what the pupil page's "Family and contacts" shows: the pupil,
// their contacts, the key adult and, when withLog, the contact log (newest
// first). One audited read.
type Family struct {
	Pupil    sen.Pupil
	Contacts []people.Contact
	KeyAdult people.KeyAdult
	Log      []people.LogEntry
}

// Family reads a pupil's contacts, key adult and (withLog) contact log.
func (s *Store) Family(ctx context.Context, a sen.Actor, pupilID int64, withLog bool) (Family, error) {
	var f Family
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if f.Pupil, err = s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		if f.Contacts, err = contactsTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		if f.KeyAdult, err = keyAdultTx(ctx, tx, a.User.SchoolID, pupilID); err != nil {
			return err
		}
		if withLog {
			if f.Log, err = s.logTx(ctx, tx, a, `l.pupil_id = $3`, pupilID); err != nil {
				return err
			}
		}
		return s.auditRead(ctx, tx, a, "people.family.read", "pupil", pupilID, pupilID, fmt.Sprintf("contacts=%d log=%d", len(f.Contacts), len(f.Log)))
	})
	return f, err
}

// Contact reads one contact (for editing) of a pupil the actor may see.
func (s *Store) Contact(ctx context.Context, a sen.Actor, id int64) (people.Contact, error) {
	var c people.Contact
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = contactTx(ctx, tx, a, id); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "contact.read", "contact", id, c.PupilID, "")
	})
	return c, err
}

func contactTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (people.Contact, error) {
	var c people.Contact
	err := scanContact(tx.QueryRowContext(ctx, `SELECT `+contactCols+` FROM pupil_contacts c JOIN pupils p ON p.id = c.pupil_id
WHERE c.id = $1 AND c.school_id = $2 AND `+teachesSQL("$3"), id, a.User.SchoolID, scopeUser(a)), &c)
	if err != nil {
		return c, notFound(err)
	}
	hideDetails(a, &c)
	return c, nil
}

// AddContact adds a contact to a pupil the actor may see.
func (s *Store) AddContact(ctx context.Context, a sen.Actor, c *people.Contact) error {
	if fe := c.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, c.PupilID); err != nil {
			return err
		}
		return s.insertContact(ctx, tx, a, c, "contact.add")
	})
}

func (s *Store) insertContact(ctx context.Context, tx *sql.Tx, a sen.Actor, c *people.Contact, action string) error {
	c.SchoolID, c.Version = a.User.SchoolID, 1
	if err := tx.QueryRowContext(ctx, `INSERT INTO pupil_contacts (school_id, pupil_id, name, relationship, parental_resp, lives_with, address, phone, email,
preferred_way, language, interpreter, restricted, restriction, updated_by, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) RETURNING id`, c.SchoolID, c.PupilID, c.Name, c.Relationship,
		c.ParentalResp, c.LivesWith, c.Address, c.Phone, c.Email, c.PreferredWay, c.Language, c.Interpreter, c.Restricted, c.Restriction,
		a.User.Name, s.now()).Scan(&c.ID); err != nil {
		return fmt.Errorf("store: add contact: %w", err)
	}
	detail := "relationship=" + c.Relationship
	if c.Restricted {
		detail += " restricted"
	}
	return s.audit(ctx, tx, a, action, "contact", c.ID, c.PupilID, detail)
}

// UpdateContact saves a contact, refusing a change made on an old version.
func (s *Store) UpdateContact(ctx context.Context, a sen.Actor, c *people.Contact) error {
	if fe := c.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := contactTx(ctx, tx, a, c.ID)
		if err != nil {
			return err
		}
		var by string
		var at dbTime
		if err := tx.QueryRowContext(ctx, `SELECT updated_by, updated_at FROM pupil_contacts WHERE id = $1`, c.ID).Scan(&by, &at); err != nil {
			return err
		}
		if old.Version != c.Version {
			return people.ErrContactConflict(by, at.T)
		}
		res, err := tx.ExecContext(ctx, `UPDATE pupil_contacts SET name = $3, relationship = $4, parental_resp = $5, lives_with = $6, address = $7, phone = $8,
email = $9, preferred_way = $10, language = $11, interpreter = $12, restricted = $13, restriction = $14, updated_by = $15, updated_at = $16, version = version + 1
WHERE id = $1 AND version = $2`, c.ID, c.Version, c.Name, c.Relationship, c.ParentalResp, c.LivesWith, c.Address, c.Phone, c.Email,
			c.PreferredWay, c.Language, c.Interpreter, c.Restricted, c.Restriction, a.User.Name, s.now())
		if err != nil {
			return fmt.Errorf("store: update contact: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return people.ErrContactConflict(by, at.T)
		}
		c.PupilID, c.SchoolID, c.Version = old.PupilID, old.SchoolID, old.Version+1
		return s.audit(ctx, tx, a, "contact.update", "contact", c.ID, c.PupilID, contactDiff(old, *c))
	})
}

// contactDiff names the fields that changed, without their values.
func contactDiff(a, b people.Contact) string {
	var ch []string
	add := func(name string, changed bool) {
		if changed {
			ch = append(ch, name)
		}
	}
	add("name", a.Name != b.Name)
	add("relationship", a.Relationship != b.Relationship)
	add("parental_responsibility", a.ParentalResp != b.ParentalResp)
	add("lives_with", a.LivesWith != b.LivesWith)
	add("address", a.Address != b.Address)
	add("phone", a.Phone != b.Phone)
	add("email", a.Email != b.Email)
	add("preferred_way", a.PreferredWay != b.PreferredWay)
	add("language", a.Language != b.Language || a.Interpreter != b.Interpreter)
	add("restriction", a.Restricted != b.Restricted || a.Restriction != b.Restriction)
	return "changed=" + strings.Join(ch, ",")
}

const logCols = `l.id, l.school_id, l.pupil_id, p.forename || ' ' || p.surname, l.kind, l.entry_date, COALESCE(l.contact_id, 0), COALESCE(c.name, ''),
COALESCE(c.restricted, $1), COALESCE(c.restriction, ''), l.with_text, COALESCE(l.staff_id, 0), COALESCE(u.name, ''), l.summary, l.follow_up,
l.follow_up_due, l.follow_up_done, l.version`

const logFrom = ` FROM contact_log l JOIN pupils p ON p.id = l.pupil_id LEFT JOIN pupil_contacts c ON c.id = l.contact_id LEFT JOIN users u ON u.id = l.staff_id`

// logTx lists contact log entries of the actor's school matching where
// (whose parameters start at $3; $1 is false, $2 the school), scoped to the
// pupils the actor may see, newest first.
func (s *Store) logTx(ctx context.Context, tx *sql.Tx, a sen.Actor, where string, args ...any) ([]people.LogEntry, error) {
	scopeParam := fmt.Sprintf("$%d", 3+len(args))
	q := `SELECT ` + logCols + logFrom + ` WHERE l.school_id = $2 AND ` + where + ` AND ` + teachesSQL(scopeParam) + ` ORDER BY l.entry_date DESC, l.id DESC`
	all := append([]any{false, a.User.SchoolID}, args...)
	all = append(all, scopeUser(a))
	rows, err := tx.QueryContext(ctx, q, all...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []people.LogEntry
	for rows.Next() {
		var e people.LogEntry
		var date, due dbTime
		if err := rows.Scan(&e.ID, &e.SchoolID, &e.PupilID, &e.PupilName, &e.Kind, &date, &e.ContactID, &e.ContactName, &e.Restricted, &e.Restriction,
			&e.With, &e.StaffID, &e.StaffName, &e.Summary, &e.FollowUp, &due, &e.FollowUpDone, &e.Version); err != nil {
			return nil, err
		}
		e.Date, e.FollowUpDue = date.T, due.T
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddLogEntry records a contact with the family of a pupil the actor may
// see, made by the actor. The contact, if chosen, must be the pupil's.
func (s *Store) AddLogEntry(ctx context.Context, a sen.Actor, e *people.LogEntry) error {
	if fe := e.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, e.PupilID); err != nil {
			return err
		}
		var contact any
		if e.ContactID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pupil_contacts WHERE id = $1 AND pupil_id = $2 AND school_id = $3`,
				e.ContactID, e.PupilID, a.User.SchoolID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return people.ErrNoSuchContact()
			}
			contact, e.With = e.ContactID, ""
		}
		e.SchoolID, e.StaffID, e.Version = a.User.SchoolID, a.User.ID, 1
		if err := tx.QueryRowContext(ctx, `INSERT INTO contact_log (school_id, pupil_id, kind, entry_date, contact_id, with_text, staff_id, summary, follow_up,
follow_up_due, follow_up_done, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) RETURNING id`,
			e.SchoolID, e.PupilID, e.Kind, dateArg(e.Date), contact, e.With, e.StaffID, e.Summary, e.FollowUp, dateArg(e.FollowUpDue), false, s.now()).Scan(&e.ID); err != nil {
			return fmt.Errorf("store: add contact log: %w", err)
		}
		detail := "kind=" + e.Kind
		if e.FollowUp != "" {
			detail += " follow_up_due=" + e.FollowUpDue.Format(time.DateOnly)
		}
		return s.audit(ctx, tx, a, "contact_log.add", "contact_log", e.ID, e.PupilID, detail)
	})
}

// CompleteFollowUp marks a log entry's follow-up done (done twice is done:
// no version is needed).
func (s *Store) CompleteFollowUp(ctx context.Context, a sen.Actor, id int64) (pupilID int64, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		list, err := s.logTx(ctx, tx, a, `l.id = $3`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 || list[0].FollowUp == "" {
			return sen.ErrNotFound
		}
		e := list[0]
		pupilID = e.PupilID
		if e.FollowUpDone {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contact_log SET follow_up_done = $2, version = version + 1 WHERE id = $1`, id, true); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "contact_log.follow_up_done", "contact_log", id, e.PupilID, "")
	})
	return pupilID, err
}

// FollowUpsDue lists the open follow-ups of the pupils the actor may see
// that are overdue or due within people.FollowUpSoonDays of today, oldest
// first. An audited list.
func (s *Store) FollowUpsDue(ctx context.Context, a sen.Actor) ([]people.LogEntry, error) {
	var out []people.LogEntry
	today := s.Today()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.logTx(ctx, tx, a, `l.follow_up <> '' AND l.follow_up_done = $1 AND l.follow_up_due <= $3`, dateArg(today.AddDate(0, 0, people.FollowUpSoonDays)))
		if err != nil {
			return err
		}
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		ids := make([]int64, len(out))
		for i, e := range out {
			ids[i] = e.PupilID
		}
		return s.auditList(ctx, tx, a, "contact_log.follow_ups", "contact_log", fmt.Sprintf("rows=%d", len(out)), ids)
	})
	return out, err
}

// FollowUpsDueCount counts the open follow-ups overdue or due soon of the
// pupils the actor may see, and how many of them are overdue (a count names
// no pupil: not audited).
func (s *Store) FollowUpsDueCount(ctx context.Context, a sen.Actor) (due, overdue int, err error) {
	today := s.Today()
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN l.follow_up_due < $4 THEN 1 ELSE 0 END), 0)
FROM contact_log l JOIN pupils p ON p.id = l.pupil_id
WHERE l.school_id = $2 AND l.follow_up <> '' AND l.follow_up_done = $1 AND l.follow_up_due <= $3 AND `+teachesSQL("$5"),
		false, a.User.SchoolID, dateArg(today.AddDate(0, 0, people.FollowUpSoonDays)), dateArg(today), scopeUser(a)).Scan(&due, &overdue)
	return due, overdue, err
}

func keyAdultTx(ctx context.Context, q rowQueryer, schoolID, pupilID int64) (people.KeyAdult, error) {
	k := people.KeyAdult{PupilID: pupilID}
	err := q.QueryRowContext(ctx, `SELECT k.user_id, u.name, k.role, k.version FROM key_adults k JOIN users u ON u.id = k.user_id
WHERE k.pupil_id = $1 AND k.school_id = $2`, pupilID, schoolID).Scan(&k.StaffID, &k.Name, &k.Role, &k.Version)
	if err == sql.ErrNoRows {
		return k, nil
	}
	k.Assigned = err == nil
	return k, err
}

// KeyAdultOf returns the key adult of a pupil of the actor's school (not
// audited: a staff assignment, read where the pupil's record is already
// open).
func (s *Store) KeyAdultOf(ctx context.Context, a sen.Actor, pupilID int64) (people.KeyAdult, error) {
	return keyAdultTx(ctx, s.db, a.User.SchoolID, pupilID)
}

// KeyAdults returns the key adults of the listed pupils of the actor's
// school, by pupil id (for a list already audited as viewed).
func (s *Store) KeyAdults(ctx context.Context, a sen.Actor, pupilIDs []int64) (map[int64]people.KeyAdult, error) {
	out := map[int64]people.KeyAdult{}
	if len(pupilIDs) == 0 {
		return out, nil
	}
	want := map[int64]bool{}
	for _, id := range pupilIDs {
		want[id] = true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.pupil_id, k.user_id, u.name, k.role, k.version FROM key_adults k JOIN users u ON u.id = k.user_id
WHERE k.school_id = $1`, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k people.KeyAdult
		if err := rows.Scan(&k.PupilID, &k.StaffID, &k.Name, &k.Role, &k.Version); err != nil {
			return nil, err
		}
		if want[k.PupilID] {
			k.Assigned = true
			out[k.PupilID] = k
		}
	}
	return out, rows.Err()
}

// SetKeyAdult names (or changes) a pupil's key adult: an active member of
// the school's staff. k.Version is the version read (0 when none was named).
func (s *Store) SetKeyAdult(ctx context.Context, a sen.Actor, k *people.KeyAdult) error {
	if fe := k.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, k.PupilID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2 AND active = $3`, k.StaffID, a.User.SchoolID, true).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return people.ErrNotStaff()
		}
		old, err := keyAdultTx(ctx, tx, a.User.SchoolID, k.PupilID)
		if err != nil {
			return err
		}
		conflict := people.ErrKeyAdultChanged()
		if old.Version != k.Version {
			return conflict
		}
		if !old.Assigned {
			_, err = tx.ExecContext(ctx, `INSERT INTO key_adults (pupil_id, school_id, user_id, role, updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, 1)`,
				k.PupilID, a.User.SchoolID, k.StaffID, k.Role, a.User.Name, s.now())
			if isUnique(err) {
				return conflict
			}
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE key_adults SET user_id = $3, role = $4, updated_by = $5, updated_at = $6, version = version + 1 WHERE pupil_id = $1 AND version = $2`,
				k.PupilID, k.Version, k.StaffID, k.Role, a.User.Name, s.now())
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return conflict
				}
			}
		}
		if err != nil {
			return fmt.Errorf("store: key adult: %w", err)
		}
		k.Version = old.Version + 1
		return s.audit(ctx, tx, a, "key_adult.set", "pupil", k.PupilID, k.PupilID, fmt.Sprintf("staff=%d role=%s", k.StaffID, k.Role))
	})
}
