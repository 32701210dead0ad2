package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/auth"
	"opensend/internal/sen"
)

// A person's own authenticator app (TOTP): the account page, setting one
// up (QR code and the secret written out, confirmed with a code), new
// recovery codes, and turning it off.

type twoFactorPage struct {
	kit.Page
	On           bool
	Required     bool // the school requires it for this person's role
	MustEnrol    bool // required and not set up: nothing else until it is
	EnabledAt    string
	RecoveryLeft int
	RecoveryText string
}

func (s *Server) twoFactorState(r *http.Request, c *kit.Ctx) (*twoFactorPage, error) {
	tf, err := s.st.TwoFactorOf(r.Context(), c.Actor.User.ID)
	if err != nil {
		return nil, err
	}
	p := &twoFactorPage{Page: kit.Page{Title: "Authenticator app"}, On: !tf.EnabledAt.IsZero(), Required: twoFactorRequired(c.School, c.Actor.User.Role),
		MustEnrol: mustEnrol(c), RecoveryLeft: tf.RecoveryLeft}
	if p.On {
		p.EnabledAt = kit.FormatDate(tf.EnabledAt.In(sen.London()))
		p.RecoveryText = sen.Count(tf.RecoveryLeft, "recovery code", "recovery codes") + " left"
	}
	return p, nil
}

func (s *Server) twoFactor(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p, err := s.twoFactorState(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "two_factor", p)
}

// twoFactorStart makes a new secret for the person to add to their app.
func (s *Server) twoFactorStart(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	secret, err := auth.NewTOTPSecret(c.Actor.User.Email)
	if err != nil {
		return err
	}
	if err := s.st.StartTwoFactor(r.Context(), c.Actor, secret); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/two-factor/setup", http.StatusSeeOther)
	return nil
}

type twoFactorSetupPage struct {
	kit.Page
	QR      template.URL // data: URI of the QR code's PNG (made here, so safe as a URL)
	Secret  string       // the secret in blocks of four, for typing into the app
	Account string
}

func (s *Server) setupPage(r *http.Request, c *kit.Ctx) (*twoFactorSetupPage, error) {
	tf, err := s.st.TwoFactorOf(r.Context(), c.Actor.User.ID)
	if err != nil {
		return nil, err
	}
	if tf.Pending == "" {
		return nil, sen.ErrNotFound
	}
	qr, err := auth.TOTPQRCode(tf.Pending, c.Actor.User.Email)
	if err != nil {
		return nil, err
	}
	return &twoFactorSetupPage{Page: kit.Page{Title: "Set up your authenticator app"}, QR: template.URL(qr), Secret: tf.Pending.Grouped(), Account: c.Actor.User.Email}, nil
}

func (s *Server) twoFactorSetup(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p, err := s.setupPage(r, c)
	if errors.Is(err, sen.ErrNotFound) {
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther) // nothing being set up
		return nil
	}
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "two_factor_setup", p)
}

type recoveryCodesPage struct {
	kit.Page
	Codes []string
}

// twoFactorConfirm checks a code from the app against the new secret; if
// it is right the app is set up and the recovery codes are shown, once.
func (s *Server) twoFactorConfirm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.setupPage(r, c)
	if errors.Is(err, sen.ErrNotFound) {
		http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	tf, err := s.st.TwoFactorOf(r.Context(), c.Actor.User.ID)
	if err != nil {
		return err
	}
	form := s.views.Form("two_factor_setup", p, "code")
	now := s.st.Now()
	code := strings.TrimSpace(r.PostFormValue("code"))
	if now.Before(tf.Until) {
		return form.Check(throttled(w, "code", "wrong codes", tf.Until.Sub(now)))
	}
	step, ok := auth.VerifyTOTP(tf.Pending, code, now, 0)
	switch {
	case code == "":
		return form.Check(sen.FieldErrors{"code": "Enter the 6-digit code from your authenticator app"})
	case !ok:
		if _, err := s.st.CodeFailed(r.Context(), c.Actor.User, c.Actor.IP, auth.CodeBackoff, false); err != nil {
			return err
		}
		return form.Check(sen.FieldErrors{"code": "The code is not correct. Check that you added the new secret and enter the code your app shows now"})
	}
	codes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	if err := s.st.ConfirmTwoFactor(r.Context(), c.Actor, tf.Pending, step, hashCodes(codes)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "recovery_codes", &recoveryCodesPage{Page: kit.Page{Title: "Your authenticator app is set up"}, Codes: codes})
}

