package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"opensend/internal/auth"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestSignInThrottleStore: the account's run of wrong passwords grows the
// wait per auth.AccountBackoff, a known device has its own run, a right
// password from a known device leaves the account's run, and the count to
// tell moves to the session at the next complete sign-in.
func TestSignInThrottleStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		f := storetest.Seed(t, s, "x")
		u := f.Users[sen.RoleTeacher]
		b := auth.AccountBackoff
		for i := 1; i <= 6; i++ {
			until, err := s.LoginFailed(ctx, u.ID, "203.0.113.1", "", b)
			if err != nil {
				t.Fatal(err)
			}
			if want := b.Wait(i); (want == 0) != until.IsZero() || (want > 0 && !until.Equal(now.Add(want))) {
				t.Errorf("failure %d: until %v, want now+%s", i, until, want)
			}
		}
		c, err := s.CredentialsByEmail(ctx, u.Email)
		if err != nil || c.FailedLogins != 6 || !c.LockedUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("credentials: %d %v %v", c.FailedLogins, c.LockedUntil, err)
		}

		// A device becomes known at a sign-in; its failures are its own.
		dev := auth.HashToken("device-1")
		if _, ok, _ := s.KnownDevice(ctx, u.ID, dev); ok {
			t.Fatal("device known before any sign-in")
		}
		sess := func(tok string) store.Session {
			return store.Session{TokenHash: auth.HashToken(tok), CSRFToken: "c", ExpiresAt: now.Add(time.Hour), IP: "192.0.2.1"}
		}
		failed, err := s.LoginSucceeded(ctx, u, sess("s1"), dev, false)
		if err != nil || failed != 6 {
			t.Fatalf("sign-in: told %d, %v", failed, err)
		}
		if c, _ := s.CredentialsByEmail(ctx, u.Email); c.FailedLogins != 0 || !c.LockedUntil.IsZero() {
			t.Errorf("a right password from a new browser kept the run: %d %v", c.FailedLogins, c.LockedUntil)
		}
		if _, ok, _ := s.KnownDevice(ctx, u.ID, dev); !ok {
			t.Fatal("device not known after sign-in")
		}
		if _, ok, _ := s.KnownDevice(ctx, f.Users[sen.RoleTA].ID, dev); ok {
			t.Error("device known to another account")
		}
		for i := 0; i < 5; i++ {
			if _, err := s.LoginFailed(ctx, u.ID, "192.0.2.1", dev, b); err != nil {
				t.Fatal(err)
			}
		}
		d, _, _ := s.KnownDevice(ctx, u.ID, dev)
		c, _ = s.CredentialsByEmail(ctx, u.Email)
		if d.Failures != 5 || !d.ThrottledUntil.Equal(now.Add(30*time.Second)) || c.FailedLogins != 0 {
			t.Errorf("device run %d until %v; account run %d", d.Failures, d.ThrottledUntil, c.FailedLogins)
		}
		// Others' failures, then a right password at the known device: the
		// account's run stays for strangers, the device's is cleared.
		for i := 0; i < 5; i++ {
			_, _ = s.LoginFailed(ctx, u.ID, "203.0.113.1", "", b)
		}
		failed, err = s.LoginSucceeded(ctx, u, sess("s2"), dev, true)
		if err != nil || failed != 10 {
			t.Fatalf("second sign-in told %d, %v", failed, err)
		}
		c, _ = s.CredentialsByEmail(ctx, u.Email)
		d, _, _ = s.KnownDevice(ctx, u.ID, dev)
		if c.FailedLogins != 5 || c.LockedUntil.IsZero() || d.Failures != 0 {
			t.Errorf("after known-device sign-in: account %d %v, device %d", c.FailedLogins, c.LockedUntil, d.Failures)
		}
		ss, err := s.SessionByHash(ctx, auth.HashToken("s2"), time.Hour)
		if err != nil || ss.FailedAttempts != 10 || ss.Stage != store.StageDone {
			t.Errorf("session: %+v %v", ss, err)
		}

		// Unlock clears every run, in the actor's school only.
		if err := s.UnlockSignIn(ctx, sen.Actor{User: f.Other}, u.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("other school: %v", err)
		}
		if err := s.UnlockSignIn(ctx, f.Actor(sen.RoleSENCO), u.ID); err != nil {
			t.Fatal(err)
		}
		c, _ = s.CredentialsByEmail(ctx, u.Email)
		if c.FailedLogins != 0 || !c.LockedUntil.IsZero() {
			t.Errorf("after unlock: %d %v", c.FailedLogins, c.LockedUntil)
		}

		// A run is forgotten a day after its latest failure.
		for i := 0; i < 6; i++ {
			_, _ = s.LoginFailed(ctx, u.ID, "203.0.113.1", "", b)
		}
		now = now.Add(auth.ThrottleForget + time.Hour)
		if until, _ := s.LoginFailed(ctx, u.ID, "203.0.113.1", "", b); !until.IsZero() {
			t.Errorf("a day-old run still counted: until %v", until)
		}
		// Devices unused for DeviceLife are forgotten.
		now = now.Add(store.DeviceLife + time.Hour)
		if _, ok, _ := s.KnownDevice(ctx, u.ID, dev); ok {
			t.Error("a device unused for a year is still known")
		}
	})
}

func TestTwoFactorStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		f := storetest.Seed(t, s, "x")
		me := f.Actor(sen.RoleSENCO)
		secret, _ := auth.NewTOTPSecret(me.User.Email)
		if err := s.ConfirmTwoFactor(ctx, me, secret, 1, nil); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("confirm with nothing pending: %v", err)
		}
		if err := s.StartTwoFactor(ctx, me, secret); err != nil {
			t.Fatal(err)
		}
		tf, err := s.TwoFactorOf(ctx, me.User.ID)
		if err != nil || tf.Pending != secret || tf.Secret != "" {
			t.Fatalf("pending: %v", err)
		}
		step := now.Unix() / 30
		hashes := []string{auth.HashRecoveryCode("aaaaa-bbbbb"), auth.HashRecoveryCode("ccccc-ddddd")}
		if err := s.ConfirmTwoFactor(ctx, me, secret, step, hashes); err != nil {
			t.Fatal(err)
		}
		tf, _ = s.TwoFactorOf(ctx, me.User.ID)
		if tf.Secret != secret || tf.Pending != "" || tf.LastStep != step || tf.RecoveryLeft != 2 || !tf.EnabledAt.Equal(now) {
			t.Fatalf("confirmed: last step %d, %d codes, enabled %v", tf.LastStep, tf.RecoveryLeft, tf.EnabledAt)
		}
		// Sign in with a code: a session in the code stage, then complete.
		open := func(tok string) {
			t.Helper()
			if _, err := s.LoginSucceeded(ctx, me.User, store.Session{TokenHash: auth.HashToken(tok), CSRFToken: "c", ExpiresAt: now.Add(store.CodeStageLife), Stage: store.StageCode}, "", false); err != nil {
				t.Fatal(err)
			}
		}
		open("p1")
		if ss, err := s.SessionByHash(ctx, auth.HashToken("p1"), time.Hour); err != nil || ss.Stage != store.StageCode || !ss.TwoFactor {
			t.Fatalf("code-stage session: %+v %v", ss, err)
		}
		if _, err := s.CompleteSignIn(ctx, me.User, "", auth.HashToken("p1"), auth.HashToken("d1"), "c2", now.Add(time.Hour), store.SecondFactor{Step: step}); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("the confirming step used again: %v", err)
		}
		if _, err := s.CompleteSignIn(ctx, me.User, "", auth.HashToken("p1"), auth.HashToken("d1"), "c2", now.Add(time.Hour), store.SecondFactor{Step: step + 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByHash(ctx, auth.HashToken("p1"), time.Hour); !errors.Is(err, sen.ErrNotFound) {
			t.Error("the code-stage token still works after completion")
		}
		if ss, err := s.SessionByHash(ctx, auth.HashToken("d1"), time.Hour); err != nil || ss.Stage != store.StageDone || ss.CSRFToken != "c2" {
			t.Errorf("completed session: %+v %v", ss, err)
		}
		// Recovery codes: once each.
		open("p2")
		rc := store.SecondFactor{RecoveryHash: hashes[0]}
		if _, err := s.CompleteSignIn(ctx, me.User, "", auth.HashToken("p2"), auth.HashToken("d2"), "c", now.Add(time.Hour), rc); err != nil {
			t.Fatal(err)
		}
		open("p3")
		if _, err := s.CompleteSignIn(ctx, me.User, "", auth.HashToken("p3"), auth.HashToken("d3"), "c", now.Add(time.Hour), rc); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("recovery code used twice: %v", err)
		}
		// Wrong codes: the wait grows by auth.CodeBackoff.
		for i := 1; i <= 6; i++ {
			until, err := s.CodeFailed(ctx, me.User, "", auth.CodeBackoff, true)
			if err != nil {
				t.Fatal(err)
			}
			if w := auth.CodeBackoff.Wait(i); (w == 0) != until.IsZero() {
				t.Errorf("code failure %d: until %v", i, until)
			}
		}
		// A code-stage session lasts CodeStageLife.
		now = now.Add(store.CodeStageLife + time.Second)
		if _, err := s.SessionByHash(ctx, auth.HashToken("p3"), time.Hour); !errors.Is(err, sen.ErrNotFound) {
			t.Error("code-stage session outlived CodeStageLife")
		}
		// Reset by a SENCO of the school: app and codes gone, signed out.
		deputy := f.Actor(sen.RoleDeputy)
		if err := s.TurnOffTwoFactor(ctx, sen.Actor{User: f.Other}, me.User.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school's reset: %v", err)
		}
		if err := s.TurnOffTwoFactor(ctx, deputy, me.User.ID); err != nil {
			t.Fatal(err)
		}
		tf, _ = s.TwoFactorOf(ctx, me.User.ID)
		if tf.Secret != "" || !tf.EnabledAt.IsZero() || tf.RecoveryTotal != 0 {
			t.Errorf("after reset: enabled %v, %d codes", tf.EnabledAt, tf.RecoveryTotal)
		}
		if _, err := s.SessionByHash(ctx, auth.HashToken("d1"), 2*time.Hour); !errors.Is(err, sen.ErrNotFound) {
			t.Error("a reset left the person signed in")
		}
		// The school rule.
		if err := s.SetRequireTwoFactor(ctx, me, true); err != nil {
			t.Fatal(err)
		}
		if sc, _ := s.School(ctx, f.SchoolID); !sc.RequireTwoFactor {
			t.Error("rule not saved")
		}
		id, err := s.CreateSchool(ctx, store.School{Name: "Hillside", Phase: "secondary", RequireTwoFactor: true})
		if sc, _ := s.School(ctx, id); err != nil || !sc.RequireTwoFactor {
			t.Errorf("new school's rule: %v", err)
		}
	})
}
