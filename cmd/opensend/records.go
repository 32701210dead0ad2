package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"opensend/internal/store"
)

// The maintenance subcommands (issue 17): opensend backup, restore and
// verify. They come before the server's flags on the command line
// ("opensend backup -db … -out …"), so every existing flag keeps working.

// subcommands maps a first argument to its command; main dispatches on it
// before parsing the server's flags.
var subcommands = map[string]func(args []string, out, errOut io.Writer) int{
	"backup":  cmdBackup,
	"restore": cmdRestore,
	"verify":  cmdVerify,
}

// cmdBackup: opensend backup -db DATABASE -out FILE. Safe while the server
// runs: the copy is one consistent snapshot (store.BackupTo), then checked.
func cmdBackup(args []string, out, errOut io.Writer) int {
	fl := flag.NewFlagSet("opensend backup", flag.ContinueOnError)
	fl.SetOutput(errOut)
	dsn := fl.String("db", env("DATABASE_URL", "data/opensend.db"), "the SQLite database file to back up (it may be in use)")
	dest := fl.String("out", "", "the backup file to write (must not exist)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *dest == "" {
		fmt.Fprintln(errOut, "opensend backup: -out FILE is required")
		return 2
	}
	ctx := context.Background()
	if isPostgres(*dsn) {
		fmt.Fprintln(errOut, "opensend backup:", postgresBackup)
		return 1
	}
	if _, err := os.Stat(*dsn); err != nil {
		fmt.Fprintln(errOut, "opensend backup: no database at", *dsn)
		return 1
	}
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(errOut, "opensend backup:", err)
		return 1
	}
	err = st.BackupTo(ctx, *dest)
	st.Close()
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(errOut, "opensend backup: %s exists already: choose a new file name (nothing was written)\n", *dest)
		return 1
	}
	if err != nil {
		fmt.Fprintln(errOut, "opensend backup:", err)
		return 1
	}
	if !checkFile(*dest, out, errOut, "opensend backup") {
		fmt.Fprintln(errOut, "opensend backup: the backup written to", *dest, "did not pass its check; do not rely on it")
		return 1
	}
	fmt.Fprintf(out, "Backup written to %s and verified.\n", *dest)
	return 0
}

// cmdRestore: opensend restore -in FILE -db DATABASE [-force]. The backup is
// checked, copied beside the target, checked again there, and only then
// renamed over the target; stop the server first.
func cmdRestore(args []string, out, errOut io.Writer) int {
	fl := flag.NewFlagSet("opensend restore", flag.ContinueOnError)
	fl.SetOutput(errOut)
	in := fl.String("in", "", "the backup file to restore")
	dsn := fl.String("db", env("DATABASE_URL", "data/opensend.db"), "the SQLite database file to restore into (stop the server first)")
	force := fl.Bool("force", false, "replace a database that already holds data")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *in == "" {
		fmt.Fprintln(errOut, "opensend restore: -in FILE is required")
		return 2
	}
	if isPostgres(*dsn) {
		fmt.Fprintln(errOut, "opensend restore:", postgresBackup)
		return 1
	}
	fmt.Fprintf(out, "Checking the backup %s…\n", *in)
	if !checkFile(*in, out, errOut, "opensend restore") {
		fmt.Fprintln(errOut, "opensend restore: the backup did not pass its check; nothing was restored")
		return 1
	}
	full, err := holdsData(*dsn)
	if err != nil {
		fmt.Fprintln(errOut, "opensend restore:", err)
		return 1
	}
	if full && !*force {
		fmt.Fprintf(errOut, "opensend restore: %s already holds a database; nothing was restored. Stop the server, and run again with -force to replace it\n", *dsn)
		return 1
	}
	if err := os.MkdirAll(filepath.Dir(*dsn), 0o700); err != nil {
		fmt.Fprintln(errOut, "opensend restore:", err)
		return 1
	}
	tmp, err := copyBeside(*in, *dsn)
	if err != nil {
		fmt.Fprintln(errOut, "opensend restore:", err)
		return 1
	}
	defer os.Remove(tmp)
	if !checkFile(tmp, io.Discard, errOut, "opensend restore") {
		fmt.Fprintln(errOut, "opensend restore: the copy did not pass its check; nothing was restored")
		return 1
	}
	// The old database's write-ahead log belongs to it, not to the backup.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(*dsn + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintln(errOut, "opensend restore:", err)
			return 1
		}
	}
	if err := os.Rename(tmp, *dsn); err != nil {
		fmt.Fprintln(errOut, "opensend restore:", err)
		return 1
	}
	if d, err := os.Open(filepath.Dir(*dsn)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	fmt.Fprintf(out, "Restored %s into %s. Start the server: it applies any newer migrations.\n", *in, *dsn)
	return 0
}

