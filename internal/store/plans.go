package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/plans"
	"opensend/internal/sen"
)

// insertCycle opens a new (draft) cycle for p. from, when given, is the
// cycle it follows: its text sections and sharing are copied.
func (s *Store) insertCycle(ctx context.Context, tx *sql.Tx, a sen.Actor, p sen.Pupil, start, review time.Time, from *plans.Cycle) (int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(cycle_no), 0) FROM plan_cycles WHERE pupil_id = $1`, p.ID).Scan(&n); err != nil {
		return 0, err
	}
	c := plans.Cycle{Share: plans.DefaultSharing()}
	if from != nil {
		c = *from
	}
	now := s.now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO plan_cycles (school_id, pupil_id, cycle_no, status, start_date, review_date, needs_summary, pupil_important, pupil_helps,
pupil_not_help, pupil_strengths, parent_views, staff_notes, share_needs, share_voice, share_parents, share_outcomes, share_strategies, share_support, share_notes,
version, created_by, created_at, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, $21, $22, $21, $22) RETURNING id`,
		p.SchoolID, p.ID, n+1, string(plans.Draft), dateArg(start), dateArg(review), c.NeedsSummary, c.PupilImportant, c.PupilHelps, c.PupilNotHelp,
		c.PupilStrengths, c.ParentViews, c.StaffNotes, c.Share.Needs, c.Share.Voice, c.Share.Parents, c.Share.Outcomes, c.Share.Strategies, c.Share.Support,
		c.Share.Notes, a.User.ID, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: new cycle: %w", err)
	}
	return id, s.audit(ctx, tx, a, "plan.create", "plan_cycle", id, p.ID, fmt.Sprintf("cycle=%d", n+1))
}

// CreateCycle opens a support plan for a pupil on SEN support (or with an
// EHC plan) who has no open cycle.
func (s *Store) CreateCycle(ctx context.Context, a sen.Actor, pupilID int64, start, review time.Time) (int64, error) {
	if fe := plans.ValidateCycleDates(start, review, time.Time{}, s.Today(), true); len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, _, err = s.createCycleTx(ctx, tx, a, pupilID, start, review)
		return err
	})
	return id, err
}

