package deadline

import "testing"

// TestNextTransfer: reg 18 from the school's type and age range and the
// school's record of the pupil's next move (statutory facts §1.3).
func TestNextTransfer(t *testing.T) {
	today := d("2026-10-05") // academic year 2026-27
	primary := School{PhasePrimary, YearEarlyYears, 6}
	infant := School{PhaseInfant, YearReception, 2}
	first := School{PhaseFirst, YearReception, 4}
	middle := School{PhaseMiddle, 5, 8}
	sec := School{PhaseSecondary, 7, 11}
	sixth := School{PhaseSecondarySixthForm, 7, 13}
	college := School{PhasePost16, 12, 14}
	special := School{PhaseSpecial, YearReception, 13}
	ey := School{PhaseEarlyYears, YearNursery1, YearEarlyYears}
	leaving := func(to Phase) *Move { return &Move{ToType: to} }
	staying := &Move{Staying: true}
	cases := []struct {
		name        string
		year        int
		sc          School
		mv          *Move
		ok          bool
		kind        TransferKind
		lastDay     string
		date        string
		conditional bool
		thisYear    bool
	}{
		{"Year 6 primary, no record: secondary, 15 Feb", 6, primary, nil, true, TransferPrimaryToSecondary, "2027-02-14", "2027-09-01", false, true},
		{"Year 5 primary: next year's transfer", 5, primary, nil, true, TransferPrimaryToSecondary, "2028-02-14", "2028-09-01", false, false},
		{"Year 2 infant to junior counts", 2, infant, leaving(PhaseJunior), true, TransferInfantToJunior, "2027-02-14", "2027-09-01", false, true},
		{"Year 2 infant to a primary's Year 3 is not a phase transfer", 2, infant, leaving(PhasePrimary), false, "", "", "", false, false},
		{"Year 4 first to middle counts (a first school is a primary school)", 4, first, nil, true, TransferPrimaryToMiddle, "2027-02-14", "2027-09-01", false, true},
		{"Year 8 middle to secondary", 8, middle, nil, true, TransferMiddleToSecondary, "2027-02-14", "2027-09-01", false, true},
		{"Year 11 (11-16) to FE college: 31 March", 11, sec, nil, true, TransferSecondaryToPost16, "2027-03-30", "2027-09-01", false, true},
		{"Year 11 (11-16) to another school's sixth form: 31 March", 11, sec, leaving(PhaseSecondarySixthForm), true, TransferSecondaryToPost16, "2027-03-30", "2027-09-01", false, true},
		{"Year 11 with sixth form, no record: conditional", 11, sixth, nil, true, TransferSecondaryToPost16, "2027-03-30", "2027-09-01", true, true},
		{"Year 11 staying in own sixth form: no transfer", 11, sixth, staying, false, "", "", "", false, false},
		{"Year 11 leaving the sixth-form school for FE", 11, sixth, leaving(PhaseFurtherEducation), true, TransferSecondaryToPost16, "2027-03-30", "2027-09-01", false, true},
		{"Year 13 sixth form, no record: nothing assumed", 13, sixth, nil, false, "", "", "", false, false},
		{"Nursery class, no record: conditional early years to school", YearEarlyYears, primary, nil, true, TransferEarlyYearsToSchool, "2027-02-14", "2027-09-01", true, true},
		{"Nursery class staying into Reception: no transfer", YearEarlyYears, primary, staying, false, "", "", "", false, false},
		{"Early years setting to school", YearEarlyYears, ey, nil, true, TransferEarlyYearsToSchool, "2027-02-14", "2027-09-01", false, true},
		{"Special school Year 6 staying: none", 6, special, staying, false, "", "", "", false, false},
		{"Special school Year 6 moving to a secondary", 6, special, leaving(PhaseSecondary), true, TransferPrimaryToSecondary, "2027-02-14", "2027-09-01", false, true},
		{"Special school Year 6, no record: stays (all-age)", 6, special, nil, false, "", "", "", false, false},
		{"Year 3 primary moving to another primary: not a phase transfer", 3, primary, leaving(PhasePrimary), false, "", "", "", false, false},
		{"College to college mid-year: five months before (reg 18(2))", 12, college, &Move{ToType: PhaseFurtherEducation, Date: d("2027-01-31")}, true, TransferPost16ToPost16, "2026-08-31", "2027-01-31", false, true},
		{"College to college on 31 July: 28 February", 12, college, &Move{ToType: PhasePost16, Date: d("2027-07-31")}, true, TransferPost16ToPost16, "2027-02-28", "2027-07-31", false, true},
		{"Recorded move date in January sets the calendar year", 6, primary, &Move{ToType: PhaseSecondary, Date: d("2028-01-04")}, true, TransferPrimaryToSecondary, "2028-02-14", "2028-01-04", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr, ok := NextTransfer(tc.year, tc.sc, tc.mv, today)
			if ok != tc.ok {
				t.Fatalf("ok = %v (%+v), want %v", ok, tr, tc.ok)
			}
			if !ok {
				return
			}
			if tr.Kind != tc.kind || tr.LastDay.String() != tc.lastDay || tr.Date.String() != tc.date || tr.Conditional != tc.conditional {
				t.Errorf("got %s last day %s move %s conditional %v, want %s %s %s %v", tr.Kind, tr.LastDay, tr.Date, tr.Conditional, tc.kind, tc.lastDay, tc.date, tc.conditional)
			}
			if got := tr.DueThisYear(today); got != tc.thisYear {
				t.Errorf("DueThisYear = %v, want %v", got, tc.thisYear)
			}
		})
	}
}

