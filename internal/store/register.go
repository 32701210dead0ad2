package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"opensend/internal/sen"
)

// queryer is satisfied by *sql.DB and *sql.Tx.
type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// RecordStatus adds an entry to a pupil's SEN provision history and, with it,
// sets the pupil's ranked needs (census consistency is checked against the
// resulting status). version must match the pupil's current version. The
// pupil's census provision indicators are cleared when the new status may
// not carry them (sen.IndicatorsAllowed).
func (s *Store) RecordStatus(ctx context.Context, a sen.Actor, pupilID, version int64, ch sen.StatusChange, needs []sen.Need) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.recordStatusTx(ctx, tx, a, pupilID, version, ch, needs)
		return err
	})
}

// RecordRegister saves the SEN form in one transaction: a status change
// (ch; nil when the status stays the same) or the needs alone, and the
// pupil's census SEN unit and resourced-provision indicators, checked
// against the school's provision and the resulting status
// (sen.CheckIndicators).
func (s *Store) RecordRegister(ctx context.Context, a sen.Actor, pupilID, version int64, ch *sen.StatusChange, needs []sen.Need, ind sen.ProvisionIndicators) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var p sen.Pupil
		var err error
		if ch != nil {
			p, err = s.recordStatusTx(ctx, tx, a, pupilID, version, *ch, needs)
		} else {
			p, err = s.setNeedsTx(ctx, tx, a, pupilID, version, needs)
		}
		if err != nil {
			return err
		}
		if p.Indicators == ind {
			return nil
		}
		sc, err := schoolTx(ctx, tx, p.SchoolID)
		if err != nil {
			return err
		}
		if fe := sen.CheckIndicators(sc.Provision, p.Status, ind); len(fe) > 0 {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupils SET sen_unit = $2, resourced_provision = $3 WHERE id = $1`, pupilID, ind.SENUnit, ind.ResourcedProvision); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "register.indicators", "pupil", pupilID, pupilID, fmt.Sprintf("sen_unit=%t resourced_provision=%t", ind.SENUnit, ind.ResourcedProvision))
	})
}

// recordStatusTx is RecordStatus inside tx; it returns the pupil as saved.
func (s *Store) recordStatusTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID, version int64, ch sen.StatusChange, needs []sen.Need) (sen.Pupil, error) {
	p, err := s.pupilTx(ctx, tx, a, pupilID)
	if err != nil {
		return p, err
	}
	if p.Version != version {
		return p, sen.ErrSENRecordChanged()
	}
	if problems := sen.CheckCensus(ch.Status, needs); len(problems) > 0 {
		return p, sen.ErrCensus("needs", problems)
	}
	// The newest entry by start date is the current status; a backdated
	// entry is kept in history but does not override a later one.
	var latest dbTime
	if err := tx.QueryRowContext(ctx, `SELECT MAX(start_date) FROM sen_status_history WHERE pupil_id = $1`, pupilID).Scan(&latest); err != nil {
		return p, err
	}
	if !latest.T.IsZero() && ch.StartDate.Before(latest.T) {
		return p, sen.ErrStatusBeforeCurrent(latest.T)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO sen_status_history (school_id, pupil_id, status, start_date, decided_by, reason, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, p.SchoolID, pupilID, ch.Status, dateArg(ch.StartDate), ch.DecidedBy, ch.Reason, a.User.ID, s.now()).Scan(&id); err != nil {
		return p, fmt.Errorf("store: status history: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pupils SET sen_status = $2, sen_status_from = $3, version = version + 1, updated_at = $4,
sen_unit = sen_unit AND $5, resourced_provision = resourced_provision AND $5 WHERE id = $1`,
		pupilID, ch.Status, dateArg(ch.StartDate), s.now(), sen.IndicatorsAllowed(ch.Status)); err != nil {
		return p, err
	}
	if err := replaceNeeds(ctx, tx, pupilID, needs); err != nil {
		return p, err
	}
	p.Status, p.StatusFrom, p.Needs, p.Version = ch.Status, ch.StartDate, needs, p.Version+1
	if !sen.IndicatorsAllowed(ch.Status) {
		p.Indicators = sen.ProvisionIndicators{}
	}
	return p, s.audit(ctx, tx, a, "register.status", "pupil", pupilID, pupilID, fmt.Sprintf("status=%s from=%s needs=%s", ch.Status, ch.StartDate.Format("2006-01-02"), needsString(needs)))
}

