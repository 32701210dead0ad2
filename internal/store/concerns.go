package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/people"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/upload"
)

// RaiseConcern records a concern about a pupil the actor may see (teachers
// and TAs: a pupil they teach). Only unscoped staff (the SENCO) may record
// a concern on a parent's behalf.
func (s *Store) RaiseConcern(ctx context.Context, a sen.Actor, c *plans.Concern) error {
	if a.User.Role.Scoped() {
		c.OnBehalfOf = ""
	}
	for i := range c.Attachments {
		// The one upload check, by content; plans.Concern.Validate reports a refused file.
		t, _ := upload.Sniff(c.Attachments[i].Name, c.Attachments[i].Data)
		c.Attachments[i].ContentType = t.MIME
	}
	if fe := c.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.pupilTx(ctx, tx, a, c.PupilID)
		if err != nil {
			return err
		}
		c.RaisedAt = s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO concerns (school_id, pupil_id, raised_by, raised_at, on_behalf_of, noticed, areas, evidence, tried, is_open, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id`, p.SchoolID, p.ID, a.User.ID, c.RaisedAt, c.OnBehalfOf, c.Noticed,
			strings.Join(c.Areas, ","), c.Evidence, c.Tried, true).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: raise concern: %w", err)
		}
		c.Open, c.Version = true, 1
		for i := range c.Attachments {
			at := &c.Attachments[i]
			if err := tx.QueryRowContext(ctx, `INSERT INTO concern_attachments (concern_id, filename, content_type, size, data, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				c.ID, at.Name, at.ContentType, at.Size, at.Data, c.RaisedAt).Scan(&at.ID); err != nil {
				return fmt.Errorf("store: attachment: %w", err)
			}
		}
		detail := fmt.Sprintf("areas=%s attachments=%d", strings.Join(c.Areas, ","), len(c.Attachments))
		if c.OnBehalfOf != "" {
			detail += " on_behalf_of_parent"
		}
		return s.audit(ctx, tx, a, "concern.raise", "concern", c.ID, p.ID, detail)
	})
}

const concernCols = `c.id, c.pupil_id, p.forename || ' ' || p.surname, p.year_group, p.class_name, COALESCE(u.name, ''), COALESCE(c.raised_by, 0), c.raised_at,
c.on_behalf_of, c.noticed, c.areas, c.evidence, c.tried, c.is_open, c.decision, c.reason, c.monitor_review, c.informed_on, c.informed_how,
COALESCE(d.name, ''), c.decided_at, COALESCE(c.cycle_id, 0), c.version`

const concernFrom = ` FROM concerns c JOIN pupils p ON p.id = c.pupil_id LEFT JOIN users u ON u.id = c.raised_by LEFT JOIN users d ON d.id = c.decided_by`

func scanConcern(sc interface{ Scan(...any) error }) (plans.Concern, error) {
	var c plans.Concern
	var raised, mon, inf, dec dbTime
	var areas, decision string
	err := sc.Scan(&c.ID, &c.PupilID, &c.PupilName, &c.PupilYear, &c.PupilClass, &c.RaisedBy, &c.RaisedByID, &raised, &c.OnBehalfOf, &c.Noticed, &areas,
		&c.Evidence, &c.Tried, &c.Open, &decision, &c.Reason, &mon, &inf, &c.InformedHow, &c.DecidedBy, &dec, &c.CycleID, &c.Version)
	if err != nil {
		return c, err
	}
	c.RaisedAt, c.MonitorReview, c.InformedOn, c.DecidedAt = raised.T, mon.T, inf.T, dec.T
	c.Decision = plans.Decision(decision)
	if areas != "" {
		c.Areas = strings.Split(areas, ",")
	}
	return c, nil
}

// laterConcernSQL finds a concern about the same pupil raised after the
// decision on concern c: it supersedes c's monitoring.
const laterConcernSQL = `SELECT n.id FROM concerns n WHERE n.pupil_id = c.pupil_id AND n.raised_at > c.decided_at`

