package deadline

import (
	"errors"
	"fmt"
)

// Milestone keys for an annual review.
const (
	KeyReviewInvitations = "review-invitations" // invitations with 2 weeks' notice
	KeyReviewAdvice      = "review-advice"      // advice circulated 2 weeks before
	KeyReviewMeeting     = "review-meeting"     // meeting held within the 12 months
	KeyReviewReport      = "review-report"      // report 2 weeks after the meeting
	KeyReviewDecision    = "review-decision"    // LA decision 4 weeks after the meeting
	KeyAmendmentComments = "amendment-comments" // parent's 15 days on proposed amendments
	KeyAmendedPlan       = "amended-plan"       // final amended plan
	KeyPhaseTransfer     = "phase-transfer"     // reg 18 phase-transfer deadline
)

// ReviewOutcome is the LA's decision after an annual review meeting.
type ReviewOutcome string

// Review decisions (SEND Regs 2014 reg 20(10)).
const (
	ReviewMaintain ReviewOutcome = "maintain" // keep the plan as it is
	ReviewAmend    ReviewOutcome = "amend"    // amend the plan (reg 22)
	ReviewCease    ReviewOutcome = "cease"    // cease to maintain the plan
)

// Errors from ValidateMeetingDate; test with errors.Is. A meeting date that
// is late, in the past or short of notice is not an error: it is recorded as
// it really is, and MeetingWarnings says what it means.
var (
	ErrMeetingNotAfterAnchor = errors.New("the review meeting is not after the plan was issued or last reviewed")
	ErrMeetingTooFar         = errors.New("the review meeting is more than 12 months after today")
)

// Meeting warnings (MeetingWarning.Kind).
const (
	// WarnLate: the meeting is after the last day of the 12 months (CFA
	// 2014 s44(1)); Days is how many days after.
	WarnLate = "late"
	// WarnAfterTransfer: the meeting is on or after the reg 18 phase-transfer
	// deadline, so the plan cannot be amended before it; Days as WarnLate.
	WarnAfterTransfer = "after-transfer"
	// WarnDecisionSqueezed: the meeting is within the 12 months but less than
	// 4 weeks before their end, so the LA's reg 20(10) decision cannot both
	// take its 4 weeks and fall within the 12 months (CoP 9.176); Days is the
	// number of days from the meeting to the end of the 12 months.
	WarnDecisionSqueezed = "decision-squeezed"
	// WarnShortNotice: the meeting is less than 2 weeks from today and no
	// invitations are recorded, so they cannot give the 2 weeks' notice of
	// reg 20(3); Days is the days from today to the meeting.
	WarnShortNotice = "short-notice"
	// WarnNotYetHeld: the meeting date has passed and it is not recorded as
	// held; Days is how many days ago it was.
	WarnNotYetHeld = "not-yet-held"
)

// MeetingWarning is something to tell the person who set a meeting date:
// the date is accepted, and this is what it means for the statutory steps.
type MeetingWarning struct {
	Kind string // one of the Warn* constants
	Days int    // see each kind
}

// ReviewDue returns the last day by which the annual review must be held:
// the last day of the period of 12 months starting with the later of the
// plan's issue date and the last review meeting
// (anchor.EndOfMonthsStartingWith(12)).
//
// Convention and why: CFA 2014 s44(1) requires the LA to review the plan
// "during the period of 12 months starting with the date on which the plan
// was first made" and then "during each subsequent period of 12 months
// starting with the date on which the plan was last reviewed" (statutory
// facts §1.2: CFA 2014 s44; explanatory notes para 239; CoP 9.166, 9.169).
// "Starting with" counts the anchor as day 1, so the period ends the day
// before the anniversary (plan issued 20 January 2027: review by 19 January
// 2028), one day earlier than the anniversary reading, which a compliance
// tool must not use: it would show on time a review the Act makes late. On
// month ends the period runs to the end of the month that has no
// corresponding day: a plan issued on 29 February 2024 has its window end
// on 28 February 2025, not 27 (see Date.EndOfMonthsStartingWith); a plan
// issued on 1 March 2024 ends on 28 February 2025 too.
//
// planIssued is the date the plan was first made (or re-made after a
// re-assessment), not the date of an amended plan issued after a review.
func ReviewDue(planIssued Date, lastReview *Date) Date {
	anchor := planIssued
	if lastReview != nil {
		anchor = maxDate(anchor, *lastReview) // CFA 2014 s44(1)(b): from the last review
	}
	return anchor.EndOfMonthsStartingWith(12) // CFA 2014 s44(1): "the period of 12 months starting with"
}

