package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"opensend/internal/authz"
	"opensend/internal/sen"
)

// StaffMember is a user with their sign-in state, for the staff page.
type StaffMember struct {
	sen.User
	LockedUntil time.Time // wrong passwords from unknown browsers wait until then
	LastLogin   time.Time
	// CodeUntil: wrong authenticator codes wait until then.
	CodeUntil time.Time
	// TwoFactor: the person has an authenticator app set up.
	TwoFactor bool
}

// Throttled reports whether the account's sign-in is being slowed at now.
func (m StaffMember) Throttled(now time.Time) bool {
	return now.Before(m.LockedUntil) || now.Before(m.CodeUntil)
}

const staffCols = `u.locked_until, COALESCE(u.last_login_at, (SELECT MAX(created_at) FROM sessions ss WHERE ss.user_id = u.id)), u.code_throttled_until, u.totp_enabled_at IS NOT NULL`

func scanStaff(sc interface{ Scan(...any) error }, m *StaffMember) error {
	var locked, last, code dbTime
	err := scanUser(sc, &m.User, &locked, &last, &code, &m.TwoFactor)
	m.LockedUntil, m.LastLogin, m.CodeUntil = locked.T, last.T, code.T
	return err
}

// Staff lists the actor's school's accounts with lock and last sign-in.
func (s *Store) Staff(ctx context.Context, a sen.Actor) ([]StaffMember, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColsU+`, `+staffCols+`
FROM users u WHERE u.school_id = $1 ORDER BY u.active DESC, u.name, u.id`, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaffMember
	for rows.Next() {
		var m StaffMember
		if err := scanStaff(rows, &m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StaffByID reads one account in the actor's school.
func (s *Store) StaffByID(ctx context.Context, a sen.Actor, id int64) (StaffMember, error) {
	var m StaffMember
	err := scanStaff(s.db.QueryRowContext(ctx, `SELECT `+userColsU+`, `+staffCols+`
FROM users u WHERE u.id = $1 AND u.school_id = $2`, id, a.User.SchoolID), &m)
	return m, notFound(err)
}

// UpdateStaff changes an account's name, role and whether it may sign in.
// Deactivating an account ends its sessions at once; deactivating it or
// moving it to a role without the calendar feed turns its feed off.
func (s *Store) UpdateStaff(ctx context.Context, a sen.Actor, id int64, name string, role sen.Role, active bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $3, role = $4, active = $5, updated_at = $6 WHERE id = $1 AND school_id = $2`,
			id, a.User.SchoolID, name, string(role), active, s.now())
		if err != nil {
			return fmt.Errorf("store: update staff: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if !active {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
			if err := s.revokeFeedTx(ctx, tx, a, id, FeedRevokedDeactivated); err != nil {
				return err
			}
		} else if !authz.Can(role, authz.CalendarFeed) {
			if err := s.revokeFeedTx(ctx, tx, a, id, FeedRevokedRole); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "user.update", "user", id, 0, fmt.Sprintf("role=%s active=%t", role, active))
	})
}

// SetPassword replaces an account's password hash, unlocks it and signs it
// out everywhere and turns off their calendar feed (a reset by the SENCO, or
// the user's own change). A reset sets
// a temporary password: tempUntil is when it stops working (zero for the
// person's own password).
func (s *Store) SetPassword(ctx context.Context, a sen.Actor, id int64, hash string, tempUntil time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $3, failed_logins = 0, locked_until = NULL, updated_at = $4, temp_password_until = $5 WHERE id = $1 AND school_id = $2`,
			id, a.User.SchoolID, hash, s.now(), timeArg(tempUntil))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		if err := s.revokeFeedTx(ctx, tx, a, id, FeedRevokedPassword); err != nil {
			return err
		}
		action := "user.password.reset"
		if id == a.User.ID {
			action = "user.password.change"
		}
		return s.audit(ctx, tx, a, action, "user", id, 0, "")
	})
}

// PasswordHash returns the actor's own hash, to check the current password.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&h)
	return h, notFound(err)
}