// TestTransferMilestoneMaintainDoesNotClose: the pupil changes institution,
// so the plan must name the new one; only the amended plan closes the duty.
func TestTransferMilestoneMaintainDoesNotClose(t *testing.T) {
	tr, _ := NextTransfer(6, School{PhasePrimary, YearReception, 6}, nil, d("2026-10-05"))
	dec, am := d("2026-11-20"), d("2027-01-10")
	cases := []struct {
		name    string
		outcome ReviewOutcome
		dec, am *Date
		done    bool
	}{
		{"no decision", "", nil, nil, false},
		{"maintain unchanged", ReviewMaintain, &dec, nil, false},
		{"amend, not yet issued", ReviewAmend, &dec, nil, false},
		{"amend, issued", ReviewAmend, &dec, &am, true},
		{"cease", ReviewCease, &dec, nil, true},
	}
	for _, tc := range cases {
		m := TransferMilestone(tr, tc.outcome, tc.dec, tc.am)
		if (m.Done != nil) != tc.done {
			t.Errorf("%s: done = %v, want %v", tc.name, m.Done, tc.done)
		}
		if m.Due != d("2027-02-14") || m.Key != KeyPhaseTransfer {
			t.Errorf("%s: milestone %s due %s", tc.name, m.Key, m.Due)
		}
	}
}

// TestAmendedInTime: a meeting whose 12-week amended-plan date is after
// the day before the reg 18 date leaves no time to amend.
func TestAmendedInTime(t *testing.T) {
	tr, _ := NextTransfer(6, School{PhasePrimary, YearReception, 6}, nil, d("2026-10-05"))
	for _, tc := range []struct {
		meeting string
		ok      bool
	}{{"2026-11-22", true}, {"2026-11-23", false}, {"2027-02-01", false}} {
		if got := tr.AmendedInTime(d(tc.meeting)); got != tc.ok {
			t.Errorf("meeting %s: in time = %v, want %v", tc.meeting, got, tc.ok)
		}
	}
}

// TestSchoolClosureWindow: reg 10(4)(a) - advice asked for from one week
// before a closure of at least 4 weeks to one week before the school
// re-opens.
func TestSchoolClosureWindow(t *testing.T) {
	// Summer 2026: closed Wednesday 22 July to Wednesday 2 September (re-opens
	// Thursday 3 September); October half-term Monday 26 to Friday 30 October.
	hols := []Closure{{d("2026-07-22"), d("2026-09-02")}, {d("2026-10-26"), d("2026-10-30")}}
	long := LongClosures(hols)
	if len(long) != 1 || long[0].First != d("2026-07-22") || long[0].Reopens() != d("2026-09-03") {
		t.Fatalf("long closures %v, want the summer only", long)
	}
	for _, tc := range []struct {
		asked string
		in    bool
	}{
		{"2026-07-14", false}, {"2026-07-15", true}, {"2026-08-10", true}, {"2026-08-27", true}, {"2026-08-28", false}, {"2026-10-20", false},
	} {
		if _, ok := InClosureWindow(d(tc.asked), long); ok != tc.in {
			t.Errorf("asked %s: in window = %v, want %v", tc.asked, ok, tc.in)
		}
	}
	// Two holidays separated by a weekend make one closure; a 3-week
	// closure is not long enough.
	joined := LongClosures([]Closure{{d("2026-07-20"), d("2026-07-31")}, {d("2026-08-03"), d("2026-08-14")}})
	if len(joined) != 1 || joined[0].First != d("2026-07-18") || joined[0].Last != d("2026-08-16") {
		t.Errorf("joined closures %v", joined)
	}
	if short := LongClosures([]Closure{{d("2026-07-20"), d("2026-08-07")}}); len(short) != 0 {
		t.Errorf("a 3-week closure counted: %v", short)
	}
}
