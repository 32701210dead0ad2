package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Demo data for the graduated approach (issue 4): concerns waiting for
// triage and decided, SEN support plans in several cycles with outcomes,
// strategies from the bank, support, do-log entries and reviews, evidence
// (one confidential), parent meetings and passports. History is written by
// moving the store's clock back, so every record and audit row carries the
// date it would have had.

type planText struct {
	needs, important, helps, notHelp, strengths, parents string
	outcomes                                             [][3]string // outcome, success criteria, baseline
	support                                              [4]string   // what, who, how often, how long
	evidence                                             plans.Evidence
}

var planTexts = map[string]planText{
	sen.AreaCI: {
		needs:     "%s finds it hard to understand longer spoken instructions and to find the words to explain ideas. This affects learning in all lessons.",
		important: "Playing football with my friends. My dog, Pepper.", helps: "When the teacher shows me a picture. When I can talk to a partner first.",
		notHelp: "Lots of talking at once. Being asked to answer in front of everyone.", strengths: "I am kind and I am good at building things.",
		parents: "We would like more help with talking about feelings. At home, pictures help a lot.",
		outcomes: [][3]string{{"Follow a two-step instruction in class", "4 out of 5 times without a reminder", "Follows one step; needs reminders for the second"},
			{"Use five new topic words when talking about learning", "Uses them in a sentence in 3 lessons", "Uses 1 or 2 topic words with prompts"},
			{"Ask an adult for help using words or a help card", "Asks for help at least once a day", "Waits or stops working when stuck"}},
		support:  [4]string{"Small-group language programme", "Teaching assistant", "3 times a week", "20 minutes for 10 weeks"},
		evidence: plans.Evidence{Kind: plans.KindAssessment, Title: "CELF-5 screening", Who: "Speech and language therapist", Body: "Receptive language below age-expected level; expressive vocabulary a relative strength.", StandardScore: 78, Percentile: 7},
	},
	sen.AreaCL: {
		needs:     "%s is working below age-related expectations in reading and spelling. Decoding is slow and takes a lot of effort.",
		important: "Drawing and making comics. Seeing my cousins at the weekend.", helps: "Coloured overlay. Word mats. Extra time to finish.",
		notHelp: "Copying from the board. Reading aloud without warning.", strengths: "I have great ideas for stories and I never give up.",
		parents: "Reading at home is hard and causes arguments. We would like ideas for short, fun practice.",
		outcomes: [][3]string{{"Read 40 common exception words accurately", "Reads 40 of 40 on two occasions", "Reads 18 of 40"},
			{"Spell words with the taught phonics patterns", "8 out of 10 correct in a weekly check", "3 out of 10 correct"},
			{"Use a word mat to check spellings independently", "Uses it without a reminder in 3 lessons a week", "Uses it when reminded"}},
		support:  [4]string{"Precision teaching of sight words", "Teaching assistant", "Daily", "10 minutes for 8 weeks"},
		evidence: plans.Evidence{Kind: plans.KindAssessment, Title: "York Assessment of Reading for Comprehension", Who: "SENCO", Body: "Reading accuracy and rate below average; comprehension average when text is read aloud.", StandardScore: 82, Percentile: 12, AgeEquivalent: "7y 2m"},
	},
	sen.AreaSEMH: {
		needs:     "%s can become very anxious at transitions and in busy places, and then finds it hard to return to learning.",
		important: "My nan. Minecraft. Knowing what is happening next.", helps: "A calm space. Knowing about changes before they happen. A check-in in the morning.",
		notHelp: "Surprises. Being told off in front of others.", strengths: "I am funny and I care about animals.",
		parents: "Mornings are difficult. We are pleased with the check-ins and would like them to continue.",
		outcomes: [][3]string{{"Use the help card to ask for a break instead of leaving the room", "Uses the card on 4 out of 5 occasions", "Leaves the room about 3 times a week"},
			{"Name how they feel at the morning check-in", "Names a feeling on the scale every day for 2 weeks", "Says \"fine\" or does not answer"},
			{"Settle to work within 5 minutes after break", "On 4 out of 5 days", "Takes 15 minutes or more"}},
		support:  [4]string{"Meet and greet and emotion check-in", "Learning mentor", "Every morning", "10 minutes, ongoing"},
		evidence: plans.Evidence{Kind: plans.KindObservation, Title: "Lunchtime and afternoon lessons", Who: "SENCO", Body: "Became distressed when the timetable changed; calmed after 10 minutes in the quiet area with an adult."},
	},
	sen.AreaSP: {
		needs:     "%s has a hearing impairment and wears hearing aids. Background noise makes it hard to follow discussion.",
		important: "Swimming. My little brother.", helps: "Sitting near the front. Subtitles on videos. The radio aid.",
		notHelp: "Noisy rooms. People talking with their back to me.", strengths: "I notice details and I am a good friend.",
		parents: "We want to make sure the radio aid is used in every lesson, including PE.",
		outcomes: [][3]string{{"Tell an adult when they have not heard an instruction", "Does this in 3 lessons a week", "Rarely says when they have not heard"},
			{"Check and charge the radio aid each morning with the TA", "Every day for 4 weeks", "Needs an adult to do it"}},
		support:  [4]string{"Hearing support check and equipment care", "Teaching assistant", "Daily", "5 minutes, ongoing"},
		evidence: plans.Evidence{Kind: plans.KindScreening, Title: "Classroom listening checklist", Who: "Teacher of the deaf", Body: "Good access in quiet 1:1; misses much of whole-class discussion without the radio aid."},
	},
}

