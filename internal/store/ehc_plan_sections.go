package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// Editing an EHC plan's Section B needs and Section E outcomes. The plan is
// issued, so each change is kept as an amendment (who, when, old and new
// text) and the plan's version is checked and bumped.

// sectionEditable loads a plan for a Section B or E change.
func (s *Store) sectionEditable(ctx context.Context, tx *sql.Tx, a sen.Actor, planID, version int64) (ehc.Plan, error) {
	p, err := s.planTx(ctx, tx, a, planID)
	if err != nil {
		return p, err
	}
	if a.User.Role.Scoped() {
		return p, sen.ErrNotFound
	}
	return p, p.CheckSectionEdit(version)
}

// sectionChanged records the amendment, bumps the plan's version and audits.
func (s *Store) sectionChanged(ctx context.Context, tx *sql.Tx, a sen.Actor, p ehc.Plan, section, old, new, action string, itemID int64) error {
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_plan_amendments (plan_id, section, old_value, new_value, amended_by, amended_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		p.ID, section, old, new, a.User.ID, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET version = version + 1, updated_at = $2 WHERE id = $1`, p.ID, now); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, action, "ehc_plan", p.ID, p.PupilID, fmt.Sprintf("item=%d", itemID))
}

// UpdatePlanNeed changes a Section B need (version: the plan's, as read).
func (s *Store) UpdatePlanNeed(ctx context.Context, a sen.Actor, planID, version int64, n ehc.Need) error {
	if fe := n.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.sectionEditable(ctx, tx, a, planID, version)
		if err != nil {
			return err
		}
		var old ehc.Need
		if err := tx.QueryRowContext(ctx, `SELECT id, area, text FROM ehc_plan_needs WHERE id = $1 AND plan_id = $2`, n.ID, planID).Scan(&old.ID, &old.Area, &old.Text); err != nil {
			return notFound(err)
		}
		if old.Area == n.Area && old.Text == n.Text {
			return ehc.ErrSectionUnchanged("needText")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plan_needs SET area = $3, text = $4 WHERE id = $1 AND plan_id = $2`, n.ID, planID, n.Area, n.Text); err != nil {
			return err
		}
		return s.sectionChanged(ctx, tx, a, p, ehc.SectionB, old.Describe(), n.Describe(), "ehc.plan.need.edit", n.ID)
	})
}

// UpdatePlanOutcome changes a Section E outcome (version: the plan's, as read).
func (s *Store) UpdatePlanOutcome(ctx context.Context, a sen.Actor, planID, version int64, o ehc.Outcome) error {
	if fe := o.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.sectionEditable(ctx, tx, a, planID, version)
		if err != nil {
			return err
		}
		var old ehc.Outcome
		if err := tx.QueryRowContext(ctx, `SELECT id, text, by_when FROM ehc_outcomes WHERE id = $1 AND plan_id = $2`, o.ID, planID).Scan(&old.ID, &old.Text, &old.ByWhen); err != nil {
			return notFound(err)
		}
		if old.Text == o.Text && old.ByWhen == o.ByWhen {
			return ehc.ErrSectionUnchanged("outcomeText")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_outcomes SET text = $3, by_when = $4 WHERE id = $1 AND plan_id = $2`, o.ID, planID, o.Text, o.ByWhen); err != nil {
			return err
		}
		return s.sectionChanged(ctx, tx, a, p, ehc.SectionE, old.Describe(), o.Describe(), "ehc.plan.outcome.edit", o.ID)
	})
}

// RemovePlanSectionItem removes a Section B need (kind "need") or Section E
// outcome ("outcome") after the SENCO confirmed it, keeping the removed
// text as an amendment.
func (s *Store) RemovePlanSectionItem(ctx context.Context, a sen.Actor, planID, version int64, kind string, itemID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.sectionEditable(ctx, tx, a, planID, version)
		if err != nil {
			return err
		}
		var section, old string
		switch kind {
		case "need":
			var n ehc.Need
			if err := tx.QueryRowContext(ctx, `SELECT area, text FROM ehc_plan_needs WHERE id = $1 AND plan_id = $2`, itemID, planID).Scan(&n.Area, &n.Text); err != nil {
				return notFound(err)
			}
			section, old = ehc.SectionB, n.Describe()
			_, err = tx.ExecContext(ctx, `DELETE FROM ehc_plan_needs WHERE id = $1 AND plan_id = $2`, itemID, planID)
		case "outcome":
			var o ehc.Outcome
			if err := tx.QueryRowContext(ctx, `SELECT text, by_when FROM ehc_outcomes WHERE id = $1 AND plan_id = $2`, itemID, planID).Scan(&o.Text, &o.ByWhen); err != nil {
				return notFound(err)
			}
			section, old = ehc.SectionE, o.Describe()
			_, err = tx.ExecContext(ctx, `DELETE FROM ehc_outcomes WHERE id = $1 AND plan_id = $2`, itemID, planID)
		default:
			return sen.ErrNotFound
		}
		if err != nil {
			return err
		}
		return s.sectionChanged(ctx, tx, a, p, section, old, "", "ehc.plan."+kind+".remove", itemID)
	})
}

// planAmendmentsTx loads the plan's Section B and E amendments.
func planAmendmentsTx(ctx context.Context, tx *sql.Tx, p *ehc.Plan) error {
	rows, err := tx.QueryContext(ctx, `SELECT m.section, m.old_value, m.new_value, COALESCE(u.name, ''), m.amended_at FROM ehc_plan_amendments m
LEFT JOIN users u ON u.id = m.amended_by WHERE m.plan_id = $1 ORDER BY m.id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m ehc.Amendment
		var at dbTime
		if err := rows.Scan(&m.Section, &m.Old, &m.New, &m.By, &at); err != nil {
			return err
		}
		m.At = at.T
		p.Amendments = append(p.Amendments, m)
	}
	return rows.Err()
}

// sectionAdd adds a Section B or E entry (q inserts it, planID first), kept
// as an amendment with its text.
func (s *Store) sectionAdd(ctx context.Context, a sen.Actor, planID int64, section, text, action, q string, args ...any) error {
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
		return s.sectionChanged(ctx, tx, a, p, section, "", text, action, 0)
	})
}
