package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// CreatePlan records an issued EHC plan. The pupil must not already have an
// active plan; the pupil's SEN register status becomes E (EHC plan) from the
// issue date, which needs a recorded primary need (census rule).
func (s *Store) CreatePlan(ctx context.Context, a sen.Actor, p *ehc.Plan) error {
	if fe := p.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		pu, err := s.pupilTx(ctx, tx, a, p.PupilID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ehc_plans WHERE pupil_id = $1 AND active = $2`, p.PupilID, true).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ehc.ErrAlreadyHasPlan(pu.FullName())
		}
		var req any
		if p.RequestID != 0 {
			var rp int64
			err := tx.QueryRowContext(ctx, `SELECT pupil_id FROM ehc_requests WHERE id = $1 AND school_id = $2`, p.RequestID, a.User.SchoolID).Scan(&rp)
			if err != nil || rp != p.PupilID {
				return sen.ErrNotFound
			}
			req = p.RequestID
		}
		now := s.now()
		p.SchoolID = a.User.SchoolID
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_plans (school_id, pupil_id, request_id, la_name, case_officer, issued, last_amended, last_reviewed, placement, active, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`, p.SchoolID, p.PupilID, req, p.LAName, p.CaseOfficer, dateArg(p.Issued),
			dateArg(p.LastAmended), dateArg(p.LastReviewed), p.Placement, true, now).Scan(&p.ID); err != nil {
			return fmt.Errorf("store: create plan: %w", err)
		}
		p.Version, p.Active = 1, true
		if pu.Status != sen.StatusEHCP {
			if problems := sen.CheckCensus(sen.StatusEHCP, pu.Needs); len(problems) > 0 {
				return ehc.ErrNoPrimaryNeed(pu.FullName(), problems[0])
			}
			if _, err := s.appendStatusTx(ctx, tx, a, p.PupilID, sen.StatusEHCP, p.Issued, ehc.IssuedDecidedBy(p.LAName), ehc.IssuedReason()); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, a, "register.status", "pupil", p.PupilID, p.PupilID, "status=E from EHC plan"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.plan.create", "ehc_plan", p.ID, p.PupilID, "")
	})
}

// UpdatePlan saves the plan's details (not its sections). p.Version must be
// the version that was read.
func (s *Store) UpdatePlan(ctx context.Context, a sen.Actor, p *ehc.Plan) error {
	if fe := p.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.planTx(ctx, tx, a, p.ID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET la_name = $3, case_officer = $4, issued = $5, last_amended = $6, last_reviewed = $7, placement = $8,
version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2`, p.ID, p.Version, p.LAName, p.CaseOfficer, dateArg(p.Issued), dateArg(p.LastAmended),
			dateArg(p.LastReviewed), p.Placement, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ehc.ErrStale("plan")
		}
		p.Version++
		var f []string
		if old.LAName != p.LAName {
			f = append(f, "la")
		}
		if old.CaseOfficer != p.CaseOfficer {
			f = append(f, "case_officer")
		}
		if !old.Issued.Equal(p.Issued) {
			f = append(f, "issued")
		}
		if !old.LastAmended.Equal(p.LastAmended) {
			f = append(f, "last_amended")
		}
		if !old.LastReviewed.Equal(p.LastReviewed) {
			f = append(f, "last_reviewed")
		}
		if old.Placement != p.Placement {
			f = append(f, "placement")
		}
		return s.audit(ctx, tx, a, "ehc.plan.update", "ehc_plan", p.ID, old.PupilID, "changed: "+strings.Join(f, ", "))
	})
}

const planCols = `pl.id, pl.school_id, pl.pupil_id, COALESCE(pl.request_id, 0), p.forename || ' ' || p.surname, p.year_group, p.class_name, pl.la_name, pl.case_officer,
pl.issued, pl.last_amended, pl.last_reviewed, pl.placement, COALESCE(pl.document_id, ''), COALESCE(d.filename, ''), pl.active, pl.ended, pl.end_reason, pl.version`

const planFrom = ` FROM ehc_plans pl JOIN pupils p ON p.id = pl.pupil_id LEFT JOIN ehc_documents d ON d.id = pl.document_id`

func scanPlan(sc interface{ Scan(...any) error }, p *ehc.Plan) error {
	var iss, am, rv, end dbTime
	if err := sc.Scan(&p.ID, &p.SchoolID, &p.PupilID, &p.RequestID, &p.PupilName, &p.YearGroup, &p.ClassName, &p.LAName, &p.CaseOfficer,
		&iss, &am, &rv, &p.Placement, &p.DocumentID, &p.DocumentName, &p.Active, &end, &p.EndReason, &p.Version); err != nil {
		return err
	}
	p.Issued, p.LastAmended, p.LastReviewed, p.Ended = iss.T, am.T, rv.T, end.T
	return nil
}

// planTx reads a plan header the actor may see (school and teaching scope).
func (s *Store) planTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (ehc.Plan, error) {
	var p ehc.Plan
	err := scanPlan(tx.QueryRowContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.id = $1 AND pl.school_id = $2 AND `+teachesSQL("$3"),
		id, a.User.SchoolID, scopeUser(a)), &p)
	return p, notFound(err)
}

