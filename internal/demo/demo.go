// Package demo seeds a realistic demonstration school: a primary school
// with about 300 pupils, about 60 on the SEN register with census needs and
// status histories, and staff in every role. It writes only through the
// store, so every seeded change is audited like any other.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"opensend/internal/auth"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Password is the demo accounts' password, printed by `make run`.
const Password = "opensend-demo-2026"

// Options size the school.
type Options struct {
	Name        string
	Pupils      int     // pupils on roll
	SENShare    float64 // share of pupils on the register (K or E)
	EHCPShare   float64 // share of SEN pupils with an EHC plan
	Secondary   bool
	Seed        uint64
	EmailDomain string
	// History asks capabilities to seed several years of records (for
	// benchmarks): three years of support-plan cycles, five of EHC history.
	History bool
}

// Login is a demo account to print.
type Login struct {
	Role  sen.Role
	Email string
	Name  string
}

// Result is what was created.
type Result struct {
	SchoolID int64
	Logins   []Login
	Pupils   []sen.Pupil
	Users    map[sen.Role][]sen.User
	Options  Options
}

// Forenames by the sex recorded for the pupil (census F and M), so a
// pupil's name and sex agree.
var forenames = map[string][]string{
	"F": {"Amara", "Isla", "Ava", "Freya", "Sophia", "Lily", "Grace", "Evie", "Ivy", "Mia", "Aisha", "Zara", "Poppy", "Ella", "Ruby",
		"Maya", "Layla", "Emily", "Hana", "Chloe", "Daisy", "Priya", "Niamh", "Orla", "Fatima", "Lucy", "Anaya", "Erin", "Matilda", "Sienna"},
	"M": {"Oliver", "Noah", "Leo", "Muhammad", "Arthur", "George", "Harry", "Jack", "Oscar", "Theo", "Finley", "Alfie", "Charlie", "Jacob",
		"Henry", "Thomas", "Archie", "Reuben", "Kacper", "Ibrahim", "Tomasz", "Kai", "Yusuf", "Dylan", "Elijah", "Samuel", "Joshua", "Rohan", "Ezra", "Zain"},
}

var surnames = []string{"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson",
	"Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
	"Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
	"Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
	"Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson",
	"Ellis", "Adams", "Singh", "Begum", "Ali", "Hussain", "Nowak", "Kowalski", "Okafor", "Mensah", "Chen", "Nguyen", "Ahmed", "Osei"}

// weighted primary needs for SEN support and EHC plans, roughly following
// the national pattern (SLCN most common on SEN support, ASD for EHC plans).
var kNeeds = []string{"SLCN", "SLCN", "SLCN", "SEMH", "SEMH", "SPLD", "SPLD", "MLD", "MLD", "ASD", "PD", "HI", "VI", "OTH", "NSA"}
var eNeeds = []string{"ASD", "ASD", "ASD", "SLCN", "SLCN", "SEMH", "SEMH", "MLD", "SLD", "PD", "DS", "HI", "PMLD"}

// upn builds a valid permanent UPN for LA 886, establishment 2001.
func upn(year, serial int) string {
	rest := fmt.Sprintf("8862001%02d%03d", year%100, serial%1000)
	return string(sen.UPNCheckLetter(rest)) + rest
}

