package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"opensend/internal/web/kit"

	"opensend/internal/auth"
	"opensend/internal/mail"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Cookie names. Over HTTPS the __Host- prefix pins the cookie to this host,
// path / and Secure; on plain-HTTP localhost (make run) the browser would
// refuse a Secure cookie, so the prefix and flag are dropped there only.
func (s *Server) cookieName() string {
	if s.secure {
		return "__Host-opensend_session"
	}
	return "opensend_session"
}

// deviceCookieName is the long-lived cookie that makes a browser known to
// the accounts that signed in on it. It holds a random token; the server
// keeps only its hash per account (auth.HashToken), so a value the server
// did not issue, or one issued for another account, is no known device.
func (s *Server) deviceCookieName() string {
	if s.secure {
		return "__Host-opensend_device"
	}
	return "opensend_device"
}

// session loads the signed-in user from the session cookie.
func (s *Server) session(r *http.Request) (*kit.Ctx, error) {
	ck, err := r.Cookie(s.cookieName())
	if err != nil || ck.Value == "" {
		return nil, sen.ErrNotFound
	}
	ss, err := s.st.SessionByHash(r.Context(), auth.HashToken(ck.Value), s.cfg.SessionIdle)
	if err != nil {
		return nil, err
	}
	sc, err := s.st.School(r.Context(), ss.User.SchoolID)
	if err != nil {
		return nil, err
	}
	return &kit.Ctx{Actor: sen.Actor{User: ss.User, IP: kit.ClientIP(r)}, Session: ss, School: sc}, nil
}

// twoFactorRoles must use an authenticator app when their school requires
// it: the people who can see and change every pupil's SEN record or read
// all of it.
var twoFactorRoles = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}

// twoFactorRequired reports whether the school requires the role to use
// an authenticator app.
func twoFactorRequired(sc store.School, role sen.Role) bool {
	if !sc.RequireTwoFactor {
		return false
	}
	for _, r := range twoFactorRoles {
		if r == role {
			return true
		}
	}
	return false
}

// mustEnrol: signed in with a password, but the school requires an
// authenticator app for the role and the person has none yet.
func mustEnrol(c *kit.Ctx) bool {
	return c.Session.Stage == store.StageDone && !c.Session.TwoFactor && twoFactorRequired(c.School, c.Actor.User.Role)
}