// cmdVerify: opensend verify -db FILE. Exit status 1 when the check fails.
func cmdVerify(args []string, out, errOut io.Writer) int {
	fl := flag.NewFlagSet("opensend verify", flag.ContinueOnError)
	fl.SetOutput(errOut)
	dsn := fl.String("db", "", "the backup or database file to check (or a postgres:// URL)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *dsn == "" {
		fmt.Fprintln(errOut, "opensend verify: -db FILE is required")
		return 2
	}
	if !checkFile(*dsn, out, errOut, "opensend verify") {
		return 1
	}
	return 0
}

// checkFile opens dsn without changing it, runs every check, prints the
// result, and reports whether it passed.
func checkFile(dsn string, out, errOut io.Writer, cmd string) bool {
	ctx := context.Background()
	st, err := store.OpenReadOnly(ctx, dsn)
	if err != nil {
		fmt.Fprintf(errOut, "%s: FAILED: cannot open %s: %v\n", cmd, dsn, err)
		return false
	}
	defer st.Close()
	c, err := st.Check(ctx)
	if err != nil {
		fmt.Fprintf(errOut, "%s: FAILED: %s cannot be read as a database: %v\n", cmd, dsn, err)
		return false
	}
	if c.Engine == store.SQLite {
		fmt.Fprintln(out, "integrity check: "+okText(len(c.Integrity) == 0))
		fmt.Fprintln(out, "foreign key check: "+okText(c.ForeignKeys == 0))
	}
	fmt.Fprintf(out, "schema version: %d (this build: %d)\n", c.SchemaVersion, c.BuildVersion)
	for _, r := range c.Chains {
		fmt.Fprint(out, "audit chain, "+auditReportText(r))
	}
	if p := problems(c); len(p) > 0 {
		fmt.Fprintf(errOut, "%s: FAILED: %s\n", cmd, dsn)
		for _, l := range p {
			fmt.Fprintln(errOut, "  "+l)
		}
		return false
	}
	fmt.Fprintf(out, "%s: passed\n", dsn)
	return true
}

// postgresBackup is what backup and restore say when given PostgreSQL.
const postgresBackup = "backup and restore files are for SQLite; for PostgreSQL use pg_dump and pg_restore (docs/operations.md, Backups)"

// problems lists, in plain words for the operator, why a database fails
// its check; empty when it passes (c.OK()).
func problems(c store.DatabaseCheck) []string {
	var p []string
	for _, l := range c.Integrity {
		p = append(p, "integrity check: "+l)
	}
	if c.ForeignKeys > 0 {
		p = append(p, fmt.Sprintf("foreign key check: %d rows refer to rows that do not exist", c.ForeignKeys))
	}
	switch {
	case c.SchemaVersion == 0:
		p = append(p, "no OpenSEND schema: this is not an OpenSEND database")
	case c.SchemaVersion > c.BuildVersion:
		p = append(p, fmt.Sprintf("schema version %d is newer than this build (%d): use a newer opensend", c.SchemaVersion, c.BuildVersion))
	}
	for _, r := range c.Chains {
		if !r.OK() {
			p = append(p, fmt.Sprintf("audit chain of school %d is broken (%d breaks)", r.SchoolID, len(r.Breaks)))
		}
	}
	return p
}

func okText(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// holdsData reports whether a SQLite file exists with at least one table.
func holdsData(path string) (bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if fi.Size() == 0 {
		return false, nil
	}
	st, err := store.OpenReadOnly(context.Background(), path)
	if err != nil {
		return true, nil // something is there that is not an empty database: keep it unless forced
	}
	defer st.Close()
	has, err := st.HasTables(context.Background())
	if err != nil {
		return true, nil
	}
	return has, nil
}

// copyBeside copies src to a new temporary file in dst's directory, synced
// to disk, and returns its name.
func copyBeside(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".restore-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}
