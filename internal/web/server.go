// Package web serves OpenSEND's pages: GOV.UK Design System markup rendered
// on the server, progressive enhancement only, every request authorised by
// role (declared per route in routes.go) and by relationship (in the store).
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"opensend/internal/auth"
	"opensend/internal/authz"
	"opensend/internal/mail"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

//go:embed static
var staticFS embed.FS

//go:embed templates
var templateFS embed.FS

// Config is what the web layer needs from the command line.
type Config struct {
	BaseURL string // public URL; https:// enables HSTS
	Logger  *slog.Logger
	// SessionIdle and SessionMax bound a session's life.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// TrustedProxies are the reverse proxies (load balancers) in front of
	// the server: only a request from one of them may name the real client
	// in X-Forwarded-For (ParseTrustedProxies reads the -trusted-proxy flag).
	TrustedProxies []netip.Prefix
	// SMTP sends the e-mail that tells someone wrong passwords are slowing
	// sign-in to their account (empty Host: kept in the outbox only).
	SMTP mail.Config
}

// Server is the HTTP application.
type Server struct {
	st    *store.Store
	cfg   Config
	log   *slog.Logger
	k     *kit.Kit
	views *kit.Views // the foundation's pages
	// flood caps every sign-in attempt per source; sources and unknown
	// slow wrong passwords per source and per address with no account (an
	// account's own run is kept in the store).
	flood   *auth.Limiter
	sources *auth.Throttle
	unknown *auth.Throttle
	secure  bool
	mux     *http.ServeMux
	modules []kit.Module
	nav     []kit.NavItem
}

// New builds the server and parses every template (failing fast).
func New(st *store.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionMax == 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	secure := strings.HasPrefix(cfg.BaseURL, "https://")
	k, err := kit.New(st, cfg.Logger, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, cfg: cfg, log: cfg.Logger, k: k,
		flood:   auth.NewLimiter(time.Second, 120, 10000),
		sources: auth.NewThrottle(auth.SourceBackoff, auth.SourceLeak, 10000),
		unknown: auth.NewThrottle(auth.AccountBackoff, 0, 10000),
		secure:  secure}
	k.Session = s.session
	k.Nav = s.navFor
	if cfg.SMTP.Host != "" {
		k.Deliver = s.deliverMail
	}
	if s.views, err = k.Views(templateFS, nil); err != nil {
		return nil, err
	}
	if s.modules, err = s.moduleList(); err != nil {
		return nil, err
	}
	s.mux = http.NewServeMux()
	for _, m := range s.modules {
		k.AddFlashes(m.Flashes)
		k.Evidence = append(k.Evidence, m.Evidence...)
		s.nav = append(s.nav, m.Nav...)
		for _, rt := range m.Routes {
			s.mux.Handle(rt.Pattern, s.wrap(rt))
		}
	}
	kit.SortNav(s.nav) // once, by group and then order
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(files)))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := st.DB().PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.k.RenderError(w, r, nil, http.StatusNotFound)
	})
	return s, nil
}

// Handler returns the complete handler chain.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.k.RenderError(w, r, nil, http.StatusForbidden)
	}))
	return s.recoverer(s.securityHeaders(s.realClient(s.logRequests(cop.Handler(s.mux)))))
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict CSP and the other headers on every response.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

type ctxKey int

const userIDKey ctxKey = 1

// logRequests gives each request an id and logs method, route pattern,
// status, time and the id (which an error page also shows): never the
// URL's query or any form value, which may hold pupil data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var uid int64
		id := newRequestID()
		r = kit.WithRequestID(r.WithContext(context.WithValue(r.Context(), userIDKey, &uid)), id)
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/static/") {
			return
		}
		s.log.Info("request", "method", r.Method, "route", r.Pattern, "status", sw.status, "user_id", uid,
			"ms", time.Since(start).Milliseconds(), "request_id", id)
	})
}

// newRequestID returns 12 random hex digits.
func newRequestID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", r.Pattern, "request_id", kit.RequestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.k.RenderError(w, r, nil, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// wrap applies sign-in, role authorisation and the CSRF token check, then
// runs the handler and hands any error to the one error path.
func (s *Server) wrap(rt kit.Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.session(r)
		if rt.Action != "" {
			if err != nil {
				next := r.URL.Path
				http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			}
			if !authz.Can(c.Actor.User.Role, rt.Action) {
				s.k.RenderError(w, r, c, http.StatusForbidden)
				return
			}
		}
		if c != nil {
			if p, ok := r.Context().Value(userIDKey).(*int64); ok {
				*p = c.Actor.User.ID
			}
			r = kit.WithCtx(r, c)
		}
		if r.Method == http.MethodGet && !kit.CleanRequest(r) {
			// A web address with NUL or bytes that are not UTF-8: no form
			// to show an error on, and one answer on both engines.
			s.k.RenderError(w, r, c, http.StatusUnprocessableEntity)
			return
		}
		if c != nil && rt.Action != "" {
			// Sign-in not finished: the authenticator code, a temporary
			// password to change, or an app the school requires come first.
			if to := stageRedirect(c, rt.Pattern); to != "" {
				http.Redirect(w, r, to, http.StatusSeeOther)
				return
			}
		}
		if r.Method == http.MethodPost {
			// Bound every request body; uploads are the largest thing posted.
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
		}
		if r.Method == http.MethodPost && c != nil && rt.Action != "" {
			// Read the body first: a body over the cap is "too large", not a
			// missing CSRF token.
			if err := kit.ParseBody(r); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.k.RenderError(w, r, c, http.StatusRequestEntityTooLarge)
					return
				}
			}
			if !auth.TokensEqual(r.PostFormValue("csrf_token"), c.Session.CSRFToken) {
				s.k.RenderError(w, r, c, http.StatusForbidden)
				return
			}
		}
		if err := rt.Handler(w, r, c); err != nil {
			s.k.Fail(w, r, c, err)
		}
	})
}

// mayBeforePasswordChange lists the routes open to someone who signed in with
// a temporary password and has not yet changed it.
func mayBeforePasswordChange(pattern string) bool {
	switch pattern {
	case "GET /account/password", "POST /account/password", "POST /logout":
		return true
	}
	return false
}

// maxUpload caps any request body. CSV import files are up to 5 MB, and the
// import's commit step posts the file back as URL-safe base64 (4/3 larger,
// about 6.7 MB), so the cap is 8 MB.
const maxUpload = 8 << 20
