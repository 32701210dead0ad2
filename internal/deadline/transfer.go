package deadline

import (
	"fmt"
	"time"
)

// National Curriculum year groups: Reception is 0, Year 1 is 1 ... Year 13
// is 13; pre-school years are negative.
const (
	YearNursery1   = -2 // first pre-school year (age 2-3)
	YearEarlyYears = -1 // final pre-school year (nursery, age 3-4)
	YearReception  = 0
)

// PFARequired reports whether annual reviews must consider preparing for
// adulthood and independent living: "from Year 9 onwards"
// (SEND Regs 2014 reg 20(6); reg 21(6) where the child is not at school).
func PFARequired(yearGroup int) bool { return yearGroup >= 9 }

// AcademicYearStart returns the calendar year in which the academic year
// containing d began: academic years run 1 September to 31 August, so
// 2027-08-31 is in academic year 2026 and 2027-09-01 in 2027.
func AcademicYearStart(d Date) int {
	if d.M >= time.September {
		return d.Y
	}
	return d.Y - 1
}

// AcademicYear returns the first and last days (1 September, 31 August) of
// the academic year containing d. It is OpenSEND's one academic-year rule:
// every other helper calls it or AcademicYearStart.
func AcademicYear(d Date) (first, last Date) {
	y := AcademicYearStart(d)
	return Date{y, time.September, 1}, Date{y + 1, time.August, 31}
}

// Phase is the type of school or setting by the year groups it teaches.
type Phase string

// School phases. The year ranges are those assumed for validation; a setting
// with a nursery class may record pupils in YearEarlyYears.
const (
	PhaseEarlyYears          Phase = "early-years"               // nursery/pre-school/childminder: N1-N2, then school
	PhaseInfant              Phase = "infant"                    // (nursery) R-Y2, then junior school
	PhaseFirst               Phase = "first"                     // (nursery) R-Y4 (three-tier), then middle school
	PhaseJunior              Phase = "junior"                    // Y3-Y6, then secondary
	PhasePrimary             Phase = "primary"                   // (nursery) R-Y6, then secondary
	PhaseMiddle              Phase = "middle"                    // Y5-Y8 (9-13 or 10-13 middle), then secondary/upper
	PhaseMiddleDeemedPrimary Phase = "middle-deemed-primary"     // Y4-Y7 (8-12 middle), then secondary/upper
	PhaseSecondary           Phase = "secondary"                 // Y7-Y11, then post-16
	PhaseSecondarySixthForm  Phase = "secondary-with-sixth-form" // Y7-Y13 (also 13-18 upper schools)
	PhaseAllThrough          Phase = "all-through"               // (nursery) R-Y13 with sixth form
	PhasePost16              Phase = "post-16"                   // FE/sixth-form college, 16-19 academy: Y12-Y14
)

// TransferKind is one of the "transfers between phases of education" in
// SEND Regs 2014 reg 2(1).
type TransferKind string

// Transfers between phases (reg 2(1)).
const (
	TransferEarlyYearsToSchool TransferKind = "early-years-to-school" // relevant early years education to school
	TransferInfantToJunior     TransferKind = "infant-to-junior"
	TransferPrimaryToMiddle    TransferKind = "primary-to-middle"
	TransferPrimaryToSecondary TransferKind = "primary-to-secondary"
	TransferMiddleToSecondary  TransferKind = "middle-to-secondary"
	TransferSecondaryToPost16  TransferKind = "secondary-to-post16"
)

type phaseSpec struct {
	first, last int          // year groups taught
	kind        TransferKind // transfer at the end of the last year ("" for none)
	sixthForm   bool         // keeps pupils after Year 11
}

var phaseSpecs = map[Phase]phaseSpec{
	PhaseEarlyYears:          {YearNursery1, YearEarlyYears, TransferEarlyYearsToSchool, false},
	PhaseInfant:              {YearEarlyYears, 2, TransferInfantToJunior, false},
	PhaseFirst:               {YearEarlyYears, 4, TransferPrimaryToMiddle, false},
	PhaseJunior:              {3, 6, TransferPrimaryToSecondary, false},
	PhasePrimary:             {YearEarlyYears, 6, TransferPrimaryToSecondary, false},
	PhaseMiddle:              {5, 8, TransferMiddleToSecondary, false},
	PhaseMiddleDeemedPrimary: {4, 7, TransferMiddleToSecondary, false},
	PhaseSecondary:           {7, 11, TransferSecondaryToPost16, false},
	PhaseSecondarySixthForm:  {7, 13, TransferSecondaryToPost16, true},
	PhaseAllThrough:          {YearEarlyYears, 13, TransferSecondaryToPost16, true},
	PhasePost16:              {12, 14, "", false},
}

// Transfer is a phase transfer and its reg 18 review deadline.
type Transfer struct {
	Kind     TransferKind
	FromYear int  // year group in the final year before the move
	ToYear   int  // year group after the move
	Date     Date // 1 September on which the pupil moves
	// Deadline is the date reg 18(1) names: 15 February, or 31 March for
	// secondary school to a post-16 institution, in the calendar year of the
	// transfer. The plan must be reviewed and amended *before* it.
	Deadline Date
	// LastDay is Deadline - 1 day, the last compliant day ("before 15
	// February"). Milestones use it as their Due date.
	LastDay Date
	// Conditional is set when the move is a transfer between phases only if
	// the pupil actually changes setting (nursery class to Reception in the
	// same school; staying on in a school's own sixth form is not a transfer,
	// because a school is not a post-16 institution). Note explains.
	Conditional bool
	Note        string
	Source      string
}

