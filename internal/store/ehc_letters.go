package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

const letterSelect = `SELECT i.id, r.id, p.id, p.forename || ' ' || p.surname, i.party, i.name, r.meeting, i.advice_requested, r.meeting_time, r.meeting_place, i.email, i.address FROM ehc_review_invitees i
JOIN ehc_reviews r ON r.id = i.review_id JOIN ehc_plans pl ON pl.id = r.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE pl.school_id = $1 AND r.meeting IS NOT NULL AND `

// ReviewLetters is the letters for every invitee of a review, in the
// order they were added; none before the review has a meeting date or
// invitees. A review of another school is not found. Audited as printed.
func (s *Store) ReviewLetters(ctx context.Context, a sen.Actor, reviewID int64) ([]ehc.Letter, error) {
	var out []ehc.Letter
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var pupilID int64
		if err := tx.QueryRowContext(ctx, `SELECT pl.pupil_id FROM ehc_reviews r JOIN ehc_plans pl ON pl.id = r.plan_id WHERE r.id = $1 AND pl.school_id = $2`,
			reviewID, a.User.SchoolID).Scan(&pupilID); err != nil {
			return notFound(err)
		}
		var err error
		if out, err = lettersTx(ctx, tx, a, letterSelect+`r.id = $2 ORDER BY i.id`, reviewID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.letters.print", "ehc_review", reviewID, pupilID, fmt.Sprintf("invitees=%d", len(out)))
	})
	return out, err
}

// InviteeLetter is one invitee's letter (see ReviewLetters); an invitee
// whose review has no meeting date yet is not found.
func (s *Store) InviteeLetter(ctx context.Context, a sen.Actor, inviteeID int64) (ehc.Letter, error) {
	var l ehc.Letter
	err := s.tx(ctx, func(tx *sql.Tx) error {
		ls, err := lettersTx(ctx, tx, a, letterSelect+`i.id = $2`, inviteeID)
		if err != nil {
			return err
		}
		if len(ls) == 0 {
			return sen.ErrNotFound
		}
		l = ls[0]
		return s.auditRead(ctx, tx, a, "ehc.letters.print", "ehc_review", l.ReviewID, l.PupilID, fmt.Sprintf("invitee=%d", l.InviteeID))
	})
	return l, err
}

func lettersTx(ctx context.Context, tx *sql.Tx, a sen.Actor, q string, id int64) ([]ehc.Letter, error) {
	rows, err := tx.QueryContext(ctx, q, a.User.SchoolID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ehc.Letter
	for rows.Next() {
		var l ehc.Letter
		var m, req dbTime
		if err := rows.Scan(&l.InviteeID, &l.ReviewID, &l.PupilID, &l.PupilName, &l.Party, &l.Name, &m, &req, &l.MeetingTime, &l.MeetingPlace, &l.Email, &l.Address); err != nil {
			return nil, err
		}
		l.Meeting, l.AdviceRequested = m.T, req.T
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		sends, err := letterSendsTx(ctx, tx, `s.invitee_id = $2`, a.User.SchoolID, out[i].InviteeID)
		if err != nil {
			return nil, err
		}
		out[i].Sends = sends[out[i].InviteeID]
	}
	return out, nil
}

// letterSendsTx is the sends of the invitees that where (with $2) picks,
// by invitee, oldest first.
func letterSendsTx(ctx context.Context, tx *sql.Tx, where string, schoolID, id int64) (map[int64][]ehc.LetterSend, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.invitee_id, s.method, s.to_addr, s.sent_on FROM ehc_letter_sends s WHERE s.school_id = $1 AND `+where+` ORDER BY s.id`, schoolID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]ehc.LetterSend{}
	for rows.Next() {
		var inv int64
		var x ehc.LetterSend
		var on dbTime
		if err := rows.Scan(&inv, &x.Method, &x.To, &on); err != nil {
			return nil, err
		}
		x.On = on.T
		out[inv] = append(out[inv], x)
	}
	return out, rows.Err()
}

// EmailLetter puts an invitee's letter in the outbox (m: the composed mail
// with the letter attached, to the invitee's address) and records it as
// sent by e-mail today; the invitee's invitation is recorded as sent if it
// was not already. Re-sending is allowed and recorded again. An invitee
// with no e-mail address is ehc.ErrNoEmail. The caller hands m.ID to the
// mailer.
func (s *Store) EmailLetter(ctx context.Context, a sen.Actor, inviteeID int64, m *OutboxMail) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ls, err := lettersTx(ctx, tx, a, letterSelect+`i.id = $2`, inviteeID)
		if err != nil {
			return err
		}
		if len(ls) == 0 {
			return sen.ErrNotFound
		}
		l := ls[0]
		if l.Email == "" {
			return ehc.ErrNoEmail()
		}
		m.SchoolID, m.Kind, m.Day, m.To = a.User.SchoolID, "review-letter", s.Today(), l.Email
		if err := s.insertOutboxTx(ctx, tx, m); err != nil {
			return err
		}
		return s.letterSentTx(ctx, tx, a, l, ehc.SentByEmail, l.Email, m.ID)
	})
}

// LetterPosted records an invitee's letter as printed for post today (and
// the invitation as sent, if it was not already).
func (s *Store) LetterPosted(ctx context.Context, a sen.Actor, inviteeID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ls, err := lettersTx(ctx, tx, a, letterSelect+`i.id = $2`, inviteeID)
		if err != nil {
			return err
		}
		if len(ls) == 0 {
			return sen.ErrNotFound
		}
		return s.letterSentTx(ctx, tx, a, ls[0], ehc.SentByPost, "", 0)
	})
}

func (s *Store) letterSentTx(ctx context.Context, tx *sql.Tx, a sen.Actor, l ehc.Letter, method, to string, outboxID int64) error {
	var ob any
	if outboxID != 0 {
		ob = outboxID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_letter_sends (school_id, invitee_id, method, to_addr, outbox_id, sent_on, sent_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.User.SchoolID, l.InviteeID, method, to, ob, dateArg(s.Today()), a.User.ID, s.now()); err != nil {
		return err
	}
	r, err := s.reviewTx(ctx, tx, a, l.ReviewID)
	if err != nil {
		return err
	}
	for _, in := range r.Invitees {
		if in.ID == l.InviteeID && in.Invited.IsZero() {
			if err := s.setInviteeStepTx(ctx, tx, &r, l.InviteeID, ehc.StepInvited, s.Today()); err != nil {
				return err
			}
			// The invitation is recorded as sent, as RecordInviteeStep does.
			if err := s.audit(ctx, tx, a, "ehc.review.invitee."+ehc.StepInvited, "ehc_review", l.ReviewID, l.PupilID, fmt.Sprintf("invitee=%d", l.InviteeID)); err != nil {
				return err
			}
		}
	}
	return s.audit(ctx, tx, a, "ehc.letter."+method, "ehc_review", l.ReviewID, l.PupilID, fmt.Sprintf("invitee=%d", l.InviteeID))
}
