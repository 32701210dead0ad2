package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"opensend/internal/auth"
	"opensend/internal/sen"
)

// Known devices, the sign-in throttle and authenticator apps (TOTP).

// Device is a browser's standing with one account.
type Device struct {
	Failures       int
	ThrottledUntil time.Time
}

// KnownDevice reports whether the browser whose device cookie hashes to
// tokenHash has signed in to userID within DeviceLife, and its own run of
// wrong passwords.
func (s *Store) KnownDevice(ctx context.Context, userID int64, tokenHash string) (Device, bool, error) {
	var d Device
	var until dbTime
	if tokenHash == "" {
		return d, false, nil
	}
	err := s.db.QueryRowContext(ctx, `SELECT failures, throttled_until FROM known_devices WHERE user_id = $1 AND token_hash = $2 AND last_used_at >= $3`,
		userID, tokenHash, s.now().Add(-DeviceLife)).Scan(&d.Failures, &until)
	if err == sql.ErrNoRows {
		return d, false, nil
	}
	d.ThrottledUntil = until.T
	return d, err == nil, err
}

// rememberDeviceTx makes the browser known to the account (or renews it),
// clears its own failures, and forgets the account's devices unused for
// longer than DeviceLife.
func (s *Store) rememberDeviceTx(ctx context.Context, tx *sql.Tx, userID int64, tokenHash string, now time.Time) error {
	if tokenHash == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at, failures) VALUES ($1, $2, $3, $3, 0)
ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = $3, failures = 0, throttled_until = NULL`, tokenHash, userID, now); err != nil {
		return fmt.Errorf("store: known device: %w", err)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM known_devices WHERE user_id = $1 AND last_used_at < $2`, userID, now.Add(-DeviceLife))
	return err
}

// UnlockSignIn clears every sign-in delay on an account of the actor's
// school (wrong passwords from any browser, wrong codes) without changing
// its password.
func (s *Store) UnlockSignIn(ctx context.Context, a sen.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, code_failures = 0, code_throttled_until = NULL
WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE known_devices SET failures = 0, throttled_until = NULL WHERE user_id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "user.unlock", "user", id, 0, "")
	})
}

// SetRequireTwoFactor turns on or off the school's rule that the SENCO,
// deputy SENCO and SLT sign in with an authenticator app.
func (s *Store) SetRequireTwoFactor(ctx context.Context, a sen.Actor, on bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE schools SET require_two_factor = $2 WHERE id = $1`, a.User.SchoolID, on); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "school.two_factor", "school", a.User.SchoolID, 0, fmt.Sprintf("required=%t", on))
	})
}

// TwoFactor is one person's authenticator-app state.
type TwoFactor struct {
	Secret        auth.Secret // the confirmed secret ("" if none)
	Pending       auth.Secret // a secret being set up, not yet confirmed
	EnabledAt     time.Time
	LastStep      int64 // the latest code step used: no code at or before it works
	Failures      int   // wrong codes in a row
	Until         time.Time
	RecoveryLeft  int // recovery codes not yet used
	RecoveryTotal int
}

// TwoFactorOf reads the actor's own authenticator-app state.
func (s *Store) TwoFactorOf(ctx context.Context, userID int64) (TwoFactor, error) {
	var t TwoFactor
	var enabled, until dbTime
	err := s.db.QueryRowContext(ctx, `SELECT totp_secret, totp_pending, totp_enabled_at, totp_last_step, code_failures, code_throttled_until,
(SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL), (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id)
FROM users u WHERE id = $1`, userID).Scan(&t.Secret, &t.Pending, &enabled, &t.LastStep, &t.Failures, &until, &t.RecoveryLeft, &t.RecoveryTotal)
	t.EnabledAt, t.Until = enabled.T, until.T
	return t, notFound(err)
}

// StartTwoFactor keeps a new secret for the actor while they add it to
// their app; the one they have (if any) works until the new one is confirmed.
func (s *Store) StartTwoFactor(ctx context.Context, a sen.Actor, secret auth.Secret) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_pending = $2 WHERE id = $1`, a.User.ID, secret.Reveal()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "two_factor.start", "user", a.User.ID, 0, "")
	})
}

