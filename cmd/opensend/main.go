// Command opensend serves the OpenSEND web application.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"opensend/internal/auth"
	"opensend/internal/demo"
	"opensend/internal/ehc"
	"opensend/internal/mail"
	"opensend/internal/sen"
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
	// opensend backup|restore|verify … (records.go), before the server's flags.
	if len(os.Args) > 1 {
		if cmd, ok := subcommands[os.Args[1]]; ok {
			os.Exit(cmd(os.Args[2:], os.Stdout, os.Stderr))
		}
	}
	addr := flag.String("addr", env("OPENSEND_ADDR", ":8080"), "listen address")
	dsn := flag.String("db", env("DATABASE_URL", "data/opensend.db"), "SQLite file path or postgres:// URL")
	withDemo := flag.Bool("demo", env("OPENSEND_DEMO", "") != "", "seed the demo school into an empty database")
	baseURL := flag.String("base-url", env("OPENSEND_BASE_URL", ""), "public URL of the service (default: http://localhost and the -addr port)")
	smtpHost := flag.String("smtp-host", env("OPENSEND_SMTP_HOST", ""), "SMTP server for the daily digest (empty: keep mails in the outbox at /outbox)")
	smtpPort := flag.Int("smtp-port", envInt("OPENSEND_SMTP_PORT", 587), "SMTP port")
	smtpUser := flag.String("smtp-user", env("OPENSEND_SMTP_USER", ""), "SMTP user name (empty: no authentication)")
	smtpPassFile := flag.String("smtp-password-file", env("OPENSEND_SMTP_PASSWORD_FILE", ""), "file holding the SMTP password")
	smtpFrom := flag.String("smtp-from", env("OPENSEND_SMTP_FROM", "opensend@localhost"), "From address of the daily digest")
	smtpTLS := flag.String("smtp-tls", env("OPENSEND_SMTP_TLS", "mandatory"), "STARTTLS policy: mandatory, opportunistic or none")
	digestHour := flag.Int("digest-hour", envInt("OPENSEND_DIGEST_HOUR", 7), "hour (Europe/London, 0-23) to compose the daily digest")
	createSchool := flag.String("create-school", "", "create a school with this name and its first SENCO account, print a temporary password, and exit")
	adminEmail := flag.String("admin-email", "", "with -create-school: the SENCO's email address")
	adminName := flag.String("admin-name", "", "with -create-school: the SENCO's full name")
	phase := flag.String("phase", "primary", "with -create-school: the school's type ("+strings.Join(ehc.SchoolTypeCodes(), ", ")+"); the SENCO or office changes it, and the age range, at /settings/school")
	pprofAddr := flag.String("pprof", "", "serve Go's profiler (/debug/pprof/) on this loopback address, e.g. 127.0.0.1:6060 (off by default)")
	twoFactor := flag.Bool("require-two-factor", true, "with -create-school: require an authenticator app for the SENCO, deputy SENCO and SLT (the SENCO can change it on the Staff page)")
	trusted := flag.String("trusted-proxy", env("OPENSEND_TRUSTED_PROXY", ""), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the real client (empty: trust none)")
	verifyAudit := flag.Bool("verify-audit", false, "check every school's audit chain, say where it breaks, and exit (status 1 if any chain is broken)")
	migrateOnly := flag.Bool("migrate-only", false, "apply pending migrations (and chain audit rows written before the chain existed), then exit")
	flag.Parse()
	if *pprofAddr != "" {
		if err := servePprof(*pprofAddr); err != nil {
			fmt.Fprintln(os.Stderr, "opensend:", err)
			os.Exit(2)
		}
	}
	proxies, err := web.ParseTrustedProxies(*trusted)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if *baseURL == "" {
		*baseURL = localURL(*addr)
	}
	if *createSchool != "" {
		if err := bootstrap(*dsn, *createSchool, *phase, *adminEmail, *adminName, *twoFactor); err != nil {
			fmt.Fprintln(os.Stderr, "opensend:", err)
			os.Exit(1)
		}
		return
	}
	if *verifyAudit || *migrateOnly {
		ok, err := maintain(*dsn, *verifyAudit, os.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, "opensend:", err)
			os.Exit(1)
		}
		if !ok {
			os.Exit(1)
		}
		return
	}
	if *digestHour < 0 || *digestHour > 23 {
		fmt.Fprintln(os.Stderr, "-digest-hour must be 0-23")
		os.Exit(2)
	}
	pass, err := mail.ReadPassword(*smtpPassFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	smtpCfg := mail.Config{Host: *smtpHost, Port: *smtpPort, User: *smtpUser, Password: pass, From: *smtpFrom, TLS: *smtpTLS}

	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(*addr, *dsn, *withDemo, *baseURL, smtpCfg, *digestHour, proxies, log); err != nil {
		log.Error("fatal", "err", err.Error())
		os.Exit(1)
	}
}

