package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// EHC demo data (issue 5): requests at different stages (one overdue, one
// with a statutory exception, one refused), about 12 plans with Sections
// B/E/F, Section F delivery records (some lines falling short), and annual
// reviews (one coming up, one held and awaiting the LA, one overdue).

// atClock runs fn with the store's clock set to t, so past events can be
// recorded through the same validated store methods as live ones.
func atClock(st *store.Store, t time.Time, fn func() error) error {
	saved := st.Now
	st.Now = func() time.Time { return t }
	defer func() { st.Now = saved }()
	return fn()
}

func seedEHC(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, rng *rand.Rand) error {
	today := st.Today()
	sc, err := st.School(ctx, res.SchoolID)
	if err != nil {
		return err
	}
	if err := demoLetterhead(ctx, st, senco); err != nil {
		return fmt.Errorf("demo letterhead: %w", err)
	}
	groups, err := st.Groups(ctx, senco)
	if err != nil {
		return err
	}
	staffOf := map[string][]sen.User{} // class -> teacher and TA
	for _, g := range groups {
		staffOf[g.Name] = g.Staff
	}
	var withE, withK []sen.Pupil
	for _, p := range res.Pupils {
		switch p.Status {
		case sen.StatusEHCP:
			withE = append(withE, p)
		case sen.StatusSupport:
			withK = append(withK, p)
		}
	}
	// About 12 plans: every pupil already E, topped up from SEN support.
	planned := append([]sen.Pupil(nil), withE...)
	k := 0
	target := 12
	if res.Options.History {
		target = 120 // benchmarks: a large secondary school's EHC caseload
	}
	for len(planned) < target && k < len(withK) {
		// NSA (no specialist assessment) is for SEN support only
		// (sen.NeedRules): a pupil whose need was never assessed is not
		// given an EHC plan.
		if !hasNeed(withK[k], "NSA") {
			planned = append(planned, withK[k])
		}
		k++
	}
	requestPupils := withK[k:]

	las := []string{"Riverside Council", "Northbrook County Council"}
	officers := []string{"Helen Marsh", "Tom Okoro", "Sarah Lin"}
	// Section E outcomes follow the areas of need in Section B.
	outcomeTexts := map[string][]string{
		sen.AreaCI: {"By the end of the key stage, will follow a two-step instruction in class without adult repetition.",
			"Will take part in a small-group activity for 15 minutes, taking turns.",
			"Will tell an adult what they need using words, signs or symbols."},
		sen.AreaCL: {"Will read a book at their level with 90% accuracy and talk about what happened.",
			"Will write a simple sentence independently using a writing frame.",
			"Will use number facts to 20 to solve everyday problems."},
		sen.AreaSEMH: {"Will use a calm-down strategy independently when anxious, on most days.",
			"Will stay in class for whole lessons on four days out of five."},
		sen.AreaSP: {"Will use their specialist equipment independently in every lesson.",
			"Will move around the school site safely and on time, without adult help."},
	}
	provisionTexts := []struct {
		what       string
		sessions   int
		minutes    int
		by         string
		useTeacher bool
	}{
		{"Speech and language therapy programme, set by the NHS therapist", 3, 20, "Teaching assistant trained by the therapist", false},
		{"Precision teaching for reading", 5, 10, "Teaching assistant", false},
		{"Small-group social communication (Lego therapy)", 1, 45, "Teaching assistant", false},
		{"Emotional literacy support (ELSA)", 1, 30, "ELSA-trained teaching assistant", false},
		{"Pre-teaching of maths vocabulary", 2, 15, "Class teacher", true},
		{"Fine motor skills programme", 3, 15, "Teaching assistant", false},
	}

	var planIDs []int64
	for i, p := range planned {
		issued := p.StatusFrom
		if issued.IsZero() || issued.After(today) {
			issued = today.AddDate(0, -3, 0)
		}
		if res.Options.History {
			// Benchmarks: plans issued across the last five years.
			issued = today.AddDate(0, 0, -30-rng.IntN(5*365))
		}
		// Spread the reviews: some plans were reviewed last year.
		var lastReviewed time.Time
		if i%3 == 1 && issued.Before(today.AddDate(-1, 0, 0)) {
			lastReviewed = today.AddDate(0, -11, -rng.IntN(20))
			if lastReviewed.Before(issued) {
				lastReviewed = time.Time{}
			}
		}
		plan := &ehc.Plan{PupilID: p.ID, LAName: las[i%len(las)], CaseOfficer: officers[i%len(officers)], Issued: issued, LastReviewed: lastReviewed,
			Placement: sc.Name + " (mainstream " + sc.Phase + " school)"}
		if err := st.CreatePlan(ctx, senco, plan); err != nil {
			return fmt.Errorf("demo plan: %w", err)
		}
		planIDs = append(planIDs, plan.ID)
		// Section B: one entry per census need (ranks 1 and 2), under the
		// register's broad area of that need, in words for the need itself
		// (needs outside the four areas, such as Down syndrome, are
		// described under cognition and learning).
		var areas []string
		for _, n := range sen.CensusNeeds(p.Needs) {
			area := sen.NeedArea(n.Code)
			if area == sen.AreaNone {
				area = sen.AreaCL
			}
			if err := st.AddPlanNeed(ctx, senco, plan.ID, ehc.Need{Area: area, Text: sectionBText(n.Code)}); err != nil {
				return err
			}
			areas = append(areas, area)
		}
		if len(areas) == 0 {
			areas = []string{sen.AreaCL}
		}
		for j := 0; j < 2; j++ {
			texts := outcomeTexts[areas[j%len(areas)]]
			if err := st.AddOutcome(ctx, senco, plan.ID, ehc.Outcome{Text: texts[(i+j)%len(texts)], ByWhen: "July " + fmt.Sprint(today.Year()+1)}); err != nil {
				return err
			}
		}
		staff := staffOf[p.ClassName]
		var ta, teacher sen.User
		for _, u := range staff {
			switch u.Role {
			case sen.RoleTA:
				ta = u
			case sen.RoleTeacher:
				teacher = u
			}
		}
		nLines := 2 + i%2
		for j := 0; j < nLines; j++ {
			pt := provisionTexts[(i*2+j)%len(provisionTexts)]
			who := ta
			if pt.useTeacher {
				who = teacher
			}
			if err := st.AddProvision(ctx, senco, plan.ID, ehc.Provision{Description: pt.what, SessionsPerWeek: pt.sessions, Minutes: pt.minutes, DeliveredBy: pt.by, StaffUserID: who.ID}); err != nil {
				return err
			}
		}
		full, err := st.Plan(ctx, senco, plan.ID)
		if err != nil {
			return err
		}
		// Delivery this academic year: most lines well delivered, every
		// fourth plan's first line falling well short.
		yFrom, _ := ehc.AcademicYear(today)
		hols := typicalHolidays(yFrom.Year())
		start := yFrom
		if issued.After(start) {
			start = issued
		}
		for li, pr := range full.Provision {
			rate := 0.92
			if i%4 == 0 && li == 0 {
				rate = 0.45
			}
			by := "Class team"
			if pr.StaffName != "" {
				by = pr.StaffName
			}
			for d := start; !d.After(today); d = d.AddDate(0, 0, 1) {
				wd := d.Weekday()
				if wd == time.Saturday || wd == time.Sunday {
					continue
				}
				// Spread the sessions across the week.
				if rng.Float64() > float64(pr.SessionsPerWeek)/5 {
					continue
				}
				del := ehc.Delivery{Date: d, Minutes: pr.Minutes, DeliveredBy: by}
				if rng.Float64() > rate {
					del = ehc.Delivery{Date: d, Missed: true, MissedReason: []string{"Pupil absent", "TA covering another class", "School trip", "Assessment week"}[rng.IntN(4)]}
				}
				// No sessions in the school's holidays (the same draws
				// are made, so the rest of the demo stays the same).
				if store.SchoolDays(d, d, hols) == 0 {
					continue
				}
				if err := st.RecordDelivery(ctx, senco, pr.ID, del); err != nil {
					return fmt.Errorf("demo delivery: %w", err)
				}
			}
		}
	}

	// Annual reviews on three plans.
	if len(planIDs) >= 3 {
		// 1. Coming up: meeting in three weeks, invitations partly sent.
		if err := demoUpcomingReview(ctx, st, senco, planIDs[0], today, sc.Phase); err != nil {
			return err
		}
		// 2. Held five weeks ago, report sent, waiting for the LA's decision:
		// on the first other plan old enough to have had a review then.
		for _, id := range planIDs[1:] {
			held, err := demoHeldReview(ctx, st, senco, id, today, sc.Phase)
			if err != nil {
				return err
			}
			if held {
				break
			}
		}
	}

	// Requests for an EHC needs assessment at different stages.
	if len(requestPupils) < 4 {
		return nil
	}
	type step struct {
		kind    string
		daysAgo int
		outcome string
	}
	reqs := []struct {
		by       string
		received int // days ago
		steps    []step
		except   *ehc.RequestException
	}{
		{"parent", 18, nil, nil}, // 6-week decision upcoming
		{"school", 52, nil, nil}, // no decision after 7 weeks: overdue
		{"school", 100, []step{{ehc.EvAssessDecision, 62, "assess"}, {ehc.EvAdviceRequested, 60, ""}, {ehc.EvAdviceReturned, 50, ""}, {ehc.EvDraftServed, 6, ""}},
			&ehc.RequestException{Milestone: deadline.KeyFinalPlan, Reason: string(deadline.ExceptionSchoolClosure), Note: "School advice was requested one week before the summer closure"}},
		{"health", 70, []step{{ehc.EvAssessDecision, 30, "refuse"}}, nil}, // refused: appeal window open
	}
	for i, rq := range reqs {
		p := requestPupils[i]
		received := today.AddDate(0, 0, -rq.received)
		r := &ehc.Request{PupilID: p.ID, RequestedBy: rq.by, Received: received, LAName: las[i%len(las)]}
		if err := st.CreateRequest(ctx, senco, r); err != nil {
			return fmt.Errorf("demo request: %w", err)
		}
		for _, s := range rq.steps {
			if err := st.RecordRequestEvent(ctx, senco, r.ID, ehc.RequestEvent{Kind: s.kind, Date: today.AddDate(0, 0, -s.daysAgo), Outcome: s.outcome}); err != nil {
				return fmt.Errorf("demo request event %s: %w", s.kind, err)
			}
		}
		if rq.except != nil {
			if err := st.RecordException(ctx, senco, r.ID, *rq.except); err != nil {
				return fmt.Errorf("demo exception: %w", err)
			}
		}
	}
	return nil
}

