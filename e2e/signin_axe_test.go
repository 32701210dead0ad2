package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/auth"
	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestSignInJourneyPassesAxe walks the sign-in pages this work added, as
// the SENCO would, checking each with axe-core: the notice of failed
// attempts, setting up an authenticator app (QR code and key), the
// recovery codes, the code step at sign-in, the staff page with an account
// whose sign-in is slowed and its unlock, and the reset of an app.
func TestSignInJourneyPassesAxe(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	email := a.login(t, sen.RoleSENCO)

	// Someone else tries her address with a wrong password.
	stranger := a.newUser(t, "stranger")
	stranger.open("/login", 200, "")
	stranger.signIn(email, "not her password", 401, "")
	stranger.wantText(".govuk-error-summary", "Enter a correct email address and password")

	// She signs in and is told.
	senco := a.newUser(t, "senco")
	senco.open("/login", 200, "")
	senco.signIn(email, demo.Password, 200, "attempts")
	if p := senco.path(); !strings.HasPrefix(p, "/account/sign-in-attempts") {
		t.Fatalf("after failed attempts, sign-in went to %s", p)
	}
	senco.wantText("main", "1 failed sign-in attempt since you last signed in")
	senco.click("main a.govuk-button", 200, "")
	if p := senco.path(); p != "/" {
		t.Errorf("Continue went to %s", p)
	}

	// She sets up an authenticator app.
	senco.open("/account/two-factor", 200, "")
	senco.click("form[action='/account/two-factor/start'] button", 200, "setup")
	if !senco.has(`img[src^="data:image/png;base64,"]`) {
		t.Error("no QR code on the setup page")
	}
	secret := auth.Secret(strings.ReplaceAll(senco.text("#secret"), " ", ""))
	senco.typeInto("#code", "123")
	senco.click("form[action='/account/two-factor/setup'] button[type=submit]", 422, "")
	if msgs := senco.errorSummary(); len(msgs) != 1 || !strings.Contains(msgs[0], "The code is not correct") {
		t.Errorf("wrong code: %q", msgs)
	}
	code, _ := auth.TOTPCode(secret, a.st.Now())
	senco.typeInto("#code", code)
	senco.click("form[action='/account/two-factor/setup'] button[type=submit]", 200, "recovery-codes")
	senco.wantText("h1", "Your authenticator app is set up")
	if codes := senco.texts("#recovery-codes code"); len(codes) != auth.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", len(codes))
	}
	senco.open("/account/two-factor", 200, "")
	senco.wantText("main", "10 recovery codes left")

	// Next sign-in: password, then the code.
	senco.click(".app-userbar form[action='/logout'] button", 200, "")
	senco.signIn(email, demo.Password, 200, "code")
	if p := senco.path(); !strings.HasPrefix(p, "/login/code") {
		t.Fatalf("sign-in with an app went to %s", p)
	}
	a.clock.Add(int64(30 * time.Second)) // the next code
	code, _ = auth.TOTPCode(secret, a.st.Now())
	senco.typeInto("#code", code)
	senco.click("form[action='/login/code'] button[type=submit]", 200, "")
	if p := senco.path(); p != "/" {
		t.Fatalf("after the code: %s", p)
	}

	// A teacher's sign-in is slowed by wrong passwords; she unlocks it.
	teacher := a.demo.Users[sen.RoleTeacher][0]
	for i := 0; i < 6; i++ {
		if _, err := a.st.LoginFailed(context.Background(), teacher.ID, "203.0.113.9", "", auth.AccountBackoff); err != nil {
			t.Fatal(err)
		}
	}
	senco.open("/staff", 200, "staff")
	senco.wantText("main", "Sign-in slowed", "Require an authenticator app for the SENCO, deputy SENCO and SLT")
	id := strconv.FormatInt(teacher.ID, 10)
	senco.open("/staff/"+id, 200, "")
	senco.click("form[action='/staff/"+id+"/unlock'] button", 200, "")
	senco.wantFlash("Sign-in delays cleared")

	// Her own staff entry offers the reset of her app (for a lost phone).
	me := strconv.FormatInt(a.demo.Users[sen.RoleSENCO][0].ID, 10)
	senco.open("/staff/"+me, 200, "")
	if !senco.has("form[action='/staff/" + me + "/two-factor/reset'] button") {
		t.Error("no reset of the authenticator app on the staff page")
	}
}
