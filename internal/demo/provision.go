package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// The provision map's demo (issue 13): a library of common interventions,
// staff hourly costs, and about ten groups run by the year groups' TAs for
// pupils on the register, with a term of sessions (some absences, one
// session not delivered) and entry scores, and exit scores for the groups
// that have finished.

const eef = "https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit"

var demoLibrary = []provision.Provision{
	{Name: "Lego-based therapy", Description: "Pupils build a LEGO model together as engineer, supplier and builder, practising turn-taking, joint attention and shared problem-solving.",
		Areas: []string{sen.AreaCI, sen.AreaSEMH}, Wave: provision.WaveTargeted, Outcomes: "Takes turns and uses names; gives and follows clear instructions; solves problems with others.",
		Evidence: "Small trials show gains in social interaction for autistic pupils (LeGoff; Owens et al., 2008).", SessionMinutes: 45, SessionsPerWeek: 1, Weeks: 12, GroupSize: 3,
		Deliverer: "ta", Resources: "LEGO Technic and Creator sets, role cards, rules poster", ResourcePence: 50, Measure: "Social communication checklist (school scale 1 to 10)", Scale: provision.ScaleSchool, Direction: provision.HigherBetter},
	{Name: "Talk Boost KS1", Description: "A ten-week language programme for pupils with delayed language: attention, vocabulary, building sentences, telling stories and conversations.",
		Areas: []string{sen.AreaCI}, Wave: provision.WaveTargeted, Outcomes: "Listens in a group; uses new vocabulary; tells a simple story in order.",
		Evidence: "Evaluated by Speech and Language UK: pupils made on average 18 months' progress in 10 weeks.", EvidenceURL: eef, SessionMinutes: 30, SessionsPerWeek: 3, Weeks: 10, GroupSize: 4,
		Deliverer: "ta", Resources: "Talk Boost intervention pack", ResourcePence: 30, Measure: "Talk Boost progress tracker", Scale: provision.ScalePercent, Direction: provision.HigherBetter},
	{Name: "Precision teaching", Description: "Short daily one-to-one teaching of a small set of words or facts, with a one-minute timed probe charted each session.",
		Areas: []string{sen.AreaCL}, Wave: provision.WaveTargeted, Outcomes: "Reads the target words fluently and keeps them.",
		Evidence: "A well-established approach for fluency with high-frequency words (EEF: reading comprehension and phonics strands).", EvidenceURL: eef, SessionMinutes: 10, SessionsPerWeek: 5, Weeks: 8, GroupSize: 1,
		Deliverer: "ta", Resources: "Probe sheets, timer, chart", Measure: "Words read correctly in one minute", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Phonics catch-up", Description: "Small-group teaching of the phonemes pupils have not secured, following the school's systematic synthetic phonics programme.",
		Areas: []string{sen.AreaCL}, Wave: provision.WaveTargeted, Outcomes: "Blends and segments the Phase 3 and 5 sounds; reads decodable books at their level.",
		Evidence: "Phonics approaches have high impact for a very low cost (EEF toolkit: +5 months).", EvidenceURL: eef, SessionMinutes: 20, SessionsPerWeek: 4, Weeks: 8, GroupSize: 4,
		Deliverer: "ta", Resources: "Grapheme cards, decodable readers", ResourcePence: 20, Measure: "Phonics check practice score (out of 40)", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Number sense maths intervention", Description: "Numicon-style concrete, pictorial and abstract work on place value, number bonds and calculation.",
		Areas: []string{sen.AreaCL}, Wave: provision.WaveTargeted, Outcomes: "Knows number bonds to 10 and 20; partitions two-digit numbers.",
		Evidence: "Small-group maths tuition with manipulatives (EEF: small group tuition +4 months).", EvidenceURL: eef, SessionMinutes: 30, SessionsPerWeek: 3, Weeks: 10, GroupSize: 4,
		Deliverer: "ta", Resources: "Numicon shapes, number lines, base-ten blocks", ResourcePence: 60, Measure: "Sandwell Early Numeracy Test", Scale: provision.ScaleStandardised, Direction: provision.HigherBetter},
	{Name: "ELSA (emotional literacy support)", Description: "Weekly one-to-one sessions with a trained Emotional Literacy Support Assistant on recognising and managing feelings.",
		Areas: []string{sen.AreaSEMH}, Wave: provision.WaveTargeted, Outcomes: "Names feelings and uses two calming strategies; fewer incidents at lunchtime.",
		Evidence: "Developed and supervised by educational psychologists; evaluations report improved emotional literacy.", SessionMinutes: 30, SessionsPerWeek: 1, Weeks: 8, GroupSize: 1,
		Deliverer: "ta", Resources: "ELSA resources, feelings cards", Measure: "Strengths and Difficulties Questionnaire: total difficulties", Scale: provision.ScaleSchool, Direction: provision.LowerBetter},
	{Name: "Sensory circuits", Description: "A short daily circuit of alerting, organising and calming activities before school starts, to help pupils be ready to learn.",
		Areas: []string{sen.AreaSP, sen.AreaSEMH}, Wave: provision.WaveTargeted, Outcomes: "Arrives in class calm and ready; fewer dysregulated mornings.",
		Evidence: "Recommended by occupational therapists; the evidence is mainly practice-based.", SessionMinutes: 15, SessionsPerWeek: 5, Weeks: 12, GroupSize: 6,
		Deliverer: "ta", Resources: "Trampette, balance beam, therapy balls, weighted blanket", ResourcePence: 15, Measure: "Dysregulated mornings a week", Scale: provision.ScaleCount, Direction: provision.LowerBetter},
	{Name: "Social stories", Description: "Short personalised stories (Carol Gray) that describe a situation and what to expect, read with the pupil before it happens.",
		Areas: []string{sen.AreaCI, sen.AreaSEMH}, Wave: provision.WaveTargeted, Outcomes: "Manages the change of routine calmly.",
		Evidence: "Widely used with autistic pupils; small studies show benefit for specific behaviours.", SessionMinutes: 10, SessionsPerWeek: 3, Weeks: 6, GroupSize: 1,
		Deliverer: "teacher", Measure: "Days a week the pupil manages the change calmly", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Zones of Regulation", Description: "A whole-class approach to naming how you feel in four colour zones and choosing tools to move between them.",
		Areas: []string{sen.AreaSEMH}, Wave: provision.WaveUniversal, Outcomes: "Pupils name their zone and choose a tool to help.",
		Evidence: "Social and emotional learning approaches (EEF toolkit: +4 months).", EvidenceURL: eef, SessionMinutes: 30, SessionsPerWeek: 1, Weeks: 12, GroupSize: 30,
		Deliverer: "teacher", Resources: "Zones posters and check-in chart", Measure: "Self-rating of regulation (school scale 1 to 5)", Scale: provision.ScaleSchool, Direction: provision.HigherBetter},
	{Name: "Handwriting group", Description: "Letter formation and joining practice with multisensory warm-ups, posture and pencil grip.",
		Areas: []string{sen.AreaSP}, Wave: provision.WaveTargeted, Outcomes: "Forms all lower-case letters correctly; writes legibly at a steady pace.",
		Evidence: "Recommended by the school's occupational therapist.", SessionMinutes: 20, SessionsPerWeek: 2, Weeks: 8, GroupSize: 4,
		Deliverer: "ta", Resources: "Handwriting books, pencil grips, writing slopes", ResourcePence: 25, Measure: "Lower-case letters formed correctly (out of 26)", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Touch typing", Description: "An online touch-typing course for pupils for whom handwriting is a barrier to recording their work.",
		Areas: []string{sen.AreaSP, sen.AreaCL}, Wave: provision.WaveTargeted, Outcomes: "Types 20 words a minute accurately.",
		SessionMinutes: 20, SessionsPerWeek: 3, Weeks: 10, GroupSize: 4, Deliverer: "ta", Resources: "Laptops and a typing course licence", ResourcePence: 25,
		Measure: "Words typed a minute", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Fine motor skills group", Description: "Funky Fingers-style activities: threading, tweezers, playdough and scissors to build hand strength and control.",
		Areas: []string{sen.AreaSP}, Wave: provision.WaveTargeted, Outcomes: "Uses scissors and a tripod grip with control.",
		Evidence: "Recommended by the school's occupational therapist.", SessionMinutes: 20, SessionsPerWeek: 2, Weeks: 8, GroupSize: 5,
		Deliverer: "ta", Resources: "Playdough, tweezers, pegboards, threading beads", ResourcePence: 20, Measure: "Pegs placed in one minute", Scale: provision.ScaleCount, Direction: provision.HigherBetter},
	{Name: "Colourful semantics", Description: "Building sentences with colour-coded question words (who, what doing, what, where), from two words to full sentences.",
		Areas: []string{sen.AreaCI}, Wave: provision.WaveTargeted, Outcomes: "Says and writes sentences with who, what doing and where.",
		Evidence: "Developed by Alison Bryan, speech and language therapist; widely used by NHS SLT services.", SessionMinutes: 20, SessionsPerWeek: 3, Weeks: 10, GroupSize: 3,
		Deliverer: "ta", Resources: "Colourful semantics cards and pictures", Measure: "Sentence level (school scale 1 to 5)", Scale: provision.ScaleSchool, Direction: provision.HigherBetter},
	{Name: "Reading fluency", Description: "Repeated and paired reading of short texts with modelling and feedback on pace, accuracy and expression.",
		Areas: []string{sen.AreaCL}, Wave: provision.WaveTargeted, Outcomes: "Reads age-appropriate texts fluently with expression.",
		Evidence: "EEF guidance on improving literacy in key stage 2 recommends fluency practice.", EvidenceURL: eef, SessionMinutes: 20, SessionsPerWeek: 2, Weeks: 8, GroupSize: 3,
		Deliverer: "ta", Resources: "Levelled texts", Measure: "Salford reading test", Scale: provision.ScaleReadingAge, Direction: provision.HigherBetter},
	{Name: "Speech and language programme", Description: "The pupil's individual programme written by the NHS speech and language therapist, delivered by a TA and reviewed by the therapist each term.",
		Areas: []string{sen.AreaCI}, Wave: provision.WaveSpecialist, Outcomes: "The therapist's targets for the term.",
		SessionMinutes: 20, SessionsPerWeek: 2, Weeks: 12, GroupSize: 1, Deliverer: provision.DelivererExternal, Service: "NHS Speech and Language Therapy",
		Resources: "The therapist's programme and picture resources", Measure: "Therapy targets achieved", Scale: provision.ScalePercent, Direction: provision.HigherBetter},
	{Name: "Bereavement support", Description: "Individual sessions for a pupil who has lost someone close, with the SENCO, using Seasons for Growth materials.",
		Areas: []string{sen.AreaSEMH}, Wave: provision.WaveSpecialist, SessionMinutes: 30, SessionsPerWeek: 1, Weeks: 6, GroupSize: 1,
		Deliverer: "senco", Measure: "Wellbeing check-in (school scale 1 to 10)", Scale: provision.ScaleSchool, Direction: provision.HigherBetter, Confidential: true},
}

