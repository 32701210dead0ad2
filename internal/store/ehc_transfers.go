package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// The statutory duties (ehc.Duties, the one source of every view's dates),
// the school's type and age range, each plan's next move (SEND Regs 2014
// reg 18) and unopposed appeals (reg 45).

func schoolSettingsTx(ctx context.Context, q rowQueryer, schoolID int64) (ehc.SchoolSettings, error) {
	var s ehc.SchoolSettings
	var lo, hi sql.NullString
	err := q.QueryRowContext(ctx, `SELECT phase, lowest_year, highest_year, postal_address, phone, reply_email, settings_version FROM schools WHERE id = $1`, schoolID).
		Scan(&s.Type, &lo, &hi, &s.Address, &s.Phone, &s.Email, &s.Version)
	if err != nil {
		return s, notFound(err)
	}
	s.Lowest, s.Highest = lo.String, hi.String
	if s.Lowest == "" || s.Highest == "" {
		// Never saved: the type's usual age range.
		if l, h, ok := deadline.DefaultYears(deadline.Phase(s.Type)); ok {
			s.Lowest, s.Highest = ehc.YearGroupOf(l), ehc.YearGroupOf(h)
		}
	}
	return s, nil
}

// SchoolSettings returns the actor's school's type and age range.
func (s *Store) SchoolSettings(ctx context.Context, a sen.Actor) (ehc.SchoolSettings, error) {
	return schoolSettingsTx(ctx, s.db, a.User.SchoolID)
}

