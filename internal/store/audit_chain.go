package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed" // PostgresAppRoleSQL
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"opensend/internal/sen"
)

// The tamper-evident audit log. Every audit_log row belongs to its school's
// chain (the rows with no school form chain 0): seq numbers the chain from 1
// in the order the rows were written, prev_hash is the hash of the row at
// seq-1 ('' at seq 1) and hash is SHA-256 over the canonical encoding of the
// row (auditCanonical), which includes seq and prev_hash. Changing a row's
// fields breaks its hash; recomputing that hash breaks the next row's
// prev_hash; removing a row leaves a gap in seq; adding one repeats a seq,
// runs past the chain head, or carries no hash. audit_chain_head holds each
// chain's last seq and hash: a transaction that writes audit rows takes it
// once (an upsert, which on PostgreSQL locks the row until the transaction
// ends, so two transactions cannot both append at the same seq; SQLite has
// one writer at a time already), keeps it in memory for its further rows,
// and writes it back just before committing (Store.tx).
//
// Anyone who may write to the database could recompute every hash after a
// change. The chain head published in each day's digest (DigestHead) is the
// check against that: a head that was mailed out must still be in the chain.

// Kinds of break the verifier reports.
const (
	BreakAltered  = "altered"  // the row's fields no longer match its hash, or its hash was rewritten (the next row's link says so)
	BreakDeleted  = "deleted"  // rows are missing: a gap in seq, or the chain ends before its head
	BreakInserted = "inserted" // a row that is not part of the chain: no hash, a repeated seq, or past the head
)

// chainTx is what one transaction knows of the chains it appends to.
type chainTx struct {
	heads map[int64]*chainLink // by chain key (school id, 0 for none)
}

type chainLink struct {
	seq  int64
	hash string
}

// chainState maps an open *sql.Tx to its chainTx; Store.tx removes it.
type chainState struct{ m sync.Map }

func (c *chainState) get(tx *sql.Tx) *chainTx {
	v, _ := c.m.LoadOrStore(tx, &chainTx{heads: map[int64]*chainLink{}})
	return v.(*chainTx)
}

func (c *chainState) take(tx *sql.Tx) *chainTx {
	v, ok := c.m.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	return v.(*chainTx)
}

// auditFields are the fields of an audit row that its hash covers.
type auditFields struct {
	SchoolID, UserID int64
	UserName         string
	Action, Entity   string
	EntityID         int64
	PupilID          int64
	Detail, IP       string
	At               time.Time
	Seq              int64
	PrevHash         string
}

