package store_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The documented PostgreSQL role: the app runs as it (migrations up to date,
// reads, writes, audit rows), and it may not UPDATE, DELETE or TRUNCATE the
// audit tables, nor drop their triggers or alter them.
func TestPostgresAppRole(t *testing.T) {
	ctx := context.Background()
	owner := storetest.Open(t, store.Postgres)
	f := storetest.Seed(t, owner, "x")
	role := "opensend_app_" + strings.ToLower(rand.Text()[:10])
	var db, host string
	var port int
	if err := owner.DB().QueryRow(`SELECT current_database(), COALESCE(host(inet_server_addr()), '127.0.0.1'), inet_server_port()`).Scan(&db, &host, &port); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.DB().Exec(`CREATE ROLE ` + role + ` LOGIN PASSWORD 'app-role-test'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = owner.DB().Exec(`DROP OWNED BY ` + role)
		_, _ = owner.DB().Exec(`DROP ROLE ` + role)
	})
	if _, err := owner.DB().Exec(strings.ReplaceAll(store.PostgresAppRoleSQL, "opensend_app", role)); err != nil {
		t.Fatal(err)
	}
	app, err := store.Open(ctx, fmt.Sprintf("postgres://%s:app-role-test@%s:%d/%s?sslmode=disable", role, host, port, db))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	app.Now = owner.Now
	if err := app.Migrate(ctx); err != nil {
		t.Fatalf("the app role cannot start on an up-to-date database: %v", err)
	}
	senco := f.Actor(sen.RoleSENCO)
	p, err := app.Pupil(ctx, senco, f.InClass.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	p.Forename = "Amarachi"
	if err := app.UpdatePupil(ctx, senco, &p); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.ViewPupils(ctx, senco, store.PupilFilter{}, store.ViewPupilList); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET detail = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`,
		`DELETE FROM audit_listed`, `TRUNCATE audit_listed`, `DROP TRIGGER audit_log_no_update ON audit_log`,
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`, `ALTER TABLE audit_log DROP COLUMN hash`, `UPDATE goose_db_version SET is_applied = false`} {
		_, err := app.DB().Exec(q)
		if err == nil || !strings.Contains(err.Error(), "42501") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("%s: want permission denied, got %v", q, err)
		}
	}
	if r := reportFor(t, app, f.SchoolID); !r.OK() {
		t.Fatalf("chain: %s", breaksString(r.Breaks))
	}
	if _, err := os.Stat("../../docs/operations.md"); err == nil {
		b, _ := os.ReadFile("../../docs/operations.md")
		if !strings.Contains(string(b), store.PostgresAppRoleSQL) {
			t.Error("docs/operations.md does not quote store/postgres_app_role.sql as it is")
		}
	} else {
		t.Error(err)
	}
}
