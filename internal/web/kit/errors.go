package kit

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"opensend/internal/sen"
)

// ErrTooLarge is returned when a request body is over the limit.
var ErrTooLarge = errors.New("request too large")

// Form says how to show a form again when saving it fails: the page
// template, the page data as the person filled it in, and the field order
// of the error summary. A handler returns form.Fail(err); the one error
// path (Kit.Fail) renders the form with a GOV.UK error summary (422) for
// field errors, or with the conflict message (409) for a concurrent edit, and
// treats any other error as usual (404, 500). No handler unwraps field
// errors or conflicts itself.
type Form struct {
	Views *Views
	Page  string
	Data  Pager
	Order []string
	// ConflictField is the field a conflict's message is shown against
	// (default "conflict": the summary only). The status is 409.
	ConflictField string
	// ConflictInvalid says a conflict on this form is about the value typed
	// (a unique value already in use), so it is a field error on
	// ConflictField (422), not a clash with someone else's change.
	ConflictInvalid bool
	// OnConflict, if set, refreshes Data with the record as saved now
	// (e.g. to show the other person's version beside what was typed).
	OnConflict func(ce *sen.ConflictError) error
	// Fields maps a domain field name that the store or the domain reports
	// to the form field that shows it, where the two differ (e.g. "needs"
	// to the first need's select, "need1").
	// "*" maps every field not named.
	Fields map[string]string
	// MissingField and MissingMsg, when set, say that "not found" from the
	// store means a record the form chose (e.g. the pupil picked from a
	// list) is not one the person may choose: shown as this field error
	// (422), not as a missing page.
	MissingField, MissingMsg string
	// Prefix goes before each field error's message (e.g. "The import
	// failed and nothing was saved: ").
	Prefix string
}

// Form describes one of v's pages as a form to show again on failure.
func (v *Views) Form(page string, data Pager, order ...string) *Form {
	return &Form{Views: v, Page: page, Data: data, Order: order}
}

// formError carries a failed save to the error path with its form.
type formError struct {
	form *Form
	err  error
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }

// Fail returns err bound to the form, or nil when err is nil. Field errors
// and conflicts are shown on the form; other errors pass through.
func (f *Form) Fail(err error) error {
	if err == nil {
		return nil
	}
	return &formError{form: f, err: err}
}

// Check returns the field errors bound to the form, or nil if there are none.
func (f *Form) Check(fe sen.FieldErrors) error {
	if len(fe) == 0 {
		return nil
	}
	return f.Fail(fe)
}

// Fail is the one place a handler's error becomes a response. Details are
// logged with the route and the request id only (never pupil data); the page
// shows a safe message and the request id.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, c *Ctx, err error) {
	var fe *formError
	if errors.As(err, &fe) {
		if done := k.reshow(w, r, fe); done == nil {
			return
		} else if done != errNotAForm {
			err = done
		}
	}
	switch {
	case errors.Is(err, sen.ErrNotFound):
		k.RenderError(w, r, c, http.StatusNotFound)
	case errors.Is(err, sen.ErrForbidden):
		k.RenderError(w, r, c, http.StatusForbidden)
	case errors.Is(err, ErrTooLarge):
		k.RenderError(w, r, c, http.StatusRequestEntityTooLarge)
	case errors.Is(err, sen.ErrConflict):
		// A conflict on a page with no form to show it on (a write to a
		// leaver's read-only records, say): its message, 409.
		k.renderConflict(w, r, c, err)
	case !CleanRequest(r):
		// The backstop for text a form did not check: invalid UTF-8 or NUL
		// that the database refused (PostgreSQL does) is the sender's
		// problem, not a 500.
		k.Log.Warn("request with bytes that are not text", "route", r.Pattern, "request_id", RequestID(r), "err", err.Error())
		k.RenderError(w, r, c, http.StatusUnprocessableEntity)
	default:
		k.Log.Error("handler error", "route", r.Pattern, "request_id", RequestID(r), "err", err.Error())
		k.RenderError(w, r, c, http.StatusInternalServerError)
	}
}

// CleanRequest reports whether every value of the request's query and
// parsed form (not uploaded files) is valid UTF-8 without NUL.
func CleanRequest(r *http.Request) bool {
	sets := []url.Values{r.URL.Query(), r.PostForm}
	if r.MultipartForm != nil {
		sets = append(sets, r.MultipartForm.Value)
	}
	for _, vs := range sets {
		for k, list := range vs {
			if !cleanBytes(k) {
				return false
			}
			for _, v := range list {
				if !cleanBytes(v) {
					return false
				}
			}
		}
	}
	return true
}

