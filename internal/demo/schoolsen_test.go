package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The demo school's own duties: a year of training with attendees, skills,
// the SENCO doing the NPQ since taking the post in 2024, a policy with its
// next review, a published report, six accessibility actions and a few
// reasonable adjustments.
func TestDemoSchoolSEN(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	sessions, err := st.TrainingSessions(ctx, senco)
	if err != nil || len(sessions) < 6 || len(sessions[0].Attendees) == 0 {
		t.Errorf("training %d %v", len(sessions), err)
	}
	if skills, _ := st.StaffSkills(ctx, senco); len(skills) < 3 {
		t.Errorf("%d skills", len(skills))
	}
	posts, _ := st.SencoPosts(ctx, senco)
	if len(posts) != 1 || posts[0].Qual != schoolsen.QualNPQ || posts[0].TookPost.Year() != 2024 {
		t.Errorf("posts %+v", posts)
	}
	if pol, _ := st.SENPolicy(ctx, senco); len(pol.Files) != 1 || pol.NextReview.IsZero() {
		t.Errorf("policy %+v", pol)
	}
	pub, school, err := st.PublicReport(ctx, "142001")
	if err != nil || !pub.Complete() || school == "" || pub.LastReviewed.IsZero() {
		t.Errorf("public report: %v", err)
	}
	if plan, _ := st.AccessPlan(ctx, senco); len(plan.Actions) != 6 || plan.Starts.IsZero() {
		t.Errorf("accessibility plan %+v", plan)
	}
	var adj int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM reasonable_adjustments`).Scan(&adj); err != nil || adj < 2 {
		t.Errorf("%d adjustments %v", adj, err)
	}
}
