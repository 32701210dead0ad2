package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"opensend/internal/exams"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// seedExams records JCQ exam access arrangements for a few Year 11
// candidates, in a secondary demo school only (JCQ arrangements are for
// GCSE and other qualifications; the fact sheet has no list of key stage 2
// test arrangements, so a primary demo school gets none). It uses no random
// numbers, so the rest of the demo stays the same. The series' dates are the
// demo school's own typing (the AAO deadlines are unconfirmed, fact sheet
// §6.6): a real school types them from the current AARA.
func seedExams(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, _ *rand.Rand) error {
	if !res.Options.Secondary {
		return nil
	}
	today := st.Today()
	y := today.Year()
	if today.Month() >= time.July {
		y++ // the summer series of the next school year
	}
	d := func(m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	june := exams.Series{Name: fmt.Sprintf("June %d", y), Starts: d(time.May, 11), Ends: d(time.June, 24), Deadline: d(time.March, 21), ModifiedPapers: d(time.January, 21)}
	if err := st.SaveExamSeries(ctx, senco, &june); err != nil {
		return fmt.Errorf("demo: exam series: %w", err)
	}
	for _, sit := range []exams.Sitting{
		{Paper: "GCSE English Language Paper 1", On: d(time.May, 20), Session: "AM", Room: "Main hall"},
		{Paper: "GCSE Mathematics Paper 1 (Higher)", On: d(time.May, 14), Session: "AM", Room: "Main hall"},
		{Paper: "GCSE History Paper 1", On: d(time.June, 3), Session: "PM", Room: "Sports hall"},
	} {
		sit.SeriesID = june.ID
		if err := st.AddExamSitting(ctx, senco, &sit); err != nil {
			return fmt.Errorf("demo: exam sitting: %w", err)
		}
	}
	var year11 []sen.Pupil
	for _, p := range res.Pupils {
		if p.YearGroup == "11" && p.Status != sen.StatusNone {
			year11 = append(year11, p)
		}
	}
	assessed := today.AddDate(0, -2, 0)
	type candidate struct {
		scores       [][2]any // area, score
		arrangements []exams.Arrangement
		need         string
		statement    string
	}
	plans := []candidate{
		{scores: [][2]any{{"reading-speed", 78}, {"writing-speed", 81}, {"cognitive-speed", 92}, {"reading-comprehension", 95}},
			arrangements: []exams.Arrangement{{Kind: "extra-time-25", Status: exams.StatusApproved, ApprovalRef: "AAO-20261104-0042", Expires: today.AddDate(2, 0, 0)},
				{Kind: "reader", Status: exams.StatusApproved, ApprovalRef: "AAO-20261104-0043", Expires: today.AddDate(2, 0, 0), Room: "Room S2"}},
			need: "Reads slowly and tires quickly; in mocks leaves the last questions unanswered.", statement: "Uses the 25% extra time in every mock; finishes the paper with it."},
		{scores: [][2]any{{"writing-speed", 83}, {"cognitive-speed", 87}},
			arrangements: []exams.Arrangement{{Kind: "extra-time-25", Status: exams.StatusEvidence}, {Kind: "word-processor", Status: exams.StatusEvidence, Room: "ICT suite"}},
			need:         "Handwriting is slow and hard to read under time pressure.", statement: "Types all extended writing in English and History lessons."},
		{scores: [][2]any{{"reading-speed", 91}, {"writing-speed", 86}},
			arrangements: []exams.Arrangement{{Kind: "rest-breaks", Status: exams.StatusProposed}, {Kind: "separate-invigilation", Status: exams.StatusProposed, Room: "Room S2"}},
			need:         "High anxiety in the exam hall; has left two mocks early.", statement: "Takes short supervised breaks in tests and settles better in a small room."},
		{arrangements: []exams.Arrangement{{Kind: "extra-time-25", Status: exams.StatusApproved, ApprovalRef: "AAO-20250611-0191", Expires: d(time.May, 31)}},
			need: "Processing speed difficulties noted in the EHC plan."},
	}
	for i, p := range year11 {
		if i >= len(plans) {
			break
		}
		c := plans[i]
		cand := exams.Candidate{PupilID: p.ID, CandidateNumber: fmt.Sprintf("%04d", 101+i), PictureOfNeed: c.need, ConsentOn: assessed.AddDate(0, 0, -7)}
		if err := st.SaveExamCandidate(ctx, senco, &cand); err != nil {
			return fmt.Errorf("demo: exam candidate: %w", err)
		}
		if len(c.scores) > 0 {
			a := exams.Assessment{PupilID: p.ID, AssessedOn: assessed, Assessor: "Dr Helen Ward", Qualification: "Level 7 Certificate in Psychometric Testing, Assessment and Access Arrangements (CPT3A)",
				CheckedBy: senco.User.Name, CheckedOn: assessed.AddDate(0, 0, -14)}
			tests := map[string]string{"reading-speed": "TOWRE-2", "writing-speed": "DASH 17+ free writing", "cognitive-speed": "SDMT", "reading-comprehension": "YARC"}
			for _, sc := range c.scores {
				a.Scores = append(a.Scores, exams.Score{Test: tests[sc[0].(string)], TestedOn: assessed, Area: sc[0].(string), Score: sc[1].(int)})
			}
			if err := st.SaveExamAssessment(ctx, senco, &a); err != nil {
				return fmt.Errorf("demo: exam assessment: %w", err)
			}
		}
		for _, x := range c.arrangements {
			x.PupilID = p.ID
			if err := st.SaveExamArrangement(ctx, senco, &x); err != nil {
				return fmt.Errorf("demo: exam arrangement: %w", err)
			}
		}
		if c.statement != "" {
			teacher := senco
			if ts := res.Users[sen.RoleTeacher]; len(ts) > 0 {
				teacher = sen.Actor{User: ts[len(ts)-1], IP: senco.IP}
			}
			n := exams.Normal{PupilID: p.ID, Subject: "English", Text: c.statement, On: today.AddDate(0, 0, -21)}
			if err := st.AddExamStatement(ctx, teacher, &n); err != nil {
				// The teacher may not teach this pupil: the SENCO records it.
				if err := st.AddExamStatement(ctx, senco, &n); err != nil {
					return fmt.Errorf("demo: exam statement: %w", err)
				}
			}
		}
	}
	return nil
}
