package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// school makes a migrated SQLite database with a school and a pupil, and
// returns it open.
func school(t *testing.T) (string, *store.Store, sen.Actor) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "live.db")
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateSchool(ctx, store.School{Name: "Hillside"})
	if err != nil {
		t.Fatal(err)
	}
	a := sen.Actor{User: sen.User{ID: 0, Name: "test", SchoolID: id, Role: sen.RoleSENCO}}
	return dsn, st, a
}

func addPupil(t *testing.T, st *store.Store, a sen.Actor, n int) error {
	t.Helper()
	p := sen.Pupil{UPN: fmt.Sprintf("A%012d", n), Forename: "Pupil", Surname: fmt.Sprintf("Number%d", n),
		DOB: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: "5"}
	return st.CreatePupil(context.Background(), a, &p)
}

func sub(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := subcommands[args[0]](args[1:], &out, &errOut)
	return code, out.String(), errOut.String()
}

// A backup taken while another goroutine keeps writing is consistent: it
// verifies (integrity, foreign keys, audit chain) and holds a prefix of the
// writes.
func TestBackupWhileWriting(t *testing.T) {
	dsn, st, a := school(t)
	var wg sync.WaitGroup
	var written atomic.Int64
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := addPupil(t, st, a, i); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	dir := t.TempDir()
	var backups []string
	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		code, stdout, stderr := sub(t, "backup", "-db", dsn, "-out", out)
		if code != 0 {
			t.Fatalf("backup %d: %d %s %s", i, code, stdout, stderr)
		}
		backups = append(backups, out)
	}
	close(stop)
	wg.Wait()
	total := written.Load()
	for _, b := range backups {
		code, stdout, stderr := sub(t, "verify", "-db", b)
		if code != 0 || !strings.Contains(stdout, "intact") {
			t.Fatalf("verify %s: %d %s %s", b, code, stdout, stderr)
		}
		if fi, err := os.Stat(b); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("backup %s mode %v (%v), want 0600", b, fi.Mode().Perm(), err)
		}
	}
	bs, err := store.OpenReadOnly(context.Background(), backups[2])
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()
	var n int64
	if err := bs.DB().QueryRow(`SELECT COUNT(*) FROM pupils`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 20 || n > total {
		t.Errorf("backup holds %d pupils; %d were written, at least 20 before it", n, total)
	}
	// A second backup to the same name is refused, not overwritten.
	if code, _, stderr := sub(t, "backup", "-db", dsn, "-out", backups[0]); code == 0 || !strings.Contains(stderr, "exists already") {
		t.Errorf("backup over an existing file: %d %s", code, stderr)
	}
	if code, _, _ := sub(t, "backup", "-db", dsn); code != 2 {
		t.Errorf("backup without -out: %d, want 2", code)
	}
}

func backupOf(t *testing.T) (string, string, *store.Store, sen.Actor) {
	t.Helper()
	dsn, st, a := school(t)
	if err := addPupil(t, st, a, 1); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if code, stdout, stderr := sub(t, "backup", "-db", dsn, "-out", out); code != 0 {
		t.Fatalf("backup: %s %s", stdout, stderr)
	}
	return dsn, out, st, a
}

// A backup with damaged pages fails verify, and restore refuses it.
func TestVerifyCorruptedBackup(t *testing.T) {
	_, out, _, _ := backupOf(t)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(b)/2; i++ { // every page after the first, up to half the file
		b[i] = 0x5a
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := sub(t, "verify", "-db", out)
	if code != 1 || !strings.Contains(stderr, "FAILED") {
		t.Fatalf("verify of a damaged file: %d %s %s", code, stdout, stderr)
	}
	target := filepath.Join(t.TempDir(), "new.db")
	if code, _, stderr := sub(t, "restore", "-in", out, "-db", target); code != 1 || !strings.Contains(stderr, "nothing was restored") {
		t.Fatalf("restore of a damaged file: %d %s", code, stderr)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a damaged backup was restored")
	}
	if code, _, stderr := sub(t, "verify", "-db", filepath.Join(t.TempDir(), "none.db")); code != 1 || !strings.Contains(stderr, "cannot open") {
		t.Errorf("verify of a missing file: %d %s", code, stderr)
	}
}

// A backup whose audit row was altered fails verify on the chain.
func TestVerifyTamperedAudit(t *testing.T) {
	_, out, _, _ := backupOf(t)
	rw, err := store.Open(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET user_name = 'Someone else' WHERE action = 'pupil.create'`} {
		if _, err := rw.DB().Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	rw.Close()
	code, stdout, stderr := sub(t, "verify", "-db", out)
	if code != 1 || !strings.Contains(stdout, "BROKEN") || !strings.Contains(stdout, "altered: audit row") || !strings.Contains(stderr, "audit chain of school 1 is broken") {
		t.Fatalf("verify of a tampered chain: %d %q %q", code, stdout, stderr)
	}
}

// restore refuses a target that holds data unless forced, then replaces it
// with the backup (and drops the old write-ahead log).
func TestRestore(t *testing.T) {
	dsn, out, st, a := backupOf(t)
	if err := addPupil(t, st, a, 2); err != nil { // after the backup
		t.Fatal(err)
	}
	st.Close()
	code, _, stderr := sub(t, "restore", "-in", out, "-db", dsn)
	if code != 1 || !strings.Contains(stderr, "-force") {
		t.Fatalf("restore over data without -force: %d %s", code, stderr)
	}
	count := func(path string) int {
		s, err := store.OpenReadOnly(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var n int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM pupils`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(dsn); n != 2 {
		t.Fatalf("refused restore changed the target: %d pupils", n)
	}
	if code, stdout, stderr := sub(t, "restore", "-in", out, "-db", dsn, "-force"); code != 0 {
		t.Fatalf("restore -force: %d %s %s", code, stdout, stderr)
	}
	if n := count(dsn); n != 1 {
		t.Errorf("after restore: %d pupils, want the backup's 1", n)
	}
	if code, stdout, stderr := sub(t, "verify", "-db", dsn); code != 0 {
		t.Errorf("verify after restore: %s %s", stdout, stderr)
	}
	// Into a new place: no -force needed; the server then opens it normally.
	fresh := filepath.Join(t.TempDir(), "sub", "school.db")
	if code, _, stderr := sub(t, "restore", "-in", out, "-db", fresh); code != 0 {
		t.Fatalf("restore into a new file: %s", stderr)
	}
	s2, err := store.Open(context.Background(), fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := sub(t, "restore", "-db", fresh); code != 2 {
		t.Errorf("restore without -in: %d, want 2", code)
	}
}

// verify refuses a database that is not OpenSEND's; backup and restore
// refuse PostgreSQL and point to pg_dump.
func TestVerifyForeignDatabaseAndPostgres(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, stderr := sub(t, "verify", "-db", path); code != 1 || !strings.Contains(stderr, "not an OpenSEND database") {
		t.Errorf("verify of another database: %d %s", code, stderr)
	}
	for _, args := range [][]string{{"backup", "-db", "postgres://db/opensend", "-out", filepath.Join(t.TempDir(), "x.db")}, {"restore", "-in", path, "-db", "postgres://db/opensend"}} {
		if code, _, stderr := sub(t, args...); code != 1 || !strings.Contains(stderr, "pg_dump") {
			t.Errorf("%s to PostgreSQL: %d %s", args[0], code, stderr)
		}
	}
}
