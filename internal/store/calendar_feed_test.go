package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// A person's calendar feed stops working when they are deactivated, move to
// a role without the feed, or have their password reset or changed, and the
// SENCO can turn anyone's feed off; each revocation is audited with why.
// Both engines.
func TestCalendarFeedRevokedWithAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		head := f.Actor(sen.RoleHead)
		deputy := f.Actor(sen.RoleDeputy)
		audits := func(id int64, reason string) int {
			t.Helper()
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.feed.revoke.staff' AND entity_id = $1 AND detail = $2`, id, "reason="+reason).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		works := func(tok string) bool {
			t.Helper()
			_, err := s.UserByFeedToken(ctx, tok)
			if err != nil && !errors.Is(err, sen.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}
		newFeed := func(a sen.Actor) string {
			t.Helper()
			tok, err := s.NewCalendarFeed(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if !works(tok) {
				t.Fatal("new feed does not work")
			}
			if has, err := s.HasCalendarFeed(ctx, a, a.User.ID); err != nil || !has {
				t.Fatalf("HasCalendarFeed = %v, %v", has, err)
			}
			return tok
		}

		// Deactivated, then active again: the old URL stays dead.
		tok := newFeed(head)
		if err := s.UpdateStaff(ctx, senco, head.User.ID, head.User.Name, sen.RoleHead, false); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateStaff(ctx, senco, head.User.ID, head.User.Name, sen.RoleHead, true); err != nil {
			t.Fatal(err)
		}
		if works(tok) || audits(head.User.ID, store.FeedRevokedDeactivated) != 1 {
			t.Fatalf("after deactivation: works=%v audits=%d", works(tok), audits(head.User.ID, store.FeedRevokedDeactivated))
		}
		if has, _ := s.HasCalendarFeed(ctx, senco, head.User.ID); has {
			t.Fatal("HasCalendarFeed after revocation")
		}

		// A role that keeps the feed keeps it; one without it loses it.
		tok = newFeed(head)
		if err := s.UpdateStaff(ctx, senco, head.User.ID, "Renamed Head", sen.RoleDeputy, true); err != nil {
			t.Fatal(err)
		}
		if !works(tok) {
			t.Fatal("feed lost on a move to a role that has the calendar")
		}
		if err := s.UpdateStaff(ctx, senco, head.User.ID, "Renamed Head", sen.RoleTeacher, true); err != nil {
			t.Fatal(err)
		}
		if works(tok) || audits(head.User.ID, store.FeedRevokedRole) != 1 {
			t.Fatal("feed kept after a move to a role without the calendar")
		}

		// A password reset by the SENCO, and the person's own change.
		tok = newFeed(deputy)
		if err := s.SetPassword(ctx, senco, deputy.User.ID, "y", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if works(tok) || audits(deputy.User.ID, store.FeedRevokedPassword) != 1 {
			t.Fatal("feed kept after a password reset")
		}
		tok = newFeed(deputy)
		if err := s.SetPassword(ctx, deputy, deputy.User.ID, "z", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if works(tok) || audits(deputy.User.ID, store.FeedRevokedPassword) != 2 {
			t.Fatal("feed kept after a password change")
		}

		// The SENCO turns a feed off; without a feed nothing is audited;
		// another school's account is not found.
		tok = newFeed(deputy)
		if err := s.RevokeStaffCalendarFeed(ctx, senco, deputy.User.ID); err != nil {
			t.Fatal(err)
		}
		if works(tok) || audits(deputy.User.ID, store.FeedRevokedBySENCO) != 1 {
			t.Fatal("feed kept after the SENCO turned it off")
		}
		if err := s.RevokeStaffCalendarFeed(ctx, senco, deputy.User.ID); err != nil || audits(deputy.User.ID, store.FeedRevokedBySENCO) != 1 {
			t.Fatalf("second revoke: %v, audits %d", err, audits(deputy.User.ID, store.FeedRevokedBySENCO))
		}
		other := sen.Actor{User: f.Other}
		otok := newFeed(other)
		if err := s.RevokeStaffCalendarFeed(ctx, senco, f.Other.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school's feed: %v", err)
		}
		if !works(otok) {
			t.Fatal("another school's feed was revoked")
		}
		if has, _ := s.HasCalendarFeed(ctx, senco, f.Other.ID); has {
			t.Fatal("HasCalendarFeed sees another school")
		}
	})
}
