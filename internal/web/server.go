// Package web serves OpenSEND's pages: GOV.UK Design System markup rendered
// on the server, progressive enhancement only, every request authorised by
// role (declared per route in routes.go) and by relationship (in the store).
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"opensend/internal/auth"
	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

//go:embed static
var staticFS embed.FS

// Config is what the web layer needs from the command line.
type Config struct {
	BaseURL string // public URL; https:// enables HSTS
	Logger  *slog.Logger
	// SessionIdle and SessionMax bound a session's life.
	SessionIdle time.Duration
	SessionMax  time.Duration
}

// Server is the HTTP application.
type Server struct {
	st      *store.Store
	cfg     Config
	log     *slog.Logger
	tmpl    *templates
	limiter *auth.Limiter
	secure  bool
	mux     *http.ServeMux
	routes  []route
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
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{st: st, cfg: cfg, log: cfg.Logger, tmpl: t,
		limiter: auth.NewLimiter(6*time.Second, 10, 10000),
		secure:  strings.HasPrefix(cfg.BaseURL, "https://")}
	s.mux = http.NewServeMux()
	s.routes = s.allRoutes()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
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
		s.renderError(w, r, nil, http.StatusNotFound)
	})
	return s, nil
}

// Handler returns the complete handler chain.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, http.StatusForbidden)
	}))
	return s.recoverer(s.securityHeaders(s.logRequests(cop.Handler(s.mux))))
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

const (
	userIDKey ctxKey = 1
	reqKey    ctxKey = 2
)

// reqFrom returns the signed-in user's context stored by wrap, or nil.
func reqFrom(r *http.Request) *reqCtx {
	c, _ := r.Context().Value(reqKey).(*reqCtx)
	return c
}

// logRequests logs method, route pattern, status and time: never the URL's
// query or any form value, which may hold pupil data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var uid int64
		r = r.WithContext(context.WithValue(r.Context(), userIDKey, &uid))
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/static/") {
			return
		}
		s.log.Info("request", "method", r.Method, "route", r.Pattern, "status", sw.status, "user_id", uid,
			"ms", time.Since(start).Milliseconds())
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", r.Pattern, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.renderError(w, r, nil, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// reqCtx is what a handler knows about the request's signed-in user.
type reqCtx struct {
	Actor   sen.Actor
	Session store.Session
	School  store.School
}

func (c *reqCtx) can(a authz.Action) bool { return c != nil && authz.Can(c.Actor.User.Role, a) }

type handlerFunc func(w http.ResponseWriter, r *http.Request, c *reqCtx) error

// route is one line of the route table: its pattern, the permission it
// needs ("" = open to anyone, e.g. the sign-in page) and its handler.
type route struct {
	pattern string
	action  authz.Action
	h       handlerFunc
}

// wrap applies sign-in, role authorisation and the CSRF token check.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.session(r)
		if rt.action != "" {
			if err != nil {
				next := r.URL.Path
				http.Redirect(w, r, "/login?next="+urlQueryEscape(next), http.StatusSeeOther)
				return
			}
			if !authz.Can(c.Actor.User.Role, rt.action) {
				s.renderError(w, r, c, http.StatusForbidden)
				return
			}
		}
		if c != nil {
			if p, ok := r.Context().Value(userIDKey).(*int64); ok {
				*p = c.Actor.User.ID
			}
			r = r.WithContext(context.WithValue(r.Context(), reqKey, c))
		}
		if r.Method == http.MethodPost {
			// Bound every request body; uploads are the largest thing posted.
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
		}
		if r.Method == http.MethodPost && c != nil && rt.action != "" {
			// Read the body first: a body over the cap is "too large", not a
			// missing CSRF token.
			if err := parseBody(r); err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					s.renderError(w, r, c, http.StatusRequestEntityTooLarge)
					return
				}
			}
			if !auth.TokensEqual(r.PostFormValue("csrf_token"), c.Session.CSRFToken) {
				s.renderError(w, r, c, http.StatusForbidden)
				return
			}
		}
		if err := rt.h(w, r, c); err != nil {
			s.handleError(w, r, c, err)
		}
	})
}

// handleError is the one place errors become responses. Details are logged
// with the route only; the page shows a safe message.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	switch {
	case errors.Is(err, sen.ErrNotFound):
		s.renderError(w, r, c, http.StatusNotFound)
	case errors.Is(err, sen.ErrForbidden):
		s.renderError(w, r, c, http.StatusForbidden)
	case errors.Is(err, errTooLarge):
		s.renderError(w, r, c, http.StatusRequestEntityTooLarge)
	default:
		s.log.Error("handler error", "route", r.Pattern, "err", err.Error())
		s.renderError(w, r, c, http.StatusInternalServerError)
	}
}

var errTooLarge = errors.New("request too large")

// parseBody parses a urlencoded or multipart POST body (as PostFormValue
// would) and returns the error PostFormValue would hide.
func parseBody(r *http.Request) error {
	// ParseForm first: for a urlencoded body ParseMultipartForm would
	// report only ErrNotMultipart and hide ParseForm's error.
	if err := r.ParseForm(); err != nil {
		return err
	}
	err := r.ParseMultipartForm(32 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		return nil
	}
	return err
}

// maxUpload caps any request body. CSV import files are up to 5 MB, and the
// import's commit step posts the file back as URL-safe base64 (4/3 larger,
// about 6.7 MB), so the cap is 8 MB.
const maxUpload = 8 << 20