// auditCanonical is the one encoding that is hashed: a version tag, then each
// field as name, length and value, so no two different rows encode alike.
// A NULL id is 0 (the writer stores 0 as NULL).
func auditCanonical(f auditFields) []byte {
	var b strings.Builder
	b.WriteString("opensend-audit-v1\n")
	put := func(name, v string) {
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	put("seq", i(f.Seq))
	put("prev", f.PrevHash)
	put("school", i(f.SchoolID))
	put("user", i(f.UserID))
	put("user_name", f.UserName)
	put("action", f.Action)
	put("entity", f.Entity)
	put("entity_id", i(f.EntityID))
	put("pupil", i(f.PupilID))
	put("detail", f.Detail)
	put("ip", f.IP)
	put("at", f.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	return []byte(b.String())
}

// auditHash is the hex SHA-256 of the row's canonical encoding.
func auditHash(f auditFields) string {
	h := sha256.Sum256(auditCanonical(f))
	return hex.EncodeToString(h[:])
}

// chainHead returns the head of chain key for tx, taking it from the
// database (and, on PostgreSQL, locking it) the first time in tx.
func (s *Store) chainHead(ctx context.Context, tx *sql.Tx, key int64) (*chainLink, error) {
	ct := s.chains.get(tx)
	if h, ok := ct.heads[key]; ok {
		return h, nil
	}
	h := &chainLink{}
	// An upsert that changes nothing: it creates the head of a new chain and
	// locks an existing one (ON CONFLICT DO UPDATE locks the row), returning
	// the latest committed head.
	if err := tx.QueryRowContext(ctx, `INSERT INTO audit_chain_head (school_id, seq, hash) VALUES ($1, 0, '')
ON CONFLICT (school_id) DO UPDATE SET seq = audit_chain_head.seq RETURNING seq, hash`, key).Scan(&h.seq, &h.hash); err != nil {
		return nil, fmt.Errorf("store: audit chain head: %w", err)
	}
	ct.heads[key] = h
	return h, nil
}

// flushChains writes back the heads tx moved, just before it commits.
func (s *Store) flushChains(ctx context.Context, tx *sql.Tx) error {
	ct := s.chains.take(tx)
	if ct == nil {
		return nil
	}
	for key, h := range ct.heads {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_chain_head SET seq = $2, hash = $3 WHERE school_id = $1`, key, h.seq, h.hash); err != nil {
			return fmt.Errorf("store: audit chain head: %w", err)
		}
	}
	return nil
}

// chainWhere selects the rows of chain key ($1): the school's, or for key 0
// the rows with no school.
func chainWhere(key int64) string {
	if key == 0 {
		return `school_id IS NULL AND $1 = 0`
	}
	return `school_id = $1`
}

const auditChainCols = `id, COALESCE(school_id, 0), COALESCE(user_id, 0), user_name, action, entity, COALESCE(entity_id, 0), COALESCE(pupil_id, 0), detail, ip, at`

type chainRow struct {
	ID    int64
	F     auditFields
	rawAt dbTime
}

func (r *chainRow) dest() []any {
	return []any{&r.ID, &r.F.SchoolID, &r.F.UserID, &r.F.UserName, &r.F.Action, &r.F.Entity, &r.F.EntityID, &r.F.PupilID, &r.F.Detail, &r.F.IP, &r.rawAt}
}

// backfillAuditChain chains the rows written before the chain existed: for
// each chain with rows that have no hash and no head yet, every such row in
// id order, then the head. A chain that has a head already is left alone (a
// row without a hash there was added behind the app's back, and the
// verifier reports it). Called by Migrate; idempotent.
func (s *Store) backfillAuditChain(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT COALESCE(school_id, 0) FROM audit_log WHERE hash IS NULL`)
	if err != nil {
		return fmt.Errorf("store: audit backfill: %w", err)
	}
	var keys []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, key := range keys {
		if err := s.tx(ctx, func(tx *sql.Tx) error { return s.backfillChain(ctx, tx, key) }); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) backfillChain(ctx context.Context, tx *sql.Tx, key int64) error {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_chain_head WHERE school_id = $1`, key).Scan(&exists); err != nil {
		return err
	}
	if exists > 0 {
		return nil
	}
	h, err := s.chainHead(ctx, tx, key) // creates and locks the head
	if err != nil {
		return err
	}
	for {
		rows, err := tx.QueryContext(ctx, `SELECT `+auditChainCols+` FROM audit_log WHERE `+chainWhere(key)+` AND hash IS NULL ORDER BY id LIMIT 2000`, key)
		if err != nil {
			return err
		}
		var batch []chainRow
		for rows.Next() {
			var r chainRow
			if err := rows.Scan(r.dest()...); err != nil {
				rows.Close()
				return err
			}
			r.F.At = r.rawAt.T
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			r.F.Seq, r.F.PrevHash = h.seq+1, h.hash
			hash := auditHash(r.F)
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1`, r.ID, r.F.Seq, r.F.PrevHash, hash); err != nil {
				return fmt.Errorf("store: audit backfill: %w", err)
			}
			h.seq, h.hash = r.F.Seq, hash
		}
	}
}

// ChainBreak is one place where an audit chain does not hold.
type ChainBreak struct {
	Kind    string // BreakAltered, BreakDeleted or BreakInserted
	AuditID int64  // the row concerned (for BreakDeleted, the first row after the gap; 0 at the end of the chain)
	Seq     int64  // its place in the chain (for BreakDeleted, the first missing place)
	Missing int64  // BreakDeleted: how many places are missing
	At      time.Time
	Action  string
}

// ChainReport is the result of checking one chain.
type ChainReport struct {
	SchoolID int64
	Rows     int   // rows read
	HeadSeq  int64 // the head as recorded in audit_chain_head
	HeadHash string
	Breaks   []ChainBreak
	More     bool // more breaks than MaxChainBreaks were found
	// Published is set when a head from a digest was checked: whether the
	// row at that seq still carries that hash.
	Published *PublishedCheck
}

// PublishedCheck is the check of a head published in a digest.
type PublishedCheck struct {
	Seq   int64
	Hash  string
	Found bool // a row of the chain has this seq
	Match bool // and this hash
}

// OK reports whether the chain holds from its first row to its head.
func (r ChainReport) OK() bool {
	return len(r.Breaks) == 0 && (r.Published == nil || r.Published.Match)
}

// MaxChainBreaks caps the breaks one report lists.
const MaxChainBreaks = 200

