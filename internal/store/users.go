package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/auth"
	"opensend/internal/sen"
)

// School is one school; a trust or LA may hold many.
type School struct {
	ID      int64
	TrustID int64
	Name    string
	URN     string
	LACode  string
	Estab   string
	Phase   string
	// Provision is which census provision types the school has (an SEN
	// unit, resourced provision), recorded on GIAS.
	Provision sen.SchoolProvision
	// RequireTwoFactor: the SENCO, deputy SENCO and SLT must sign in with
	// an authenticator app as well as their password.
	RequireTwoFactor bool
}

// CreateTrust adds a multi-academy trust or local authority.
func (s *Store) CreateTrust(ctx context.Context, name string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO trusts (name, created_at) VALUES ($1, $2) RETURNING id`, name, s.now()).Scan(&id); err != nil {
			return err
		}
		return s.audit(ctx, tx, sen.Actor{User: sen.User{Name: "system"}}, "trust.create", "trust", id, 0, "")
	})
	return id, err
}

// CreateSchool adds a school.
func (s *Store) CreateSchool(ctx context.Context, sc School) (int64, error) {
	var id int64
	var trust any
	if sc.TrustID != 0 {
		trust = sc.TrustID
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO schools (trust_id, name, urn, la_code, estab, phase, created_at, require_two_factor)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, trust, sc.Name, sc.URN, sc.LACode, sc.Estab, sc.Phase, s.now(), sc.RequireTwoFactor).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: create school: %w", err)
		}
		return s.audit(ctx, tx, sen.Actor{User: sen.User{Name: "system", SchoolID: id}}, "school.create", "school", id, 0, "")
	})
	return id, err
}

// School reads one school.
func (s *Store) School(ctx context.Context, id int64) (School, error) {
	return schoolTx(ctx, s.db, id)
}

// rowQueryer is satisfied by *sql.DB and *sql.Tx. Inside a transaction,
// always read through the tx: taking a second pooled connection while
// holding one can exhaust the pool under load and deadlock.
type rowQueryer interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func schoolTx(ctx context.Context, q rowQueryer, id int64) (School, error) {
	var sc School
	var trust sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, trust_id, name, urn, la_code, estab, phase, has_sen_unit, has_resourced_provision, require_two_factor FROM schools WHERE id = $1`, id).
		Scan(&sc.ID, &trust, &sc.Name, &sc.URN, &sc.LACode, &sc.Estab, &sc.Phase, &sc.Provision.SENUnit, &sc.Provision.ResourcedProvision, &sc.RequireTwoFactor)
	sc.TrustID = trust.Int64
	return sc, notFound(err)
}

// NewUser is a staff account to create.
type NewUser struct {
	SchoolID     int64
	Email        string
	Name         string
	Role         sen.Role
	PasswordHash string
	// TempPasswordUntil is set when the password is a temporary one (made
	// by a SENCO or -create-school): it must be changed at first sign-in,
	// works once and not after this time.
	TempPasswordUntil time.Time
}

