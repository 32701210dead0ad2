package store_test

import (
	"context"
	"testing"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestTodayTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		y8 := sen.Pupil{UPN: "A123456789012", Forename: "Cara", Surname: "Dunn", DOB: d(2013, 4, 4), Sex: "F", YearGroup: "8", ClassName: "8C"}
		if err := s.CreatePupil(ctx, senco, &y8); err != nil {
			t.Fatal(err)
		}
		// A concern about each Year 7 pupil; an EHC plan (statutory dates) for the Year 8 pupil.
		for _, p := range []sen.Pupil{f.InClass, f.NotTaught} {
			if err := s.RaiseConcern(ctx, senco, &plans.Concern{PupilID: p.ID, Noticed: "Noticed", Areas: []string{sen.AreaCL}}); err != nil {
				t.Fatal(err)
			}
		}
		withNeed(t, s, f, y8)
		if err := s.CreatePlan(ctx, senco, &ehc.Plan{PupilID: y8.ID, LAName: "Riverside", Issued: s.Today().AddDate(0, -10, 0)}); err != nil {
			t.Fatal(err)
		}

		all, err := s.TodayTasks(ctx, senco, store.TodayFilter{Within: 366})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Concerns) != 2 || len(all.Dates) == 0 {
			t.Fatalf("unfiltered: %d concerns, %d dates", len(all.Concerns), len(all.Dates))
		}
		if pl := all.Places[y8.ID]; pl.YearGroup != "8" || pl.ClassName != "8C" {
			t.Errorf("place of the Year 8 pupil: %+v", pl)
		}
		for _, tc := range []struct {
			name              string
			f                 store.TodayFilter
			concerns, withDue bool
			pupils            int
		}{
			{"year 7: the concerns, no statutory dates", store.TodayFilter{YearGroup: "7", Within: 366}, true, false, 2},
			{"class 7B: one concern", store.TodayFilter{ClassName: "7B", Within: 366}, true, false, 1},
			{"year 8: the plan's dates only", store.TodayFilter{YearGroup: "8", Within: 366}, false, true, 1},
			{"the local authority's moves: no concerns", store.TodayFilter{Owner: deadline.OwnerLA, Within: 366}, false, false, 0},
			{"nothing within a day", store.TodayFilter{YearGroup: "8", Within: 0}, false, false, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.TodayTasks(ctx, senco, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if (len(got.Concerns) > 0) != tc.concerns || (len(got.Dates) > 0) != tc.withDue {
					t.Errorf("%d concerns, %d dates", len(got.Concerns), len(got.Dates))
				}
				if tc.f.ClassName == "7B" && (len(got.Concerns) != 1 || got.Concerns[0].PupilID != f.NotTaught.ID) {
					t.Errorf("class filter: %+v", got.Concerns)
				}
				for _, e := range got.Dates {
					if tc.f.Owner != "" && e.M.Owner != tc.f.Owner {
						t.Errorf("owner filter %s kept %s", tc.f.Owner, e.M.Owner)
					}
				}
				if len(got.Places) != tc.pupils {
					t.Errorf("%d pupils listed, want %d", len(got.Places), tc.pupils)
				}
			})
		}
		// One audit row a view, with the filter, linked to the pupils listed.
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'today.list' AND user_id = $1 AND detail = 'rows=1 filter=class=7B within=366'`, senco.User.ID); n != 1 {
			t.Errorf("today audit rows for class 7B = %d, want 1", n)
		}
		if got := listedOn(t, s, senco, y8.ID, "today.list"); len(got) != 2 {
			t.Errorf("Year 8 pupil listed %d times, want 2 (unfiltered and Year 8)", len(got))
		}
		// Scoped: a teacher is shown only the pupils they teach.
		tt, err := s.TodayTasks(ctx, teacher, store.TodayFilter{Within: 366})
		if err != nil {
			t.Fatal(err)
		}
		for id := range tt.Places {
			if id != f.InClass.ID {
				t.Errorf("teacher shown pupil %d they do not teach", id)
			}
		}
	})
}

func TestMyConcerns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher, ta := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleTA)
		mine := plans.Concern{PupilID: f.InClass.ID, Noticed: "Struggles to copy from the board", Evidence: "Confidential reading scores", Areas: []string{sen.AreaCL}}
		if err := s.RaiseConcern(ctx, teacher, &mine); err != nil {
			t.Fatal(err)
		}
		if err := s.RaiseConcern(ctx, ta, &plans.Concern{PupilID: f.InClass.ID, Noticed: "TA's own", Areas: []string{sen.AreaCI}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.MyConcerns(ctx, teacher)
		if err != nil || len(got) != 1 || got[0].ID != mine.ID || !got[0].Open || got[0].Decision != "" || got[0].PupilName != "Amara Okafor" || got[0].ClassName != "7A" {
			t.Fatalf("open: %+v %v", got, err)
		}
		q, err := s.Concern(ctx, senco, mine.ID)
		if err != nil {
			t.Fatal(err)
		}
		review := s.Today().AddDate(0, 0, 42)
		if _, err := s.DecideConcern(ctx, senco, mine.ID, plans.DecisionInput{Decision: plans.Monitor, Reason: "SENCO's private note", Version: q.Version, MonitorReview: review}, ""); err != nil {
			t.Fatal(err)
		}
		got, err = s.MyConcerns(ctx, teacher)
		if err != nil || len(got) != 1 || got[0].Open || got[0].Decision != plans.Monitor || got[0].DecidedAt.IsZero() || !got[0].MonitorReview.Equal(review) {
			t.Fatalf("decided: %+v %v", got, err)
		}
		// The SENCO raised none; each view is audited and linked to the pupils.
		if got, err := s.MyConcerns(ctx, senco); err != nil || len(got) != 0 {
			t.Fatalf("senco: %+v %v", got, err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'concern.mine' AND user_id = $1 AND detail = 'rows=1'`, teacher.User.ID); n != 2 {
			t.Errorf("teacher's views audited %d times, want 2", n)
		}
		if got := listedOn(t, s, senco, f.InClass.ID, "concern.mine"); len(got) != 2 {
			t.Errorf("pupil's trail shows %d listings, want 2", len(got))
		}
	})
}

func TestSectionEOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		for _, p := range []sen.Pupil{f.InClass, f.NotTaught} {
			withNeed(t, s, f, p)
			pl := &ehc.Plan{PupilID: p.ID, LAName: "Riverside", Issued: d(2026, 3, 2)}
			if err := s.CreatePlan(ctx, senco, pl); err != nil {
				t.Fatal(err)
			}
			if err := s.AddOutcome(ctx, senco, pl.ID, ehc.Outcome{Text: "Reads a short text aloud to a partner", ByWhen: "End of Key Stage 3"}); err != nil {
				t.Fatal(err)
			}
		}
		ids := []int64{f.InClass.ID, f.NotTaught.ID}
		got, err := s.SectionEOutcomes(ctx, teacher, ids)
		if err != nil || len(got) != 1 || len(got[f.InClass.ID]) != 1 || got[f.InClass.ID][0].ByWhen != "End of Key Stage 3" {
			t.Fatalf("teacher: %+v %v", got, err)
		}
		if got, err := s.SectionEOutcomes(ctx, senco, ids); err != nil || len(got) != 2 {
			t.Fatalf("senco: %+v %v", got, err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'mypupils.guidance' AND user_id = $1 AND detail = 'rows=1'`, teacher.User.ID); n != 1 {
			t.Errorf("teacher's read audited %d times, want 1", n)
		}
		if got := listedOn(t, s, senco, f.NotTaught.ID, "mypupils.guidance"); len(got) != 1 || got[0].UserName != senco.User.Name {
			t.Errorf("untaught pupil's trail: %+v", got)
		}
		if got, err := s.SectionEOutcomes(ctx, teacher, nil); err != nil || len(got) != 0 {
			t.Fatalf("no pupils: %+v %v", got, err)
		}
	})
}
