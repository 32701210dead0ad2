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

// Errors from ValidateMeetingDate; test with errors.Is.
var (
	ErrMeetingInPast         = errors.New("the review meeting date is in the past")
	ErrMeetingNoticeTooShort = errors.New("the review meeting is too soon to give 2 weeks' notice")
	ErrMeetingAfterReviewDue = errors.New("the review meeting is after the date the review is due")
)

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

// ValidateMeetingDate checks a proposed review meeting date on day today
// against the date the review is due (ReviewDue, or ReviewFacts.MeetingLimit
// when a phase transfer comes first). It returns nil, or one or more of
// ErrMeetingInPast, ErrMeetingNoticeTooShort and ErrMeetingAfterReviewDue
// joined (test with errors.Is). Invitations can be sent today at the
// earliest, so the earliest valid meeting is today + 14 days (reg 20(3)).
func ValidateMeetingDate(meeting, reviewDue, today Date) error {
	var errs []error
	earliest := today.AddDays(14) // SEND Regs 2014 reg 20(3): at least 2 weeks' notice
	switch {
	case meeting.Before(today):
		errs = append(errs, fmt.Errorf("%w: %s is before today (%s)", ErrMeetingInPast, meeting, today))
	case meeting.Before(earliest):
		errs = append(errs, fmt.Errorf("%w: %s is less than 2 weeks after today (%s); the earliest date is %s",
			ErrMeetingNoticeTooShort, meeting, today, earliest))
	}
	if meeting.After(reviewDue) {
		errs = append(errs, fmt.Errorf("%w: %s is after %s", ErrMeetingAfterReviewDue, meeting, reviewDue))
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

// ValidateMeeting is ValidateMeetingDate against rv.MeetingLimit().
func (rv ReviewFacts) ValidateMeeting(meeting, today Date) error {
	return ValidateMeetingDate(meeting, rv.MeetingLimit(), today)
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
	anchor := rv.PlanIssued
	if rv.LastReview != nil {
		anchor = maxDate(anchor, *rv.LastReview)
	}
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

	md := MeetingDeadlinesFrom(*rv.Meeting)
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
			Key:   KeyReviewDecision,
			Label: "Notify the LA's decision: maintain, amend or cease the plan",
			// reg 20(10): within 4 weeks of the meeting; CoP 9.176: and within the
			// 12 months, so a late meeting shortens the LA's 4 weeks.
			Due:    minDate(md.Decision, due),
			Done:   cp(rv.Decision),
			Owner:  OwnerLA,
			Source: "SEND Regs 2014 reg 20(10); CoP 9.176 (within the 12 months)",
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
