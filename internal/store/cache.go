package store

import (
	"context"
	"fmt"
	"sync"

	"opensend/internal/sen"
)

// viewKey names one computed view of a school's data: which view, the
// school, the staff scope (0 for school-wide views, the user for teachers
// and TAs), the school's change counter when it was computed, and any
// arguments that shape it (the day, date ranges).
type viewKey struct {
	view                   string
	school, scope, version int64
	args                   string
}

// viewCache holds recently computed views. A view is only reused while the
// school's change counter is unchanged: every audited write bumps it in the
// write's own transaction (Store.audit), also when another server process
// shares the PostgreSQL database, so a cached view is never stale.
type viewCache struct {
	mu sync.Mutex
	m  map[viewKey]any
}

// maxCachedViews bounds memory; when full the cache starts again.
const maxCachedViews = 1024

// schoolVersion reads the school's change counter (0 before its first write).
func schoolVersion(ctx context.Context, q queryer, schoolID int64) (int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM school_versions WHERE school_id = $1`, schoolID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var v int64
	for rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
	}
	return v, rows.Err()
}

// cachedView returns the view computed by compute for the actor's school
// and scope, reusing the last result while nothing in the school has changed.
// The counter is read before compute runs, so on PostgreSQL (read committed)
// a result is never older than the counter it is filed under. Callers must
// treat the result as read-only: it is shared between requests.
func cachedView[T any](ctx context.Context, s *Store, q queryer, a sen.Actor, view, args string, compute func() (T, error)) (T, error) {
	out, _, err := cachedViewKey(ctx, s, q, a, view, args, compute)
	return out, err
}

// String names the key, for a Listing's Stamp.
func (k viewKey) String() string {
	return fmt.Sprintf("%s/%d/%d/%d/%s", k.view, k.school, k.scope, k.version, k.args)
}

// cachedViewKey is cachedView also returning the key the view is filed
// under: equal keys mean identical views.
func cachedViewKey[T any](ctx context.Context, s *Store, q queryer, a sen.Actor, view, args string, compute func() (T, error)) (T, viewKey, error) {
	var zero T
	v, err := schoolVersion(ctx, q, a.User.SchoolID)
	if err != nil {
		return zero, viewKey{}, err
	}
	key := viewKey{view: view, school: a.User.SchoolID, scope: scopeUser(a), version: v, args: dateStr(s.Today()) + " " + args}
	s.views.mu.Lock()
	hit, ok := s.views.m[key]
	s.views.mu.Unlock()
	if ok {
		return hit.(T), key, nil
	}
	out, err := compute()
	if err != nil {
		return zero, viewKey{}, err
	}
	s.views.mu.Lock()
	if s.views.m == nil || len(s.views.m) >= maxCachedViews {
		s.views.m = map[viewKey]any{}
	}
	// Keep one entry per view: drop the ones filed under older counters.
	for k := range s.views.m {
		if k.view == key.view && k.school == key.school && k.scope == key.scope && k.args == key.args {
			delete(s.views.m, k)
		}
	}
	s.views.m[key] = out
	s.views.mu.Unlock()
	return out, key, nil
}

// Stamp names the state of everything the actor may see in their school:
// the school, the staff scope, the school's change counter and today's
// date. Read it before the reads it stands for: what they return is then
// never older than the stamp (every audited write moves the counter in its
// own transaction, so equal stamps mean the same records), and a page body
// rendered from those reads may be reused under it (kit.Views.RenderCached,
// with the person and what they may do added to the key). Data that is not
// in the store (the clock's time of day, a setting in memory) is not in it.
func (s *Store) Stamp(ctx context.Context, a sen.Actor) (string, error) {
	v, err := schoolVersion(ctx, s.db, a.User.SchoolID)
	if err != nil {
		return "", err
	}
	return viewKey{view: "stamp", school: a.User.SchoolID, scope: scopeUser(a), version: v, args: dateStr(s.Today())}.String(), nil
}
