package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// The people around the pupils (issue 14): contacts for every pupil
// (mostly sharing the pupil's surname, some not; a few with a restriction
// or needing an interpreter), a contact log for pupils with SEN with
// follow-ups due and overdue, key adults, ten services and referrals at
// every stage. Phone numbers are in Ofcom's range for drama (07700 900xxx)
// and e-mails at example.com.

var parentForenames = map[string][]string{
	"mother": {"Sarah", "Emma", "Laura", "Rachel", "Amina", "Joanna", "Nadia", "Claire", "Kerry", "Agnieszka", "Shazia", "Funmi", "Lisa", "Mei", "Hannah"},
	"father": {"James", "Daniel", "Mark", "Imran", "Paul", "Piotr", "Kwame", "Chris", "Stephen", "Ravi", "Lee", "Tariq", "Wei", "Gareth", "Adam"},
}

var otherSurnames = []string{"Harper", "Doyle", "Fraser", "Quinn", "Lowe", "Reid", "Barker", "Hale"}

var streets = []string{"Orchard Way", "Mill Lane", "Station Road", "Church Street", "Victoria Road", "Brook Close", "Meadow View", "Park Avenue"}

// languageOf gives some families a preferred language other than English,
// by surname (a demo approximation).
var languageOf = map[string]string{"Nowak": "Polish", "Kowalski": "Polish", "Begum": "Bengali", "Ali": "Urdu", "Hussain": "Urdu",
	"Khan": "Urdu", "Nguyen": "Vietnamese", "Chen": "Mandarin", "Okafor": "Igbo", "Osei": "Twi", "Ahmed": "Arabic"}

var demoAgencies = []people.Agency{
	{Name: "Riverside Educational Psychology Service", Kind: "ep", ContactPerson: "Dr Anna Kerr", Phone: "01632 960101", Email: "eps@riverside.example", Address: "Civic Centre, Riverside RV1 2AB", WaitWeeks: 12},
	{Name: "Riverside Children's Speech and Language Therapy", Kind: "salt", ContactPerson: "Priya Shah", Phone: "01632 960102", Email: "salt@nhs-riverside.example", Address: "Riverside Health Centre, RV2 3CD", WaitWeeks: 18},
	{Name: "Children's Occupational Therapy", Kind: "ot", ContactPerson: "Mark Ellis", Phone: "01632 960103", Email: "ot@nhs-riverside.example", WaitWeeks: 18},
	{Name: "Riverside CAMHS", Kind: "camhs", ContactPerson: "Single point of access", Phone: "01632 960104", Email: "camhs.spa@nhs-riverside.example", WaitWeeks: 16},
	{Name: "Community Paediatrics", Kind: "paediatrics", ContactPerson: "Dr Sam Okoro", Phone: "01632 960105", Email: "paeds@nhs-riverside.example", WaitWeeks: 26},
	{Name: "Children's Social Care front door", Kind: "social_care", ContactPerson: "Duty team", Phone: "01632 960106", Email: "frontdoor@riverside.example", WaitWeeks: 2},
	{Name: "School Nursing Team", Kind: "school_nursing", ContactPerson: "Jo Byrne", Phone: "01632 960107", Email: "schoolnurse@nhs-riverside.example", WaitWeeks: 6},
	{Name: "Specialist Teaching and Outreach Service", Kind: "outreach", ContactPerson: "Ruth Lang", Phone: "01632 960108", Email: "outreach@riverside.example", WaitWeeks: 8},
	{Name: "Early Help Hub", Kind: "early_help", ContactPerson: "Aisha Rahman", Phone: "01632 960109", Email: "earlyhelp@riverside.example", WaitWeeks: 4},
	{Name: "Riverside Sensory Support (hearing and vision)", Kind: "other", ContactPerson: "Ian Bell", Phone: "01632 960110", Email: "sensory@riverside.example", WaitWeeks: 10},
}

