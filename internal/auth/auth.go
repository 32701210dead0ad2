// Package auth holds the sign-in primitives: argon2id password hashes,
// session tokens and the per-IP sign-in rate limiter. It does no routing.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

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

// ValidatePassword returns a message if pw is not acceptable as a new password.
func ValidatePassword(pw string) string {
	if len([]rune(pw)) < 12 {
		return "Password must be at least 12 characters"
	}
	if len(pw) > 256 {
		return "Password must be 256 characters or fewer"
	}
	return ""
}

// Limiter rate-limits sign-in attempts per key (client IP). It holds at most
// maxKeys limiters, dropping the least recently used.
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
