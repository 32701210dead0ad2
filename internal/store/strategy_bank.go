package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"opensend/internal/plans"
	"opensend/internal/sen"
)

// The school's strategies bank: the shared entries every school starts
// with and the school's own. A school adds its own, edits them, and retires
// any entry (its own or a shared one) so it is no longer offered for new
// plans; plans that already use it keep their text. Editing a shared entry
// makes the school's own copy and retires the shared one for the school.

const bankCols = `b.id, b.title, b.description, b.area, b.need_code, b.school_id IS NULL, b.version,
EXISTS (SELECT 1 FROM strategy_bank_retired r WHERE r.school_id = $1 AND r.bank_id = b.id)`

func scanBank(sc interface{ Scan(...any) error }) (plans.BankStrategy, error) {
	var b plans.BankStrategy
	err := sc.Scan(&b.ID, &b.Title, &b.Description, &b.Area, &b.Need, &b.Shared, &b.Version, &b.Retired)
	return b, err
}

// bankEntryTx reads one entry of the school's bank (shared or its own).
func bankEntryTx(ctx context.Context, tx *sql.Tx, schoolID, id int64) (plans.BankStrategy, error) {
	return scanBank(tx.QueryRowContext(ctx, `SELECT `+bankCols+` FROM strategy_bank b WHERE b.id = $2 AND (b.school_id IS NULL OR b.school_id = $1)`, schoolID, id))
}

// SchoolStrategyBank lists every entry of the school's bank, retired ones
// included (marked), for the SENCO to manage.
func (s *Store) SchoolStrategyBank(ctx context.Context, a sen.Actor) ([]plans.BankStrategy, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+bankCols+` FROM strategy_bank b WHERE b.school_id IS NULL OR b.school_id = $1
ORDER BY b.area, b.need_code, b.title, b.id`, a.User.SchoolID)
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

// BankStrategy reads one entry of the school's bank.
func (s *Store) BankStrategy(ctx context.Context, a sen.Actor, id int64) (plans.BankStrategy, error) {
	var b plans.BankStrategy
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = bankEntryTx(ctx, tx, a.User.SchoolID, id)
		return notFound(err)
	})
	return b, err
}

func bankSearch(b plans.BankStrategy) string {
	return strings.ToLower(b.Title + " " + b.Description + " " + b.Area + " " + b.Need)
}

// SaveBankStrategy adds an entry to the school's bank (b.ID 0) or edits one
// (b.Version as read). Editing a shared entry adds the school's own copy and
// retires the shared one for the school; b.ID is then the copy's.
func (s *Store) SaveBankStrategy(ctx context.Context, a sen.Actor, b *plans.BankStrategy) error {
	if fe := b.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		school := a.User.SchoolID
		insert := func() error {
			return tx.QueryRowContext(ctx, `INSERT INTO strategy_bank (school_id, title, description, area, need_code, search_text, version) VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id`,
				school, b.Title, b.Description, b.Area, b.Need, bankSearch(*b)).Scan(&b.ID)
		}
		if b.ID == 0 {
			if err := insert(); err != nil {
				return err
			}
			b.Version = 1
			return s.audit(ctx, tx, a, "strategy.add", "strategy_bank", b.ID, 0, "")
		}
		old, err := bankEntryTx(ctx, tx, school, b.ID)
		if err != nil {
			return notFound(err)
		}
		if old.Version != b.Version {
			return plans.ErrBankChanged()
		}
		if old.Shared {
			sharedID := old.ID
			if err := insert(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO strategy_bank_retired (school_id, bank_id, retired_by, retired_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
				school, sharedID, a.User.ID, s.now()); err != nil {
				return err
			}
			b.Version, b.Shared = 1, false
			return s.audit(ctx, tx, a, "strategy.edit", "strategy_bank", b.ID, 0, fmt.Sprintf("copy of shared=%d", sharedID))
		}
		res, err := tx.ExecContext(ctx, `UPDATE strategy_bank SET title = $4, description = $5, area = $6, need_code = $7, search_text = $8, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3`, b.ID, school, b.Version, b.Title, b.Description, b.Area, b.Need, bankSearch(*b))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return plans.ErrBankChanged()
		}
		b.Version++
		return s.audit(ctx, tx, a, "strategy.edit", "strategy_bank", b.ID, 0, "")
	})
}

// RetireBankStrategy stops offering an entry (shared or the school's own)
// for new plans at the school; restore brings it back.
func (s *Store) RetireBankStrategy(ctx context.Context, a sen.Actor, id int64, restore bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := bankEntryTx(ctx, tx, a.User.SchoolID, id); err != nil {
			return notFound(err)
		}
		action := "strategy.retire"
		if restore {
			action = "strategy.restore"
			if _, err := tx.ExecContext(ctx, `DELETE FROM strategy_bank_retired WHERE school_id = $1 AND bank_id = $2`, a.User.SchoolID, id); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO strategy_bank_retired (school_id, bank_id, retired_by, retired_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			a.User.SchoolID, id, a.User.ID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, action, "strategy_bank", id, 0, "")
	})
}
