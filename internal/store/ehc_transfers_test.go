package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The school's type and age range, a pupil's next move and an unopposed
// appeal decide the duties every view shows (reg 18, reg 45). Both engines.
func TestSchoolTypeNextMoveAndUnopposedAppeal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		office := f.Actor(sen.RoleOffice)
		audits := func(action string) int {
			t.Helper()
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		transferOf := func(pupil int64) []ehc.CalendarEntry {
			t.Helper()
			cal, err := s.StatutoryDates(ctx, senco, "test")
			if err != nil {
				t.Fatal(err)
			}
			var out []ehc.CalendarEntry
			for _, e := range cal {
				if e.PupilID == pupil && e.Kind == ehc.KindTransfer {
					out = append(out, e)
				}
			}
			return out
		}

		set, err := s.SchoolSettings(ctx, senco)
		if err != nil || set.Type != "secondary" || set.Lowest != "7" || set.Highest != "11" {
			t.Fatalf("fixture settings %+v, %v", set, err)
		}
		fieldErr(t, s.SaveSchoolSettings(ctx, office, ehc.SchoolSettings{Type: "grammar", Lowest: "7", Highest: "13"}), "schoolType")
		if err := s.SaveSchoolSettings(ctx, office, ehc.SchoolSettings{Type: "secondary-with-sixth-form", Lowest: "7", Highest: "13", Version: set.Version}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSchoolSettings(ctx, senco, ehc.SchoolSettings{Type: "secondary", Lowest: "7", Highest: "11", Version: set.Version}); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("a stale save: %v, want a conflict", err)
		}
		if sc, _ := s.School(ctx, f.SchoolID); sc.Phase != "secondary-with-sixth-form" || audits("school.settings") != 1 {
			t.Fatalf("school phase %q, %d audit rows", sc.Phase, audits("school.settings"))
		}

		// A Year 11 pupil with a plan at a school with a sixth form: the
		// 31 March transfer is conditional until the move is recorded.
		y11 := sen.Pupil{Forename: "Cara", Surname: "Dunn", DOB: d(2010, 10, 1), Sex: "F", YearGroup: "11", ClassName: "11A"}
		y11.UPN = "820120001001"
		y11.UPN = string(sen.UPNCheckLetter(y11.UPN)) + y11.UPN
		if err := s.CreatePupil(ctx, senco, &y11); err != nil {
			t.Fatal(err)
		}
		withNeed(t, s, f, y11)
		p := &ehc.Plan{PupilID: y11.ID, LAName: "Riverside", Issued: d(2026, 6, 2)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		tr := transferOf(y11.ID)
		if len(tr) != 1 || !tr[0].Due.Equal(d(2027, 3, 30)) || tr[0].Record != ehc.RecordPlan {
			t.Fatalf("conditional transfer %+v", tr)
		}

		// Staying into the sixth form: no transfer, and a meeting after
		// 30 March is now allowed (the limit is the 12-month date).
		if err := s.SaveNextMove(ctx, senco, ehc.NextMove{PlanID: p.ID, Choice: ehc.MoveStaying}); err != nil {
			t.Fatal(err)
		}
		if tr := transferOf(y11.ID); len(tr) != 0 {
			t.Fatalf("staying still has a transfer %+v", tr)
		}
		if err := s.SaveNextMove(ctx, senco, ehc.NextMove{PlanID: p.ID, Choice: ehc.MoveLeaving, ToType: "further-education"}); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("a second first record: %v, want a conflict", err)
		}
		rows, err := s.PhaseTransfers(ctx, senco)
		if err != nil || len(rows) != 1 || rows[0].HasTransfer || rows[0].Move == nil || rows[0].Move.Choice != ehc.MoveStaying {
			t.Fatalf("transfer rows %+v, %v", rows, err)
		}
		rid, err := s.StartReview(ctx, senco, p.ID, d(2027, 4, 20), "")
		if err != nil {
			t.Fatalf("a meeting in April for a pupil staying: %v", err)
		}

		// Leaving for college: the duty is back, definite, on the review in
		// progress; an April meeting is now late and warned about.
		fieldErr(t, s.SaveNextMove(ctx, senco, ehc.NextMove{PlanID: p.ID, Choice: ehc.MoveLeaving, Version: 1}), "toType")
		if err := s.SaveNextMove(ctx, senco, ehc.NextMove{PlanID: p.ID, Choice: ehc.MoveLeaving, ToType: "further-education", ToName: "Riverside College", Version: 1}); err != nil {
			t.Fatal(err)
		}
		tr = transferOf(y11.ID)
		if len(tr) != 1 || tr[0].Record != ehc.RecordPlan || tr[0].RefID != p.ID || tr[0].Href != fmt.Sprintf("/ehc/reviews/%d", rid) || !tr[0].Due.Equal(d(2027, 3, 30)) || tr[0].M.Label == "" {
			t.Fatalf("leaving transfer %+v", tr)
		}
		rv, err := s.Review(ctx, senco, rid)
		if err != nil {
			t.Fatal(err)
		}
		// A meeting after the transfer's meeting limit is accepted (a late
		// review can still be held) and warned about on the review page.
		if err := s.RescheduleMeeting(ctx, senco, rid, rv.Version, d(2027, 4, 21), ""); err != nil {
			t.Fatalf("a late meeting for a pupil leaving: %v", err)
		}
		rv, err = s.Review(ctx, senco, rid)
		if err != nil {
			t.Fatal(err)
		}
		if w := ehc.MeetingWarnings(rv.Facts(transferCarried(t, s, senco, p.ID, rid)), d(2026, 11, 23)); !containsText(w, "phase-transfer deadline") {
			t.Fatalf("no warning for a meeting after the transfer's limit: %q", w)
		}
		pd, err := s.Duties(ctx, senco, p.ID)
		if err != nil || pd.Transfer == nil || pd.Move == nil || pd.Move.ToName != "Riverside College" {
			t.Fatalf("plan duties %+v, %v", pd, err)
		}
		if _, ok := deadline.Find(ehc.OnPage(pd.All, fmt.Sprintf("/ehc/reviews/%d", rid)), deadline.KeyPhaseTransfer); !ok {
			t.Fatal("the review page's milestones miss the transfer")
		}
		if audits("ehc.move.save") != 2 { // the refused saves write none
			t.Fatalf("%d move audit rows", audits("ehc.move.save"))
		}

		// An unopposed appeal on the plan: the amended plan within 5 weeks.
		_, err = s.AddUnopposedAppeal(ctx, senco, ehc.UnopposedAppeal{PlanID: p.ID, Notified: d(2026, 11, 30)})
		fieldErr(t, err, "notified") // after today (23 November 2026)
		if _, err := s.AddUnopposedAppeal(ctx, senco, ehc.UnopposedAppeal{PlanID: p.ID, Notified: d(2026, 11, 2)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddUnopposedAppeal(ctx, senco, ehc.UnopposedAppeal{PlanID: 999999, Notified: d(2026, 11, 2)}); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("another school's plan: %v", err)
		}
		cal, _ := s.StatutoryDates(ctx, senco, "test")
		var found bool
		for _, e := range cal {
			if e.Kind == ehc.KindAppeal && e.PupilID == y11.ID && e.M.Key == deadline.KeyUnopposedAmendedPlan && e.Due.Equal(d(2026, 12, 7)) {
				found = true
			}
		}
		if !found || audits("ehc.unopposed.add") != 1 {
			t.Fatalf("unopposed appeal not on the calendar (%d audit rows)", audits("ehc.unopposed.add"))
		}
	})
}

// transferCarried is the transfer the review rid carries, from the one
// source of duties (as the review page reads it).
func transferCarried(t *testing.T, s *store.Store, a sen.Actor, planID, rid int64) *deadline.Transfer {
	t.Helper()
	pd, err := s.Duties(context.Background(), a, planID)
	if err != nil {
		t.Fatal(err)
	}
	return ehc.CarriedTransfer(ehc.OnPage(pd.All, fmt.Sprintf("/ehc/reviews/%d", rid)), pd.Transfer)
}

func containsText(list []string, part string) bool {
	for _, s := range list {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}
