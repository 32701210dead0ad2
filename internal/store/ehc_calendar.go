package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"opensend/internal/auth"
	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// StatutoryDates lists every open statutory milestone across the school's
// requests and plans, soonest first, computed by the deadline engine on
// today's date. The bulk read is audited once with purpose.
func (s *Store) StatutoryDates(ctx context.Context, a sen.Actor, purpose string) ([]ehc.CalendarEntry, error) {
	var out []ehc.CalendarEntry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = cachedView(ctx, s, tx, a, "statutory-dates", "", func() ([]ehc.CalendarEntry, error) {
			return s.statutoryDatesTx(ctx, tx, a)
		})
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.calendar.read", "calendar", 0, 0, fmt.Sprintf("purpose=%s rows=%d", truncate(purpose, 40), len(out)))
	})
	return out, err
}

// statutoryDatesTx is the open duties (ehc.OpenDuties of ehc.Duties): the
// calendar, its ICS feed, the daily digest and the home page all read it.
func (s *Store) statutoryDatesTx(ctx context.Context, tx *sql.Tx, a sen.Actor) ([]ehc.CalendarEntry, error) {
	all, err := s.dutiesTx(ctx, tx, a)
	if err != nil {
		return nil, err
	}
	return ehc.OpenDuties(all, s.Today()), nil
}

// PhaseTransfers lists pupils with a plan who transfer between phases at
// the end of this academic year or the next (a year ahead), soonest first,
// from the school's type and age range and each plan's next move. A row due
// this year has the same date as the transfer duty on the calendar.
func (s *Store) PhaseTransfers(ctx context.Context, a sen.Actor) ([]ehc.PhaseTransferRow, error) {
	var out []ehc.PhaseTransferRow
	err := s.tx(ctx, func(tx *sql.Tx) error {
		set, err := schoolSettingsTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		plans, err := s.plansTx(ctx, tx, a, false)
		if err != nil {
			return err
		}
		reviews, err := s.reviewsTx(ctx, tx, a)
		if err != nil {
			return err
		}
		moves, err := movesTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		latest := map[int64]ehc.Review{}
		for _, r := range reviews {
			latest[r.PlanID] = r // ordered by id: the last is the newest
		}
		today := deadline.FromTime(s.Today())
		for _, p := range plans {
			var mv *ehc.NextMove
			if m, ok := moves[p.ID]; ok {
				mv = &m
			}
			row := ehc.PhaseTransferRow{PlanID: p.ID, PupilID: p.PupilID, PupilName: p.PupilName, YearGroup: p.YearGroup, Move: mv}
			t, ok := ehc.PlanTransfer(p, set, mv, s.Today())
			if ok && deadline.AcademicYearStart(t.LastDay) > deadline.AcademicYearStart(today)+1 {
				ok = false // more than a year ahead
			}
			if !ok && mv == nil {
				continue
			}
			if ok {
				row.HasTransfer, row.Transfer = true, t
				row.Deadline, row.LastDay, row.DaysLeft, row.ThisYear = t.Deadline.Time(), t.LastDay.Time(), deadline.DaysBetween(today, t.LastDay), t.DueThisYear(today)
			}
			if r, ok := latest[p.ID]; ok {
				row.ReviewID, row.Meeting, row.MeetingHeld, row.Amended = r.ID, r.Meeting, r.MeetingHeld, r.AmendedIssued
			}
			out = append(out, row)
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].HasTransfer != out[j].HasTransfer {
				return out[i].HasTransfer
			}
			return out[i].LastDay.Before(out[j].LastDay)
		})
		return s.auditRead(ctx, tx, a, "ehc.transfers.read", "calendar", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// EHCFiguresFor computes the school's EHC figures. No names leave it.
func (s *Store) EHCFiguresFor(ctx context.Context, schoolID int64) (ehc.Figures, error) {
	var f ehc.Figures
	sys := sen.Actor{User: sen.User{SchoolID: schoolID, Name: "figures"}}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		td := deadline.FromTime(s.Today())
		reqs, err := s.requestsTx(ctx, tx, sys)
		if err != nil {
			return err
		}
		f.Requests = len(reqs)
		for _, r := range reqs {
			m, ok := deadline.Find(r.Milestones(), deadline.KeyAssessDecision)
			if !ok || m.Done == nil {
				continue
			}
			f.RequestsDecided++
			if st := m.Status(td); st == deadline.StatusDone {
				f.DecidedIn6Weeks++
			}
		}
		plans, err := s.plansTx(ctx, tx, sys, true)
		if err != nil {
			return err
		}
		f.Plans = len(plans)
		for _, p := range plans {
			for _, pr := range p.Provision {
				f.ProvisionLines++
				if pr.Year.Short() {
					f.ProvisionShort++
				}
			}
		}
		reviews, err := s.reviewsTx(ctx, tx, sys)
		if err != nil {
			return err
		}
		for _, r := range reviews {
			if !r.MeetingHeld {
				continue
			}
			f.ReviewsHeld++
			if m, ok := deadline.Find(deadline.ReviewMilestones(r.Facts(nil)), deadline.KeyReviewMeeting); ok && m.Status(td) == deadline.StatusDone {
				f.ReviewsHeldOnTime++
			}
		}
		entries, err := s.statutoryDatesTx(ctx, tx, sys)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Status == deadline.StatusOverdue {
				f.OverdueStatutory++
			}
			if e.Kind == ehc.KindReview && e.M.Key == deadline.KeyReviewMeeting && e.DaysLeft >= 0 && e.DaysLeft <= 90 {
				f.ReviewsDueIn90Days++
			}
		}
		return nil
	})
	return f, err
}

