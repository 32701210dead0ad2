package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// seedSchoolSEN is the school's own SEN duties (issue 16): a year of staff
// training with who attended, staff skills, the SENCO's record (she took the
// post in April 2024 and is doing the NPQ for SENCOs), the SEN policy with
// its next review, a completed and published SEN information report, the
// accessibility plan with six actions and a few reasonable adjustments. It
// uses no random numbers, so the rest of the demo is unchanged.
func seedSchoolSEN(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, _ *rand.Rand) error {
	today := st.Today()
	all := func(roles ...sen.Role) []int64 {
		var ids []int64
		for _, r := range roles {
			for _, u := range res.Users[r] {
				ids = append(ids, u.ID)
			}
		}
		return ids
	}
	every := all(sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA)
	tas, teachers := all(sen.RoleTA), all(sen.RoleTeacher)
	half := func(ids []int64, odd bool) []int64 {
		var out []int64
		for i, id := range ids {
			if (i%2 == 1) == odd {
				out = append(out, id)
			}
		}
		return out
	}
	sessions := []schoolsen.Session{
		{Topic: "The SEND Code of Practice and the graduated approach", Date: today.AddDate(0, -11, -3), Minutes: 90, LedBy: "Sarah Ahmed (SENCO)", Attendees: every},
		{Topic: "Autism: adapting lessons and managing transitions", Date: today.AddDate(0, -9, 2), Minutes: 120, LedBy: "Local authority autism outreach team", Need: "ASD", Attendees: half(teachers, false)},
		{Topic: "Dyslexia-friendly classrooms", Date: today.AddDate(0, -7, 0), Minutes: 60, LedBy: "Specialist teacher (SpLD)", Need: "SPLD", Attendees: append(half(teachers, true), tas...)},
		{Topic: "Speech, language and communication: word-aware teaching", Date: today.AddDate(0, -5, 4), Minutes: 90, LedBy: "NHS speech and language therapy team", Need: "SLCN", Attendees: tas},
		{Topic: "Emotional regulation and zones of regulation", Date: today.AddDate(0, -3, 1), Minutes: 75, LedBy: "Educational psychologist", Need: "SEMH", Attendees: every},
		{Topic: "Writing SMART outcomes for support plans", Date: today.AddDate(0, -1, -2), Minutes: 60, LedBy: "Sarah Ahmed (SENCO)", Attendees: teachers},
	}
	for i := range sessions {
		if err := st.SaveTrainingSession(ctx, senco, &sessions[i]); err != nil {
			return fmt.Errorf("demo: training: %w", err)
		}
	}
	skills := []schoolsen.Skill{}
	if len(tas) > 0 {
		skills = append(skills, schoolsen.Skill{UserID: tas[0], Kind: schoolsen.KindSkill, Title: "Emotional Literacy Support Assistant (ELSA)", Need: "SEMH", Awarded: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)})
	}
	if len(tas) > 1 {
		skills = append(skills, schoolsen.Skill{UserID: tas[1], Kind: schoolsen.KindSkill, Title: "Elklan Speech and Language Support", Need: "SLCN", Awarded: time.Date(2024, 3, 22, 0, 0, 0, 0, time.UTC)})
	}
	if len(teachers) > 0 {
		skills = append(skills, schoolsen.Skill{UserID: teachers[0], Kind: schoolsen.KindQualification, Title: "Specialist teacher for dyslexia (AMBDA)", Need: "SPLD", Awarded: time.Date(2021, 7, 15, 0, 0, 0, 0, time.UTC)})
	}
	for i := range skills {
		if err := st.AddStaffSkill(ctx, senco, &skills[i]); err != nil {
			return fmt.Errorf("demo: skill: %w", err)
		}
	}
	post := schoolsen.Post{UserID: senco.User.ID, TookPost: time.Date(2024, 4, 15, 0, 0, 0, 0, time.UTC), Qual: schoolsen.QualNPQ, QualStarted: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)}
	if err := st.SaveSencoPost(ctx, senco, &post); err != nil {
		return fmt.Errorf("demo: senco post: %w", err)
	}
	if err := st.UploadSENPolicy(ctx, senco, "SEN policy.pdf", simplePDF("SEN policy", "Approved by the governing body. Reviewed each year."), "Reviewed and approved by governors"); err != nil {
		return fmt.Errorf("demo: policy: %w", err)
	}
	if err := st.SetSENPolicyReview(ctx, senco, today.AddDate(0, 1, 10), 0); err != nil {
		return fmt.Errorf("demo: policy review: %w", err)
	}

	rep, err := st.InfoReport(ctx, senco)
	if err != nil {
		return err
	}
	for _, sec := range rep.Sections {
		text := reportText[sec.Item]
		if sec.Suggested != "" && (sec.Item == "1" || sec.Item == "5") {
			text = sec.Suggested + "\n\n" + text
		}
		sec.Text = strings.TrimSpace(text)
		if err := st.SaveReportSection(ctx, senco, &sec); err != nil {
			return fmt.Errorf("demo: report section %s: %w", sec.Item, err)
		}
	}
	if rep, err = st.InfoReport(ctx, senco); err != nil {
		return err
	}
	rep.LocalOfferURL = "https://www.example.gov.uk/send-local-offer"
	rep.SENCOContact = "Email senco@riverside.example or phone the school office on 01234 567890 and ask for Mrs Ahmed."
	rep.LastReviewed = today.AddDate(0, -3, 0)
	if err := st.SaveReportDetails(ctx, senco, &rep); err != nil {
		return fmt.Errorf("demo: report details: %w", err)
	}
	if err := st.PublishReport(ctx, senco, true, rep.Version); err != nil {
		return fmt.Errorf("demo: publish: %w", err)
	}

	first := time.Date(today.Year(), time.September, 1, 0, 0, 0, 0, time.UTC)
	if first.After(today) {
		first = first.AddDate(-1, 0, 0)
	}
	if err := st.SetAccessPlanStart(ctx, senco, first.AddDate(-1, 0, 0), 0); err != nil {
		return err
	}
	actions := []schoolsen.Action{
		{Strand: schoolsen.StrandCurriculum, What: "Train all teachers in adapting PE lessons for pupils with physical disabilities", Owner: "PE lead", Due: first.AddDate(0, 6, 0), Progress: schoolsen.ProgressUnderway, Notes: "Two of three sessions done."},
		{Strand: schoolsen.StrandCurriculum, What: "Check every school trip's risk assessment includes access for disabled pupils", Owner: "Educational visits coordinator", Due: first.AddDate(1, 0, 0), Progress: schoolsen.ProgressNotStarted},
		{Strand: schoolsen.StrandPhysical, What: "Fit a handrail and contrasting edges to the steps by the hall", Owner: "Site manager", Due: first.AddDate(0, 2, 0), Progress: schoolsen.ProgressDone},
		{Strand: schoolsen.StrandPhysical, What: "Install a hearing loop in the main hall and the library", Owner: "Business manager", Due: first.AddDate(0, 3, 0), Progress: schoolsen.ProgressUnderway, Notes: "Quote accepted; fitting booked for half term."},
		{Strand: schoolsen.StrandInformation, What: "Offer letters home in large print and in the family's home language on request", Owner: "Office manager", Due: first.AddDate(0, 4, 0), Progress: schoolsen.ProgressDone},
		{Strand: schoolsen.StrandInformation, What: "Make the school website meet WCAG 2.2 AA, including the SEN information report", Owner: "Deputy head", Due: first.AddDate(1, 6, 0), Progress: schoolsen.ProgressNotStarted},
	}
	for i := range actions {
		if err := st.SaveAccessAction(ctx, senco, &actions[i]); err != nil {
			return fmt.Errorf("demo: access action: %w", err)
		}
	}

	// Reasonable adjustments for pupils whose needs are sensory or physical.
	adjust := map[string][2]string{
		"HI": {"Hearing impairment", "Teachers wear the radio aid transmitter; seat near the front and away from noise; key words written on the board."},
		"VI": {"Vision impairment", "Worksheets in 18 point print; a tablet to enlarge the board; extra time moving between rooms."},
		"PD": {"Physical disability", "A lift pass and a ground-floor classroom; a laptop for long writing; a rest break in PE."},
	}
	done := map[string]int{}
	for _, p := range res.Pupils {
		for _, n := range p.Needs {
			a, ok := adjust[n.Code]
			if !ok || done[n.Code] >= 2 {
				continue
			}
			done[n.Code]++
			j := schoolsen.Adjustment{PupilID: p.ID, Disability: a[0], What: a[1], From: first.AddDate(0, 0, 3), Reviewed: first.AddDate(0, 4, 0), NextReview: first.AddDate(1, 0, 0)}
			if j.Reviewed.After(today) {
				j.Reviewed = time.Time{}
			}
			if err := st.SaveAdjustment(ctx, senco, &j); err != nil {
				return fmt.Errorf("demo: adjustment: %w", err)
			}
			break
		}
	}
	return nil
}

