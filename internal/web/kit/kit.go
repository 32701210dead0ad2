// Package kit is what every web module shares: the request context, the
// route and module types, page rendering with the layout and the form
// partials, form and date helpers, flashes, PDFs, and the one error path
// that turns a handler's error into a response. It imports no web module
// and not the server (internal/web).
package kit

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"

	"opensend/internal/authz"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Ctx is what a handler knows about the request's signed-in user.
type Ctx struct {
	Actor   sen.Actor
	Session store.Session
	School  store.School
}

// Can reports whether the signed-in user's role may perform a.
func (c *Ctx) Can(a authz.Action) bool { return c != nil && authz.Can(c.Actor.User.Role, a) }

type ctxKey int

const (
	ctxUser ctxKey = iota + 1
	ctxRequestID
)

// From returns the signed-in user's context of r, or nil.
func From(r *http.Request) *Ctx {
	c, _ := r.Context().Value(ctxUser).(*Ctx)
	return c
}

// WithCtx returns r carrying c.
func WithCtx(r *http.Request, c *Ctx) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxUser, c))
}

// WithRequestID returns r carrying the request id that the request log line
// and any error page show.
func WithRequestID(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxRequestID, id))
}

// RequestID returns the id of the request, "" if none.
func RequestID(r *http.Request) string {
	id, _ := r.Context().Value(ctxRequestID).(string)
	return id
}

// ClientIP is the address the request came from, for the audit log and the
// sign-in rate limit.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// HandlerFunc is a handler that returns its error to the one error path.
type HandlerFunc func(w http.ResponseWriter, r *http.Request, c *Ctx) error

// Kit holds the shared services a module's handlers use. The server makes
// one and gives it to every module.
type Kit struct {
	Store   *store.Store
	Log     *slog.Logger
	Secure  bool   // served over HTTPS: cookies are Secure
	BaseURL string // the public address, for links that leave the browser (calendar feeds)

	// Session loads the signed-in user of a request (set by the server).
	Session func(r *http.Request) (*Ctx, error)
	// Nav builds the navigation for the signed-in user (set by the server
	// from the module list).
	Nav func(c *Ctx, path string) []NavItem
	// Evidence lists every module's sources for an EHC evidence pack (set
	// by the server from the module list).
	Evidence []EvidenceSource
	// Deliver hands a mail already in the outbox (store.EmailLetter) to
	// the SMTP server in the background (set by the server when one is
	// configured; nil: the mail stays held in the outbox for reading at
	// /outbox).
	Deliver func(outboxID int64)
	// Bodies are the rendered page bodies reused by Views.RenderCached.
	Bodies BodyCache

	flashes map[string]string
	base    *Views // the layout, the shared partials and the error page

	pdfOnce sync.Once
	pdf     *pdf.Renderer
}

// New makes the kit and parses its own templates.
func New(st *store.Store, log *slog.Logger, baseURL string) (*Kit, error) {
	k := &Kit{Store: st, Log: log, Secure: strings.HasPrefix(baseURL, "https://"), BaseURL: baseURL, flashes: map[string]string{}}
	v, err := k.Views(nil, nil)
	if err != nil {
		return nil, err
	}
	k.base = v
	return k, nil
}

// PDF returns the one shared PDF renderer (headless Chromium), started on
// first use.
func (k *Kit) PDF() *pdf.Renderer {
	k.pdfOnce.Do(func() { k.pdf = pdf.New() })
	return k.pdf
}

// Close stops the PDF renderer if it was started.
func (k *Kit) Close() {
	if k.pdf != nil {
		k.pdf.Close()
	}
}

// DeliverMail hands the outbox mails ids to the mailer (Deliver), if any.
func (k *Kit) DeliverMail(ids ...int64) {
	if k.Deliver == nil {
		return
	}
	for _, id := range ids {
		k.Deliver(id)
	}
}