// demoGroup is one group of the demo: the provision (by name), the TA of a
// year group (by position; -1 the last year, whose TA is the printed login),
// its slots, and whether it has finished.
type demoGroup struct {
	provision string
	year      int
	name      string
	slots     []provision.Slot
	finished  bool
}

func slots(days []time.Weekday, start, minutes int, place string) []provision.Slot {
	var out []provision.Slot
	for _, d := range days {
		out = append(out, provision.Slot{Weekday: d, Start: start, Minutes: minutes, Place: place})
	}
	return out
}

var (
	mon, tue, wed, thu, fri = time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday
	demoGroups              = []demoGroup{
		{"Sensory circuits", -1, "Morning sensory circuits", slots([]time.Weekday{mon, tue, wed, thu, fri}, 8*60+50, 15, "Hall"), false},
		{"Precision teaching", -1, "Precision teaching (one to one)", slots([]time.Weekday{tue, thu}, 13*60+15, 10, "Library corner"), false},
		{"Reading fluency", -1, "Reading fluency: autumn first half", slots([]time.Weekday{mon, wed}, 10*60+45, 20, "Library"), true},
		{"Lego-based therapy", 3, "Lego club", slots([]time.Weekday{thu}, 13*60+30, 45, "Nurture room"), false},
		{"Talk Boost KS1", 1, "Talk Boost: autumn first half", slots([]time.Weekday{mon, wed, fri}, 9*60+15, 30, "Group room"), true},
		{"Phonics catch-up", 2, "Phonics catch-up", slots([]time.Weekday{mon, tue, thu, fri}, 11*60, 20, "Group room"), false},
		{"Number sense maths intervention", 4, "Number sense group", slots([]time.Weekday{mon, wed, fri}, 14*60, 30, "Maths room"), false},
		{"ELSA (emotional literacy support)", 5, "ELSA sessions", slots([]time.Weekday{wed}, 11*60+30, 30, "ELSA room"), true},
		{"Fine motor skills group", 0, "Funky fingers", slots([]time.Weekday{tue, thu}, 14*60+30, 20, "Reception classroom"), false},
		{"Handwriting group", 2, "Handwriting: autumn first half", slots([]time.Weekday{wed, fri}, 13*60+10, 20, "Group room"), true},
	}
)