// Plan opens a plan with its sections, Section F delivery for this term and
// year, and its reviews, and audits the read. Teachers and TAs (who must
// teach the pupil) get Section E and only the Section F lines they deliver.
func (s *Store) Plan(ctx context.Context, a sen.Actor, id int64) (ehc.Plan, error) {
	var p ehc.Plan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.planTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.loadPlanDetail(ctx, tx, a, &p); err != nil {
			return err
		}
		if !a.User.Role.Scoped() {
			if err := planAmendmentsTx(ctx, tx, &p); err != nil {
				return err
			}
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.read", "ehc_plan", id, p.PupilID, "")
	})
	return p, err
}

// PlanIDForPupil returns the pupil's active plan id, or ErrNotFound.
func (s *Store) PlanIDForPupil(ctx context.Context, a sen.Actor, pupilID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT pl.id FROM ehc_plans pl JOIN pupils p ON p.id = pl.pupil_id
WHERE pl.pupil_id = $1 AND pl.school_id = $2 AND pl.active = $4 AND `+teachesSQL("$3")+` ORDER BY pl.issued DESC LIMIT 1`,
		pupilID, a.User.SchoolID, scopeUser(a), true).Scan(&id)
	return id, notFound(err)
}

func (s *Store) loadPlanDetail(ctx context.Context, tx *sql.Tx, a sen.Actor, p *ehc.Plan) error {
	scoped := a.User.Role.Scoped()
	p.Restricted = scoped
	if scoped {
		p.LAName, p.CaseOfficer, p.Placement, p.DocumentID, p.DocumentName = "", "", "", "", ""
	} else {
		rows, err := tx.QueryContext(ctx, `SELECT id, area, text FROM ehc_plan_needs WHERE plan_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n ehc.Need
			if err := rows.Scan(&n.ID, &n.Area, &n.Text); err != nil {
				rows.Close()
				return err
			}
			p.Needs = append(p.Needs, n)
		}
		rows.Close()
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, text, by_when FROM ehc_outcomes WHERE plan_id = $1 ORDER BY id`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o ehc.Outcome
		if err := rows.Scan(&o.ID, &o.Text, &o.ByWhen); err != nil {
			rows.Close()
			return err
		}
		p.Outcomes = append(p.Outcomes, o)
	}
	rows.Close()
	prov, err := s.provisionTx(ctx, tx, a, []int64{p.ID})
	if err != nil {
		return err
	}
	p.Provision = prov[p.ID]
	if err := s.planDeliveriesTx(ctx, tx, a, p); err != nil {
		return err
	}
	if scoped {
		return nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, meeting, meeting_held, completed, outcome FROM ehc_reviews WHERE plan_id = $1 ORDER BY COALESCE(meeting, created_at) DESC, id DESC`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ehc.ReviewLite
		var m dbTime
		if err := rows.Scan(&r.ID, &m, &r.MeetingHeld, &r.Completed, &r.Outcome); err != nil {
			return err
		}
		r.Meeting = m.T
		p.Reviews = append(p.Reviews, r)
	}
	return rows.Err()
}

