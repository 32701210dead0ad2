package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("%q %v", h, err)
	}
	if ok, rehash, err := VerifyPassword(h, "correct horse battery staple"); !ok || rehash || err != nil {
		t.Fatalf("verify: %v %v %v", ok, rehash, err)
	}
	if ok, _, _ := VerifyPassword(h, "wrong"); ok {
		t.Fatal("wrong password accepted")
	}
	old, _ := hashWith("pw", Params{Memory: 8 * 1024, Time: 1, Threads: 1})
	if ok, rehash, _ := VerifyPassword(old, "pw"); !ok || !rehash {
		t.Fatal("old parameters should verify and ask for a rehash")
	}
	if _, _, err := VerifyPassword("$2a$10$bcrypt", "pw"); err == nil {
		t.Fatal("bad hash accepted")
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) < 22 || HashToken(a) == a || len(HashToken(a)) != 64 {
		t.Fatal("tokens")
	}
	if !TokensEqual(a, a) || TokensEqual(a, b) || TokensEqual("", "") {
		t.Fatal("TokensEqual")
	}
	if ValidatePassword("short") == "" || ValidatePassword("long enough password") != "" {
		t.Fatal("ValidatePassword")
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
