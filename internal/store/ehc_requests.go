package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// EHC needs-assessment requests (issue 5): the SQL of ehc.Request. Only
// recorded facts are stored; every statutory date comes from the deadline
// engine through the domain (internal/ehc).

// CreateRequest records a new request for the pupil.
func (s *Store) CreateRequest(ctx context.Context, a sen.Actor, r *ehc.Request) error {
	if fe := r.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, r.PupilID); err != nil {
			return err
		}
		now := s.now()
		r.SchoolID = a.User.SchoolID
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_requests (school_id, pupil_id, requested_by, received, la_name, notes, version, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) RETURNING id`, r.SchoolID, r.PupilID, r.RequestedBy, dateArg(r.Received), r.LAName, r.Notes, a.User.ID, now).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: create request: %w", err)
		}
		r.Version = 1
		return s.audit(ctx, tx, a, "ehc.request.create", "ehc_request", r.ID, r.PupilID, "requested_by="+r.RequestedBy)
	})
}

const requestCols = `r.id, r.school_id, r.pupil_id, p.forename || ' ' || p.surname, p.year_group, r.requested_by, r.received, r.la_name, r.notes, r.version,
COALESCE((SELECT MAX(pl.id) FROM ehc_plans pl WHERE pl.request_id = r.id), 0)`

func scanRequest(sc interface{ Scan(...any) error }, r *ehc.Request) error {
	var rec dbTime
	if err := sc.Scan(&r.ID, &r.SchoolID, &r.PupilID, &r.PupilName, &r.YearGroup, &r.RequestedBy, &rec, &r.LAName, &r.Notes, &r.Version, &r.PlanID); err != nil {
		return err
	}
	r.Received = rec.T
	return nil
}

// Request opens one request with its events and exceptions, and audits the read.
func (s *Store) Request(ctx context.Context, a sen.Actor, id int64) (ehc.Request, error) {
	var r ehc.Request
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.requestTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.request.read", "ehc_request", id, r.PupilID, "")
	})
	return r, err
}

func (s *Store) requestTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (ehc.Request, error) {
	var r ehc.Request
	err := scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestCols+` FROM ehc_requests r JOIN pupils p ON p.id = r.pupil_id
WHERE r.id = $1 AND r.school_id = $2 AND `+teachesSQL("$3"), id, a.User.SchoolID, scopeUser(a)), &r)
	if err != nil {
		return r, notFound(err)
	}
	if err := loadRequestDetail(ctx, tx, []*ehc.Request{&r}); err != nil {
		return r, err
	}
	r.Corrections, err = correctionsTx(ctx, tx, a.User.SchoolID, ehc.SubjectRequest, id)
	return r, err
}

func loadRequestDetail(ctx context.Context, q queryer, list []*ehc.Request) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]*ehc.Request{}
	for _, r := range list {
		idx[r.ID] = r
	}
	rows, err := q.QueryContext(ctx, `SELECT e.request_id, e.id, e.kind, e.event_date, e.outcome, e.note, COALESCE(u.name, ''), e.recorded_at
FROM ehc_request_events e JOIN ehc_requests r ON r.id = e.request_id LEFT JOIN users u ON u.id = e.recorded_by
WHERE r.school_id = $1 ORDER BY e.event_date, e.id`, list[0].SchoolID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var rid int64
		var e ehc.RequestEvent
		var d, at dbTime
		if err := rows.Scan(&rid, &e.ID, &e.Kind, &d, &e.Outcome, &e.Note, &e.RecordedBy, &at); err != nil {
			rows.Close()
			return err
		}
		e.Date, e.RecordedAt = d.T, at.T
		if r := idx[rid]; r != nil {
			r.Events = append(r.Events, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT x.request_id, x.milestone, x.reason, x.note, COALESCE(u.name, ''), x.recorded_at
FROM ehc_request_exceptions x JOIN ehc_requests r ON r.id = x.request_id LEFT JOIN users u ON u.id = x.recorded_by
WHERE r.school_id = $1 ORDER BY x.milestone`, list[0].SchoolID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var x ehc.RequestException
		var at dbTime
		if err := rows.Scan(&rid, &x.Milestone, &x.Reason, &x.Note, &x.RecordedBy, &at); err != nil {
			return err
		}
		x.RecordedAt = at.T
		if r := idx[rid]; r != nil {
			r.Exceptions = append(r.Exceptions, x)
		}
	}
	return rows.Err()
}

