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
	// ToType is the type of institution the pupil moves to (NextTransfer).
	ToType Phase
	// FiveMonths marks a reg 18(2) move between post-16 institutions:
	// LastDay is five months before Date.
	FiveMonths bool
}

// Label describes the transfer, e.g. "Year 6 to Year 7 (primary to secondary)".
func (t Transfer) Label() string {
	if t.FiveMonths {
		return "Move to another post-16 institution on " + t.Date.Long()
	}
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
	case TransferPost16ToPost16:
		return "post-16 to post-16"
	}
	return string(k)
}

// --- The school's type and the pupil's next move (reg 18 from both) ---

// More school types than the year-group phases above: a maintained nursery
// school, a special school (its transfers follow its age range and the
// pupil's year group) and, as a destination only, a further education
// college or other post-16 institution.
const (
	PhaseNursery          Phase = "nursery"
	PhaseSpecial          Phase = "special"
	PhaseFurtherEducation Phase = "further-education"
)

// TransferPost16ToPost16 is a move from one post-16 institution to another
// at a time other than a transfer between phases (SEND Regs 2014 reg
// 18(2)): the plan is reviewed and amended at least five months before it.
const TransferPost16ToPost16 TransferKind = "post16-to-post16"

// School is what the reg 18 rules need to know about the pupil's school:
// its type and the year groups it teaches (Lowest and Highest, in the
// numbering of YearReception).
type School struct {
	Type            Phase
	Lowest, Highest int
}

// DefaultYears returns the usual lowest and highest year groups of a school
// type (ok is false for an unknown type, or one that is a destination
// only): the school changes them on its settings page.
func DefaultYears(t Phase) (lowest, highest int, ok bool) {
	switch t {
	case PhaseNursery:
		return YearNursery1, YearEarlyYears, true
	case PhaseSpecial:
		return YearReception, 13, true
	case PhaseFurtherEducation:
		return 0, 0, false
	}
	spec, ok := phaseSpecs[t]
	return spec.first, spec.last, ok
}

// Move is the school's record of a pupil's next move.
type Move struct {
	// Staying: the pupil stays in the same institution (into the school's own
	// sixth form, or from its nursery class into Reception). Staying in the
	// same institution is not a transfer between phases (reg 2(1)).
	Staying bool
	// ToType is the type of the institution the pupil moves to.
	ToType Phase
	// Date is the day of the move; zero means 1 September after the pupil's
	// last year here.
	Date Date
}

// stage is the phase of education a pupil is in, for reg 2(1).
type stage int

const (
	stageNone stage = iota
	stageEarlyYears
	stageInfant
	stageJunior
	stagePrimary // primary and first schools (a first school is a primary school)
	stageMiddle
	stageSecondary // any school from Year 7, including its sixth form
	stagePost16    // a post-16 institution (FE or sixth-form college, 16-19 academy)
)

// stageOf says which phase a pupil in year y at a school of type t is in.
func stageOf(t Phase, y int) stage {
	switch t {
	case PhaseEarlyYears, PhaseNursery:
		return stageEarlyYears
	case PhasePost16, PhaseFurtherEducation:
		return stagePost16
	}
	if y <= YearEarlyYears {
		return stageEarlyYears // a nursery class
	}
	switch t {
	case PhaseInfant:
		return stageInfant
	case PhaseJunior:
		return stageJunior
	case PhaseFirst, PhasePrimary:
		return stagePrimary
	case PhaseMiddle, PhaseMiddleDeemedPrimary:
		return stageMiddle
	case PhaseSecondary, PhaseSecondarySixthForm:
		return stageSecondary
	case PhaseAllThrough, PhaseSpecial:
		if y <= 6 {
			return stagePrimary
		}
		return stageSecondary
	}
	return stageNone
}