// followUpTx returns the first concern about c's pupil raised after c was
// decided (0 if none or c is still open).
func followUpTx(ctx context.Context, tx *sql.Tx, c plans.Concern) (int64, error) {
	if c.Open {
		return 0, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(n.id), 0) FROM concerns n JOIN concerns c ON c.id = $1
WHERE n.pupil_id = c.pupil_id AND n.raised_at > c.decided_at`, c.ID).Scan(&id)
	return id, err
}

// StartMonitoringReview opens the review of a "monitor" decision as a new
// concern in the triage queue, so the SENCO decides again (keep monitoring
// with a new date, place on SEN support, or no further action) with the
// earlier decision kept as it was. If the review was already started, it
// returns that concern.
func (s *Store) StartMonitoringReview(ctx context.Context, a sen.Actor, concernID int64) (int64, error) {
	var newID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanConcern(tx.QueryRowContext(ctx, `SELECT `+concernCols+concernFrom+` WHERE c.id = $1 AND c.school_id = $2 AND `+teachesSQL("$3"),
			concernID, a.User.SchoolID, scopeUser(a)))
		if err != nil {
			return notFound(err)
		}
		if c.Open || c.Decision != plans.Monitor {
			return plans.ErrNotMonitored()
		}
		if newID, err = followUpTx(ctx, tx, c); err != nil || newID != 0 {
			return err
		}
		now := s.now()
		if !now.After(c.DecidedAt) {
			now = c.DecidedAt.Add(time.Microsecond)
		}
		noticed := plans.MonitoringReviewNoticed(c.DecidedAt, c.MonitorReview, c.Noticed)
		if err := tx.QueryRowContext(ctx, `INSERT INTO concerns (school_id, pupil_id, raised_by, raised_at, on_behalf_of, noticed, areas, evidence, tried, is_open, version)
VALUES ($1, $2, $3, $4, '', $5, $6, $7, $8, $9, 1) RETURNING id`, a.User.SchoolID, c.PupilID, a.User.ID, now, noticed,
			strings.Join(c.Areas, ","), plans.MonitoringReviewReason(c.Reason), c.Tried, true).Scan(&newID); err != nil {
			return fmt.Errorf("store: monitoring review: %w", err)
		}
		return s.audit(ctx, tx, a, "concern.monitor_review", "concern", newID, c.PupilID, fmt.Sprintf("follows=%d", c.ID))
	})
	return newID, err
}

// OpenConcerns is the SENCO's triage queue, oldest first. It audits the
// read of the queue (the entries name pupils).
func (s *Store) OpenConcerns(ctx context.Context, a sen.Actor) ([]plans.Concern, error) {
	var out []plans.Concern
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+concernCols+concernFrom+`
WHERE c.school_id = $1 AND c.is_open = $2 AND `+teachesSQL("$3")+` AND `+onRollSQL+` ORDER BY c.raised_at, c.id`, a.User.SchoolID, true, scopeUser(a))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanConcern(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "concern.queue", "concern", 0, 0, fmt.Sprintf("open=%d", len(out)))
	})
	return out, err
}

// PupilConcerns lists a pupil's concerns, newest first. The caller has
// already opened (and audited) the pupil's record.
func (s *Store) PupilConcerns(ctx context.Context, a sen.Actor, pupilID int64) ([]plans.Concern, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+concernCols+concernFrom+`
WHERE c.pupil_id = $1 AND c.school_id = $2 AND `+teachesSQL("$3")+` ORDER BY c.raised_at DESC, c.id DESC`, pupilID, a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []plans.Concern
	for rows.Next() {
		c, err := scanConcern(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Concern opens one concern and audits the read.
func (s *Store) Concern(ctx context.Context, a sen.Actor, id int64) (plans.Concern, error) {
	var c plans.Concern
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanConcern(tx.QueryRowContext(ctx, `SELECT `+concernCols+concernFrom+` WHERE c.id = $1 AND c.school_id = $2 AND `+teachesSQL("$3"),
			id, a.User.SchoolID, scopeUser(a)))
		if err != nil {
			return notFound(err)
		}
		if c.FollowUpID, err = followUpTx(ctx, tx, c); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, filename, content_type, size FROM concern_attachments WHERE concern_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var at plans.Attachment
			if err := rows.Scan(&at.ID, &at.Name, &at.ContentType, &at.Size); err != nil {
				rows.Close()
				return err
			}
			c.Attachments = append(c.Attachments, at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "concern.read", "concern", id, c.PupilID, "")
	})
	return c, err
}

// ConcernAttachment reads one attached file of a concern the actor may see,
// and audits the download.
func (s *Store) ConcernAttachment(ctx context.Context, a sen.Actor, concernID, attID int64) (plans.Attachment, error) {
	var at plans.Attachment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var pupilID int64
		err := tx.QueryRowContext(ctx, `SELECT c.pupil_id FROM concerns c JOIN pupils p ON p.id = c.pupil_id WHERE c.id = $1 AND c.school_id = $2 AND `+teachesSQL("$3"),
			concernID, a.User.SchoolID, scopeUser(a)).Scan(&pupilID)
		if err != nil {
			return notFound(err)
		}
		err = tx.QueryRowContext(ctx, `SELECT id, filename, content_type, size, data FROM concern_attachments WHERE id = $1 AND concern_id = $2`, attID, concernID).
			Scan(&at.ID, &at.Name, &at.ContentType, &at.Size, &at.Data)
		if err != nil {
			return notFound(err)
		}
		return s.auditRead(ctx, tx, a, "concern.attachment.read", "concern", concernID, pupilID, fmt.Sprintf("attachment=%d", attID))
	})
	return at, err
}

// DecideConcern closes a concern with the SENCO's decision. Placing the
// pupil on SEN support writes the K status on the register (unless the
// pupil already has K or E) and opens the first support-plan cycle; its id
// is returned. Parents must be told when the school makes special
// educational provision (CFA 2014 s68; CoP 6.2): the decision records when
// and how. A meeting with the parents also counts as a parent meeting
// (CoP 6.65).
func (s *Store) DecideConcern(ctx context.Context, a sen.Actor, id int64, d plans.DecisionInput, primaryNeed string) (int64, error) {
	if fe := d.Validate(s.Today()); len(fe) > 0 {
		return 0, fe
	}
	var cycleID int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := scanConcern(tx.QueryRowContext(ctx, `SELECT `+concernCols+concernFrom+` WHERE c.id = $1 AND c.school_id = $2`, id, a.User.SchoolID))
		if err != nil {
			return notFound(err)
		}
		if c.Version != d.Version || !c.Open {
			return plans.ErrConcernChanged()
		}
		p, err := s.pupilTx(ctx, tx, a, c.PupilID)
		if err != nil {
			return err
		}
		if d.Decision == plans.PlaceOnSupport {
			if p.Status == sen.StatusNone {
				needs := p.Needs
				if len(needs) == 0 {
					code := primaryNeed
					if _, ok := sen.LookupNeed(code); !ok {
						code = "NSA" // SEN support with no specialist assessment of type of need yet (census, K only)
					}
					needs = []sen.Need{{Rank: 1, Code: code}}
				}
				if problems := sen.CheckCensus(sen.StatusSupport, needs); len(problems) > 0 {
					return sen.ErrCensus("primaryNeed", problems)
				}
				start := d.PlanStart
				if start.After(s.Today()) {
					start = s.Today()
				}
				if start, err = s.appendStatusTx(ctx, tx, a, p.ID, sen.StatusSupport, start, plans.DecidedAfterConcern(a.User.Name), truncate(d.Reason, 2000)); err != nil {
					return err
				}
				if err := replaceNeeds(ctx, tx, p.ID, needs); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, a, "register.status", "pupil", p.ID, p.ID, fmt.Sprintf("status=K from=%s needs=%s via=concern:%d", start.Format("2006-01-02"), needsString(needs), id)); err != nil {
					return err
				}
			}
			var open int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_cycles WHERE pupil_id = $1 AND status <> $2`, p.ID, string(plans.Reviewed)).Scan(&open); err != nil {
				return err
			}
			if open == 0 {
				cycleID, err = s.insertCycle(ctx, tx, a, p, d.PlanStart, d.PlanReview, nil)
				if err != nil {
					return err
				}
			}
		}
		if !d.InformedOn.IsZero() && d.InformedHow == "Meeting" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_entries (school_id, pupil_id, kind, entry_date, title, who, body, confidential, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, p.SchoolID, p.ID, plans.KindParentMeeting, dateArg(d.InformedOn), plans.DecisionMeetingTitle(d.Decision),
				a.User.Name, d.Reason, false, a.User.ID, s.now()); err != nil {
				return err
			}
		}
		var cyc any
		if cycleID != 0 {
			cyc = cycleID
		}
		res, err := tx.ExecContext(ctx, `UPDATE concerns SET is_open = $3, decision = $4, reason = $5, monitor_review = $6, informed_on = $7, informed_how = $8,
decided_by = $9, decided_at = $10, cycle_id = $11, version = version + 1 WHERE id = $1 AND version = $2`, id, d.Version, false, string(d.Decision), d.Reason,
			dateArg(d.MonitorReview), dateArg(d.InformedOn), d.InformedHow, a.User.ID, s.now(), cyc)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return plans.ErrConcernDecidedFirst()
		}
		return s.audit(ctx, tx, a, "concern.decide", "concern", id, p.ID, fmt.Sprintf("decision=%s cycle=%d", d.Decision, cycleID))
	})
	return cycleID, err
}

