package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/upload"
)

// The SEN policy, the SEN information report, the accessibility plan and
// pupils' reasonable adjustments (issue 16).

// SENPolicy reads the policy's review date and its documents, newest first
// (without their contents).
func (s *Store) SENPolicy(ctx context.Context, a sen.Actor) (schoolsen.Policy, error) {
	var p schoolsen.Policy
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = policyTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "sen_policy.read", "school", a.User.SchoolID, 0, "")
	})
	return p, err
}

func policyTx(ctx context.Context, tx *sql.Tx, schoolID int64) (schoolsen.Policy, error) {
	var p schoolsen.Policy
	var next dbTime
	err := tx.QueryRowContext(ctx, `SELECT next_review, version FROM sen_policy WHERE school_id = $1`, schoolID).Scan(&next, &p.Version)
	if err != nil && err != sql.ErrNoRows {
		return p, err
	}
	p.NextReview = next.T
	rows, err := tx.QueryContext(ctx, `SELECT f.id, f.filename, f.content_type, f.size, f.note, u.name, f.uploaded_at FROM sen_policy_files f
JOIN users u ON u.id = f.uploaded_by WHERE f.school_id = $1 ORDER BY f.uploaded_at DESC, f.id DESC`, schoolID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var f schoolsen.PolicyFile
		var at dbTime
		if err := rows.Scan(&f.ID, &f.Filename, &f.MIME, &f.Size, &f.Note, &f.UploadedBy, &at); err != nil {
			return p, err
		}
		f.UploadedAt = at.T
		p.Files = append(p.Files, f)
	}
	return p, rows.Err()
}

// policyTypes are the document types a policy may be: a PDF or a word
// processor's document.
var policyTypes = map[string]bool{"application/pdf": true, "application/msword": true, "application/x-ole-storage": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true, "application/vnd.oasis.opendocument.text": true}