type loginPage struct {
	kit.Page
	Email string
	Next  string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if c != nil && c.Session.Stage == store.StageDone {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", &loginPage{Page: kit.Page{Title: "Sign in"}, Next: safeNext(r.URL.Query().Get("next"))})
}

// safeNext only allows a local path to return to after sign-in. Browsers
// drop tabs and newlines inside a URL ("/\t/evil.example" becomes
// "//evil.example", another site), so control characters are refused too.
func safeNext(n string) string {
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.Contains(n, "\\") {
		return ""
	}
	for _, r := range n {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	if u, err := url.Parse(n); err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return n
}

// waitText says how long to wait, rounded up: "30 seconds", "2 minutes".
func waitText(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	if secs < 60 {
		return sen.Count(secs, "second", "seconds")
	}
	return sen.Count((secs+59)/60, "minute", "minutes")
}

// throttled answers an attempt that must wait: 429 with Retry-After. The
// words are the same whether or not the address has an account.
func throttled(w http.ResponseWriter, field, what string, wait time.Duration) sen.FieldErrors {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return sen.FieldErrors{field: "Too many " + what + ". Wait " + waitText(wait) + " and try again, or ask your SENCO to unlock your account"}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *kit.Ctx) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	email := strings.TrimSpace(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	p := &loginPage{Page: kit.Page{Title: "Sign in"}, Email: email, Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, fe sen.FieldErrors) error {
		p.SetErrors(fe, "email", "password")
		return s.render(w, r, status, "login", p)
	}
	fe := sen.FieldErrors{}
	if email == "" {
		fe.Add("email", "Enter your email address")
	}
	if pw == "" {
		fe.Add("password", "Enter your password")
	}
	if len(fe) > 0 {
		return fail(http.StatusUnprocessableEntity, fe)
	}
	ip := kit.ClientIP(r)
	now := s.st.Now()
	if !s.flood.Allow(ip, now) {
		w.Header().Set("Retry-After", "60")
		return fail(http.StatusTooManyRequests, sen.FieldErrors{"email": "Too many sign-in attempts from your network. Wait a minute and try again"})
	}
	cred, err := s.st.CredentialsByEmail(r.Context(), email)
	exists := err == nil && cred.User.Active
	if err != nil && !errors.Is(err, sen.ErrNotFound) {
		return err
	}
	// An address with no (active) account is throttled in memory by the
	// same schedule, so the answers cannot tell the two apart.
	unknownKey := "email:" + strings.ToLower(email)
	var devTok, devHash string
	if ck, err := r.Cookie(s.deviceCookieName()); err == nil && ck.Value != "" && len(ck.Value) <= 64 {
		devTok, devHash = ck.Value, auth.HashToken(ck.Value)
	}
	known := false
	var dev store.Device
	if exists {
		if dev, known, err = s.st.KnownDevice(r.Context(), cred.User.ID, devHash); err != nil {
			return err
		}
	}
	// A browser that has signed in to this account before waits only for
	// its own wrong passwords; any other waits for the account's and its
	// network's.
	var until time.Time
	if known {
		until = dev.ThrottledUntil
	} else {
		until = s.sources.Until(ip, now)
		acct := s.unknown.Until(unknownKey, now)
		if exists {
			acct = cred.LockedUntil
		}
		if acct.After(until) {
			until = acct
		}
	}
	if now.Before(until) {
		return fail(http.StatusTooManyRequests, throttled(w, "email", "failed attempts to sign in", until.Sub(now)))
	}
	wrong := sen.FieldErrors{"email": "Enter a correct email address and password"}
	if !exists {
		auth.BurnTime(pw)
		s.sources.Fail(ip, now)
		s.unknown.Fail(unknownKey, now)
		return fail(http.StatusUnauthorized, wrong)
	}
	ok, _, err := auth.VerifyPassword(cred.PasswordHash, pw)
	if err != nil || !ok {
		knownHash := ""
		if known {
			knownHash = devHash
		} else {
			s.sources.Fail(ip, now)
		}
		until, err := s.st.LoginFailed(r.Context(), cred.User.ID, ip, knownHash, auth.AccountBackoff)
		if err != nil {
			return err
		}
		if !until.IsZero() && !known {
			if err := s.alertThrottled(cred.User, now); err != nil {
				return err
			}
		}
		return fail(http.StatusUnauthorized, wrong)
	}
	if !cred.TempUntil.IsZero() && !now.Before(cred.TempUntil) {
		// The password is right, so saying why is no help to a guesser.
		return fail(http.StatusUnauthorized, sen.FieldErrors{"password": "This temporary password has expired or has already been used. Ask your SENCO to reset your password"})
	}
	if devTok == "" {
		devTok = auth.NewToken()
		devHash = auth.HashToken(devTok)
	}
	stage, life := store.StageDone, s.cfg.SessionMax
	if cred.TwoFactor {
		stage, life = store.StageCode, store.CodeStageLife
	}
	tok := auth.NewToken()
	sess := store.Session{TokenHash: auth.HashToken(tok), CSRFToken: auth.NewToken(), ExpiresAt: now.Add(life), IP: ip, UserAgent: r.UserAgent(), Stage: stage}
	failed, err := s.st.LoginSucceeded(r.Context(), cred.User, sess, devHash, known)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, tok, life)
	http.SetCookie(w, &http.Cookie{Name: s.deviceCookieName(), Value: devTok, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(store.DeviceLife.Seconds())})
	dest := p.Next
	switch {
	case stage == store.StageCode:
		dest = "/login/code?next=" + url.QueryEscape(dest)
	case !cred.TempUntil.IsZero():
		dest = "/account/password" // a temporary password is changed first
	default:
		dest = afterSignIn(dest, failed)
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
	return nil
}

func (s *Server) setSessionCookie(w http.ResponseWriter, tok string, life time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: tok, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(life.Seconds())})
}

// afterSignIn is where a completed sign-in goes: the page asked for (or
// home), by way of the notice of failed attempts when there were any.
func afterSignIn(next string, failed int) string {
	if next == "" {
		next = "/"
	}
	if failed > 0 {
		return "/account/sign-in-attempts?next=" + url.QueryEscape(next)
	}
	return next
}

type codePage struct {
	kit.Page
	Next string
}

// loginCode asks for the authenticator app's code after a right password.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if c.Session.Stage != store.StageCode {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.renderCode(w, r, c, http.StatusOK, &codePage{Next: safeNext(r.URL.Query().Get("next"))})
}

// renderCode shows the code step without the navigation: the person is
// not signed in until the code is right.
func (s *Server) renderCode(w http.ResponseWriter, r *http.Request, c *kit.Ctx, status int, p *codePage) error {
	p.Title, p.CSRF = "Enter the code from your authenticator app", c.Session.CSRFToken
	return s.render(w, kit.WithCtx(r, nil), status, "login_code", p)
}