// classify names the transfer between phases (reg 2(1)) of a pupil leaving
// a school in stage from for an institution of type to, joining its year
// toYear; "" when the move is not one (e.g. infant school to a primary
// school's Year 3, or a move within a phase).
func classify(from stage, to Phase, toYear int) TransferKind {
	dest := stageOf(to, toYear)
	switch {
	case from == stageEarlyYears && dest != stageEarlyYears && dest != stageNone:
		return TransferEarlyYearsToSchool
	case from == stageInfant && to == PhaseJunior:
		return TransferInfantToJunior
	case (from == stageInfant || from == stagePrimary || from == stageJunior) && dest == stageMiddle:
		// "primary to middle": a first school is a primary school, so first to
		// middle counts.
		return TransferPrimaryToMiddle
	case (from == stageInfant || from == stagePrimary || from == stageJunior) && dest == stageSecondary:
		return TransferPrimaryToSecondary
	case from == stageMiddle && dest == stageSecondary:
		return TransferMiddleToSecondary
	case from == stageSecondary && toYear >= 12 && to != "":
		// Statutory facts §1.3: Y11 to Y12 at a different institution uses 31
		// March (reg 18(1)(a)).
		return TransferSecondaryToPost16
	case from == stagePost16 && dest == stagePost16:
		return TransferPost16ToPost16
	}
	return ""
}

// stageEnd is the last year group of the phase a pupil in year y is in.
func stageEnd(st stage, y int) int {
	switch st {
	case stageEarlyYears:
		return YearEarlyYears
	case stageInfant:
		return 2
	case stageJunior, stagePrimary:
		return 6
	case stageSecondary:
		if y <= 11 {
			return 11
		}
	}
	return 99
}

// defaultDestination is where a pupil leaving a school of type t at the end
// of year y usually goes, for a move the school has not recorded.
func defaultDestination(t Phase, y int) Phase {
	switch {
	case y <= YearEarlyYears:
		return PhasePrimary
	case t == PhaseInfant:
		return PhaseJunior
	case t == PhaseFirst:
		return PhaseMiddle
	case y >= 12 || t == PhasePost16:
		return "" // after a sixth form: no assumed next institution; record the move
	case y == 11:
		return PhaseFurtherEducation
	case t == PhaseMiddle || t == PhaseMiddleDeemedPrimary || y >= 6:
		return PhaseSecondary
	}
	return ""
}

// NextTransfer returns the next transfer between phases (or reg 18(2)
// post-16 move) of a pupil now in yearGroup at school sc, given the
// school's record of their next move (nil: none recorded), and its reg 18
// deadline; ok is false when there is none: the pupil stays, or the move
// is not a transfer between phases. today fixes the academic year.
//
// Without a record, the pupil is taken to leave at the end of the school's
// highest year group for the usual next phase; a pupil in Year 11 at a
// school with a sixth form, or in a nursery class of a school with
// Reception, may stay, so that transfer is Conditional until the school
// records the move. With a record of a move to another institution, the
// move is when the record says (1 September after the year the pupil
// reaches the end of the phase, if no date). Staying is never a transfer.
//
// Rules (statutory facts §1.3, SEND Regs 2014 regs 2(1) and 18): the plan is
// reviewed and amended before 31 March of the calendar year of a transfer
// from secondary school to a post-16 institution (reg 18(1)(a)) and before
// 15 February in any other case (reg 18(1)(b)); the transfers are early
// years to school, infant to junior, primary to middle (a first school is
// a primary school), primary to secondary, middle to secondary and
// secondary to post-16 (reg 2(1)); Year 11 to Year 12 at a different
// institution uses 31 March (§1.3's year-group mapping); a move between
// post-16 institutions at another time is amended at least five months
// before it (reg 18(2)).
func NextTransfer(yearGroup int, sc School, mv *Move, today Date) (Transfer, bool) {
	if mv != nil && mv.Staying {
		return Transfer{}, false
	}
	// The year the pupil leaves at the end of: the first point where they
	// may (nursery class, Year 11 before a sixth form) or must (the highest
	// year) leave.
	leave := sc.Highest
	conditional := false
	note := ""
	switch st := stageOf(sc.Type, yearGroup); {
	case st == stageEarlyYears && yearGroup <= YearEarlyYears && sc.Highest >= YearReception:
		leave, conditional = YearEarlyYears, true
		note = "Nursery class to Reception: a transfer between phases only if the child moves to another school; record the next move"
	case st == stageSecondary && yearGroup <= 11 && sc.Highest > 11:
		leave, conditional = 11, true
		note = "Only if the pupil leaves for another institution; staying in the school's own sixth form is not a transfer between phases. Record the next move"
	}
	if yearGroup > leave {
		leave = yearGroup // beyond the recorded range: leaving at the end of this year
	}
	moveYear := AcademicYearStart(today) + 1 + (leave - yearGroup)
	date := Date{moveYear, time.September, 1}
	to := defaultDestination(sc.Type, leave)
	if mv != nil {
		conditional, note = false, ""
		// A recorded move without a date: at the end of the pupil's present
		// phase in this school (Year 6 of an all-through or special school,
		// Year 11 before a sixth form), or of its highest year.
		if end := stageEnd(stageOf(sc.Type, yearGroup), yearGroup); end < leave {
			leave = max(end, yearGroup)
			moveYear = AcademicYearStart(today) + 1 + (leave - yearGroup)
			date = Date{moveYear, time.September, 1}
		}
		to = mv.ToType
		if mv.Date.Valid() {
			date = mv.Date
		}
	}
	kind := classify(stageOf(sc.Type, yearGroup), to, leave+1)
	if kind == "" {
		return Transfer{}, false
	}
	t := Transfer{Kind: kind, FromYear: leave, ToYear: leave + 1, Date: date, ToType: to, Conditional: conditional, Note: note}
	switch kind {
	case TransferPost16ToPost16:
		t.LastDay = Post16TransferDeadline(date) // SEND Regs 2014 reg 18(2): at least five months before
		t.Deadline = t.LastDay.AddDays(1)
		t.FiveMonths = true
		t.Source = "SEND Regs 2014 reg 18(2)"
		t.FromYear, t.ToYear = yearGroup, yearGroup
	case TransferSecondaryToPost16:
		t.Deadline = Date{date.Y, time.March, 31} // SEND Regs 2014 reg 18(1)(a)
		t.Source = "SEND Regs 2014 reg 18(1)(a)"
	default:
		t.Deadline = Date{date.Y, time.February, 15} // SEND Regs 2014 reg 18(1)(b)
		t.Source = "SEND Regs 2014 reg 18(1)(b)"
	}
	if !t.FiveMonths {
		t.LastDay = t.Deadline.AddDays(-1) // "before" the named date
	}
	return t, true
}