// Label describes the transfer, e.g. "Year 6 to Year 7 (primary to secondary)".
func (t Transfer) Label() string {
	return fmt.Sprintf("%s to %s (%s)", yearName(t.FromYear), yearName(t.ToYear), kindName(t.Kind))
}

// PhaseTransferThisYear reports whether a pupil now in yearGroup at a school
// of the given phase will transfer between phases at the end of the current
// academic year (the one containing today), and the reg 18 deadline. The
// calendar year of transfer is the year of the September in which they move.
// ok is false when no transfer falls due; err is set for an unknown phase or
// a year group the phase does not teach.
func PhaseTransferThisYear(yearGroup int, phase Phase, today Date) (t Transfer, ok bool, err error) {
	return transferAt(yearGroup, phase, AcademicYearStart(today)+1)
}

// PhaseTransferNextYear is PhaseTransferThisYear for the end of the NEXT
// academic year, so the app can list transfers a year ahead. A pupil in the
// last year of the phase leaves this year, so for them ok is false (their
// next setting is unknown).
func PhaseTransferNextYear(yearGroup int, phase Phase, today Date) (t Transfer, ok bool, err error) {
	spec, err := lookupPhase(yearGroup, phase)
	if err != nil || yearGroup >= spec.last {
		return Transfer{}, false, err
	}
	return transferAt(yearGroup+1, phase, AcademicYearStart(today)+2)
}

// Post16TransferDeadline returns the last day to review and amend the plan
// of a young person moving from one post-16 institution to another at a time
// other than the usual phase transfer: "at least five months before that
// transfer takes place" (SEND Regs 2014 reg 18(2)). Months are counted back
// with AddMonths, so a transfer on 31 July gives 28 (or 29) February.
func Post16TransferDeadline(transfer Date) Date { return transfer.AddMonths(-5) }

func lookupPhase(yearGroup int, phase Phase) (phaseSpec, error) {
	spec, ok := phaseSpecs[phase]
	if !ok {
		return phaseSpec{}, fmt.Errorf("deadline: unknown school phase %q", phase)
	}
	if yearGroup < spec.first || yearGroup > spec.last {
		return phaseSpec{}, fmt.Errorf("deadline: a %s setting does not teach %s", phase, yearName(yearGroup))
	}
	return spec, nil
}

// transferAt reports the transfer at the end of yearGroup, the move taking
// place in September of calendar year moveYear.
func transferAt(yearGroup int, phase Phase, moveYear int) (Transfer, bool, error) {
	spec, err := lookupPhase(yearGroup, phase)
	if err != nil {
		return Transfer{}, false, err
	}
	var (
		kind        TransferKind
		conditional bool
		note        string
	)
	switch {
	case yearGroup == YearEarlyYears && phase != PhaseEarlyYears:
		// Nursery class moving up to Reception in the same school: reported
		// so it is not missed, but flagged for the LA to confirm.
		kind, conditional = TransferEarlyYearsToSchool, true
		note = "Nursery class to Reception: a transfer between phases if the child moves from early years education into school; confirm with the LA"
	case yearGroup == spec.last:
		kind = spec.kind
		if spec.sixthForm {
			conditional = true
			note = "Only if the young person moves to a post-16 institution (e.g. an FE or sixth-form college)"
		}
	case spec.sixthForm && yearGroup == 11:
		kind, conditional = TransferSecondaryToPost16, true
		note = "Only if the pupil leaves for a post-16 institution; staying in the school's own sixth form is not a transfer between phases"
	}
	if kind == "" {
		return Transfer{}, false, nil
	}
	t := Transfer{
		Kind:        kind,
		FromYear:    yearGroup,
		ToYear:      yearGroup + 1,
		Date:        Date{moveYear, time.September, 1},
		Conditional: conditional,
		Note:        note,
	}
	if kind == TransferSecondaryToPost16 {
		t.Deadline = Date{moveYear, time.March, 31} // SEND Regs 2014 reg 18(1)(a)
		t.Source = "SEND Regs 2014 reg 18(1)(a)"
	} else {
		t.Deadline = Date{moveYear, time.February, 15} // SEND Regs 2014 reg 18(1)(b)
		t.Source = "SEND Regs 2014 reg 18(1)(b)"
	}
	t.LastDay = t.Deadline.AddDays(-1) // "before" the named date
	return t, true, nil
}

func yearName(y int) string {
	switch {
	case y == YearNursery1:
		return "Nursery 1"
	case y == YearEarlyYears:
		return "Nursery"
	case y == YearReception:
		return "Reception"
	case y > 0:
		return fmt.Sprintf("Year %d", y)
	}
	return fmt.Sprintf("year group %d", y)
}

func kindName(k TransferKind) string {
	switch k {
	case TransferEarlyYearsToSchool:
		return "early years to school"
	case TransferInfantToJunior:
		return "infant to junior"
	case TransferPrimaryToMiddle:
		return "primary to middle"
	case TransferPrimaryToSecondary:
		return "primary to secondary"
	case TransferMiddleToSecondary:
		return "middle to secondary"
	case TransferSecondaryToPost16:
		return "secondary to post-16"
	}
	return string(k)
}
