package kit_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

type formPage struct {
	kit.Page
	Name      string
	Refreshed bool
}

// newKit returns a kit whose log goes to buf, with views from testdata.
func newKit(t *testing.T, buf *bytes.Buffer) (*kit.Kit, *kit.Views) {
	t.Helper()
	k, err := kit.New(nil, slog.New(slog.NewTextHandler(buf, nil)), "http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	v, err := k.Views(os.DirFS("testdata"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return k, v
}

// serve runs h through kit.Fail as the server does.
func serve(k *kit.Kit, h kit.HandlerFunc) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r := kit.WithRequestID(httptest.NewRequest(http.MethodPost, "/x", nil), "req123abc")
	if err := h(w, r, nil); err != nil {
		k.Fail(w, r, nil, err)
	}
	return w
}

// TestOneErrorPath: every kind of error a handler returns becomes the right
// response in the one place.
func TestOneErrorPath(t *testing.T) {
	var log bytes.Buffer
	k, v := newKit(t, &log)
	at := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)
	cases := []struct {
		name   string
		form   func(f *kit.Form)
		err    error
		status int
		want   []string
		not    []string
	}{
		{"field errors re-show the form", nil, sen.FieldErrors{"name": "Enter a name"}, 422,
			[]string{"There is a problem", `href="#name">Enter a name`, `class="inline">Enter a name`, `id="name-value">Zanzibar`}, nil},
		{"domain field mapped to the form's", func(f *kit.Form) { f.Fields = map[string]string{"fullName": "name"} },
			sen.FieldErrors{"fullName": "Enter a name"}, 422, []string{`href="#name">Enter a name`}, []string{"#fullName"}},
		{"prefix and catch-all", func(f *kit.Form) { f.Fields, f.Prefix = map[string]string{"*": "name"}, "Nothing was saved: " },
			sen.FieldErrors{"upn": "UPN taken"}, 422, []string{`href="#name">Nothing was saved: UPN taken`}, nil},
		{"conflict: 409 with the message, refreshed", func(f *kit.Form) {
			f.OnConflict = func(*sen.ConflictError) error { f.Data.(*formPage).Refreshed = true; return nil }
		}, &sen.ConflictError{What: "plan", By: "Ann Lee", At: at}, 409, []string{"was changed by Ann Lee", "refreshed", `href="#conflict"`}, nil},
		{"conflict against a field", func(f *kit.Form) { f.ConflictField = "name" }, &sen.ConflictError{Msg: "Already open."}, 409,
			[]string{`href="#name">Already open.`, `class="inline">Already open.`}, nil},
		{"a value already in use is a field error", func(f *kit.Form) { f.ConflictField, f.ConflictInvalid = "name", true },
			&sen.ConflictError{Msg: "That email is in use."}, 422, []string{`class="inline">That email is in use.`}, nil},
		{"a chosen record not found is a field error", func(f *kit.Form) { f.MissingField, f.MissingMsg = "name", "Select a pupil on this school's roll" },
			fmt.Errorf("create: %w", sen.ErrNotFound), 422, []string{`class="inline">Select a pupil on this school&#39;s roll`}, []string{"Page not found"}},
		{"not found stays not found", nil, fmt.Errorf("load: %w", sen.ErrNotFound), 404, []string{"Page not found"}, []string{"Zanzibar"}},
		{"anything else is a 500 with the request id", nil, errors.New("database on fire"), 500,
			[]string{"Sorry, there is a problem", "req123abc"}, []string{"database on fire", "Zanzibar"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log.Reset()
			w := serve(k, func(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
				f := v.Form("form", &formPage{Page: kit.Page{Title: "Form"}, Name: "Zanzibar"}, "name")
				if tc.form != nil {
					tc.form(f)
				}
				return f.Fail(tc.err)
			})
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			body := w.Body.String()
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(body, s) {
					t.Errorf("body shows %q", s)
				}
			}
			if tc.status == 500 && (!strings.Contains(log.String(), "request_id=req123abc") || !strings.Contains(log.String(), "database on fire")) {
				t.Errorf("500 not logged with its request id: %s", log.String())
			}
		})
	}
	// A handler that checks nothing wrong returns nil: Check and Fail pass nil through.
	f := v.Form("form", &formPage{}, "name")
	if f.Check(nil) != nil || f.Check(sen.FieldErrors{}) != nil || f.Fail(nil) != nil {
		t.Error("Check/Fail of nothing is not nil")
	}
}
