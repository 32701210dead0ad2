package deadline

// Status is the display state of a Milestone on a given day.
type Status string

// Milestone statuses. Done, DoneLate, Excepted, Overdue, DueSoon and Upcoming
// are the statutory-compliance states; Lapsed is only used for Optional
// milestones (a right such as appealing or commenting on a draft), whose
// window can close without anyone being late.
const (
	StatusDone     Status = "done"      // done on or before the due date
	StatusDoneLate Status = "done-late" // done after the due date, no exception
	StatusExcepted Status = "excepted"  // a statutory exception excuses the time limit
	StatusOverdue  Status = "overdue"   // not done and the due date has passed
	StatusDueSoon  Status = "due-soon"  // not done, due within DueSoonDays (today counts)
	StatusUpcoming Status = "upcoming"  // not done, due later than DueSoonDays
	StatusLapsed   Status = "lapsed"    // optional step not taken and its window has closed
	StatusFlagged  Status = "flagged"   // a step was taken in breach of a rule other than lateness (Warning)
)

// DueSoonDays is the window (in days, inclusive) in which an open milestone
// shows as DueSoon rather than Upcoming.
const DueSoonDays = 14

// Owners: whose move a milestone is.
const (
	OwnerLA     = "LA"         // the local authority
	OwnerSchool = "School"     // the school or setting (head teacher, SENCO)
	OwnerParent = "Parent"     // the child's parent or the young person
	OwnerBody   = "Other body" // health, social care or another body asked for advice (reg 8)
)

// Milestone is one dated step of an EHC process, ready for display.
type Milestone struct {
	Key             string // stable identifier, e.g. KeyAssessDecision
	Label           string // human label
	Due             Date   // last day on which doing it is on time
	Done            *Date  // when it was done; nil if not yet
	Excepted        bool   // a statutory exception to the time limit applies
	ExceptionReason string // the ExceptionReason code when Excepted
	Owner           string // OwnerLA, OwnerSchool or OwnerParent
	Source          string // legal source of the time limit
	// Optional marks a right rather than a duty (appealing, commenting on a
	// draft). When its window passes unused its status is Lapsed, not
	// Overdue, and it no longer counts as open.
	Optional bool
	// Untimed marks a step done in a way its time limit does not govern: the
	// 16-week limit of reg 10(1) binds only a decision NOT to issue a plan, so
	// an issue-decision done by serving a draft or final plan is on time
	// whenever it happens (the 20-week final-plan limit still applies).
	Untimed bool
	// Warning marks a milestone that only flags a step done in breach of a
	// rule (e.g. the final plan issued before the draft's comment period
	// closed, reg 13(1)): its status is always Flagged and it is never open.
	Warning bool
}

// Status returns the milestone's status on day today.
//
// Precedence: a Warning milestone is Flagged; done on time (or Untimed and
// done) is Done; otherwise an exception makes it Excepted
// (whether or not it has since been done: the exception is what excuses the
// lateness); otherwise done late is DoneLate; an open milestone is Overdue,
// DueSoon or Upcoming by DaysLeft, except that an Optional one past its due
// date is Lapsed.
func (m Milestone) Status(today Date) Status {
	if m.Warning {
		return StatusFlagged
	}
	if m.Done != nil && (m.Untimed || !m.Done.After(m.Due)) {
		return StatusDone
	}
	if m.Excepted {
		return StatusExcepted
	}
	if m.Done != nil {
		return StatusDoneLate
	}
	left := m.DaysLeft(today)
	switch {
	case left < 0 && m.Optional:
		return StatusLapsed
	case left < 0:
		return StatusOverdue
	case left <= DueSoonDays:
		return StatusDueSoon
	default:
		return StatusUpcoming
	}
}

// DaysLeft returns the days from today to the due date: 0 on the due date,
// negative once it has passed.
func (m Milestone) DaysLeft(today Date) int { return DaysBetween(today, m.Due) }

// Open reports whether the milestone still needs someone to act: it is not
// done and, if Optional, its window has not closed. An Excepted milestone
// that is not done is still open: the exceptions in regs 5(4), 10(4) and
// 13(3) relax the time limit, not the duty ("as soon as practicable").
func (m Milestone) Open(today Date) bool {
	if m.Done != nil || m.Warning {
		return false
	}
	return !(m.Optional && m.DaysLeft(today) < 0)
}

// FirstOpen returns the first open milestone in ms (which the builders in
// this package return in process order), and false if none is open.
func FirstOpen(ms []Milestone, today Date) (Milestone, bool) {
	for _, m := range ms {
		if m.Open(today) {
			return m, true
		}
	}
	return Milestone{}, false
}

// NextOwner returns whose move it is: the Owner of the first open milestone,
// or "" when nothing is open.
func NextOwner(ms []Milestone, today Date) string {
	m, ok := FirstOpen(ms, today)
	if !ok {
		return ""
	}
	return m.Owner
}

// Find returns the milestone with the given key, and false if absent.
func Find(ms []Milestone, key string) (Milestone, bool) {
	for _, m := range ms {
		if m.Key == key {
			return m, true
		}
	}
	return Milestone{}, false
}

// AppealDeadline returns the last day to appeal to the First-tier Tribunal
// (SEND): 2 months after the decision letter or, when a mediation certificate
// has been issued, 1 month after the certificate if that is later.
// Source: statutory-facts §1.1 (secondary source ☑); the rule is in the
// Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 r 20, whose text
// was not checked. Months use AddMonths (corresponding date, clamped).
func AppealDeadline(decisionLetter Date, mediationCertificate *Date) Date {
	due := decisionLetter.AddMonths(2)
	if mediationCertificate != nil {
		due = maxDate(due, mediationCertificate.AddMonths(1))
	}
	return due
}

const appealSource = "CFA 2014 s51; Tribunal Procedure (FtT) (HESC) Rules 2008 r 20 (2 months, or 1 month after a mediation certificate if later; not verified)"

// DaysLate is how many days late the milestone is on day today: for one
// done late (StatusDoneLate), the days from its due date to the day it was
// done; for one Overdue, the days from its due date to today; otherwise 0.
func (m Milestone) DaysLate(today Date) int {
	switch m.Status(today) {
	case StatusDoneLate:
		return DaysBetween(m.Due, *m.Done)
	case StatusOverdue:
		return DaysBetween(m.Due, today)
	}
	return 0
}