// AddEvidence adds an entry to a pupil's assessment timeline. A confidential
// entry names who (besides its author) may read it.
func (s *Store) AddEvidence(ctx context.Context, a sen.Actor, e *plans.Evidence) error {
	if fe := e.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.pupilTx(ctx, tx, a, e.PupilID)
		if err != nil {
			return err
		}
		var ss, pc any
		if e.StandardScore != 0 {
			ss = e.StandardScore
		}
		if e.Percentile != 0 {
			pc = e.Percentile
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO evidence_entries (school_id, pupil_id, kind, entry_date, title, who, body, standard_score, percentile, age_equivalent, confidential, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, p.SchoolID, p.ID, e.Kind, dateArg(e.Date), e.Title, e.Who, e.Body, ss, pc,
			e.AgeEquivalent, e.Confidential, a.User.ID, s.now()).Scan(&e.ID); err != nil {
			return fmt.Errorf("store: evidence: %w", err)
		}
		if e.Confidential {
			for _, uid := range e.Readers {
				if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_readers (entry_id, user_id) SELECT $1, id FROM users WHERE id = $2 AND school_id = $3 ON CONFLICT DO NOTHING`,
					e.ID, uid, p.SchoolID); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, a, "evidence.add", "evidence", e.ID, p.ID, fmt.Sprintf("kind=%s confidential=%v readers=%d", e.Kind, e.Confidential, len(e.Readers)))
	})
}

// EvidenceTimeline returns a pupil's evidence, newest first, and audits the
// read. Confidential entries the actor may not read keep their date, kind
// and author but lose their content (Restricted).
func (s *Store) EvidenceTimeline(ctx context.Context, a sen.Actor, pupilID int64) ([]plans.Evidence, error) {
	var out []plans.Evidence
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT e.id, e.pupil_id, e.kind, e.entry_date, e.title, e.who, e.body, COALESCE(e.standard_score, 0), COALESCE(e.percentile, 0),
e.age_equivalent, e.confidential, COALESCE(e.created_by, 0), COALESCE(u.name, ''), e.created_at,
(e.created_by = $3 OR EXISTS (SELECT 1 FROM evidence_readers r WHERE r.entry_id = e.id AND r.user_id = $3))
FROM evidence_entries e LEFT JOIN users u ON u.id = e.created_by WHERE e.pupil_id = $1 AND e.school_id = $2 ORDER BY e.entry_date DESC, e.id DESC`,
			pupilID, a.User.SchoolID, a.User.ID)
		if err != nil {
			return err
		}
		restricted := 0
		for rows.Next() {
			var e plans.Evidence
			var date, at dbTime
			var mayRead bool
			if err := rows.Scan(&e.ID, &e.PupilID, &e.Kind, &date, &e.Title, &e.Who, &e.Body, &e.StandardScore, &e.Percentile, &e.AgeEquivalent,
				&e.Confidential, &e.AuthorID, &e.Author, &at, &mayRead); err != nil {
				rows.Close()
				return err
			}
			e.Date, e.At = date.T, at.T
			if e.Confidential && !mayRead {
				e = plans.Evidence{ID: e.ID, PupilID: e.PupilID, Kind: e.Kind, Date: e.Date, Confidential: true, Restricted: true, AuthorID: e.AuthorID, Author: e.Author, At: e.At}
				restricted++
			}
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "evidence.read", "pupil", pupilID, pupilID, fmt.Sprintf("entries=%d restricted=%d", len(out), restricted))
	})
	return out, err
}