// UploadSENPolicy adds a new version of the policy (checked by content
// with internal/upload); earlier versions stay as its history.
func (s *Store) UploadSENPolicy(ctx context.Context, a sen.Actor, filename string, data []byte, note string) error {
	if fe := schoolsen.ValidatePolicyNote(note); len(fe) > 0 {
		return fe
	}
	dt, err := upload.Check(filename, data, schoolsen.MaxPolicySize)
	switch {
	case errors.Is(err, upload.ErrEmpty):
		return schoolsen.ErrNoPolicy()
	case errors.Is(err, upload.ErrTooLarge):
		return schoolsen.ErrPolicyTooLarge()
	case err != nil || !policyTypes[dt.MIME]:
		return schoolsen.ErrPolicyType()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		name := safeFilename(filename, dt.Ext)
		if err := tx.QueryRowContext(ctx, `INSERT INTO sen_policy_files (school_id, filename, content_type, size, data, note, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.User.SchoolID, name, dt.MIME, len(data), data, note, a.User.ID, s.now()).Scan(&id); err != nil {
			return fmt.Errorf("store: policy: %w", err)
		}
		return s.audit(ctx, tx, a, "sen_policy.upload", "sen_policy_file", id, 0, "type="+dt.MIME)
	})
}

// SENPolicyFile returns one version of the policy with its contents and
// audits the download.
func (s *Store) SENPolicyFile(ctx context.Context, a sen.Actor, id int64) (schoolsen.PolicyFile, error) {
	var f schoolsen.PolicyFile
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT id, filename, content_type, size, data FROM sen_policy_files WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID).
			Scan(&f.ID, &f.Filename, &f.MIME, &f.Size, &f.Data); err != nil {
			return notFound(err)
		}
		return s.auditRead(ctx, tx, a, "sen_policy.download", "sen_policy_file", id, 0, "")
	})
	return f, err
}

// SetSENPolicyReview sets the policy's next review date; version is the
// one read (0 when the policy had none).
func (s *Store) SetSENPolicyReview(ctx context.Context, a sen.Actor, next time.Time, version int) error {
	if fe := schoolsen.ValidatePolicyReview(next, s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if version == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sen_policy (school_id, next_review, version) VALUES ($1, $2, 1)`, a.User.SchoolID, dateArg(next)); err != nil {
				if isUnique(err) {
					return schoolsen.ErrPolicyChanged()
				}
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE sen_policy SET next_review = $3, version = version + 1 WHERE school_id = $1 AND version = $2`, a.User.SchoolID, version, dateArg(next))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return schoolsen.ErrPolicyChanged()
			}
		}
		return s.audit(ctx, tx, a, "sen_policy.review_date", "school", a.User.SchoolID, 0, dateStr(next))
	})
}

// reportRowTx reads the report's own row; ok false when there is none yet.
func reportRowTx(ctx context.Context, q rowQueryer, schoolID int64) (schoolsen.Report, bool, error) {
	var r schoolsen.Report
	var pub, rev dbTime
	err := q.QueryRowContext(ctx, `SELECT slug, published, published_at, last_reviewed, local_offer_url, senco_contact, version FROM sen_info_reports WHERE school_id = $1`, schoolID).
		Scan(&r.Slug, &r.Published, &pub, &rev, &r.LocalOfferURL, &r.SENCOContact, &r.Version)
	if err == sql.ErrNoRows {
		return r, false, nil
	}
	r.PublishedAt, r.LastReviewed = pub.T, rev.T
	return r, err == nil, err
}

// sectionsTx reads the report's sections in Schedule 1's order; an item not
// yet written has its default heading, no words and version 0.
func sectionsTx(ctx context.Context, tx *sql.Tx, schoolID int64) ([]schoolsen.Section, error) {
	rows, err := tx.QueryContext(ctx, `SELECT item, heading, body, updated_by, updated_at, version FROM sen_info_sections WHERE school_id = $1`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]schoolsen.Section{}
	for rows.Next() {
		var sec schoolsen.Section
		var at dbTime
		if err := rows.Scan(&sec.Item, &sec.Heading, &sec.Text, &sec.UpdatedBy, &at, &sec.Version); err != nil {
			return nil, err
		}
		sec.UpdatedAt = at.T
		got[sec.Item] = sec
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]schoolsen.Section, 0, len(schoolsen.Items))
	for _, it := range schoolsen.Items {
		sec, ok := got[it.Key]
		if !ok {
			sec = schoolsen.Section{Item: it.Key, Heading: it.Heading}
		}
		out = append(out, sec)
	}
	return out, nil
}

// ensureReportTx makes the school's report row, with its public slug (the
// URN, or the name; the school's id is added if another school has it).
func (s *Store) ensureReportTx(ctx context.Context, tx *sql.Tx, schoolID int64) error {
	if _, ok, err := reportRowTx(ctx, tx, schoolID); err != nil || ok {
		return err
	}
	sc, err := schoolTx(ctx, tx, schoolID)
	if err != nil {
		return err
	}
	slug := schoolsen.Slug(sc.URN, sc.Name)
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sen_info_reports WHERE slug = $1`, slug).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		slug += "-" + strconv.FormatInt(schoolID, 10)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sen_info_reports (school_id, slug, published, version) VALUES ($1, $2, $3, 0)`, schoolID, slug, false)
	return err
}

// InfoReport reads the school's SEN information report for the SENCO's
// editor, with the app's pre-filled text for each section, and audits it.
func (s *Store) InfoReport(ctx context.Context, a sen.Actor) (schoolsen.Report, error) {
	var r schoolsen.Report
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = s.reportTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		f, err := s.factsTx(ctx, tx, a.User.SchoolID, r)
		if err != nil {
			return err
		}
		for i := range r.Sections {
			r.Sections[i].Suggested = schoolsen.Suggest(r.Sections[i].Item, f)
		}
		return s.auditRead(ctx, tx, a, "sen_report.read", "school", a.User.SchoolID, 0, "")
	})
	return r, err
}

func (s *Store) reportTx(ctx context.Context, tx *sql.Tx, schoolID int64) (schoolsen.Report, error) {
	r, _, err := reportRowTx(ctx, tx, schoolID)
	if err != nil {
		return r, err
	}
	if r.Sections, err = sectionsTx(ctx, tx, schoolID); err != nil {
		return r, err
	}
	r.SENCOName, err = currentSENCOTx(ctx, tx, schoolID)
	return r, err
}

// factsTx gathers what pre-fills the report: counts of needs on the
// register (turned into kinds of need only at or above the small-number
// threshold, never shown as numbers), staff skills and last year's
// training topics, and what the school records in the app.
func (s *Store) factsTx(ctx context.Context, tx *sql.Tx, schoolID int64, r schoolsen.Report) (schoolsen.Facts, error) {
	f := schoolsen.Facts{NeedCounts: map[string]int{}, SENCOName: r.SENCOName, SENCOContact: r.SENCOContact, LocalOfferURL: r.LocalOfferURL}
	rows, err := tx.QueryContext(ctx, `SELECT pn.need_code, COUNT(DISTINCT p.id) FROM pupils p JOIN pupil_needs pn ON pn.pupil_id = p.id
WHERE p.school_id = $1 AND p.sen_status IN ('K', 'E') GROUP BY pn.need_code`, schoolID)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.NeedCounts[code] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	skills, err := skillsTx(ctx, tx, schoolID, 0)
	if err != nil {
		return f, err
	}
	for _, k := range skills {
		f.Skills = append(f.Skills, k.Title)
	}
	trows, err := tx.QueryContext(ctx, `SELECT topic FROM training_sessions WHERE school_id = $1 AND session_date >= $2 ORDER BY session_date`, schoolID, dateArg(lastYear(s.Today())))
	if err != nil {
		return f, err
	}
	for trows.Next() {
		var t string
		if err := trows.Scan(&t); err != nil {
			trows.Close()
			return f, err
		}
		f.TrainingTopic = append(f.TrainingTopic, t)
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return f, err
	}
	var n int
	for _, q := range []struct {
		sql string
		to  *bool
	}{
		{`SELECT COUNT(*) FROM plan_cycles WHERE school_id = $1`, &f.HasPlans},
		{`SELECT COUNT(*) FROM ehc_plans WHERE school_id = $1`, &f.HasEHC},
		{`SELECT COUNT(*) FROM access_actions WHERE school_id = $1`, &f.HasAccessPlan},
	} {
		if err := tx.QueryRowContext(ctx, q.sql, schoolID).Scan(&n); err != nil {
			return f, err
		}
		*q.to = n > 0
	}
	return f, nil
}

// SaveReportSection saves one section in the SENCO's words; sec.Version is
// the one read (0 for a section never saved).
func (s *Store) SaveReportSection(ctx context.Context, a sen.Actor, sec *schoolsen.Section) error {
	if _, ok := schoolsen.LookupItem(sec.Item); !ok {
		return sen.ErrNotFound
	}
	if fe := schoolsen.ValidateSection(sec); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureReportTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		if sec.Version == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sen_info_sections (school_id, item, heading, body, updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, 1)`,
				a.User.SchoolID, sec.Item, sec.Heading, sec.Text, a.User.Name, s.now()); err != nil {
				if isUnique(err) {
					return schoolsen.ErrSectionChanged()
				}
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE sen_info_sections SET heading = $4, body = $5, updated_by = $6, updated_at = $7, version = version + 1
WHERE school_id = $1 AND item = $2 AND version = $3`, a.User.SchoolID, sec.Item, sec.Version, sec.Heading, sec.Text, a.User.Name, s.now())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return schoolsen.ErrSectionChanged()
			}
		}
		sec.Version++
		return s.audit(ctx, tx, a, "sen_report.section", "school", a.User.SchoolID, 0, "item="+sec.Item)
	})
}

// SaveReportDetails saves the local offer's address, the SENCO's contact
// details and the date the report was last reviewed; r.Version is the one
// read.
func (s *Store) SaveReportDetails(ctx context.Context, a sen.Actor, r *schoolsen.Report) error {
	if fe := r.ValidateDetails(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureReportTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sen_info_reports SET local_offer_url = $3, senco_contact = $4, last_reviewed = $5, version = version + 1
WHERE school_id = $1 AND version = $2`, a.User.SchoolID, r.Version, r.LocalOfferURL, r.SENCOContact, dateArg(r.LastReviewed))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return schoolsen.ErrReportChanged()
		}
		r.Version++
		return s.audit(ctx, tx, a, "sen_report.details", "school", a.User.SchoolID, 0, "")
	})
}

