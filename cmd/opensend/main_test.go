package main

import (
	"context"
	"path/filepath"
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
