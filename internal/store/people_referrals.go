package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"opensend/internal/people"
	"opensend/internal/sen"
)

// The school's directory of outside services and referrals of pupils to
// them (issue 14). The directory names no pupil; referrals are pupil data,
// read and listed with an audit row.

const agencyCols = `a.id, a.school_id, a.name, a.kind, a.contact_person, a.phone, a.email, a.address, a.wait_weeks, a.version`

func scanAgency(sc interface{ Scan(...any) error }, g *people.Agency) error {
	return sc.Scan(&g.ID, &g.SchoolID, &g.Name, &g.Kind, &g.ContactPerson, &g.Phone, &g.Email, &g.Address, &g.WaitWeeks, &g.Version)
}

// Agencies lists the school's directory of services by name.
func (s *Store) Agencies(ctx context.Context, a sen.Actor) ([]people.Agency, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+agencyCols+` FROM agencies a WHERE a.school_id = $1 ORDER BY a.name, a.id`, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []people.Agency
	for rows.Next() {
		var g people.Agency
		if err := scanAgency(rows, &g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Agency reads one service of the school's directory.
func (s *Store) Agency(ctx context.Context, a sen.Actor, id int64) (people.Agency, error) {
	var g people.Agency
	err := scanAgency(s.db.QueryRowContext(ctx, `SELECT `+agencyCols+` FROM agencies a WHERE a.id = $1 AND a.school_id = $2`, id, a.User.SchoolID), &g)
	return g, notFound(err)
}

// SaveAgency adds a service to the directory (g.ID 0) or saves its
// changes, refusing a change made on an old version.
func (s *Store) SaveAgency(ctx context.Context, a sen.Actor, g *people.Agency) error {
	if fe := g.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		g.SchoolID = a.User.SchoolID
		if g.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO agencies (school_id, name, kind, contact_person, phone, email, address, wait_weeks, updated_by, updated_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`, g.SchoolID, g.Name, g.Kind, g.ContactPerson, g.Phone, g.Email, g.Address, g.WaitWeeks,
				a.User.Name, s.now()).Scan(&g.ID)
			if isUnique(err) {
				return people.ErrAgencyNameTaken()
			}
			if err != nil {
				return fmt.Errorf("store: add agency: %w", err)
			}
			g.Version = 1
			return s.audit(ctx, tx, a, "agency.add", "agency", g.ID, 0, "kind="+g.Kind)
		}
		var version int
		var by string
		var at dbTime
		if err := tx.QueryRowContext(ctx, `SELECT version, updated_by, updated_at FROM agencies WHERE id = $1 AND school_id = $2`, g.ID, g.SchoolID).Scan(&version, &by, &at); err != nil {
			return notFound(err)
		}
		if version != g.Version {
			return people.ErrAgencyConflict(by, at.T)
		}
		res, err := tx.ExecContext(ctx, `UPDATE agencies SET name = $3, kind = $4, contact_person = $5, phone = $6, email = $7, address = $8, wait_weeks = $9,
updated_by = $10, updated_at = $11, version = version + 1 WHERE id = $1 AND version = $2`, g.ID, g.Version, g.Name, g.Kind, g.ContactPerson, g.Phone, g.Email,
			g.Address, g.WaitWeeks, a.User.Name, s.now())
		if isUnique(err) {
			return people.ErrAgencyNameTaken()
		}
		if err != nil {
			return fmt.Errorf("store: update agency: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return people.ErrAgencyConflict(by, at.T)
		}
		g.Version++
		return s.audit(ctx, tx, a, "agency.update", "agency", g.ID, 0, "kind="+g.Kind)
	})
}

const referralCols = `r.id, r.school_id, r.pupil_id, p.forename || ' ' || p.surname, r.agency_id, a.name, a.wait_weeks, r.reason, r.consent, r.consent_by,
r.consent_date, r.status, r.referred_on, r.seen_on, r.next_appointment, r.outcome, r.version`

const referralFrom = ` FROM referrals r JOIN pupils p ON p.id = r.pupil_id JOIN agencies a ON a.id = r.agency_id`

func scanReferral(sc interface{ Scan(...any) error }) (people.Referral, error) {
	var r people.Referral
	var consent, referred, seen, next dbTime
	err := sc.Scan(&r.ID, &r.SchoolID, &r.PupilID, &r.PupilName, &r.AgencyID, &r.AgencyName, &r.AgencyWaitWeeks, &r.Reason, &r.Consent, &r.ConsentBy,
		&consent, &r.Status, &referred, &seen, &next, &r.Outcome, &r.Version)
	r.ConsentDate, r.Referred, r.SeenOn, r.NextAppointment = consent.T, referred.T, seen.T, next.T
	return r, err
}

func agencyInSchool(ctx context.Context, tx *sql.Tx, schoolID, agencyID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM agencies WHERE id = $1 AND school_id = $2`, agencyID, schoolID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return people.ErrNoSuchAgency()
	}
	return nil
}

// AddReferral drafts a referral of a pupil to a service of the directory.
func (s *Store) AddReferral(ctx context.Context, a sen.Actor, r *people.Referral) error {
	today := s.Today()
	if fe := r.Validate(today); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, r.PupilID); err != nil {
			return err
		}
		if err := agencyInSchool(ctx, tx, a.User.SchoolID, r.AgencyID); err != nil {
			return err
		}
		r.SchoolID, r.Status, r.Version = a.User.SchoolID, people.Drafted, 1
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO referrals (school_id, pupil_id, agency_id, reason, consent, consent_by, consent_date, status, next_appointment,
outcome, updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) RETURNING id`, r.SchoolID, r.PupilID, r.AgencyID,
			r.Reason, r.Consent, r.ConsentBy, dateArg(r.ConsentDate), r.Status, dateArg(r.NextAppointment), r.Outcome, a.User.Name, now).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: add referral: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_changes (referral_id, status, change_date, by_name, at) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, r.Status, dateArg(today), a.User.Name, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "referral.add", "referral", r.ID, r.PupilID, fmt.Sprintf("agency=%d consent=%t", r.AgencyID, r.Consent))
	})
}

func (s *Store) referralTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (people.Referral, error) {
	r, err := scanReferral(tx.QueryRowContext(ctx, `SELECT `+referralCols+referralFrom+` WHERE r.id = $1 AND r.school_id = $2 AND `+teachesSQL("$3"),
		id, a.User.SchoolID, scopeUser(a)))
	if err != nil {
		return r, notFound(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT status, change_date, by_name FROM referral_changes WHERE referral_id = $1 ORDER BY change_date, id`, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var c people.Change
		var d dbTime
		if err := rows.Scan(&c.Status, &d, &c.By); err != nil {
			return r, err
		}
		c.Date = d.T
		r.Changes = append(r.Changes, c)
	}
	return r, rows.Err()
}

// Referral reads one referral with its changes of status.
func (s *Store) Referral(ctx context.Context, a sen.Actor, id int64) (people.Referral, error) {
	var r people.Referral
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = s.referralTx(ctx, tx, a, id); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "referral.read", "referral", id, r.PupilID, "")
	})
	return r, err
}

