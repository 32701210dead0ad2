package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"opensend/internal/records"
	"opensend/internal/sen"
)

// Records management (issue 17): retention rules, the disposal list,
// disposal (records deleted for good, leaving a certificate) and legal holds.
// Domain: internal/records.

// RetentionRules returns the school's rule for every kind of record: its
// own where it set one, the IRMS default otherwise. Rules hold no pupil
// data, so reading them is not audited.
func (s *Store) RetentionRules(ctx context.Context, a sen.Actor) ([]records.Rule, error) {
	var out []records.Rule
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.retentionRules(ctx, tx, a.User.SchoolID)
		return err
	})
	return out, err
}

func (s *Store) retentionRules(ctx context.Context, tx *sql.Tx, schoolID int64) ([]records.Rule, error) {
	own := map[string]records.Rule{}
	rows, err := tx.QueryContext(ctx, `SELECT kind, basis, years, source, version, updated_by_name, updated_at FROM retention_rules WHERE school_id = $1`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: retention rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r records.Rule
		var at dbTime
		if err := rows.Scan(&r.Kind, &r.Basis, &r.Years, &r.Source, &r.Version, &r.UpdatedBy, &at); err != nil {
			return nil, err
		}
		r.UpdatedAt = at.T
		own[r.Kind] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := records.Defaults()
	for i, d := range out {
		if r, ok := own[d.Kind]; ok {
			out[i] = r
		}
	}
	return out, nil
}

// RetentionRule returns the school's rule for one kind (sen.ErrNotFound for
// an unknown kind).
func (s *Store) RetentionRule(ctx context.Context, a sen.Actor, kind string) (records.Rule, error) {
	rules, err := s.RetentionRules(ctx, a)
	if err != nil {
		return records.Rule{}, err
	}
	for _, r := range rules {
		if r.Kind == kind {
			return r, nil
		}
	}
	return records.Rule{}, sen.ErrNotFound
}

// SaveRetentionRule sets the school's rule for r.Kind. r.Version is the
// version the person saw (0 for the default): a rule changed meanwhile is a
// conflict. On success r.Version is the new version.
func (s *Store) SaveRetentionRule(ctx context.Context, a sen.Actor, r *records.Rule) error {
	r.Source = strings.TrimSpace(r.Source)
	if r.Basis == records.BasisWithFile {
		r.Years = 0
	}
	if err := r.Validate().Err(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var cur int64
		var by string
		var at dbTime
		err := tx.QueryRowContext(ctx, `SELECT version, updated_by_name, updated_at FROM retention_rules WHERE school_id = $1 AND kind = $2`, a.User.SchoolID, r.Kind).Scan(&cur, &by, &at)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if cur != r.Version {
			return &sen.ConflictError{What: "retention rule", By: by, At: at.T}
		}
		now := s.now()
		if cur == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO retention_rules (school_id, kind, basis, years, source, version, updated_by, updated_by_name, updated_at)
VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)`, a.User.SchoolID, r.Kind, r.Basis, r.Years, r.Source, nullID(a.User.ID), a.User.Name, now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE retention_rules SET basis = $3, years = $4, source = $5, version = version + 1, updated_by = $6, updated_by_name = $7, updated_at = $8
WHERE school_id = $1 AND kind = $2`, a.User.SchoolID, r.Kind, r.Basis, r.Years, r.Source, nullID(a.User.ID), a.User.Name, now)
		}
		if err != nil {
			return fmt.Errorf("store: retention rule: %w", err)
		}
		r.Version, r.UpdatedBy, r.UpdatedAt, r.Default = cur+1, a.User.Name, now, false
		return s.audit(ctx, tx, a, "records.rule.save", "retention_rule", 0, 0, fmt.Sprintf("kind=%s basis=%s years=%d", r.Kind, r.Basis, r.Years))
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// leavingDate is the day each pupil who has left the school left it
// (pupils.left_on, recorded by the transitions capability), for the rules
// counted from leaving (records.BasisLeaving): every rule reads it from here.
func (s *Store) leavingDate(ctx context.Context, tx *sql.Tx, schoolID int64) (map[int64]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, left_on FROM pupils WHERE school_id = $1 AND left_on IS NOT NULL`, schoolID)
	if err != nil {
		return nil, fmt.Errorf("store: leaving dates: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var left dbTime
		if err := rows.Scan(&id, &left); err != nil {
			return nil, err
		}
		out[id] = left.T
	}
	return out, rows.Err()
}

// pupilRecords is what the rules and the disposal list know of one pupil.
type pupilRecords struct {
	Pupil                      sen.Pupil
	Plans, EHC, Concerns, Docs int
	ConcernsOpen               bool
	ConcernsClosed             time.Time
	Leaving                    time.Time
	Hold                       *records.Hold
}

// DisposalItem is one line of the disposal list: a pupil's records of one
// kind that have reached the end of their retention (or that a legal hold
// keeps).
type DisposalItem struct {
	Pupil     sen.Pupil
	Kind      string
	Rule      records.Rule
	Due       time.Time
	DueKnown  bool
	Status    records.Status
	Records   int // records that would be destroyed
	Documents int // documents among them
	Hold      *records.Hold
	// Summary counts what the SEN file holds, by kind, for the confirmation.
	Plans, EHC, Concerns int
}

// DisposalList is the disposal page: what has reached its date, and every
// pupil under a legal hold.
type DisposalList struct {
	Due   []DisposalItem // reached their date (Status due or held)
	Holds []DisposalItem // pupils under a legal hold (their SEN file's line)
	Today time.Time
}

// schoolRecords reads every pupil of the school with the counts and dates
// the rules need, in a few grouped queries.
func (s *Store) schoolRecords(ctx context.Context, tx *sql.Tx, schoolID, pupilID int64) (map[int64]*pupilRecords, error) {
	out := map[int64]*pupilRecords{}
	rows, err := tx.QueryContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.school_id = $1 AND ($2 = 0 OR p.id = $2)`, schoolID, pupilID)
	if err != nil {
		return nil, fmt.Errorf("store: disposal pupils: %w", err)
	}
	for rows.Next() {
		pr := &pupilRecords{}
		if err := scanPupil(rows, &pr.Pupil); err != nil {
			rows.Close()
			return nil, err
		}
		out[pr.Pupil.ID] = pr
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts := []struct {
		q   string
		add func(pr *pupilRecords, n int)
	}{
		{`SELECT pupil_id, COUNT(*) FROM plan_cycles WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.Plans += n }},
		{`SELECT c.pupil_id, COUNT(*) FROM passports c JOIN pupils p ON p.id = c.pupil_id WHERE p.school_id = $1 AND ($2 = 0 OR c.pupil_id = $2) GROUP BY c.pupil_id`, func(pr *pupilRecords, n int) { pr.Plans += n }},
		{`SELECT pupil_id, COUNT(*) FROM ehc_requests WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.EHC += n }},
		{`SELECT pupil_id, COUNT(*) FROM ehc_plans WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.EHC += n }},
		{`SELECT pupil_id, COUNT(*) FROM ehc_documents WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.Docs += n }},
		{`SELECT pupil_id, COUNT(*) FROM concerns WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.Concerns += n }},
		{`SELECT c.pupil_id, COUNT(*) FROM concern_attachments ca JOIN concerns c ON c.id = ca.concern_id WHERE c.school_id = $1 AND ($2 = 0 OR c.pupil_id = $2) GROUP BY c.pupil_id`, func(pr *pupilRecords, n int) { pr.Docs += n }},
		{`SELECT pupil_id, COUNT(*) FROM concerns WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) AND is_open GROUP BY pupil_id`, func(pr *pupilRecords, n int) { pr.ConcernsOpen = n > 0 }},
	}
	for _, c := range counts {
		rows, err := tx.QueryContext(ctx, c.q, schoolID, pupilID)
		if err != nil {
			return nil, fmt.Errorf("store: disposal counts: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if pr := out[id]; pr != nil {
				c.add(pr, n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// When the last concern was closed (decided); a pupil with one still
	// open has no close date.
	rows, err = tx.QueryContext(ctx, `SELECT pupil_id, MAX(COALESCE(decided_at, raised_at)) FROM concerns WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) AND NOT is_open GROUP BY pupil_id`, schoolID, pupilID)
	if err != nil {
		return nil, fmt.Errorf("store: disposal concerns: %w", err)
	}
	for rows.Next() {
		var id int64
		var at dbTime
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, err
		}
		if pr := out[id]; pr != nil && !pr.ConcernsOpen {
			pr.ConcernsClosed = DateOf(at.T)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	holds, err := s.holds(ctx, tx, schoolID, pupilID, true)
	if err != nil {
		return nil, err
	}
	for i := range holds {
		if pr := out[holds[i].PupilID]; pr != nil {
			pr.Hold = &holds[i]
		}
	}
	leaving, err := s.leavingDate(ctx, tx, schoolID)
	if err != nil {
		return nil, err
	}
	for id, d := range leaving {
		if pr := out[id]; pr != nil {
			pr.Leaving = d
		}
	}
	return out, nil
}

// assess applies the rules to one pupil: the SEN file's line and, where a
// kind has a rule of its own, that kind's line.
func assess(pr *pupilRecords, rules []records.Rule, today time.Time) []DisposalItem {
	byKind := map[string]records.Rule{}
	for _, r := range rules {
		byKind[r.Kind] = r
	}
	held := pr.Hold != nil
	facts := records.Facts{DOB: pr.Pupil.DOB, Leaving: pr.Leaving}
	file := byKind[records.KindSENFile]
	fileDue, fileOK := file.Due(facts, time.Time{}, false)
	fileItem := DisposalItem{Pupil: pr.Pupil, Kind: records.KindSENFile, Rule: file, Due: fileDue, DueKnown: fileOK,
		Status: records.Assess(fileDue, fileOK, today, held), Records: 1 + pr.Plans + pr.EHC + pr.Concerns, Documents: pr.Docs,
		Hold: pr.Hold, Plans: pr.Plans, EHC: pr.EHC, Concerns: pr.Concerns}
	out := []DisposalItem{fileItem}
	if fileItem.Status == records.StatusDue || fileItem.Status == records.StatusHeld {
		return out // the file takes everything with it
	}
	if c := byKind[records.KindConcerns]; c.Basis != records.BasisWithFile && pr.Concerns > 0 {
		f := facts
		f.Closed, f.Records = pr.ConcernsClosed, pr.Concerns
		due, ok := c.Due(f, fileDue, fileOK)
		if c.Basis == records.BasisClosed && pr.ConcernsOpen {
			ok = false
		}
		out = append(out, DisposalItem{Pupil: pr.Pupil, Kind: records.KindConcerns, Rule: c, Due: due, DueKnown: ok,
			Status: records.Assess(due, ok, today, held), Records: pr.Concerns, Concerns: pr.Concerns, Hold: pr.Hold})
	}
	return out
}

// Disposal returns the disposal list and audits it as a list view of the
// pupils it names.
func (s *Store) Disposal(ctx context.Context, a sen.Actor) (DisposalList, error) {
	var out DisposalList
	out.Today = s.Today()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rules, err := s.retentionRules(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		all, err := s.schoolRecords(ctx, tx, a.User.SchoolID, 0)
		if err != nil {
			return err
		}
		var ids []int64
		for _, pr := range all {
			listed := false
			for _, it := range assess(pr, rules, out.Today) {
				if it.Status == records.StatusDue || it.Status == records.StatusHeld {
					out.Due = append(out.Due, it)
					listed = true
				}
				if it.Kind == records.KindSENFile && it.Hold != nil {
					out.Holds = append(out.Holds, it)
					listed = true
				}
			}
			if listed {
				ids = append(ids, pr.Pupil.ID)
			}
		}
		sortItems(out.Due)
		sortItems(out.Holds)
		return s.auditList(ctx, tx, a, "records.disposal.list", "disposal", fmt.Sprintf("due=%d held=%d", len(out.Due), len(out.Holds)), ids)
	})
	return out, err
}

func sortItems(items []DisposalItem) {
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Due.Equal(items[j].Due) {
			return items[i].Due.Before(items[j].Due)
		}
		if items[i].Pupil.Surname != items[j].Pupil.Surname {
			return items[i].Pupil.Surname < items[j].Pupil.Surname
		}
		return items[i].Pupil.ID < items[j].Pupil.ID
	})
}

// PupilRetention is every line of the rules for one pupil (the retention
// page: when each kind is due, and the pupil's legal holds, past and
// present). An audited read.
type PupilRetention struct {
	Pupil sen.Pupil
	Items []DisposalItem
	Holds []records.Hold // newest first
	Today time.Time
}

// PupilRetention returns one pupil's retention dates and holds.
func (s *Store) PupilRetention(ctx context.Context, a sen.Actor, pupilID int64) (PupilRetention, error) {
	out := PupilRetention{Today: s.Today()}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rules, err := s.retentionRules(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		all, err := s.schoolRecords(ctx, tx, a.User.SchoolID, pupilID)
		if err != nil {
			return err
		}
		pr := all[pupilID]
		if pr == nil {
			return sen.ErrNotFound
		}
		out.Pupil, out.Items = pr.Pupil, assess(pr, rules, out.Today)
		if out.Holds, err = s.holds(ctx, tx, a.User.SchoolID, pupilID, false); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "records.retention.read", "pupil", pupilID, pupilID, "")
	})
	return out, err
}

// DisposalReview returns the pupil's line of kind for the confirmation
// step (sen.ErrNotFound when the pupil or the kind is not on the list). An
// audited read.
func (s *Store) DisposalReview(ctx context.Context, a sen.Actor, pupilID int64, kind string) (DisposalItem, error) {
	var it DisposalItem
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if it, err = s.disposalItem(ctx, tx, a, pupilID, kind); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "records.disposal.review", "pupil", pupilID, pupilID, "kind="+kind)
	})
	return it, err
}

func (s *Store) disposalItem(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64, kind string) (DisposalItem, error) {
	rules, err := s.retentionRules(ctx, tx, a.User.SchoolID)
	if err != nil {
		return DisposalItem{}, err
	}
	all, err := s.schoolRecords(ctx, tx, a.User.SchoolID, pupilID)
	if err != nil {
		return DisposalItem{}, err
	}
	pr := all[pupilID]
	if pr == nil {
		return DisposalItem{}, sen.ErrNotFound
	}
	for _, it := range assess(pr, rules, s.Today()) {
		if it.Kind == kind {
			return it, nil
		}
	}
	return DisposalItem{}, sen.ErrNotFound
}

// Dispose destroys, for good and in one transaction, a pupil's records of
// kind that have reached their date and are under no legal hold: the SEN
// file is the pupil's whole record (every row that refers to the pupil, by
// the schema's ON DELETE CASCADE, documents included); concerns are the
// pupil's concerns with their attachments. It leaves a disposal certificate
// and returns its id. The audit trail's rows stay (they are chained, and
// carry only the pupil's number, which the certificate's reference names;
// docs/operations.md). records.ErrNotDue when the records are not (or no
// longer) due; nothing changes on any error.
func (s *Store) Dispose(ctx context.Context, a sen.Actor, pupilID int64, kind string) (int64, error) {
	var certID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.disposalItem(ctx, tx, a, pupilID, kind)
		if err != nil {
			return err
		}
		if it.Status != records.StatusDue {
			return records.ErrNotDue()
		}
		if s.engine == SQLite {
			// Overwrite what is deleted rather than leave it in free pages.
			if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
				return err
			}
		}
		var res sql.Result
		switch kind {
		case records.KindSENFile:
			res, err = tx.ExecContext(ctx, `DELETE FROM pupils WHERE id = $1 AND school_id = $2`, pupilID, a.User.SchoolID)
		case records.KindConcerns:
			res, err = tx.ExecContext(ctx, `DELETE FROM concerns WHERE pupil_id = $1 AND school_id = $2`, pupilID, a.User.SchoolID)
		default:
			return sen.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: dispose: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return records.ErrNotDue()
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO disposal_certificates (school_id, kind, pupil_ref, rule, source, due_date, records, documents, disposed_by, disposed_by_name, disposed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, a.User.SchoolID, kind, records.PupilRef(pupilID), it.Rule.Describe(), it.Rule.Source,
			dateArg(it.Due), it.Records, it.Documents, nullID(a.User.ID), a.User.Name, now).Scan(&certID); err != nil {
			return fmt.Errorf("store: disposal certificate: %w", err)
		}
		return s.audit(ctx, tx, a, "records.dispose", "disposal_certificate", certID, pupilID,
			fmt.Sprintf("kind=%s records=%d documents=%d", kind, it.Records, it.Documents))
	})
	return certID, err
}

const certCols = `id, kind, pupil_ref, rule, source, due_date, records, documents, disposed_by_name, disposed_at`

func scanCert(sc interface{ Scan(...any) error }) (records.Certificate, error) {
	var c records.Certificate
	var due, at dbTime
	err := sc.Scan(&c.ID, &c.Kind, &c.PupilRef, &c.Rule, &c.Source, &due, &c.Records, &c.Documents, &c.DisposedBy, &at)
	c.DueDate, c.DisposedAt = due.T, at.T
	return c, err
}

// Certificates lists the school's disposal certificates, newest first.
// They name no pupil, so reading them is not a read of pupil data.
func (s *Store) Certificates(ctx context.Context, a sen.Actor) ([]records.Certificate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+certCols+` FROM disposal_certificates WHERE school_id = $1 ORDER BY disposed_at DESC, id DESC`, a.User.SchoolID)
	if err != nil {
		return nil, fmt.Errorf("store: certificates: %w", err)
	}
	defer rows.Close()
	var out []records.Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Certificate returns one of the school's certificates.
func (s *Store) Certificate(ctx context.Context, a sen.Actor, id int64) (records.Certificate, error) {
	c, err := scanCert(s.db.QueryRowContext(ctx, `SELECT `+certCols+` FROM disposal_certificates WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID))
	return c, notFound(err)
}

