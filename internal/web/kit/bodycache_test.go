package kit_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// RenderCached writes what Render writes; it reuses the body filed under a
// key and renders the layout (the person, the CSRF token, breadcrumbs) for
// each request; a body that holds the session's CSRF token is never filed.
func TestRenderCachedReusesOnlyTheBody(t *testing.T) {
	var logs bytes.Buffer
	_, v := newKit(t, &logs)
	req := func(name, token string) *http.Request {
		c := &kit.Ctx{Actor: sen.Actor{User: sen.User{ID: 1, Name: name, Role: sen.RoleSENCO}}, Session: store.Session{CSRFToken: token}, School: store.School{Name: "Test Academy"}}
		return kit.WithCtx(httptest.NewRequest(http.MethodGet, "/x", nil), c)
	}
	render := func(cached bool, key, user, token string, p *formPage) string {
		t.Helper()
		w := httptest.NewRecorder()
		var err error
		if cached {
			err = v.RenderCached(w, req(user, token), http.StatusOK, "reused", key, p)
		} else {
			err = v.Render(w, req(user, token), http.StatusOK, "reused", p)
		}
		if err != nil || w.Code != http.StatusOK {
			t.Fatalf("render: %d %v", w.Code, err)
		}
		return w.Body.String()
	}

	plain := render(false, "", "Ann Lee", "token-ann", &formPage{Page: kit.Page{Title: "Page one"}, Name: "Pupil A"})
	first := render(true, "k1", "Ann Lee", "token-ann", &formPage{Page: kit.Page{Title: "Page one"}, Name: "Pupil A"})
	if first != plain {
		t.Fatalf("RenderCached differs from Render:\n%s\n---\n%s", first, plain)
	}
	// The same key: the body is reused (Pupil A, not B); the layout is this request's.
	again := render(true, "k1", "Bob Ray", "token-bob", &formPage{Page: kit.Page{Title: "Page two"}, Name: "Pupil B"})
	if !strings.Contains(again, "Pupil A") || strings.Contains(again, "Pupil B") {
		t.Errorf("body under k1 not reused")
	}
	if !strings.Contains(again, "Bob Ray") || !strings.Contains(again, "token-bob") || strings.Contains(again, "token-ann") || !strings.Contains(again, `<nav id="crumbs">Page two</nav>`) {
		t.Errorf("layout not rendered for the second request: %s", again)
	}
	// Another key: rendered afresh.
	if other := render(true, "k2", "Bob Ray", "token-bob", &formPage{Page: kit.Page{Title: "Page two"}, Name: "Pupil B"}); !strings.Contains(other, "Pupil B") {
		t.Errorf("body under k2 not rendered")
	}
	// A body with a form holding the session's CSRF token is not filed.
	if withForm := render(true, "k3", "Ann Lee", "token-ann", &formPage{Name: "Pupil C", Refreshed: true}); !strings.Contains(withForm, "Pupil C") {
		t.Fatalf("body with a form not rendered")
	}
	next := render(true, "k3", "Bob Ray", "token-bob", &formPage{Name: "Pupil D", Refreshed: true})
	if strings.Contains(next, "token-ann") || !strings.Contains(next, "Pupil D") {
		t.Errorf("a body with another session's CSRF token was reused")
	}
	// No key: always rendered.
	if none := render(true, "", "Bob Ray", "token-bob", &formPage{Name: "Pupil E"}); !strings.Contains(none, "Pupil E") {
		t.Errorf("empty key reused a body")
	}
}
