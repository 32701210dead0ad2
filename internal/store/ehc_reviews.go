package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
)

const reviewCols = `r.id, r.plan_id, pl.school_id, pl.pupil_id, p.forename || ' ' || p.surname, p.year_group, pl.issued, r.last_review, r.meeting, r.meeting_held,
r.invites_sent, r.advice_circulated, r.report_sent, r.decision, r.outcome, r.amendment_comments, r.amended_issued, r.attendance, r.pupil_views, r.parent_views,
r.amendments, r.pfa, r.completed, r.version, r.meeting_time, r.meeting_place`

const reviewFrom = ` FROM ehc_reviews r JOIN ehc_plans pl ON pl.id = r.plan_id JOIN pupils p ON p.id = pl.pupil_id`

func scanReview(sc interface{ Scan(...any) error }, r *ehc.Review) error {
	var iss, last, meet, inv, adv, rep, dec, com, am dbTime
	if err := sc.Scan(&r.ID, &r.PlanID, &r.SchoolID, &r.PupilID, &r.PupilName, &r.YearGroup, &iss, &last, &meet, &r.MeetingHeld,
		&inv, &adv, &rep, &dec, &r.Outcome, &com, &am, &r.Attendance, &r.PupilViews, &r.ParentViews, &r.Amendments, &r.PFA, &r.Completed, &r.Version, &r.MeetingTime, &r.MeetingPlace); err != nil {
		return err
	}
	r.PlanIssued, r.LastReview, r.Meeting, r.InvitesSent, r.AdviceCirculated = iss.T, last.T, meet.T, inv.T, adv.T
	r.ReportSent, r.Decision, r.AmendmentComments, r.AmendedIssued = rep.T, dec.T, com.T, am.T
	return nil
}

// StartReview opens the next annual review cycle of a plan, optionally with
// a meeting date, which must give 2 weeks' notice and fall within the
// review period (deadline.ValidateMeetingDate). Only one open cycle at a time.
func (s *Store) StartReview(ctx context.Context, a sen.Actor, planID int64, meeting time.Time, phase string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ehc_reviews WHERE plan_id = $1 AND completed = $2`, planID, false).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return ehc.ErrReviewInProgress()
		}
		rv := ehc.Review{PlanIssued: p.Issued, LastReview: p.LastReviewed}
		if !meeting.IsZero() {
			tr, err := s.planTransferTx(ctx, tx, a, p)
			if err != nil {
				return err
			}
			if fe := rv.CheckMeetingWith(tr, meeting, s.Today()); fe != nil {
				return fe
			}
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_reviews (plan_id, last_review, meeting, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`,
			planID, dateArg(p.LastReviewed), dateArg(meeting), now).Scan(&id); err != nil {
			return fmt.Errorf("store: start review: %w", err)
		}
		return s.audit(ctx, tx, a, "ehc.review.start", "ehc_review", id, p.PupilID, fmt.Sprintf("plan=%d", planID))
	})
	return id, err
}

// Review opens a review with its invitees and outcome progress, audited.
func (s *Store) Review(ctx context.Context, a sen.Actor, id int64) (ehc.Review, error) {
	var r ehc.Review
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.reviewTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.review.read", "ehc_review", id, r.PupilID, "")
	})
	return r, err
}

