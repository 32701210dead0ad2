package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"opensend/internal/exams"
	"opensend/internal/sen"
)

// A candidate's access arrangements and the evidence behind them.

// ExamCandidateView is everything the candidate's page and Form 8 show.
type ExamCandidateView struct {
	Pupil        sen.Pupil
	Candidate    exams.Candidate // Version 0: nothing recorded yet
	Assessment   *exams.Assessment
	Arrangements []exams.Arrangement
	Normal       []exams.Normal
	// Sources are the school's existing records that may be linked as
	// normal-way-of-working evidence (support-plan log entries and
	// strategies, delivered Section F provision), newest first.
	Sources    []exams.NormalSource
	HasEHCP    bool
	Thresholds exams.Thresholds
	Series     []exams.Series
}

func examCandidateTx(ctx context.Context, tx *sql.Tx, pupilID int64) (exams.Candidate, error) {
	c := exams.Candidate{PupilID: pupilID}
	var consent, at dbTime
	err := tx.QueryRowContext(ctx, `SELECT c.candidate_number, c.picture_of_need, c.ehcp_confirms, c.consent_on, c.version, COALESCE(u.name, ''), c.updated_at
FROM exam_candidates c LEFT JOIN users u ON u.id = c.updated_by WHERE c.pupil_id = $1`, pupilID).
		Scan(&c.CandidateNumber, &c.PictureOfNeed, &c.EHCPConfirms, &consent, &c.Version, &c.UpdatedBy, &at)
	if err == sql.ErrNoRows {
		return c, nil
	}
	c.ConsentOn, c.UpdatedAt = consent.T, at.T
	return c, err
}

