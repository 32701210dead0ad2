package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/upload"
)

// Advice and professionals' reports uploaded to an annual review (kept in
// ehc_documents, like plan documents) and their circulation to the
// invitees before the meeting (SEND Regulations 2014 reg 20(4)).

func reviewReportsTx(ctx context.Context, tx *sql.Tx, schoolID, reviewID int64) ([]ehc.ReviewReport, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rr.id, rr.review_id, d.filename, d.content_type, rr.author, rr.kind, rr.received, rr.circulated, rr.circulated_to
FROM ehc_review_reports rr JOIN ehc_documents d ON d.id = rr.document_id WHERE rr.school_id = $1 AND rr.review_id = $2 ORDER BY rr.id`, schoolID, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.ReviewReport
	for rows.Next() {
		var x ehc.ReviewReport
		var rec, circ dbTime
		if err := rows.Scan(&x.ID, &x.ReviewID, &x.Filename, &x.MIME, &x.Author, &x.Kind, &rec, &circ, &x.CirculatedTo); err != nil {
			return nil, err
		}
		x.Received, x.Circulated = rec.T, circ.T
		out = append(out, x)
	}
	return out, rows.Err()
}

// reportTypes are the files a report may be: PDF or Word.
var reportTypes = map[string]bool{
	"application/pdf":    true,
	"application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.oasis.opendocument.text":                                 true,
}

// AddReviewReport stores an uploaded piece of advice or report (a PDF or
// Word document, checked by internal/upload) on a review.
func (s *Store) AddReviewReport(ctx context.Context, a sen.Actor, reviewID int64, rep ehc.ReviewReport, filename string, data []byte) (int64, error) {
	fe := rep.Validate(s.Today())
	dt, err := upload.Check(filename, data, ehc.MaxDocumentSize)
	switch {
	case errors.Is(err, upload.ErrEmpty):
		fe.Add("reportFile", ehc.ErrNoReportFile()["reportFile"])
	case errors.Is(err, upload.ErrTooLarge):
		fe.Add("reportFile", ehc.ErrReportTooLarge()["reportFile"])
	case err != nil || !reportTypes[dt.MIME]:
		fe.Add("reportFile", ehc.ErrReportFile()["reportFile"])
	}
	if len(fe) > 0 {
		return 0, fe
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, reviewID)
		if err != nil {
			return err
		}
		docID := "doc_" + strings.ToLower(rand.Text())
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_documents (id, school_id, pupil_id, filename, content_type, size, data, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, docID, a.User.SchoolID, r.PupilID, safeFilename(filename, dt.Ext), dt.MIME, len(data), data, a.User.ID, s.now()); err != nil {
			return fmt.Errorf("store: report document: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_review_reports (school_id, review_id, document_id, author, kind, received, circulated_to, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8) RETURNING id`, a.User.SchoolID, reviewID, docID, rep.Author, rep.Kind, dateArg(rep.Received), a.User.ID, s.now()).Scan(&id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.report.upload", "ehc_review", reviewID, r.PupilID, "kind="+rep.Kind)
	})
	return id, err
}

// ReviewReportFile is an uploaded report's file; the download is audited.
// Teachers and TAs (and anyone who may not see the review) never get it.
func (s *Store) ReviewReportFile(ctx context.Context, a sen.Actor, reportID int64) (ehc.PlanDocument, error) {
	var d ehc.PlanDocument
	if a.User.Role.Scoped() {
		return d, sen.ErrNotFound
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var reviewID int64
		if err := tx.QueryRowContext(ctx, `SELECT rr.review_id, d.id, d.filename, d.content_type, d.data FROM ehc_review_reports rr JOIN ehc_documents d ON d.id = rr.document_id
WHERE rr.id = $1 AND rr.school_id = $2 AND d.school_id = $2`, reportID, a.User.SchoolID).Scan(&reviewID, &d.ID, &d.Filename, &d.MIME, &d.Data); err != nil {
			return notFound(err)
		}
		r, err := s.reviewTx(ctx, tx, a, reviewID)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.review.report.download", "ehc_review", reviewID, r.PupilID, fmt.Sprintf("report=%d", reportID))
	})
	return d, err
}