func seedProvision(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, rng *rand.Rand) error {
	byName := map[string]provision.Provision{}
	for _, p := range demoLibrary {
		if p.Confidential {
			p.Staff = []int64{res.Users[sen.RoleHead][0].ID}
		}
		if err := st.SaveProvision(ctx, senco, &p); err != nil {
			return fmt.Errorf("demo: provision %s: %w", p.Name, err)
		}
		byName[p.Name] = p
	}
	tas := res.Users[sen.RoleTA]
	rates := []provision.Rate{{Role: sen.RoleTA, HourlyPence: 1260, OnCostBP: 2600}, {Role: sen.RoleTeacher, HourlyPence: 2750, OnCostBP: 2900},
		{Role: sen.RoleSENCO, HourlyPence: 3300, OnCostBP: 2900}, {Role: sen.RoleDeputy, HourlyPence: 3000, OnCostBP: 2900}}
	if len(tas) > 0 { // the printed TA is a higher-level TA, paid more
		rates = append(rates, provision.Rate{UserID: tas[len(tas)-1].ID, HourlyPence: 1420, OnCostBP: 2600})
	}
	for i := range rates {
		if err := st.SaveRate(ctx, senco, &rates[i]); err != nil {
			return err
		}
	}
	if len(tas) == 0 {
		return nil
	}
	holidays, err := st.Holidays(ctx, senco)
	if err != nil {
		return err
	}
	today := st.Today()
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	// Pupils on the register by year group, in the TAs' order.
	years := []string{"R", "1", "2", "3", "4", "5", "6"}
	if res.Options.Secondary {
		years = []string{"7", "8", "9", "10", "11"}
	}
	used := map[int64]int{}
	notDelivered := false
	for gi, g := range demoGroups {
		p := byName[g.provision]
		yi := g.year
		if yi < 0 || yi >= len(tas) || yi >= len(years) {
			yi = min(len(tas), len(years)) - 1
		}
		ta := sen.Actor{User: tas[yi], IP: "127.0.0.1"}
		run := provision.Run{ProvisionID: p.ID, Name: g.name, Staff: []int64{ta.User.ID}, Slots: g.slots, Capacity: p.GroupSize, OneToOne: p.GroupSize == 1}
		if g.finished {
			run.Starts = monday.AddDate(0, 0, -14*7)
			// Not before the school year began: the first Monday of
			// the autumn term (schools return in the first week of
			// September), so no group runs in the summer holiday.
			if term := firstAutumnMonday(today); run.Starts.Before(term) {
				run.Starts = term
			}
			run.Ends = run.Starts.AddDate(0, 0, 6*7-3)
		} else {
			run.Starts = monday.AddDate(0, 0, -6*7)
			run.Ends = run.Starts.AddDate(0, 0, 12*7-3)
		}
		if err := st.StartRun(ctx, senco, &run); err != nil {
			return fmt.Errorf("demo: group %s: %w", g.name, err)
		}
		// Pupils: on the register, in the TA's year, with a need in one of
		// the provision's areas where there are enough.
		var picks []sen.Pupil
		for pass := 0; pass < 2 && len(picks) < run.Capacity; pass++ {
			for _, pu := range res.Pupils {
				if len(picks) >= run.Capacity || pu.YearGroup != years[yi] || (pu.Status != sen.StatusSupport && pu.Status != sen.StatusEHCP) || used[pu.ID] >= 2 {
					continue
				}
				match := false
				for _, a := range sen.NeedAreas(pu.Needs) {
					match = match || p.HasArea(a)
				}
				if (pass == 0) != match || containsPupil(picks, pu.ID) {
					continue
				}
				picks = append(picks, pu)
			}
		}
		joins := map[int64]time.Time{}
		for i, pu := range picks {
			joined := run.Starts
			if i == len(picks)-1 && len(picks) > 2 && gi%3 == 0 {
				joined = run.Starts.AddDate(0, 0, 14) // a late joiner
			}
			if err := st.EnrolPupil(ctx, senco, run.ID, pu.ID, joined); err != nil {
				return fmt.Errorf("demo: enrol %s: %w", g.name, err)
			}
			used[pu.ID]++
			joins[pu.ID] = joined
		}
		// A term of sessions up to yesterday, on school days only.
		last := today.AddDate(0, 0, -1)
		if run.Ends.Before(last) {
			last = run.Ends
		}
		n := 0
		for d := run.Starts; !d.After(last); d = d.AddDate(0, 0, 1) {
			if !hasSlot(run.Slots, d.Weekday()) || inHoliday(holidays, d) {
				continue
			}
			n++
			se := provision.Session{Date: d, Delivered: true, StaffMinutes: slotMinutes(run.Slots, d.Weekday())}
			if !notDelivered && n == 4 {
				notDelivered = true
				se = provision.Session{Date: d, Reason: "staff-redeployed", Note: "Covering a class for an absent teacher."}
			} else {
				for _, pu := range picks {
					if d.Before(joins[pu.ID]) {
						continue
					}
					at := provision.Attendance{PupilID: pu.ID, Present: true, Minutes: se.StaffMinutes}
					if rng.IntN(12) == 0 {
						at = provision.Attendance{PupilID: pu.ID, Reason: []string{"absent-school", "absent-school", "other-lesson", "event", "declined"}[rng.IntN(5)]}
					}
					se.Attendance = append(se.Attendance, at)
				}
				if rng.IntN(6) == 0 {
					se.Note = []string{"Good focus today.", "Shorter session: fire drill.", "Used the visual timer; all on task.", "Revisited last week's targets."}[rng.IntN(4)]
				}
			}
			if err := atClock(st, d.Add(15*time.Hour), func() error { return st.SaveSession(ctx, ta, run.ID, &se) }); err != nil {
				return fmt.Errorf("demo: session %s %s: %w", g.name, d.Format(time.DateOnly), err)
			}
		}
		// Entry scores for everyone; exit scores when the group has finished.
		v, err := st.Run(ctx, senco, run.ID, "demo set-up")
		if err != nil {
			return err
		}
		var scores []store.MemberScores
		for _, m := range v.Run.Members {
			entry, exit := demoScores(rng, p, m.Pupil, today)
			ms := store.MemberScores{MemberID: m.ID, Version: m.Version, Entry: &entry}
			if g.finished {
				ms.Exit = &exit
			}
			scores = append(scores, ms)
		}
		if err := st.SaveScores(ctx, ta, run.ID, scores); err != nil {
			return err
		}
	}
	return nil
}