// bootstrap creates a school and its first SENCO on a new installation; the
// SENCO then adds the other staff from the Staff page.
func bootstrap(dsn, name, phase, email, person string, twoFactor bool) error {
	if email == "" || person == "" {
		return fmt.Errorf("-create-school needs -admin-email and -admin-name")
	}
	if !ehc.SchoolTypes.Has(phase) {
		return fmt.Errorf("-phase %q is not a school type: use one of %s", phase, strings.Join(ehc.SchoolTypeCodes(), ", "))
	}
	ctx := context.Background()
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
	id, err := st.CreateSchool(ctx, store.School{Name: name, Phase: phase, RequireTwoFactor: twoFactor})
	if err != nil {
		return err
	}
	pw := auth.NewToken()[:20]
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	sys := sen.Actor{User: sen.User{Name: "opensend -create-school", SchoolID: id}}
	if _, err := st.CreateUser(ctx, sys, store.NewUser{SchoolID: id, Email: email, Name: person, Role: sen.RoleSENCO, PasswordHash: hash,
		TempPasswordUntil: st.Now().Add(auth.TempPasswordLife)}); err != nil {
		return err
	}
	fmt.Printf("Created %s (school %d) with SENCO %s.\nTemporary password (shown once; change it after signing in): %s\n", name, id, email, pw)
	if twoFactor {
		fmt.Println("The SENCO, deputy SENCO and SLT sign in with an authenticator app too: each sets one up at first sign-in.")
	}
	return nil
}

// maintain runs the migrations (-migrate-only) or, with verify, checks the
// audit chains of an existing database without migrating it (-verify-audit,
// which may run as a role that can only read). ok is false when a chain is
// broken.
func maintain(dsn string, verify bool, out io.Writer) (ok bool, err error) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return false, err
	}
	defer st.Close()
	if !verify {
		if err := st.Migrate(ctx); err != nil {
			return false, err
		}
		fmt.Fprintln(out, "Migrations applied.")
		return true, nil
	}
	reps, err := st.VerifyAuditChains(ctx)
	if err != nil {
		return false, err
	}
	ok = true
	for _, r := range reps {
		ok = ok && r.OK()
		fmt.Fprint(out, auditReportText(r))
	}
	return ok, nil
}

// auditReportText is one chain's result as the command prints it.
func auditReportText(r store.ChainReport) string {
	var b strings.Builder
	name := fmt.Sprintf("school %d", r.SchoolID)
	if r.SchoolID == 0 {
		name = "rows with no school"
	}
	if r.OK() {
		fmt.Fprintf(&b, "%s: intact, %s, head %d %s\n", name, sen.Count(r.Rows, "row", "rows"), r.HeadSeq, r.HeadHash)
		return b.String()
	}
	fmt.Fprintf(&b, "%s: BROKEN, %s read, head %d %s\n", name, sen.Count(r.Rows, "row", "rows"), r.HeadSeq, r.HeadHash)
	for _, x := range r.Breaks {
		switch x.Kind {
		case store.BreakDeleted:
			if x.AuditID == 0 {
				fmt.Fprintf(&b, "  deleted: %s from seq %d to the head\n", sen.Count(int(x.Missing), "row", "rows"), x.Seq)
			} else {
				fmt.Fprintf(&b, "  deleted: %s from seq %d, before audit row %d\n", sen.Count(int(x.Missing), "row", "rows"), x.Seq, x.AuditID)
			}
		default:
			fmt.Fprintf(&b, "  %s: audit row %d (seq %d, %s, %s)\n", x.Kind, x.AuditID, x.Seq, x.Action, x.At.Format(time.RFC3339))
		}
	}
	if r.More {
		fmt.Fprintf(&b, "  … more than %d breaks; the first are listed\n", store.MaxChainBreaks)
	}
	return b.String()
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func run(addr, dsn string, withDemo bool, baseURL string, smtpCfg mail.Config, digestHour int, proxies []netip.Prefix, log *slog.Logger) error {
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
	srv, err := web.New(st, web.Config{BaseURL: baseURL, Logger: log, TrustedProxies: proxies, SMTP: smtpCfg})
	if err != nil {
		return err
	}
	hs := &http.Server{Addr: addr, Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	// The daily digest of statutory deadlines: sent by SMTP, or kept in the
	// outbox (/outbox) when no SMTP server is configured. The clock is the
	// store's, so tests and demos can move it.
	digest := &mail.Digest{Store: st, SMTP: smtpCfg, BaseURL: baseURL, Hour: digestHour, Now: st.Now, Log: log}
	go digest.Run(ctx, time.Minute)
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

// localURL is the address people on this machine use to reach a server
// listening on addr (":8080" -> http://localhost:8080).
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