// MeetingDeadlines are the reg 20 and reg 22 dates that follow from a
// review meeting date alone.
type MeetingDeadlines struct {
	Invitations Date // meeting - 14 days: at least 2 weeks' notice, reg 20(3)
	Advice      Date // meeting - 14 days: advice circulated, reg 20(4)
	Report      Date // meeting + 14 days: review report, reg 20(7)
	Decision    Date // meeting + 4 weeks: LA decision, reg 20(10)
	AmendedPlan Date // meeting + 12 weeks: final amended plan, reg 22 + Devon
}

// MeetingDeadlinesFrom returns the dates driven by a review meeting. When the
// meeting moves, call it again with the new date: everything is recomputed.
func MeetingDeadlinesFrom(meeting Date) MeetingDeadlines {
	return MeetingDeadlines{
		Invitations: meeting.AddDays(-14), // SEND Regs 2014 reg 20(3)
		Advice:      meeting.AddDays(-14), // SEND Regs 2014 reg 20(4)
		Report:      meeting.AddDays(14),  // SEND Regs 2014 reg 20(7)
		Decision:    meeting.AddWeeks(4),  // SEND Regs 2014 reg 20(10)
		// reg 22(2)-(3): proposed amendments go with the 4-week decision and the
		// final amended plan follows within 8 weeks of them: 4 + 8 = 12 weeks,
		// R (L) v Devon CC [2022] EWHC 493 (Admin).
		AmendedPlan: meeting.AddWeeks(12),
	}
}

// ValidateMeetingDate checks a meeting date on day today for a review whose
// 12 months run from anchor (the plan's issue date or the last review). Only
// an impossible date is refused: one on or before the anchor, or more than
// 12 months after today (a mistyped year). A meeting after the 12 months, in
// the past (a meeting already held, entered with its real date) or with less
// than 2 weeks' notice is accepted: the review must still happen, and its
// reg 20 steps are measured from the real meeting date (see
// ReviewFacts.MeetingWarnings for what such a date means).
func ValidateMeetingDate(meeting, anchor, today Date) error {
	var errs []error
	if !meeting.After(anchor) {
		errs = append(errs, fmt.Errorf("%w: %s is not after %s", ErrMeetingNotAfterAnchor, meeting, anchor))
	}
	if meeting.After(today.AddMonths(12)) {
		errs = append(errs, fmt.Errorf("%w: %s is after %s", ErrMeetingTooFar, meeting, today.AddMonths(12)))
	}
	return errors.Join(errs...)
}

// ReviewFacts are the recorded events of one annual review cycle.
// Nil pointers mean "not happened (yet)".
type ReviewFacts struct {
	PlanIssued Date  // date the plan was first made (or re-made after re-assessment)
	LastReview *Date // date of the previous annual review meeting, if any

	Meeting     *Date // this review's meeting date (scheduled, or actual once held)
	MeetingHeld bool  // Meeting took place on that date

	InvitesSent      *Date // invitations sent (reg 20(2)-(3))
	AdviceCirculated *Date // advice and information circulated (reg 20(4))
	ReportSent       *Date // review report sent to the LA and invitees (reg 20(7))

	Decision *Date         // LA notified its decision (reg 20(10))
	Outcome  ReviewOutcome // set with Decision

	AmendmentComments *Date // parent's representations on the proposed amendments
	AmendedPlanIssued *Date // final amended plan issued (reg 22(3))

	MediationCertificate *Date // extends the appeal deadline
	TribunalLodged       *Date // appeal lodged

	// Transfer, if the pupil transfers between phases within this cycle
	// (from PhaseTransferThisYear), adds the reg 18 milestone.
	Transfer *Transfer
}

// Due returns ReviewDue for these facts.
func (rv ReviewFacts) Due() Date { return ReviewDue(rv.PlanIssued, rv.LastReview) }

// MeetingLimit returns the latest acceptable meeting date: the review due
// date, or the day before the reg 18 phase-transfer deadline if earlier.
func (rv ReviewFacts) MeetingLimit() Date {
	limit := rv.Due()
	if rv.Transfer != nil {
		limit = minDate(limit, rv.Transfer.LastDay)
	}
	return limit
}

// Anchor is the day the review's 12 months start with: the later of the
// plan's issue date and the last review (CFA 2014 s44(1)).
func (rv ReviewFacts) Anchor() Date {
	if rv.LastReview != nil {
		return maxDate(rv.PlanIssued, *rv.LastReview)
	}
	return rv.PlanIssued
}