// createCycleTx opens a cycle (CreateCycle) in tx and returns it with the
// pupil's previous cycle (nil: none).
func (s *Store) createCycleTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64, start, review time.Time) (int64, *plans.Cycle, error) {
	p, err := s.pupilTx(ctx, tx, a, pupilID)
	if err != nil {
		return 0, nil, err
	}
	if p.Status == sen.StatusNone {
		return 0, nil, plans.ErrNotOnRegister()
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_cycles WHERE pupil_id = $1 AND status <> $2`, pupilID, string(plans.Reviewed)).Scan(&open); err != nil {
		return 0, nil, err
	}
	if open > 0 {
		return 0, nil, plans.ErrOpenCycle()
	}
	var prev *plans.Cycle
	if last, err := s.lastCycleTx(ctx, tx, pupilID); err == nil {
		prev = &last
	}
	id, err := s.insertCycle(ctx, tx, a, p, start, review, prev)
	return id, prev, err
}

const cycleCols = `c.id, c.pupil_id, c.cycle_no, c.status, c.start_date, c.review_date, c.needs_summary, c.pupil_important, c.pupil_helps, c.pupil_not_help,
c.pupil_strengths, c.parent_views, c.staff_notes, c.share_needs, c.share_voice, c.share_parents, c.share_outcomes, c.share_strategies, c.share_support,
c.share_notes, c.version, COALESCE(u.name, ''), c.updated_at, c.locked_at`

const cycleFrom = ` FROM plan_cycles c LEFT JOIN users u ON u.id = c.updated_by`

func scanCycle(sc interface{ Scan(...any) error }) (plans.Cycle, error) {
	var c plans.Cycle
	var status string
	var start, review, upd, locked dbTime
	err := sc.Scan(&c.ID, &c.PupilID, &c.Number, &status, &start, &review, &c.NeedsSummary, &c.PupilImportant, &c.PupilHelps, &c.PupilNotHelp,
		&c.PupilStrengths, &c.ParentViews, &c.StaffNotes, &c.Share.Needs, &c.Share.Voice, &c.Share.Parents, &c.Share.Outcomes, &c.Share.Strategies,
		&c.Share.Support, &c.Share.Notes, &c.Version, &c.UpdatedBy, &upd, &locked)
	c.Status = plans.Status(status)
	c.StartDate, c.Review, c.UpdatedAt, c.LockedAt = start.T, review.T, upd.T, locked.T
	return c, err
}

func (s *Store) lastCycleTx(ctx context.Context, tx *sql.Tx, pupilID int64) (plans.Cycle, error) {
	c, err := scanCycle(tx.QueryRowContext(ctx, `SELECT `+cycleCols+cycleFrom+` WHERE c.pupil_id = $1 ORDER BY c.cycle_no DESC LIMIT 1`, pupilID))
	if err != nil {
		return c, notFound(err)
	}
	return c, s.loadCycleChildren(ctx, tx, &c)
}

// cycleTx loads a cycle of the actor's school whose pupil the actor may see.
func (s *Store) cycleTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (plans.Cycle, sen.Pupil, error) {
	c, err := scanCycle(tx.QueryRowContext(ctx, `SELECT `+cycleCols+cycleFrom+` WHERE c.id = $1 AND c.school_id = $2`, id, a.User.SchoolID))
	if err != nil {
		return c, sen.Pupil{}, notFound(err)
	}
	p, err := s.pupilTx(ctx, tx, a, c.PupilID)
	if err != nil {
		return c, p, err
	}
	return c, p, s.loadCycleChildren(ctx, tx, &c)
}

func (s *Store) loadCycleChildren(ctx context.Context, tx *sql.Tx, c *plans.Cycle) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, outcome, success_criteria, baseline, target_date, COALESCE(carried_from, 0), rating, rating_evidence
FROM plan_outcomes WHERE cycle_id = $1 ORDER BY position, id`, c.ID)
	if err != nil {
		return err
	}
	c.Outcomes = nil
	for rows.Next() {
		o := plans.Outcome{CycleID: c.ID}
		var td dbTime
		var rating string
		if err := rows.Scan(&o.ID, &o.Text, &o.SuccessCriteria, &o.Baseline, &td, &o.CarriedFrom, &rating, &o.RatingEvidence); err != nil {
			rows.Close()
			return err
		}
		o.TargetDate, o.Rating = td.T, plans.Rating(rating)
		c.Outcomes = append(c.Outcomes, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, COALESCE(bank_id, 0), text FROM plan_strategies WHERE cycle_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	c.Strategies = nil
	for rows.Next() {
		var st plans.Strategy
		if err := rows.Scan(&st.ID, &st.BankID, &st.Text); err != nil {
			rows.Close()
			return err
		}
		c.Strategies = append(c.Strategies, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, what, who, frequency, duration, start_date FROM plan_support WHERE cycle_id = $1 ORDER BY start_date, id`, c.ID)
	if err != nil {
		return err
	}
	c.Support = nil
	for rows.Next() {
		var su plans.Support
		var sd dbTime
		if err := rows.Scan(&su.ID, &su.What, &su.Who, &su.Frequency, &su.Duration, &sd); err != nil {
			rows.Close()
			return err
		}
		su.StartDate = sd.T
		c.Support = append(c.Support, su)
	}
	rows.Close()
	return rows.Err()
}

// SupportPlanView is a cycle with everything shown on its page.
type SupportPlanView struct {
	Pupil      sen.Pupil
	Cycle      plans.Cycle
	Cycles     []plans.Cycle // all the pupil's cycles, newest first (no children)
	Review     *plans.Review
	Log        []plans.LogEntry
	Amendments []PlanAmendment
}

// PlanAmendment is a correction to a locked cycle.
type PlanAmendment struct {
	Field, Old, New, Reason, By string
	At                          time.Time
}

// Plan opens a cycle with its review, do-log and amendments and audits the read.
func (s *Store) SupportPlan(ctx context.Context, a sen.Actor, cycleID int64, purpose string) (SupportPlanView, error) {
	var v SupportPlanView
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		v.Cycle, v.Pupil, err = s.cycleTx(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if err := s.fillPlanView(ctx, tx, &v); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "plan.read", "plan_cycle", cycleID, v.Pupil.ID, purpose)
	})
	return v, err
}

// CurrentSupportPlan opens a pupil's current cycle (the open one, else the latest
// reviewed one). ok is false when the pupil has no plan yet.
func (s *Store) CurrentSupportPlan(ctx context.Context, a sen.Actor, pupilID int64, purpose string) (SupportPlanView, bool, error) {
	var v SupportPlanView
	found := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		v.Pupil, err = s.pupilTx(ctx, tx, a, pupilID)
		if err != nil {
			return err
		}
		c, err := scanCycle(tx.QueryRowContext(ctx, `SELECT `+cycleCols+cycleFrom+` WHERE c.pupil_id = $1 ORDER BY c.cycle_no DESC LIMIT 1`, pupilID))
		if err == nil {
			found = true
			v.Cycle = c
			if err := s.loadCycleChildren(ctx, tx, &v.Cycle); err != nil {
				return err
			}
		} else if err != sql.ErrNoRows {
			return err
		}
		if err := s.fillPlanView(ctx, tx, &v); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "plan.read", "plan_cycle", v.Cycle.ID, pupilID, purpose)
	})
	return v, found, err
}

func (s *Store) fillPlanView(ctx context.Context, tx *sql.Tx, v *SupportPlanView) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+cycleCols+cycleFrom+` WHERE c.pupil_id = $1 ORDER BY c.cycle_no DESC`, v.Pupil.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		c, err := scanCycle(rows)
		if err != nil {
			rows.Close()
			return err
		}
		v.Cycles = append(v.Cycles, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || v.Cycle.ID == 0 {
		return err
	}
	r, err := supportReviewTx(ctx, tx, v.Cycle.ID)
	if err == nil {
		v.Review = &r
	} else if err != sql.ErrNoRows {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT l.id, l.outcome_id, o.outcome, l.entry_date, l.did, l.response, COALESCE(u.name, ''), l.created_at
FROM plan_log l JOIN plan_outcomes o ON o.id = l.outcome_id LEFT JOIN users u ON u.id = l.created_by WHERE l.cycle_id = $1 ORDER BY l.entry_date DESC, l.id DESC`, v.Cycle.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		l := plans.LogEntry{CycleID: v.Cycle.ID}
		var d, at dbTime
		if err := rows.Scan(&l.ID, &l.OutcomeID, &l.Outcome, &d, &l.Did, &l.Response, &l.By, &at); err != nil {
			rows.Close()
			return err
		}
		l.Date, l.At = d.T, at.T
		v.Log = append(v.Log, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT m.field, m.old_value, m.new_value, m.reason, COALESCE(u.name, ''), m.amended_at FROM plan_amendments m
LEFT JOIN users u ON u.id = m.amended_by WHERE m.cycle_id = $1 ORDER BY m.id`, v.Cycle.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m PlanAmendment
		var at dbTime
		if err := rows.Scan(&m.Field, &m.Old, &m.New, &m.Reason, &m.By, &at); err != nil {
			return err
		}
		m.At = at.T
		v.Amendments = append(v.Amendments, m)
	}
	return rows.Err()
}

func supportReviewTx(ctx context.Context, tx *sql.Tx, cycleID int64) (plans.Review, error) {
	r := plans.Review{CycleID: cycleID}
	var md, at dbTime
	err := tx.QueryRowContext(ctx, `SELECT r.meeting_date, r.pupil_attended, r.parents, r.staff, r.professionals, r.pupil_comments, r.parent_comments, r.next_steps,
COALESCE(u.name, ''), r.completed_at FROM plan_reviews r LEFT JOIN users u ON u.id = r.completed_by WHERE r.cycle_id = $1`, cycleID).
		Scan(&md, &r.PupilAttended, &r.Parents, &r.Staff, &r.Professionals, &r.PupilComments, &r.ParentComments, &r.NextSteps, &r.CompletedBy, &at)
	r.MeetingDate, r.CompletedAt = md.T, at.T
	return r, err
}

// editable loads a cycle for change: it must exist, be visible, match the
// version the editor read, and not be locked.
func (s *Store) spEditable(ctx context.Context, tx *sql.Tx, a sen.Actor, cycleID, version int64) (plans.Cycle, sen.Pupil, error) {
	c, p, err := s.cycleTx(ctx, tx, a, cycleID)
	if err != nil {
		return c, p, err
	}
	if c.Version != version {
		return c, p, plans.ErrChangedBy(c.UpdatedBy, c.UpdatedAt)
	}
	if !plans.Editable(c.Status) {
		return c, p, plans.ErrLocked()
	}
	return c, p, nil
}

func (s *Store) spBump(ctx context.Context, tx *sql.Tx, a sen.Actor, cycleID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE plan_cycles SET version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $1`, cycleID, a.User.ID, s.now())
	return err
}

// UpdateCycle saves a cycle's text sections, dates and sharing. c.Version
// must be the version that was read (optimistic locking).
func (s *Store) UpdateCycle(ctx context.Context, a sen.Actor, c *plans.Cycle) error {
	if fe := c.ValidateText(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, p, err := s.spEditable(ctx, tx, a, c.ID, c.Version)
		if err != nil {
			return err
		}
		if fe := plans.ValidateCycleDates(c.StartDate, c.Review, old.Review, s.Today(), false); len(fe) > 0 {
			return fe
		}
		if !c.StartDate.Equal(old.StartDate) {
			for _, o := range old.Outcomes {
				if !o.TargetDate.After(c.StartDate) {
					return plans.ErrStartAfterTarget(o.TargetDate)
				}
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE plan_cycles SET start_date = $3, review_date = $4, needs_summary = $5, pupil_important = $6, pupil_helps = $7,
pupil_not_help = $8, pupil_strengths = $9, parent_views = $10, staff_notes = $11, share_needs = $12, share_voice = $13, share_parents = $14,
share_outcomes = $15, share_strategies = $16, share_support = $17, share_notes = $18, version = version + 1, updated_by = $19, updated_at = $20
WHERE id = $1 AND version = $2`, c.ID, c.Version, dateArg(c.StartDate), dateArg(c.Review), c.NeedsSummary, c.PupilImportant, c.PupilHelps, c.PupilNotHelp,
			c.PupilStrengths, c.ParentViews, c.StaffNotes, c.Share.Needs, c.Share.Voice, c.Share.Parents, c.Share.Outcomes, c.Share.Strategies, c.Share.Support,
			c.Share.Notes, a.User.ID, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return plans.ErrSavedFirst()
		}
		c.Version++
		return s.audit(ctx, tx, a, "plan.update", "plan_cycle", c.ID, p.ID, cycleDiff(old, *c))
	})
}

func cycleDiff(a, b plans.Cycle) string {
	var f []string
	add := func(name string, changed bool) {
		if changed {
			f = append(f, name)
		}
	}
	add("start_date", !a.StartDate.Equal(b.StartDate))
	add("review_date", !a.Review.Equal(b.Review))
	add("needs_summary", a.NeedsSummary != b.NeedsSummary)
	add("pupil_voice", a.PupilImportant != b.PupilImportant || a.PupilHelps != b.PupilHelps || a.PupilNotHelp != b.PupilNotHelp || a.PupilStrengths != b.PupilStrengths)
	add("parent_views", a.ParentViews != b.ParentViews)
	add("staff_notes", a.StaffNotes != b.StaffNotes)
	add("sharing", a.Share != b.Share)
	if len(f) == 0 {
		return "no changes"
	}
	return "changed: " + strings.Join(f, ", ")
}

// AddSupportOutcome adds an outcome to an open cycle.
func (s *Store) AddSupportOutcome(ctx context.Context, a sen.Actor, cycleID, version int64, o *plans.Outcome) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if fe := o.Validate(c.StartDate, c.Review, s.Today()); len(fe) > 0 {
			return fe
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_outcomes (cycle_id, position, outcome, success_criteria, baseline, target_date)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, cycleID, len(c.Outcomes)+1, o.Text, o.SuccessCriteria, o.Baseline, dateArg(o.TargetDate)).Scan(&o.ID); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindOutcome, plans.ChangeAdded, "", o.Describe()); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.outcome.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("outcome=%d", o.ID))
	})
}

// RemoveSupportPlanItem removes an outcome, strategy or support entry from an open
// cycle. An outcome with do-log entries cannot be removed.
func (s *Store) RemoveSupportPlanItem(ctx context.Context, a sen.Actor, cycleID, version int64, kind string, itemID int64) error {
	table := map[string]string{"outcome": "plan_outcomes", "strategy": "plan_strategies", "support": "plan_support"}[kind]
	if table == "" {
		return sen.ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if kind == "outcome" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_log WHERE outcome_id = $1`, itemID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return plans.ErrOutcomeHasWork()
			}
		}
		// table is one of three fixed names above, never user input.
		res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1 AND cycle_id = $2`, itemID, cycleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if err := s.itemAmend(ctx, tx, a, c, kind, plans.ChangeRemoved, describeItem(c, kind, itemID), ""); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan."+kind+".remove", "plan_cycle", cycleID, p.ID, fmt.Sprintf("%s=%d", kind, itemID))
	})
}

// AddPlanStrategy adds a strategy from the bank (bankID) or free text.
func (s *Store) AddPlanStrategy(ctx context.Context, a sen.Actor, cycleID, version, bankID int64, text string) error {
	text = strings.TrimSpace(text)
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		var bank any
		var title, desc string
		inBank := false
		if bankID != 0 {
			inBank = tx.QueryRowContext(ctx, `SELECT title, description FROM strategy_bank WHERE id = $1 AND (school_id IS NULL OR school_id = $2)
AND NOT EXISTS (SELECT 1 FROM strategy_bank_retired r WHERE r.school_id = $2 AND r.bank_id = strategy_bank.id)`, bankID, p.SchoolID).Scan(&title, &desc) == nil
		}
		if fe := plans.CheckStrategy(c, bankID, inBank, text); len(fe) > 0 {
			return fe
		}
		if bankID != 0 {
			bank, text = bankID, title+": "+desc
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_strategies (cycle_id, bank_id, text) VALUES ($1, $2, $3) RETURNING id`, cycleID, bank, text).Scan(&id); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindStrategy, plans.ChangeAdded, "", text); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.strategy.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("strategy=%d bank=%d", id, bankID))
	})
}