// staffFilter limits provision lines to those a teacher/TA delivers.
const staffFilter = `($2 = 0 OR pr.staff_user_id = $2)`

// provisionTx loads the active Section F lines of the plans with their
// delivery statistics for the current term and academic year.
func (s *Store) provisionTx(ctx context.Context, q queryer, a sen.Actor, planIDs []int64) (map[int64][]ehc.Provision, error) {
	out := map[int64][]ehc.Provision{}
	if len(planIDs) == 0 {
		return out, nil
	}
	want := map[int64]bool{}
	for _, id := range planIDs {
		want[id] = true
	}
	today := s.Today()
	yFrom, yTo := ehc.AcademicYear(today)
	tLabel, tFrom, tTo := ehc.Term(today)
	hols, err := holidaysTx(ctx, q, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	cal := newSchoolCalendar(yFrom, yTo, hols)
	rows, err := q.QueryContext(ctx, `SELECT pr.id, pr.plan_id, pr.description, pr.sessions_per_week, pr.minutes, pr.delivered_by, COALESCE(pr.staff_user_id, 0), COALESCE(u.name, ''), pl.issued, pr.starts
FROM ehc_provision pr JOIN ehc_plans pl ON pl.id = pr.plan_id LEFT JOIN users u ON u.id = pr.staff_user_id
WHERE pl.school_id = $1 AND pr.active = $3 AND `+staffFilter+` ORDER BY pr.plan_id, pr.id`, a.User.SchoolID, scopeUser(a), true)
	if err != nil {
		return nil, err
	}
	idx := map[int64]*ehc.Provision{}
	var order []int64
	all := map[int64]ehc.Provision{}
	issued := map[int64]time.Time{}
	for rows.Next() {
		var pr ehc.Provision
		var iss, starts dbTime
		if err := rows.Scan(&pr.ID, &pr.PlanID, &pr.Description, &pr.SessionsPerWeek, &pr.Minutes, &pr.DeliveredBy, &pr.StaffUserID, &pr.StaffName, &iss, &starts); err != nil {
			rows.Close()
			return nil, err
		}
		if !want[pr.PlanID] {
			continue
		}
		pr.Active, pr.Starts = true, starts.T
		issued[pr.ID] = iss.T
		pr.Year = pr.Expected(ehc.ThisAcademicYear, yFrom, yTo, iss.T, today, cal.days)
		pr.Term = pr.Expected(tLabel, tFrom, tTo, iss.T, today, cal.days)
		all[pr.ID] = pr
		order = append(order, pr.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range order {
		pr := all[id]
		idx[id] = &pr
	}
	agg, err := s.deliveryTotals(ctx, q, a, yFrom, minDate(today, yTo), tFrom, tTo)
	if err != nil {
		return nil, err
	}
	for pid, t := range agg {
		if pr := idx[pid]; pr != nil {
			pr.Year.DeliveredSessions, pr.Year.DeliveredMinutes, pr.Year.Missed = t[0], t[1], t[2]
			pr.Term.DeliveredSessions, pr.Term.DeliveredMinutes, pr.Term.Missed = t[3], t[4], t[5]
		}
	}
	for _, id := range order {
		pr := idx[id]
		out[pr.PlanID] = append(out[pr.PlanID], *pr)
	}
	return out, nil
}

func (s *Store) planDeliveriesTx(ctx context.Context, tx *sql.Tx, a sen.Actor, p *ehc.Plan) error {
	rows, err := tx.QueryContext(ctx, `SELECT d.id, d.provision_id, pr.description, d.session_date, d.minutes, d.delivered_by, d.missed, d.missed_reason, COALESCE(u.name, ''), d.recorded_at
FROM ehc_delivery d JOIN ehc_provision pr ON pr.id = d.provision_id LEFT JOIN users u ON u.id = d.recorded_by
WHERE pr.plan_id = $1 AND `+staffFilter+` ORDER BY d.session_date DESC, d.id DESC LIMIT 30`, p.ID, scopeUser(a))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d ehc.Delivery
		var dt, at dbTime
		if err := rows.Scan(&d.ID, &d.ProvisionID, &d.Provision, &dt, &d.Minutes, &d.DeliveredBy, &d.Missed, &d.MissedReason, &d.RecordedBy, &at); err != nil {
			return err
		}
		d.Date, d.RecordedAt = dt.T, at.T
		p.Deliveries = append(p.Deliveries, d)
	}
	return rows.Err()
}

// Plans lists the school's active plans with Section F delivery statistics
// (teachers and TAs: plans of pupils they teach with lines they deliver).
// The list read is audited once.
func (s *Store) Plans(ctx context.Context, a sen.Actor) ([]ehc.Plan, error) {
	var out []ehc.Plan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		// Reused while nothing in the school has changed (cachedView):
		// shared between requests, so callers must not change it.
		out, err = cachedView(ctx, s, tx, a, "ehc-plans", "", func() ([]ehc.Plan, error) { return s.plansTx(ctx, tx, a, true) })
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.list", "ehc_plan", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// plansTx lists active plans; withProvision adds the Section F lines and
// their delivery statistics (the costliest part, which date lists skip).
func (s *Store) plansTx(ctx context.Context, q queryer, a sen.Actor, withProvision bool) ([]ehc.Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.school_id = $1 AND pl.active = $3 AND `+teachesSQL("$2")+` AND `+onRollSQL+`
ORDER BY p.year_order, p.surname, p.forename, pl.id`, a.User.SchoolID, scopeUser(a), true)
	if err != nil {
		return nil, err
	}
	var out []ehc.Plan
	var ids []int64
	for rows.Next() {
		var p ehc.Plan
		if err := scanPlan(rows, &p); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
		ids = append(ids, p.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prov := map[int64][]ehc.Provision{}
	if withProvision {
		if prov, err = s.provisionTx(ctx, q, a, ids); err != nil {
			return nil, err
		}
	}
	for i := range out {
		out[i].Provision = prov[out[i].ID]
		out[i].Restricted = a.User.Role.Scoped()
	}
	return out, nil
}

// AddPlanNeed adds a Section B entry.
func (s *Store) AddPlanNeed(ctx context.Context, a sen.Actor, planID int64, n ehc.Need) error {
	if fe := n.Validate(); len(fe) > 0 {
		return fe
	}
	return s.sectionAdd(ctx, a, planID, ehc.SectionB, n.Describe(), "ehc.plan.need.add", `INSERT INTO ehc_plan_needs (plan_id, area, text) VALUES ($1, $2, $3)`, n.Area, n.Text)
}

// AddOutcome adds a Section E outcome.
func (s *Store) AddOutcome(ctx context.Context, a sen.Actor, planID int64, o ehc.Outcome) error {
	if fe := o.Validate(); len(fe) > 0 {
		return fe
	}
	return s.sectionAdd(ctx, a, planID, ehc.SectionE, o.Describe(), "ehc.plan.outcome.add", `INSERT INTO ehc_outcomes (plan_id, text, by_when) VALUES ($1, $2, $3)`, o.Text, o.ByWhen)
}

// AddProvision adds a Section F line. StaffUserID, if set, must be a member
// of staff at the school.
func (s *Store) AddProvision(ctx context.Context, a sen.Actor, planID int64, pr ehc.Provision) error {
	if fe := pr.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	var staff any
	if pr.StaffUserID != 0 {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2 AND active = $3`, pr.StaffUserID, a.User.SchoolID, true).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ehc.ErrStaffNotAtSchool()
		}
		staff = pr.StaffUserID
	}
	if !pr.Starts.IsZero() {
		var issued dbTime
		if err := s.db.QueryRowContext(ctx, `SELECT issued FROM ehc_plans WHERE id = $1 AND school_id = $2`, planID, a.User.SchoolID).Scan(&issued); err != nil {
			return notFound(err)
		}
		if fe := pr.CheckStarts(issued.T); fe != nil {
			return fe
		}
	}
	return s.planItem(ctx, a, planID, "ehc.plan.provision.add", `INSERT INTO ehc_provision (plan_id, description, sessions_per_week, minutes, delivered_by, staff_user_id, active, starts)
VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)`, pr.Description, pr.SessionsPerWeek, pr.Minutes, pr.DeliveredBy, staff, dateArg(pr.Starts))
}

