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

// Editing a support plan's items, adding several at once, and starting a
// cycle from the previous one or a template. A change to an active cycle
// (its "do" phase) is kept as an amendment: who, when, old and new.

// itemAmend records a change to an item of active cycle c (nothing for a draft).
func (s *Store) itemAmend(ctx context.Context, tx *sql.Tx, a sen.Actor, c plans.Cycle, kind, change, old, new string) error {
	if !plans.Amended(c.Status) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO plan_amendments (cycle_id, field, old_value, new_value, reason, amended_by, amended_at) VALUES ($1, $2, $3, $4, '', $5, $6)`,
		c.ID, plans.AmendedField(kind, change), old, new, a.User.ID, s.now())
	return err
}

// UpdateSupportOutcome changes an outcome of an open cycle (version: the
// cycle's, as read).
func (s *Store) UpdateSupportOutcome(ctx context.Context, a sen.Actor, cycleID, version int64, o *plans.Outcome) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		var old plans.Outcome
		for _, x := range c.Outcomes {
			if x.ID == o.ID {
				old = x
			}
		}
		if old.ID == 0 {
			return sen.ErrNotFound
		}
		if fe := o.ValidateEdit(old, c.StartDate, c.Review, s.Today()); len(fe) > 0 {
			return fe
		}
		if o.Same(old) {
			return plans.ErrNoChange("outcome")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_outcomes SET outcome = $3, success_criteria = $4, baseline = $5, target_date = $6 WHERE id = $1 AND cycle_id = $2`,
			o.ID, cycleID, o.Text, o.SuccessCriteria, o.Baseline, dateArg(o.TargetDate)); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindOutcome, plans.ChangeEdited, old.Describe(), o.Describe()); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.outcome.edit", "plan_cycle", cycleID, p.ID, fmt.Sprintf("outcome=%d", o.ID))
	})
}

// UpdatePlanStrategy changes a strategy's text in an open cycle.
func (s *Store) UpdatePlanStrategy(ctx context.Context, a sen.Actor, cycleID, version, strategyID int64, text string) error {
	text = strings.TrimSpace(text)
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		var old plans.Strategy
		for _, x := range c.Strategies {
			if x.ID == strategyID {
				old = x
			}
		}
		if old.ID == 0 {
			return sen.ErrNotFound
		}
		if fe := plans.CheckStrategy(c, 0, false, text); len(fe) > 0 {
			return fe
		}
		if text == old.Text {
			return plans.ErrNoChange("strategyText")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_strategies SET text = $3 WHERE id = $1 AND cycle_id = $2`, strategyID, cycleID, text); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindStrategy, plans.ChangeEdited, old.Text, text); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.strategy.edit", "plan_cycle", cycleID, p.ID, fmt.Sprintf("strategy=%d", strategyID))
	})
}

// UpdatePlanSupport changes a support line of an open cycle.
func (s *Store) UpdatePlanSupport(ctx context.Context, a sen.Actor, cycleID, version int64, su *plans.Support) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		var old plans.Support
		for _, x := range c.Support {
			if x.ID == su.ID {
				old = x
			}
		}
		if old.ID == 0 {
			return sen.ErrNotFound
		}
		if fe := su.ValidateEdit(old, c.StartDate, s.Today()); len(fe) > 0 {
			return fe
		}
		if su.Same(old) {
			return plans.ErrNoChange("what")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan_support SET what = $3, who = $4, frequency = $5, duration = $6, start_date = $7 WHERE id = $1 AND cycle_id = $2`,
			su.ID, cycleID, su.What, su.Who, su.Frequency, su.Duration, dateArg(su.StartDate)); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindSupport, plans.ChangeEdited, old.Describe(), su.Describe()); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.support.edit", "plan_cycle", cycleID, p.ID, fmt.Sprintf("support=%d", su.ID))
	})
}

