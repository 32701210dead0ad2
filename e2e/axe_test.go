package e2e

import (
	"net/http"
	"slices"
	"testing"

	"opensend/internal/store"
)

// TestAxeFindsViolations proves the harness really runs axe-core inside the
// app's pages despite their CSP: a page we break on purpose must fail, with
// the rule ids and the offending nodes reported.
func TestAxeFindsViolations(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	u := a.newUser(t, "visitor")
	u.open("/login", http.StatusOK, "")
	// An image with no text alternative and a text box with no label.
	u.eval(`document.querySelector('main').insertAdjacentHTML('beforeend',
		'<img src="/static/nothing.png" id="bad-img"><input type="text" id="bad-input">'); 'ok'`)
	vs := u.axe()
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || v.Nodes[0].Target == "" || v.Help == "" || v.Impact == "" {
			t.Errorf("violation %s lacks its detail: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %q on a broken page; got %v", want, ids)
		}
	}
	for _, v := range vs {
		if v.ID == "image-alt" && v.Nodes[0].Target != "#bad-img" {
			t.Errorf("image-alt reported on %q, want #bad-img", v.Nodes[0].Target)
		}
	}
	// The page's CSP still stops inline script the page itself would run:
	// only the test's CDP evaluation is exempt.
	u.eval(`const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.appendChild(s); 'ok'`)
	if got := u.eval(`String(window.__inline)`); got != "undefined" {
		t.Errorf("an inline script ran despite the CSP (window.__inline = %s)", got)
	}
	var csp []string
	u.evalJSON(`window.__e2e.csp`, &csp)
	if len(csp) == 0 {
		t.Error("the CSP watcher saw no violation for a blocked inline script")
	}
}