func (s *Store) reviewTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (ehc.Review, error) {
	var r ehc.Review
	if err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+reviewFrom+` WHERE r.id = $1 AND pl.school_id = $2 AND `+teachesSQL("$3"),
		id, a.User.SchoolID, scopeUser(a)), &r); err != nil {
		return r, notFound(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, review_id, party, name, invited, advice_requested, advice_received, attended, email, address FROM ehc_review_invitees WHERE review_id = $1 ORDER BY id`, id)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var in ehc.Invitee
		var inv, req, rec dbTime
		if err := rows.Scan(&in.ID, &in.ReviewID, &in.Party, &in.Name, &inv, &req, &rec, &in.Attended, &in.Email, &in.Address); err != nil {
			rows.Close()
			return r, err
		}
		in.Invited, in.AdviceRequested, in.AdviceReceived = inv.T, req.T, rec.T
		r.Invitees = append(r.Invitees, in)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT o.id, o.text, COALESCE(g.rating, ''), COALESCE(g.note, '') FROM ehc_outcomes o
LEFT JOIN ehc_review_progress g ON g.outcome_id = o.id AND g.review_id = $2 WHERE o.plan_id = $1 ORDER BY o.id`, r.PlanID, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var g ehc.OutcomeProgress
		if err := rows.Scan(&g.OutcomeID, &g.Outcome, &g.Rating, &g.Note); err != nil {
			return r, err
		}
		r.Progress = append(r.Progress, g)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	rows.Close()
	sends, err := letterSendsTx(ctx, tx, `s.invitee_id IN (SELECT id FROM ehc_review_invitees WHERE review_id = $2)`, a.User.SchoolID, id)
	if err != nil {
		return r, err
	}
	for i := range r.Invitees {
		r.Invitees[i].Sends = sends[r.Invitees[i].ID]
	}
	if r.Reports, err = reviewReportsTx(ctx, tx, a.User.SchoolID, id); err != nil {
		return r, err
	}
	r.Corrections, err = correctionsTx(ctx, tx, a.User.SchoolID, ehc.SubjectReview, id)
	return r, err
}

// RescheduleMeeting moves (or sets) the meeting date, keeping its time and
// place (SetMeeting).
func (s *Store) RescheduleMeeting(ctx context.Context, a sen.Actor, id, version int64, meeting time.Time, phase string) error {
	return s.setMeeting(ctx, a, id, version, meeting, nil, phase)
}

// MeetingPlace is the meeting's time ("14:30") and place as typed.
type MeetingPlace struct{ Time, Place string }

// SetMeeting moves (or sets) the meeting date and records its time and
// place; every dependent date is recomputed by the engine. A held meeting
// cannot move.
func (s *Store) SetMeeting(ctx context.Context, a sen.Actor, id, version int64, meeting time.Time, at MeetingPlace, phase string) error {
	at.Time, at.Place = strings.TrimSpace(at.Time), strings.TrimSpace(at.Place)
	fe := ehc.ValidateMeetingPlace(at.Time, at.Place)
	if meeting.IsZero() {
		fe.Add("meeting", ehc.ErrNoMeetingDate()["meeting"])
	}
	if len(fe) > 0 {
		return fe
	}
	if t, ok := ehc.ParseMeetingTime(at.Time); ok {
		at.Time = t
	}
	return s.setMeeting(ctx, a, id, version, meeting, &at, phase)
}

func (s *Store) setMeeting(ctx context.Context, a sen.Actor, id, version int64, meeting time.Time, at *MeetingPlace, phase string) error {
	if meeting.IsZero() {
		return ehc.ErrNoMeetingDate()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if r.Version != version {
			return ehc.ErrStale("review")
		}
		p, err := s.planTx(ctx, tx, a, r.PlanID)
		if err != nil {
			return err
		}
		tr, err := s.planTransferTx(ctx, tx, a, p)
		if err != nil {
			return err
		}
		if fe := r.CheckMeetingWith(tr, meeting, s.Today()); fe != nil {
			return fe
		}
		if at == nil {
			at = &MeetingPlace{Time: r.MeetingTime, Place: r.MeetingPlace}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET meeting = $2, meeting_time = $3, meeting_place = $4, version = version + 1, updated_at = $5 WHERE id = $1`,
			id, dateArg(meeting), at.Time, at.Place, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.meeting", "ehc_review", id, r.PupilID, "meeting set")
	})
}

// AddInvitee adds someone to invite to the review.
func (s *Store) AddInvitee(ctx context.Context, a sen.Actor, reviewID int64, in ehc.Invitee) error {
	if fe := in.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, reviewID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_review_invitees (review_id, party, name, attended, email, address) VALUES ($1, $2, $3, $4, $5, $6)`,
			reviewID, in.Party, in.Name, false, in.Email, in.Address); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.invitee.add", "ehc_review", reviewID, r.PupilID, "party="+in.Party)
	})
}