// holds reads the school's legal holds (of one pupil when pupilID is not
// 0), the active ones only when active, newest first.
func (s *Store) holds(ctx context.Context, tx *sql.Tx, schoolID, pupilID int64, active bool) ([]records.Hold, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, pupil_id, reason, placed_by_name, placed_at, lifted_by_name, lifted_at, lift_reason, version
FROM legal_holds WHERE school_id = $1 AND ($2 = 0 OR pupil_id = $2) AND (NOT $3 OR lifted_at IS NULL) ORDER BY placed_at DESC, id DESC`, schoolID, pupilID, active)
	if err != nil {
		return nil, fmt.Errorf("store: legal holds: %w", err)
	}
	defer rows.Close()
	var out []records.Hold
	for rows.Next() {
		var h records.Hold
		var placed, lifted dbTime
		if err := rows.Scan(&h.ID, &h.PupilID, &h.Reason, &h.PlacedBy, &placed, &h.LiftedBy, &lifted, &h.LiftReason, &h.Version); err != nil {
			return nil, err
		}
		h.PlacedAt, h.LiftedAt = placed.T, lifted.T
		out = append(out, h)
	}
	return out, rows.Err()
}

// UnderHold reports whether a pupil of the actor's school is under a legal
// hold (for the pupil page's link; the page itself is the audited read).
func (s *Store) UnderHold(ctx context.Context, a sen.Actor, pupilID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM legal_holds WHERE school_id = $1 AND pupil_id = $2 AND lifted_at IS NULL`, a.User.SchoolID, pupilID).Scan(&n)
	return n > 0, err
}

