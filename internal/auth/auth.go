// Package auth holds the sign-in primitives: argon2id password hashes,
// session and device tokens, the throttle schedules for wrong passwords and
// codes, the flood guard per source, and authenticator-app (TOTP) codes and
// recovery codes. It does no routing and no SQL.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"
	"golang.org/x/time/rate"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow the OWASP Password Storage Cheat Sheet's argon2id
// configuration (m=19 MiB, t=2, p=1), sized for a 2-core server where many
// staff sign in at 08:30.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// hashing bounds concurrent hashes so a burst of sign-ins cannot exhaust memory.
var hashing = make(chan struct{}, max(1, runtime.NumCPU()))

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	return hashWith(pw, DefaultParams)
}

func hashWith(pw string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashing <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	<-hashing
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash this package cannot read.
var ErrBadHash = errors.New("auth: unreadable password hash")

// VerifyPassword compares pw with a stored hash in constant time. needsRehash
// is true when the hash was made with other parameters than DefaultParams.
func VerifyPassword(hash, pw string) (ok, needsRehash bool, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, ErrBadHash
	}
	var v int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, false, ErrBadHash
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, false, ErrBadHash
	}
	hashing <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	<-hashing
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p != DefaultParams, nil
}

// dummyHash is verified against when an e-mail address is unknown, so that
// response time does not reveal which addresses have accounts.
var dummyHash, _ = HashPassword("not-a-real-password")

// BurnTime spends the time of one password check.
func BurnTime(pw string) { _, _, _ = VerifyPassword(dummyHash, pw) }

// NewToken returns a random session or CSRF token (at least 128 bits).
func NewToken() string { return rand.Text() }

// HashToken is what the database stores instead of a session token.
func HashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// TokensEqual compares two tokens in constant time.
func TokensEqual(a, b string) bool {
	return len(a) > 0 && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// TempPasswordLife is how long a temporary password (a new account's, or one
// set by a reset) works if it is not used: it works once, at first sign-in,
// and must then be changed.
const TempPasswordLife = 7 * 24 * time.Hour

// ProductName is refused inside passwords: it is the first word an attacker
// who knows the service would try.
const ProductName = "opensend"

// ValidatePassword returns a message if pw is not acceptable as a new
// password for the person with this name and e-mail address, following the
// NCSC's password guidance: long enough, not only spaces, not one of the most
// common passwords (common_passwords.txt), and not containing the person's
// name, the local part of their address (each part of 4 or more letters) or
// the product's name.
func ValidatePassword(pw, name, email string) string {
	if pw != "" && strings.TrimSpace(pw) == "" {
		return "Password must not be only spaces"
	}
	if len([]rune(pw)) < 12 {
		return "Password must be at least 12 characters"
	}
	if len(pw) > 256 {
		return "Password must be 256 characters or fewer"
	}
	letters := lettersOnly(pw)
	if strings.Contains(letters, ProductName) {
		return "Password must not contain the name of this service (OpenSEND)"
	}
	local, _, _ := strings.Cut(email, "@")
	for _, part := range nameParts(name + " " + local) {
		if strings.Contains(letters, part) {
			return "Password must not contain your name or email address"
		}
	}
	if IsCommonPassword(pw) {
		return "Password is too common and easy to guess: try three random words together"
	}
	return ""
}

//go:embed common_passwords.txt
var commonPasswordsTxt string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for line := range strings.Lines(commonPasswordsTxt) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// IsCommonPassword reports whether pw is, once lower-cased with spaces
// removed and digits and symbols trimmed from its ends, one of the bundled
// common passwords or one repeated ("monkeymonkey"), or is one character
// repeated.
func IsCommonPassword(pw string) bool {
	list := commonPasswords()
	whole := strings.Join(strings.Fields(strings.ToLower(pw)), "")
	core := strings.TrimFunc(whole, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, c := range []string{whole, strings.TrimRightFunc(whole, func(r rune) bool { return !unicode.IsLetter(r) }), core} {
		if c == "" {
			continue
		}
		if list[c] || list[repeatedUnit(c)] || len(repeatedUnit(c)) == len(string([]rune(c)[0])) {
			return true
		}
	}
	return false
}

// repeatedUnit is the shortest string that s is made of, repeated.
func repeatedUnit(s string) string {
	for n := 1; n <= len(s)/2; n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s {
			return s[:n]
		}
	}
	return s
}

// lettersOnly is s lower-cased with everything but letters removed, so that
// "Open Send!" and "o.p.e.n.s.e.n.d" both read "opensend".
func lettersOnly(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameParts is the parts of a name or address of 4 or more letters, lower-cased.
func nameParts(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(p)) >= 4 {
			out = append(out, p)
		}
	}
	return out
}

// Limiter is a flood guard on every sign-in attempt (right or wrong) per
// source: a token bucket generous enough for a whole school signing in at
// 08:30 from one address, there only to stop a script keeping the password
// hasher busy. Wrong passwords are slowed by Throttle, not here. It holds at
// most maxKeys limiters, dropping the least recently used.
type Limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	maxKeys int
	m       map[string]*entry
}

type entry struct {
	l    *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst attempts at once and then one per interval.
func NewLimiter(interval time.Duration, burst, maxKeys int) *Limiter {
	return &Limiter{every: rate.Every(interval), burst: burst, maxKeys: maxKeys, m: map[string]*entry{}}
}

// Allow reports whether key may try now.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.m[key]
	if !ok {
		if len(l.m) >= l.maxKeys {
			var oldK string
			var oldT time.Time
			for k, v := range l.m {
				if oldK == "" || v.seen.Before(oldT) {
					oldK, oldT = k, v.seen
				}
			}
			delete(l.m, oldK)
		}
		e = &entry{l: rate.NewLimiter(l.every, l.burst)}
		l.m[key] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