// verifyChain walks chain key in one consistent snapshot.
func (s *Store) verifyChain(ctx context.Context, key int64, pub *PublishedCheck) (ChainReport, error) {
	rep := ChainReport{SchoolID: key, Published: pub}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	// A read-only transaction: one snapshot on both engines (SQLite's WAL
	// reader does not take the write lock), so rows written meanwhile are
	// neither seen nor counted against the head.
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return rep, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_chain_head WHERE school_id = $1`, key).Scan(&rep.HeadSeq, &rep.HeadHash)
	if err != nil && err != sql.ErrNoRows {
		return rep, err
	}
	add := func(b ChainBreak) {
		if len(rep.Breaks) >= MaxChainBreaks {
			rep.More = true
			return
		}
		rep.Breaks = append(rep.Breaks, b)
	}
	// Rows outside the chain: no place or no hash.
	rows, err := tx.QueryContext(ctx, `SELECT id, at, action FROM audit_log WHERE `+chainWhere(key)+` AND (seq IS NULL OR hash IS NULL OR prev_hash IS NULL) ORDER BY id`, key)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var b ChainBreak
		var at dbTime
		if err := rows.Scan(&b.AuditID, &at, &b.Action); err != nil {
			rows.Close()
			return rep, err
		}
		b.Kind, b.At = BreakInserted, at.T
		rep.Rows++
		add(b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+auditChainCols+`, seq, prev_hash, hash FROM audit_log WHERE `+chainWhere(key)+`
AND seq IS NOT NULL AND hash IS NOT NULL AND prev_hash IS NOT NULL ORDER BY seq, id`, key)
	if err != nil {
		return rep, err
	}
	defer rows.Close()
	var seq int64
	prev := ""
	var prevRow ChainBreak // the last row accepted into the chain
	for rows.Next() {
		var r chainRow
		var rseq int64
		var rprev, rhash string
		if err := rows.Scan(append(r.dest(), &rseq, &rprev, &rhash)...); err != nil {
			return rep, err
		}
		rep.Rows++
		r.F.At, r.F.Seq, r.F.PrevHash = r.rawAt.T, rseq, rprev
		here := ChainBreak{AuditID: r.ID, Seq: rseq, At: r.F.At, Action: r.F.Action}
		if pub != nil && rseq == pub.Seq && !pub.Found {
			pub.Found, pub.Match = true, rhash == pub.Hash
		}
		switch {
		case rseq <= seq:
			// A second row at a place already taken, or an earlier one.
			here.Kind = BreakInserted
			add(here)
			continue
		case rep.HeadSeq > 0 && rseq > rep.HeadSeq:
			here.Kind = BreakInserted // past the head the writers keep
			add(here)
			continue
		}
		if rseq > seq+1 {
			add(ChainBreak{Kind: BreakDeleted, AuditID: r.ID, Seq: seq + 1, Missing: rseq - seq - 1, At: r.F.At, Action: r.F.Action})
		} else if rprev != prev {
			// In place and in order, but the link to the row before does not
			// match: that row was changed and its hash recomputed (or, at
			// the first place, this row's link was).
			b := prevRow
			if seq == 0 {
				b = here
			}
			b.Kind = BreakAltered
			add(b)
		}
		if auditHash(r.F) != rhash {
			here.Kind = BreakAltered
			add(here)
		}
		seq, prev, prevRow = rseq, rhash, here
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	switch {
	case rep.HeadSeq > seq:
		add(ChainBreak{Kind: BreakDeleted, Seq: seq + 1, Missing: rep.HeadSeq - seq})
	case rep.HeadSeq == seq && seq > 0 && rep.HeadHash != prev:
		b := prevRow
		b.Kind = BreakAltered
		add(b)
	}
	return rep, nil
}

// VerifyAuditChains checks every chain in the database (the command line's
// -verify-audit): one report per school, and chain 0 for the rows with no
// school if there are any. It writes nothing.
func (s *Store) VerifyAuditChains(ctx context.Context) ([]ChainReport, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT COALESCE(school_id, 0) FROM audit_log
UNION SELECT school_id FROM audit_chain_head ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	var keys []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ChainReport, 0, len(keys))
	for _, k := range keys {
		r, err := s.verifyChain(ctx, k, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// VerifyAudit checks the actor's school's audit chain (the audit page) and
// audits that it was checked. pub, when not nil, is a head published in a
// digest to look for in the chain.
func (s *Store) VerifyAudit(ctx context.Context, a sen.Actor, pub *PublishedCheck) (ChainReport, error) {
	rep, err := s.verifyChain(ctx, a.User.SchoolID, pub)
	if err != nil {
		return rep, err
	}
	detail := fmt.Sprintf("rows=%d breaks=%d", rep.Rows, len(rep.Breaks))
	if pub != nil {
		detail += fmt.Sprintf(" published_seq=%d match=%t", pub.Seq, pub.Match)
	}
	return rep, s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditRead(ctx, tx, a, "audit.verify", "school", a.User.SchoolID, 0, detail)
	})
}

// DigestHead is the head of a school's audit chain as a digest publishes it.
type DigestHead struct {
	Seq  int64
	Hash string
}

// AuditHead returns the current head of the school's audit chain (for the
// daily digest). It reads only the head: no pupil data.
func (s *Store) AuditHead(ctx context.Context, schoolID int64) (DigestHead, error) {
	var h DigestHead
	err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_chain_head WHERE school_id = $1`, schoolID).Scan(&h.Seq, &h.Hash)
	if err == sql.ErrNoRows {
		return h, nil
	}
	return h, err
}

// PostgresAppRoleSQL grants a PostgreSQL role (opensend_app) what the app
// needs and no more on the audit tables: INSERT and SELECT, not UPDATE,
// DELETE or TRUNCATE; not being their owner, it cannot ALTER them or drop
// their triggers either. docs/operations.md quotes it.
//
//go:embed postgres_app_role.sql
var PostgresAppRoleSQL string