func (s *Server) loginCodeCheck(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if c.Session.Stage != store.StageCode {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p := &codePage{Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, fe sen.FieldErrors) error {
		p.SetErrors(fe, "code")
		return s.renderCode(w, r, c, status, p)
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if code == "" {
		return fail(http.StatusUnprocessableEntity, sen.FieldErrors{"code": "Enter the 6-digit code from your authenticator app"})
	}
	now := s.st.Now()
	tf, err := s.st.TwoFactorOf(r.Context(), c.Actor.User.ID)
	if err != nil {
		return err
	}
	if now.Before(tf.Until) {
		return fail(http.StatusTooManyRequests, throttled(w, "code", "wrong codes", tf.Until.Sub(now)))
	}
	var f store.SecondFactor
	ok := true
	if auth.LooksLikeTOTP(code) {
		f.Step, ok = auth.VerifyTOTP(tf.Secret, code, now, tf.LastStep)
	} else {
		f.RecoveryHash = auth.HashRecoveryCode(code) // the store says whether it is an unused one
	}
	tok := auth.NewToken()
	expires := c.Session.CreatedAt.Add(s.cfg.SessionMax)
	failed := 0
	if ok {
		failed, err = s.st.CompleteSignIn(r.Context(), c.Actor.User, c.Actor.IP, c.Session.TokenHash, auth.HashToken(tok), auth.NewToken(), expires, f)
		if errors.Is(err, sen.ErrNotFound) {
			ok = false
		} else if err != nil {
			return err
		}
	}
	if !ok {
		if _, err := s.st.CodeFailed(r.Context(), c.Actor.User, c.Actor.IP, auth.CodeBackoff, true); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, sen.FieldErrors{"code": "The code is not correct. Enter the code your app shows now, or one of your recovery codes"})
	}
	// The session's life runs from the password step; it now lasts as long
	// as any other.
	s.setSessionCookie(w, tok, expires.Sub(now))
	http.Redirect(w, r, afterSignIn(p.Next, failed), http.StatusSeeOther)
	return nil
}

type attemptsPage struct {
	kit.Page
	Message string
	Next    string
}

// signInAttempts tells the person of the failed attempts to sign in to
// their account since they last signed in.
func (s *Server) signInAttempts(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	next := safeNext(r.URL.Query().Get("next"))
	if next == "" {
		next = "/"
	}
	msg := "There have been no failed sign-in attempts since you last signed in"
	if n := c.Session.FailedAttempts; n > 0 {
		msg = sen.Count(n, "failed sign-in attempt", "failed sign-in attempts") + " since you last signed in"
	}
	return s.render(w, r, http.StatusOK, "sign_in_attempts", &attemptsPage{Page: kit.Page{Title: "Failed sign-in attempts"}, Message: msg, Next: next})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := s.st.DeleteSession(r.Context(), c.Actor, c.Session.TokenHash); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	s.k.SetFlash(w, "signed-out") // confirm on the sign-in page that it worked
	http.Redirect(w, r, "/login?signed_out=1", http.StatusSeeOther)
	return nil
}

// stageRedirect is where a signed-in request must go instead, while sign-in
// is unfinished: the code step, a temporary password to change, or an
// authenticator app the school requires. "" lets it through.
func stageRedirect(c *kit.Ctx, pattern string) string {
	switch {
	case c.Session.Stage == store.StageCode:
		if pattern == "GET /login/code" || pattern == "POST /login/code" || pattern == "POST /logout" {
			return ""
		}
		return "/login/code"
	case c.Session.MustChangePassword:
		if mayBeforePasswordChange(pattern) {
			return ""
		}
		return "/account/password"
	case mustEnrol(c):
		if mayBeforePasswordChange(pattern) || strings.HasPrefix(pattern, "GET /account/two-factor") || strings.HasPrefix(pattern, "POST /account/two-factor") {
			return ""
		}
		return "/account/two-factor"
	}
	return ""
}

// alertThrottled tells the account holder by e-mail, once a day, that
// wrong passwords have started to slow sign-in to their account. The mail
// goes through the outbox (where the SENCO can read it) and, with an SMTP
// server configured, is sent in the background so the answer to the
// sign-in takes no longer than for an address with no account.
func (s *Server) alertThrottled(u sen.User, now time.Time) error {
	msg := mail.Message{To: u.Email, Subject: "OpenSEND: wrong passwords typed for your account",
		Text: "Dear " + u.Name + ",\n\nSomeone has typed several wrong passwords for your OpenSEND account (" + u.Email + "), the latest at " +
			now.In(sen.London()).Format("15:04") + " on " + kit.FormatDate(now.In(sen.London())) + ".\n\n" +
			"Sign-in to your account from browsers you have not used before now has to wait a little between attempts. " +
			"Browsers where you have signed in before are not affected.\n\n" +
			"If it was you, wait a few minutes and try again, or ask your SENCO to unlock your account. " +
			"If it was not you, tell your SENCO, and change your password if you use it anywhere else.\n"}
	status := store.OutboxHeld
	if s.cfg.SMTP.Host != "" {
		status = "sending"
	}
	m := &store.OutboxMail{SchoolID: u.SchoolID, UserID: u.ID, Kind: "sign-in-alert", Day: store.DateOf(now), To: u.Email,
		Subject: msg.Subject, Text: msg.Text, Status: status}
	created, err := s.st.AddOutbox(context.Background(), m)
	if err != nil || !created || s.cfg.SMTP.Host == "" {
		return err
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		status, errText := store.OutboxSent, ""
		if err := s.cfg.SMTP.Send(ctx, msg); err != nil {
			s.log.Warn("sign-in alert not sent", "user_id", u.ID, "err", err.Error())
			status, errText = store.OutboxFailed, err.Error()
		}
		if err := s.st.MarkOutbox(ctx, m.ID, status, errText); err != nil {
			s.log.Error("sign-in alert", "user_id", u.ID, "err", err.Error())
		}
	}()
	return nil
}