// PublishReport publishes the report (every section written) or takes it
// down; version is the one read.
func (s *Store) PublishReport(ctx context.Context, a sen.Actor, publish bool, version int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.ensureReportTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		r, err := s.reportTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		if r.Version != version {
			return schoolsen.ErrReportChanged()
		}
		if publish && !r.Complete() {
			return schoolsen.ErrIncomplete(r.Missing())
		}
		var at any
		if publish {
			at = s.now()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sen_info_reports SET published = $2, published_at = $3, version = version + 1 WHERE school_id = $1`, a.User.SchoolID, publish, at); err != nil {
			return err
		}
		action := "sen_report.unpublish"
		if publish {
			action = "sen_report.publish"
		}
		return s.audit(ctx, tx, a, action, "school", a.User.SchoolID, 0, "")
	})
}

// PublicReport is the published report of the school whose public address
// is slug, for anyone, signed in or not: its sections, the SENCO's name
// and contact details, and the school's name. It holds no pupil data. A
// report not published, or an unknown address, is "not found". It is not
// audited: anyone may read it and it names no one but the SENCO.
func (s *Store) PublicReport(ctx context.Context, slug string) (schoolsen.Report, string, error) {
	var r schoolsen.Report
	var school string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT r.school_id, sc.name FROM sen_info_reports r JOIN schools sc ON sc.id = r.school_id WHERE r.slug = $1 AND r.published = $2`, slug, true).
			Scan(&id, &school); err != nil {
			return notFound(err)
		}
		var err error
		r, err = s.reportTx(ctx, tx, id)
		return err
	})
	return r, school, err
}