func (s *Store) referralConflict(ctx context.Context, tx *sql.Tx, id int64) error {
	var by string
	var at dbTime
	if err := tx.QueryRowContext(ctx, `SELECT updated_by, updated_at FROM referrals WHERE id = $1`, id).Scan(&by, &at); err != nil {
		return err
	}
	return people.ErrReferralConflict(by, at.T)
}

// UpdateReferral saves a referral's details (reason, consent, next
// appointment, outcome), refusing a change made on an old version.
func (s *Store) UpdateReferral(ctx context.Context, a sen.Actor, r *people.Referral) error {
	if fe := r.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.referralTx(ctx, tx, a, r.ID)
		if err != nil {
			return err
		}
		if old.Version != r.Version {
			return s.referralConflict(ctx, tx, r.ID)
		}
		if r.AgencyID != old.AgencyID {
			if err := agencyInSchool(ctx, tx, a.User.SchoolID, r.AgencyID); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET agency_id = $3, reason = $4, consent = $5, consent_by = $6, consent_date = $7, next_appointment = $8,
outcome = $9, updated_by = $10, updated_at = $11, version = version + 1 WHERE id = $1 AND version = $2`, r.ID, r.Version, r.AgencyID, r.Reason, r.Consent,
			r.ConsentBy, dateArg(r.ConsentDate), dateArg(r.NextAppointment), r.Outcome, a.User.Name, s.now())
		if err != nil {
			return fmt.Errorf("store: update referral: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.referralConflict(ctx, tx, r.ID)
		}
		r.PupilID, r.Status, r.Version = old.PupilID, old.Status, old.Version+1
		return s.audit(ctx, tx, a, "referral.update", "referral", r.ID, r.PupilID, fmt.Sprintf("agency=%d consent=%t", r.AgencyID, r.Consent))
	})
}

// MoveReferral records a change of a referral's status on a date
// (people.Referral.Move says which moves are allowed).
func (s *Store) MoveReferral(ctx context.Context, a sen.Actor, id int64, version int, to string, date time.Time) (people.Referral, error) {
	var r people.Referral
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = s.referralTx(ctx, tx, a, id); err != nil {
			return err
		}
		if r.Version != version {
			return s.referralConflict(ctx, tx, id)
		}
		from := r.Status
		if fe := r.Move(to, date, s.Today()); len(fe) > 0 {
			return fe
		}
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = $3, referred_on = $4, seen_on = $5, updated_by = $6, updated_at = $7, version = version + 1
WHERE id = $1 AND version = $2`, id, version, r.Status, dateArg(r.Referred), dateArg(r.SeenOn), a.User.Name, s.now())
		if err != nil {
			return fmt.Errorf("store: move referral: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.referralConflict(ctx, tx, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_changes (referral_id, status, change_date, by_name, at) VALUES ($1, $2, $3, $4, $5)`,
			id, to, dateArg(date), a.User.Name, s.now()); err != nil {
			return err
		}
		r.Version++
		r.Changes = append(r.Changes, people.Change{Status: to, Date: date, By: a.User.Name})
		return s.audit(ctx, tx, a, "referral.status", "referral", id, r.PupilID, "from="+from+" to="+to)
	})
	return r, err
}