func cleanBytes(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

var errNotAForm = errors.New("not a form error")

// reshow renders a form again for field errors (422) or a conflict (409).
// It returns errNotAForm when the error is neither, or the error of
// rendering.
func (k *Kit) reshow(w http.ResponseWriter, r *http.Request, e *formError) error {
	f := e.form
	p := f.Data.Base()
	var fields sen.FieldErrors
	var ce *sen.ConflictError
	if f.MissingField != "" && errors.Is(e.err, sen.ErrNotFound) {
		p.SetErrors(sen.FieldErrors{f.MissingField: f.MissingMsg}, f.Order...)
		return f.Views.Render(w, r, http.StatusUnprocessableEntity, f.Page, f.Data)
	}
	switch {
	case errors.As(e.err, &ce):
		if f.OnConflict != nil {
			if err := f.OnConflict(ce); err != nil {
				return err
			}
		}
		status := http.StatusConflict
		if f.ConflictInvalid {
			status = http.StatusUnprocessableEntity
		}
		if f.ConflictField == "" {
			p.Errors = nil // the summary only: the page shows what clashed
			p.ErrorSum = []ErrorItem{{Field: "conflict", Msg: ce.Error()}}
		} else {
			p.SetErrors(sen.FieldErrors{f.ConflictField: ce.Error()}, f.ConflictField)
		}
		return f.Views.Render(w, r, status, f.Page, f.Data)
	case errors.As(e.err, &fields):
		if len(f.Fields) > 0 || f.Prefix != "" {
			shown := sen.FieldErrors{}
			for k, m := range fields {
				if to, ok := f.Fields[k]; ok {
					k = to
				} else if to, ok := f.Fields["*"]; ok {
					k = to
				}
				shown.Add(k, f.Prefix+m)
			}
			fields = shown
		}
		p.SetErrors(fields, f.Order...)
		return f.Views.Render(w, r, http.StatusUnprocessableEntity, f.Page, f.Data)
	}
	return errNotAForm
}

type errorPage struct {
	Page
	Status  int
	Heading string
	Body    string
}

// RenderError shows the error page for status.
func (k *Kit) RenderError(w http.ResponseWriter, r *http.Request, c *Ctx, status int) {
	// Errors can be written before the request carries the user (a refused
	// role, an unknown address): still show who is signed in, so the page
	// offers their home page and sign-out rather than "Sign in".
	if c == nil {
		c = From(r)
	}
	if c == nil && k.Session != nil {
		c, _ = k.Session(r)
	}
	if c != nil && From(r) == nil {
		r = WithCtx(r, c)
	}
	p := &errorPage{Status: status}
	switch status {
	case http.StatusNotFound:
		p.Heading, p.Body = "Page not found", "If you typed the web address, check it is correct. If you followed a link to a pupil's record, the record may not exist or you may not have access to it."
	case http.StatusForbidden:
		p.Heading, p.Body = "You cannot do this", "Your role does not allow this, or the form had expired. Go back, reload the page and try again. If you think you should have access, ask your SENCO."
	case http.StatusRequestEntityTooLarge:
		p.Heading, p.Body = "The file is too large", "Files must be smaller than the limit shown on the upload page."
	case http.StatusUnprocessableEntity:
		p.Heading, p.Body = "What you entered contains characters that are not text", "Something typed or pasted into the form or the web address has invisible characters (such as NUL) or is not valid text. Go back, type it again and try again."
	default:
		p.Heading, p.Body = "Sorry, there is a problem with the service", "Try again later. Nothing you entered has been half-saved: if the page showed an error, your change was not made."
		p.RequestID = RequestID(r)
	}
	p.Title = p.Heading
	if err := k.base.Render(w, r, status, "error", p); err != nil {
		k.Log.Error("render error page", "request_id", RequestID(r), "err", err.Error())
		http.Error(w, p.Heading, status)
	}
}

// renderConflict shows a conflict's message as an error page (409).
func (k *Kit) renderConflict(w http.ResponseWriter, r *http.Request, c *Ctx, err error) {
	if c == nil {
		c = From(r)
	}
	if c != nil && From(r) == nil {
		r = WithCtx(r, c)
	}
	p := &errorPage{Status: http.StatusConflict, Heading: "This change was not made", Body: err.Error()}
	p.Title = p.Heading
	if rerr := k.base.Render(w, r, http.StatusConflict, "error", p); rerr != nil {
		http.Error(w, p.Heading, http.StatusConflict)
	}
}