// needTexts replace parts of an area's plan text where a need code in that
// area calls for different words (a vision impairment is not a hearing
// one; autism is not a language delay), so a plan, its concern and its
// passport describe the pupil's recorded need.
var needTexts = map[string]func(planText) planText{
	"ASD": func(t planText) planText {
		t.needs = "%s is autistic. Changes to routine and busy, noisy rooms cause distress, and %s finds it hard to join in with group work."
		t.helps, t.notHelp = "A visual timetable. Warning before changes. Ear defenders in assembly.", "Sudden changes. Crowded corridors. Being touched without warning."
		t.outcomes = [][3]string{{"Move between lessons using the visual timetable", "4 out of 5 transitions calmly in a week", "Needs an adult at most transitions"},
			{"Take part in a structured paired activity", "Takes 3 turns in a 10-minute activity", "Works alone; leaves group tasks"},
			{"Use the agreed break card when overwhelmed", "Uses it instead of leaving on 4 out of 5 occasions", "Leaves the room several times a week"}}
		t.support = [4]string{"Social communication group (Lego therapy)", "Teaching assistant", "Weekly", "45 minutes for a term"}
		return t
	},
	"MLD": func(t planText) planText {
		t.needs = "%s is working well below age-related expectations across the curriculum, in reading, writing and maths, and needs ideas repeated often to remember them."
		t.outcomes = [][3]string{{"Recall number bonds to 10", "10 out of 10 in a quick check on two days", "5 out of 10"},
			{"Read and understand a short text at their level", "Answers 3 of 4 questions about it", "Answers 1 of 4"},
			{"Follow a task checklist to finish independent work", "Finishes 3 tasks a week with the checklist", "Needs an adult to keep going"}}
		return t
	},
	"SLD": func(t planText) planText {
		t.needs = "%s has severe learning difficulties and is working at early developmental levels, communicating with single words, signs and symbols."
		t.outcomes = [][3]string{{"Make a choice between two objects or symbols", "Chooses on 4 out of 5 offers", "Reaches for both or does not choose"},
			{"Use 10 Makaton signs for daily needs", "Uses them without a model", "Uses 3 signs with a model"}}
		t.support = [4]string{"Individual sensory and communication programme", "Teaching assistant", "Daily", "30 minutes, ongoing"}
		return t
	},
	"VI": func(t planText) planText {
		t.needs = "%s has a vision impairment. Standard print and the board are hard to see, so reading and copying take much longer."
		t.important, t.helps = "Music. Going to the park with my family.", "Large-print worksheets. Sitting near the board. A tablet to zoom in."
		t.notHelp, t.parents = "Small print. Glare from the window.", "We want materials enlarged before lessons, not during them."
		t.outcomes = [][3]string{{"Use the tablet magnifier to read board work independently", "In 3 lessons a week", "Asks an adult to read it out"},
			{"Find their way around the school site safely", "Moves between lessons without help for 2 weeks", "Needs an adult at busy times"}}
		t.support = [4]string{"Modified large-print resources and mobility practice", "Qualified teacher of the visually impaired", "Weekly", "30 minutes, ongoing"}
		t.evidence = plans.Evidence{Kind: plans.KindScreening, Title: "Functional vision assessment", Who: "Qualified teacher of the visually impaired", Body: "Reads N24 print comfortably; N12 only with magnification. Board work needs a near copy."}
		return t
	},
	"PD": func(t planText) planText {
		t.needs = "%s has a physical disability affecting fine and gross motor skills: handwriting is slow and tiring, and stairs and PE need planning."
		t.important, t.helps = "Wheelchair basketball. Video games.", "A laptop for longer writing. Extra time to move between rooms. A writing slope."
		t.notHelp, t.parents = "Rushing between lessons. Long pieces of handwriting.", "We would like physiotherapy exercises built into the school day."
		t.outcomes = [][3]string{{"Type a paragraph on the laptop at a useful speed", "15 words a minute", "6 words a minute"},
			{"Complete the daily physiotherapy exercises with the TA", "Every day for 4 weeks", "Two or three times a week"}}
		t.support = [4]string{"Physiotherapy programme set by the NHS physiotherapist", "Teaching assistant", "Daily", "15 minutes, ongoing"}
		t.evidence = plans.Evidence{Kind: plans.KindScreening, Title: "Occupational therapy motor screening", Who: "Occupational therapist", Body: "Reduced grip strength and motor planning; recommends a laptop and a writing slope."}
		return t
	},
	"NSA": func(t planText) planText {
		t.needs = "%s is making less progress than expected in reading and writing despite adjustments in class. The type of need has not yet been assessed by a specialist."
		t.evidence = plans.Evidence{Kind: plans.KindObservation, Title: "Classroom observation", Who: "SENCO", Body: "Starts tasks slowly and needs frequent prompts; a specialist assessment is being arranged."}
		return t
	},
}

