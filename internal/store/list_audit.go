package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"opensend/internal/sen"
)

// A ListView is a list of pupils a person looks at, named by the audit
// action its view writes. Each view writes one audit_log row (who, the
// filter, how many rows) and links it to the set of pupils listed
// (audit_view_sets, audit_pupil_sets), so each pupil's own audit trail shows
// that they were listed
// (sen.AuditListedLabel names the entry there).
type ListView string

// The list views that are audited. The anonymous figures are not a list of
// pupils and are not audited.
const (
	ViewRegister    ListView = "register.list"   // GET /register
	ViewRegisterCSV ListView = "register.export" // GET /register.csv
	ViewPupilList   ListView = "pupil.list"      // GET /pupils, with or without a search
	ViewHome        ListView = "home.list"       // a teacher's or TA's pupils with SEN on the home page
	ViewMyPupils    ListView = "mypupils.list"   // "My pupils with SEN"
)

// ListViews are the audited list views, for tests and labels.
var ListViews = []ListView{ViewRegister, ViewRegisterCSV, ViewPupilList, ViewHome, ViewMyPupils}

// A Listing is one list view's rows. Listings are shared between requests
// (see cachedView): callers must not change them.
type Listing struct {
	Pupils []sen.Pupil
	Total  int // before paging
	// Stamp names exactly what was listed: two listings with the same stamp
	// hold the same rows (the same school, staff scope, filter, and the
	// school's change counter), so a page may reuse what it rendered for one.
	Stamp string
}

// ViewPupils is ListPupils for a person's list view: it lists the pupils and
// writes the view's audit row with the pupils listed, before anything is
// shown (if the audit cannot be written, the caller gets the error and
// shows nothing). The list may be shared with other requests: do not change it.
func (s *Store) ViewPupils(ctx context.Context, a sen.Actor, f PupilFilter, view ListView) ([]sen.Pupil, int, error) {
	l, err := s.ViewList(ctx, a, f, view)
	return l.Pupils, l.Total, err
}

// ViewList is ViewPupils returning the Listing. The list is read first,
// outside the write transaction (on SQLite every write transaction holds the
// one write lock, and a 500-row query inside it made every register view
// queue behind the others), and reused while nothing in the school has
// changed (cachedView; a search is always read afresh). The audit row and
// its link to the set of pupils listed are one transaction.
func (s *Store) ViewList(ctx context.Context, a sen.Actor, f PupilFilter, view ListView) (Listing, error) {
	l, err := s.listing(ctx, a, f)
	if err != nil {
		return Listing{}, err
	}
	ids := make([]int64, len(l.Pupils))
	for i, p := range l.Pupils {
		ids[i] = p.ID
	}
	detail := fmt.Sprintf("rows=%d filter=%s", len(l.Pupils), f.auditString())
	if l.Total != len(l.Pupils) {
		detail = fmt.Sprintf("rows=%d of %d filter=%s", len(l.Pupils), l.Total, f.auditString())
	}
	if err := s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditList(ctx, tx, a, string(view), "pupils", detail, ids)
	}); err != nil {
		return Listing{}, err
	}
	return l, nil
}

// listing reads the pupils of a list view, from the view cache when the
// school has not changed since the same list was last read. Searches are
// not cached: each is typed once, and they would crowd out the lists that
// are viewed again and again.
func (s *Store) listing(ctx context.Context, a sen.Actor, f PupilFilter) (Listing, error) {
	if strings.TrimSpace(f.Query) != "" {
		list, total, err := s.listPupils(ctx, s.db, a, f)
		return Listing{Pupils: list, Total: total}, err
	}
	args := fmt.Sprintf("%q %q %q %q %q %d %d", f.YearGroup, f.ClassName, f.Status, f.Need, f.Area, f.Limit, f.Offset)
	l, key, err := cachedViewKey(ctx, s, s.db, a, "pupil-list", args, func() (Listing, error) {
		list, total, err := s.listPupils(ctx, s.db, a, f)
		return Listing{Pupils: list, Total: total}, err
	})
	l.Stamp = key.String()
	return l, err
}

// auditString describes the filter for the audit log. A search is recorded
// as made, with its length, never its text: the text is often a pupil's
// name (a hash of a short name could be reversed by trying names).
func (f PupilFilter) auditString() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("area", f.Area)
	add("class", f.ClassName)
	add("need", f.Need)
	if n := len([]rune(strings.TrimSpace(f.Query))); n > 0 {
		parts = append(parts, "search="+strconv.Itoa(n)+"chars")
	}
	add("status", f.Status)
	add("year", f.YearGroup)
	if f.Offset > 0 {
		parts = append(parts, "offset="+strconv.Itoa(f.Offset))
	}
	if len(parts) == 0 {
		return "none"
	}
	return truncate(strings.Join(parts, " "), 200)
}

