package auth

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestBackoffWait(t *testing.T) {
	b := Backoff{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute}
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute}, {8, 4 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {11, 15 * time.Minute}, {1000, 15 * time.Minute},
	} {
		if got := b.Wait(tc.failures); got != tc.want {
			t.Errorf("Wait(%d) = %s, want %s", tc.failures, got, tc.want)
		}
	}
}

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	th := NewThrottle(Backoff{Free: 2, Base: 10 * time.Second, Max: time.Minute}, 0, 3)
	th.Fail("a", now)
	if !th.Until("a", now).IsZero() {
		t.Fatal("1 failure of 2 free throttled")
	}
	th.Fail("a", now)
	if u := th.Until("a", now); !u.Equal(now.Add(10 * time.Second)) {
		t.Fatalf("after 2 failures until %v", u)
	}
	if !th.Until("a", now.Add(10*time.Second)).IsZero() {
		t.Fatal("still throttled after the wait")
	}
	th.Fail("a", now.Add(10*time.Second))
	if u := th.Until("a", now.Add(10*time.Second)); !u.Equal(now.Add(30 * time.Second)) {
		t.Fatalf("3rd failure: until %v, want 20 s after it", u)
	}
	if !th.Until("b", now).IsZero() {
		t.Fatal("another key throttled")
	}
	// Bounded: a fourth key evicts the least recently failed.
	th.Fail("b", now.Add(time.Second))
	th.Fail("c", now.Add(2*time.Second))
	th.Fail("d", now.Add(3*time.Second))
	if th.Len() != 3 {
		t.Fatalf("holds %d keys, want 3", th.Len())
	}
	if _, ok := th.m["b"]; ok {
		t.Error("the oldest key was not evicted")
	}
	// A run is forgotten a day after its latest failure.
	if !th.Until("a", now.Add(ThrottleForget+time.Minute)).IsZero() {
		t.Error("run remembered after ThrottleForget")
	}
}

// TestThrottleLeak: a network's occasional mistakes are forgiven over
// time; a burst is not.
func TestThrottleLeak(t *testing.T) {
	now := time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)
	th := NewThrottle(Backoff{Free: 3, Base: 10 * time.Second, Max: time.Minute}, 2*time.Minute, 10)
	// One mistake every 2 minutes all day: never slowed.
	for i := 0; i < 200; i++ {
		at := now.Add(time.Duration(i) * 2 * time.Minute)
		if !th.Until("school", at).IsZero() {
			t.Fatalf("slowed at mistake %d", i+1)
		}
		th.Fail("school", at)
	}
	// A burst of 3 is slowed; 4 minutes later two are forgiven.
	for i := 0; i < 3; i++ {
		th.Fail("burst", now)
	}
	if u := th.Until("burst", now); !u.Equal(now.Add(10 * time.Second)) {
		t.Fatalf("burst: until %v", u)
	}
	th.Fail("burst", now.Add(4*time.Minute)) // 3 - 2 + 1 = 2: under the free 3
	if !th.Until("burst", now.Add(4*time.Minute)).IsZero() {
		t.Error("the leak did not forgive")
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(time.Minute, 3, 2)
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if !l.Allow("a", now) {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.Allow("a", now) {
		t.Fatal("4th attempt allowed")
	}
	if !l.Allow("a", now.Add(time.Minute)) {
		t.Fatal("not refilled")
	}
	l.Allow("b", now)
	l.Allow("c", now) // evicts the oldest
	if len(l.m) != 2 {
		t.Fatalf("size %d", len(l.m))
	}
}

func TestTOTP(t *testing.T) {
	s, err := NewTOTPSecret("senco@test.example")
	if err != nil || len(s.Reveal()) != 32 {
		t.Fatalf("secret %d chars, %v", len(s.Reveal()), err)
	}
	now := time.Date(2026, 3, 2, 8, 30, 10, 0, time.UTC)
	code, err := TOTPCode(s, now)
	if err != nil {
		t.Fatal(err)
	}
	step, ok := VerifyTOTP(s, code, now, 0)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("current code refused (%d %v)", step, ok)
	}
	if _, ok := VerifyTOTP(s, code, now, step); ok {
		t.Error("a used code was accepted again")
	}
	if _, ok := VerifyTOTP(s, code[:3]+" "+code[3:], now, 0); !ok {
		t.Error("code typed with a space refused")
	}
	if _, ok := VerifyTOTP(s, code, now.Add(30*time.Second), 0); !ok {
		t.Error("previous step's code refused (one step of drift is allowed)")
	}
	if _, ok := VerifyTOTP(s, code, now.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := VerifyTOTP(s, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	// RFC 6238 Appendix B, SHA-1, T = 59: 94287082 (8 digits); the 6-digit
	// code is its last six digits.
	rfc := Secret(b32.EncodeToString([]byte("12345678901234567890")))
	if got, _ := TOTPCode(rfc, time.Unix(59, 0)); got != "287082" {
		t.Errorf("RFC 6238 vector: %s, want 287082", got)
	}
	qr, err := TOTPQRCode(s, "senco@test.example")
	if err != nil || !strings.HasPrefix(qr, "data:image/png;base64,iVBOR") {
		t.Errorf("QR code: %.40s %v", qr, err)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	var log strings.Builder
	slog.New(slog.NewTextHandler(&log, nil)).Info("x", "secret", s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %q %#v %+v", s, s, s, s, s), fmt.Errorf("bad: %v", s).Error(), log.String()} {
		if strings.Contains(out, "JBSW") {
			t.Errorf("secret shown: %s", out)
		}
	}
	if s.Reveal() != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" || s.Grouped() != "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP" {
		t.Error("Reveal/Grouped")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes(RecoveryCodeCount)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
	c := codes[0]
	if HashRecoveryCode(strings.ToUpper(c)) != HashRecoveryCode(strings.ReplaceAll(c, "-", " ")) || HashRecoveryCode(c) == HashRecoveryCode(codes[1]) {
		t.Error("recovery code hashing does not ignore case and separators, or collides")
	}
	if LooksLikeTOTP(c) || !LooksLikeTOTP("123 456") {
		t.Error("LooksLikeTOTP")
	}
}