// UpdateInvitee changes an invitee's party, name, e-mail and postal
// address.
func (s *Store) UpdateInvitee(ctx context.Context, a sen.Actor, inviteeID int64, in ehc.Invitee) error {
	if fe := in.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		reviewID, pupilID, err := inviteeReviewTx(ctx, tx, a, inviteeID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_review_invitees SET party = $2, name = $3, email = $4, address = $5 WHERE id = $1`,
			inviteeID, in.Party, in.Name, in.Email, in.Address); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.invitee.edit", "ehc_review", reviewID, pupilID, fmt.Sprintf("invitee=%d", inviteeID))
	})
}

// Invitee returns one invitee of a review the actor may see.
func (s *Store) Invitee(ctx context.Context, a sen.Actor, inviteeID int64) (ehc.Invitee, ehc.Review, error) {
	var in ehc.Invitee
	var r ehc.Review
	err := s.tx(ctx, func(tx *sql.Tx) error {
		reviewID, _, err := inviteeReviewTx(ctx, tx, a, inviteeID)
		if err != nil {
			return err
		}
		if r, err = s.reviewTx(ctx, tx, a, reviewID); err != nil {
			return err
		}
		for _, x := range r.Invitees {
			if x.ID == inviteeID {
				in = x
			}
		}
		return s.auditRead(ctx, tx, a, "ehc.review.read", "ehc_review", reviewID, r.PupilID, fmt.Sprintf("invitee=%d", inviteeID))
	})
	return in, r, err
}

// inviteeReviewTx is the review and pupil of an invitee of the actor's
// school (not found otherwise).
func inviteeReviewTx(ctx context.Context, tx *sql.Tx, a sen.Actor, inviteeID int64) (reviewID, pupilID int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT i.review_id, pl.pupil_id FROM ehc_review_invitees i JOIN ehc_reviews r ON r.id = i.review_id JOIN ehc_plans pl ON pl.id = r.plan_id
WHERE i.id = $1 AND pl.school_id = $2`, inviteeID, a.User.SchoolID).Scan(&reviewID, &pupilID)
	return reviewID, pupilID, notFound(err)
}

// RecordInviteeStep records that an invitation was sent, advice requested or
// advice received on date. Office staff may record invitations (letters).
// When every invitee has been invited, the review's invitations-sent date is
// the latest of them; likewise advice circulated when all advice is in
// (ehc.Review.RollUp).
func (s *Store) RecordInviteeStep(ctx context.Context, a sen.Actor, inviteeID int64, step string, date time.Time) error {
	if fe := ehc.ValidateInviteeStep(step, date, s.Today()); fe != nil {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var reviewID int64
		if err := tx.QueryRowContext(ctx, `SELECT i.review_id FROM ehc_review_invitees i JOIN ehc_reviews r ON r.id = i.review_id JOIN ehc_plans pl ON pl.id = r.plan_id
WHERE i.id = $1 AND pl.school_id = $2`, inviteeID, a.User.SchoolID).Scan(&reviewID); err != nil {
			return notFound(err)
		}
		r, err := s.reviewTx(ctx, tx, a, reviewID)
		if err != nil {
			return err
		}
		if err := s.setInviteeStepTx(ctx, tx, &r, inviteeID, step, date); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.invitee."+step, "ehc_review", reviewID, r.PupilID, fmt.Sprintf("invitee=%d", inviteeID))
	})
}

var inviteeStepCol = map[string]string{ehc.StepInvited: "invited", ehc.StepAdviceRequested: "advice_requested", ehc.StepAdviceReceived: "advice_received"}