// AccessPlan reads the school's accessibility plan and its actions.
func (s *Store) AccessPlan(ctx context.Context, a sen.Actor) (schoolsen.AccessPlan, error) {
	var p schoolsen.AccessPlan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var st dbTime
		err := tx.QueryRowContext(ctx, `SELECT starts, version FROM access_plans WHERE school_id = $1`, a.User.SchoolID).Scan(&st, &p.Version)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		p.Starts = st.T
		rows, err := tx.QueryContext(ctx, `SELECT `+actionCols+` FROM access_actions WHERE school_id = $1 ORDER BY due, id`, a.User.SchoolID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			ac, err := scanAction(rows)
			if err != nil {
				return err
			}
			p.Actions = append(p.Actions, ac)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "access_plan.read", "school", a.User.SchoolID, 0, "")
	})
	return p, err
}

// SetAccessPlanStart sets the first day of the three-year plan; version is
// the one read (0 when there was no plan).
func (s *Store) SetAccessPlanStart(ctx context.Context, a sen.Actor, starts time.Time, version int) error {
	if fe := schoolsen.ValidatePlanStart(starts); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if version == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO access_plans (school_id, starts, version) VALUES ($1, $2, 1)`, a.User.SchoolID, dateArg(starts)); err != nil {
				if isUnique(err) {
					return schoolsen.ErrActionChanged()
				}
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE access_plans SET starts = $3, version = version + 1 WHERE school_id = $1 AND version = $2`, a.User.SchoolID, version, dateArg(starts))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return schoolsen.ErrActionChanged()
			}
		}
		return s.audit(ctx, tx, a, "access_plan.period", "school", a.User.SchoolID, 0, dateStr(starts))
	})
}