// ValidateMeeting is ValidateMeetingDate from rv.Anchor().
func (rv ReviewFacts) ValidateMeeting(meeting, today Date) error {
	return ValidateMeetingDate(meeting, rv.Anchor(), today)
}

// MeetingWarnings says, on day today, what the review's meeting date means
// for its statutory steps (nil without a meeting date): the review is late
// (WarnLate, CFA 2014 s44(1)); the meeting is too late for the phase
// transfer (WarnAfterTransfer, reg 18); it leaves the LA less than its
// 4 weeks inside the 12 months (WarnDecisionSqueezed, reg 20(10) and CoP
// 9.176), only until the decision is recorded; it is too soon to give
// 2 weeks' notice (WarnShortNotice, reg 20(3)), only while no invitations
// are recorded; it has passed and is not recorded as held (WarnNotYetHeld).
func (rv ReviewFacts) MeetingWarnings(today Date) []MeetingWarning {
	if rv.Meeting == nil {
		return nil
	}
	m, due := *rv.Meeting, rv.Due()
	var out []MeetingWarning
	if m.After(due) {
		out = append(out, MeetingWarning{WarnLate, DaysBetween(due, m)})
	} else if rv.Decision == nil && m.AddWeeks(4).After(due) {
		out = append(out, MeetingWarning{WarnDecisionSqueezed, DaysBetween(m, due)})
	}
	if t := rv.Transfer; t != nil && m.After(t.LastDay) {
		out = append(out, MeetingWarning{WarnAfterTransfer, DaysBetween(t.LastDay, m)})
	}
	if !rv.MeetingHeld {
		switch {
		case m.Before(today):
			out = append(out, MeetingWarning{WarnNotYetHeld, DaysBetween(m, today)})
		case rv.InvitesSent == nil && m.Before(today.AddDays(14)):
			out = append(out, MeetingWarning{WarnShortNotice, DaysBetween(today, m)})
		}
	}
	return out
}

// DaysLate is how late the review is on day today: the days from the last
// day of the 12 months to the meeting once it is held (0 if held on time),
// or, before then, to the meeting date set or to today, whichever is later
// (0 while neither is after the last day). CFA 2014 s44(1).
func (rv ReviewFacts) DaysLate(today Date) int {
	due := rv.Due()
	var end Date
	switch {
	case rv.Meeting != nil && rv.MeetingHeld:
		end = *rv.Meeting
	case rv.Meeting != nil:
		end = maxDate(*rv.Meeting, today)
	default:
		end = today
	}
	if n := DaysBetween(due, end); n > 0 {
		return n
	}
	return 0
}

// ExpectedAmendedPlan is the date by which an amended plan is expected
// after a held meeting: 12 weeks after it (reg 20(10) 4 weeks with the
// proposed amendments, then reg 22(3) 8 weeks; R (L) v Devon CC [2022] EWHC
// 493 (Admin), Foster J, 8 March 2022, statutory facts §1.2; the earlier
// Court of Appeal judgment in the same case, [2021] EWCA Civ 358, only sent
// the point back to be decided, and no "[2022] EWCA Civ 1475" was found in
// the stored sources). ok is false before the meeting is
// held, and once the LA's decision is recorded (the milestones then say
// whether an amended plan is due at all, and when).
func (rv ReviewFacts) ExpectedAmendedPlan() (Date, bool) {
	if rv.Meeting == nil || !rv.MeetingHeld || rv.Decision != nil {
		return Date{}, false
	}
	return MeetingDeadlinesFrom(*rv.Meeting).AmendedPlan, true
}

