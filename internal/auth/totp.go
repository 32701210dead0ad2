package auth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"image/png"
	"log/slog"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Secret is an authenticator-app (TOTP) shared secret, base32 as the app
// takes it. It prints as "[secret]" through fmt, slog and encoding, so a
// log line or an error that carries one by mistake never shows it; Reveal
// is the one way to the value (for the enrolment page and the code check).
type Secret string

const redacted = "[secret]"

func (Secret) String() string               { return redacted }
func (Secret) GoString() string             { return redacted }
func (Secret) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (Secret) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }

// Reveal is the secret itself.
func (s Secret) Reveal() string { return string(s) }

// Grouped is the secret in blocks of four, for typing into an app by hand.
func (s Secret) Grouped() string { return group(string(s), 4) }

func (s Secret) valid() bool {
	_, err := b32.DecodeString(string(s))
	return len(s) >= 16 && err == nil
}

func stepAt(t time.Time) int64    { return t.Unix() / int64(TOTPPeriod/time.Second) }
func timeOf(step int64) time.Time { return time.Unix(step*int64(TOTPPeriod/time.Second), 0) }

// The TOTP parameters every authenticator app accepts (RFC 6238 defaults:
// HMAC-SHA1, 30-second steps, 6 digits).
const (
	TOTPIssuer = "OpenSEND"
	TOTPPeriod = 30 * time.Second
)

var (
	b32      = base32.StdEncoding.WithPadding(base32.NoPadding)
	totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
)

// NewTOTPSecret makes a new random 160-bit secret (RFC 4226 §4 recommends
// 160 bits) for account (the person's e-mail address).
func NewTOTPSecret(account string) (Secret, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, SecretSize: 20})
	if err != nil {
		return "", err
	}
	return Secret(k.Secret()), nil
}

// TOTPQRCode is the QR code of the otpauth:// address an authenticator app
// scans, as a data: URI of a PNG for an <img>.
func TOTPQRCode(s Secret, account string) (string, error) {
	raw, err := b32.DecodeString(string(s))
	if err != nil {
		return "", fmt.Errorf("auth: unreadable authenticator secret")
	}
	k, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, Secret: raw})
	if err != nil {
		return "", err
	}
	img, err := k.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// TOTPCode is the code an app shows for s at t (for tests and the demo).
func TOTPCode(s Secret, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(string(s), t, totpOpts)
}

// VerifyTOTP checks a 6-digit code against s at now, allowing one step
// either side for clock drift (RFC 6238 §5.2). A code is accepted only for
// a step later than lastStep, so a code that was used cannot be used again
// (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the
// same OTP"). It returns the step the code belongs to.
func VerifyTOTP(s Secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" || !s.valid() {
		return 0, false
	}
	now0 := stepAt(now)
	for _, step := range []int64{now0 - 1, now0, now0 + 1} {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(string(s), timeOf(step), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// LooksLikeTOTP reports whether what someone typed is a 6-digit app code
// (rather than a recovery code).
func LooksLikeTOTP(in string) bool {
	c := strings.Join(strings.Fields(in), "")
	return len(c) == 6 && strings.Trim(c, "0123456789") == ""
}

// RecoveryCodeCount is how many recovery codes a person is given.
const RecoveryCodeCount = 10

// NewRecoveryCodes returns n one-time recovery codes, each 10 random
// base32 letters and digits (50 bits) written "abcde-fghij".
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		t := strings.ToLower(NewToken()[:10])
		out[i] = t[:5] + "-" + t[5:]
	}
	return out
}

// HashRecoveryCode is what the database stores for a recovery code: the
// token hash of the code as typed, lower-cased, without spaces or hyphens.
func HashRecoveryCode(in string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(in) {
		if r != '-' && r != ' ' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return HashToken(b.String())
}

// group writes s in blocks of n characters, for reading out and typing.
func group(s string, n int) string {
	var parts []string
	for len(s) > n {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	return strings.Join(append(parts, s), " ")
}
