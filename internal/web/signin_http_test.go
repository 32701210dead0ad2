package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/auth"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

// newProxiedApp is an app behind a trusted reverse proxy on 127.0.0.1, so
// a test can sign in "from" any address with X-Forwarded-For.
func newProxiedApp(t *testing.T, engine string) *app {
	return newAppWith(t, engine, web.Config{BaseURL: "http://127.0.0.1", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
}

// signIn posts the sign-in form from the network address ip.
func (c *client) signIn(ip, email, pw string) resp {
	c.a.t.Helper()
	return c.postRaw("/login", url.Values{"email": {email}, "password": {pw}}, map[string]string{"X-Forwarded-For": ip})
}

const wrongMsg = "Enter a correct email address and password"

func waitMsg(wait string) string {
	return "Too many failed attempts to sign in. Wait " + wait + " and try again, or ask your SENCO to unlock your account"
}

func TestSignInThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newProxiedApp(t, st.Engine())

		t.Run("the right password gets through after the delay, and wrong ones make it longer", func(t *testing.T) {
			u := a.f.Users[sen.RoleTeacher]
			attacker := a.anon()
			for i := 1; i <= 5; i++ {
				if r := attacker.signIn("203.0.113.9", u.Email, "guess"+strconv.Itoa(i)); r.StatusCode != http.StatusUnauthorized || hasFieldError(r, "email", wrongMsg) != nil {
					t.Fatalf("failure %d: %d %q", i, r.StatusCode, errorSummary(r))
				}
			}
			// The owner, at another browser and network, must wait too.
			owner := a.anon()
			r := owner.signIn("198.51.100.7", u.Email, testPassword)
			if r.StatusCode != http.StatusTooManyRequests || hasFieldError(r, "email", waitMsg("30 seconds")) != nil {
				t.Fatalf("right password during the delay: %d %q", r.StatusCode, errorSummary(r))
			}
			a.advance(31 * time.Second)
			if r := attacker.signIn("203.0.113.9", u.Email, "guess6"); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("guess after the delay: %d", r.StatusCode)
			}
			r = attacker.signIn("203.0.113.9", u.Email, "guess7")
			if r.StatusCode != http.StatusTooManyRequests || hasFieldError(r, "email", waitMsg("1 minute")) != nil {
				t.Fatalf("guess after the 6th failure: %d %q", r.StatusCode, errorSummary(r))
			}
			// The owner is e-mailed (through the outbox) once a day, not per attempt.
			if n := a.count(`SELECT COUNT(*) FROM outbox WHERE user_id = $1 AND kind = 'sign-in-alert' AND to_addr = $2 AND body_text LIKE '%wrong passwords%'`, u.ID, u.Email); n != 1 {
				t.Errorf("%d sign-in alerts in the outbox, want 1", n)
			}
			a.advance(61 * time.Second)
			r = owner.signIn("198.51.100.7", u.Email, testPassword)
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("right password after the delay: %d %q", r.StatusCode, errorSummary(r))
			}
			// They are told: 6 wrong passwords since they last signed in.
			if loc := r.Header.Get("Location"); loc != "/account/sign-in-attempts?next=%2F" {
				t.Fatalf("after failures, sign-in goes to %q", loc)
			}
			if p := owner.get("/account/sign-in-attempts?next=%2F"); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "6 failed sign-in attempts since you last signed in") {
				t.Errorf("notice: %d %s", p.StatusCode, p.Body)
			}
			// The next sign-in has nothing to tell.
			owner.post("/logout", nil)
			if r := owner.signIn("198.51.100.7", u.Email, testPassword); r.Header.Get("Location") != "/" {
				t.Errorf("second sign-in goes to %q", r.Header.Get("Location"))
			}
		})

		t.Run("a browser that signed in before is not slowed by others' failures", func(t *testing.T) {
			u := a.f.Users[sen.RoleSENCO]
			senco := a.anon()
			if r := senco.signIn("192.0.2.10", u.Email, testPassword); r.StatusCode != http.StatusSeeOther || cookieOf(r, "opensend_device") == nil {
				t.Fatalf("first sign-in: %d, device cookie %v", r.StatusCode, cookieOf(r, "opensend_device"))
			}
			senco.get("/")
			senco.post("/logout", nil)
			attacker := a.anon()
			for i := 0; i < 8; i++ {
				attacker.signIn("203.0.113.50", u.Email, "guess")
			}
			if r := attacker.signIn("203.0.113.50", u.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("attacker not slowed: %d", r.StatusCode)
			}
			// Her own browser, even on the attacker's network: one slip is
			// just a wrong password, and the right one works at once.
			if r := senco.signIn("203.0.113.50", u.Email, "typo"); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("known device's typo: %d %q", r.StatusCode, errorSummary(r))
			}
			r := senco.signIn("203.0.113.50", u.Email, testPassword)
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("known device: %d %q", r.StatusCode, errorSummary(r))
			}
			// 5 of the attacker's 8 were tried (the rest had to wait) and her typo.
			if p := senco.get("/account/sign-in-attempts"); !strings.Contains(p.Body, "6 failed sign-in attempts since you last signed in") {
				t.Errorf("notice: %s", regexp.MustCompile(`heading">[^<]*`).FindString(p.Body))
			}
			// The stranger still waits.
			if r := attacker.signIn("203.0.113.50", u.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("after the owner's sign-in the attacker is not slowed: %d", r.StatusCode)
			}
			// A forged device cookie is no known device.
			forged := a.anon()
			jarSet(t, forged, "opensend_device", auth.NewToken())
			if r := forged.signIn("203.0.113.51", u.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("forged device cookie: %d", r.StatusCode)
			}
		})

		t.Run("an address with no account gets the same answers", func(t *testing.T) {
			a.advance(time.Hour)
			real, none := a.f.Users[sen.RoleOffice].Email, "nobody.here@test.example"
			for i := 1; i <= 7; i++ {
				ra := a.anon().signIn("198.51.100.20", real, "guess")
				rb := a.anon().signIn("198.51.100.21", none, "guess")
				if ra.StatusCode != rb.StatusCode || strings.Join(errorSummary(ra), "|") != strings.Join(errorSummary(rb), "|") ||
					ra.Header.Get("Retry-After") != rb.Header.Get("Retry-After") {
					t.Fatalf("attempt %d differs: %d %q %q vs %d %q %q", i, ra.StatusCode, errorSummary(ra), ra.Header.Get("Retry-After"),
						rb.StatusCode, errorSummary(rb), rb.Header.Get("Retry-After"))
				}
				if i == 6 && ra.StatusCode != http.StatusTooManyRequests {
					t.Fatalf("attempt 6: %d, want both slowed", ra.StatusCode)
				}
			}
		})

		t.Run("one network guessing across accounts is slowed, others are not", func(t *testing.T) {
			a.advance(time.Hour)
			for i := 0; i < auth.SourceBackoff.Free; i++ {
				if r := a.anon().signIn("203.0.113.77", "user"+strconv.Itoa(i)+"@test.example", "guess"); r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("failure %d: %d", i+1, r.StatusCode)
				}
			}
			if r := a.anon().signIn("203.0.113.77", a.f.Users[sen.RoleHead].Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("a new account from the guessing network: %d", r.StatusCode)
			}
			if r := a.anon().signIn("203.0.113.78", a.f.Users[sen.RoleHead].Email, testPassword); r.StatusCode != http.StatusSeeOther {
				t.Errorf("another network: %d %q", r.StatusCode, errorSummary(r))
			}
		})
	})
}