// CreateUser adds a staff account; the e-mail address must be unused.
func (s *Store) CreateUser(ctx context.Context, a sen.Actor, u NewUser) (int64, error) {
	var id int64
	email := strings.ToLower(strings.TrimSpace(u.Email))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO users (school_id, email, name, role, password_hash, active, failed_logins, created_at, updated_at, temp_password_until)
VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7, $8) RETURNING id`, u.SchoolID, email, u.Name, string(u.Role), u.PasswordHash, true, now, timeArg(u.TempPasswordUntil)).Scan(&id)
		if isUnique(err) {
			return sen.ErrEmailTaken()
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		return s.audit(ctx, tx, a, "user.create", "user", id, 0, "role="+string(u.Role))
	})
	return id, err
}

// Credentials is what sign-in needs to know about an account.
type Credentials struct {
	User         sen.User
	PasswordHash string
	// FailedLogins is the run of wrong passwords from browsers that have
	// not signed in to the account before; LockedUntil is when the next
	// attempt from such a browser may be made (a delay, not a lock: the
	// right password works once it is over).
	FailedLogins int
	LockedUntil  time.Time
	// TempUntil is when the temporary password stops working (zero: the
	// password is the person's own). A used temporary password has TempUntil
	// at the time it was used.
	TempUntil time.Time
	// TwoFactor: the person has an authenticator app set up.
	TwoFactor bool
}

const userCols = `id, school_id, email, name, role, active`

func scanUser(sc interface{ Scan(...any) error }, u *sen.User, extra ...any) error {
	var role string
	dest := append([]any{&u.ID, &u.SchoolID, &u.Email, &u.Name, &role, &u.Active}, extra...)
	err := sc.Scan(dest...)
	u.Role = sen.Role(role)
	return err
}

// CredentialsByEmail looks up an account for sign-in.
func (s *Store) CredentialsByEmail(ctx context.Context, email string) (Credentials, error) {
	var c Credentials
	var locked, temp dbTime
	err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash, failed_logins, locked_until, temp_password_until, totp_enabled_at IS NOT NULL
FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &c.User, &c.PasswordHash, &c.FailedLogins, &locked, &temp, &c.TwoFactor)
	c.LockedUntil, c.TempUntil = locked.T, temp.T
	return c, notFound(err)
}

// LoginFailed records a wrong password for userID and returns the time
// before which the next attempt must wait (zero: no wait). A browser that
// has signed in to the account before (deviceHash names a known device)
// has its own run of failures, so a stranger's guesses never slow it; any
// other browser adds to the account's run. A run is forgotten a day after
// its latest failure. Either way the person is told at their next sign-in.
func (s *Store) LoginFailed(ctx context.Context, userID int64, ip, deviceHash string, b auth.Backoff) (time.Time, error) {
	var until time.Time
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		forget := now.Add(-auth.ThrottleForget)
		a := sen.Actor{User: sen.User{ID: userID}, IP: ip}
		var n int
		if deviceHash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_since_login = failed_since_login + 1 WHERE id = $1`, userID); err != nil {
				return err
			}
			err := tx.QueryRowContext(ctx, `UPDATE known_devices SET failures = CASE WHEN throttled_until IS NOT NULL AND throttled_until < $3 THEN 1 ELSE failures + 1 END
WHERE user_id = $1 AND token_hash = $2 RETURNING failures`, userID, deviceHash, forget).Scan(&n)
			if err != nil {
				return notFound(err)
			}
			if w := b.Wait(n); w > 0 {
				until = now.Add(w)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE known_devices SET throttled_until = $3 WHERE user_id = $1 AND token_hash = $2`, userID, deviceHash, timeArg(until)); err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "login.failed", "user", userID, 0, fmt.Sprintf("known device, failures=%d", n))
		}
		// In one UPDATE every expression reads the row as it was.
		err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = CASE WHEN last_failed_at IS NULL OR last_failed_at < $2 THEN 1 ELSE failed_logins + 1 END,
failed_since_login = failed_since_login + 1, last_failed_at = $3 WHERE id = $1 RETURNING failed_logins`, userID, forget, now).Scan(&n)
		if err != nil {
			return notFound(err)
		}
		if w := b.Wait(n); w > 0 {
			until = now.Add(w)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = $2 WHERE id = $1`, userID, timeArg(until)); err != nil {
			return err
		}
		if !until.IsZero() {
			return s.audit(ctx, tx, a, "login.throttled", "user", userID, 0, fmt.Sprintf("failures=%d, next attempt after %s", n, b.Wait(n)))
		}
		return s.audit(ctx, tx, a, "login.failed", "user", userID, 0, fmt.Sprintf("failures=%d", n))
	})
	return until, err
}

// Sign-in stages of a session.
const (
	StageDone = ""     // signed in
	StageCode = "code" // the password was right; the authenticator code is next
)

// CodeStageLife is how long the second step of sign-in may take.
const CodeStageLife = 10 * time.Minute

// DeviceLife is how long a browser stays known to an account after its
// latest sign-in there.
const DeviceLife = 365 * 24 * time.Hour

// LoginSucceeded records a right password and opens a session in
// sess.Stage. A temporary password is used up: it stops working now, and
// the account must choose a password before doing anything else. The
// browser (deviceHash) becomes, or stays, known to the account. When the
// session is complete (no code step follows) the count of failed attempts
// since the last sign-in moves to the session, to be told, and starts again.
// A right password from an unknown browser ends the account's run of
// failures; from a known one it does not, so a stranger still waits.
func (s *Store) LoginSucceeded(ctx context.Context, u sen.User, sess Session, deviceHash string, knownDevice bool) (failedSince int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := tx.QueryRowContext(ctx, `SELECT failed_since_login FROM users WHERE id = $1`, u.ID).Scan(&failedSince); err != nil {
			return notFound(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $2,
temp_password_until = CASE WHEN temp_password_until IS NULL THEN temp_password_until ELSE $2 END,
failed_logins = CASE WHEN $3 THEN failed_logins ELSE 0 END, locked_until = CASE WHEN $3 THEN locked_until ELSE NULL END,
failed_since_login = CASE WHEN $4 THEN 0 ELSE failed_since_login END WHERE id = $1`, u.ID, now, knownDevice, sess.Stage == StageDone); err != nil {
			return err
		}
		if sess.Stage != StageDone {
			failedSince = 0
		}
		if err := s.rememberDeviceTx(ctx, tx, u.ID, deviceHash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent, stage, failed_attempts)
VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)`, sess.TokenHash, u.ID, sess.CSRFToken, now, sess.ExpiresAt, sess.IP, truncate(sess.UserAgent, 300), sess.Stage, failedSince); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		action := "login"
		if sess.Stage == StageCode {
			action = "login.password"
		}
		return s.audit(ctx, tx, sen.Actor{User: u, IP: sess.IP}, action, "user", u.ID, 0, "")
	})
	return failedSince, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Session is a server-side sign-in session; only the token's hash is stored.
type Session struct {
	TokenHash  string
	User       sen.User
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
	// MustChangePassword: the account signed in with a temporary password
	// and has not chosen its own yet.
	MustChangePassword bool
	// Stage is StageCode until the authenticator code is given.
	Stage string
	// FailedAttempts is how many failed sign-in attempts there were since
	// the person's previous sign-in, to tell them.
	FailedAttempts int
	// TwoFactor: the person has an authenticator app set up.
	TwoFactor bool
}

// SessionByHash returns a live session and its active user. Expired or idle
// sessions and disabled users are ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, hash string, idle time.Duration) (Session, error) {
	var ss Session
	var created, seen, expires dbTime
	err := scanUser(s.db.QueryRowContext(ctx, `SELECT u.id, u.school_id, u.email, u.name, u.role, u.active, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
CASE WHEN u.temp_password_until IS NULL THEN 0 ELSE 1 END, s.stage, s.failed_attempts, u.totp_enabled_at IS NOT NULL
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash), &ss.User, &ss.CSRFToken, &created, &seen, &expires, &ss.MustChangePassword,
		&ss.Stage, &ss.FailedAttempts, &ss.TwoFactor)
	if err != nil {
		return ss, notFound(err)
	}
	ss.TokenHash, ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = hash, created.T, seen.T, expires.T
	now := s.now()
	if !ss.User.Active || now.After(ss.ExpiresAt) || now.Sub(ss.LastSeenAt) > idle || (ss.Stage == StageCode && now.Sub(ss.CreatedAt) > CodeStageLife) {
		return ss, sen.ErrNotFound
	}
	if now.Sub(ss.LastSeenAt) > time.Minute {
		// Touch at most once a minute to keep reads cheap.
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, hash, now); err != nil {
			return ss, err
		}
	}
	return ss, nil
}

// DeleteSession signs a session out.
func (s *Store) DeleteSession(ctx context.Context, a sen.Actor, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "logout", "user", a.User.ID, 0, "")
	})
}

// Users lists a school's staff by name.
func (s *Store) Users(ctx context.Context, schoolID int64) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE school_id = $1 ORDER BY name, id`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.User
	for rows.Next() {
		var u sen.User
		if err := scanUser(rows, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Empty reports whether the database has no school yet (first start).
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools`).Scan(&n)
	return n == 0, err
}

// DemoLogins lists one account per role in the first school, for the demo banner.
func (s *Store) DemoLogins(ctx context.Context) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE school_id = (SELECT MIN(id) FROM schools) ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[sen.Role]bool{}
	var out []sen.User
	for rows.Next() {
		var u sen.User
		if err := scanUser(rows, &u); err != nil {
			return nil, err
		}
		if !seen[u.Role] {
			seen[u.Role] = true
			out = append(out, u)
		}
	}
	return out, rows.Err()
}
