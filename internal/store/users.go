package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

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
		err := tx.QueryRowContext(ctx, `INSERT INTO schools (trust_id, name, urn, la_code, estab, phase, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, trust, sc.Name, sc.URN, sc.LACode, sc.Estab, sc.Phase, s.now()).Scan(&id)
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
	err := q.QueryRowContext(ctx, `SELECT id, trust_id, name, urn, la_code, estab, phase, has_sen_unit, has_resourced_provision FROM schools WHERE id = $1`, id).
		Scan(&sc.ID, &trust, &sc.Name, &sc.URN, &sc.LACode, &sc.Estab, &sc.Phase, &sc.Provision.SENUnit, &sc.Provision.ResourcedProvision)
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
	FailedLogins int
	LockedUntil  time.Time
	// TempUntil is when the temporary password stops working (zero: the
	// password is the person's own). A used temporary password has TempUntil
	// at the time it was used.
	TempUntil time.Time
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
	err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash, failed_logins, locked_until, temp_password_until FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))), &c.User, &c.PasswordHash, &c.FailedLogins, &locked, &temp)
	c.LockedUntil, c.TempUntil = locked.T, temp.T
	return c, notFound(err)
}

// LoginFailed counts a failed password for userID and locks the account
// until lockUntil once maxFailures is reached. It returns the new count.
func (s *Store) LoginFailed(ctx context.Context, userID int64, ip string, maxFailures int, lockFor time.Duration) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, userID).Scan(&n); err != nil {
			return err
		}
		a := sen.Actor{User: sen.User{ID: userID}, IP: ip}
		if n >= maxFailures {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = $2, failed_logins = 0 WHERE id = $1`, userID, s.now().Add(lockFor)); err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "login.locked", "user", userID, 0, fmt.Sprintf("locked for %s after %d failures", lockFor, n))
		}
		return s.audit(ctx, tx, a, "login.failed", "user", userID, 0, "")
	})
	return n, err
}

// LoginSucceeded clears the failure count and opens a session. A temporary
// password is used up: it stops working now, and the account must choose a
// password before doing anything else.
func (s *Store) LoginSucceeded(ctx context.Context, u sen.User, sess Session) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2,
temp_password_until = CASE WHEN temp_password_until IS NULL THEN temp_password_until ELSE $3 END WHERE id = $1`, u.ID, now, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`, sess.TokenHash, u.ID, sess.CSRFToken, now, sess.ExpiresAt, sess.IP, truncate(sess.UserAgent, 300)); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return s.audit(ctx, tx, sen.Actor{User: u, IP: sess.IP}, "login", "user", u.ID, 0, "")
	})
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
}

// SessionByHash returns a live session and its active user. Expired or idle
// sessions and disabled users are ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, hash string, idle time.Duration) (Session, error) {
	var ss Session
	var created, seen, expires dbTime
	err := scanUser(s.db.QueryRowContext(ctx, `SELECT u.id, u.school_id, u.email, u.name, u.role, u.active, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
CASE WHEN u.temp_password_until IS NULL THEN 0 ELSE 1 END
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash), &ss.User, &ss.CSRFToken, &created, &seen, &expires, &ss.MustChangePassword)
	if err != nil {
		return ss, notFound(err)
	}
	ss.TokenHash, ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = hash, created.T, seen.T, expires.T
	now := s.now()
	if !ss.User.Active || now.After(ss.ExpiresAt) || now.Sub(ss.LastSeenAt) > idle {
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