// --- Personal calendar (ICS) feeds ---

// NewCalendarFeed creates (or replaces, revoking the old URL) the actor's
// secret feed token. Only its SHA-256 is stored; the token is returned once.
func (s *Store) NewCalendarFeed(ctx context.Context, a sen.Actor) (string, error) {
	tok := rand.Text() + rand.Text()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE user_id = $1`, a.User.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)`, a.User.ID, auth.HashToken(tok), s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "calendar.feed.create", "user", a.User.ID, 0, "")
	})
	return tok, err
}

// RevokeCalendarFeed stops the actor's feed URL working.
func (s *Store) RevokeCalendarFeed(ctx context.Context, a sen.Actor) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE user_id = $1`, a.User.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "calendar.feed.revoke", "user", a.User.ID, 0, "")
	})
}

// Why a person's feed was turned off by someone or something other than
// themselves (the audit row's detail).
const (
	FeedRevokedDeactivated = "deactivated"
	FeedRevokedRole        = "role"
	FeedRevokedPassword    = "password"
	FeedRevokedBySENCO     = "senco"
)

// RevokeStaffCalendarFeed turns off the feed of a member of staff in the
// actor's school (the SENCO from the staff page). A person without a feed
// is left as they are and no audit row is written.
func (s *Store) RevokeStaffCalendarFeed(ctx context.Context, a sen.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			return sen.ErrNotFound
		}
		return s.revokeFeedTx(ctx, tx, a, id, FeedRevokedBySENCO)
	})
}

// revokeFeedTx deletes user id's feed inside the caller's transaction and,
// when there was one, writes the audit row saying why.
func (s *Store) revokeFeedTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64, why string) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE user_id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: revoke calendar feed: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return s.audit(ctx, tx, a, "calendar.feed.revoke.staff", "user", id, 0, "reason="+why)
}

// HasCalendarFeed reports whether member of staff id (in the actor's
// school) has a feed.
func (s *Store) HasCalendarFeed(ctx context.Context, a sen.Actor, id int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.user_id = $1 AND u.school_id = $2`, id, a.User.SchoolID).Scan(&n)
	return n > 0, err
}

// CalendarFeedCreated reports when the actor's feed was created (zero: none).
func (s *Store) CalendarFeedCreated(ctx context.Context, a sen.Actor) (time.Time, error) {
	var at dbTime
	err := s.db.QueryRowContext(ctx, `SELECT created_at FROM calendar_feeds WHERE user_id = $1`, a.User.ID).Scan(&at)
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	return at.T, err
}

// UserByFeedToken finds the active user whose feed token this is.
func (s *Store) UserByFeedToken(ctx context.Context, tok string) (sen.User, error) {
	var u sen.User
	if len(tok) < 20 || len(tok) > 200 {
		return u, sen.ErrNotFound
	}
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.school_id, u.email, u.name, u.role, u.active FROM calendar_feeds f JOIN users u ON u.id = f.user_id
WHERE f.token_hash = $1 AND u.active = $2`, auth.HashToken(tok), true).Scan(&u.ID, &u.SchoolID, &u.Email, &u.Name, &u.Role, &u.Active)
	return u, notFound(err)
}