// textFor is the plan text for a pupil's primary need: its area's, with
// the need's own words where it has them. Needs outside the four areas
// (Down syndrome, other, not yet assessed) take cognition and learning's.
func textFor(code string) (planText, string) {
	area := sen.NeedArea(code)
	t, ok := planTexts[area]
	if !ok {
		area, t = sen.AreaCL, planTexts[sen.AreaCL]
	}
	if f, ok := needTexts[code]; ok {
		t = f(t)
	}
	return t, area
}

// needsText fills in the pupil's name (and, for the texts that need it, the
// pronoun for their recorded sex).
func needsText(t planText, p sen.Pupil) string {
	if strings.Count(t.needs, "%s") == 2 {
		return fmt.Sprintf(t.needs, p.Forename, pronoun(p))
	}
	return fmt.Sprintf(t.needs, p.Forename)
}

// pronoun is "she" or "he" for the pupil's recorded sex.
func pronoun(p sen.Pupil) string {
	if p.Sex == "F" {
		return "she"
	}
	return "he"
}

var parentNames = []string{"Mrs %s (mother)", "Mr %s (father)", "Ms %s (mother)", "Mr and Mrs %s"}

func seedPlans(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, rng *rand.Rand) error {
	saved := st.Now
	defer func() { st.Now = saved }()
	realNow := saved()
	at := func(d time.Time) {
		t := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, time.UTC)
		st.Now = func() time.Time { return t }
	}
	today := store.DateOf(realNow)

	// Who teaches each class.
	groups, err := st.Groups(ctx, senco)
	if err != nil {
		return err
	}
	teacherOf, taOf := map[string]sen.Actor{}, map[string]sen.Actor{}
	for _, g := range groups {
		for _, u := range g.Staff {
			a := sen.Actor{User: u, IP: "127.0.0.1"}
			switch u.Role {
			case sen.RoleTeacher:
				teacherOf[g.Name] = a
			case sen.RoleTA:
				taOf[g.Name] = a
			}
		}
	}
	var onK, onN []sen.Pupil
	for _, p := range res.Pupils {
		switch {
		case p.Status == sen.StatusSupport && len(p.Needs) > 0 && teacherOf[p.ClassName].User.ID != 0:
			onK = append(onK, p)
		case p.Status == sen.StatusNone && teacherOf[p.ClassName].User.ID != 0:
			onN = append(onN, p)
		}
	}
	rng.Shuffle(len(onK), func(i, j int) { onK[i], onK[j] = onK[j], onK[i] })
	rng.Shuffle(len(onN), func(i, j int) { onN[i], onN[j] = onN[j], onN[i] })

	// Pupils on SEN support: most get a plan with history; a few are left
	// without one so the dashboard has something to show.
	nPlans := len(onK) * 3 / 4
	// A few pupils with no SEN so far are placed on SEN support through a
	// concern (more when the register has few pupils on K, for example when
	// the EHC demo has moved them to E in a small school).
	// (The first 8 pupils on N are kept for the concerns below; at a high
	// register share there may be fewer.)
	promote := max(2, 8-nPlans)
	if len(onN) < 8+promote {
		promote = max(0, len(onN)-8)
	}
	planned := append([]sen.Pupil(nil), onK[:nPlans]...)
	for j, p := range onN[min(8, len(onN)):min(8+promote, len(onN))] {
		p.Needs = []sen.Need{{Rank: 1, Code: []string{"SLCN", "SPLD", "SEMH", "MLD", "HI"}[j%5]}}
		planned = append(planned, p)
	}
	for i, p := range planned {
		txt, _ := textFor(p.Needs[0].Code)
		cycles := 1 + i%3
		if res.Options.History {
			// Benchmarks: about three school years of termly cycles.
			cycles = 7 + i%3
		}
		// The first cycle started so that the last review falls around now:
		// some overdue, some due in the next fortnight, most later.
		start := today.AddDate(0, 0, -cycles*84+[]int{-10, 5, 20, 40, 60}[i%5])
		if err := seedPupilPlan(ctx, st, at, senco, teacherOf[p.ClassName], taOf[p.ClassName], p, txt, start, cycles, today, rng, i); err != nil {
			return fmt.Errorf("demo plans: %w", err)
		}
	}

	// Open concerns waiting for triage, raised by class teachers over the last weeks.
	noticed := []struct {
		text, area, tried string
	}{
		{"Often cannot start independent writing tasks and becomes upset when asked to write more than a sentence.", sen.AreaCL, "Writing frames and a word bank."},
		{"Very quiet in class; rarely speaks to adults and seems to misunderstand instructions.", sen.AreaCI, "Paired talk and visual prompts."},
		{"Frequent emotional outbursts after lunchtime; has left the classroom twice this week.", sen.AreaSEMH, "A calm corner and a reward chart."},
		{"Squints at the board and holds books very close to the face.", sen.AreaSP, "Moved to the front of the class."},
		{"Struggling with number bonds to 10 despite daily practice.", sen.AreaCL, "Concrete resources and extra practice."},
	}
	for i, n := range noticed {
		if i >= len(onN) {
			break
		}
		p := onN[i]
		at(today.AddDate(0, 0, -[]int{24, 12, 6, 3, 1}[i]))
		c := plans.Concern{PupilID: p.ID, Noticed: n.text, Areas: []string{n.area}, Tried: n.tried, Evidence: "Class observations and work samples."}
		if err := st.RaiseConcern(ctx, teacherOf[p.ClassName], &c); err != nil {
			return fmt.Errorf("demo concern: %w", err)
		}
	}
	// A parent's concern recorded by the SENCO, and two decided concerns.
	if len(onN) > 8 {
		at(today.AddDate(0, 0, -2))
		c := plans.Concern{PupilID: onN[5].ID, Noticed: "Mum says " + pronoun(onN[5]) + " is anxious about coming to school and has stomach aches on Monday mornings.", Areas: []string{sen.AreaSEMH},
			OnBehalfOf: fmt.Sprintf(parentNames[0], onN[5].Surname) + ", phone call"}
		if err := st.RaiseConcern(ctx, senco, &c); err != nil {
			return err
		}
		// Each decision answers its own concern.
		for j, d := range []struct {
			noticed, area, tried string
			in                   plans.DecisionInput
		}{
			{"Slow progress in phonics; still confuses several of the sounds taught this term.", sen.AreaCL, "Daily phonics catch-up in class.",
				plans.DecisionInput{Decision: plans.Monitor, Reason: "Progress in phonics is slow but steady; monitor for half a term with class-based support.", MonitorReview: today.AddDate(0, 0, 10)}},
			{noticed[3].text, noticed[3].area, noticed[3].tried,
				plans.DecisionInput{Decision: plans.NoFurtherAction, Reason: "Eye test arranged by parents; glasses now worn and difficulty resolved.", InformedOn: today.AddDate(0, 0, -31), InformedHow: "Telephone call"}},
		} {
			p := onN[6+j]
			at(today.AddDate(0, 0, -40))
			c := plans.Concern{PupilID: p.ID, Noticed: d.noticed, Areas: []string{d.area}, Tried: d.tried}
			if err := st.RaiseConcern(ctx, teacherOf[p.ClassName], &c); err != nil {
				return err
			}
			at(today.AddDate(0, 0, -30))
			d.in.Version = c.Version
			if _, err := st.DecideConcern(ctx, senco, c.ID, d.in, ""); err != nil {
				return fmt.Errorf("demo decision: %w", err)
			}
		}
	}
	return nil
}