// setInviteeStepTx writes one invitee step (a zero date clears it) and the
// review's roll-up of its invitees; the review's version moves when the
// roll-up does.
func (s *Store) setInviteeStepTx(ctx context.Context, tx *sql.Tx, r *ehc.Review, inviteeID int64, step string, date time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE ehc_review_invitees SET `+inviteeStepCol[step]+` = $2 WHERE id = $1 AND review_id = $3`, inviteeID, dateArg(date), r.ID); err != nil {
		return err
	}
	before := *r
	for i := range r.Invitees {
		if r.Invitees[i].ID != inviteeID {
			continue
		}
		switch step {
		case ehc.StepInvited:
			r.Invitees[i].Invited = date
		case ehc.StepAdviceRequested:
			r.Invitees[i].AdviceRequested = date
		case ehc.StepAdviceReceived:
			r.Invitees[i].AdviceReceived = date
		}
	}
	r.RollUp()
	if r.InvitesSent.Equal(before.InvitesSent) && r.AdviceCirculated.Equal(before.AdviceCirculated) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET invites_sent = $2, advice_circulated = $3, version = version + 1, updated_at = $4 WHERE id = $1`,
		r.ID, dateArg(r.InvitesSent), dateArg(r.AdviceCirculated), s.now())
	return err
}