// AddPlanSupport adds a piece of support to an open cycle.
func (s *Store) AddPlanSupport(ctx context.Context, a sen.Actor, cycleID, version int64, su *plans.Support) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if fe := su.Validate(c.StartDate, s.Today()); len(fe) > 0 {
			return fe
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_support (cycle_id, what, who, frequency, duration, start_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			cycleID, su.What, su.Who, su.Frequency, su.Duration, dateArg(su.StartDate)).Scan(&su.ID); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindSupport, plans.ChangeAdded, "", su.Describe()); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.support.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("support=%d", su.ID))
	})
}

// ActivateCycle makes a draft cycle the active plan once it has outcomes.
func (s *Store) ActivateCycle(ctx context.Context, a sen.Actor, cycleID, version int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if !plans.CanTransition(c.Status, plans.Active) {
			return plans.ErrNotDraft()
		}
		if fe := plans.CheckActivate(c, s.Today()); len(fe) > 0 {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_cycles SET status = $2, version = version + 1, updated_by = $3, updated_at = $4 WHERE id = $1`,
			cycleID, string(plans.Active), a.User.ID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.activate", "plan_cycle", cycleID, p.ID, "")
	})
}

// CompleteSupportReview records the review meeting of an active cycle, rates each
// outcome, locks the cycle as a record and opens the next cycle (draft),
// carrying forward the outcomes the SENCO chose and the cycle's strategies
// and support. It returns the new cycle's id. CoP 6.52–6.56.
func (s *Store) CompleteSupportReview(ctx context.Context, a sen.Actor, cycleID, version int64, r *plans.Review) (int64, error) {
	var next int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if !plans.CanTransition(c.Status, plans.Reviewed) {
			return plans.ErrNotActive()
		}
		if fe := r.Validate(c, s.Today()); len(fe) > 0 {
			return fe
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_reviews (cycle_id, school_id, pupil_id, meeting_date, agreed_date, pupil_attended, parents, staff, professionals,
pupil_comments, parent_comments, next_steps, completed_by, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			cycleID, p.SchoolID, p.ID, dateArg(r.MeetingDate), dateArg(c.Review), r.PupilAttended, r.Parents, r.Staff, r.Professionals, r.PupilComments,
			r.ParentComments, r.NextSteps, a.User.ID, now); err != nil {
			if isUnique(err) {
				return plans.ErrAlreadyReviewed()
			}
			return err
		}
		for _, o := range c.Outcomes {
			if _, err := tx.ExecContext(ctx, `UPDATE plan_outcomes SET rating = $2, rating_evidence = $3 WHERE id = $1`, o.ID, string(r.Ratings[o.ID]),
				strings.TrimSpace(r.Evidence[o.ID])); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_cycles SET status = $2, locked_at = $3, version = version + 1, updated_by = $4, updated_at = $3 WHERE id = $1`,
			cycleID, string(plans.Reviewed), now, a.User.ID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "plan.review", "plan_cycle", cycleID, p.ID, fmt.Sprintf("meeting=%s", r.MeetingDate.Format("2006-01-02"))); err != nil {
			return err
		}
		next, err = s.insertCycle(ctx, tx, a, p, r.MeetingDate, r.NextReview, &c)
		if err != nil {
			return err
		}
		pos := 0
		for _, o := range c.Outcomes {
			if !r.CarryForward[o.ID] {
				continue
			}
			pos++
			target := o.TargetDate
			if !target.After(r.MeetingDate) {
				target = r.NextReview
			}
			// The carried outcome starts from the level the review recorded.
			baseline := plans.CarriedBaseline(o, r.Ratings[o.ID], r.Evidence[o.ID], r.MeetingDate)
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_outcomes (cycle_id, position, outcome, success_criteria, baseline, target_date, carried_from)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, next, pos, o.Text, o.SuccessCriteria, baseline, dateArg(target), o.ID); err != nil {
				return err
			}
		}
		for _, st := range c.Strategies {
			var bank any
			if st.BankID != 0 {
				bank = st.BankID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_strategies (cycle_id, bank_id, text) VALUES ($1, $2, $3)`, next, bank, st.Text); err != nil {
				return err
			}
		}
		for _, su := range c.Support {
			start := su.StartDate
			if start.Before(r.MeetingDate) {
				start = r.MeetingDate
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_support (cycle_id, what, who, frequency, duration, start_date) VALUES ($1, $2, $3, $4, $5, $6)`,
				next, su.What, su.Who, su.Frequency, su.Duration, dateArg(start)); err != nil {
				return err
			}
		}
		return nil
	})
	return next, err
}

