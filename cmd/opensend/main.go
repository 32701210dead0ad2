// Command opensend serves the OpenSEND web application.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"opensend/internal/demo"
	"opensend/internal/store"
	"opensend/internal/web"
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	addr := flag.String("addr", env("OPENSEND_ADDR", ":8080"), "listen address")
	dsn := flag.String("db", env("DATABASE_URL", "data/opensend.db"), "SQLite file path or postgres:// URL")
	withDemo := flag.Bool("demo", env("OPENSEND_DEMO", "") != "", "seed the demo school into an empty database")
	baseURL := flag.String("base-url", env("OPENSEND_BASE_URL", "http://localhost:8080"), "public URL of the service")
	flag.Parse()

	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(*addr, *dsn, *withDemo, *baseURL, log); err != nil {
		log.Error("fatal", "err", err.Error())
		os.Exit(1)
	}
}

func run(addr, dsn string, withDemo bool, baseURL string, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !strings.Contains(dsn, "://") {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if withDemo {
		empty, err := st.Empty(ctx)
		if err != nil {
			return err
		}
		if empty {
			fmt.Println("Seeding the demo school (first start)…")
			if _, err := demo.Seed(ctx, st, demo.Options{Seed: 1}); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
		}
		logins, err := st.DemoLogins(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("\nOpenSEND demo school at %s\nEvery demo account's password is: %s\n\n", baseURL, demo.Password)
		for _, l := range logins {
			fmt.Printf("  %-20s %s\n", l.Role.Label(), l.Email)
		}
		fmt.Println()
	}
	srv, err := web.New(st, web.Config{BaseURL: baseURL, Logger: log})
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("listening", "addr", addr, "engine", st.Engine())
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(shut)
	}
	return nil
}
