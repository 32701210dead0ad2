package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/transition"
)

// Leavers and the common transfer file (issue 15). A pupil who leaves has
// pupils.left_on set (onRollSQL keeps them out of every working list) and a
// row in pupil_leavings; while off roll every write to their records is
// refused in audit (refuseLeaverWrite), the one place every write passes
// through, so a leaver's records are kept read-only whatever module holds
// them. Undoing a leaving (a mistake) keeps the leaving row, marked undone.

// leaverWriteActions are the audited writes allowed on a leaver's records:
// the leaving itself, its undoing, the CTF's export and its being sent. A
// module that must write to a leaver's records (retention and disposal, say)
// adds its action here.
var leaverWriteActions = map[string]bool{
	"pupil.leave":      true,
	"pupil.leave.undo": true,
	"ctf.export":       true,
	"ctf.sent":         true,
	// Retention and disposal (issue 17): a former pupil's file is disposed
	// of, or held, long after they left.
	"records.dispose":    true,
	"records.hold.place": true,
	"records.hold.lift":  true,
}

// refuseLeaverWrite returns transition.ErrLeft when a write (action) to
// pupilID's records is asked for while the pupil is off roll.
func (s *Store) refuseLeaverWrite(ctx context.Context, tx *sql.Tx, action string, pupilID int64) error {
	if pupilID == 0 || leaverWriteActions[action] {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pupils WHERE id = $1 AND left_on IS NOT NULL`, pupilID).Scan(&n); err != nil {
		return fmt.Errorf("store: leaver check: %w", err)
	}
	if n > 0 {
		return transition.ErrLeft()
	}
	return nil
}

// seesLeavers: the roles that open a leaver's records by direct link and
// the SEN detail of the Leavers list (the SENCO, deputy and SLT). Office
// staff record leavings and send CTFs but open no leaver's pupil record.
func seesLeavers(a sen.Actor) bool {
	switch a.User.Role {
	case sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead:
		return true
	}
	return false
}

const leavingCols = `l.id, l.pupil_id, p.forename || ' ' || p.surname, p.upn, p.year_group, l.left_on, l.reason, l.dest_name, l.dest_urn, l.dest_laestab,
l.ctf_due, l.ctf_sent_on, COALESCE(su.name, ''), COALESCE(ru.name, ''), l.recorded_at, l.undone_at, COALESCE(uu.name, ''), l.undo_reason, l.version`

const leavingFrom = ` FROM pupil_leavings l JOIN pupils p ON p.id = l.pupil_id LEFT JOIN users su ON su.id = l.ctf_sent_by
LEFT JOIN users ru ON ru.id = l.recorded_by LEFT JOIN users uu ON uu.id = l.undone_by`

func scanLeaving(sc interface{ Scan(...any) error }) (transition.Leaving, error) {
	var l transition.Leaving
	var left, due, sent, rec, undone dbTime
	err := sc.Scan(&l.ID, &l.PupilID, &l.PupilName, &l.UPN, &l.YearGroup, &left, &l.Reason, &l.DestName, &l.DestURN, &l.DestLAESTAB,
		&due, &sent, &l.CTFSentBy, &l.RecordedBy, &rec, &undone, &l.UndoneBy, &l.UndoReason, &l.Version)
	l.LeftOn, l.CTFDue, l.CTFSentOn, l.RecordedAt, l.UndoneAt = left.T, due.T, sent.T, rec.T, undone.T
	return l, err
}

// schoolDayFunc is the school's calendar as transition.CTFDue reads it:
// SchoolDays over the school's term dates (its holidays).
func schoolDayFunc(hols []sen.Holiday) func(time.Time) bool {
	return func(d time.Time) bool { return SchoolDays(d, d, hols) == 1 }
}

// RecordLeaving takes a pupil off roll: l is validated against today and
// the pupil's admission date, the CTF's due date counted on the school's
// term dates. version is the pupil's, as read. Office, the SENCO and the
// deputy record leavings (the web module's Allow).
func (s *Store) RecordLeaving(ctx context.Context, a sen.Actor, pupilID, version int64, l *transition.Leaving) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var p sen.Pupil
		if err := scanPupil(tx.QueryRowContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.id = $1 AND p.school_id = $2 AND `+teachesSQL("$3"),
			pupilID, a.User.SchoolID, scopeUser(a)), &p); err != nil {
			return notFound(err)
		}
		if p.Left() {
			return transition.ErrAlreadyLeft()
		}
		if p.Version != version {
			return sen.ErrPupilChanged(false)
		}
		if fe := l.Validate(s.Today(), p.AdmissionDate); len(fe) > 0 {
			return fe
		}
		hols, err := holidaysTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		l.PupilID, l.PupilName, l.UPN, l.YearGroup = p.ID, p.FullName(), p.UPN, p.YearGroup
		l.CTFDue = transition.CTFDue(l.LeftOn, schoolDayFunc(hols))
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO pupil_leavings (school_id, pupil_id, left_on, reason, dest_name, dest_urn, dest_laestab, ctf_due, recorded_by, recorded_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`, a.User.SchoolID, p.ID, dateArg(l.LeftOn), l.Reason, l.DestName, l.DestURN, l.DestLAESTAB,
			dateArg(l.CTFDue), a.User.ID, now).Scan(&l.ID); err != nil {
			return fmt.Errorf("store: leaving: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupils SET left_on = $2, version = version + 1, updated_at = $3 WHERE id = $1`, p.ID, dateArg(l.LeftOn), now); err != nil {
			return err
		}
		l.Version, l.RecordedAt = 1, now
		return s.audit(ctx, tx, a, "pupil.leave", "leaving", l.ID, p.ID, fmt.Sprintf("left=%s reason=%s ctf_due=%s", l.LeftOn.Format("2006-01-02"), l.Reason, l.CTFDue.Format("2006-01-02")))
	})
}