// SaveReviewRecord saves the meeting record. Holding the meeting makes it
// the plan's last review (the anchor of the next 12 months).
func (s *Store) SaveReviewRecord(ctx context.Context, a sen.Actor, id int64, rec ehc.ReviewRecord) error {
	if fe := rec.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := r.CheckRecord(rec, s.Today()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET meeting_held = $2, attendance = $3, pupil_views = $4, parent_views = $5, amendments = $6, pfa = $7,
version = version + 1, updated_at = $8 WHERE id = $1`, id, rec.MeetingHeld, rec.Attendance, rec.PupilViews, rec.ParentViews, rec.Amendments, rec.PFA, s.now()); err != nil {
			return err
		}
		att := map[int64]bool{}
		for _, x := range rec.Attended {
			att[x] = true
		}
		for _, in := range r.Invitees {
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_review_invitees SET attended = $2 WHERE id = $1`, in.ID, att[in.ID]); err != nil {
				return err
			}
		}
		valid := map[int64]bool{}
		for _, g := range r.Progress {
			valid[g.OutcomeID] = true
		}
		for _, g := range rec.Progress {
			if !valid[g.OutcomeID] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM ehc_review_progress WHERE review_id = $1 AND outcome_id = $2`, id, g.OutcomeID); err != nil {
				return err
			}
			if g.Rating == "" && strings.TrimSpace(g.Note) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_review_progress (review_id, outcome_id, rating, note) VALUES ($1, $2, $3, $4)`, id, g.OutcomeID, g.Rating, g.Note); err != nil {
				return err
			}
		}
		if rec.MeetingHeld {
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET last_reviewed = $2, version = version + 1, updated_at = $3 WHERE id = $1`, r.PlanID, dateArg(r.Meeting), s.now()); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.review.record", "ehc_review", id, r.PupilID, fmt.Sprintf("held=%t", rec.MeetingHeld))
	})
}

// RecordReviewEvent records the report sent to the LA, the LA's decision
// (maintain / amend / cease), comments on proposed amendments, the amended
// plan issued, or that the cycle is complete. The engine checks the order.
func (s *Store) RecordReviewEvent(ctx context.Context, a sen.Actor, id int64, kind string, date time.Time, outcome string) error {
	if fe := ehc.ValidateReviewEvent(kind, date, outcome, s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := r.ApplyEvent(kind, date, outcome); err != nil {
			return err
		}
		var q string
		args := []any{id, dateArg(date), s.now()}
		switch kind {
		case ehc.RvReportSent:
			q = `UPDATE ehc_reviews SET report_sent = $2, version = version + 1, updated_at = $3 WHERE id = $1`
		case ehc.RvDecision:
			q = `UPDATE ehc_reviews SET decision = $2, outcome = $4, version = version + 1, updated_at = $3 WHERE id = $1`
			args = append(args, outcome)
		case ehc.RvAmendmentComments:
			q = `UPDATE ehc_reviews SET amendment_comments = $2, version = version + 1, updated_at = $3 WHERE id = $1`
		case ehc.RvAmendedIssued:
			q = `UPDATE ehc_reviews SET amended_issued = $2, version = version + 1, updated_at = $3 WHERE id = $1`
		case ehc.RvCompleted:
			q, args = `UPDATE ehc_reviews SET completed = $2, version = version + 1, updated_at = $3 WHERE id = $1`, []any{id, true, s.now()}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		if kind == ehc.RvAmendedIssued {
			// Keep the plan's date from before this review's amended plan, so
			// withdrawing the amended plan can put it back.
			if r.AmendedIssued.IsZero() {
				if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET last_amended_before = (SELECT last_amended FROM ehc_plans WHERE id = $2) WHERE id = $1`, id, r.PlanID); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET last_amended = $2, version = version + 1, updated_at = $3 WHERE id = $1`, r.PlanID, dateArg(date), s.now()); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.review."+kind, "ehc_review", id, r.PupilID, outcome)
	})
}

// CorrectReview corrects or withdraws one recorded step of a review (the
// meeting once held, an invitee's invitation or advice, the report, the LA's
// decision, the amendment comments or the amended plan) with a reason; the
// original value is kept in the review's correction history. Every date that
// follows from the step is worked out again. Withdrawing the held meeting
// puts the plan's last-reviewed date back to the review before it, and
// withdrawing the amended plan its last-amended date, unless the plan's date
// has since been changed by hand.
func (s *Store) CorrectReview(ctx context.Context, a sen.Actor, id int64, c ehc.CorrectionRequest) error {
	if fe := c.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.reviewTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		nr, cor, err := r.ApplyCorrection(c, s.Today())
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case cor.Item == ehc.ItemMeeting:
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET meeting = $2, meeting_held = $3 WHERE id = $1`, id, dateArg(nr.Meeting), nr.MeetingHeld); err != nil {
				return err
			}
			// The plan's last review, and any later cycle that runs from it.
			to := nr.Meeting
			if !nr.MeetingHeld {
				to = r.LastReview
			}
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET last_reviewed = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND last_reviewed = $2`,
				r.PlanID, dateArg(r.Meeting), dateArg(to), now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET last_review = $4, version = version + 1, updated_at = $5 WHERE plan_id = $1 AND id <> $2 AND last_review = $3`,
				r.PlanID, id, dateArg(r.Meeting), dateArg(to), now); err != nil {
				return err
			}
		case cor.Item == ehc.StepInvited || cor.Item == ehc.StepAdviceRequested || cor.Item == ehc.StepAdviceReceived:
			if err := s.setInviteeStepTx(ctx, tx, &r, cor.RefID, cor.Item, cor.New.Date); err != nil {
				return err
			}
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET report_sent = $2, decision = $3, outcome = $4, amendment_comments = $5, amended_issued = $6 WHERE id = $1`,
				id, dateArg(nr.ReportSent), dateArg(nr.Decision), nr.Outcome, dateArg(nr.AmendmentComments), dateArg(nr.AmendedIssued)); err != nil {
				return err
			}
			if cor.Item == ehc.RvAmendedIssued {
				q := `UPDATE ehc_plans SET last_amended = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND last_amended = $2`
				args := []any{r.PlanID, dateArg(r.AmendedIssued), dateArg(nr.AmendedIssued), now}
				if cor.Withdrawn {
					q = `UPDATE ehc_plans SET last_amended = (SELECT last_amended_before FROM ehc_reviews WHERE id = $3), version = version + 1, updated_at = $4 WHERE id = $1 AND last_amended = $2`
					args[2] = id
				}
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_reviews SET version = version + 1, updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return err
		}
		if err := s.insertCorrectionTx(ctx, tx, a, r.PupilID, cor); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.review.correct", "ehc_review", id, r.PupilID, correctionDetail(cor))
	})
}

// correctionDetail is a correction's audit detail: what and how, never the
// reason (free text) or a name.
func correctionDetail(c ehc.Correction) string {
	act := ehc.ActCorrect
	if c.Withdrawn {
		act = ehc.ActWithdraw
	}
	d := "item=" + c.Item + " action=" + act
	if c.RefID != 0 {
		d += fmt.Sprintf(" ref=%d", c.RefID)
	}
	return d
}

func (s *Store) insertCorrectionTx(ctx context.Context, tx *sql.Tx, a sen.Actor, pupilID int64, c ehc.Correction) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ehc_corrections (school_id, pupil_id, subject, subject_id, item, ref_id, ref_name, withdrawn,
old_date, old_code, old_note, new_date, new_code, new_note, reason, changed_by, changed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		a.User.SchoolID, pupilID, c.Subject, c.SubjectID, c.Item, c.RefID, c.RefName, c.Withdrawn,
		dateArg(c.Old.Date), c.Old.Code, c.Old.Note, dateArg(c.New.Date), c.New.Code, c.New.Note, c.Reason, a.User.ID, s.now())
	if err != nil {
		return fmt.Errorf("store: correction: %w", err)
	}
	return nil
}

// correctionsTx reads one record's correction history, oldest first.
func correctionsTx(ctx context.Context, q queryer, schoolID int64, subject string, id int64) ([]ehc.Correction, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.subject, c.subject_id, c.item, c.ref_id, c.ref_name, c.withdrawn, c.old_date, c.old_code, c.old_note,
c.new_date, c.new_code, c.new_note, c.reason, COALESCE(u.name, ''), c.changed_at
FROM ehc_corrections c LEFT JOIN users u ON u.id = c.changed_by WHERE c.school_id = $1 AND c.subject = $2 AND c.subject_id = $3 ORDER BY c.id`, schoolID, subject, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.Correction
	for rows.Next() {
		var c ehc.Correction
		var od, nd, at dbTime
		if err := rows.Scan(&c.ID, &c.Subject, &c.SubjectID, &c.Item, &c.RefID, &c.RefName, &c.Withdrawn, &od, &c.Old.Code, &c.Old.Note,
			&nd, &c.New.Code, &c.New.Note, &c.Reason, &c.By, &at); err != nil {
			return nil, err
		}
		c.Old.Date, c.New.Date, c.At = od.T, nd.T, at.T
		out = append(out, c)
	}
	return out, rows.Err()
}