// appendStatusTx makes status the pupil's current SEN status from the date
// from (moved on to the newest entry's start if earlier, so history stays in
// order) and returns the date used. Callers audit the change.
func (s *Store) appendStatusTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64, status string, from time.Time, decidedBy, reason string) (time.Time, error) {
	var latest dbTime
	if err := tx.QueryRowContext(ctx, `SELECT MAX(start_date) FROM sen_status_history WHERE pupil_id = $1`, pupilID).Scan(&latest); err != nil {
		return from, err
	}
	if !latest.T.IsZero() && from.Before(latest.T) {
		from = latest.T
	}
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sen_status_history (school_id, pupil_id, status, start_date, decided_by, reason, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.User.SchoolID, pupilID, status, dateArg(from), decidedBy, reason, a.User.ID, now); err != nil {
		return from, fmt.Errorf("store: status history: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pupils SET sen_status = $2, sen_status_from = $3, version = version + 1, updated_at = $4,
sen_unit = sen_unit AND $5, resourced_provision = resourced_provision AND $5 WHERE id = $1`,
		pupilID, status, dateArg(from), now, sen.IndicatorsAllowed(status)); err != nil {
		return from, err
	}
	return from, nil
}

// SetNeeds replaces a pupil's ranked needs without changing the status.
func (s *Store) SetNeeds(ctx context.Context, a sen.Actor, pupilID, version int64, needs []sen.Need) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.setNeedsTx(ctx, tx, a, pupilID, version, needs)
		return err
	})
}

// setNeedsTx is SetNeeds inside tx; it returns the pupil as saved.
func (s *Store) setNeedsTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID, version int64, needs []sen.Need) (sen.Pupil, error) {
	p, err := s.pupilTx(ctx, tx, a, pupilID)
	if err != nil {
		return p, err
	}
	if p.Version != version {
		return p, sen.ErrSENRecordChanged()
	}
	if problems := sen.CheckCensus(p.Status, needs); len(problems) > 0 {
		return p, sen.ErrCensus("needs", problems)
	}
	if err := replaceNeeds(ctx, tx, pupilID, needs); err != nil {
		return p, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pupils SET version = version + 1, updated_at = $2 WHERE id = $1`, pupilID, s.now()); err != nil {
		return p, err
	}
	p.Needs, p.Version = needs, p.Version+1
	return p, s.audit(ctx, tx, a, "register.needs", "pupil", pupilID, pupilID, "needs="+needsString(needs))
}

// SetSchoolProvision records which census provision types the actor's
// school has (an SEN unit, resourced provision). Turning one off clears that
// indicator on every pupil, so no pupil is flagged for provision the school
// does not have (statutory-facts.md §2.5 rule 5 ⚠).
func (s *Store) SetSchoolProvision(ctx context.Context, a sen.Actor, prov sen.SchoolProvision) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE schools SET has_sen_unit = $2, has_resourced_provision = $3 WHERE id = $1`,
			a.User.SchoolID, prov.SENUnit, prov.ResourcedProvision); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pupils SET sen_unit = sen_unit AND $2, resourced_provision = resourced_provision AND $3 WHERE school_id = $1`,
			a.User.SchoolID, prov.SENUnit, prov.ResourcedProvision); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "school.provision", "school", a.User.SchoolID, 0, fmt.Sprintf("sen_unit=%t resourced_provision=%t", prov.SENUnit, prov.ResourcedProvision))
	})
}