// activeLeavingTx is the pupil's leaving that stands, or sen.ErrNotFound.
func activeLeavingTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64) (transition.Leaving, error) {
	l, err := scanLeaving(tx.QueryRowContext(ctx, `SELECT `+leavingCols+leavingFrom+`
WHERE l.pupil_id = $1 AND l.school_id = $2 AND l.undone_at IS NULL AND p.left_on IS NOT NULL AND `+teachesSQL("$3")+` ORDER BY l.id DESC LIMIT 1`,
		pupilID, a.User.SchoolID, scopeUser(a)))
	return l, notFound(err)
}

// Leaving opens a leaver's leaving (the one that stands) and audits the read.
func (s *Store) Leaving(ctx context.Context, a sen.Actor, pupilID int64) (transition.Leaving, error) {
	var l transition.Leaving
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if l, err = activeLeavingTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "leaving.read", "leaving", l.ID, pupilID, "")
	})
	return l, err
}

// UndoLeaving puts a leaver back on roll (the leaving was a mistake), with
// the reason; the leaving row is kept, marked undone. version is the
// leaving's, as read.
func (s *Store) UndoLeaving(ctx context.Context, a sen.Actor, pupilID, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if fe := transition.CheckUndo(reason); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		l, err := activeLeavingTx(ctx, tx, a, pupilID)
		if err != nil {
			return err
		}
		if l.Version != version {
			return transition.ErrLeavingChanged()
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE pupil_leavings SET undone_at = $2, undone_by = $3, undo_reason = $4, version = version + 1 WHERE id = $1`,
			l.ID, now, a.User.ID, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupils SET left_on = NULL, version = version + 1, updated_at = $2 WHERE id = $1`, pupilID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "pupil.leave.undo", "leaving", l.ID, pupilID, "")
	})
}