// AddSupportOutcomes adds several outcomes to an open cycle at once: all or
// none. Field errors are keyed by row (plans.RowField, 1-based).
func (s *Store) AddSupportOutcomes(ctx context.Context, a sen.Actor, cycleID, version int64, os []plans.Outcome) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if len(os) == 0 {
			return plans.ErrNoRows(plans.RowField("outcome", 1), plans.KindOutcome)
		}
		fe := sen.FieldErrors{}
		for i := range os {
			plans.InRow(os[i].Validate(c.StartDate, c.Review, s.Today()), plans.KindOutcome, i+1, fe)
		}
		if len(fe) > 0 {
			return fe
		}
		for i := range os {
			o := &os[i]
			if err := tx.QueryRowContext(ctx, `INSERT INTO plan_outcomes (cycle_id, position, outcome, success_criteria, baseline, target_date)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, cycleID, len(c.Outcomes)+i+1, o.Text, o.SuccessCriteria, o.Baseline, dateArg(o.TargetDate)).Scan(&o.ID); err != nil {
				return err
			}
			if err := s.itemAmend(ctx, tx, a, c, plans.KindOutcome, plans.ChangeAdded, "", o.Describe()); err != nil {
				return err
			}
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.outcome.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("outcomes=%d", len(os)))
	})
}

// AddPlanStrategies adds the chosen bank strategies and free-text
// strategies to an open cycle at once: all or none. A bank strategy already
// in the plan is refused (field "strategy"); free-text errors are keyed by
// row ("strategyText-1").
func (s *Store) AddPlanStrategies(ctx context.Context, a sen.Actor, cycleID, version int64, bankIDs []int64, texts []string) (int, error) {
	added := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		type row struct {
			bank any
			text string
		}
		var rows []row
		seen := map[int64]bool{}
		for _, id := range bankIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			b, err := bankEntryTx(ctx, tx, p.SchoolID, id)
			inBank := err == nil && !b.Retired
			if err != nil && err != sql.ErrNoRows {
				return err
			}
			if fe := plans.CheckStrategy(c, id, inBank, ""); len(fe) > 0 {
				return fe
			}
			rows = append(rows, row{id, b.PlanText()})
		}
		fe := sen.FieldErrors{}
		for i, t := range texts {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			if e := plans.CheckStrategy(c, 0, false, t); len(e) > 0 {
				for k, m := range e {
					fe.Add(plans.RowField(k, i+1), m)
				}
				continue
			}
			rows = append(rows, row{nil, t})
		}
		if len(fe) > 0 {
			return fe
		}
		if len(rows) == 0 {
			return plans.ErrNoStrategyChosen()
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO plan_strategies (cycle_id, bank_id, text) VALUES ($1, $2, $3)`, cycleID, r.bank, r.text); err != nil {
				return err
			}
			if err := s.itemAmend(ctx, tx, a, c, plans.KindStrategy, plans.ChangeAdded, "", r.text); err != nil {
				return err
			}
		}
		added = len(rows)
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.strategy.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("strategies=%d", len(rows)))
	})
	return added, err
}

// AddPlanSupports adds several support lines to an open cycle at once: all
// or none. Field errors are keyed by row.
func (s *Store) AddPlanSupports(ctx context.Context, a sen.Actor, cycleID, version int64, sus []plans.Support) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		if len(sus) == 0 {
			return plans.ErrNoRows(plans.RowField("what", 1), plans.KindSupport)
		}
		fe := sen.FieldErrors{}
		for i := range sus {
			plans.InRow(sus[i].Validate(c.StartDate, s.Today()), plans.KindSupport, i+1, fe)
		}
		if len(fe) > 0 {
			return fe
		}
		for i := range sus {
			su := &sus[i]
			if err := tx.QueryRowContext(ctx, `INSERT INTO plan_support (cycle_id, what, who, frequency, duration, start_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				cycleID, su.What, su.Who, su.Frequency, su.Duration, dateArg(su.StartDate)).Scan(&su.ID); err != nil {
				return err
			}
			if err := s.itemAmend(ctx, tx, a, c, plans.KindSupport, plans.ChangeAdded, "", su.Describe()); err != nil {
				return err
			}
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.support.add", "plan_cycle", cycleID, p.ID, fmt.Sprintf("support=%d", len(sus)))
	})
}

// describeItem is the text of an item of c, for the amendment of its removal.
func describeItem(c plans.Cycle, kind string, id int64) string {
	switch kind {
	case plans.KindOutcome:
		for _, o := range c.Outcomes {
			if o.ID == id {
				return o.Describe()
			}
		}
	case plans.KindStrategy:
		for _, st := range c.Strategies {
			if st.ID == id {
				return st.Text
			}
		}
	case plans.KindSupport:
		for _, su := range c.Support {
			if su.ID == id {
				return su.Describe()
			}
		}
	}
	return ""
}

// Plan templates.

// SaveCycleTemplate saves a cycle's outcomes (text and success criteria),
// strategies and support as a template of the school named name.
func (s *Store) SaveCycleTemplate(ctx context.Context, a sen.Actor, cycleID int64, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if fe := plans.ValidateTemplateName(name); len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.cycleTx(ctx, tx, a, cycleID)
		if err != nil {
			return err
		}
		if len(c.Outcomes)+len(c.Strategies)+len(c.Support) == 0 {
			return plans.ErrEmptyTemplate()
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO plan_templates (school_id, name, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			p.SchoolID, name, a.User.ID, s.now()).Scan(&id)
		if isUnique(err) {
			return plans.ErrTemplateName()
		}
		if err != nil {
			return err
		}
		pos := 0
		ins := func(kind, text, crit string, bank any, who, freq, dur string) error {
			pos++
			_, err := tx.ExecContext(ctx, `INSERT INTO plan_template_items (template_id, kind, position, text, success_criteria, bank_id, who, frequency, duration)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, kind, pos, text, crit, bank, who, freq, dur)
			return err
		}
		for _, o := range c.Outcomes {
			if err := ins(plans.KindOutcome, o.Text, o.SuccessCriteria, nil, "", "", ""); err != nil {
				return err
			}
		}
		for _, st := range c.Strategies {
			var bank any
			if st.BankID != 0 {
				bank = st.BankID
			}
			if err := ins(plans.KindStrategy, st.Text, "", bank, "", "", ""); err != nil {
				return err
			}
		}
		for _, su := range c.Support {
			if err := ins(plans.KindSupport, su.What, "", nil, su.Who, su.Frequency, su.Duration); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "plan.template.save", "plan_template", id, p.ID, fmt.Sprintf("from cycle=%d", cycleID))
	})
	return id, err
}