// PlaceHold puts a pupil's records under a legal hold, with its reason.
func (s *Store) PlaceHold(ctx context.Context, a sen.Actor, pupilID int64, reason string) (int64, error) {
	reason = strings.TrimSpace(reason)
	if err := records.ValidateReason(reason, false).Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pupils WHERE id = $1 AND school_id = $2`, pupilID, a.User.SchoolID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return sen.ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM legal_holds WHERE pupil_id = $1 AND lifted_at IS NULL`, pupilID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return records.ErrHeldAlready()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO legal_holds (school_id, pupil_id, reason, placed_by, placed_by_name, placed_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, a.User.SchoolID, pupilID, reason, nullID(a.User.ID), a.User.Name, s.now()).Scan(&id); err != nil {
			if isUnique(err) {
				return records.ErrHeldAlready()
			}
			return fmt.Errorf("store: legal hold: %w", err)
		}
		return s.audit(ctx, tx, a, "records.hold.place", "legal_hold", id, pupilID, "")
	})
	return id, err
}

// LiftHold lifts a legal hold, with who, when and why. version is the
// hold's version as the person saw it.
func (s *Store) LiftHold(ctx context.Context, a sen.Actor, holdID, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := records.ValidateReason(reason, true).Err(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var pupilID, cur int64
		var liftedBy string
		var lifted dbTime
		err := tx.QueryRowContext(ctx, `SELECT pupil_id, version, lifted_by_name, lifted_at FROM legal_holds WHERE id = $1 AND school_id = $2`, holdID, a.User.SchoolID).
			Scan(&pupilID, &cur, &liftedBy, &lifted)
		if err != nil {
			return notFound(err)
		}
		if cur != version || !lifted.T.IsZero() {
			return &sen.ConflictError{What: "legal hold", By: liftedBy, At: lifted.T}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE legal_holds SET lifted_by = $2, lifted_by_name = $3, lifted_at = $4, lift_reason = $5, version = version + 1 WHERE id = $1`,
			holdID, nullID(a.User.ID), a.User.Name, s.now(), reason); err != nil {
			return fmt.Errorf("store: lift legal hold: %w", err)
		}
		return s.audit(ctx, tx, a, "records.hold.lift", "legal_hold", holdID, pupilID, "")
	})
}

// HoldPupil returns the hold's pupil id (sen.ErrNotFound outside the
// actor's school).
func (s *Store) HoldPupil(ctx context.Context, a sen.Actor, holdID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT pupil_id FROM legal_holds WHERE id = $1 AND school_id = $2`, holdID, a.User.SchoolID).Scan(&id)
	return id, notFound(err)
}

// DemoFormerPupil backdates a demo pupil's date of birth, which the pupil
// form keeps within the last 26 years, so the demo school shows former
// pupils whose SEN files are past retention (internal/demo). Audited as a
// change to the pupil.
func (s *Store) DemoFormerPupil(ctx context.Context, a sen.Actor, pupilID int64, dob, leftOn time.Time, dest string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE pupils SET dob = $3, version = version + 1 WHERE id = $1 AND school_id = $2`, pupilID, a.User.SchoolID, dateArg(dob))
		if err != nil {
			return fmt.Errorf("store: demo former pupil: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return sen.ErrNotFound
		}
		if err := s.audit(ctx, tx, a, "pupil.update", "pupil", pupilID, pupilID, "changed: dob"); err != nil {
			return err
		}
		if leftOn.IsZero() {
			return nil
		}
		// Left long ago, with the CTF sent then (a leaving recorded today
		// must be within two years, so the demo writes it directly).
		now := s.now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO pupil_leavings (school_id, pupil_id, left_on, reason, dest_name, dest_urn, dest_laestab, ctf_due, recorded_by, recorded_at, version, ctf_sent_on, ctf_sent_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $8, $9) RETURNING id`, a.User.SchoolID, pupilID, dateArg(leftOn), "transfer", dest, "", "", dateArg(leftOn.AddDate(0, 0, 14)), a.User.ID, now).Scan(&id); err != nil {
			return fmt.Errorf("store: demo former pupil leaving: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupils SET left_on = $2, version = version + 1 WHERE id = $1`, pupilID, dateArg(leftOn)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "pupil.leave", "leaving", id, pupilID, "left="+leftOn.Format("2006-01-02")+" reason=transfer")
	})
}

// DemoClosedConcern adds a concern raised and closed long ago (the demo's
// former pupils).
func (s *Store) DemoClosedConcern(ctx context.Context, a sen.Actor, pupilID int64, noticed string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO concerns (school_id, pupil_id, raised_by, raised_at, noticed, is_open, decision, decided_by, decided_at)
VALUES ($1, $2, $3, $4, $5, $6, 'monitor', $3, $4) RETURNING id`, a.User.SchoolID, pupilID, nullID(a.User.ID), at, noticed, false).Scan(&id); err != nil {
			return fmt.Errorf("store: demo concern: %w", err)
		}
		return s.audit(ctx, tx, a, "concern.raise", "concern", id, pupilID, "")
	})
}