// ReferralFilter narrows a list of referrals (zero values: all).
type ReferralFilter struct {
	PupilID  int64
	AgencyID int64
	Status   string
}

// Referrals lists the school's referrals (newest first) matching f. An
// audited list of the pupils named.
func (s *Store) Referrals(ctx context.Context, a sen.Actor, f ReferralFilter) ([]people.Referral, error) {
	var out []people.Referral
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+referralCols+referralFrom+` WHERE r.school_id = $1 AND `+teachesSQL("$2")+`
AND ($3 = 0 OR r.pupil_id = $3) AND ($4 = 0 OR r.agency_id = $4) AND ($5 = '' OR r.status = $5) ORDER BY r.updated_at DESC, r.id DESC`,
			a.User.SchoolID, scopeUser(a), f.PupilID, f.AgencyID, f.Status)
		if err != nil {
			return err
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			r, err := scanReferral(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
			ids = append(ids, r.PupilID)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if f.PupilID != 0 {
			return s.auditRead(ctx, tx, a, "referral.list", "pupil", f.PupilID, f.PupilID, fmt.Sprintf("rows=%d", len(out)))
		}
		return s.auditList(ctx, tx, a, "referral.list", "referral", fmt.Sprintf("agency=%d status=%s rows=%d", f.AgencyID, f.Status, len(out)), ids)
	})
	return out, err
}

// OpenReferralCounts counts the school's open referrals (of the pupils the
// actor may see) and how many have waited longer than their service's
// threshold (a count names no pupil: not audited).
func (s *Store) OpenReferralCounts(ctx context.Context, a sen.Actor) (open, overdue int, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.status, r.referred_on, r.seen_on, a.wait_weeks FROM referrals r JOIN pupils p ON p.id = r.pupil_id
JOIN agencies a ON a.id = r.agency_id WHERE r.school_id = $1 AND r.status IN ($2, $3, $4) AND `+teachesSQL("$5"),
		a.User.SchoolID, people.Sent, people.Accepted, people.Waiting, scopeUser(a))
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	today := s.Today()
	for rows.Next() {
		var r people.Referral
		var referred, seen dbTime
		if err := rows.Scan(&r.Status, &referred, &seen, &r.AgencyWaitWeeks); err != nil {
			return 0, 0, err
		}
		r.Referred, r.SeenOn = referred.T, seen.T
		open++
		if people.Overdue(r, today) {
			overdue++
		}
	}
	return open, overdue, rows.Err()
}