// PlanTemplates lists the school's templates with their items.
func (s *Store) PlanTemplates(ctx context.Context, a sen.Actor) ([]plans.Template, error) {
	var out []plans.Template
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT t.id, t.name, COALESCE(u.name, ''), t.created_at FROM plan_templates t LEFT JOIN users u ON u.id = t.created_by
WHERE t.school_id = $1 ORDER BY t.name`, a.User.SchoolID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var t plans.Template
			var at dbTime
			if err := rows.Scan(&t.ID, &t.Name, &t.CreatedBy, &at); err != nil {
				rows.Close()
				return err
			}
			t.CreatedAt = at.T
			out = append(out, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if err := templateItemsTx(ctx, tx, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func templateItemsTx(ctx context.Context, tx *sql.Tx, t *plans.Template) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind, text, success_criteria, COALESCE(bank_id, 0), who, frequency, duration FROM plan_template_items
WHERE template_id = $1 ORDER BY position`, t.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, text, crit, who, freq, dur string
		var bank int64
		if err := rows.Scan(&kind, &text, &crit, &bank, &who, &freq, &dur); err != nil {
			return err
		}
		switch kind {
		case plans.KindOutcome:
			t.Outcomes = append(t.Outcomes, plans.Outcome{Text: text, SuccessCriteria: crit})
		case plans.KindStrategy:
			t.Strategies = append(t.Strategies, plans.Strategy{BankID: bank, Text: text})
		case plans.KindSupport:
			t.Support = append(t.Support, plans.Support{What: text, Who: who, Frequency: freq, Duration: dur})
		}
	}
	return rows.Err()
}

// Where a new cycle's outcomes, strategies and support come from.
const (
	StartBlank    = ""
	StartPrevious = "previous"
)