func demoUpcomingReview(ctx context.Context, st *store.Store, senco sen.Actor, planID int64, today time.Time, phase string) error {
	p, err := st.Plan(ctx, senco, planID)
	if err != nil {
		return err
	}
	limit := (deadline.ReviewFacts{PlanIssued: deadline.FromTime(p.Issued), LastReview: deadline.FromTimePtr(p.LastReviewed),
		Transfer: ehc.TransferFor(p.YearGroup, phase, today)}.MeetingLimit()).Time()
	meeting := today.AddDate(0, 0, 21)
	if meeting.After(limit) {
		meeting = time.Time{} // review already late: leave the date for the SENCO to set
	}
	id, err := st.StartReview(ctx, senco, planID, meeting, phase)
	if err != nil {
		return fmt.Errorf("demo review: %w", err)
	}
	for _, in := range demoInvitees {
		if err := st.AddInvitee(ctx, senco, id, in); err != nil {
			return err
		}
	}
	rv, err := st.Review(ctx, senco, id)
	if err != nil {
		return err
	}
	if meeting.IsZero() {
		return nil
	}
	if err := st.SetMeeting(ctx, senco, id, rv.Version, meeting, store.MeetingPlace{Time: "14:30", Place: "the SENCO's office"}, phase); err != nil {
		return fmt.Errorf("demo meeting place: %w", err)
	}
	// The letters to the parents and the LA were printed and posted today.
	for _, in := range rv.Invitees[:2] {
		if err := st.LetterPosted(ctx, senco, in.ID); err != nil {
			return err
		}
	}
	if err := st.RecordInviteeStep(ctx, senco, rv.Invitees[2].ID, ehc.StepAdviceRequested, today); err != nil {
		return err
	}
	sc, err := st.School(ctx, senco.User.SchoolID)
	if err != nil {
		return err
	}
	return demoReports(ctx, st, senco, id, sc.Name, today)
}