func seedPeople(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, _ *rand.Rand) error {
	// Its own random sequence, so the other capabilities' demo data stays
	// the same whatever is seeded here.
	rng := rand.New(rand.NewPCG(res.Options.Seed, 14))
	today := st.Today()

	// Contacts for every pupil, in one import-like transaction.
	var rows []people.ImportRow
	phone := 0
	nextPhone := func() string { phone = (phone + 1) % 1000; return fmt.Sprintf("07700 900%03d", phone) }
	for i, p := range res.Pupils {
		surname := p.Surname
		lang := languageOf[p.Surname]
		addr := fmt.Sprintf("%d %s\nRiverside\nRV%d %dAB", 1+rng.IntN(120), streets[rng.IntN(len(streets))], 1+rng.IntN(9), 1+rng.IntN(9))
		mumSurname := surname
		if rng.IntN(6) == 0 {
			mumSurname = otherSurnames[rng.IntN(len(otherSurnames))]
		}
		mumFirst := parentForenames["mother"][rng.IntN(len(parentForenames["mother"]))]
		mum := people.Contact{Name: mumFirst + " " + mumSurname, Relationship: "mother", ParentalResp: true, LivesWith: true, Address: addr,
			Phone: nextPhone(), Email: strings.ToLower(mumFirst+"."+mumSurname) + "@example.com", PreferredWay: []string{"phone", "email", "text"}[rng.IntN(3)],
			Language: lang, Interpreter: lang != "" && i%3 == 0}
		rows = append(rows, people.ImportRow{UPN: p.UPN, Contact: mum})
		if rng.IntN(4) == 0 {
			continue // one contact only
		}
		dadFirst := parentForenames["father"][rng.IntN(len(parentForenames["father"]))]
		dad := people.Contact{Name: dadFirst + " " + surname, Relationship: "father", ParentalResp: true, Phone: nextPhone(), PreferredWay: "phone", Language: lang}
		switch {
		case i%37 == 5:
			dad.Restricted, dad.Restriction = true, "Court order (child arrangements): no contact with the pupil at school; do not share reports or information. Copy held by the DSL."
			dad.LivesWith = false
		case i%29 == 11:
			dad = people.Contact{Name: dadFirst + " " + surname, Relationship: "father", ParentalResp: false, Phone: dad.Phone, PreferredWay: "phone",
				Restricted: true, Restriction: "Prohibited steps order: do not release the pupil to him; no information to be shared."}
		case rng.IntN(3) == 0:
			dad.LivesWith = false
			dad.Address = fmt.Sprintf("%d %s\nNorthbridge\nNB%d 4CD", 1+rng.IntN(80), streets[rng.IntN(len(streets))], 1+rng.IntN(9))
		default:
			dad.LivesWith, dad.Address = true, addr
		}
		rows = append(rows, people.ImportRow{UPN: p.UPN, Contact: dad})
		if i%11 == 0 {
			rows = append(rows, people.ImportRow{UPN: p.UPN, Contact: people.Contact{Name: parentForenames["mother"][rng.IntN(15)] + " " + surname,
				Relationship: "grandparent", Phone: nextPhone(), PreferredWay: "phone"}})
		}
	}
	if len(rows) > 0 {
		for i := range rows {
			rows[i].Row = i + 2
		}
		if _, _, err := st.ImportContacts(ctx, senco, rows, "demo contacts"); err != nil {
			return fmt.Errorf("demo contacts: %w", err)
		}
	}

	// The services.
	var agencies []people.Agency
	for _, g := range demoAgencies {
		g := g
		if err := st.SaveAgency(ctx, senco, &g); err != nil {
			return fmt.Errorf("demo agency: %w", err)
		}
		agencies = append(agencies, g)
	}

	// Who teaches each class, for key adults and the log.
	groups, err := st.Groups(ctx, senco)
	if err != nil {
		return err
	}
	teacherOf, taOf := map[string]sen.Actor{}, map[string]sen.Actor{}
	for _, g := range groups {
		for _, u := range g.Staff {
			switch u.Role {
			case sen.RoleTeacher:
				teacherOf[g.Name] = sen.Actor{User: u, IP: "127.0.0.1"}
			case sen.RoleTA:
				taOf[g.Name] = sen.Actor{User: u, IP: "127.0.0.1"}
			}
		}
	}
	var withSEN []sen.Pupil
	for _, p := range res.Pupils {
		if p.Status == sen.StatusSupport || p.Status == sen.StatusEHCP {
			withSEN = append(withSEN, p)
		}
	}
	statuses := [][]string{
		{}, {people.Sent}, {people.Sent, people.Accepted}, {people.Sent, people.Waiting}, {people.Sent, people.Accepted, people.Waiting},
		{people.Sent, people.Waiting, people.Seen}, {people.Sent, people.Accepted, people.Seen, people.Discharged}, {people.Sent, people.Declined},
	}
	reasons := map[string]string{"ep": "Progress well below expected despite two cycles of SEN support; advice on learning needs and strategies.",
		"salt":           "Speech is hard to understand and vocabulary is limited; assessment of speech and language needs.",
		"ot":             "Difficulty with handwriting, scissors and dressing for PE; assessment of fine motor skills.",
		"camhs":          "Persistent anxiety affecting attendance and sleep; parents request assessment.",
		"paediatrics":    "Parents and school concerned about attention and social communication; developmental assessment.",
		"social_care":    "Early help plan not meeting the family's needs; request for assessment.",
		"school_nursing": "Toileting and continence support in school.",
		"outreach":       "Advice for class staff on supporting sensory needs and regulation.",
		"early_help":     "Family would like support with routines at home and parenting.",
		"other":          "Hearing screen failed at school; referral for hearing assessment."}
	for n, p := range withSEN {
		fam, err := st.Family(ctx, senco, p.ID, false)
		if err != nil {
			return err
		}
		teacher, hasTeacher := teacherOf[p.ClassName]
		// Key adult: the class teacher, or the TA as key worker for some.
		switch {
		case n%4 == 1 && taOf[p.ClassName].User.ID != 0:
			k := people.KeyAdult{PupilID: p.ID, StaffID: taOf[p.ClassName].User.ID, Role: "key_worker"}
			if err := st.SetKeyAdult(ctx, senco, &k); err != nil {
				return fmt.Errorf("demo key adult: %w", err)
			}
		case hasTeacher:
			role := "class_teacher"
			if res.Options.Secondary {
				role = "tutor"
			}
			k := people.KeyAdult{PupilID: p.ID, StaffID: teacher.User.ID, Role: role}
			if err := st.SetKeyAdult(ctx, senco, &k); err != nil {
				return fmt.Errorf("demo key adult: %w", err)
			}
		}
		if len(fam.Contacts) == 0 {
			continue
		}
		parent := fam.Contacts[0]
		// A short history: a meeting each term for some, calls and e-mails, follow-ups.
		logs := []people.LogEntry{
			{Kind: people.LogMeeting, Date: today.AddDate(0, -2-n%3, -n%20), ContactID: parent.ID, Summary: "Met to agree the outcomes of the support plan and how home can help."},
			{Kind: people.LogCall, Date: today.AddDate(0, 0, -(3 + n%25)), ContactID: parent.ID, Summary: "Called to share a good week and check the homework routine."},
		}
		if n%2 == 0 {
			logs = append(logs, people.LogEntry{Kind: people.LogMeeting, Date: today.AddDate(0, -6, -n%10), ContactID: parent.ID, Summary: "Review meeting: progress shared; parents' views recorded."})
		}
		if n%5 == 0 {
			logs = append(logs, people.LogEntry{Kind: people.LogEmail, Date: today.AddDate(0, 0, -(2 + n%6)), ContactID: parent.ID, Summary: "Parent asked about the referral and the waiting time.",
				FollowUp: "Reply with the service's expected waiting time", FollowUpDue: today.AddDate(0, 0, n%9-1)})
		}
		if n%7 == 3 {
			logs = append(logs, people.LogEntry{Kind: people.LogLetter, Date: today.AddDate(0, 0, -20), With: "Family support worker", Summary: "Letter confirming the early help meeting.",
				FollowUp: "Book the next team around the family meeting", FollowUpDue: today.AddDate(0, 0, -3)})
		}
		for _, e := range logs {
			e.PupilID = p.ID
			by := senco
			if hasTeacher && e.Kind == people.LogCall {
				by = teacher
			}
			if err := st.AddLogEntry(ctx, by, &e); err != nil {
				return fmt.Errorf("demo contact log: %w", err)
			}
		}
		// Referrals: one in every three pupils with SEN, across every stage.
		if n%3 != 0 || len(agencies) == 0 {
			continue
		}
		moves := statuses[(n/3)%len(statuses)]
		g := agencies[(n/3)%len(agencies)]
		start := today.AddDate(0, 0, -7*(4+rng.IntN(24)))
		r := people.Referral{PupilID: p.ID, AgencyID: g.ID, Reason: reasons[g.Kind], Consent: true, ConsentBy: parent.Name + " (" + strings.ToLower(parent.RelationshipLabel()) + "), signed form",
			ConsentDate: start.AddDate(0, 0, -7)}
		if len(moves) == 0 {
			r.Consent, r.ConsentBy, r.ConsentDate = false, "", time.Time{}
		}
		if err := st.AddReferral(ctx, senco, &r); err != nil {
			return fmt.Errorf("demo referral: %w", err)
		}
		version := r.Version
		d := start
		for _, to := range moves {
			if d.After(today) {
				d = today
			}
			moved, err := st.MoveReferral(ctx, senco, r.ID, version, to, d)
			if err != nil {
				return fmt.Errorf("demo referral %s: %w", to, err)
			}
			version = moved.Version
			d = d.AddDate(0, 0, 7*(1+rng.IntN(8)))
		}
		if len(moves) > 0 && people.Open(moves[len(moves)-1]) && n%2 == 0 {
			moved, err := st.Referral(ctx, senco, r.ID)
			if err != nil {
				return err
			}
			moved.NextAppointment = today.AddDate(0, 0, 14+n%20)
			if err := st.UpdateReferral(ctx, senco, &moved); err != nil {
				return fmt.Errorf("demo referral appointment: %w", err)
			}
		}
	}
	return nil
}