// AmendLockedCycle corrects one text field of a reviewed (locked) cycle,
// keeping the old and new text and the reason. Audited.
func (s *Store) AmendLockedCycle(ctx context.Context, a sen.Actor, cycleID int64, field, value, reason string) error {
	am := plans.Amendment{Field: field, Value: strings.TrimSpace(value), Reason: strings.TrimSpace(reason)}
	if fe := am.Validate(); len(fe) > 0 {
		return fe
	}
	value, reason, label := am.Value, am.Reason, am.Label()
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.cycleTx(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if !c.Locked() {
			return plans.ErrNotLocked()
		}
		// Column names come from the fixed plans.AmendableFields list (Validate
		// refused any other field), never from input.
		table, col, key := "plan_cycles", field, "id"
		if strings.HasPrefix(field, "review_") {
			table, col, key = "plan_reviews", strings.TrimPrefix(field, "review_"), "cycle_id"
		}
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT `+col+` FROM `+table+` WHERE `+key+` = $1`, cycleID).Scan(&old); err != nil {
			return notFound(err)
		}
		if fe := am.CheckChange(old); len(fe) > 0 {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = $2 WHERE `+key+` = $1`, cycleID, value); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_amendments (cycle_id, field, old_value, new_value, reason, amended_by, amended_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			cycleID, label, old, value, reason, a.User.ID, s.now()); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.amend", "plan_cycle", cycleID, p.ID, "field="+field)
	})
}