func containsPupil(list []sen.Pupil, id int64) bool {
	for _, p := range list {
		if p.ID == id {
			return true
		}
	}
	return false
}

func hasSlot(sl []provision.Slot, d time.Weekday) bool { return slotMinutes(sl, d) > 0 }

func slotMinutes(sl []provision.Slot, d time.Weekday) int {
	for _, s := range sl {
		if s.Weekday == d {
			return s.Minutes
		}
	}
	return 0
}

func inHoliday(hs []sen.Holiday, d time.Time) bool {
	for _, h := range hs {
		if !d.Before(h.Starts) && !d.After(h.Ends) {
			return true
		}
	}
	return false
}

// demoScores are a pupil's entry and exit scores on the provision's scale:
// most improve, a few make no progress or fall back.
func demoScores(rng *rand.Rand, p provision.Provision, pu sen.Pupil, today time.Time) (int, int) {
	gain := rng.IntN(10) - 1 // -1 to 8
	var entry int
	switch p.Scale {
	case provision.ScaleStandardised:
		entry = 72 + rng.IntN(16)
	case provision.ScaleReadingAge, provision.ScaleSpellingAge, provision.ScaleAgeMonths:
		age := int(today.Sub(pu.DOB).Hours() / 24 / 30.44)
		entry = max(48, age-18-rng.IntN(14))
	case provision.ScalePercent:
		entry, gain = 20+rng.IntN(30), gain*4
	case provision.ScaleSchool:
		if p.Direction == provision.LowerBetter { // SDQ total difficulties
			entry, gain = 15+rng.IntN(10), gain/2
		} else {
			entry, gain = 2+rng.IntN(3), gain/3
		}
	default:
		entry = 4 + rng.IntN(12)
		if p.Direction == provision.LowerBetter {
			gain = gain / 3
		}
	}
	if p.Direction == provision.LowerBetter {
		return entry, max(0, entry-gain)
	}
	return entry, entry + gain
}

// firstAutumnMonday is the first Monday on or after 2 September of the
// school year that today is in.
func firstAutumnMonday(today time.Time) time.Time {
	y := today.Year()
	if today.Month() < time.September {
		y--
	}
	d := time.Date(y, time.September, 2, 0, 0, 0, 0, today.Location())
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