// auditList writes the one audit row of a list view and links it to the
// set of pupils listed, in the caller's transaction. Each distinct set of
// pupils is stored once per school (audit_pupil_sets, found by a digest of
// the sorted ids; its members written once, with multi-row INSERTs), so a
// view is two small rows however many pupils it lists. A read: the change
// counter stays.
func (s *Store) auditList(ctx context.Context, tx *sql.Tx, a sen.Actor, action, entity, detail string, pupilIDs []int64) error {
	id, err := s.auditRowID(ctx, tx, a, action, entity, 0, 0, detail)
	if err != nil {
		return err
	}
	ids := uniqueIDs(pupilIDs)
	if len(ids) == 0 {
		return nil
	}
	set, err := s.pupilSet(ctx, tx, a.User.SchoolID, ids)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_view_sets (audit_id, set_id) VALUES ($1, $2)`, id, set); err != nil {
		return fmt.Errorf("store: audit listed: %w", err)
	}
	return nil
}

// pupilSet returns the id of the school's stored set of exactly these
// pupils (ids sorted and unique), storing it first if it is new.
func (s *Store) pupilSet(ctx context.Context, tx *sql.Tx, schoolID int64, ids []int64) (int64, error) {
	h := sha256.New()
	var b [8]byte
	for _, id := range ids {
		binary.BigEndian.PutUint64(b[:], uint64(id))
		h.Write(b[:])
	}
	key := setKey{school: schoolID, digest: hex.EncodeToString(h.Sum(nil))}
	s.sets.mu.Lock()
	set, ok := s.sets.m[key]
	s.sets.mu.Unlock()
	if ok {
		return set, nil
	}
	// A set another transaction is storing at the same moment: on
	// PostgreSQL the insert waits for it on the unique key and then does
	// nothing, and the select finds it (SQLite runs one writer at a time).
	rows, err := tx.QueryContext(ctx, `INSERT INTO audit_pupil_sets (school_id, digest, size) VALUES ($1, $2, $3)
ON CONFLICT (school_id, digest) DO NOTHING RETURNING id`, schoolID, key.digest, len(ids))
	if err != nil {
		return 0, fmt.Errorf("store: audit pupil set: %w", err)
	}
	inserted := rows.Next()
	if inserted {
		err = rows.Scan(&set)
	}
	rows.Close()
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return 0, fmt.Errorf("store: audit pupil set: %w", err)
	}
	if !inserted {
		// Stored, and committed, by an earlier view: remember it.
		if err := tx.QueryRowContext(ctx, `SELECT id FROM audit_pupil_sets WHERE school_id = $1 AND digest = $2`, schoolID, key.digest).Scan(&set); err != nil {
			return 0, fmt.Errorf("store: audit pupil set: %w", err)
		}
		s.sets.put(key, set)
		return set, nil
	}
	// New: store its members. It is not remembered until a later view finds
	// it committed, so a rolled-back transaction leaves nothing behind.
	const chunk = 1000 // 1,001 parameters a statement, well inside both engines' limits
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		var q strings.Builder
		q.WriteString(`INSERT INTO audit_pupil_set_members (set_id, pupil_id) VALUES `)
		args := make([]any, 0, n+1)
		args = append(args, set)
		for i, pid := range ids[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($1, $%d)", i+2)
			args = append(args, pid)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return 0, fmt.Errorf("store: audit pupil set: %w", err)
		}
		ids = ids[n:]
	}
	return set, nil
}

// setKey names a stored set of pupils: the school and the digest of its ids.
type setKey struct {
	school int64
	digest string
}

// setCache remembers stored pupil sets' ids. Sets are never changed or
// removed (append-only), so an entry is never stale.
type setCache struct {
	mu sync.Mutex
	m  map[setKey]int64
}

// maxCachedSets bounds memory; when full the cache starts again.
const maxCachedSets = 4096

func (c *setCache) put(k setKey, id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedSets {
		c.m = map[setKey]int64{}
	}
	c.m[k] = id
}

func uniqueIDs(in []int64) []int64 {
	out := make([]int64, 0, len(in))
	seen := make(map[int64]bool, len(in))
	for _, id := range in {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
