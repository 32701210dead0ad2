package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/transition"
)

// Leavers (issue 15): three pupils with SEN who left at the end of last
// summer term for their secondary schools, their CTFs sent a few days
// later, and one pupil who left a week ago after moving house, whose CTF is
// still to send (the duty is on the calendar and the office's home page).
// They are pupils of their own, so the roll's stories are unchanged.

type demoLeaver struct {
	forename, surname, sex string
	status                 string
	needs                  []sen.Need
	dest, destURN, laestab string
	reason                 string
	recent                 bool
}

var demoLeavers = []demoLeaver{
	{"Grace", "Whitfield", "F", sen.StatusSupport, []sen.Need{{Rank: 1, Code: "SPLD"}}, "Riverside Academy", "142112", "8864012", "phase", false},
	{"Kacper", "Nowak", "M", sen.StatusEHCP, []sen.Need{{Rank: 1, Code: "ASD"}, {Rank: 2, Code: "SLCN"}}, "Riverside Academy", "142112", "8864012", "phase", false},
	{"Anaya", "Begum", "F", sen.StatusSupport, []sen.Need{{Rank: 1, Code: "SEMH"}}, "St Anne's Catholic High School", "118890", "8864570", "phase", false},
	{"Reuben", "Okoro", "M", sen.StatusSupport, []sen.Need{{Rank: 1, Code: "SLCN"}}, "Oakfield Primary School", "141567", "8862043", "transfer", true},
}

func seedLeavers(ctx context.Context, st *store.Store, res *Result, senco sen.Actor, _ *rand.Rand) error {
	today := st.Today()
	first, _ := ehc.AcademicYear(today)
	// The last day of last summer term: the weekday before the summer holiday.
	summerEnd := time.Date(first.Year(), time.July, 21, 0, 0, 0, 0, time.UTC)
	for summerEnd.Weekday() == time.Saturday || summerEnd.Weekday() == time.Sunday {
		summerEnd = summerEnd.AddDate(0, 0, -1)
	}
	recent := today.AddDate(0, 0, -7)
	office := senco
	if u := res.Users[sen.RoleOffice]; len(u) > 0 {
		office = sen.Actor{User: u[0], IP: "127.0.0.1"}
	}
	top := "6"
	if res.Options.Secondary {
		top = "11"
	}
	for i, d := range demoLeavers {
		year, left := top, summerEnd
		if d.recent {
			year, left = "4", recent
		}
		var n int
		fmt.Sscanf(year, "%d", &n)
		ay := first.Year()
		if !d.recent {
			ay-- // last year's cohort
		}
		p := sen.Pupil{UPN: upn(ay-n, 900+i), Forename: d.forename, Surname: d.surname, Sex: d.sex, YearGroup: year,
			DOB:           time.Date(ay-5-n, time.October, 3+5*i, 0, 0, 0, 0, time.UTC),
			AdmissionDate: time.Date(ay-n, time.September, 4, 0, 0, 0, 0, time.UTC)}
		var leaving transition.Leaving
		err := atClock(st, left.Add(9*time.Hour), func() error {
			if err := st.CreatePupil(ctx, senco, &p); err != nil {
				return err
			}
			v := p.Version
			start := p.AdmissionDate.AddDate(1, 1, 0)
			if err := st.RecordStatus(ctx, senco, p.ID, v, sen.StatusChange{Status: sen.StatusSupport, StartDate: start, DecidedBy: "SENCO with parents after assess–plan–do–review",
				Reason: "Needs identified through the graduated approach; parents informed"}, d.needs[:1]); err != nil {
				return err
			}
			v++
			if d.status == sen.StatusEHCP {
				if err := st.RecordStatus(ctx, senco, p.ID, v, sen.StatusChange{Status: sen.StatusEHCP, StartDate: start.AddDate(1, 2, 0), DecidedBy: "Local authority issued EHC plan",
					Reason: "Final EHC plan received"}, d.needs); err != nil {
					return err
				}
				v++
			} else if len(d.needs) > 1 {
				if err := st.SetNeeds(ctx, senco, p.ID, v, d.needs); err != nil {
					return err
				}
				v++
			}
			leaving = transition.Leaving{LeftOn: left, Reason: d.reason, DestName: d.dest, DestURN: d.destURN, DestLAESTAB: d.laestab}
			return st.RecordLeaving(ctx, office, p.ID, v, &leaving)
		})
		if err != nil {
			return fmt.Errorf("demo: leaver: %w", err)
		}
		if d.recent {
			continue
		}
		sent := left.AddDate(0, 0, 3+i)
		if err := atClock(st, sent.Add(11*time.Hour), func() error {
			if _, err := st.ExportCTF(ctx, office, []int64{p.ID}, "", ""); err != nil {
				return err
			}
			return st.RecordCTFSent(ctx, office, p.ID, leaving.Version, sent)
		}); err != nil {
			return fmt.Errorf("demo: CTF sent: %w", err)
		}
	}
	return nil
}