// Circulate methods.
const (
	CirculateByEmail = "email" // e-mail to invitees with an address, the rest by post
	CirculateByPost  = "post"  // every invitee by post
)

// CirculateReports circulates every report of the review not yet
// circulated: by e-mail (one mail to each invitee with an address, with
// the reports attached, through the outbox; the others by post) or all by
// post, and records each report as circulated today, to whom. It returns
// the outbox mails to hand to the mailer.
func (s *Store) CirculateReports(ctx context.Context, a sen.Actor, reviewID int64, how, school string) ([]int64, error) {
	if how != CirculateByEmail && how != CirculateByPost {
		return nil, ehc.ErrCirculateHow()
	}
	var mails []int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, reviewID)
		if err != nil {
			return err
		}
		var pending []ehc.ReviewReport
		for _, x := range r.Reports {
			if x.Circulated.IsZero() {
				pending = append(pending, x)
			}
		}
		switch {
		case len(pending) == 0:
			return ehc.ErrNothingToCirculate()
		case len(r.Invitees) == 0:
			return ehc.ErrNoOneToCirculate()
		}
		set, err := schoolSettingsTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		head := ehc.HeadOf(school, set)
		var atts []OutboxAttachment
		if how == CirculateByEmail {
			for _, x := range pending {
				var at OutboxAttachment
				if err := tx.QueryRowContext(ctx, `SELECT d.filename, d.content_type, d.data FROM ehc_review_reports rr JOIN ehc_documents d ON d.id = rr.document_id WHERE rr.id = $1`, x.ID).
					Scan(&at.Filename, &at.MIME, &at.Data); err != nil {
					return err
				}
				atts = append(atts, at)
			}
		}
		var to []ehc.Recipient
		for _, in := range r.Invitees {
			if how == CirculateByPost || in.Email == "" {
				to = append(to, ehc.Recipient{Name: in.Name, Method: ehc.SentByPost})
				continue
			}
			subject, text := ehc.ReportsMail(in.Name, r.Meeting, len(pending), head)
			m := &OutboxMail{SchoolID: a.User.SchoolID, Kind: "review-reports", Day: s.Today(), To: in.Email, Subject: subject, Text: text, Attachments: atts}
			if err := s.insertOutboxTx(ctx, tx, m); err != nil {
				return err
			}
			mails = append(mails, m.ID)
			to = append(to, ehc.Recipient{Name: in.Name, Method: ehc.SentByEmail, Email: in.Email})
		}
		list := ehc.RecipientList(to)
		for _, x := range pending {
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_review_reports SET circulated = $2, circulated_to = $3 WHERE id = $1`, x.ID, dateArg(s.Today()), list); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.review.reports.circulate", "ehc_review", reviewID, r.PupilID, fmt.Sprintf("reports=%d how=%s mails=%d", len(pending), how, len(mails)))
	})
	return mails, err
}

// OpenReviewReports lists the reports of reviews whose meeting has not yet
// been held, soonest meeting first (the SENCO's letters page). Audited as
// a list view.
func (s *Store) OpenReviewReports(ctx context.Context, a sen.Actor) ([]ehc.ReviewReport, error) {
	var out []ehc.ReviewReport
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT rr.id, rr.review_id, rr.author, rr.kind, rr.received, rr.circulated, rr.circulated_to, p.forename || ' ' || p.surname
FROM ehc_review_reports rr JOIN ehc_reviews r ON r.id = rr.review_id JOIN ehc_plans pl ON pl.id = r.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE rr.school_id = $1 AND pl.school_id = $1 AND r.meeting_held = $2 AND pl.active = $3 ORDER BY r.meeting, rr.id`, a.User.SchoolID, false, true)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x ehc.ReviewReport
			var rec, circ dbTime
			if err := rows.Scan(&x.ID, &x.ReviewID, &x.Author, &x.Kind, &rec, &circ, &x.CirculatedTo, &x.PupilName); err != nil {
				return err
			}
			x.Received, x.Circulated = rec.T, circ.T
			out = append(out, x)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return s.auditRead(ctx, tx, a, "ehc.review.reports.list", "ehc_review", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}
