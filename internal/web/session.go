package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"opensend/internal/web/kit"

	"opensend/internal/auth"
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

const (
	maxFailures = 5
	lockFor     = 15 * time.Minute
)

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

type loginPage struct {
	kit.Page
	Email string
	Next  string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if c != nil {
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
	if !s.limiter.Allow(ip, now) {
		w.Header().Set("Retry-After", "60")
		return fail(http.StatusTooManyRequests, sen.FieldErrors{"email": "Too many sign-in attempts from your network. Wait a minute and try again"})
	}
	wrong := sen.FieldErrors{"email": "Enter a correct email address and password"}
	cred, err := s.st.CredentialsByEmail(r.Context(), email)
	if errors.Is(err, sen.ErrNotFound) {
		auth.BurnTime(pw)
		return fail(http.StatusUnauthorized, wrong)
	}
	if err != nil {
		return err
	}
	if !cred.User.Active {
		auth.BurnTime(pw)
		return fail(http.StatusUnauthorized, wrong)
	}
	if now.Before(cred.LockedUntil) {
		auth.BurnTime(pw)
		return fail(http.StatusUnauthorized, sen.FieldErrors{"email": "This account is locked after too many wrong passwords. Try again after " +
			cred.LockedUntil.In(sen.London()).Format("15:04") + ", or ask your SENCO or office to reset it"})
	}
	ok, _, err := auth.VerifyPassword(cred.PasswordHash, pw)
	if err != nil || !ok {
		n, err := s.st.LoginFailed(r.Context(), cred.User.ID, ip, maxFailures, lockFor)
		if err != nil {
			return err
		}
		if n >= maxFailures {
			return fail(http.StatusUnauthorized, sen.FieldErrors{"email": "This account is now locked for 15 minutes after too many wrong passwords"})
		}
		return fail(http.StatusUnauthorized, wrong)
	}
	if !cred.TempUntil.IsZero() && !now.Before(cred.TempUntil) {
		// The password is right, so saying why is no help to a guesser.
		return fail(http.StatusUnauthorized, sen.FieldErrors{"password": "This temporary password has expired or has already been used. Ask your SENCO to reset your password"})
	}
	tok := auth.NewToken()
	sess := store.Session{TokenHash: auth.HashToken(tok), CSRFToken: auth.NewToken(), ExpiresAt: now.Add(s.cfg.SessionMax), IP: ip, UserAgent: r.UserAgent()}
	if err := s.st.LoginSucceeded(r.Context(), cred.User, sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: tok, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionMax.Seconds())})
	dest := p.Next
	if dest == "" {
		dest = "/"
	}
	if !cred.TempUntil.IsZero() {
		dest = "/account/password" // a temporary password is changed first
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
	return nil
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
