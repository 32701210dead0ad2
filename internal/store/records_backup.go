package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Backup, restore and verify for the command line (opensend backup, restore,
// verify; issue 17). A SQLite backup is VACUUM INTO: one read transaction, so
// the copy is the database as it stood at one instant while the server goes
// on writing (WAL readers do not block the writer), written compacted to a
// new file. PostgreSQL is backed up with pg_dump (docs/operations.md).

// ErrBackupEngine is returned when a SQLite-only operation is asked of PostgreSQL.
var ErrBackupEngine = errors.New("store: backup: not a sqlite database")

// OpenReadOnly opens a SQLite file without changing it (no journal-mode
// switch, no migrations): for checking a backup. A postgres:// URL opens
// normally (the checks only read).
func OpenReadOnly(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Open(ctx, dsn)
	}
	fi, err := os.Stat(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("store: open %s: a directory", dsn)
	}
	s := &Store{engine: SQLite}
	s.Now = func() time.Time { return time.Now().UTC() }
	q := "?mode=ro&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_time_format=sqlite"
	s.db, err = sql.Open("sqlite", "file:"+dsn+q)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	s.db.SetMaxOpenConns(2)
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: open %s: %w", dsn, err)
	}
	return s, nil
}

// BackupTo writes a consistent copy of the SQLite database to path, which
// must not exist yet. The copy is made beside path under a temporary name
// and renamed into place only when complete, so a failed backup never
// leaves a half-written file under the backup's name.
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if s.engine != SQLite {
		return ErrBackupEngine
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s: %w", path, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: %w", err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name) // VACUUM INTO refuses an existing file
	defer os.Remove(name)
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO $1`, name); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Chmod(name, 0o600); err != nil { // special category data: the owner only
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := syncFile(name); err != nil {
		return err
	}
	if err := os.Link(name, path); err != nil { // fails rather than replace a file made meanwhile
		return fmt.Errorf("store: backup: %w", err)
	}
	return syncDir(dir)
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", name, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer d.Close()
	_ = d.Sync() // not every file system syncs directories
	return nil
}

// DatabaseCheck is what Check found in one database.
type DatabaseCheck struct {
	Engine string
	// Integrity holds the lines PRAGMA integrity_check returned other than
	// "ok" (SQLite; empty when sound).
	Integrity []string
	// ForeignKeys is how many rows PRAGMA foreign_key_check reported (SQLite).
	ForeignKeys int
	// SchemaVersion is the newest migration applied to the database;
	// BuildVersion the newest this build knows.
	SchemaVersion, BuildVersion int64
	Chains                      []ChainReport
}

// OK reports whether the database passes every check.
func (c DatabaseCheck) OK() bool {
	if len(c.Integrity) > 0 || c.ForeignKeys > 0 || c.SchemaVersion == 0 || c.SchemaVersion > c.BuildVersion {
		return false
	}
	for _, r := range c.Chains {
		if !r.OK() {
			return false
		}
	}
	return true
}

// BuildSchemaVersion is the newest migration this build carries.
func BuildSchemaVersion() int64 {
	entries, _ := fs.ReadDir(migrations, "migrations/sqlite")
	var v int64
	for _, e := range entries {
		n, err := strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64)
		if err == nil && n > v {
			v = n
		}
	}
	return v
}

// Check examines the whole database: SQLite's integrity and foreign key
// checks, the schema version, and every school's audit chain (the same
// verifier as -verify-audit). It writes nothing. An error means the
// database could not be read at all (for example, it is not a database).
func (s *Store) Check(ctx context.Context) (DatabaseCheck, error) {
	c := DatabaseCheck{Engine: s.engine, BuildVersion: BuildSchemaVersion()}
	if s.engine == SQLite {
		rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
		if err != nil {
			return c, fmt.Errorf("store: integrity check: %w", err)
		}
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				rows.Close()
				return c, err
			}
			if l != "ok" {
				c.Integrity = append(c.Integrity, l)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, fmt.Errorf("store: integrity check: %w", err)
		}
		rows, err = s.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			return c, fmt.Errorf("store: foreign key check: %w", err)
		}
		for rows.Next() {
			c.ForeignKeys++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, fmt.Errorf("store: foreign key check: %w", err)
		}
	}
	var has int
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	if s.engine == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'goose_db_version'`
	}
	if err := s.db.QueryRowContext(ctx, q).Scan(&has); err != nil {
		return c, fmt.Errorf("store: schema version: %w", err)
	}
	if has == 0 {
		return c, nil
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&c.SchemaVersion); err != nil {
		return c, fmt.Errorf("store: schema version: %w", err)
	}
	var audit int
	q = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain_head'`
	if s.engine == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'audit_chain_head'`
	}
	if err := s.db.QueryRowContext(ctx, q).Scan(&audit); err != nil {
		return c, err
	}
	if audit > 0 {
		reps, err := s.VerifyAuditChains(ctx)
		if err != nil {
			return c, err
		}
		c.Chains = reps
	}
	return c, nil
}

// HasTables reports whether the database holds any table (a target
// restore would overwrite).
func (s *Store) HasTables(ctx context.Context) (bool, error) {
	var n int
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`
	if s.engine == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	err := s.db.QueryRowContext(ctx, q).Scan(&n)
	return n > 0, err
}
