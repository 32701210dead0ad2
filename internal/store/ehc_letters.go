package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

const letterSelect = `SELECT i.id, r.id, p.id, p.forename || ' ' || p.surname, i.party, i.name, r.meeting, i.advice_requested FROM ehc_review_invitees i
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
		if err := rows.Scan(&l.InviteeID, &l.ReviewID, &l.PupilID, &l.PupilName, &l.Party, &l.Name, &m, &req); err != nil {
			return nil, err
		}
		l.Meeting, l.AdviceRequested = m.T, req.T
		out = append(out, l)
	}
	return out, rows.Err()
}