// Seed creates the school. today is the Europe/London date used to place
// pupils in year groups and to date history.
func Seed(ctx context.Context, st *store.Store, o Options) (*Result, error) {
	if o.Name == "" {
		o.Name = "Meadowbank Primary School"
	}
	if o.Pupils == 0 {
		o.Pupils = 300
	}
	if o.SENShare == 0 {
		o.SENShare = 0.2
	}
	if o.EHCPShare == 0 {
		o.EHCPShare = 0.15
	}
	if o.EmailDomain == "" {
		o.EmailDomain = "meadowbank.example"
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2026))
	today := st.Today()
	phase := "primary"
	years := []string{"R", "1", "2", "3", "4", "5", "6"}
	if o.Secondary {
		phase = "secondary"
		years = []string{"7", "8", "9", "10", "11"}
	}
	trust, err := st.CreateTrust(ctx, "Riverside Learning Trust")
	if err != nil {
		return nil, err
	}
	schoolID, err := st.CreateSchool(ctx, store.School{TrustID: trust, Name: o.Name, URN: "142001", LACode: "886", Estab: "2001", Phase: phase})
	if err != nil {
		return nil, err
	}
	res := &Result{SchoolID: schoolID, Users: map[sen.Role][]sen.User{}, Options: o}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	sys := sen.Actor{User: sen.User{Name: "Demo set-up", SchoolID: schoolID}}
	mk := func(role sen.Role, first, last string) (sen.User, error) {
		email := strings.ToLower(first+"."+last) + "@" + o.EmailDomain
		id, err := st.CreateUser(ctx, sys, store.NewUser{SchoolID: schoolID, Email: email, Name: first + " " + last, Role: role, PasswordHash: hash})
		if err != nil {
			return sen.User{}, err
		}
		u := sen.User{ID: id, SchoolID: schoolID, Email: email, Name: first + " " + last, Role: role, Active: true}
		res.Users[role] = append(res.Users[role], u)
		return u, nil
	}
	type person struct {
		role        sen.Role
		first, last string
	}
	people := []person{{sen.RoleSENCO, "Sarah", "Ahmed"}, {sen.RoleDeputy, "Tom", "Fletcher"}, {sen.RoleHead, "Helen", "Price"},
		{sen.RoleOffice, "Julie", "Marsh"}, {sen.RoleGovernor, "David", "Osei"}}
	var senco sen.User
	for _, p := range people {
		u, err := mk(p.role, p.first, p.last)
		if err != nil {
			return nil, err
		}
		if p.role == sen.RoleSENCO {
			senco = u
		}
		res.Logins = append(res.Logins, Login{p.role, u.Email, u.Name})
	}
	// Two classes per year group, one teacher each, one TA per year group.
	teacherNames := [][2]string{{"Emma", "Clarke"}, {"James", "Hughes"}, {"Rachel", "Bennett"}, {"Daniel", "Moore"}, {"Sophie", "Turner"},
		{"Mark", "Ellis"}, {"Laura", "Green"}, {"Paul", "Walker"}, {"Kate", "Morgan"}, {"Ben", "Shaw"}, {"Nadia", "Hussain"}, {"Chris", "Bell"},
		{"Anna", "Kowalska"}, {"Ian", "Wright"}}
	taNames := [][2]string{{"Jo", "Parker"}, {"Sam", "Reid"}, {"Lisa", "Cole"}, {"Priya", "Shah"}, {"Gary", "Holt"}, {"Megan", "Ford"}, {"Ruth", "Lane"}}
	classTeacher := map[string]sen.User{}
	yearTA := map[string]sen.User{}
	ti := 0
	for yi, y := range years {
		for _, suffix := range []string{"A", "B"} {
			n := teacherNames[ti%len(teacherNames)]
			ti++
			u, err := mk(sen.RoleTeacher, n[0], n[1])
			if err != nil {
				return nil, err
			}
			classTeacher[y+suffix] = u
		}
		n := taNames[yi%len(taNames)]
		u, err := mk(sen.RoleTA, n[0], n[1])
		if err != nil {
			return nil, err
		}
		yearTA[y] = u
	}
	res.Logins = append(res.Logins, Login{sen.RoleTeacher, classTeacher[years[len(years)-1]+"A"].Email, classTeacher[years[len(years)-1]+"A"].Name},
		Login{sen.RoleTA, yearTA[years[len(years)-1]].Email, yearTA[years[len(years)-1]].Name})

	// Pupils, in one import.
	ayStart := today.Year()
	if today.Month() < time.September {
		ayStart--
	}
	var batch []sen.Pupil
	for i := 0; i < o.Pupils; i++ {
		yi := i % len(years)
		y := years[yi]
		ncYear := 0
		if y != "R" {
			fmt.Sscanf(y, "%d", &ncYear)
		}
		// Born between 1 Sept and 31 Aug of the right academic cohort.
		birthYear := ayStart - 5 - ncYear
		dob := time.Date(birthYear, time.September, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
		entry := time.Date(ayStart-ncYear, time.September, 3+rng.IntN(3), 0, 0, 0, 0, time.UTC)
		if rng.IntN(10) == 0 {
			entry = entry.AddDate(rng.IntN(ncYear+1), rng.IntN(8), 0)
			if entry.After(today) {
				entry = today.AddDate(0, -1, 0)
			}
		}
		class := y + []string{"A", "B"}[rng.IntN(2)]
		sex := []string{"F", "M"}[rng.IntN(2)]
		names := forenames[sex]
		batch = append(batch, sen.Pupil{UPN: upn(ayStart-ncYear, i/len(years)+1), Forename: names[rng.IntN(len(names))], Surname: surnames[rng.IntN(len(surnames))],
			DOB: dob, Sex: sex, YearGroup: y, ClassName: class, AdmissionDate: entry})
	}
	sencoActor := sen.Actor{User: senco, IP: "127.0.0.1"}
	if _, err := st.ImportPupils(ctx, sencoActor, batch, "demo-mis-export.csv"); err != nil {
		return nil, fmt.Errorf("demo: pupils: %w", err)
	}
	// Teaching relationships.
	groups, err := st.Groups(ctx, sencoActor)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if t, ok := classTeacher[g.Name]; ok {
			if err := st.SetGroupStaff(ctx, sencoActor, g.ID, t.ID, true); err != nil {
				return nil, err
			}
		}
		if ta, ok := yearTA[strings.TrimRight(g.Name, "AB")]; ok {
			if err := st.SetGroupStaff(ctx, sencoActor, g.ID, ta.ID, true); err != nil {
				return nil, err
			}
		}
	}
	// The SEN register: status histories with census needs.
	list, _, err := st.ListPupils(ctx, sencoActor, store.PupilFilter{})
	if err != nil {
		return nil, err
	}
	res.Pupils = list
	// nSEN pupils on the register now, and a quarter as many again who
	// were and are no longer: together never more than the roll, so any
	// share from 0 to 1 seeds.
	nSEN := min(len(list), int(float64(len(list))*max(0, o.SENShare)))
	nFormer := min(nSEN/4, len(list)-nSEN)
	perm := rng.Perm(len(list))
	decided := []string{"SENCO with parents after assess–plan–do–review", "SENCO and class teacher with parents", "SENCO following EP assessment"}
	for k := 0; k < nSEN+nFormer; k++ {
		p := list[perm[k]]
		start := p.AdmissionDate.AddDate(0, 2+rng.IntN(18), 0)
		if start.After(today) {
			start = today.AddDate(0, -2, 0)
		}
		if start.Before(p.AdmissionDate) {
			start = p.AdmissionDate
		}
		version := p.Version
		primary := kNeeds[rng.IntN(len(kNeeds))]
		needs := []sen.Need{{Rank: 1, Code: primary}}
		if rng.IntN(3) == 0 {
			if second := kNeeds[rng.IntN(len(kNeeds))]; second != primary && second != "NSA" && primary != "NSA" {
				needs = append(needs, sen.Need{Rank: 2, Code: second})
			}
		}
		if err := st.RecordStatus(ctx, sencoActor, p.ID, version, sen.StatusChange{Status: sen.StatusSupport, StartDate: start,
			DecidedBy: decided[rng.IntN(len(decided))], Reason: "Needs identified through the graduated approach; parents informed"}, needs); err != nil {
			return nil, fmt.Errorf("demo: status: %w", err)
		}
		version++
		switch {
		case k >= nSEN:
			// Former SEN support: progress made, back to N (monitoring).
			end := start.AddDate(0, 6+rng.IntN(6), 0)
			if end.After(today) {
				end = today
			}
			if err := st.RecordStatus(ctx, sencoActor, p.ID, version, sen.StatusChange{Status: sen.StatusNone, StartDate: end,
				DecidedBy: "SENCO with parents at review", Reason: "Outcomes met; monitoring in class"}, nil); err != nil {
				return nil, err
			}
		case float64(k) < float64(nSEN)*o.EHCPShare:
			issued := start.AddDate(1, rng.IntN(6), 0)
			if issued.After(today) {
				issued = today.AddDate(0, 0, -7)
			}
			code := eNeeds[rng.IntN(len(eNeeds))]
			if err := st.RecordStatus(ctx, sencoActor, p.ID, version, sen.StatusChange{Status: sen.StatusEHCP, StartDate: issued,
				DecidedBy: "Local authority issued EHC plan", Reason: "Final EHC plan received"}, []sen.Need{{Rank: 1, Code: code}}); err != nil {
				return nil, err
			}
		}
	}
	if res.Pupils, _, err = st.ListPupils(ctx, sencoActor, store.PupilFilter{}); err != nil {
		return nil, err
	}
	for _, extra := range extraSeeds {
		if err := extra(ctx, st, res, sencoActor, rng); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// extraSeeds are each capability's demo data, seeded in this order after the
// register exists (the order keeps the random sequence, so the demo school
// is the same every time).
var extraSeeds = []func(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, rng *rand.Rand) error{
	seedEHC,       // ehc.go
	seedPlans,     // plans.go
	seedTermDates, // termdates.go
	seedSchoolSEN, // schoolsen.go
	seedProvision, // provision.go
	seedExams,     // exams.go (secondary only)
	seedPeople,    // people.go
	seedRecords,   // records.go
	seedLeavers,   // transition.go
}
