// Package storetest gives tests a real, migrated database on each engine:
// a temporary SQLite file, and a fresh database on a PostgreSQL server that
// the harness starts itself (or the one named by OPENSEND_TEST_POSTGRES).
// PostgreSQL is never skipped silently: if it cannot be started the tests
// fail, unless OPENSEND_SKIP_POSTGRES=1 is set outside CI.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"opensend/internal/store"
)

// Engines lists the engines every storage and HTTP test runs on.
var Engines = []string{store.SQLite, store.Postgres}

// Each runs fn once per engine as a subtest with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(e, func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh migrated store on engine, closed and removed when the
// test ends. Its clock is fixed at 2026-11-23 09:00 Europe/London unless the
// test changes s.Now.
func Open(t testing.TB, engine string) *store.Store {
	t.Helper()
	return openN(t, engine, 1)[0]
}

// Twin returns two stores on one fresh migrated database, as two server
// processes sharing it would have: each with its own pool and caches.
func Twin(t testing.TB, engine string) (*store.Store, *store.Store) {
	t.Helper()
	p := openN(t, engine, 2)
	return p[0], p[1]
}

func openN(t testing.TB, engine string, n int) []*store.Store {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch engine {
	case store.SQLite:
		dsn = filepath.Join(t.TempDir(), "test.db")
	case store.Postgres:
		dsn = postgresDB(t)
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	pair := make([]*store.Store, n)
	for i := range pair {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if i == 0 && engine == store.SQLite {
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}
		s.Now = FixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		pair[i] = s
	}
	return pair
}

// FixedClock returns a clock that always says t.
func FixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var server struct {
	once     sync.Once
	base     *url.URL // admin connection URL
	err      error
	stop     func()
	template string
	tmplOnce sync.Once
	tmplErr  error
}

// Shutdown stops a PostgreSQL server this process started. Call it from TestMain.
func Shutdown() {
	if server.stop != nil {
		server.stop()
	}
}

// Main runs the package's tests and then stops the harness's PostgreSQL.
func Main(m interface{ Run() int }) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// postgresDB creates a new database from the migrated template and returns its URL.
func postgresDB(t testing.TB) string {
	t.Helper()
	server.once.Do(startServer)
	if server.err != nil {
		if os.Getenv("OPENSEND_SKIP_POSTGRES") == "1" && os.Getenv("CI") == "" {
			t.Skipf("PostgreSQL unavailable (%v) and OPENSEND_SKIP_POSTGRES=1", server.err)
		}
		t.Fatalf("PostgreSQL test server unavailable: %v", server.err)
	}
	server.tmplOnce.Do(makeTemplate)
	if server.tmplErr != nil {
		t.Fatalf("PostgreSQL template: %v", server.tmplErr)
	}
	admin, err := sql.Open("pgx", server.base.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "t_" + strings.ToLower(rand.Text()[:16])
	var lastErr error
	for range 20 {
		_, lastErr = admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + server.template)
		if lastErr == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatalf("create test database: %v", lastErr)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", server.base.String())
		if err == nil {
			_, _ = a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	u := *server.base
	u.Path = "/" + name
	return u.String()
}

// makeTemplate migrates a template database named after the migrations'
// content hash, so concurrent test processes share it safely.
func makeTemplate() {
	h := sha256.New()
	_ = fs.WalkDir(os.DirFS(migrationsDir()), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(filepath.Join(migrationsDir(), p))
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	server.template = "opensend_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
	admin, err := sql.Open("pgx", server.base.String())
	if err != nil {
		server.tmplErr = err
		return
	}
	defer admin.Close()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		server.tmplErr = err
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		server.tmplErr = err
		return
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(4242)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, server.template).Scan(&exists); err != nil {
		server.tmplErr = err
		return
	}
	if exists {
		return
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+server.template); err != nil {
		server.tmplErr = err
		return
	}
	u := *server.base
	u.Path = "/" + server.template
	s, err := store.Open(ctx, u.String())
	if err != nil {
		server.tmplErr = err
		return
	}
	server.tmplErr = s.Migrate(ctx)
	s.Close()
}

func migrationsDir() string {
	// This file lives in internal/storetest; migrations in internal/store/migrations.
	_, err := os.Stat("../store/migrations")
	if err == nil {
		return "../store/migrations"
	}
	for dir, _ := os.Getwd(); dir != "/"; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "internal/store/migrations")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "."
}

func startServer() {
	if dsn := os.Getenv("OPENSEND_TEST_POSTGRES"); dsn != "" {
		server.base, server.err = url.Parse(dsn)
		return
	}
	bin, err := findPGBin()
	if err != nil {
		server.err = err
		return
	}
	dir, err := os.MkdirTemp("", "opensend-pg-")
	if err != nil {
		server.err = err
		return
	}
	asPostgres := os.Geteuid() == 0
	if asPostgres {
		pu, err := user.Lookup("postgres")
		if err != nil {
			server.err = fmt.Errorf("running as root and no postgres user to run initdb: %w", err)
			return
		}
		uid, _ := strconv.Atoi(pu.Uid)
		gid, _ := strconv.Atoi(pu.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			server.err = err
			return
		}
	}
	run := func(name string, args ...string) error {
		cmdArgs := append([]string{filepath.Join(bin, name)}, args...)
		var cmd *exec.Cmd
		if asPostgres {
			cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--"}, cmdArgs...)...)
		} else {
			cmd = exec.Command(cmdArgs[0], cmdArgs[1:]...)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", name, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		server.err = err
		return
	}
	port, err := freePort()
	if err != nil {
		server.err = err
		return
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		server.err = err
		return
	}
	server.stop = func() {
		_ = run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	}
	server.base, _ = url.Parse(fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
}

func findPGBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	return "", fmt.Errorf("no initdb found (install Debian package postgresql)")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
