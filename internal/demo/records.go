package demo

import (
	"context"
	"math/rand/v2"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// seedRecords adds three former pupils, who left at the end of Year 6, whose SEN files are past retention (date of
// birth + 31 years, internal/records): two on the disposal list, one of them
// with a concern, and one under a legal hold.
func seedRecords(ctx context.Context, st *store.Store, _ *Result, senco sen.Actor, _ *rand.Rand) error {
	former := []struct {
		forename, surname, sex, upn string
		dob                         time.Time
		hold                        string
	}{
		{"Daniel", "Whitfield", "M", "886998000011", time.Date(1993, 5, 12, 0, 0, 0, 0, time.UTC), ""},
		{"Rebecca", "Ashworth", "F", "886998000012", time.Date(1994, 11, 3, 0, 0, 0, 0, time.UTC), ""},
		{"Liam", "Prescott", "M", "886998000013", time.Date(1992, 2, 29, 0, 0, 0, 0, time.UTC),
			"Claim notified by the family's solicitor (Harlow & Co, ref. 4471): keep everything until it is settled"},
	}
	for i, f := range former {
		p := sen.Pupil{UPN: string(sen.UPNCheckLetter(f.upn)) + f.upn, Forename: f.forename, Surname: f.surname, DOB: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC), Sex: f.sex, YearGroup: "6"}
		if err := st.CreatePupil(ctx, senco, &p); err != nil {
			return err
		}
		if err := st.DemoFormerPupil(ctx, senco, p.ID, f.dob, time.Time{}, ""); err != nil {
			return err
		}
		if i == 1 {
			if err := st.DemoClosedConcern(ctx, senco, p.ID, "Struggled to copy from the board; seen by the visual impairment team", time.Date(2004, 3, 15, 10, 0, 0, 0, time.UTC)); err != nil {
				return err
			}
		}
		// Left at the end of Year 6 (the July after their eleventh birthday's school year).
		y := f.dob.Year() + 11
		if f.dob.Month() >= time.September {
			y++
		}
		if err := st.DemoFormerPupil(ctx, senco, p.ID, f.dob, time.Date(y, time.July, 20, 0, 0, 0, 0, time.UTC), "Northbrook Academy"); err != nil {
			return err
		}
		if f.hold != "" {
			if _, err := st.PlaceHold(ctx, senco, p.ID, f.hold); err != nil {
				return err
			}
		}
	}
	return nil
}