func replaceNeeds(ctx context.Context, tx *sql.Tx, pupilID int64, needs []sen.Need) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pupil_needs WHERE pupil_id = $1`, pupilID); err != nil {
		return err
	}
	for _, n := range needs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO pupil_needs (pupil_id, rank, need_code, area) VALUES ($1, $2, $3, $4)`,
			pupilID, n.Rank, n.Code, sen.NeedArea(n.Code)); err != nil {
			return fmt.Errorf("store: need: %w", err)
		}
	}
	return nil
}

func needsString(needs []sen.Need) string {
	sorted := append([]sen.Need(nil), needs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
	parts := make([]string, len(sorted))
	for i, n := range sorted {
		parts[i] = fmt.Sprintf("%d:%s", n.Rank, n.Code)
	}
	return strings.Join(parts, ",")
}

// StatusHistory lists a pupil's SEN provision history, newest first. The
// caller must already have opened the pupil (and so audited the read).
func (s *Store) StatusHistory(ctx context.Context, a sen.Actor, pupilID int64) ([]sen.StatusChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT h.id, h.pupil_id, h.status, h.start_date, h.decided_by, h.reason, COALESCE(u.name, ''), h.recorded_at
FROM sen_status_history h JOIN pupils p ON p.id = h.pupil_id LEFT JOIN users u ON u.id = h.recorded_by
WHERE h.pupil_id = $1 AND p.school_id = $2 AND `+teachesSQL("$3")+`
ORDER BY h.start_date DESC, h.id DESC`, pupilID, a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.StatusChange
	for rows.Next() {
		var c sen.StatusChange
		var start, at dbTime
		if err := rows.Scan(&c.ID, &c.PupilID, &c.Status, &start, &c.DecidedBy, &c.Reason, &c.RecordedBy, &at); err != nil {
			return nil, err
		}
		c.StartDate, c.RecordedAt = start.T, at.T
		out = append(out, c)
	}
	return out, rows.Err()
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserName string
	Action   string
	Entity   string
	EntityID int64
	Detail   string
	IP       string
	// Listed is a list view's entry (the register, the pupil list, a
	// dashboard) that showed this pupil among others: its action is the
	// view's (a ListView) and its detail the view's filter and row count.
	Listed bool
}

// PupilAudit returns the audit trail of one pupil, newest first, and audits
// that it was read.
func (s *Store) PupilAudit(ctx context.Context, a sen.Actor, pupilID int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		// The pupil's own rows, merged with the list views that showed the
		// pupil: views linked to a stored set the pupil is in
		// (audit_pupil_set_members, audit_view_sets), and views from before
		// the sets (audit_listed). A list view's row has no pupil_id and is
		// in one set, so no entry appears twice.
		rows, err := tx.QueryContext(ctx, `SELECT id, at, user_name, action, entity, entity_id, detail, ip, listed FROM (
SELECT l.id, l.at, l.user_name, l.action, l.entity, COALESCE(l.entity_id, 0) AS entity_id, l.detail, l.ip, 0 AS listed FROM audit_log l
WHERE l.pupil_id = $1 AND l.school_id = $2
UNION ALL
SELECT l.id, l.at, l.user_name, l.action, l.entity, COALESCE(l.entity_id, 0), l.detail, l.ip, 1 FROM audit_pupil_set_members m
JOIN audit_view_sets v ON v.set_id = m.set_id JOIN audit_log l ON l.id = v.audit_id
WHERE m.pupil_id = $1 AND l.school_id = $2
UNION ALL
SELECT l.id, l.at, l.user_name, l.action, l.entity, COALESCE(l.entity_id, 0), l.detail, l.ip, 1 FROM audit_listed al JOIN audit_log l ON l.id = al.audit_id
WHERE al.pupil_id = $1 AND l.school_id = $2
) x ORDER BY id DESC LIMIT $3`, pupilID, a.User.SchoolID, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e AuditEntry
			var at dbTime
			var listed int
			if err := rows.Scan(&e.ID, &at, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.IP, &listed); err != nil {
				rows.Close()
				return err
			}
			e.At, e.Listed = at.T, listed == 1
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "audit.read", "pupil", pupilID, pupilID, "")
	})
	return out, err
}

// Figures are anonymous counts for governors and the dashboard.
type Figures struct {
	OnRoll   int
	ByStatus map[string]int
	ByArea   map[string]int // primary need's area, pupils with K or E
	ByNeed   map[string]int // primary need, pupils with K or E
	ByYear   map[string]map[string]int
}

// Aggregates counts pupils by status, primary need, area and year group.
// The need and area counts read the census primary need (rank 1) only, so an
// additional need (sen.AdditionalNeedRank) is never counted as a census need.
// No names or identifiers leave this method. The counts are reused while
// nothing in the school has changed (cachedView) and shared: do not change
// the maps.
func (s *Store) Aggregates(ctx context.Context, schoolID int64) (Figures, error) {
	school := sen.Actor{User: sen.User{SchoolID: schoolID}}
	return cachedView(ctx, s, s.db, school, "aggregates", "", func() (Figures, error) { return s.aggregates(ctx, schoolID) })
}

func (s *Store) aggregates(ctx context.Context, schoolID int64) (Figures, error) {
	f := Figures{ByStatus: map[string]int{}, ByArea: map[string]int{}, ByNeed: map[string]int{}, ByYear: map[string]map[string]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT p.year_group, p.sen_status, COALESCE(n.need_code, ''), COALESCE(n.area, ''), COUNT(*)
FROM pupils p LEFT JOIN pupil_needs n ON n.pupil_id = p.id AND n.rank = 1
WHERE p.school_id = $1 AND `+onRollSQL+` GROUP BY p.year_group, p.sen_status, n.need_code, n.area`, schoolID)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var year, status, need, area string
		var n int
		if err := rows.Scan(&year, &status, &need, &area, &n); err != nil {
			return f, err
		}
		f.OnRoll += n
		f.ByStatus[status] += n
		if f.ByYear[year] == nil {
			f.ByYear[year] = map[string]int{}
		}
		f.ByYear[year][status] += n
		if status != sen.StatusNone && need != "" {
			f.ByNeed[need] += n
			f.ByArea[area] += n
		}
	}
	return f, rows.Err()
}

