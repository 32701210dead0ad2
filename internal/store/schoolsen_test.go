package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The school's own SEN duties (issue 16) on both engines: training with
// attendees and the suggestions from the register, skills, the SENCO's
// record, the policy, the report (version checks, publishing, the public
// read), the accessibility plan and a pupil's adjustments, each audited.
func TestSchoolSENDuties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		teacher := f.Actor(sen.RoleTeacher)
		other := sen.Actor{User: f.Other}
		today := s.Today()
		audits := func(action string) int {
			t.Helper()
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Three pupils with autism in 7A, which the teacher and TA teach:
		// autism training is suggested for both until the teacher attends.
		for i, name := range []string{"Ali", "Bea", "Cal"} {
			body := fmt.Sprintf("2011000180%02d", i+50)
			p := sen.Pupil{UPN: string(sen.UPNCheckLetter(body)) + body, Forename: name, Surname: "Test", DOB: time.Date(2014, 1, 2, 0, 0, 0, 0, time.UTC), Sex: "F", YearGroup: "7", ClassName: "7A"}
			if err := s.CreatePupil(ctx, senco, &p); err != nil {
				t.Fatal(err)
			}
			cur, err := s.Pupil(ctx, senco, p.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RecordStatus(ctx, senco, p.ID, cur.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: today, DecidedBy: "SENCO"}, []sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
				t.Fatal(err)
			}
		}
		needs, err := s.TrainingNeeds(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		if len(needs) != 2 || needs[0].Need != "ASD" || needs[0].Pupils != 3 {
			t.Fatalf("needs %+v, want ASD for the teacher and the TA", needs)
		}
		ss := schoolsen.Session{Topic: "Autism awareness", Date: today.AddDate(0, -1, 0), Minutes: 90, LedBy: "Outreach team", Need: "ASD",
			Attendees: []int64{f.Users[sen.RoleTeacher].ID}}
		if err := s.SaveTrainingSession(ctx, senco, &ss); err != nil {
			t.Fatal(err)
		}
		if needs, _ = s.TrainingNeeds(ctx, senco); len(needs) != 1 || needs[0].UserID != f.Users[sen.RoleTA].ID {
			t.Errorf("after training: %+v, want only the TA", needs)
		}
		mine, err := s.MyTraining(ctx, teacher)
		if err != nil || len(mine.Sessions) != 1 || len(mine.Needs) != 0 || mine.TotalMinutes() != 90 {
			t.Errorf("teacher's record %+v %v", mine, err)
		}
		// Attendees from another school are refused; a stale version conflicts.
		bad := ss
		bad.Attendees = []int64{f.Other.ID}
		var fe sen.FieldErrors
		if err := s.SaveTrainingSession(ctx, senco, &bad); !errors.As(err, &fe) || fe["attendees"] == "" {
			t.Errorf("attendee of another school: %v", err)
		}
		stale := ss
		stale.Version = 1
		ss.Topic = "Autism awareness (part 1)"
		if err := s.SaveTrainingSession(ctx, senco, &ss); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveTrainingSession(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale session save: %v, want a conflict", err)
		}
		if _, err := s.TrainingSession(ctx, other, ss.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school read a session: %v", err)
		}

		k := schoolsen.Skill{UserID: f.Users[sen.RoleTA].ID, Kind: schoolsen.KindSkill, Title: "Autism champion", Need: "ASD"}
		if err := s.AddStaffSkill(ctx, senco, &k); err != nil {
			t.Fatal(err)
		}
		if needs, _ = s.TrainingNeeds(ctx, senco); len(needs) != 0 {
			t.Errorf("skill covers the need: %+v", needs)
		}
		if err := s.RemoveStaffSkill(ctx, other, k.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school removed a skill: %v", err)
		}

		// The SENCO's record.
		sp := schoolsen.Post{UserID: f.Users[sen.RoleSENCO].ID, TookPost: time.Date(2024, 4, 15, 0, 0, 0, 0, time.UTC), Qual: schoolsen.QualNPQ, QualStarted: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)}
		if err := s.SaveSencoPost(ctx, senco, &sp); err != nil {
			t.Fatal(err)
		}
		posts, err := s.SencoPosts(ctx, senco)
		if err != nil || len(posts) != 1 || posts[0].Name != f.Users[sen.RoleSENCO].Name || !posts[0].Deadline(today).Deadline.Equal(time.Date(2027, 4, 15, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("posts %+v %v", posts, err)
		}
		sp.Version = 0
		if err := s.SaveSencoPost(ctx, senco, &sp); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale post: %v", err)
		}

		// The policy: a PDF is kept with its history; an image is refused.
		pdfDoc := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		if err := s.UploadSENPolicy(ctx, senco, "SEN policy 2025.pdf", pdfDoc, "First version"); err != nil {
			t.Fatal(err)
		}
		if err := s.UploadSENPolicy(ctx, senco, "SEN policy 2026.pdf", pdfDoc, "Annual review"); err != nil {
			t.Fatal(err)
		}
		if err := s.UploadSENPolicy(ctx, senco, "x.png", []byte("\x89PNG\r\n\x1a\n0000"), ""); !errors.As(err, &fe) || fe["file"] == "" {
			t.Errorf("image policy: %v", err)
		}
		if err := s.SetSENPolicyReview(ctx, senco, today.AddDate(0, 0, 30), 0); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSENPolicyReview(ctx, senco, today.AddDate(0, 0, 60), 0); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("second first review date: %v, want a conflict", err)
		}
		pol, err := s.SENPolicy(ctx, senco)
		if err != nil || len(pol.Files) != 2 || pol.Files[0].Filename != "SEN policy 2026.pdf" || schoolsen.ReviewDue(pol.NextReview, today) != schoolsen.DueSoon {
			t.Errorf("policy %+v %v", pol, err)
		}
		if _, err := s.SENPolicyFile(ctx, other, pol.Files[0].ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school downloaded the policy: %v", err)
		}

		// The report: pre-filled, saved with version checks, published only
		// when complete, then readable by anyone through its slug.
		rep, err := s.InfoReport(ctx, senco)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Sections) != len(schoolsen.Items) || rep.SENCOName != f.Users[sen.RoleSENCO].Name {
			t.Fatalf("report %+v", rep)
		}
		for _, sec := range rep.Sections {
			if sec.Item == "5" && (sec.Suggested == "" || !strings.Contains(sec.Suggested, "Autism awareness")) {
				t.Errorf("item 5 suggestion %q lacks the training", sec.Suggested)
			}
		}
		if err := s.PublishReport(ctx, senco, true, 0); !errors.As(err, &fe) || fe["publish"] == "" {
			t.Errorf("publishing an empty report: %v", err)
		}
		if _, _, err := s.PublicReport(ctx, "100001"); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("unpublished report read publicly: %v", err)
		}
		for _, sec := range rep.Sections {
			sec.Text = "Our words for " + sec.Heading
			if err := s.SaveReportSection(ctx, senco, &sec); err != nil {
				t.Fatal(err)
			}
		}
		old := rep.Sections[0]
		old.Text = "Overwrite"
		if err := s.SaveReportSection(ctx, senco, &old); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale section: %v, want a conflict", err)
		}
		rep, _ = s.InfoReport(ctx, senco)
		rep.LocalOfferURL, rep.SENCOContact, rep.LastReviewed = "https://la.example/local-offer", "senco@test.example", today
		if err := s.SaveReportDetails(ctx, senco, &rep); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishReport(ctx, senco, true, rep.Version); err != nil {
			t.Fatal(err)
		}
		pub, school, err := s.PublicReport(ctx, rep.Slug)
		if err != nil || school != "Test Academy" || rep.Slug != "100001" || !pub.Complete() || pub.LocalOfferURL == "" {
			t.Errorf("public report %q %q %v", rep.Slug, school, err)
		}
		if _, _, err := s.PublicReport(ctx, "999999"); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("unknown slug: %v", err)
		}
		// Another school's report gets its own slug (it has no URN: its name).
		sec := schoolsen.Section{Item: "1", Heading: "Kinds", Text: "Other words"}
		if err := s.SaveReportSection(ctx, other, &sec); err != nil {
			t.Fatal(err)
		}
		if orep, _ := s.InfoReport(ctx, other); orep.Slug != "other-school" || orep.Sections[0].Text != "Other words" {
			t.Errorf("other school's report %q %q", orep.Slug, orep.Sections[0].Text)
		}

		// The accessibility plan and an adjustment.
		if err := s.SetAccessPlanStart(ctx, senco, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), 0); err != nil {
			t.Fatal(err)
		}
		ac := schoolsen.Action{Strand: schoolsen.StrandPhysical, What: "Handrail", Owner: "Site manager", Due: today.AddDate(0, 0, -1), Progress: schoolsen.ProgressUnderway}
		if err := s.SaveAccessAction(ctx, senco, &ac); err != nil {
			t.Fatal(err)
		}
		plan, err := s.AccessPlan(ctx, senco)
		if err != nil || len(plan.Actions) != 1 || !plan.Ends().Equal(time.Date(2028, 8, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("plan %+v %v", plan, err)
		}
		rem, err := s.SchoolDutyReminders(ctx, senco)
		if err != nil || rem.LateActions != 1 || !rem.HasPolicy || !rem.Report.Published || len(rem.Posts) != 1 {
			t.Errorf("reminders %+v %v", rem, err)
		}
		j := schoolsen.Adjustment{PupilID: f.InClass.ID, Disability: "Hearing impairment", What: "Radio aid", From: today}
		if err := s.SaveAdjustment(ctx, senco, &j); err != nil {
			t.Fatal(err)
		}
		if _, list, err := s.Adjustments(ctx, senco, f.InClass.ID); err != nil || len(list) != 1 {
			t.Errorf("adjustments %v %v", list, err)
		}
		if _, _, err := s.Adjustment(ctx, other, j.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school read an adjustment: %v", err)
		}
		jj := schoolsen.Adjustment{PupilID: f.InClass.ID, Disability: "x", What: "y", From: today}
		if err := s.SaveAdjustment(ctx, other, &jj); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school added an adjustment: %v", err)
		}
		var pupilAudits int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE pupil_id = $1 AND action LIKE 'adjustment.%'`, f.InClass.ID).Scan(&pupilAudits); err != nil || pupilAudits < 2 {
			t.Errorf("adjustment audits on the pupil: %d %v", pupilAudits, err)
		}
		for _, a := range []string{"training.create", "training.update", "training.needs", "training.mine", "skills.add", "senco_post.create", "sen_policy.upload",
			"sen_policy.review_date", "sen_report.read", "sen_report.section", "sen_report.details", "sen_report.publish", "access_plan.period", "access_plan.action.add", "adjustment.add", "adjustment.list"} {
			if audits(a) == 0 {
				t.Errorf("no audit row %s", a)
			}
		}
	})
}
