package auth

import (
	"sync"
	"time"
)

// Backoff is a throttle schedule instead of a lock-out: the first Free
// failures cost nothing; after that each further failure makes the next
// attempt wait, starting at Base and doubling up to Max. The right password
// still works once the wait is over, so knowing someone's address is not
// enough to keep them out (OWASP Authentication Cheat Sheet, "Account
// lockout": an exponential delay rather than a hard lock).
type Backoff struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// Wait is how long after the latest failure the next attempt must wait,
// given the number of failures in a row so far.
func (b Backoff) Wait(failures int) time.Duration {
	if failures < b.Free {
		return 0
	}
	d := b.Base
	for i := b.Free; i < failures; i++ {
		d *= 2
		if d >= b.Max {
			return b.Max
		}
	}
	return min(d, b.Max)
}

// The schedules in use.
var (
	// AccountBackoff: wrong passwords for one account from browsers that
	// have not signed in to it before. 5 free, then 30 s, 1 min, 2 min, …
	// up to 15 minutes between attempts (about 4 guesses an hour).
	AccountBackoff = Backoff{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute}
	// SourceBackoff: wrong passwords from one network address for any
	// account. A school's staff share one address, so many mistakes are
	// free; a script guessing across accounts is slowed.
	SourceBackoff = Backoff{Free: 30, Base: 5 * time.Second, Max: 5 * time.Minute}
	// CodeBackoff: wrong authenticator or recovery codes for one account.
	CodeBackoff = Backoff{Free: 5, Base: 30 * time.Second, Max: 15 * time.Minute}
)

// ThrottleForget is how long a run of failures is remembered after the
// latest one (in-memory throttles only; an account's run ends at its next
// sign-in or when a SENCO clears it).
const ThrottleForget = 24 * time.Hour

// SourceLeak is how fast a network address's failures are forgiven: one
// every 2 minutes, so a school whose staff mistype now and then all day is
// never slowed, while a burst of guesses is.
const SourceLeak = 2 * time.Minute

// Throttle counts failures per key (a network address, or an e-mail
// address that has no account) in memory, with the Backoff schedule. With
// a leak, one failure is forgiven per leak interval since the latest. It
// holds at most maxKeys keys: when full, runs that are over are dropped
// first, then the least recently failed.
type Throttle struct {
	mu      sync.Mutex
	b       Backoff
	leak    time.Duration
	maxKeys int
	m       map[string]*run
}

type run struct {
	n    int
	last time.Time
}

// NewThrottle makes a throttle with schedule b, forgiving one failure per
// leak (0: none; a run is then forgotten ThrottleForget after its latest
// failure), holding at most maxKeys keys.
func NewThrottle(b Backoff, leak time.Duration, maxKeys int) *Throttle {
	return &Throttle{b: b, leak: leak, maxKeys: max(1, maxKeys), m: map[string]*run{}}
}

// count is the run's length at now, after the leak.
func (t *Throttle) count(r *run, now time.Time) int {
	if t.leak <= 0 {
		return r.n
	}
	return max(0, r.n-int(now.Sub(r.last)/t.leak))
}

// Until is the time before which key may not try again (zero: it may now).
func (t *Throttle) Until(key string, now time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.m[key]
	if !ok {
		return time.Time{}
	}
	if now.Sub(r.last) > ThrottleForget || t.count(r, now) == 0 {
		delete(t.m, key)
		return time.Time{}
	}
	// The wait was set by the latest failure; the leak counts from then.
	if until := r.last.Add(t.b.Wait(r.n)); now.Before(until) {
		return until
	}
	return time.Time{}
}

// Fail records one failure for key at now.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r, ok := t.m[key]
	if !ok {
		if len(t.m) >= t.maxKeys {
			t.evict(now)
		}
		r = &run{}
		t.m[key] = r
	} else if now.Sub(r.last) > ThrottleForget {
		r.n = 0
	}
	r.n = t.count(r, now) + 1
	r.last = now
}

// Len is the number of keys held.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// evict drops every forgotten run, or else the least recently failed one.
func (t *Throttle) evict(now time.Time) {
	var oldK string
	var oldT time.Time
	for k, r := range t.m {
		if now.Sub(r.last) > ThrottleForget || t.count(r, now) == 0 {
			delete(t.m, k)
			continue
		}
		if oldK == "" || r.last.Before(oldT) {
			oldK, oldT = k, r.last
		}
	}
	if len(t.m) >= t.maxKeys {
		delete(t.m, oldK)
	}
}