const actionCols = `id, strand, what, owner, due, progress, notes, version`

func scanAction(sc interface{ Scan(...any) error }) (schoolsen.Action, error) {
	var ac schoolsen.Action
	var due dbTime
	err := sc.Scan(&ac.ID, &ac.Strand, &ac.What, &ac.Owner, &due, &ac.Progress, &ac.Notes, &ac.Version)
	ac.Due = due.T
	return ac, err
}

// AccessAction opens one action of the plan.
func (s *Store) AccessAction(ctx context.Context, a sen.Actor, id int64) (schoolsen.Action, error) {
	var ac schoolsen.Action
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if ac, err = scanAction(tx.QueryRowContext(ctx, `SELECT `+actionCols+` FROM access_actions WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)); err != nil {
			return notFound(err)
		}
		return s.auditRead(ctx, tx, a, "access_plan.action.read", "access_action", id, 0, "")
	})
	return ac, err
}

// SaveAccessAction adds an action (ID 0) or changes one read at ac.Version.
func (s *Store) SaveAccessAction(ctx context.Context, a sen.Actor, ac *schoolsen.Action) error {
	if fe := ac.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if ac.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO access_actions (school_id, strand, what, owner, due, progress, notes, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id`, a.User.SchoolID, ac.Strand, ac.What, ac.Owner, dateArg(ac.Due), ac.Progress, ac.Notes, s.now()).Scan(&ac.ID); err != nil {
				return fmt.Errorf("store: access action: %w", err)
			}
			ac.Version = 1
			return s.audit(ctx, tx, a, "access_plan.action.add", "access_action", ac.ID, 0, "strand="+ac.Strand)
		}
		res, err := tx.ExecContext(ctx, `UPDATE access_actions SET strand = $4, what = $5, owner = $6, due = $7, progress = $8, notes = $9, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3`, ac.ID, a.User.SchoolID, ac.Version, ac.Strand, ac.What, ac.Owner, dateArg(ac.Due), ac.Progress, ac.Notes)
		if err != nil {
			return err
		}
		if err := changed(ctx, tx, res, `SELECT 1 FROM access_actions WHERE id = $1 AND school_id = $2`, []any{ac.ID, a.User.SchoolID}, schoolsen.ErrActionChanged()); err != nil {
			return err
		}
		ac.Version++
		return s.audit(ctx, tx, a, "access_plan.action.update", "access_action", ac.ID, 0, "progress="+ac.Progress)
	})
}

const adjustmentCols = `id, pupil_id, disability, what, from_date, reviewed, next_review, version`

func scanAdjustment(sc interface{ Scan(...any) error }) (schoolsen.Adjustment, error) {
	var j schoolsen.Adjustment
	var from, rev, next dbTime
	err := sc.Scan(&j.ID, &j.PupilID, &j.Disability, &j.What, &from, &rev, &next, &j.Version)
	j.From, j.Reviewed, j.NextReview = from.T, rev.T, next.T
	return j, err
}

// Adjustments lists a pupil's reasonable adjustments, newest first, and
// audits the read against the pupil.
func (s *Store) Adjustments(ctx context.Context, a sen.Actor, pupilID int64) (sen.Pupil, []schoolsen.Adjustment, error) {
	var p sen.Pupil
	var out []schoolsen.Adjustment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+adjustmentCols+` FROM reasonable_adjustments WHERE pupil_id = $1 AND school_id = $2 ORDER BY from_date DESC, id DESC`, pupilID, a.User.SchoolID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanAdjustment(rows)
			if err != nil {
				return err
			}
			out = append(out, j)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "adjustment.list", "pupil", pupilID, pupilID, "")
	})
	return p, out, err
}