// AddDoLog records what an adult did against an outcome of the active cycle
// and how the pupil responded. Teachers and TAs may log for pupils they teach.
func (s *Store) AddDoLog(ctx context.Context, a sen.Actor, l *plans.LogEntry) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.cycleTx(ctx, tx, a, l.CycleID)
		if err != nil {
			return err
		}
		if c.Status != plans.Active {
			return plans.ErrLogNotActive()
		}
		found := false
		for _, o := range c.Outcomes {
			found = found || o.ID == l.OutcomeID
		}
		if !found {
			l.OutcomeID = 0
		}
		if fe := l.Validate(c.StartDate, s.Today()); len(fe) > 0 {
			return fe
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_log (cycle_id, outcome_id, entry_date, did, response, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.ID, l.OutcomeID, dateArg(l.Date), l.Did, l.Response, a.User.ID, s.now()).Scan(&l.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.log", "plan_cycle", c.ID, p.ID, fmt.Sprintf("outcome=%d", l.OutcomeID))
	})
}

// StrategyBank searches the bank by text, broad area and census need type.
func (s *Store) StrategyBank(ctx context.Context, a sen.Actor, q, area, need string) ([]plans.BankStrategy, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+bankCols+` FROM strategy_bank b
WHERE (b.school_id IS NULL OR b.school_id = $1) AND b.search_text LIKE $2 AND ($3 = '' OR b.area = $3) AND ($4 = '' OR b.need_code = $4 OR b.need_code = '')
AND NOT EXISTS (SELECT 1 FROM strategy_bank_retired r WHERE r.school_id = $1 AND r.bank_id = b.id)
ORDER BY b.area, b.need_code, b.title`, a.User.SchoolID, "%"+strings.ToLower(strings.TrimSpace(q))+"%", area, need)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plans.BankStrategy
	for rows.Next() {
		b, err := scanBank(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Passport reads a pupil's passport and audits the read. ok is false when
// none has been saved yet.
func (s *Store) Passport(ctx context.Context, a sen.Actor, pupilID int64) (plans.Passport, sen.Pupil, bool, error) {
	var pp plans.Passport
	var p sen.Pupil
	ok := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.pupilTx(ctx, tx, a, pupilID)
		if err != nil {
			return err
		}
		pp, err = passportTx(ctx, tx, pupilID)
		if err == nil {
			ok = true
		} else if err != sql.ErrNoRows {
			return err
		}
		return s.auditRead(ctx, tx, a, "passport.read", "pupil", pupilID, pupilID, "")
	})
	return pp, p, ok, err
}