// Validate reports inconsistent or impossible facts (all problems joined).
func (rv ReviewFacts) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !rv.PlanIssued.Valid() {
		add("plan issue date %q is missing or invalid", rv.PlanIssued.String())
		return errors.Join(errs...)
	}
	for _, e := range []struct {
		name string
		d    *Date
	}{
		{"last review", rv.LastReview}, {"meeting", rv.Meeting}, {"invitations sent", rv.InvitesSent},
		{"advice circulated", rv.AdviceCirculated}, {"report sent", rv.ReportSent},
		{"decision", rv.Decision}, {"amendment comments", rv.AmendmentComments},
		{"amended plan issued", rv.AmendedPlanIssued}, {"mediation certificate", rv.MediationCertificate},
		{"tribunal appeal lodged", rv.TribunalLodged},
	} {
		if e.d != nil && !e.d.Valid() {
			add("%s date is invalid", e.name)
		}
	}
	anchor := rv.Anchor()
	if rv.Meeting != nil && !rv.Meeting.After(anchor) {
		add("meeting (%s) is not after the plan issue date or last review (%s)", rv.Meeting, anchor)
	}
	if rv.MeetingHeld && rv.Meeting == nil {
		add("meeting marked as held without a date")
	}
	switch {
	case rv.Decision == nil && rv.Outcome != "":
		add("review outcome %q recorded without a decision date", rv.Outcome)
	case rv.Decision != nil && rv.Outcome != ReviewMaintain && rv.Outcome != ReviewAmend && rv.Outcome != ReviewCease:
		add("review decision recorded with outcome %q", rv.Outcome)
	}
	if rv.Decision != nil && !rv.MeetingHeld {
		add("LA decision recorded before the meeting is marked as held")
	}
	if rv.Decision != nil && rv.Meeting != nil && rv.Decision.Before(*rv.Meeting) {
		add("decision (%s) is before the meeting (%s)", rv.Decision, rv.Meeting)
	}
	if !rv.MeetingHeld && (rv.ReportSent != nil || rv.AmendmentComments != nil || rv.AmendedPlanIssued != nil) {
		add("steps after the meeting recorded but the meeting is not marked as held")
	}
	if rv.ReportSent != nil && rv.Meeting != nil && rv.ReportSent.Before(*rv.Meeting) {
		add("review report (%s) is before the meeting (%s)", rv.ReportSent, rv.Meeting)
	}
	if (rv.AmendedPlanIssued != nil || rv.AmendmentComments != nil) && rv.Outcome != ReviewAmend {
		add("amendment dates recorded but the review outcome is %q, not %q", rv.Outcome, ReviewAmend)
	}
	if rv.AmendedPlanIssued != nil && rv.Decision != nil && rv.AmendedPlanIssued.Before(*rv.Decision) {
		add("amended plan (%s) issued before the decision (%s)", rv.AmendedPlanIssued, rv.Decision)
	}
	return errors.Join(errs...)
}

