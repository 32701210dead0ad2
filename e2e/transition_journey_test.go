package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/transition"
)

// postForm submits the form sel from the page itself, with the user's
// cookies, and returns the response as a download would receive it (the
// CTF export answers with a file, not a page).
func (u *user) postForm(sel string) fetched {
	u.t.Helper()
	var f fetched
	u.evalJSON(fmt.Sprintf(`(form => fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))}).then(async r => {
		const a = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (let i = 0; i < a.length; i += 0x8000) s += String.fromCharCode.apply(null, a.subarray(i, i + 0x8000));
		return {status: r.status, type: (r.headers.get('content-type') || '') + ' ' + (r.headers.get('content-disposition') || ''), body: btoa(s)};
	}))(document.querySelector(%q))`, sel), &f, chromedp.EvalAwaitPromise)
	return f
}

// TestTransitionJourney: the office records that a pupil has left (an error
// first), finds them on the Leavers list, downloads their CTF and records it
// as sent; the SENCO finds the kept record, then imports a CTF from a
// previous school: a file with a problem is refused at the preview, a good
// one is previewed per pupil and committed. Every page passes checkPage
// (axe-core at WCAG 2.2 AA, CSP, script errors).
func TestTransitionJourney(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, true)
	a.shotPrefix = "transition-"
	today := a.st.Today()
	p := a.pupils[1]
	pid := fmt.Sprint(p.ID)

	office := a.newUser(t, "office")
	office.signInTo("/pupils/"+pid, a.login(t, sen.RoleOffice), "")
	office.click("#record-leaving", http.StatusOK, "leave-form")
	office.click("#save-leaving", http.StatusUnprocessableEntity, "leave-errors")
	if got := strings.Join(office.errorSummary(), "; "); !strings.Contains(got, "Enter the date the pupil left") || !strings.Contains(got, "Select why the pupil left") {
		t.Errorf("leave errors: %s", got)
	}
	office.typeDate("leftOn", today)
	office.choose("#reason", "transfer")
	office.typeInto("#destName", "Oakfield Primary School")
	office.typeInto("#destLAESTAB", "886/2043")
	office.click("#save-leaving", http.StatusOK, "leaver")
	office.wantText("main", p.FullName(), "Oakfield Primary School", "886/2043", "To send by")
	office.open("/leavers", http.StatusOK, "leavers")
	office.wantText("#leavers", p.FullName(), "To send by")
	office.open("/leavers/"+pid, http.StatusOK, "")
	f := office.postForm("form[action='/ctf/export']")
	if f.Status != 200 || !strings.Contains(f.Type, "application/xml") || !strings.Contains(f.Type, "8862001_CTF_8862043_") ||
		!strings.Contains(string(f.Body), "<UPN>"+p.UPN+"</UPN>") || !strings.Contains(string(f.Body), "<CTFversion>25.0</CTFversion>") {
		t.Fatalf("CTF download: %d %q", f.Status, f.Type)
	}
	exported := filepath.Join(t.TempDir(), "8862001_CTF_8862043_001.xml")
	if err := os.WriteFile(exported, f.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	office.typeDate("sentOn", today)
	office.click("#record-sent", http.StatusOK, "ctf-sent")
	office.wantText("#ctf-status", "Sent on")
	office.open("/pupils/"+pid, http.StatusNotFound, "")
	office.open("/settings/ctf", http.StatusOK, "school-numbers")
	office.wantText("main", "LA and establishment number")

	senco := a.newUser(t, "senco")
	senco.signInTo("/leavers/"+pid, a.login(t, sen.RoleSENCO), "")
	senco.open("/pupils/"+pid, http.StatusOK, "kept-record")
	senco.wantText("#left-banner", "Left the school on")
	senco.open("/ctf/export", http.StatusOK, "export")

	// The CTF this school exported names its own leaver: refused at the preview.
	senco.open("/ctf/import", http.StatusOK, "import")
	senco.upload("#file", exported)
	senco.click("#check-ctf", http.StatusUnprocessableEntity, "import-blocked")
	senco.wantText("#changes", "undo the leaving")
	if senco.has("#commit-ctf") {
		t.Error("a blocked CTF offers to import")
	}
	// A malformed file is refused with a clear message.
	bad := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(bad, []byte(`<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY x "y">]><CTfile>&x;</CTfile>`), 0o600); err != nil {
		t.Fatal(err)
	}
	senco.open("/ctf/import", http.StatusOK, "")
	senco.upload("#file", bad)
	senco.click("#check-ctf", http.StatusUnprocessableEntity, "import-refused")
	senco.wantText(".govuk-error-summary", "DOCTYPE")
	// A CTF from a previous school for a new pupil.
	rest := "8861000" + "25" + "931"
	newUPN := string(sen.UPNCheckLetter(rest)) + rest
	c := transition.CTF{DateTime: time.Now(), Source: transition.School{LEA: "886", Estab: "1000", Name: "Hillside Primary School", AcademicYear: "2026"},
		Dest: transition.School{LEA: "886", Estab: "2001"},
		Pupils: []transition.CTFPupil{{UPN: newUPN, Surname: "Adeyemi", Forename: "Tolu", DOB: time.Date(2018, 1, 9, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: "3",
			SEN: []transition.SENEntry{{Start: time.Date(2024, 9, 9, 0, 0, 0, 0, time.UTC), Provision: "K"}}, Needs: []sen.Need{{Rank: 1, Code: "SLCN"}}}}}
	data, err := transition.Write(c)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "8861000_CTF_8862001_001.xml")
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	senco.open("/ctf/import", http.StatusOK, "")
	senco.upload("#file", good)
	senco.click("#check-ctf", http.StatusOK, "import-preview")
	senco.wantText("#changes", "Tolu Adeyemi", "New pupil", "SEN support from 9 September 2024")
	senco.click("#commit-ctf", http.StatusOK, "import-done")
	senco.wantText("#done", "1 pupil added")
	senco.open("/pupils?q=adeyemi", http.StatusOK, "")
	senco.wantText("main", "Adeyemi")
}