func hashCodes(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = auth.HashRecoveryCode(c)
	}
	return out
}

// checkPassword is the field error for a wrong current password, if any.
func (s *Server) checkPassword(r *http.Request, c *kit.Ctx) (sen.FieldErrors, error) {
	hash, err := s.st.PasswordHash(r.Context(), c.Actor.User.ID)
	if err != nil {
		return nil, err
	}
	if ok, _, _ := auth.VerifyPassword(hash, r.PostFormValue("password")); !ok {
		return sen.FieldErrors{"password": "Your password is not correct"}, nil
	}
	return nil, nil
}

// twoFactorRecovery replaces the person's recovery codes (after their
// password) and shows the new ones, once.
func (s *Server) twoFactorRecovery(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.twoFactorState(r, c)
	if err != nil {
		return err
	}
	fe, err := s.checkPassword(r, c)
	if err != nil {
		return err
	}
	if err := s.views.Form("two_factor", p, "password").Check(fe); err != nil {
		return err
	}
	codes := auth.NewRecoveryCodes(auth.RecoveryCodeCount)
	if err := s.st.NewRecoveryCodes(r.Context(), c.Actor, hashCodes(codes)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "recovery_codes", &recoveryCodesPage{Page: kit.Page{Title: "Your new recovery codes"}, Codes: codes})
}

// twoFactorOff turns the person's authenticator app off (after their
// password), unless their school requires one for their role.
func (s *Server) twoFactorOff(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.twoFactorState(r, c)
	if err != nil {
		return err
	}
	fe, err := s.checkPassword(r, c)
	if err != nil {
		return err
	}
	if fe == nil && p.Required {
		fe = sen.FieldErrors{"password": "Your school requires an authenticator app for your role: set up a new one instead of turning it off"}
	}
	if err := s.views.Form("two_factor", p, "password").Check(fe); err != nil {
		return err
	}
	if err := s.st.TurnOffTwoFactor(r.Context(), c.Actor, c.Actor.User.ID); err != nil {
		return err
	}
	s.k.SetFlash(w, "two-factor-off")
	http.Redirect(w, r, "/account/two-factor", http.StatusSeeOther)
	return nil
}

// staffTwoFactorReset removes a member of staff's authenticator app (they
// lost their phone) and signs them out everywhere; if their role needs one
// they set up a new one at their next sign-in.
func (s *Server) staffTwoFactorReset(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := s.st.TurnOffTwoFactor(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "staff-two-factor-reset")
	http.Redirect(w, r, staffPath(id), http.StatusSeeOther)
	return nil
}

// staffUnlock clears every sign-in delay on an account, keeping its password.
func (s *Server) staffUnlock(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := s.st.UnlockSignIn(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "staff-unlocked")
	http.Redirect(w, r, staffPath(id), http.StatusSeeOther)
	return nil
}

// staffTwoFactorRule turns on or off the school's requirement of an
// authenticator app for the SENCO, deputy SENCO and SLT.
func (s *Server) staffTwoFactorRule(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	on := r.PostFormValue("required") == "yes"
	if err := s.st.SetRequireTwoFactor(r.Context(), c.Actor, on); err != nil {
		return err
	}
	s.k.SetFlash(w, "two-factor-rule-saved")
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
	return nil
}
