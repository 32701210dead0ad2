// Package store holds all of OpenSEND's SQL. One Store runs on SQLite (the
// default, pure Go) or PostgreSQL (pgx) behind one *sql.DB; every query is a
// single SQL string with $1…$n placeholders that both engines accept. Each
// public method is one transaction and writes its audit row inside it.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"opensend/internal/sen"
)

//go:embed migrations
var migrations embed.FS

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is the only way into the database.
type Store struct {
	db     *sql.DB
	engine string
	// Now is the clock; tests replace it. It returns UTC instants.
	Now func() time.Time
	// views caches computed views of a school's data (see cachedView).
	views viewCache
	// sets caches the ids of stored sets of listed pupils (see pupilSet).
	sets setCache
	// writer queues SQLite's write transactions (see tx).
	writer sync.Mutex
	// chains holds each open transaction's audit chain heads (audit_chain.go).
	chains chainState
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects PostgreSQL,
// anything else is a SQLite file path (":memory:" is not supported because
// each pooled connection would see its own database; use a temp file).
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{Now: func() time.Time { return time.Now().UTC() }}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.engine = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		s.db.SetMaxOpenConns(max(4, runtime.NumCPU()*4))
		s.db.SetMaxIdleConns(max(4, runtime.NumCPU()*4))
	} else {
		s.engine = SQLite
		// busy_timeout before journal_mode; immediate write transactions;
		// foreign keys on for every pooled connection.
		q := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
		s.db, err = sql.Open("sqlite", "file:"+dsn+q)
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		s.db.SetMaxOpenConns(max(2, runtime.NumCPU()*2))
		s.db.SetMaxIdleConns(max(2, runtime.NumCPU()*2))
	}
	s.db.SetConnMaxIdleTime(5 * time.Minute)
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: connect %s: %w", s.engine, err)
	}
	return s, nil
}

// Engine reports SQLite or Postgres.
func (s *Store) Engine() string { return s.engine }

// DB exposes the pool for the test harness only.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

// Migrate applies every pending migration for the engine.
func (s *Store) Migrate(ctx context.Context) error {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if s.engine == Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, s.db, sub)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	// Rows written before the audit chain existed are chained once.
	return s.backfillAuditChain(ctx)
}

// tx runs fn in one transaction, committing on nil and rolling back otherwise.
// On SQLite, where every transaction is a write (BEGIN IMMEDIATE) and the
// database has one writer, transactions queue on a Go mutex first: waiting
// in SQLite's busy handler instead sleeps in growing steps (up to 100 ms),
// which under load made a few requests wait far longer than the queue. The
// busy timeout still covers another process using the same file. fn must
// not start another transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.engine == SQLite {
		s.writer.Lock()
		defer s.writer.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		s.chains.take(tx)
		_ = tx.Rollback()
		return err
	}
	// The audit chain heads this transaction moved (audit_chain.go).
	if err := s.flushChains(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// now returns the current instant truncated to microseconds (PostgreSQL's precision).
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Today is today's calendar date in Europe/London, as midnight UTC.
func (s *Store) Today() time.Time { return DateOf(s.Now()) }

// DateOf returns the Europe/London calendar date of t as midnight UTC.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(sen.London()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateArg renders a calendar date for a DATE column ("" -> NULL).
func dateArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format("2006-01-02")
}

// timeArg is a TIMESTAMP argument: the zero time is NULL.
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// dbTime scans TIMESTAMP/DATE columns from either engine (time.Time from
// pgx and usually modernc; text from SQLite in some cases) and NULL.
type dbTime struct{ T time.Time }

func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.T = time.Time{}
	case time.Time:
		d.T = x.UTC()
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("store: cannot scan %T into time", v)
	}
	return nil
}

func (d *dbTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			d.T = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: bad time %q", s)
}

// isUnique reports whether err is a unique-constraint violation on either engine.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") || strings.Contains(m, "duplicate key value")
}

// notFound maps sql.ErrNoRows to sen.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return sen.ErrNotFound
	}
	return err
}

// audit appends one row to the audit log inside tx for a change, and bumps
// the school's change counter in the same transaction so cached views of
// the school's data (see cachedView) are recomputed. Every write method
// calls it; a read that is wrongly audited as a write only costs a cache miss.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity string, entityID, pupilID int64, detail string) error {
	if err := s.refuseLeaverWrite(ctx, tx, action, pupilID); err != nil {
		return err
	}
	if err := s.auditRow(ctx, tx, a, action, entity, entityID, pupilID, detail); err != nil {
		return err
	}
	if a.User.SchoolID == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO school_versions (school_id, version) VALUES ($1, 1)
ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1`, a.User.SchoolID); err != nil {
		return fmt.Errorf("store: school version: %w", err)
	}
	return nil
}

// auditRead appends the audit row for a read: it changes nothing, so the
// school's change counter stays as it is.
func (s *Store) auditRead(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity string, entityID, pupilID int64, detail string) error {
	return s.auditRow(ctx, tx, a, action, entity, entityID, pupilID, detail)
}

func (s *Store) auditRow(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity string, entityID, pupilID int64, detail string) error {
	_, err := s.auditRowID(ctx, tx, a, action, entity, entityID, pupilID, detail)
	return err
}

// auditRowID is auditRow returning the new row's id.
func (s *Store) auditRowID(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity string, entityID, pupilID int64, detail string) (int64, error) {
	var uid, sid, eid, pid any
	if a.User.ID != 0 {
		uid = a.User.ID
	}
	if a.User.SchoolID != 0 {
		sid = a.User.SchoolID
	}
	if entityID != 0 {
		eid = entityID
	}
	if pupilID != 0 {
		pid = pupilID
	}
	// The row's place in its school's chain (audit_chain.go): the head is
	// read (and locked) once per transaction and moved here.
	head, err := s.chainHead(ctx, tx, a.User.SchoolID)
	if err != nil {
		return 0, err
	}
	f := auditFields{SchoolID: a.User.SchoolID, UserID: a.User.ID, UserName: a.User.Name, Action: action, Entity: entity,
		EntityID: entityID, PupilID: pupilID, Detail: detail, IP: a.IP, At: s.now(), Seq: head.seq + 1, PrevHash: head.hash}
	hash := auditHash(f)
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO audit_log (school_id, user_id, user_name, action, entity, entity_id, pupil_id, detail, ip, at, seq, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, sid, uid, f.UserName, action, entity, eid, pid, detail, f.IP, f.At, f.Seq, f.PrevHash, hash).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: audit %s: %w", action, err)
	}
	head.seq, head.hash = f.Seq, hash
	return id, nil
}

// scopeUser is the user id that limits pupil queries: the actor's id for
// teachers and TAs, 0 (no limit) for everyone else.
func scopeUser(a sen.Actor) int64 {
	if a.User.Role.Scoped() {
		return a.User.ID
	}
	return 0
}

// teachesSQL is the relationship test used in every pupil query; $N is the
// scope user (0 = unrestricted). Kept as one fragment so scoping is identical
// everywhere.
func teachesSQL(param string) string {
	return `(` + param + ` = 0 OR (p.left_on IS NULL AND EXISTS (SELECT 1 FROM group_pupils gp JOIN group_staff gs ON gs.group_id = gp.group_id
WHERE gp.pupil_id = p.id AND gs.user_id = ` + param + `)))`
}

// onRollSQL is the one "on roll" condition of the working lists (the
// register, the pupil list and search, pickers, dashboards, today, my
// pupils, statutory duties): a leaver (pupils.left_on set, transition.go)
// is in none of them. Teachers and TAs never see a leaver (teachesSQL).
const onRollSQL = `p.left_on IS NULL`