func demoHeldReview(ctx context.Context, st *store.Store, senco sen.Actor, planID int64, today time.Time, phase string) (bool, error) {
	meeting := today.AddDate(0, 0, -35)
	p, err := st.Plan(ctx, senco, planID)
	if err != nil {
		return false, err
	}
	// The meeting must fall in the review period that was open then.
	due := (deadline.ReviewDue(deadline.FromTime(p.Issued), deadline.FromTimePtr(p.LastReviewed))).Time()
	if !meeting.After(p.Issued.AddDate(0, 2, 0)) || meeting.After(due) || !p.LastReviewed.IsZero() {
		return false, nil
	}
	var id int64
	// Arrange the review as it was five weeks before the meeting.
	err = atClock(st, meeting.AddDate(0, 0, -21).Add(9*time.Hour), func() error {
		id, err = st.StartReview(ctx, senco, planID, meeting, phase)
		if err != nil {
			return err
		}
		rv, err := st.Review(ctx, senco, id)
		if err != nil {
			return err
		}
		if err := st.SetMeeting(ctx, senco, id, rv.Version, meeting, store.MeetingPlace{Time: "09:30", Place: "the meeting room by reception"}, phase); err != nil {
			return err
		}
		for _, in := range demoInvitees[:2] {
			if err := st.AddInvitee(ctx, senco, id, in); err != nil {
				return err
			}
		}
		rv, err = st.Review(ctx, senco, id)
		if err != nil {
			return err
		}
		for _, in := range rv.Invitees {
			if err := st.RecordInviteeStep(ctx, senco, in.ID, ehc.StepInvited, st.Today()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("demo held review: %w", err)
	}
	rv, err := st.Review(ctx, senco, id)
	if err != nil {
		return false, err
	}
	rec := ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true, Attended: []int64{rv.Invitees[0].ID},
		PupilViews: "I like working with my TA. I find the playground noisy.", ParentViews: "Pleased with progress in reading; worried about moving on.",
		Amendments: "Update Section F: increase speech and language sessions to four a week."}
	for _, g := range rv.Progress {
		rec.Progress = append(rec.Progress, ehc.OutcomeProgress{OutcomeID: g.OutcomeID, Rating: "on-track", Note: "Steady progress shown in work samples and TA records."})
	}
	if err := st.SaveReviewRecord(ctx, senco, id, rec); err != nil {
		return false, err
	}
	return true, st.RecordReviewEvent(ctx, senco, id, ehc.RvReportSent, meeting.AddDate(0, 0, 10), "")
}

// sectionBText describes a census need in the words of an EHC plan's
// Section B.
func sectionBText(code string) string {
	if t, ok := sectionB[code]; ok {
		return t
	}
	return sectionB["MLD"]
}

var sectionB = map[string]string{
	"SLCN": "Significant difficulty understanding spoken language and expressing needs; uses short phrases and relies on visual support.",
	"ASD":  "Autistic: finds changes of routine, noise and social situations very hard; needs predictable structure and visual support to communicate.",
	"SPLD": "Specific learning difficulty (dyslexia): reading and spelling well below what their understanding and spoken language would suggest.",
	"MLD":  "Working well below age-related expectations in reading and maths; slow processing speed and weak working memory.",
	"SLD":  "Severe learning difficulties: working at early developmental levels and communicating with single words, signs and symbols.",
	"PMLD": "Profound and multiple learning difficulties: needs adult support for all personal care and communicates through sounds, movement and facial expression.",
	"SEMH": "Finds transitions and unstructured times very hard; anxiety shows as withdrawal or leaving the classroom.",
	"HI":   "Hearing impairment: wears hearing aids and uses a radio aid; background noise makes it hard to follow teaching and discussion.",
	"VI":   "Vision impairment: needs enlarged print, magnification and a near copy of board work, and help to move around the site safely.",
	"MSI":  "Multi-sensory impairment: combined hearing and vision loss affecting communication, access to learning and mobility.",
	"PD":   "Physical disability: fine and gross motor difficulties affect handwriting, dressing and moving safely around school.",
	"DS":   "Down syndrome: learning difficulties with relative strength in visual learning; speech is hard to understand for unfamiliar adults.",
	"OTH":  "A medical condition that affects attendance, stamina and access to the curriculum.",
}

// hasNeed reports whether a pupil has the census need code.
func hasNeed(p sen.Pupil, code string) bool {
	for _, n := range p.Needs {
		if n.Code == code {
			return true
		}
	}
	return false
}