func examAssessmentTx(ctx context.Context, tx *sql.Tx, pupilID int64) (*exams.Assessment, int64, error) {
	a := exams.Assessment{PupilID: pupilID}
	var id int64
	var on, checked, at dbTime
	err := tx.QueryRowContext(ctx, `SELECT x.id, x.assessed_on, x.assessor, x.qualification, x.checked_by, x.checked_on, x.findings, x.version, COALESCE(u.name, ''), x.updated_at
FROM exam_assessments x LEFT JOIN users u ON u.id = x.updated_by WHERE x.pupil_id = $1`, pupilID).
		Scan(&id, &on, &a.Assessor, &a.Qualification, &a.CheckedBy, &checked, &a.Findings, &a.Version, &a.UpdatedBy, &at)
	if err == sql.ErrNoRows {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	a.AssessedOn, a.CheckedOn, a.UpdatedAt = on.T, checked.T, at.T
	rows, err := tx.QueryContext(ctx, `SELECT id, test_name, tested_on, area, score FROM exam_scores WHERE assessment_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var sc exams.Score
		var d dbTime
		if err := rows.Scan(&sc.ID, &sc.Test, &d, &sc.Area, &sc.Score); err != nil {
			return nil, 0, err
		}
		sc.TestedOn = d.T
		a.Scores = append(a.Scores, sc)
	}
	return &a, id, rows.Err()
}

const arrangementCols = `x.id, x.pupil_id, x.kind, x.detail, x.status, x.approval_ref, x.expires, COALESCE(x.series_id, 0), x.exams, x.room, x.version, COALESCE(u.name, ''), x.updated_at`

func scanArrangement(sc interface{ Scan(...any) error }) (exams.Arrangement, error) {
	var x exams.Arrangement
	var exp, at dbTime
	err := sc.Scan(&x.ID, &x.PupilID, &x.Kind, &x.Detail, &x.Status, &x.ApprovalRef, &exp, &x.SeriesID, &x.Exams, &x.Room, &x.Version, &x.UpdatedBy, &at)
	x.Expires, x.UpdatedAt = exp.T, at.T
	return x, err
}

func arrangementsTx(ctx context.Context, q queryer, where string, args ...any) ([]exams.Arrangement, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+arrangementCols+` FROM exam_arrangements x LEFT JOIN users u ON u.id = x.updated_by WHERE `+where+` ORDER BY x.pupil_id, x.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exams.Arrangement
	for rows.Next() {
		x, err := scanArrangement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

func examNormalTx(ctx context.Context, tx *sql.Tx, pupilID int64) ([]exams.Normal, error) {
	rows, err := tx.QueryContext(ctx, `SELECT n.id, n.kind, COALESCE(n.source_id, 0), n.subject, n.text, n.by_name, n.on_date, COALESCE(u.name, ''), n.added_at
FROM exam_normal n LEFT JOIN users u ON u.id = n.added_by WHERE n.pupil_id = $1 ORDER BY n.on_date DESC, n.id DESC`, pupilID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exams.Normal
	for rows.Next() {
		n := exams.Normal{PupilID: pupilID}
		var on, at dbTime
		if err := rows.Scan(&n.ID, &n.Kind, &n.SourceID, &n.Subject, &n.Text, &n.By, &on, &n.AddedBy, &at); err != nil {
			return nil, err
		}
		n.On, n.AddedAt = on.T, at.T
		out = append(out, n)
	}
	return out, rows.Err()
}

// normalSourcesTx lists the pupil's existing records that may be linked:
// the do-log of their support plans, the plans' strategies, and each
// Section F provision line with the sessions delivered.
func normalSourcesTx(ctx context.Context, tx *sql.Tx, schoolID, pupilID int64) ([]exams.NormalSource, error) {
	var out []exams.NormalSource
	add := func(query string, scan func(*sql.Rows) (exams.NormalSource, error)) error {
		rows, err := tx.QueryContext(ctx, query, pupilID, schoolID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			src, err := scan(rows)
			if err != nil {
				return err
			}
			out = append(out, src)
		}
		return rows.Err()
	}
	if err := add(`SELECT l.id, o.outcome, l.did, l.response, COALESCE(u.name, ''), l.entry_date FROM plan_log l
JOIN plan_cycles c ON c.id = l.cycle_id JOIN plan_outcomes o ON o.id = l.outcome_id LEFT JOIN users u ON u.id = l.created_by
WHERE c.pupil_id = $1 AND c.school_id = $2 ORDER BY l.entry_date DESC, l.id DESC LIMIT 40`, func(r *sql.Rows) (exams.NormalSource, error) {
		src := exams.NormalSource{Kind: exams.NormalPlanLog}
		var did, resp string
		var on dbTime
		err := r.Scan(&src.SourceID, &src.Subject, &did, &resp, &src.By, &on)
		src.On, src.Text = on.T, strings.TrimSpace(did+" Response: "+resp)
		return src, err
	}); err != nil {
		return nil, err
	}
	if err := add(`SELECT st.id, st.text, c.cycle_no, c.start_date, COALESCE(u.name, '') FROM plan_strategies st
JOIN plan_cycles c ON c.id = st.cycle_id LEFT JOIN users u ON u.id = c.created_by
WHERE c.pupil_id = $1 AND c.school_id = $2 ORDER BY c.cycle_no DESC, st.id LIMIT 40`, func(r *sql.Rows) (exams.NormalSource, error) {
		src := exams.NormalSource{Kind: exams.NormalStrategy}
		var n int
		var on dbTime
		err := r.Scan(&src.SourceID, &src.Text, &n, &on, &src.By)
		src.On, src.Subject = on.T, fmt.Sprintf("SEN support plan, cycle %d", n)
		return src, err
	}); err != nil {
		return nil, err
	}
	if err := add(`SELECT pr.id, pr.description, COUNT(d.id), COALESCE(SUM(d.minutes), 0), MAX(d.session_date), pr.delivered_by FROM ehc_provision pr
JOIN ehc_plans pl ON pl.id = pr.plan_id JOIN ehc_delivery d ON d.provision_id = pr.id AND d.missed = FALSE
WHERE pl.pupil_id = $1 AND pl.school_id = $2 GROUP BY pr.id, pr.description, pr.delivered_by ORDER BY pr.id`, func(r *sql.Rows) (exams.NormalSource, error) {
		src := exams.NormalSource{Kind: exams.NormalDelivery, Subject: "EHC plan Section F"}
		var what string
		var n, mins int
		var last dbTime
		err := r.Scan(&src.SourceID, &what, &n, &mins, &last, &src.By)
		src.On = last.T
		src.Text = fmt.Sprintf("%s: %s delivered (%s), the last on %s.", what, sen.Count(n, "session", "sessions"), sen.Count(mins, "minute", "minutes"), last.T.Format("2 January 2006"))
		return src, err
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func hasEHCPTx(ctx context.Context, tx *sql.Tx, schoolID, pupilID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ehc_plans WHERE pupil_id = $1 AND school_id = $2 AND active = TRUE`, pupilID, schoolID).Scan(&n)
	return n > 0, err
}

// ExamCandidate reads a candidate's access arrangements and evidence and
// audits the read (purpose: "page", "Form 8 PDF"). Teachers and TAs see
// only pupils they teach (the store's scope); everyone else with the
// permission sees the school's.
func (s *Store) ExamCandidate(ctx context.Context, a sen.Actor, pupilID int64, purpose string) (ExamCandidateView, error) {
	var v ExamCandidateView
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if v.Pupil, err = s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		school := a.User.SchoolID
		if v.Candidate, err = examCandidateTx(ctx, tx, pupilID); err != nil {
			return err
		}
		if v.Assessment, _, err = examAssessmentTx(ctx, tx, pupilID); err != nil {
			return err
		}
		if v.Arrangements, err = arrangementsTx(ctx, tx, `x.pupil_id = $1 AND x.school_id = $2`, pupilID, school); err != nil {
			return err
		}
		if v.Normal, err = examNormalTx(ctx, tx, pupilID); err != nil {
			return err
		}
		if v.Sources, err = normalSourcesTx(ctx, tx, school, pupilID); err != nil {
			return err
		}
		linked := map[string]bool{}
		for _, n := range v.Normal {
			linked[fmt.Sprint(n.Kind, n.SourceID)] = true
		}
		for i := range v.Sources {
			v.Sources[i].Linked = linked[fmt.Sprint(v.Sources[i].Kind, v.Sources[i].SourceID)]
		}
		if v.HasEHCP, err = hasEHCPTx(ctx, tx, school, pupilID); err != nil {
			return err
		}
		if v.Thresholds, err = examThresholdsTx(ctx, tx, school); err != nil {
			return err
		}
		if v.Series, err = examSeriesTx(ctx, tx, school); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "exams.candidate.read", "pupil", pupilID, pupilID, purpose)
	})
	return v, err
}

// SaveExamCandidate records the candidate's Form 8 Part 1 details (c.Version
// as read; 0 when nothing was recorded).
func (s *Store) SaveExamCandidate(ctx context.Context, a sen.Actor, c *exams.Candidate) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, c.PupilID); err != nil {
			return err
		}
		ehcp, err := hasEHCPTx(ctx, tx, a.User.SchoolID, c.PupilID)
		if err != nil {
			return err
		}
		if fe := c.Validate(ehcp, s.Today()); len(fe) > 0 {
			return fe
		}
		cur, err := examCandidateTx(ctx, tx, c.PupilID)
		if err != nil {
			return err
		}
		if cur.Version != c.Version {
			return exams.ErrChanged("candidate's record")
		}
		if c.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO exam_candidates (school_id, pupil_id, candidate_number, picture_of_need, ehcp_confirms, consent_on, version, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, a.User.SchoolID, c.PupilID, strings.TrimSpace(c.CandidateNumber), c.PictureOfNeed, c.EHCPConfirms, dateArg(c.ConsentOn), a.User.ID, s.now())
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE exam_candidates SET candidate_number = $3, picture_of_need = $4, ehcp_confirms = $5, consent_on = $6, version = version + 1, updated_by = $7, updated_at = $8
WHERE pupil_id = $1 AND school_id = $2`, c.PupilID, a.User.SchoolID, strings.TrimSpace(c.CandidateNumber), c.PictureOfNeed, c.EHCPConfirms, dateArg(c.ConsentOn), a.User.ID, s.now())
		}
		if err != nil {
			return err
		}
		c.Version++
		return s.audit(ctx, tx, a, "exams.candidate.save", "pupil", c.PupilID, c.PupilID, "")
	})
}

// SaveExamAssessment records the assessor's assessment and scores for the
// candidate, replacing the scores recorded before (x.Version as read; 0 for
// the first). The assessment must be from Year 9 on, so the pupil's date of
// birth is checked here.
func (s *Store) SaveExamAssessment(ctx context.Context, a sen.Actor, x *exams.Assessment) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.pupilTx(ctx, tx, a, x.PupilID)
		if err != nil {
			return err
		}
		if fe := x.Validate(p.DOB, s.Today()); len(fe) > 0 {
			return fe
		}
		cur, id, err := examAssessmentTx(ctx, tx, x.PupilID)
		if err != nil {
			return err
		}
		if (cur == nil) != (x.Version == 0) || cur != nil && cur.Version != x.Version {
			return exams.ErrChanged("assessment")
		}
		if cur == nil {
			err = tx.QueryRowContext(ctx, `INSERT INTO exam_assessments (school_id, pupil_id, assessed_on, assessor, qualification, checked_by, checked_on, findings, version, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id`, a.User.SchoolID, x.PupilID, dateArg(x.AssessedOn), x.Assessor, x.Qualification, x.CheckedBy, dateArg(x.CheckedOn), x.Findings, a.User.ID, s.now()).Scan(&id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE exam_assessments SET assessed_on = $2, assessor = $3, qualification = $4, checked_by = $5, checked_on = $6, findings = $7, version = version + 1, updated_by = $8, updated_at = $9 WHERE id = $1`,
				id, dateArg(x.AssessedOn), x.Assessor, x.Qualification, x.CheckedBy, dateArg(x.CheckedOn), x.Findings, a.User.ID, s.now())
			if err == nil {
				_, err = tx.ExecContext(ctx, `DELETE FROM exam_scores WHERE assessment_id = $1`, id)
			}
		}
		if err != nil {
			return err
		}
		for i, sc := range x.Scores {
			if _, err := tx.ExecContext(ctx, `INSERT INTO exam_scores (assessment_id, position, test_name, tested_on, area, score) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, i+1, sc.Test, dateArg(sc.TestedOn), sc.Area, sc.Score); err != nil {
				return err
			}
		}
		x.Version++
		return s.audit(ctx, tx, a, "exams.assessment.save", "pupil", x.PupilID, x.PupilID, sen.Count(len(x.Scores), "score", "scores"))
	})
}

// ExamArrangement reads one arrangement of a pupil the actor may see.
func (s *Store) ExamArrangement(ctx context.Context, a sen.Actor, id int64) (exams.Arrangement, error) {
	var x exams.Arrangement
	err := s.tx(ctx, func(tx *sql.Tx) error {
		list, err := arrangementsTx(ctx, tx, `x.id = $1 AND x.school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return sen.ErrNotFound
		}
		x = list[0]
		if _, err := s.pupilTx(ctx, tx, a, x.PupilID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "exams.arrangement.read", "exam_arrangement", x.ID, x.PupilID, "")
	})
	return x, err
}

// SaveExamArrangement adds an arrangement (x.ID 0) or changes one
// (x.Version as read). The series, when named, must be the school's.
func (s *Store) SaveExamArrangement(ctx context.Context, a sen.Actor, x *exams.Arrangement) error {
	if fe := x.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, x.PupilID); err != nil {
			return err
		}
		var series any
		if x.SeriesID != 0 {
			if _, err := oneSeriesTx(ctx, tx, a.User.SchoolID, x.SeriesID); err != nil {
				return exams.ErrUnknownSeries()
			}
			series = x.SeriesID
		}
		detail := x.Kind + " " + x.Status
		if x.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO exam_arrangements (school_id, pupil_id, kind, detail, status, approval_ref, expires, series_id, exams, room, version, created_at, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $11) RETURNING id`, a.User.SchoolID, x.PupilID, x.Kind, x.Detail, x.Status, x.ApprovalRef, dateArg(x.Expires), series, x.Exams, x.Room, s.now(), a.User.ID).Scan(&x.ID); err != nil {
				return err
			}
			x.Version = 1
			return s.audit(ctx, tx, a, "exams.arrangement.add", "exam_arrangement", x.ID, x.PupilID, detail)
		}
		res, err := tx.ExecContext(ctx, `UPDATE exam_arrangements SET kind = $5, detail = $6, status = $7, approval_ref = $8, expires = $9, series_id = $10, exams = $11, room = $12, version = version + 1, updated_by = $13, updated_at = $14
WHERE id = $1 AND school_id = $2 AND pupil_id = $3 AND version = $4`, x.ID, a.User.SchoolID, x.PupilID, x.Version, x.Kind, x.Detail, x.Status, x.ApprovalRef, dateArg(x.Expires), series, x.Exams, x.Room, a.User.ID, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_arrangements WHERE id = $1 AND school_id = $2 AND pupil_id = $3`, x.ID, a.User.SchoolID, x.PupilID).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return sen.ErrNotFound
			}
			return exams.ErrChanged("arrangement")
		}
		x.Version++
		return s.audit(ctx, tx, a, "exams.arrangement.edit", "exam_arrangement", x.ID, x.PupilID, detail)
	})
}

// AddExamStatement records a teacher's normal-way-of-working statement for
// a candidate; teachers only for the pupils they teach.
func (s *Store) AddExamStatement(ctx context.Context, a sen.Actor, n *exams.Normal) error {
	if fe := n.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, n.PupilID); err != nil {
			return err
		}
		n.Kind, n.By = exams.NormalStatement, a.User.Name
		if err := tx.QueryRowContext(ctx, `INSERT INTO exam_normal (school_id, pupil_id, kind, source_id, subject, text, by_name, on_date, added_by, added_at)
VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9) RETURNING id`, a.User.SchoolID, n.PupilID, n.Kind, n.Subject, n.Text, n.By, dateArg(n.On), a.User.ID, s.now()).Scan(&n.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "exams.normal.statement", "pupil", n.PupilID, n.PupilID, "")
	})
}

// LinkExamNormal keeps one of the pupil's existing records (kind and id as
// listed in ExamCandidateView.Sources) as normal-way-of-working evidence,
// with its text as it reads now.
func (s *Store) LinkExamNormal(ctx context.Context, a sen.Actor, pupilID int64, kind string, sourceID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		srcs, err := normalSourcesTx(ctx, tx, a.User.SchoolID, pupilID)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			if src.Kind != kind || src.SourceID != sourceID {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO exam_normal (school_id, pupil_id, kind, source_id, subject, text, by_name, on_date, added_by, added_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.User.SchoolID, pupilID, kind, sourceID, src.Subject, src.Text, src.By, dateArg(src.On), a.User.ID, s.now())
			if isUnique(err) {
				return exams.ErrAlreadyLinked()
			}
			if err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "exams.normal.link", "pupil", pupilID, pupilID, fmt.Sprintf("%s %d", kind, sourceID))
		}
		return sen.ErrNotFound
	})
}