// Adjustment opens one adjustment with its pupil.
func (s *Store) Adjustment(ctx context.Context, a sen.Actor, id int64) (sen.Pupil, schoolsen.Adjustment, error) {
	var p sen.Pupil
	var j schoolsen.Adjustment
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if j, err = scanAdjustment(tx.QueryRowContext(ctx, `SELECT `+adjustmentCols+` FROM reasonable_adjustments WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)); err != nil {
			return notFound(err)
		}
		if p, err = s.pupilTx(ctx, tx, a, j.PupilID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "adjustment.read", "reasonable_adjustment", id, j.PupilID, "")
	})
	return p, j, err
}

// SaveAdjustment records a pupil's adjustment (ID 0) or changes one read
// at j.Version.
func (s *Store) SaveAdjustment(ctx context.Context, a sen.Actor, j *schoolsen.Adjustment) error {
	if fe := j.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.pupilTx(ctx, tx, a, j.PupilID); err != nil {
			return err
		}
		if j.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO reasonable_adjustments (school_id, pupil_id, disability, what, from_date, reviewed, next_review, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id`, a.User.SchoolID, j.PupilID, j.Disability, j.What, dateArg(j.From), dateArg(j.Reviewed), dateArg(j.NextReview), s.now()).Scan(&j.ID); err != nil {
				return fmt.Errorf("store: adjustment: %w", err)
			}
			j.Version = 1
			return s.audit(ctx, tx, a, "adjustment.add", "reasonable_adjustment", j.ID, j.PupilID, "")
		}
		res, err := tx.ExecContext(ctx, `UPDATE reasonable_adjustments SET disability = $4, what = $5, from_date = $6, reviewed = $7, next_review = $8, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3 AND pupil_id = $9`, j.ID, a.User.SchoolID, j.Version, j.Disability, j.What, dateArg(j.From), dateArg(j.Reviewed), dateArg(j.NextReview), j.PupilID)
		if err != nil {
			return err
		}
		if err := changed(ctx, tx, res, `SELECT 1 FROM reasonable_adjustments WHERE id = $1 AND school_id = $2 AND pupil_id = $3`, []any{j.ID, a.User.SchoolID, j.PupilID}, schoolsen.ErrAdjustmentChanged()); err != nil {
			return err
		}
		j.Version++
		return s.audit(ctx, tx, a, "adjustment.update", "reasonable_adjustment", j.ID, j.PupilID, "")
	})
}

// DutyReminders are the dates the home page reminds the SENCO and the head
// about: the SENCO posts (for the qualification deadline), the policy's
// next review, the report's last review and the plan's late actions. No
// pupil data, so not audited (it is read on every home page).
type DutyReminders struct {
	Posts        []schoolsen.Post
	PolicyReview time.Time
	HasPolicy    bool
	Report       schoolsen.Report
	HasReport    bool
	LateActions  int
}

// SchoolDutyReminders reads the reminders for the home page.
func (s *Store) SchoolDutyReminders(ctx context.Context, a sen.Actor) (DutyReminders, error) {
	var d DutyReminders
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if d.Posts, err = postsTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		var next dbTime
		switch err := tx.QueryRowContext(ctx, `SELECT next_review FROM sen_policy WHERE school_id = $1`, a.User.SchoolID).Scan(&next); err {
		case nil:
			d.PolicyReview, d.HasPolicy = next.T, true
		case sql.ErrNoRows:
		default:
			return err
		}
		if d.Report, d.HasReport, err = reportRowTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM access_actions WHERE school_id = $1 AND progress <> $2 AND due < $3`,
			a.User.SchoolID, schoolsen.ProgressDone, dateArg(s.Today())).Scan(&d.LateActions)
	})
	return d, err
}