// ConfirmTwoFactor makes the pending secret the actor's, with the code step
// they confirmed it with and new recovery codes (their hashes) replacing
// any old ones. sen.ErrNotFound if nothing is pending.
func (s *Store) ConfirmTwoFactor(ctx context.Context, a sen.Actor, pending auth.Secret, step int64, codeHashes []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = totp_pending, totp_pending = '', totp_enabled_at = $3, totp_last_step = $4,
code_failures = 0, code_throttled_until = NULL WHERE id = $1 AND totp_pending = $2 AND totp_pending <> ''`, a.User.ID, pending.Reveal(), now, step)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if err := s.replaceRecoveryCodesTx(ctx, tx, a.User.ID, codeHashes); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "two_factor.enable", "user", a.User.ID, 0, "")
	})
}

func (s *Store) replaceRecoveryCodesTx(ctx context.Context, tx *sql.Tx, userID int64, hashes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return fmt.Errorf("store: recovery code: %w", err)
		}
	}
	return nil
}

// NewRecoveryCodes replaces the actor's recovery codes (their hashes).
func (s *Store) NewRecoveryCodes(ctx context.Context, a sen.Actor, codeHashes []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var on bool
		if err := tx.QueryRowContext(ctx, `SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = $1`, a.User.ID).Scan(&on); err != nil {
			return notFound(err)
		}
		if !on {
			return sen.ErrNotFound
		}
		if err := s.replaceRecoveryCodesTx(ctx, tx, a.User.ID, codeHashes); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "two_factor.recovery_codes", "user", a.User.ID, 0, "")
	})
}

// TurnOffTwoFactor removes an account's authenticator app and recovery
// codes: the person's own choice, or a reset by a SENCO of the same school
// (which also signs the person out everywhere, so the next sign-in sets a
// new app up if the school requires one).
func (s *Store) TurnOffTwoFactor(ctx context.Context, a sen.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '', totp_pending = '', totp_enabled_at = NULL, code_failures = 0, code_throttled_until = NULL
WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id); err != nil {
			return err
		}
		action := "two_factor.disable"
		if id != a.User.ID {
			action = "two_factor.reset"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, action, "user", id, 0, "")
	})
}

// CodeFailed records a wrong authenticator or recovery code and returns the
// time before which the next code must wait (zero: no wait). A wrong code
// at sign-in (signingIn) is also told to the person at their next sign-in;
// one typed while setting an app up is not.
func (s *Store) CodeFailed(ctx context.Context, u sen.User, ip string, b auth.Backoff, signingIn bool) (time.Time, error) {
	var until time.Time
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE users SET code_failures = code_failures + 1, failed_since_login = failed_since_login + CASE WHEN $2 THEN 1 ELSE 0 END
WHERE id = $1 RETURNING code_failures`, u.ID, signingIn).Scan(&n); err != nil {
			return notFound(err)
		}
		if w := b.Wait(n); w > 0 {
			until = now.Add(w)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET code_throttled_until = $2 WHERE id = $1`, u.ID, timeArg(until)); err != nil {
			return err
		}
		return s.audit(ctx, tx, sen.Actor{User: sen.User{ID: u.ID}, IP: ip}, "login.code_failed", "user", u.ID, 0, fmt.Sprintf("failures=%d", n))
	})
	return until, err
}

// Second factors: an app code's step, or a recovery code's hash.
type SecondFactor struct {
	Step         int64
	RecoveryHash string
}

// CompleteSignIn finishes a sign-in whose password was right with a second
// factor: an app code for a step later than the last one used (so a code
// works once), or an unused recovery code (used up now). The session gets a
// new token (newHash) and CSRF token and the count of failed attempts to
// tell, and lasts until expires. sen.ErrNotFound if the code was used already or the session is gone.
func (s *Store) CompleteSignIn(ctx context.Context, u sen.User, ip, oldHash, newHash, csrf string, expires time.Time, f SecondFactor) (failedSince int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var res sql.Result
		var err error
		how := "app"
		if f.RecoveryHash != "" {
			how = "recovery code"
			res, err = tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, u.ID, f.RecoveryHash, now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2 AND totp_enabled_at IS NOT NULL`, u.ID, f.Step)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `UPDATE users SET code_failures = 0, code_throttled_until = NULL WHERE id = $1 RETURNING failed_since_login`, u.ID).Scan(&failedSince); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_since_login = 0 WHERE id = $1`, u.ID); err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `UPDATE sessions SET token_hash = $3, csrf_token = $4, stage = $5, failed_attempts = $6, last_seen_at = $7, expires_at = $9
WHERE token_hash = $1 AND user_id = $2 AND stage = $8`, oldHash, u.ID, newHash, csrf, StageDone, failedSince, now, StageCode, expires)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, sen.Actor{User: u, IP: ip}, "login", "user", u.ID, 0, "second factor: "+how)
	})
	return failedSince, err
}