// ReviewMilestones returns the milestones of one annual review cycle in
// process order:
//
//   - without a meeting date, only review-meeting (School, due ReviewDue)
//     and any phase-transfer milestone;
//   - with one: review-invitations and review-advice (School, meeting - 14
//     days), review-meeting (School, due ReviewDue, done when held),
//     review-report (School, meeting + 14 days), review-decision (LA,
//     meeting + 4 weeks, but never after ReviewDue);
//   - if the LA decided to amend: amendment-comments (Parent, optional,
//     decision + 14 days) and amended-plan (LA, meeting + 12 weeks, or
//     decision + 8 weeks if earlier);
//   - phase-transfer (LA, Transfer.LastDay) when rv.Transfer is set, done by
//     the decision (maintain/cease) or the amended plan;
//   - appeal (Parent, optional) after a decision not to amend or to cease,
//     or after the amended plan is issued.
func ReviewMilestones(rv ReviewFacts) []Milestone {
	due := rv.Due()
	var ms []Milestone
	meetingLabel := "Hold the annual review meeting (no date set)"
	var held *Date
	if rv.Meeting != nil {
		meetingLabel = "Hold the annual review meeting (set for " + rv.Meeting.Long() + ")"
		if rv.MeetingHeld {
			meetingLabel = "Hold the annual review meeting (held on " + rv.Meeting.Long() + ")"
			held = cp(rv.Meeting)
		}
	}
	meeting := Milestone{
		Key:    KeyReviewMeeting,
		Label:  meetingLabel,
		Due:    due,
		Done:   held,
		Owner:  OwnerSchool,
		Source: "CFA 2014 s44(1); SEND Regs 2014 reg 20(1)",
	}

	if rv.Meeting == nil {
		ms = append(ms, meeting)
		return append(ms, rv.transferMilestone()...)
	}

	// Every reg 20 step is measured from the real meeting date, late or not.
	md := MeetingDeadlinesFrom(*rv.Meeting)
	decisionDue, decisionSource := md.Decision, "SEND Regs 2014 reg 20(10)"
	if !rv.Meeting.After(due) {
		// CoP 9.176: the decision also falls within the 12 months, so a
		// meeting near their end shortens the LA's 4 weeks (MeetingWarnings
		// warns of it). A meeting already after the 12 months cannot be
		// helped by that: the LA then has its 4 weeks from the meeting.
		decisionDue = minDate(md.Decision, due)
		decisionSource += "; CoP 9.176 (within the 12 months)"
	}
	ms = append(ms,
		Milestone{
			Key:    KeyReviewInvitations,
			Label:  "Send review meeting invitations (at least 2 weeks' notice)",
			Due:    md.Invitations, // SEND Regs 2014 reg 20(3)
			Done:   cp(rv.InvitesSent),
			Owner:  OwnerSchool,
			Source: "SEND Regs 2014 reg 20(2)-(3)",
		},
		Milestone{
			Key:    KeyReviewAdvice,
			Label:  "Obtain and circulate advice and information (2 weeks before the meeting)",
			Due:    md.Advice, // SEND Regs 2014 reg 20(4)
			Done:   cp(rv.AdviceCirculated),
			Owner:  OwnerSchool,
			Source: "SEND Regs 2014 reg 20(4)",
		},
		meeting,
		Milestone{
			Key:    KeyReviewReport,
			Label:  "Send the review report to the LA and everyone invited",
			Due:    md.Report, // SEND Regs 2014 reg 20(7)
			Done:   cp(rv.ReportSent),
			Owner:  OwnerSchool,
			Source: "SEND Regs 2014 reg 20(7)",
		},
		Milestone{
			Key:    KeyReviewDecision,
			Label:  "Notify the LA's decision: maintain, amend or cease the plan",
			Due:    decisionDue,
			Done:   cp(rv.Decision),
			Owner:  OwnerLA,
			Source: decisionSource,
		},
	)

	if rv.Outcome == ReviewAmend && rv.Decision != nil {
		amendDue := md.AmendedPlan
		// reg 22(3): within 8 weeks of the proposed amendments, which must go
		// with the decision notice (Devon) - earlier if the LA decided early.
		amendDue = minDate(amendDue, rv.Decision.AddWeeks(8))
		ms = append(ms,
			Milestone{
				Key:      KeyAmendmentComments,
				Label:    "Comment on the proposed amendments, request a school or a meeting (at least 15 days)",
				Due:      rv.Decision.AddDays(14), // SEND Regs 2014 reg 22(2): at least 15 days
				Done:     cp(rv.AmendmentComments),
				Owner:    OwnerParent,
				Source:   "SEND Regs 2014 reg 22(2)",
				Optional: true,
			},
			Milestone{
				Key:    KeyAmendedPlan,
				Label:  "Issue the final amended EHC plan",
				Due:    amendDue,
				Done:   cp(rv.AmendedPlanIssued),
				Owner:  OwnerLA,
				Source: "SEND Regs 2014 reg 22(2)-(3); R (L) v Devon CC [2022] EWHC 493 (Admin)",
			},
		)
	}

	ms = append(ms, rv.transferMilestone()...)

	switch {
	case rv.Decision != nil && (rv.Outcome == ReviewMaintain || rv.Outcome == ReviewCease):
		ms = append(ms, Milestone{
			Key:      KeyAppeal,
			Label:    "Appeal to the Tribunal against the decision not to amend or to cease the plan (optional)",
			Due:      AppealDeadline(*rv.Decision, rv.MediationCertificate),
			Done:     cp(rv.TribunalLodged),
			Owner:    OwnerParent,
			Source:   "SEND Regs 2014 reg 20(10); " + appealSource,
			Optional: true,
		})
	case rv.Outcome == ReviewAmend && rv.AmendedPlanIssued != nil:
		ms = append(ms, Milestone{
			Key:      KeyAppeal,
			Label:    "Appeal to the Tribunal against the amended plan's contents or placement (optional)",
			Due:      AppealDeadline(*rv.AmendedPlanIssued, rv.MediationCertificate),
			Done:     cp(rv.TribunalLodged),
			Owner:    OwnerParent,
			Source:   appealSource,
			Optional: true,
		})
	}
	return ms
}

func (rv ReviewFacts) transferMilestone() []Milestone {
	t := rv.Transfer
	if t == nil {
		return nil
	}
	var done *Date
	switch {
	case rv.Outcome == ReviewAmend:
		done = cp(rv.AmendedPlanIssued)
	case rv.Decision != nil:
		done = cp(rv.Decision) // reviewed; no amendment needed (or ceasing)
	}
	label := fmt.Sprintf("Review and amend the plan before %s: %s", t.Deadline.Long(), t.Label())
	if t.Conditional {
		label += " (if the pupil changes setting)"
	}
	return []Milestone{{
		Key:    KeyPhaseTransfer,
		Label:  label,
		Due:    t.LastDay, // SEND Regs 2014 reg 18(1): "before" 15 Feb / 31 Mar
		Done:   done,
		Owner:  OwnerLA,
		Source: t.Source,
	}}
}