// jarSet puts a cookie in a client's jar for the app.
func jarSet(t *testing.T, c *client, name, value string) {
	t.Helper()
	u, _ := url.Parse(c.a.srv.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

func TestUnlockSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newProxiedApp(t, st.Engine())
		u := a.f.Users[sen.RoleTeacher]
		hash := func() string {
			var h string
			if err := a.st.DB().QueryRow(`SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&h); err != nil {
				t.Fatal(err)
			}
			return h
		}
		before := hash()
		for i := 0; i < 7; i++ {
			a.anon().signIn("203.0.113.9", u.Email, "guess")
		}
		if r := a.anon().signIn("198.51.100.1", u.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("not slowed: %d", r.StatusCode)
		}
		senco := a.login(sen.RoleSENCO)
		if p := senco.get("/staff"); !strings.Contains(p.Body, "Sign-in slowed") {
			t.Error("staff page does not show the slowed account")
		}
		id := strconv.FormatInt(u.ID, 10)
		if p := senco.get("/staff/" + id); !strings.Contains(p.Body, `action="/staff/`+id+`/unlock"`) {
			t.Error("no unlock button on the slowed account")
		}
		if r := senco.post("/staff/"+id+"/unlock", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlock: %d", r.StatusCode)
		}
		if n := a.auditCount("user.unlock", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("user.unlock audit rows = %d", n)
		}
		if r := a.anon().signIn("198.51.100.1", u.Email, testPassword); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("after unlock: %d %q", r.StatusCode, errorSummary(r))
		}
		if hash() != before {
			t.Error("unlocking changed the password")
		}
		// A SENCO of another school cannot unlock this account: not found.
		if err := a.st.UnlockSignIn(t.Context(), sen.Actor{User: a.f.Other}, u.ID); err != sen.ErrNotFound {
			t.Errorf("other school's unlock: %v", err)
		}
		// A teacher may not.
		if r := a.login(sen.RoleTA).post("/staff/"+id+"/unlock", nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("TA unlock: %d", r.StatusCode)
		}
	})
}

func TestTrustedProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		lastIP := func(a *app, uid int64) string {
			var ip string
			if err := a.st.DB().QueryRow(`SELECT ip FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, uid).Scan(&ip); err != nil {
				t.Fatal(err)
			}
			return ip
		}
		for _, tc := range []struct {
			name    string
			trusted string
			xff     string
			want    string
		}{
			{"no proxy configured: the header is ignored", "", "203.0.113.5", "127.0.0.1"},
			{"trusted proxy: its client", "127.0.0.1", "203.0.113.5", "203.0.113.5"},
			{"trusted proxy range, client's own header spoofed on the left", "127.0.0.0/8, 10.0.0.0/8", "1.2.3.4, 203.0.113.5, 10.1.2.3", "203.0.113.5"},
			{"another proxy is not trusted", "10.0.0.0/8", "203.0.113.5", "127.0.0.1"},
			{"malformed header", "127.0.0.1", "not-an-ip", "127.0.0.1"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				proxies, err := web.ParseTrustedProxies(tc.trusted)
				if err != nil {
					t.Fatal(err)
				}
				a := newAppWith(t, st.Engine(), web.Config{BaseURL: "http://127.0.0.1", TrustedProxies: proxies})
				u := a.f.Users[sen.RoleSENCO]
				if r := a.anon().signIn(tc.xff, u.Email, testPassword); r.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign-in: %d", r.StatusCode)
				}
				if got := lastIP(a, u.ID); got != tc.want {
					t.Errorf("session ip %q, want %q", got, tc.want)
				}
			})
		}
	})
	if _, err := web.ParseTrustedProxies("10.0.0.1, nonsense"); err == nil {
		t.Error("a bad -trusted-proxy value was accepted")
	}
}