func (s *Store) planItem(ctx context.Context, a sen.Actor, planID int64, action, q string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if fe := p.Changeable(); fe != nil {
			return fe
		}
		if _, err := tx.ExecContext(ctx, q, append([]any{planID}, args...)...); err != nil {
			return fmt.Errorf("store: %s: %w", action, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET version = version + 1, updated_at = $2 WHERE id = $1`, planID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, action, "ehc_plan", planID, p.PupilID, "")
	})
}

// RemovePlanItem removes a Section B need or Section E outcome, or ends a
// Section F line (kept, inactive, so its delivery history stays).
func (s *Store) RemovePlanItem(ctx context.Context, a sen.Actor, planID int64, kind string, itemID int64) error {
	var q string
	switch kind {
	case "need":
		q = `DELETE FROM ehc_plan_needs WHERE id = $2 AND plan_id = $1`
	case "outcome":
		q = `DELETE FROM ehc_outcomes WHERE id = $2 AND plan_id = $1`
	case "provision":
		q = `UPDATE ehc_provision SET active = FALSE WHERE id = $2 AND plan_id = $1`
	default:
		return sen.ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, q, planID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, a, "ehc.plan."+kind+".remove", "ehc_plan", planID, p.PupilID, fmt.Sprintf("item=%d", itemID))
	})
}

// RecordDelivery records one Section F session delivered or missed. Teachers
// and TAs may record only the lines they deliver for pupils they teach.
func (s *Store) RecordDelivery(ctx context.Context, a sen.Actor, provisionID int64, d ehc.Delivery) error {
	return s.RecordSession(ctx, a, provisionID, nil, d)
}

// RecordSession records one Section F session for the line provisionID and
// for each of the other pupils' lines in with (pupils who were in the same
// session): one delivery per line, each audited against its pupil, in one
// transaction, so all are recorded or none. Each line in with must be one
// of SessionPeers (the same provision, in another pupil's active plan the
// actor may see); any other is not found.
func (s *Store) RecordSession(ctx context.Context, a sen.Actor, provisionID int64, with []int64, d ehc.Delivery) error {
	if fe := d.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.recordDeliveryTx(ctx, tx, a, provisionID, d); err != nil {
			return err
		}
		if len(with) == 0 {
			return nil
		}
		peers, err := sessionPeersTx(ctx, tx, a, provisionID)
		if err != nil {
			return err
		}
		ok := map[int64]bool{}
		for _, p := range peers {
			ok[p.ProvisionID] = true
		}
		done := map[int64]bool{provisionID: true}
		for _, id := range with {
			if done[id] {
				continue
			}
			if !ok[id] {
				return sen.ErrNotFound
			}
			done[id] = true
			if err := s.recordDeliveryTx(ctx, tx, a, id, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) recordDeliveryTx(ctx context.Context, tx *sql.Tx, a sen.Actor, provisionID int64, d ehc.Delivery) error {
	var planID, pupilID int64
	var issued, starts dbTime
	err := tx.QueryRowContext(ctx, `SELECT pl.id, pl.pupil_id, pl.issued, pr.starts FROM ehc_provision pr JOIN ehc_plans pl ON pl.id = pr.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE pr.id = $1 AND pl.school_id = $3 AND pr.active = $4 AND pl.active = $4 AND `+staffFilter+` AND `+teachesSQL("$2"), provisionID, scopeUser(a), a.User.SchoolID, true).Scan(&planID, &pupilID, &issued, &starts)
	if err != nil {
		return notFound(err)
	}
	if fe := d.CheckDates(issued.T, starts.T); fe != nil {
		return fe
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_delivery (provision_id, session_date, minutes, delivered_by, missed, missed_reason, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, provisionID, dateArg(d.Date), d.Minutes, d.DeliveredBy, d.Missed, d.MissedReason, a.User.ID, s.now()); err != nil {
		return fmt.Errorf("store: delivery: %w", err)
	}
	detail := fmt.Sprintf("provision=%d", provisionID)
	if d.Missed {
		detail += " missed"
	}
	return s.audit(ctx, tx, a, "ehc.delivery.record", "ehc_plan", planID, pupilID, detail)
}

// SessionPeers lists the other pupils who may share a session of the
// Section F line provisionID: the active lines with the same description
// (ignoring case and surrounding spaces) in other pupils' active plans, that
// the actor may see and record (teachers and TAs: pupils they teach, lines
// they deliver). The list is audited with the pupils it shows.
func (s *Store) SessionPeers(ctx context.Context, a sen.Actor, provisionID int64) ([]ehc.SessionPeer, error) {
	var out []ehc.SessionPeer
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = sessionPeersTx(ctx, tx, a, provisionID); err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i, p := range out {
			ids[i] = p.PupilID
		}
		return s.auditList(ctx, tx, a, "ehc.delivery.peers", "ehc_provision", fmt.Sprintf("provision=%d rows=%d", provisionID, len(out)), ids)
	})
	return out, err
}

func sessionPeersTx(ctx context.Context, tx *sql.Tx, a sen.Actor, provisionID int64) ([]ehc.SessionPeer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT pr.id, pl.id, p.id, p.forename || ' ' || p.surname, p.year_group, p.class_name
FROM ehc_provision b JOIN ehc_plans bl ON bl.id = b.plan_id
JOIN ehc_provision pr ON pr.id <> b.id AND LOWER(TRIM(pr.description)) = LOWER(TRIM(b.description)) AND pr.active = $4
JOIN ehc_plans pl ON pl.id = pr.plan_id AND pl.school_id = bl.school_id AND pl.active = $4 AND pl.pupil_id <> bl.pupil_id
JOIN pupils p ON p.id = pl.pupil_id
WHERE b.id = $1 AND bl.school_id = $3 AND b.active = $4 AND bl.active = $4 AND ($2 = 0 OR b.staff_user_id = $2)
AND ($2 = 0 OR EXISTS (SELECT 1 FROM group_pupils gp JOIN group_staff gs ON gs.group_id = gp.group_id WHERE gp.pupil_id = bl.pupil_id AND gs.user_id = $2))
AND `+staffFilter+` AND `+teachesSQL("$2")+` AND `+onRollSQL+`
ORDER BY p.year_order, p.surname, p.forename, pr.id`, provisionID, scopeUser(a), a.User.SchoolID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.SessionPeer
	for rows.Next() {
		var p ehc.SessionPeer
		if err := rows.Scan(&p.ProvisionID, &p.PlanID, &p.PupilID, &p.PupilName, &p.YearGroup, &p.ClassName); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StaffOptions lists the school's active teachers, TAs and SENCOs, for
// choosing who delivers a Section F line.
func (s *Store) StaffOptions(ctx context.Context, a sen.Actor) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role FROM users WHERE school_id = $1 AND active = $2 AND role IN ('teacher', 'ta', 'senco', 'deputy_senco') ORDER BY name`,
		a.User.SchoolID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.User
	for rows.Next() {
		var u sen.User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role); err != nil {
			return nil, err
		}
		u.SchoolID = a.User.SchoolID
		out = append(out, u)
	}
	return out, rows.Err()
}

func minDate(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (s *Store) deliveryTotals(ctx context.Context, q queryer, a sen.Actor, yFrom, yTo, tFrom, tTo time.Time) (map[int64][6]int, error) {
	args := dateStr(yFrom) + " " + dateStr(yTo) + " " + dateStr(tFrom) + " " + dateStr(tTo)
	return cachedView(ctx, s, q, a, "section-f-delivery", args, func() (map[int64][6]int, error) {
		return deliverySums(ctx, q, a, yFrom, yTo, tFrom, tTo)
	})
}

func deliverySums(ctx context.Context, q queryer, a sen.Actor, yFrom, yTo, tFrom, tTo time.Time) (map[int64][6]int, error) {
	// Summed in SQL per line, so the cost does not grow with years of records.
	drows, err := q.QueryContext(ctx, `SELECT d.provision_id,
SUM(CASE WHEN d.missed THEN 0 ELSE 1 END), SUM(CASE WHEN d.missed THEN 0 ELSE d.minutes END), SUM(CASE WHEN d.missed THEN 1 ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND NOT d.missed THEN 1 ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND NOT d.missed THEN d.minutes ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND d.missed THEN 1 ELSE 0 END)
FROM ehc_delivery d JOIN ehc_provision pr ON pr.id = d.provision_id
JOIN ehc_plans pl ON pl.id = pr.plan_id WHERE pl.school_id = $1 AND `+staffFilter+` AND d.session_date >= $3 AND d.session_date <= $4
AND d.session_date >= pl.issued AND (pr.starts IS NULL OR d.session_date >= pr.starts)
GROUP BY d.provision_id`,
		a.User.SchoolID, scopeUser(a), dateArg(yFrom), dateArg(yTo), dateArg(tFrom), dateArg(tTo))
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	out := map[int64][6]int{}
	for drows.Next() {
		var pid int64
		var t [6]int
		if err := drows.Scan(&pid, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5]); err != nil {
			return nil, err
		}
		out[pid] = t
	}
	return out, drows.Err()
}

func dateStr(t time.Time) string { return t.Format("2006-01-02") }

// EndPlan records that the plan is no longer maintained: it becomes inactive
// (kept, with its sections, delivery and reviews), leaves the statutory
// calendar, and the pupil's register status changes from E to SEN support or
// no SEN from the end date. The LA's decision to cease follows an annual
// review (SEND Regs 2014 reg 20(10)) and can be appealed, so the end date is
// the day the plan actually stopped, recorded once it has.
func (s *Store) EndPlan(ctx context.Context, a sen.Actor, planID int64, e ehc.PlanEnd) error {
	if fe := e.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if err := p.CheckEnd(e); err != nil {
			return err
		}
		reason := e.Text()
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET active = $2, ended = $3, end_reason = $4, version = version + 1, updated_at = $5 WHERE id = $1`,
			planID, false, dateArg(e.Ended), reason, s.now()); err != nil {
			return err
		}
		from, err := s.appendStatusTx(ctx, tx, a, p.PupilID, e.NewStatus, e.Ended, sen.DecidedBySENCO(a.User.Name), ehc.EndedReason(reason))
		if err != nil {
			return err
		}
		if e.NewStatus == sen.StatusNone {
			// Census rule: a pupil with no SEN (N) has no SEN type recorded.
			if err := replaceNeeds(ctx, tx, p.PupilID, nil); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, a, "register.status", "pupil", p.PupilID, p.PupilID, fmt.Sprintf("status=%s from=%s via=ehc_plan_end:%d", e.NewStatus, dateStr(from), planID)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.plan.end", "ehc_plan", planID, p.PupilID, "reason="+e.Reason)
	})
}

// EndedPlans lists the school's plans that have ended, most recent first,
// reused while nothing in the school has changed (cachedView): shared
// between requests, so callers must not change it.
func (s *Store) EndedPlans(ctx context.Context, a sen.Actor) ([]ehc.Plan, error) {
	var out []ehc.Plan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = cachedView(ctx, s, tx, a, "ehc-ended-plans", "", func() ([]ehc.Plan, error) { return s.endedPlansTx(ctx, tx, a) })
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.list", "ehc_plan", 0, 0, fmt.Sprintf("ended rows=%d", len(out)))
	})
	return out, err
}

func (s *Store) endedPlansTx(ctx context.Context, q queryer, a sen.Actor) ([]ehc.Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.school_id = $1 AND pl.active = $3 AND `+teachesSQL("$2")+`
ORDER BY pl.ended DESC, pl.id DESC`, a.User.SchoolID, scopeUser(a), false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.Plan
	for rows.Next() {
		var p ehc.Plan
		if err := scanPlan(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