func passportTx(ctx context.Context, tx *sql.Tx, pupilID int64) (plans.Passport, error) {
	pp := plans.Passport{PupilID: pupilID}
	var at dbTime
	err := tx.QueryRowContext(ctx, `SELECT x.about_me, x.strengths, x.needs, x.helps, x.not_helps, COALESCE(x.from_cycle, 0), x.version, COALESCE(u.name, ''), x.updated_at
FROM passports x LEFT JOIN users u ON u.id = x.updated_by WHERE x.pupil_id = $1`, pupilID).
		Scan(&pp.AboutMe, &pp.Strengths, &pp.Needs, &pp.Helps, &pp.NotHelps, &pp.FromCycle, &pp.Version, &pp.UpdatedBy, &at)
	pp.UpdatedAt = at.T
	return pp, err
}

// SavePassport creates (Version 0) or updates (Version as read) a passport.
func (s *Store) SavePassport(ctx context.Context, a sen.Actor, pp *plans.Passport) error {
	if fe := pp.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.pupilTx(ctx, tx, a, pp.PupilID)
		if err != nil {
			return err
		}
		var from any
		if pp.FromCycle != 0 {
			from = pp.FromCycle
		}
		conflict := plans.ErrPassportChanged()
		if pp.Version == 0 {
			_, err := tx.ExecContext(ctx, `INSERT INTO passports (school_id, pupil_id, about_me, strengths, needs, helps, not_helps, from_cycle, version, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10)`, p.SchoolID, p.ID, pp.AboutMe, pp.Strengths, pp.Needs, pp.Helps, pp.NotHelps, from, a.User.ID, s.now())
			if isUnique(err) {
				return conflict
			}
			if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE passports SET about_me = $3, strengths = $4, needs = $5, helps = $6, not_helps = $7, from_cycle = COALESCE($8, from_cycle),
version = version + 1, updated_by = $9, updated_at = $10 WHERE pupil_id = $1 AND version = $2`, p.ID, pp.Version, pp.AboutMe, pp.Strengths, pp.Needs, pp.Helps,
				pp.NotHelps, from, a.User.ID, s.now())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return conflict
			}
		}
		pp.Version++
		return s.audit(ctx, tx, a, "passport.save", "pupil", p.ID, p.ID, "")
	})
}

// DashItem is one pupil line on the SENCO dashboard.
type DashItem struct {
	PupilID  int64
	Name     string
	Class    string
	CycleID  int64
	Concern  int64 // the monitoring decision to review
	Date     time.Time
	Count    int
	Overdue  bool
	Decision string
}

// SencoDash is what the SENCO needs to act on today.
type SencoDash struct {
	Concerns        []plans.Concern
	OldestWait      int
	DueSoon         []DashItem
	Overdue         []DashItem
	NoPlan          []DashItem
	NoOutcomes      []DashItem
	FewMeetings     []DashItem
	Monitoring      []DashItem // "monitor" decisions due for review in 14 days or overdue
	ActivePlans     int
	ReviewsThisYear int
	OnTimeThisYear  int
}

// pupilIDs are the pupils the dashboard lists.
func (d SencoDash) pupilIDs() []int64 {
	var ids []int64
	for _, c := range d.Concerns {
		ids = append(ids, c.PupilID)
	}
	for _, l := range [][]DashItem{d.DueSoon, d.Overdue, d.NoPlan, d.NoOutcomes, d.FewMeetings, d.Monitoring} {
		for _, it := range l {
			ids = append(ids, it.PupilID)
		}
	}
	return ids
}

// Dashboard builds the SENCO dashboard with today's rules (plans package)
// and audits that it was read.
func (s *Store) SencoDashboard(ctx context.Context, a sen.Actor) (SencoDash, error) {
	var d SencoDash
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = cachedView(ctx, s, tx, a, "senco-dashboard", "", func() (SencoDash, error) {
			return s.sencoDashTx(ctx, tx, a.User.SchoolID)
		})
		if err != nil {
			return err
		}
		// One row for the view, linked to every pupil the dashboard lists.
		ids := uniqueIDs(d.pupilIDs())
		return s.auditList(ctx, tx, a, "dashboard.read", "dashboard", fmt.Sprintf("senco rows=%d", len(ids)), ids)
	})
	return d, err
}

// sencoDashTx computes the dashboard from the school's records.
func (s *Store) sencoDashTx(ctx context.Context, tx *sql.Tx, schoolID int64) (SencoDash, error) {
	var d SencoDash
	today := s.Today()
	err := func() error {
		rows, err := tx.QueryContext(ctx, `SELECT `+concernCols+concernFrom+` WHERE c.school_id = $1 AND c.is_open = $2 AND `+onRollSQL+` ORDER BY c.raised_at, c.id`, schoolID, true)
		if err != nil {
			return err
		}
		for rows.Next() {
			c, err := scanConcern(rows)
			if err != nil {
				rows.Close()
				return err
			}
			d.Concerns = append(d.Concerns, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(d.Concerns) > 0 {
			d.OldestWait = d.Concerns[0].Waited(today)
		}
		// Open cycles: reviews due and overdue, plans without outcomes.
		rows, err = tx.QueryContext(ctx, `SELECT c.id, c.pupil_id, p.forename || ' ' || p.surname, p.class_name, c.status, c.review_date,
(SELECT COUNT(*) FROM plan_outcomes o WHERE o.cycle_id = c.id) FROM plan_cycles c JOIN pupils p ON p.id = c.pupil_id
WHERE c.school_id = $1 AND c.status IN ($2, $3) AND `+onRollSQL+` ORDER BY c.review_date, p.surname`, schoolID, string(plans.Draft), string(plans.Active))
		if err != nil {
			return err
		}
		open := map[int64]bool{}
		for rows.Next() {
			var it DashItem
			var status string
			var rd dbTime
			if err := rows.Scan(&it.CycleID, &it.PupilID, &it.Name, &it.Class, &status, &rd, &it.Count); err != nil {
				rows.Close()
				return err
			}
			it.Date = rd.T
			open[it.PupilID] = true
			if status == string(plans.Active) {
				d.ActivePlans++
			}
			switch plans.StateOf(it.Date, today) {
			case plans.ReviewOverdue:
				it.Overdue = true
				d.Overdue = append(d.Overdue, it)
			case plans.ReviewDueSoon:
				d.DueSoon = append(d.DueSoon, it)
			}
			if it.Count == 0 {
				d.NoOutcomes = append(d.NoOutcomes, it)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		meetings, err := parentMeetings(ctx, tx, schoolID, today.AddDate(-1, 0, 0))
		if err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT p.id, p.forename || ' ' || p.surname, p.class_name FROM pupils p WHERE p.school_id = $1 AND p.sen_status = $2 AND `+onRollSQL+`
ORDER BY p.surname, p.forename`, schoolID, sen.StatusSupport)
		if err != nil {
			return err
		}
		for rows.Next() {
			var it DashItem
			if err := rows.Scan(&it.PupilID, &it.Name, &it.Class); err != nil {
				rows.Close()
				return err
			}
			if !open[it.PupilID] {
				d.NoPlan = append(d.NoPlan, it)
			}
			if plans.ShortOfMeetings(meetings[it.PupilID], today) {
				it.Count = plans.MeetingsInLastYear(meetings[it.PupilID], today)
				d.FewMeetings = append(d.FewMeetings, it)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Monitoring decisions whose review date is near or past, until a
		// later concern (such as the monitoring review) supersedes them.
		rows, err = tx.QueryContext(ctx, `SELECT c.id, c.pupil_id, p.forename || ' ' || p.surname, p.class_name, c.monitor_review
FROM concerns c JOIN pupils p ON p.id = c.pupil_id
WHERE c.school_id = $1 AND c.is_open = $2 AND c.decision = $3 AND c.monitor_review <= $4 AND NOT EXISTS (`+laterConcernSQL+`) AND `+onRollSQL+`
ORDER BY c.monitor_review, p.surname, c.id`, schoolID, false, string(plans.Monitor), dateArg(today.AddDate(0, 0, plans.DueSoonDays)))
		if err != nil {
			return err
		}
		for rows.Next() {
			var it DashItem
			var md dbTime
			if err := rows.Scan(&it.Concern, &it.PupilID, &it.Name, &it.Class, &md); err != nil {
				rows.Close()
				return err
			}
			it.Date = md.T
			it.Overdue = it.Date.Before(today)
			d.Monitoring = append(d.Monitoring, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.supportReviewCounts(ctx, tx, schoolID, today, &d.ReviewsThisYear, &d.OnTimeThisYear)
	}()
	return d, err
}

func (s *Store) supportReviewCounts(ctx context.Context, tx *sql.Tx, schoolID int64, today time.Time, held, onTime *int) error {
	rows, err := tx.QueryContext(ctx, `SELECT meeting_date, agreed_date FROM plan_reviews WHERE school_id = $1 AND meeting_date >= $2`,
		schoolID, dateArg(plans.AcademicYearStart(today)))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m, ag dbTime
		if err := rows.Scan(&m, &ag); err != nil {
			return err
		}
		*held++
		if plans.OnTime(ag.T, m.T) {
			*onTime++
		}
	}
	return rows.Err()
}

// SupportPlanCounts are the governors' figures: no pupil is identified.
type SupportPlanCounts struct {
	ActivePlans     int
	ReviewsThisYear int
	OnTimeThisYear  int
}

// GovernorPlanCounts counts active plans and reviews held (and on time)
// this academic year.
func (s *Store) GovernorPlanCounts(ctx context.Context, schoolID int64) (SupportPlanCounts, error) {
	var pc SupportPlanCounts
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_cycles WHERE school_id = $1 AND status = $2`, schoolID, string(plans.Active)).Scan(&pc.ActivePlans); err != nil {
			return err
		}
		return s.supportReviewCounts(ctx, tx, schoolID, s.Today(), &pc.ReviewsThisYear, &pc.OnTimeThisYear)
	})
	return pc, err
}

// MyPupil is one line of a teacher's "My pupils with SEN".
type MyPupil struct {
	Pupil      sen.Pupil
	Cycle      *plans.Cycle
	Passport   *plans.Passport
	PlanStatus string
}

// MyPupils lists the SEN pupils the actor may see (teachers/TAs: those they
// teach), optionally in one class, with their current plan and passport.
// The view is audited once (ViewMyPupils), linked to each pupil listed.
func (s *Store) MyPupils(ctx context.Context, a sen.Actor, class string) ([]MyPupil, error) {
	var out []MyPupil
	err := s.tx(ctx, func(tx *sql.Tx) error {
		f := PupilFilter{Status: "SEN", ClassName: class, Limit: 500}
		list, _, err := s.listPupils(ctx, tx, a, f)
		if err != nil {
			return err
		}
		out = make([]MyPupil, 0, len(list))
		ids := make([]int64, 0, len(list))
		for _, p := range list {
			mp := MyPupil{Pupil: p, PlanStatus: plans.PlanStatusOf(nil)}
			c, err := scanCycle(tx.QueryRowContext(ctx, `SELECT `+cycleCols+cycleFrom+` WHERE c.pupil_id = $1 AND c.school_id = $2 ORDER BY c.cycle_no DESC LIMIT 1`, p.ID, a.User.SchoolID))
			switch {
			case err == nil:
				if err := s.loadCycleChildren(ctx, tx, &c); err != nil {
					return err
				}
				mp.Cycle = &c
				mp.PlanStatus = plans.PlanStatusOf(&c)
			case err != sql.ErrNoRows:
				return err
			}
			pp, err := passportTx(ctx, tx, p.ID)
			if err == nil {
				mp.Passport = &pp
			} else if err != sql.ErrNoRows {
				return err
			}
			out = append(out, mp)
			ids = append(ids, p.ID)
		}
		return s.auditList(ctx, tx, a, string(ViewMyPupils), "pupils", fmt.Sprintf("rows=%d filter=%s", len(list), f.auditString()), ids)
	})
	return out, err
}