// reportText is the demo school's SEN information report in its SENCO's
// words, one entry per Schedule 1 item.
var reportText = map[string]string{
	"1":  "We welcome every child. If your child has a need we have not listed, talk to us: we will plan with you how to meet it.",
	"2":  "Class teachers watch how every child is learning. If a child is falling behind or finding something hard, the teacher talks to you and to our SENCO. We use assessments in school and, when we need to, advice from specialists such as speech and language therapists or the educational psychologist.",
	"3a": "We check each support at every review: did it help your child meet their targets? We look at progress across the school each term and report to governors.",
	"3b": "Each child on SEN support has a plan with clear targets. We review it with you and your child three times a year.",
	"3c": "Good teaching comes first. Teachers adapt lessons, break tasks into steps and check that every child understands.",
	"3d": "We adapt how we teach and the classroom: visual timetables, quiet spaces, coloured overlays and seating plans that suit each child.",
	"3e": "Some children have extra help in small groups or one to one, such as reading, speech and language or maths groups.",
	"3f": "All our clubs, trips and sports are open to every child. We plan ahead so that each child can take part.",
	"3g": "Our ELSA and class teams help children understand and manage their feelings. We have a calm room and a worry box in every class.",
	"4":  "Our SENCO is Mrs Sarah Ahmed. She is in school every day and is happy to talk with you.",
	"5":  "Our SENCO is working towards the national SENCO qualification.",
	"6":  "We buy equipment a child needs, such as writing slopes or ear defenders. For specialist equipment we ask the local authority or health services.",
	"7":  "We meet parents at least three times a year to talk about their child's plan. You can ask to see us at any time.",
	"8":  "Children tell us their views at every review. They help set their own targets and say what helps them.",
	"9":  "If you are unhappy, please talk to your child's teacher or our SENCO first. If that does not sort it out, you can use the school's complaints policy on our website.",
	"10": "We work with health visitors, school nurses, therapists, social care and the local authority's support teams to help children and their families.",
	"11": "The local SEND information, advice and support service (SENDIASS) gives free, impartial advice to parents. Ask the office for their details.",
	"12": "We plan each move carefully: visits to the new class or school, a transition book with photos, and meetings with the new teachers.",
	"13": "You can find out about services for children with SEND in our area in the local offer.",
}

// simplePDF is a one-page PDF with a title and a line of text, for the
// demo's policy document.
func simplePDF(title, line string) []byte {
	esc := func(s string) string {
		return strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s)
	}
	stream := fmt.Sprintf("BT /F1 20 Tf 72 760 Td (%s) Tj 0 -30 Td /F1 12 Tf (%s) Tj ET", esc(title), esc(line))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}
