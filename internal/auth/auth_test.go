package auth

import (
	"strings"
	"testing"
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
	if ValidatePassword("short", "", "") == "" || ValidatePassword("long enough password", "", "") != "" {
		t.Fatal("ValidatePassword")
	}
}

func TestValidatePasswordRules(t *testing.T) {
	const name, email = "Nia Hale-Okafor", "nia.hale@school.example"
	for _, tc := range []struct{ pw, want string }{
		{"correct horse battery staple", ""},
		{"opensend-demo-2026", "Password must not contain the name of this service (OpenSEND)"}, // the demo's is seeded, never set through this check
		{"My Open Send password", "Password must not contain the name of this service (OpenSEND)"},
		{"            ", "Password must not be only spaces"},
		{" \t\n ", "Password must not be only spaces"},
		{"", "Password must be at least 12 characters"},
		{"okafor rules the school", "Password must not contain your name or email address"},
		{"HALE and hearty always", "Password must not contain your name or email address"},
		{"nia likes long walks", ""}, // parts shorter than 4 letters are not checked
		{"password1234", "Password is too common and easy to guess: try three random words together"},
		{"Password123!", "Password is too common and easy to guess: try three random words together"},
		{"!!Liverpool2026!!", "Password is too common and easy to guess: try three random words together"},
		{"monkeymonkey", "Password is too common and easy to guess: try three random words together"},
		{"qwertyuiopasdfghjkl", "Password is too common and easy to guess: try three random words together"},
		{"1q2w3e4r5t6y", "Password is too common and easy to guess: try three random words together"},
		{"123456789012", "Password is too common and easy to guess: try three random words together"},
		{"zzzzzzzzzzzzzz", "Password is too common and easy to guess: try three random words together"},
		{"I love you so much 2026", "Password is too common and easy to guess: try three random words together"},
		{"a much longer passphrase", ""},
		{"purple tractor umbrella", ""},
	} {
		if got := ValidatePassword(tc.pw, name, email); got != tc.want {
			t.Errorf("ValidatePassword(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
	// The tests' password is accepted for the seeded test users.
	for _, n := range []string{"Test SENCO", "Test Teacher", "Test Office / admin", "Test TA", "Test Governor", "Test SLT"} {
		if got := ValidatePassword("correct horse battery staple", n, "senco@test.example"); got != "" {
			t.Errorf("%s: %q", n, got)
		}
	}
	if n := len(commonPasswords()); n < 1000 {
		t.Errorf("only %d common passwords bundled", n)
	}
}