// seedPupilPlan gives one pupil a concern, a decision and `cycles` cycles of
// their support plan, the last one open.
func seedPupilPlan(ctx context.Context, st *store.Store, at func(time.Time), senco, teacher, ta sen.Actor, p sen.Pupil, txt planText,
	start time.Time, cycles int, today time.Time, rng *rand.Rand, n int) error {
	parent := fmt.Sprintf(parentNames[n%len(parentNames)], p.Surname)
	at(start.AddDate(0, 0, -14))
	ev := txt.evidence
	ev.PupilID, ev.Date = p.ID, start.AddDate(0, 0, -14)
	if err := st.AddEvidence(ctx, senco, &ev); err != nil {
		return err
	}
	at(start.AddDate(0, 0, -10))
	_, area := textFor(p.Needs[0].Code)
	c := plans.Concern{PupilID: p.ID, Noticed: strings.Split(needsText(txt, p), ".")[0] + ".", Areas: []string{area},
		Tried: "Adjustments in class for half a term.", Evidence: "Assessment results and observations."}
	if err := st.RaiseConcern(ctx, teacher, &c); err != nil {
		return err
	}
	at(start)
	cycleID, err := st.DecideConcern(ctx, senco, c.ID, plans.DecisionInput{Decision: plans.PlaceOnSupport, Version: c.Version,
		Reason: "Needs are beyond what adjustments in class can meet; agreed SEN support with parents.", InformedOn: start, InformedHow: "Meeting",
		PlanStart: start, PlanReview: start.AddDate(0, 0, 84)}, p.Needs[0].Code)
	if err != nil {
		return err
	}
	if cycleID == 0 {
		return nil
	}
	bank, err := st.StrategyBank(ctx, senco, "", "", p.Needs[0].Code)
	if err != nil {
		return err
	}
	for k := 1; k <= cycles; k++ {
		v, err := st.SupportPlan(ctx, senco, cycleID, "demo")
		if err != nil {
			return err
		}
		cy := v.Cycle
		cy.NeedsSummary = needsText(txt, p)
		cy.PupilImportant, cy.PupilHelps, cy.PupilNotHelp, cy.PupilStrengths, cy.ParentViews = txt.important, txt.helps, txt.notHelp, txt.strengths, txt.parents
		cy.StaffNotes = "Discussed with the class teacher; monitor attendance."
		if err := st.UpdateCycle(ctx, senco, &cy); err != nil {
			return err
		}
		version := cy.Version
		// New outcomes: the first cycle takes two, later ones add one.
		first, count := 0, 2
		if k > 1 {
			first, count = (k+n)%len(txt.outcomes), 1
		}
		have := map[string]bool{}
		for _, o := range cy.Outcomes {
			have[o.Text] = true
		}
		for j := 0; j < count; j++ {
			o := txt.outcomes[(first+j)%len(txt.outcomes)]
			if have[o[0]] {
				// Already carried forward from the last cycle: take the next one.
				o = txt.outcomes[(first+j+1)%len(txt.outcomes)]
				if have[o[0]] {
					continue
				}
			}
			out := plans.Outcome{Text: o[0], SuccessCriteria: o[1], Baseline: o[2], TargetDate: cy.Review}
			if err := st.AddSupportOutcome(ctx, senco, cycleID, version, &out); err != nil {
				return err
			}
			version++
		}
		if k == 1 {
			for j := 0; j < 2 && j < len(bank); j++ {
				if err := st.AddPlanStrategy(ctx, senco, cycleID, version, bank[(n+j)%len(bank)].ID, ""); err != nil {
					return err
				}
				version++
			}
			su := plans.Support{What: txt.support[0], Who: txt.support[1], Frequency: txt.support[2], Duration: txt.support[3], StartDate: cy.StartDate}
			if err := st.AddPlanSupport(ctx, senco, cycleID, version, &su); err != nil {
				return err
			}
			version++
		}
		// One plan in ten is left as a draft waiting to be agreed.
		if k == cycles && n%10 == 9 {
			return nil
		}
		if err := st.ActivateCycle(ctx, senco, cycleID, version); err != nil {
			return err
		}
		version++
		v, err = st.SupportPlan(ctx, senco, cycleID, "demo")
		if err != nil {
			return err
		}
		// Do: a few log entries from the class teacher and TA.
		for w := 2; w < 84; w += 21 {
			d := cy.StartDate.AddDate(0, 0, w)
			if !d.Before(today) {
				break
			}
			at(d)
			o := v.Cycle.Outcomes[w%len(v.Cycle.Outcomes)]
			who := teacher
			if w%2 == 1 && ta.User.ID != 0 {
				who = ta
			}
			l := plans.LogEntry{CycleID: cycleID, OutcomeID: o.ID, Date: d, Did: []string{"Practised in a small group with visual prompts.", "Pre-taught the key words before the lesson.", "Used the strategy in a whole-class lesson."}[w%3],
				Response: []string{"Managed it with one reminder.", "Engaged well and was proud of the result.", "Found it hard today; tired after PE."}[(w+n)%3]}
			if err := st.AddDoLog(ctx, who, &l); err != nil {
				return err
			}
		}
		if k == cycles {
			break
		}
		// Review, held on or near the agreed date, then the next cycle.
		meeting := cy.Review.AddDate(0, 0, []int{0, -2, 3, 7}[(n+k)%4])
		at(meeting)
		r := plans.Review{MeetingDate: meeting, PupilAttended: n%3 != 0, Parents: parent, Staff: teacher.User.Name + " (class teacher), SENCO",
			PupilComments: "I like the help I get. " + strings.Split(txt.helps, ".")[0] + ".", ParentComments: "We can see progress at home.",
			NextSteps: "Continue the support; carry forward outcomes not yet achieved.", NextReview: meeting.AddDate(0, 0, 84),
			Ratings: map[int64]plans.Rating{}, Evidence: map[int64]string{}, CarryForward: map[int64]bool{}}
		for j, o := range v.Cycle.Outcomes {
			rating := plans.Ratings[(j+n+k)%3]
			r.Ratings[o.ID] = rating
			r.Evidence[o.ID] = map[plans.Rating]string{plans.Achieved: "Met the success criteria in class checks.", plans.PartlyAchieve: "Progress from the baseline, not yet consistent.", plans.NotAchieved: "Little change; strategy to be adapted."}[rating]
			r.CarryForward[o.ID] = rating != plans.Achieved
		}
		next, err := st.CompleteSupportReview(ctx, senco, cycleID, version, &r)
		if err != nil {
			return fmt.Errorf("review: %w", err)
		}
		cycleID = next
	}
	// A parents' evening meeting for half the pupils; a confidential note for some.
	if n%2 == 0 {
		d := today.AddDate(0, 0, -(7 + n%30))
		at(d)
		if err := st.AddEvidence(ctx, senco, &plans.Evidence{PupilID: p.ID, Kind: plans.KindParentMeeting, Date: d, Title: "Parents' evening", Who: parent, Body: "Shared progress on the outcomes; parents happy with the support."}); err != nil {
			return err
		}
	}
	if n%7 == 3 {
		at(today.AddDate(0, 0, -5))
		if err := st.AddEvidence(ctx, senco, &plans.Evidence{PupilID: p.ID, Kind: plans.KindNote, Date: today.AddDate(0, 0, -5), Title: "Family circumstances",
			Body: "Family going through a difficult time; see the DSL before contacting home.", Confidential: true}); err != nil {
			return err
		}
	}
	// Passport from the current plan.
	v, found, err := st.CurrentSupportPlan(ctx, senco, p.ID, "demo passport")
	if err != nil || !found {
		return err
	}
	pp := plans.FromCycle(v.Cycle)
	pp.AboutMe = "My name is " + p.Forename + ". " + pp.AboutMe
	if err := st.SavePassport(ctx, senco, &pp); err != nil {
		return fmt.Errorf("passport: %w", err)
	}
	return nil
}