// CensusProblems counts the pupils whose register entry fails the census
// checks (sen.CheckCensus), reading only status and needs: no names. It is
// there to find entries written around the checks (an old MIS migration,
// say), so it is reused under the school's change counter only because
// every change to pupils and pupil_needs moves the counter, also SQL run
// around the application (triggers, migration 00020).
func (s *Store) CensusProblems(ctx context.Context, schoolID int64) (int, error) {
	school := sen.Actor{User: sen.User{SchoolID: schoolID}}
	return cachedView(ctx, s, s.db, school, "census-problems", "", func() (int, error) { return s.censusProblems(ctx, schoolID) })
}

func (s *Store) censusProblems(ctx context.Context, schoolID int64) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.sen_status, COALESCE(n.rank, 0), COALESCE(n.need_code, '')
FROM pupils p LEFT JOIN pupil_needs n ON n.pupil_id = p.id
WHERE p.school_id = $1 AND (p.sen_status <> 'N' OR n.pupil_id IS NOT NULL) AND `+onRollSQL+`
ORDER BY p.id, n.rank`, schoolID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	count := 0
	var cur int64
	var status string
	var needs []sen.Need
	flush := func() {
		if cur != 0 && len(sen.CheckCensus(status, needs)) > 0 {
			count++
		}
	}
	for rows.Next() {
		var id int64
		var st, code string
		var rank int
		if err := rows.Scan(&id, &st, &rank, &code); err != nil {
			return 0, err
		}
		if id != cur {
			flush()
			cur, status, needs = id, st, needs[:0]
		}
		if code != "" {
			needs = append(needs, sen.Need{Rank: rank, Code: code})
		}
	}
	flush()
	return count, rows.Err()
}