// DueThisYear reports whether the transfer's reg 18 duty is live on today:
// its last day falls in this academic year (or has passed) and the move has
// not yet happened. Transfers further ahead are listed, not yet duties.
func (t Transfer) DueThisYear(today Date) bool {
	return today.Before(t.Date) && AcademicYearStart(t.LastDay) <= AcademicYearStart(today)
}

// AmendedInTime reports whether a plan amended (reviewed and the amended
// plan issued) on the date of a review meeting's final amended plan can
// meet the transfer: the amended plan is due 12 weeks after the meeting
// (MeetingDeadlinesFrom), so a meeting whose amended-plan date is on or
// after the reg 18 date leaves the LA no time to amend before it.
func (t Transfer) AmendedInTime(meeting Date) bool {
	return !MeetingDeadlinesFrom(meeting).AmendedPlan.After(t.LastDay)
}

// TransferMilestone is the reg 18 duty of a transfer on a review cycle: the
// LA must review the plan and amend it, naming the new school or
// institution, before the deadline. Because the pupil changes institution
// the plan must name the new one, so only the amended plan (outcome amend,
// issued) discharges it; a decision to maintain the plan unchanged does not.
// A decision to cease the plan ends the duty with the plan.
func TransferMilestone(t Transfer, outcome ReviewOutcome, decision, amended *Date) Milestone {
	var done *Date
	switch {
	case outcome == ReviewAmend:
		done = cp(amended)
	case outcome == ReviewCease:
		done = cp(decision)
	}
	label := fmt.Sprintf("Review and amend the plan, naming the new setting, before %s: %s", t.Deadline.Long(), t.Label())
	if t.FiveMonths {
		label = fmt.Sprintf("Review and amend the plan at least five months before the move on %s: %s", t.Date.Long(), t.Label())
	}
	if t.Conditional {
		label += " (if the pupil changes setting)"
	}
	return Milestone{Key: KeyPhaseTransfer, Label: label, Due: t.LastDay, Done: done, Owner: OwnerLA, Source: t.Source}
}