// CreateCycleFrom opens a support plan like CreateCycle, starting from the
// pupil's previous cycle (from = StartPrevious: its outcomes, with the
// review's level as their baseline where rated, strategies and support) or
// from the school's template templateID.
func (s *Store) CreateCycleFrom(ctx context.Context, a sen.Actor, pupilID int64, start, review time.Time, from string, templateID int64) (int64, error) {
	if from == StartBlank && templateID == 0 {
		return s.CreateCycle(ctx, a, pupilID, start, review)
	}
	if fe := plans.ValidateCycleDates(start, review, time.Time{}, s.Today(), true); len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var t plans.Template
		if templateID != 0 {
			t.ID = templateID
			if err := tx.QueryRowContext(ctx, `SELECT name FROM plan_templates WHERE id = $1 AND school_id = $2`, templateID, a.User.SchoolID).Scan(&t.Name); err != nil {
				return plans.ErrNoTemplate()
			}
			if err := templateItemsTx(ctx, tx, &t); err != nil {
				return err
			}
		}
		var prev *plans.Cycle
		var err error
		id, prev, err = s.createCycleTx(ctx, tx, a, pupilID, start, review)
		if err != nil {
			return err
		}
		if templateID == 0 {
			if prev == nil {
				return plans.ErrNoPrevious()
			}
			meeting := prev.LockedAt
			if r, err := supportReviewTx(ctx, tx, prev.ID); err == nil {
				meeting = r.MeetingDate
			}
			for _, o := range prev.Outcomes {
				if o.Rating.Valid() {
					o.Baseline = plans.CarriedBaseline(o, o.Rating, o.RatingEvidence, meeting)
				}
				t.Outcomes = append(t.Outcomes, o)
			}
			t.Strategies, t.Support = prev.Strategies, prev.Support
		}
		c, _, err := s.cycleTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.insertItemsTx(ctx, tx, a, c, t); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.start.from", "plan_cycle", id, c.PupilID, fmt.Sprintf("from=%s template=%d", from, templateID))
	})
	return id, err
}

// insertItemsTx adds template t's outcomes (target: the cycle's review date
// unless their own is later than its start), strategies (a bank one only if
// not in the cycle already) and support (from the cycle's start, or later)
// to cycle c, kept as amendments when c is active.
func (s *Store) insertItemsTx(ctx context.Context, tx *sql.Tx, a sen.Actor, c plans.Cycle, t plans.Template) error {
	start, review := c.StartDate, c.Review
	for i, o := range t.Outcomes {
		var carried any
		if o.ID != 0 {
			carried = o.ID
		}
		target := o.TargetDate
		if !target.After(start) {
			target = review
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_outcomes (cycle_id, position, outcome, success_criteria, baseline, target_date, carried_from) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.ID, len(c.Outcomes)+i+1, o.Text, o.SuccessCriteria, o.Baseline, dateArg(target), carried); err != nil {
			return err
		}
		o.TargetDate = target
		if err := s.itemAmend(ctx, tx, a, c, plans.KindOutcome, plans.ChangeAdded, "", o.Describe()); err != nil {
			return err
		}
	}
	inPlan := map[int64]bool{}
	for _, st := range c.Strategies {
		inPlan[st.BankID] = true
	}
	for _, st := range t.Strategies {
		var bank any
		if st.BankID != 0 {
			if inPlan[st.BankID] {
				continue
			}
			bank = st.BankID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_strategies (cycle_id, bank_id, text) VALUES ($1, $2, $3)`, c.ID, bank, st.Text); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindStrategy, plans.ChangeAdded, "", st.Text); err != nil {
			return err
		}
	}
	from := start
	if today := s.Today(); today.After(from) && plans.Amended(c.Status) {
		from = today // support added to a plan already running starts now
	}
	for _, su := range t.Support {
		if su.StartDate.Before(from) {
			su.StartDate = from
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_support (cycle_id, what, who, frequency, duration, start_date) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, su.What, su.Who, su.Frequency, su.Duration, dateArg(su.StartDate)); err != nil {
			return err
		}
		if err := s.itemAmend(ctx, tx, a, c, plans.KindSupport, plans.ChangeAdded, "", su.Describe()); err != nil {
			return err
		}
	}
	return nil
}

// ApplyTemplate adds the school's template templateID to an open cycle
// (e.g. the draft the review opened): its outcomes (the SENCO then writes
// the pupil's baselines), strategies and support.
func (s *Store) ApplyTemplate(ctx context.Context, a sen.Actor, cycleID, version, templateID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, p, err := s.spEditable(ctx, tx, a, cycleID, version)
		if err != nil {
			return err
		}
		t := plans.Template{ID: templateID}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM plan_templates WHERE id = $1 AND school_id = $2`, templateID, p.SchoolID).Scan(&t.Name); err != nil {
			return plans.ErrNoTemplate()
		}
		if err := templateItemsTx(ctx, tx, &t); err != nil {
			return err
		}
		if err := s.insertItemsTx(ctx, tx, a, c, t); err != nil {
			return err
		}
		if err := s.spBump(ctx, tx, a, cycleID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "plan.template.apply", "plan_cycle", cycleID, p.ID, fmt.Sprintf("template=%d", templateID))
	})
}
