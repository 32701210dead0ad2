package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// EHC needs-assessment requests (issue 5). Only recorded facts are stored;
// every statutory date comes from the deadline engine (internal/deadline),
// which cites the legal source of each rule.

// Who made a request for an EHC needs assessment (CFA 2014 s36(1); CoP 9.8).
var RequestedByOptions = []struct{ Code, Label string }{
	{"parent", "Parent or young person"},
	{"school", "School"},
	{"health", "Health"},
	{"social-care", "Social care"},
	{"other", "Other"},
}

// RequestedByLabel names a requester code.
func RequestedByLabel(code string) string {
	for _, o := range RequestedByOptions {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// Request event kinds. Each sets one fact of deadline.RequestFacts.
const (
	EvAssessDecision  = "assess-decision"  // LA decision whether to assess (outcome assess/refuse)
	EvAdviceRequested = "advice-requested" // LA asked the school for advice
	EvAdviceReturned  = "advice-returned"  // school returned its advice
	EvDraftServed     = "draft-served"     // draft plan served
	EvCommentsSent    = "comments-sent"    // comments on the draft sent
	EvNotToIssue      = "not-to-issue"     // LA decided not to issue a plan
	EvFinalIssued     = "final-issued"     // final plan issued
	EvMediation       = "mediation"        // mediation certificate issued
	EvTribunal        = "tribunal"         // appeal lodged with the Tribunal
)

// RequestEventKinds in process order, with labels.
var RequestEventKinds = []struct{ Code, Label string }{
	{EvAssessDecision, "LA decision whether to assess"},
	{EvAdviceRequested, "Advice requested from the school"},
	{EvAdviceReturned, "Advice returned by the school"},
	{EvDraftServed, "Draft plan served"},
	{EvCommentsSent, "Comments on the draft sent"},
	{EvNotToIssue, "LA decided not to issue a plan"},
	{EvFinalIssued, "Final EHC plan issued"},
	{EvMediation, "Mediation certificate issued"},
	{EvTribunal, "Appeal lodged with the Tribunal"},
}

// RequestEventLabel names an event kind.
func RequestEventLabel(code string) string {
	for _, k := range RequestEventKinds {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

// EHCRequest is a request for an EHC needs assessment with its events.
type EHCRequest struct {
	ID          int64
	SchoolID    int64
	PupilID     int64
	PupilName   string
	YearGroup   string
	RequestedBy string
	Received    time.Time
	LAName      string
	Notes       string
	Version     int64
	Events      []RequestEvent
	Exceptions  []RequestException
	PlanID      int64 // the plan recorded from this request, if any
}

// RequestEvent is one recorded step.
type RequestEvent struct {
	ID         int64
	Kind       string
	Date       time.Time
	Outcome    string // for assess-decision: assess or refuse
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// RequestException is a statutory exception to a milestone's time limit.
type RequestException struct {
	Milestone  string
	Reason     string
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// Day converts a stored calendar date (midnight UTC) to a deadline.Date.
func Day(t time.Time) deadline.Date {
	if t.IsZero() {
		return deadline.Date{}
	}
	return deadline.Date{Y: t.Year(), M: t.Month(), D: t.Day()}
}

// DayPtr is Day for optional facts: nil when t is zero.
func DayPtr(t time.Time) *deadline.Date {
	if t.IsZero() {
		return nil
	}
	d := Day(t)
	return &d
}

// TimeOf converts a deadline.Date to a stored calendar date (midnight UTC).
func TimeOf(d deadline.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC)
}

// Facts turns the recorded events into the deadline engine's input: the
// latest event of each kind is the fact.
func (r EHCRequest) Facts() deadline.RequestFacts {
	f := deadline.RequestFacts{Received: Day(r.Received)}
	for _, e := range r.Events { // events are ordered by date, then id
		d := DayPtr(e.Date)
		switch e.Kind {
		case EvAssessDecision:
			f.AssessDecision, f.AssessOutcome = d, deadline.AssessOutcome(e.Outcome)
		case EvDraftServed:
			f.DraftServed = d
		case EvCommentsSent:
			f.CommentsSent = d
		case EvNotToIssue:
			f.DecisionNotToIssue = d
		case EvFinalIssued:
			f.FinalIssued = d
		case EvMediation:
			f.MediationCertificate = d
		case EvTribunal:
			f.TribunalLodged = d
		}
	}
	if len(r.Exceptions) > 0 {
		f.Exceptions = map[string]deadline.ExceptionReason{}
		for _, x := range r.Exceptions {
			f.Exceptions[x.Milestone] = deadline.ExceptionReason(x.Reason)
		}
	}
	return f
}

// Milestones are the request's statutory milestones from the engine.
func (r EHCRequest) Milestones() []deadline.Milestone {
	return deadline.RequestMilestones(r.Facts())
}

// Event returns the latest event of kind, if any.
func (r EHCRequest) Event(kind string) (RequestEvent, bool) {
	var out RequestEvent
	ok := false
	for _, e := range r.Events {
		if e.Kind == kind {
			out, ok = e, true
		}
	}
	return out, ok
}

// Exception returns the note recorded with a milestone's exception.
func (r EHCRequest) Exception(milestone string) (RequestException, bool) {
	for _, x := range r.Exceptions {
		if x.Milestone == milestone {
			return x, true
		}
	}
	return RequestException{}, false
}

// Validate checks a new request.
func (r *EHCRequest) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if RequestedByLabel(r.RequestedBy) == r.RequestedBy {
		fe.Add("requestedBy", "Select who made the request")
	}
	if r.Received.IsZero() {
		fe.Add("received", "Enter the date the local authority received the request")
	} else if r.Received.After(today) {
		fe.Add("received", "The date the local authority received the request must be today or in the past")
	}
	r.LAName = strings.TrimSpace(r.LAName)
	if len(r.LAName) > 200 {
		fe.Add("laName", "Local authority must be 200 characters or fewer")
	}
	if len(r.Notes) > 5000 {
		fe.Add("notes", "Notes must be 5000 characters or fewer")
	}
	return fe
}

// CreateRequest records a new request for the pupil.
func (s *Store) CreateRequest(ctx context.Context, a sen.Actor, r *EHCRequest) error {
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

func scanRequest(sc interface{ Scan(...any) error }, r *EHCRequest) error {
	var rec dbTime
	if err := sc.Scan(&r.ID, &r.SchoolID, &r.PupilID, &r.PupilName, &r.YearGroup, &r.RequestedBy, &rec, &r.LAName, &r.Notes, &r.Version, &r.PlanID); err != nil {
		return err
	}
	r.Received = rec.T
	return nil
}

// Request opens one request with its events and exceptions, and audits the read.
func (s *Store) Request(ctx context.Context, a sen.Actor, id int64) (EHCRequest, error) {
	var r EHCRequest
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

func (s *Store) requestTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (EHCRequest, error) {
	var r EHCRequest
	err := scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestCols+` FROM ehc_requests r JOIN pupils p ON p.id = r.pupil_id
WHERE r.id = $1 AND r.school_id = $2 AND `+teachesSQL("$3"), id, a.User.SchoolID, scopeUser(a)), &r)
	if err != nil {
		return r, notFound(err)
	}
	if err := loadRequestDetail(ctx, tx, []*EHCRequest{&r}); err != nil {
		return r, err
	}
	return r, nil
}

func loadRequestDetail(ctx context.Context, q queryer, list []*EHCRequest) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]*EHCRequest{}
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
		var e RequestEvent
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
		var x RequestException
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
// It is a bulk read of SEN records, so it is audited once.
func (s *Store) Requests(ctx context.Context, a sen.Actor) ([]EHCRequest, error) {
	var out []EHCRequest
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.requestsTx(ctx, tx, a)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.request.list", "ehc_request", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

func (s *Store) requestsTx(ctx context.Context, q queryer, a sen.Actor) ([]EHCRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+requestCols+` FROM ehc_requests r JOIN pupils p ON p.id = r.pupil_id
WHERE r.school_id = $1 AND `+teachesSQL("$2")+` ORDER BY r.received DESC, r.id DESC`, a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	var out []EHCRequest
	for rows.Next() {
		var r EHCRequest
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
	ptrs := make([]*EHCRequest, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, loadRequestDetail(ctx, q, ptrs)
}

// RecordRequestEvent adds an event to a request. The resulting facts must
// pass the deadline engine's consistency checks (e.g. a final plan cannot
// be issued before the request was received, nor after a refusal to assess).
func (s *Store) RecordRequestEvent(ctx context.Context, a sen.Actor, requestID int64, e RequestEvent) error {
	fe := sen.FieldErrors{}
	if RequestEventLabel(e.Kind) == e.Kind {
		fe.Add("kind", "Select what happened")
	}
	if e.Date.IsZero() {
		fe.Add("eventDate", "Enter the date it happened")
	} else if e.Date.After(s.Today()) {
		fe.Add("eventDate", "The date it happened must be today or in the past")
	}
	if e.Kind == EvAssessDecision && e.Outcome != string(deadline.OutcomeAssess) && e.Outcome != string(deadline.OutcomeRefuse) {
		fe.Add("outcome", "Select whether the local authority agreed to assess")
	}
	if e.Kind != EvAssessDecision {
		e.Outcome = ""
	}
	if len(e.Note) > 2000 {
		fe.Add("note", "Note must be 2000 characters or fewer")
	}
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.requestTx(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		if e.Date.Before(r.Received) {
			return sen.FieldErrors{"eventDate": "The date must be on or after the date the request was received (" + r.Received.Format("2 January 2006") + ")"}
		}
		r.Events = append(r.Events, e)
		if err := r.Facts().Validate(); err != nil {
			return sen.FieldErrors{"kind": "This does not fit what is already recorded: " + firstLine(err)}
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

func firstLine(err error) string {
	m := err.Error()
	if i := strings.IndexByte(m, '\n'); i >= 0 {
		m = m[:i]
	}
	return m
}

// ExceptionMilestones are the milestones a statutory exception can apply
// to: reg 5(4) (6 weeks), reg 10(4) (16 weeks), reg 13(3) (20 weeks).
var ExceptionMilestones = []struct{ Code, Label string }{
	{deadline.KeyAssessDecision, "Decision whether to assess (6 weeks)"},
	{deadline.KeyIssueDecision, "Decision whether to issue a plan (16 weeks)"},
	{deadline.KeyFinalPlan, "Final EHC plan (20 weeks)"},
}

// ExceptionReasons are the statutory reasons (SEND Regs 2014 reg 10(4)(a)-(d)).
var ExceptionReasons = []deadline.ExceptionReason{deadline.ExceptionSchoolClosure, deadline.ExceptionEarlyYearsClosure,
	deadline.ExceptionPersonalCircumstances, deadline.ExceptionAbsence}

// RecordException records (or replaces) a statutory exception to one
// milestone's time limit. The engine rejects reasons the regulations do not
// allow for that milestone (an early years closure cannot excuse the 6-week
// decision, reg 5(4)).
func (s *Store) RecordException(ctx context.Context, a sen.Actor, requestID int64, x RequestException) error {
	fe := sen.FieldErrors{}
	okM := false
	for _, m := range ExceptionMilestones {
		okM = okM || m.Code == x.Milestone
	}
	if !okM {
		fe.Add("milestone", "Select the time limit the exception applies to")
	}
	okR := false
	for _, r := range ExceptionReasons {
		okR = okR || string(r) == x.Reason
	}
	if !okR {
		fe.Add("reason", "Select the reason for the exception")
	}
	x.Note = strings.TrimSpace(x.Note)
	if x.Note == "" {
		fe.Add("exceptionNote", "Explain why the exception applies")
	} else if len(x.Note) > 2000 {
		fe.Add("exceptionNote", "The explanation must be 2000 characters or fewer")
	}
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.requestTx(ctx, tx, a, requestID)
		if err != nil {
			return err
		}
		f := r.Facts()
		if f.Exceptions == nil {
			f.Exceptions = map[string]deadline.ExceptionReason{}
		}
		f.Exceptions[x.Milestone] = deadline.ExceptionReason(x.Reason)
		if err := f.Validate(); err != nil {
			return sen.FieldErrors{"reason": "This reason cannot excuse that time limit: " + firstLine(err)}
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

// errStale is the optimistic-locking message for EHC records.
func errStale(what string) error {
	return &sen.ConflictError{Msg: "Someone else changed this " + what + " while you were editing. Nothing has been saved: check the current record and try again."}
}

// RecordEvidencePack audits that an evidence pack was produced (a bulk
// export of the pupil's record).
func (s *Store) RecordEvidencePack(ctx context.Context, a sen.Actor, requestID, pupilID int64, items int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.auditRead(ctx, tx, a, "ehc.request.evidence_pack", "ehc_request", requestID, pupilID, fmt.Sprintf("items=%d", items))
	})
}
