package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"opensend/internal/store"
)

func TestLocalURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://localhost:8080",
		"127.0.0.1:9000": "http://127.0.0.1:9000",
		"0.0.0.0:80":     "http://localhost:80",
		"[::]:8443":      "http://localhost:8443",
		"[::1]:8081":     "http://[::1]:8081",
	} {
		if got := localURL(addr); got != want {
			t.Errorf("localURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestBootstrapRequiresTwoFactor: a school made with -create-school requires
// an authenticator app for its leaders unless told otherwise.
func TestBootstrapRequiresTwoFactor(t *testing.T) {
	for _, on := range []bool{true, false} {
		dsn := filepath.Join(t.TempDir(), "school.db")
		if err := bootstrap(dsn, "Hillside Academy", "secondary", "senco@hillside.example", "Pat Jones", on); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := st.School(context.Background(), 1)
		st.Close()
		if err != nil || sc.RequireTwoFactor != on {
			t.Errorf("-require-two-factor=%v: school requires it = %v (%v)", on, sc.RequireTwoFactor, err)
		}
	}
}

// -migrate-only then -verify-audit on a SQLite file: intact, then broken
// where a row was altered.
func TestVerifyAuditCommand(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "a.db")
	var out bytes.Buffer
	if ok, err := maintain(dsn, false, &out); err != nil || !ok {
		t.Fatalf("migrate: %v %s", err, out.String())
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err := st.CreateSchool(ctx, store.School{Name: "Hillside"})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if ok, err := maintain(dsn, true, &out); err != nil || !ok || !strings.Contains(out.String(), fmt.Sprintf("school %d: intact, 1 row, head 1 ", id)) {
		t.Fatalf("verify: %t %v %q", ok, err, out.String())
	}
	var rowID int64
	if err := st.DB().QueryRow(`SELECT id FROM audit_log WHERE school_id = $1`, id).Scan(&rowID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`DROP TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE audit_log SET user_name = 'Someone else'`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	ok, err := maintain(dsn, true, &out)
	if err != nil || ok || !strings.Contains(out.String(), "BROKEN") || !strings.Contains(out.String(), fmt.Sprintf("altered: audit row %d (seq 1, school.create", rowID)) {
		t.Fatalf("verify after tampering: %t %v %q", ok, err, out.String())
	}
}