// RecordCTFSent records the day the leaver's CTF was sent, which closes the
// CTF duty. version is the leaving's, as read.
func (s *Store) RecordCTFSent(ctx context.Context, a sen.Actor, pupilID, version int64, sent time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		l, err := activeLeavingTx(ctx, tx, a, pupilID)
		if err != nil {
			return err
		}
		if l.Version != version {
			return transition.ErrLeavingChanged()
		}
		if fe := transition.CheckSent(sent, l.LeftOn, s.Today()); len(fe) > 0 {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupil_leavings SET ctf_sent_on = $2, ctf_sent_by = $3, version = version + 1 WHERE id = $1`,
			l.ID, dateArg(sent), a.User.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ctf.sent", "leaving", l.ID, pupilID, "sent="+sent.Format("2006-01-02"))
	})
}

// Leavers lists the school's leavers (leavings that stand), the most recent
// first, and audits the view (each leaver linked to it).
func (s *Store) Leavers(ctx context.Context, a sen.Actor) ([]transition.Leaving, error) {
	var out []transition.Leaving
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = leaversTx(ctx, tx, a); err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i, l := range out {
			ids[i] = l.PupilID
		}
		return s.auditList(ctx, tx, a, "leavers.list", "leaving", fmt.Sprintf("rows=%d", len(out)), ids)
	})
	return out, err
}

func leaversTx(ctx context.Context, q queryer, a sen.Actor) ([]transition.Leaving, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+leavingCols+leavingFrom+`
WHERE l.school_id = $1 AND l.undone_at IS NULL AND p.left_on IS NOT NULL AND `+teachesSQL("$2")+` ORDER BY l.left_on DESC, p.surname, p.forename, l.id`,
		a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, fmt.Errorf("store: leavers: %w", err)
	}
	defer rows.Close()
	var out []transition.Leaving
	for rows.Next() {
		l, err := scanLeaving(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LeavingHistory lists every leaving of a pupil, undone ones included,
// newest first (for the leaver's page; the caller has opened the leaving).
func (s *Store) LeavingHistory(ctx context.Context, a sen.Actor, pupilID int64) ([]transition.Leaving, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+leavingCols+leavingFrom+` WHERE l.pupil_id = $1 AND l.school_id = $2 AND `+teachesSQL("$3")+` ORDER BY l.id DESC`,
		pupilID, a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []transition.Leaving
	for rows.Next() {
		l, err := scanLeaving(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ctfDutiesTx are the CTF duties of the school's leavers (open and done),
// for ehc.Duties: the calendar, its feed, the digest and the home page.
func ctfDutiesTx(ctx context.Context, tx *sql.Tx, a sen.Actor) ([]ehc.OtherDuty, error) {
	list, err := leaversTx(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	out := make([]ehc.OtherDuty, 0, len(list))
	for _, l := range list {
		out = append(out, ehc.OtherDuty{Kind: ehc.KindCTF, Record: ehc.RecordLeaving, RefID: l.ID, Href: fmt.Sprintf("/leavers/%d", l.PupilID),
			PupilID: l.PupilID, PupilName: l.PupilName, M: transition.CTFMilestone(l)})
	}
	return out, nil
}

// CTFDutiesOpen lists the leavers whose CTF is not yet recorded as sent,
// soonest due first (the office's home-page panel). Not audited: it shows
// counts only.
func (s *Store) CTFDutiesOpen(ctx context.Context, a sen.Actor) ([]transition.Leaving, error) {
	list, err := leaversTx(ctx, s.db, a)
	var out []transition.Leaving
	for _, l := range list {
		if !l.CTFSent() {
			out = append(out, l)
		}
	}
	return out, err
}

// SetSchoolNumbers records the school's LA + establishment number and URN,
// which name it as the source of its CTFs.
func (s *Store) SetSchoolNumbers(ctx context.Context, a sen.Actor, laestab, urn string) error {
	l, u, fe := transition.CheckSchoolNumbers(laestab, urn)
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE schools SET la_code = $2, estab = $3, urn = $4 WHERE id = $1`, a.User.SchoolID, l[:3], l[3:], u); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "school.numbers", "school", a.User.SchoolID, 0, "laestab="+l+" urn="+u)
	})
}