// reviewsTx lists the school's reviews (for the calendar).
func (s *Store) reviewsTx(ctx context.Context, q queryer, a sen.Actor) ([]ehc.Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+reviewCols+reviewFrom+` WHERE pl.school_id = $1 AND pl.active = $3 AND `+teachesSQL("$2")+` AND `+onRollSQL+` ORDER BY r.id`,
		a.User.SchoolID, scopeUser(a), true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.Review
	for rows.Next() {
		var r ehc.Review
		if err := scanReview(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PendingInvitations lists invitations still to send, soonest meeting first.
func (s *Store) PendingInvitations(ctx context.Context, a sen.Actor) ([]ehc.PendingInvitation, error) {
	var out []ehc.PendingInvitation
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT i.id, r.id, p.forename || ' ' || p.surname, i.party, i.name, r.meeting, i.address, i.email FROM ehc_review_invitees i
JOIN ehc_reviews r ON r.id = i.review_id JOIN ehc_plans pl ON pl.id = r.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE pl.school_id = $1 AND r.meeting IS NOT NULL AND r.meeting_held = $2 AND i.invited IS NULL AND `+onRollSQL+` ORDER BY r.meeting, i.id`, a.User.SchoolID, false)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x ehc.PendingInvitation
			var m dbTime
			if err := rows.Scan(&x.InviteeID, &x.ReviewID, &x.PupilName, &x.Party, &x.Name, &m, &x.Address, &x.Email); err != nil {
				return err
			}
			x.Meeting = m.T
			// reg 20(3): at least 2 weeks' notice of the meeting.
			x.SendBy = (deadline.MeetingDeadlinesFrom(deadline.FromTime(m.T)).Invitations).Time()
			out = append(out, x)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.letters.list", "ehc_review", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}