var (
	secretRe = regexp.MustCompile(`id="secret">([A-Z2-7 ]+)<`)
	codesRe  = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
)

// enrol sets up an authenticator app for the signed-in client, as a person
// would: start, read the key off the page, confirm with the app's code.
// It returns the secret and the recovery codes shown.
func enrol(t *testing.T, a *app, c *client) (auth.Secret, []string) {
	t.Helper()
	if r := c.post("/account/two-factor/start", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/two-factor/setup" {
		t.Fatalf("start: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	p := c.get("/account/two-factor/setup")
	m := secretRe.FindStringSubmatch(p.Body)
	if p.StatusCode != http.StatusOK || m == nil || !strings.Contains(p.Body, `src="data:image/png;base64,`) {
		t.Fatalf("setup page: %d, secret %v, QR %v", p.StatusCode, m, strings.Contains(p.Body, "data:image/png"))
	}
	secret := auth.Secret(strings.ReplaceAll(m[1], " ", ""))
	if r := c.post("/account/two-factor/setup", url.Values{"code": {"000000"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("wrong confirmation code: %d", r.StatusCode)
	}
	code, _ := auth.TOTPCode(secret, a.st.Now())
	r := c.post("/account/two-factor/setup", url.Values{"code": {code}})
	codes := codesRe.FindAllStringSubmatch(r.Body, -1)
	if r.StatusCode != http.StatusOK || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("confirm: %d, %d recovery codes", r.StatusCode, len(codes))
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return secret, out
}

func TestTwoFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		u := a.f.Users[sen.RoleDeputy]
		c := a.login(sen.RoleDeputy)
		if p := c.get("/account/two-factor"); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "Off") {
			t.Fatalf("account page: %d", p.StatusCode)
		}
		secret, codes := enrol(t, a, c)
		// Stored: the secret only in its column, recovery codes only hashed.
		if n := a.count(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND code_hash = $2`, u.ID, auth.HashRecoveryCode(codes[0])); n != 1 {
			t.Error("recovery code not stored hashed")
		}
		if n := a.count(`SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1`, codes[0]); n != 0 {
			t.Error("a recovery code stored as typed")
		}
		if n := a.count(`SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1`, "%"+secret.Reveal()[:8]+"%"); n != 0 {
			t.Error("the secret is in the audit log")
		}

		signInPassword := func() *client {
			t.Helper()
			cl := a.anon()
			r := cl.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/register"}})
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login/code?next=%2Fregister" {
				t.Fatalf("password step: %d %s", r.StatusCode, r.Header.Get("Location"))
			}
			if p := cl.get("/register"); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/login/code" {
				t.Fatalf("a page before the code: %d %s", p.StatusCode, p.Header.Get("Location"))
			}
			if p := cl.get("/login/code?next=%2Fregister"); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, `name="next" value="/register"`) {
				t.Fatalf("code page: %d", p.StatusCode)
			}
			return cl
		}

		t.Run("app code", func(t *testing.T) {
			cl := signInPassword()
			// The code used to confirm the app does not work again.
			used, _ := auth.TOTPCode(secret, a.st.Now())
			if r := cl.post("/login/code", url.Values{"code": {used}, "next": {"/register"}}); r.StatusCode != http.StatusUnauthorized ||
				hasFieldError(r, "code", "The code is not correct. Enter the code your app shows now, or one of your recovery codes") != nil {
				t.Fatalf("replayed code: %d %q", r.StatusCode, errorSummary(r))
			}
			a.advance(30 * time.Second)
			code, _ := auth.TOTPCode(secret, a.st.Now())
			r := cl.post("/login/code", url.Values{"code": {code[:3] + " " + code[3:]}, "next": {"/register"}})
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/sign-in-attempts?next=%2Fregister" {
				t.Fatalf("right code: %d %s %q", r.StatusCode, r.Header.Get("Location"), errorSummary(r))
			}
			if p := cl.get("/account/sign-in-attempts?next=%2Fregister"); !strings.Contains(p.Body, "1 failed sign-in attempt since you last signed in") {
				t.Error("the wrong code is not told")
			}
			if p := cl.get("/register"); p.StatusCode != http.StatusOK {
				t.Errorf("signed in: %d", p.StatusCode)
			}
			// The same code again, in a new sign-in: refused.
			cl2 := signInPassword()
			if r := cl2.post("/login/code", url.Values{"code": {code}}); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("code used twice: %d", r.StatusCode)
			}
		})

		t.Run("recovery codes work once each", func(t *testing.T) {
			a.advance(time.Minute)
			cl := signInPassword()
			if r := cl.post("/login/code", url.Values{"code": {strings.ToUpper(codes[1])}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("recovery code: %d %q", r.StatusCode, errorSummary(r))
			}
			cl = signInPassword()
			if r := cl.post("/login/code", url.Values{"code": {codes[1]}}); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("recovery code used twice: %d", r.StatusCode)
			}
			if r := cl.post("/login/code", url.Values{"code": {codes[2]}}); r.StatusCode != http.StatusSeeOther {
				t.Errorf("another recovery code: %d %q", r.StatusCode, errorSummary(r))
			}
			if p := cl.get("/account/two-factor"); !strings.Contains(p.Body, "8 recovery codes left") {
				t.Error("account page does not count the codes left")
			}
		})

		t.Run("wrong codes are slowed", func(t *testing.T) {
			a.advance(time.Minute)
			cl := signInPassword()
			for i := 0; i < 5; i++ {
				if r := cl.post("/login/code", url.Values{"code": {"000000"}}); r.StatusCode != http.StatusUnauthorized {
					t.Fatalf("wrong code %d: %d", i+1, r.StatusCode)
				}
			}
			code, _ := auth.TOTPCode(secret, a.st.Now())
			r := cl.post("/login/code", url.Values{"code": {code}})
			if r.StatusCode != http.StatusTooManyRequests || hasFieldError(r, "code", "Too many wrong codes. Wait 30 seconds and try again, or ask your SENCO to unlock your account") != nil {
				t.Fatalf("6th code: %d %q", r.StatusCode, errorSummary(r))
			}
			a.advance(31 * time.Second)
			code, _ = auth.TOTPCode(secret, a.st.Now())
			if r := cl.post("/login/code", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
				t.Errorf("after the wait: %d %q", r.StatusCode, errorSummary(r))
			}
		})

		t.Run("the code step expires", func(t *testing.T) {
			a.advance(time.Minute)
			cl := signInPassword()
			a.advance(store.CodeStageLife + time.Minute)
			code, _ := auth.TOTPCode(secret, a.st.Now())
			if r := cl.post("/login/code", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?") {
				t.Errorf("code after %s: %d %s", store.CodeStageLife, r.StatusCode, r.Header.Get("Location"))
			}
		})

		t.Run("turn it off with the password", func(t *testing.T) {
			a.advance(time.Minute)
			cl := signInPassword()
			code, _ := auth.TOTPCode(secret, a.st.Now())
			cl.post("/login/code", url.Values{"code": {code}})
			cl.get("/account/two-factor")
			if r := cl.post("/account/two-factor/off", url.Values{"password": {"wrong"}}); r.StatusCode != http.StatusUnprocessableEntity ||
				hasFieldError(r, "password", "Your password is not correct") != nil {
				t.Fatalf("wrong password: %d %q", r.StatusCode, errorSummary(r))
			}
			if r := cl.post("/account/two-factor/off", url.Values{"password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("off: %d %q", r.StatusCode, errorSummary(r))
			}
			if r := a.anon().post("/login", url.Values{"email": {u.Email}, "password": {testPassword}}); r.Header.Get("Location") != "/" {
				t.Errorf("sign-in after turning off goes to %s", r.Header.Get("Location"))
			}
			if n := a.count(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1`, u.ID); n != 0 {
				t.Errorf("%d recovery codes kept", n)
			}
		})
	})
}

func TestTwoFactorRequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		senco := a.login(sen.RoleSENCO)
		if p := senco.get("/staff"); !strings.Contains(p.Body, `action="/staff/two-factor"`) {
			t.Fatal("no authenticator app setting on the staff page")
		}
		if r := senco.post("/staff/two-factor", url.Values{"required": {"yes"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("turn on: %d", r.StatusCode)
		}
		// The SENCO herself has no app: she is sent to set one up.
		if r := senco.get("/register"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/two-factor" {
			t.Fatalf("SENCO without an app: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		for _, tc := range []struct {
			role sen.Role
			must bool
		}{{sen.RoleHead, true}, {sen.RoleDeputy, true}, {sen.RoleTeacher, false}, {sen.RoleOffice, false}, {sen.RoleGovernor, false}} {
			c := a.login(tc.role)
			r := c.get("/figures")
			if got := r.StatusCode == http.StatusSeeOther && r.Header.Get("Location") == "/account/two-factor"; got != tc.must {
				t.Errorf("%s: sent to set up an app = %v, want %v (%d %s)", tc.role, got, tc.must, r.StatusCode, r.Header.Get("Location"))
			}
		}
		head := a.login(sen.RoleHead)
		if p := head.get("/account/two-factor"); p.StatusCode != http.StatusOK || !strings.Contains(p.Body, "Your school requires an authenticator app for your role") {
			t.Fatalf("enrolment page: %d", p.StatusCode)
		}
		secret, _ := enrol(t, a, head)
		if r := head.get("/register"); r.StatusCode != http.StatusOK {
			t.Errorf("after setting up the app: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		// Required: it cannot be turned off, only replaced.
		if r := head.post("/account/two-factor/off", url.Values{"password": {testPassword}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("turning off a required app: %d", r.StatusCode)
		}
		// Sign-in now asks for the code.
		a.advance(time.Minute)
		hu := a.f.Users[sen.RoleHead]
		cl := a.anon()
		if r := cl.post("/login", url.Values{"email": {hu.Email}, "password": {testPassword}}); !strings.HasPrefix(r.Header.Get("Location"), "/login/code") {
			t.Fatalf("sign-in with an app: %s", r.Header.Get("Location"))
		}
		cl.get("/login/code")
		code, _ := auth.TOTPCode(secret, a.st.Now())
		if r := cl.post("/login/code", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("code: %d", r.StatusCode)
		}
		// The SENCO resets it (lost phone): signed out everywhere, and the
		// next sign-in asks for a new app, not a code.
		id := strconv.FormatInt(hu.ID, 10)
		senco = a.login(sen.RoleSENCO) // the old session was sent to enrolment; a new one is too, but staff pages need an app
		if r := senco.get("/staff/" + id); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("SENCO without an app reached the staff page: %d", r.StatusCode)
		}
		senco.get("/account/two-factor")
		enrol(t, a, senco)
		if p := senco.get("/staff/" + id); !strings.Contains(p.Body, `action="/staff/`+id+`/two-factor/reset"`) {
			t.Fatal("no reset button")
		}
		if r := senco.post("/staff/"+id+"/two-factor/reset", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d", r.StatusCode)
		}
		if r := cl.get("/register"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("session after reset: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		c := a.anon()
		if r := c.post("/login", url.Values{"email": {hu.Email}, "password": {testPassword}}); r.Header.Get("Location") != "/" {
			t.Fatalf("after reset sign-in goes to %s", r.Header.Get("Location"))
		}
		if r := c.get("/register"); r.Header.Get("Location") != "/account/two-factor" {
			t.Errorf("after reset: %d %s, want enrolment", r.StatusCode, r.Header.Get("Location"))
		}
		if n := a.auditCount("two_factor.reset", a.f.Users[sen.RoleSENCO].ID); n != 1 {
			t.Errorf("two_factor.reset audit rows = %d", n)
		}
	})
}
