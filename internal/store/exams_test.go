package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"opensend/internal/exams"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// An exam candidate in Year 11 (born 2010, Year 9 from September 2024),
// in class 11A taught by the fixture's teacher.
func examPupil(t *testing.T, s *store.Store, f *storetest.Fixture) sen.Pupil {
	t.Helper()
	ctx := context.Background()
	senco := f.Actor(sen.RoleSENCO)
	p := sen.Pupil{UPN: "A201100018043", Forename: "Kai", Surname: "Mensah", DOB: d(2010, 10, 12), Sex: "M", YearGroup: "11", ClassName: "7A"}
	p.UPN = string(sen.UPNCheckLetter(p.UPN[1:])) + p.UPN[1:]
	if err := s.CreatePupil(ctx, senco, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExamAccessArrangements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher, head, other := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleHead), sen.Actor{User: f.Other}
		p := examPupil(t, s, f)
		today := s.Today() // 23 November 2026

		// Thresholds: the defaults until the school changes them; a stale version is a conflict.
		th, err := s.ExamThresholds(ctx, senco)
		if err != nil || th != exams.DefaultThresholds() {
			t.Fatalf("defaults: %+v %v", th, err)
		}
		th.LowAverage = 90
		if err := s.SaveExamThresholds(ctx, senco, &th); err != nil || th.Version != 1 {
			t.Fatalf("save thresholds: %v %+v", err, th)
		}
		stale := exams.DefaultThresholds()
		if err := s.SaveExamThresholds(ctx, senco, &stale); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale thresholds: %v", err)
		}
		bad := exams.Thresholds{BelowAverage: 84, LowAverage: 80, WellBelow: 69, Version: 1}
		var fe sen.FieldErrors
		if err := s.SaveExamThresholds(ctx, senco, &bad); !errors.As(err, &fe) || fe["low_average"] == "" {
			t.Fatalf("bad thresholds: %v", err)
		}

		// A series, its name unique in the school, and a sitting within its dates.
		jun := exams.Series{Name: "June 2027", Starts: d(2027, 5, 10), Ends: d(2027, 6, 25), Deadline: d(2027, 3, 21)}
		if err := s.SaveExamSeries(ctx, senco, &jun); err != nil {
			t.Fatal(err)
		}
		dup := jun
		dup.ID = 0
		if err := s.SaveExamSeries(ctx, senco, &dup); !errors.As(err, &fe) || fe["name"] == "" {
			t.Fatalf("duplicate series: %v", err)
		}
		jun.Deadline = d(2027, 3, 14)
		if err := s.SaveExamSeries(ctx, senco, &jun); err != nil || jun.Version != 2 {
			t.Fatalf("edit series: %v", err)
		}
		old := jun
		old.Version = 1
		if err := s.SaveExamSeries(ctx, senco, &old); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale series: %v", err)
		}
		if _, _, err := s.ExamSeriesByID(ctx, other, jun.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school's series: %v", err)
		}
		hall := exams.Sitting{SeriesID: jun.ID, Paper: "GCSE English Language Paper 1", On: d(2027, 5, 20), Session: "AM", Room: "Main hall"}
		if err := s.AddExamSitting(ctx, senco, &hall); err != nil {
			t.Fatal(err)
		}
		outside := exams.Sitting{SeriesID: jun.ID, Paper: "GCSE Maths", On: d(2027, 7, 20), Session: "AM", Room: "Main hall"}
		if err := s.AddExamSitting(ctx, senco, &outside); !errors.As(err, &fe) || fe["on"] == "" {
			t.Fatalf("sitting outside the series: %v", err)
		}

		// The candidate's details; an EHC plan cannot confirm the need without a plan.
		c := exams.Candidate{PupilID: p.ID, CandidateNumber: "0421", PictureOfNeed: "Slow to copy from the board; runs out of time in tests", ConsentOn: today}
		if err := s.SaveExamCandidate(ctx, senco, &c); err != nil || c.Version != 1 {
			t.Fatalf("candidate: %v", err)
		}
		withPlan := c
		withPlan.EHCPConfirms = true
		if err := s.SaveExamCandidate(ctx, senco, &withPlan); !errors.As(err, &fe) || fe["ehcp_confirms"] == "" {
			t.Fatalf("EHC plan without a plan: %v", err)
		}

		// The assessment: bad scores are refused field by field; good ones meet the criterion.
		as := exams.Assessment{PupilID: p.ID, AssessedOn: d(2026, 10, 5), Assessor: "Dr Jane Moss", Qualification: "CPT3A, Level 7",
			CheckedBy: "Sarah Ahmed", CheckedOn: d(2026, 10, 1),
			Scores: []exams.Score{{Test: "DASH 17+", TestedOn: d(2026, 10, 5), Area: "writing-speed", Score: 500}}}
		if err := s.SaveExamAssessment(ctx, senco, &as); !errors.As(err, &fe) || fe["scores.1.score"] == "" {
			t.Fatalf("bad score: %v", err)
		}
		as.Scores = []exams.Score{{Test: "DASH 17+ free writing", TestedOn: d(2026, 10, 5), Area: "writing-speed", Score: 79},
			{Test: "TOWRE-2", TestedOn: d(2026, 10, 5), Area: "reading-speed", Score: 90}}
		if err := s.SaveExamAssessment(ctx, senco, &as); err != nil || as.Version != 1 {
			t.Fatalf("assessment: %v", err)
		}
		staleAs := as
		staleAs.Version = 0
		if err := s.SaveExamAssessment(ctx, senco, &staleAs); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("a stale assessment: %v", err)
		}

		// Arrangements: approved through AAO needs the reference; another school cannot see them.
		et := exams.Arrangement{PupilID: p.ID, Kind: "extra-time-25", Status: exams.StatusApproved}
		if err := s.SaveExamArrangement(ctx, senco, &et); !errors.As(err, &fe) || fe["approval_ref"] == "" {
			t.Fatalf("approved without reference: %v", err)
		}
		et.Status = exams.StatusEvidence
		if err := s.SaveExamArrangement(ctx, senco, &et); err != nil {
			t.Fatal(err)
		}
		et.Status, et.ApprovalRef, et.Expires = exams.StatusApproved, "AAO-2026-7781", d(2027, 6, 1)
		if err := s.SaveExamArrangement(ctx, senco, &et); err != nil || et.Version != 2 {
			t.Fatalf("approve: %v", err)
		}
		staleA := et
		staleA.Version = 1
		if err := s.SaveExamArrangement(ctx, senco, &staleA); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale arrangement: %v", err)
		}
		if _, err := s.ExamArrangement(ctx, other, et.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school's arrangement: %v", err)
		}
		wp := exams.Arrangement{PupilID: p.ID, Kind: "word-processor", Status: exams.StatusEvidence, Room: "Room S2"}
		if err := s.SaveExamArrangement(ctx, senco, &wp); err != nil {
			t.Fatal(err)
		}

		// Normal way of working: a teacher's statement (only for a pupil they teach) and a linked strategy.
		st := exams.Normal{PupilID: p.ID, Subject: "English", Text: "Types all extended answers on a laptop in lessons and mocks", On: today}
		if err := s.AddExamStatement(ctx, teacher, &st); err != nil {
			t.Fatal(err)
		}
		if err := s.AddExamStatement(ctx, teacher, &exams.Normal{PupilID: f.NotTaught.ID, Subject: "English", Text: "x", On: today}); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("statement for an untaught pupil: %v", err)
		}
		if err := s.RecordStatus(ctx, senco, p.ID, p.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: d(2026, 9, 10), DecidedBy: "SENCO", Reason: "Needs identified"}, []sen.Need{{Rank: 1, Code: "SPLD"}}); err != nil {
			t.Fatal(err)
		}
		cycle, err := s.CreateCycle(ctx, senco, p.ID, d(2026, 9, 15), d(2026, 12, 15))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddPlanStrategy(ctx, senco, cycle, 1, 0, "Uses a laptop for extended writing"); err != nil {
			t.Fatal(err)
		}
		v, err := s.ExamCandidate(ctx, head, p.ID, "page")
		if err != nil {
			t.Fatal(err)
		}
		var strat *exams.NormalSource
		for i := range v.Sources {
			if v.Sources[i].Kind == exams.NormalStrategy {
				strat = &v.Sources[i]
			}
		}
		if strat == nil || strat.Linked {
			t.Fatalf("sources: %+v", v.Sources)
		}
		if err := s.LinkExamNormal(ctx, senco, p.ID, strat.Kind, strat.SourceID); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkExamNormal(ctx, senco, p.ID, strat.Kind, strat.SourceID); !errors.As(err, &fe) || fe["source"] == "" {
			t.Fatalf("linked twice: %v", err)
		}
		if err := s.LinkExamNormal(ctx, senco, f.InClass.ID, strat.Kind, strat.SourceID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("another pupil's record linked: %v", err)
		}

		v, err = s.ExamCandidate(ctx, senco, p.ID, "page")
		if err != nil {
			t.Fatal(err)
		}
		if v.Candidate.CandidateNumber != "0421" || v.Assessment == nil || len(v.Assessment.Scores) != 2 || len(v.Arrangements) != 2 || len(v.Normal) != 2 || v.Thresholds.LowAverage != 90 {
			t.Fatalf("view: %+v", v)
		}
		// With the school's low average of 90: writing 79 (below) and reading 90 (low) meet the criterion.
		if r := exams.ExtraTime25(v.Assessment, v.Pupil.DOB, v.Thresholds, false); !r.Met {
			t.Fatalf("criterion: %v", r.Reasons)
		}
		if _, err := s.ExamCandidate(ctx, other, p.ID, "page"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school reads the candidate: %v", err)
		}

		// The register: the reminder (expires before the end of June 2027), filters, the audit.
		reg, err := s.ExamRegister(ctx, senco, store.ExamFilter{})
		if err != nil || len(reg.Rows) != 1 || !reg.HasNext || reg.Next.ID != jun.ID {
			t.Fatalf("register: %+v %v", reg, err)
		}
		if len(reg.Reminders) != 1 || !strings.Contains(reg.Reminders[0].Text, "expires on 1 June 2027") {
			t.Fatalf("reminders: %+v", reg.Reminders)
		}
		if reg, _ := s.ExamRegister(ctx, senco, store.ExamFilter{Status: exams.StatusProposed}); len(reg.Rows) != 0 {
			t.Fatalf("status filter: %+v", reg.Rows)
		}
		if reg, _ := s.ExamRegister(ctx, senco, store.ExamFilter{Year: "10"}); len(reg.Rows) != 0 {
			t.Fatalf("year filter: %+v", reg.Rows)
		}
		if n := auditCount(t, s, "exams.register.list", 0); n != 0 {
			t.Fatalf("list audit has a pupil id: %d", n)
		}

		// The invigilators' list: both arrangements apply; the word processor puts the candidate in Room S2.
		_, _, rows, err := s.InvigilatorList(ctx, senco, hall.ID, "csv")
		if err != nil || len(rows) != 1 || rows[0].Room != "Room S2" || len(rows[0].Arrangements) != 2 || rows[0].Candidate != "0421" {
			t.Fatalf("invigilators: %+v %v", rows, err)
		}
		if _, _, _, err := s.InvigilatorList(ctx, other, hall.ID, "page"); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school's sitting: %v", err)
		}
		for _, action := range []string{"exams.candidate.save", "exams.assessment.save", "exams.arrangement.add", "exams.arrangement.edit", "exams.normal.statement", "exams.normal.link", "exams.candidate.read"} {
			if auditCount(t, s, action, p.ID) == 0 {
				t.Errorf("no audit row %s", action)
			}
		}
		var listed int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'exams.invigilators.list' AND school_id = $1`, f.SchoolID).Scan(&listed); err != nil || listed != 1 {
			t.Fatalf("invigilators audit: %d %v", listed, err)
		}
	})
}