// SaveSchoolSettings records the school's type and age range and its
// letterhead (postal address, phone, reply e-mail); set.Version
// is the version read (a newer one is a conflict).
func (s *Store) SaveSchoolSettings(ctx context.Context, a sen.Actor, set ehc.SchoolSettings) error {
	if fe := set.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE schools SET phase = $3, lowest_year = $4, highest_year = $5, postal_address = $6, phone = $7, reply_email = $8,
settings_version = settings_version + 1 WHERE id = $1 AND settings_version = $2`,
			a.User.SchoolID, set.Version, set.Type, set.Lowest, set.Highest, set.Address, set.Phone, set.Email)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ehc.ErrSettingsChanged()
		}
		return s.audit(ctx, tx, a, "school.settings", "school", a.User.SchoolID, 0, fmt.Sprintf("type=%s years=%s-%s", set.Type, set.Lowest, set.Highest))
	})
}

func movesTx(ctx context.Context, q queryer, schoolID int64) (map[int64]ehc.NextMove, error) {
	rows, err := q.QueryContext(ctx, `SELECT plan_id, choice, to_type, to_name, move_date, version, updated_at FROM ehc_next_moves WHERE school_id = $1`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ehc.NextMove{}
	for rows.Next() {
		var m ehc.NextMove
		var date dbTime
		var at dbTime
		if err := rows.Scan(&m.PlanID, &m.Choice, &m.ToType, &m.ToName, &date, &m.Version, &at); err != nil {
			return nil, err
		}
		m.Date, m.Updated = date.T, at.T
		out[m.PlanID] = m
	}
	return out, rows.Err()
}

// NextMove returns the plan's next-move record (ok false: none yet).
func (s *Store) NextMove(ctx context.Context, a sen.Actor, planID int64) (m ehc.NextMove, ok bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		moves, err := movesTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		m, ok = moves[planID]
		return s.auditRead(ctx, tx, a, "ehc.move.read", "ehc_plan", planID, p.PupilID, "")
	})
	return m, ok, err
}

// SaveNextMove records where the plan's pupil goes next. m.Version is the
// version read (0: there was no record); a newer one is a conflict.
func (s *Store) SaveNextMove(ctx context.Context, a sen.Actor, m ehc.NextMove) error {
	if fe := m.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, m.PlanID)
		if err != nil {
			return err
		}
		if p.Restricted {
			return sen.ErrNotFound
		}
		var res sql.Result
		if m.Version == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO ehc_next_moves (plan_id, school_id, choice, to_type, to_name, move_date, version, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (plan_id) DO NOTHING`, m.PlanID, a.User.SchoolID, m.Choice, m.ToType, m.ToName, dateArg(m.Date), s.now())
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE ehc_next_moves SET choice = $3, to_type = $4, to_name = $5, move_date = $6, version = version + 1, updated_at = $7
WHERE plan_id = $1 AND version = $2`, m.PlanID, m.Version, m.Choice, m.ToType, m.ToName, dateArg(m.Date), s.now())
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ehc.ErrMoveChanged()
		}
		return s.audit(ctx, tx, a, "ehc.move.save", "ehc_plan", m.PlanID, p.PupilID, fmt.Sprintf("choice=%s to_type=%s", m.Choice, m.ToType))
	})
}

func (s *Store) appealsTx(ctx context.Context, q queryer, a sen.Actor) ([]ehc.UnopposedAppeal, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, COALESCE(u.request_id, 0), COALESCE(u.plan_id, 0), p.id, p.forename || ' ' || p.surname, u.notified
FROM ehc_unopposed_appeals u
LEFT JOIN ehc_requests r ON r.id = u.request_id
LEFT JOIN ehc_plans pl ON pl.id = u.plan_id
JOIN pupils p ON p.id = COALESCE(r.pupil_id, pl.pupil_id)
WHERE u.school_id = $1 AND p.school_id = $1 AND (u.plan_id IS NULL OR pl.active = $2) AND `+onRollSQL+`
ORDER BY u.id`, a.User.SchoolID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.UnopposedAppeal
	for rows.Next() {
		var u ehc.UnopposedAppeal
		var notified dbTime
		if err := rows.Scan(&u.ID, &u.RequestID, &u.PlanID, &u.PupilID, &u.PupilName, &notified); err != nil {
			return nil, err
		}
		u.Notified = notified.T
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddUnopposedAppeal records the LA's notice that it will not oppose an
// appeal, on a request (u.RequestID) or a plan (u.PlanID). It returns the id.
func (s *Store) AddUnopposedAppeal(ctx context.Context, a sen.Actor, u ehc.UnopposedAppeal) (int64, error) {
	if fe := u.Validate(s.Today()); len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var pupil int64
		var req, plan any
		if u.RequestID != 0 {
			r, err := s.requestTx(ctx, tx, a, u.RequestID)
			if err != nil {
				return err
			}
			pupil, req = r.PupilID, u.RequestID
		} else {
			p, err := s.planTx(ctx, tx, a, u.PlanID)
			if err != nil {
				return err
			}
			if p.Restricted {
				return sen.ErrNotFound
			}
			if !p.Active {
				return ehc.ErrNoActivePlan()
			}
			pupil, plan = p.PupilID, u.PlanID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_unopposed_appeals (school_id, request_id, plan_id, notified, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.User.SchoolID, req, plan, dateArg(u.Notified), s.now()).Scan(&id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.unopposed.add", "ehc_unopposed_appeal", id, pupil, "notified="+dateStr(u.Notified))
	})
	return id, err
}

// dutiesTx is every statutory milestone of the actor's school (ehc.Duties).
func (s *Store) dutiesTx(ctx context.Context, tx *sql.Tx, a sen.Actor) ([]ehc.CalendarEntry, error) {
	in := ehc.DutyInput{Today: s.Today()}
	var err error
	if in.School, err = schoolSettingsTx(ctx, tx, a.User.SchoolID); err != nil {
		return nil, err
	}
	if in.Requests, err = s.requestsTx(ctx, tx, a); err != nil {
		return nil, err
	}
	if in.Plans, err = s.plansTx(ctx, tx, a, false); err != nil {
		return nil, err
	}
	if in.Reviews, err = s.reviewsTx(ctx, tx, a); err != nil {
		return nil, err
	}
	if in.Moves, err = movesTx(ctx, tx, a.User.SchoolID); err != nil {
		return nil, err
	}
	if in.Appeals, err = s.appealsTx(ctx, tx, a); err != nil {
		return nil, err
	}
	if in.Other, err = ctfDutiesTx(ctx, tx, a); err != nil {
		return nil, err
	}
	return ehc.Duties(in), nil
}

// PlanDuties is what a plan's and its reviews' pages show of the duties.
type PlanDuties struct {
	All      []ehc.CalendarEntry // every duty of the school, for ehc.Of
	Transfer *deadline.Transfer  // the plan's transfer due this year, if any
	Next     *deadline.Transfer  // the plan's next transfer (any year), if any
	Move     *ehc.NextMove       // the school's record of the pupil's next move
}

// Duties returns the duties of plan planID for its page and its reviews'
// pages, from the same ehc.Duties the calendar reads. The read is audited.
func (s *Store) Duties(ctx context.Context, a sen.Actor, planID int64) (PlanDuties, error) {
	var out PlanDuties
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		all, err := cachedView(ctx, s, tx, a, "duties", "", func() ([]ehc.CalendarEntry, error) { return s.dutiesTx(ctx, tx, a) })
		if err != nil {
			return err
		}
		for _, e := range all {
			if e.PupilID == p.PupilID {
				out.All = append(out.All, e)
			}
		}
		set, err := schoolSettingsTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		moves, err := movesTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		if m, ok := moves[planID]; ok {
			out.Move = &m
		}
		if t, ok := ehc.PlanTransfer(p, set, out.Move, s.Today()); ok {
			out.Next = &t
			if t.DueThisYear(deadline.FromTime(s.Today())) {
				out.Transfer = &t
			}
		}
		return s.auditRead(ctx, tx, a, "ehc.duties.read", "ehc_plan", planID, p.PupilID, fmt.Sprintf("rows=%d", len(out.All)))
	})
	return out, err
}

// planTransferTx is plan p's transfer due this year (nil: none), as
// ehc.Duties computes it: the review meeting's limit follows from it.
func (s *Store) planTransferTx(ctx context.Context, tx *sql.Tx, a sen.Actor, p ehc.Plan) (*deadline.Transfer, error) {
	set, err := schoolSettingsTx(ctx, tx, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	moves, err := movesTx(ctx, tx, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	var mv *ehc.NextMove
	if m, ok := moves[p.ID]; ok {
		mv = &m
	}
	t, ok := ehc.PlanTransfer(p, set, mv, s.Today())
	if !ok || !t.DueThisYear(deadline.FromTime(s.Today())) {
		return nil, nil
	}
	return &t, nil
}
