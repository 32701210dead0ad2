package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"opensend/internal/sen"
)

// A person's active sessions (issue 17): each signed-in browser, where it
// signed in from and when it was last seen; the person can end any of them,
// and the SENCO can end all of a staff member's.

// ActiveSession is one signed-in browser.
type ActiveSession struct {
	// Ref names the session on the page: a digest of its token's hash, so
	// neither the token nor the stored hash leaves the server.
	Ref        string
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Current    bool // the session this request came with
}

func sessionRef(tokenHash string) string {
	h := sha256.Sum256([]byte("opensend-session-ref\x00" + tokenHash))
	return hex.EncodeToString(h[:12])
}

// ActiveSessions lists the actor's live sessions, most recently seen first:
// signed in fully, not expired and not idle for longer than idle.
func (s *Store) ActiveSessions(ctx context.Context, a sen.Actor, currentHash string, idle time.Duration) ([]ActiveSession, error) {
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT token_hash, user_agent, ip, created_at, last_seen_at FROM sessions
WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 AND stage = $4 ORDER BY last_seen_at DESC, created_at DESC`, a.User.ID, now, now.Add(-idle), StageDone)
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	defer rows.Close()
	var out []ActiveSession
	for rows.Next() {
		var hash string
		var x ActiveSession
		var created, seen dbTime
		if err := rows.Scan(&hash, &x.UserAgent, &x.IP, &created, &seen); err != nil {
			return nil, err
		}
		x.Ref, x.CreatedAt, x.LastSeenAt, x.Current = sessionRef(hash), created.T, seen.T, hash == currentHash
		out = append(out, x)
	}
	return out, rows.Err()
}

// EndSession signs out one of the actor's own sessions, named by its Ref.
// A session that has gone already is sen.ErrNotFound.
func (s *Store) EndSession(ctx context.Context, a sen.Actor, ref string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT token_hash FROM sessions WHERE user_id = $1`, a.User.ID)
		if err != nil {
			return err
		}
		var hash string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return err
			}
			if ref != "" && sessionRef(h) == ref {
				hash = h
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if hash == "" {
			return sen.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2`, hash, a.User.ID); err != nil {
			return fmt.Errorf("store: end session: %w", err)
		}
		return s.audit(ctx, tx, a, "session.end", "user", a.User.ID, 0, "")
	})
}

// EndStaffSessions signs a staff member of the actor's school out of every
// browser, and returns how many sessions ended.
func (s *Store) EndStaffSessions(ctx context.Context, a sen.Actor, userID int64) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var found int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2`, userID, a.User.SchoolID).Scan(&found); err != nil {
			return err
		}
		if found == 0 {
			return sen.ErrNotFound
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return fmt.Errorf("store: end staff sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		return s.audit(ctx, tx, a, "staff.sessions.end", "user", userID, 0, fmt.Sprintf("sessions=%d", n))
	})
	return int(n), err
}