// StaffList lists the active staff of the actor's school, for naming who may
// read a confidential entry.
func (s *Store) StaffList(ctx context.Context, a sen.Actor) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColsU+` FROM users u WHERE u.school_id = $1 AND u.active = $2 ORDER BY u.name`, a.User.SchoolID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.User
	for rows.Next() {
		var u sen.User
		var role string
		if err := rows.Scan(&u.ID, &u.SchoolID, &u.Email, &u.Name, &role, &u.Active); err != nil {
			return nil, err
		}
		u.Role = sen.Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// parentMeetings returns, per pupil of the school, the dates parents were
// met: review meetings the parents attended, recorded parent meetings, and
// meetings in the contact log with one of the pupil's contacts
// (people.ParentMeetings says which log entries count).
func parentMeetings(ctx context.Context, tx *sql.Tx, schoolID int64, since time.Time) (map[int64][]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `SELECT pupil_id, meeting_date FROM plan_reviews WHERE school_id = $1 AND parents <> '' AND meeting_date > $2
UNION ALL SELECT pupil_id, entry_date FROM evidence_entries WHERE school_id = $1 AND kind = $3 AND entry_date > $2
UNION ALL SELECT pupil_id, entry_date FROM contact_log WHERE school_id = $1 AND kind = $4 AND contact_id IS NOT NULL AND entry_date > $2`,
		schoolID, dateArg(since), plans.KindParentMeeting, people.LogMeeting)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]time.Time{}
	for rows.Next() {
		var id int64
		var d dbTime
		if err := rows.Scan(&id, &d); err != nil {
			return nil, err
		}
		out[id] = append(out[id], d.T)
	}
	return out, rows.Err()
}