// Requests lists the school's requests (newest first) with their events.
// It is a bulk read of SEN records, so it is audited once. The list is
// reused while nothing in the school has changed (cachedView; every write
// to a request, its events and exceptions is audited and moves the
// counter): shared between requests, so callers must not change it.
func (s *Store) Requests(ctx context.Context, a sen.Actor) ([]ehc.Request, error) {
	var out []ehc.Request
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = cachedView(ctx, s, tx, a, "ehc-requests", "", func() ([]ehc.Request, error) { return s.requestsTx(ctx, tx, a) })
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.request.list", "ehc_request", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

func (s *Store) requestsTx(ctx context.Context, q queryer, a sen.Actor) ([]ehc.Request, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+requestCols+` FROM ehc_requests r JOIN pupils p ON p.id = r.pupil_id
WHERE r.school_id = $1 AND `+teachesSQL("$2")+` AND `+onRollSQL+` ORDER BY r.received DESC, r.id DESC`, a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	var out []ehc.Request
	for rows.Next() {
		var r ehc.Request
		if err := scanRequest(rows, &r); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ptrs := make([]*ehc.Request, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, loadRequestDetail(ctx, q, ptrs)
}

// RecordRequestEvent adds an event to a request. The resulting facts must
// pass the deadline engine's consistency checks (e.g. a final plan cannot
// be issued before the request was received, nor after a refusal to assess).
func (s *Store) RecordRequestEvent(ctx context.Context, a sen.Actor, requestID int64, e ehc.RequestEvent) error {
	if fe := e.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.requestTx(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		if fe := r.CheckEvent(e); fe != nil {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_request_events (request_id, kind, event_date, outcome, note, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, requestID, e.Kind, dateArg(e.Date), e.Outcome, e.Note, a.User.ID, s.now()); err != nil {
			return fmt.Errorf("store: request event: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_requests SET version = version + 1, updated_at = $2 WHERE id = $1`, requestID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.request.event", "ehc_request", requestID, r.PupilID, "kind="+e.Kind)
	})
}

// RecordException records (or replaces) a statutory exception to one
// milestone's time limit. The engine rejects reasons the regulations do not
// allow for that milestone (an early years closure cannot excuse the 6-week
// decision, reg 5(4)).
func (s *Store) RecordException(ctx context.Context, a sen.Actor, requestID int64, x ehc.RequestException) error {
	if fe := x.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.requestTx(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		if fe := r.CheckException(x); fe != nil {
			return fe
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ehc_request_exceptions WHERE request_id = $1 AND milestone = $2`, requestID, x.Milestone); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_request_exceptions (request_id, milestone, reason, note, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6)`, requestID, x.Milestone, x.Reason, x.Note, a.User.ID, s.now()); err != nil {
			return fmt.Errorf("store: exception: %w", err)
		}
		return s.audit(ctx, tx, a, "ehc.request.exception", "ehc_request", requestID, r.PupilID, "milestone="+x.Milestone+" reason="+x.Reason)
	})
}

// CorrectRequest corrects or withdraws one recorded event or exception of a
// request, with a reason; the original is kept in the request's correction
// history, and every statutory date follows from the corrected facts. A
// withdrawn event or exception is removed from the facts (its row goes; the
// history and the audit trail keep what it was).
func (s *Store) CorrectRequest(ctx context.Context, a sen.Actor, requestID int64, c ehc.CorrectionRequest) error {
	if fe := c.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.requestTx(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		_, cor, err := r.ApplyCorrection(c)
		if err != nil {
			return err
		}
		var q string
		var args []any
		switch {
		case cor.Item == ehc.ItemException && cor.Withdrawn:
			q, args = `DELETE FROM ehc_request_exceptions WHERE request_id = $1 AND milestone = $2`, []any{requestID, cor.RefName}
		case cor.Item == ehc.ItemException:
			q, args = `UPDATE ehc_request_exceptions SET reason = $3, note = $4 WHERE request_id = $1 AND milestone = $2`, []any{requestID, cor.RefName, cor.New.Code, cor.New.Note}
		case cor.Withdrawn:
			q, args = `DELETE FROM ehc_request_events WHERE request_id = $1 AND id = $2`, []any{requestID, cor.RefID}
		default:
			q, args = `UPDATE ehc_request_events SET event_date = $3, outcome = $4 WHERE request_id = $1 AND id = $2`, []any{requestID, cor.RefID, dateArg(cor.New.Date), cor.New.Code}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_requests SET version = version + 1, updated_at = $2 WHERE id = $1`, requestID, s.now()); err != nil {
			return err
		}
		if err := s.insertCorrectionTx(ctx, tx, a, r.PupilID, cor); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.request.correct", "ehc_request", requestID, r.PupilID, correctionDetail(cor))
	})
}

// RecordEvidencePack audits that an evidence pack was produced (a bulk
// export of the pupil's record).
func (s *Store) RecordEvidencePack(ctx context.Context, a sen.Actor, requestID, pupilID int64, items int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditRead(ctx, tx, a, "ehc.request.evidence_pack", "ehc_request", requestID, pupilID, fmt.Sprintf("items=%d", items))
	})
}
