package deadline

import (
	"errors"
	"fmt"
)

// Milestone keys for an EHC needs-assessment request.
const (
	KeyAssessDecision = "assess-decision" // notify whether the LA will assess (6 weeks)
	KeyIssueDecision  = "issue-decision"  // decide whether to issue a plan (16 weeks)
	KeyDraftComments  = "draft-comments"  // parent's comment period on the draft plan
	KeyFinalPlan      = "final-plan"      // final EHC plan issued (20 weeks)
	KeyAppeal         = "appeal"          // last day to appeal to the Tribunal
	// KeyFinalBeforeComments flags a final plan issued before the parent's
	// 15-day comment period on the draft closed (reg 13(1)).
	KeyFinalBeforeComments = "final-before-comments-closed"
	// KeyAdvicePrefix + AdviceRequest.Body is the key of the reg 8 advice
	// milestone for one body ("advice-school", "advice-health"...).
	KeyAdvicePrefix = "advice-"
)

// AssessOutcome is the LA's decision on a request for an EHC needs assessment.
type AssessOutcome string

// Assessment decisions.
const (
	OutcomeAssess AssessOutcome = "assess" // the LA will carry out the assessment
	OutcomeRefuse AssessOutcome = "refuse" // the LA refuses to assess (appealable)
)

// ExceptionReason is a statutory reason the LA need not meet a time limit.
// The codes follow SEND Regs 2014 reg 10(4)(a)-(d), which reg 13(3) applies
// to the 20-week limit.
type ExceptionReason string

// Exception reasons.
const (
	// reg 10(4)(a) / reg 5(4)(a): advice requested from a school or post-16
	// head/principal in the period from one week before it closes for 4 or more
	// continuous weeks to one week before it re-opens.
	ExceptionSchoolClosure ExceptionReason = "school-closure"
	// reg 10(4)(b): the same for an early years provider. Not in reg 5(4), so
	// it cannot excuse the 6-week decision.
	ExceptionEarlyYearsClosure ExceptionReason = "early-years-closure"
	// reg 10(4)(c) / reg 5(4)(b): exceptional personal circumstances affect the
	// child, the parent or the young person.
	ExceptionPersonalCircumstances ExceptionReason = "personal-circumstances"
	// reg 10(4)(d) / reg 5(4)(c): the child, parent or young person is absent
	// from the LA's area for a continuous period of at least 4 weeks.
	ExceptionAbsence ExceptionReason = "absence-from-area"
)

// Description returns a short human description of the reason.
func (r ExceptionReason) Description() string {
	switch r {
	case ExceptionSchoolClosure:
		return "School or college closed for 4 weeks or more while its advice was requested"
	case ExceptionEarlyYearsClosure:
		return "Early years provider closed while its advice was requested"
	case ExceptionPersonalCircumstances:
		return "Exceptional personal circumstances of the child, parent or young person"
	case ExceptionAbsence:
		return "Child, parent or young person absent from the LA area for 4 weeks or more"
	}
	return ""
}

// exceptionAllowed reports whether reason r can excuse the time limit of the
// milestone with the given key.
func exceptionAllowed(key string, r ExceptionReason) bool {
	switch key {
	case KeyAssessDecision:
		// SEND Regs 2014 reg 5(4)(a)-(c): school closure, personal
		// circumstances, absence. (Only 5(4)(a) was read verbatim; the list
		// mirrors the detained-persons regs, SI 2015/62 reg 5(4). The
		// early-years limb is reg 10(4)(b) only.)
		return r == ExceptionSchoolClosure || r == ExceptionPersonalCircumstances || r == ExceptionAbsence
	case KeyIssueDecision, KeyFinalPlan:
		// reg 10(4)(a)-(d); reg 13(3) applies the same four to reg 13(2).
		return r == ExceptionSchoolClosure || r == ExceptionEarlyYearsClosure ||
			r == ExceptionPersonalCircumstances || r == ExceptionAbsence
	}
	return false
}

// RequestFacts are the recorded events of one EHC needs-assessment request.
// Nil pointers mean "not happened (yet)".
type RequestFacts struct {
	// Received is the date the LA received the request under CFA 2014
	// s36(1), or became responsible for the child or young person under s24.
	// Every period runs from this date.
	Received Date

	AssessDecision *Date         // date the LA notified its decision whether to assess
	AssessOutcome  AssessOutcome // OutcomeAssess or OutcomeRefuse; "" until decided

	DraftServed        *Date // draft plan served on the parent/young person
	CommentsSent       *Date // parent/young person's representations on the draft
	DecisionNotToIssue *Date // LA notified it will not issue a plan after assessing
	FinalIssued        *Date // final EHC plan issued

	MediationCertificate *Date // mediation certificate issued (extends the appeal deadline)
	TribunalLodged       *Date // appeal lodged with the First-tier Tribunal

	// Advice lists the LA's requests for advice and information for the
	// assessment (the school, health, social care...), one per body, in the
	// order they were made.
	Advice []AdviceRequest

	// Exceptions records statutory exceptions by milestone key
	// (KeyAssessDecision, KeyIssueDecision or KeyFinalPlan). An exception that
	// the regulations do not allow for that milestone is reported by Validate
	// and ignored by RequestMilestones.
	Exceptions map[string]ExceptionReason
}

// AdviceRequest is one request for advice for an EHC needs assessment.
type AdviceRequest struct {
	Body      string // stable code of who was asked, e.g. "school"; the milestone key is KeyAdvicePrefix+Body
	From      string // who was asked, for people: "the school"
	Owner     string // whose move: OwnerSchool for the school, OwnerBody for others
	Requested Date   // the day the request for advice was made
	Provided  *Date  // the day the advice was provided; nil if not yet
}

// AdviceDue is the last day for advice requested on the given day: a body
// asked for advice or information for an EHC needs assessment must provide
// it within 6 weeks of the request (SEND Regs 2014 reg 8, statutory facts
// §1.1, ☑ secondary source; the reg 8(2) exceptions, e.g. a missed
// appointment, are not modelled).
func AdviceDue(requested Date) Date { return requested.AddWeeks(6) }

// RequestDeadlines are the statutory dates that follow from a request's
// received date alone.
type RequestDeadlines struct {
	AssessDecision Date // received + 6 weeks, reg 5(1)
	IssueDecision  Date // received + 16 weeks, reg 10(1)
	FinalPlan      Date // received + 20 weeks, reg 13(2)
}

// RequestDeadlinesFrom returns the 6-, 16- and 20-week dates for a request
// received on the given date. Each is the last day to act: "within 6 weeks of
// receiving" a request received on a Monday ends on the Monday 6 weeks later.
func RequestDeadlinesFrom(received Date) RequestDeadlines {
	return RequestDeadlines{
		AssessDecision: received.AddWeeks(6),  // SEND Regs 2014 reg 5(1)
		IssueDecision:  received.AddWeeks(16), // SEND Regs 2014 reg 10(1)
		FinalPlan:      received.AddWeeks(20), // SEND Regs 2014 reg 13(2)
	}
}

// DraftCommentsEnd returns the last day of the parent's comment period on a
// draft plan: "at least 15 days, beginning with the day on which the draft
// plan was served" (SEND Regs 2014 reg 13(1)(a)). The service day is day 1,
// so the 15th day is served + 14 days.
func DraftCommentsEnd(served Date) Date { return served.AddDays(14) }

// Validate reports inconsistent or impossible facts (all problems joined).
func (f RequestFacts) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !f.Received.Valid() {
		add("received date %q is missing or invalid", f.Received.String())
		return errors.Join(errs...)
	}
	for _, e := range []struct {
		name string
		d    *Date
	}{
		{"assessment decision", f.AssessDecision}, {"draft served", f.DraftServed},
		{"comments sent", f.CommentsSent}, {"decision not to issue", f.DecisionNotToIssue},
		{"final plan issued", f.FinalIssued}, {"mediation certificate", f.MediationCertificate},
		{"tribunal appeal lodged", f.TribunalLodged},
	} {
		if e.d == nil {
			continue
		}
		if !e.d.Valid() {
			add("%s date is invalid", e.name)
		} else if e.d.Before(f.Received) {
			add("%s (%s) is before the request was received (%s)", e.name, e.d, f.Received)
		}
	}
	switch {
	case f.AssessDecision == nil && f.AssessOutcome != "":
		add("assessment outcome %q recorded without a decision date", f.AssessOutcome)
	case f.AssessDecision != nil && f.AssessOutcome != OutcomeAssess && f.AssessOutcome != OutcomeRefuse:
		add("assessment decision recorded with outcome %q: want %q or %q", f.AssessOutcome, OutcomeAssess, OutcomeRefuse)
	}
	if f.AssessOutcome == OutcomeRefuse && (f.DraftServed != nil || f.DecisionNotToIssue != nil || f.FinalIssued != nil) {
		add("the LA refused to assess, but a draft, final plan or decision not to issue is recorded")
	}
	if f.DecisionNotToIssue != nil && (f.DraftServed != nil || f.FinalIssued != nil) {
		add("a decision not to issue a plan and a draft or final plan are both recorded")
	}
	if f.CommentsSent != nil && f.DraftServed == nil {
		add("comments on the draft recorded without a draft served date")
	}
	if f.DraftServed != nil && f.FinalIssued != nil && f.FinalIssued.Before(*f.DraftServed) {
		add("final plan (%s) issued before the draft was served (%s)", f.FinalIssued, f.DraftServed)
	}
	seen := map[string]bool{}
	for _, a := range f.Advice {
		switch {
		case a.Body == "":
			add("advice request without a body")
		case seen[a.Body]:
			add("advice requested from %q twice", a.Body)
		case !a.Requested.Valid():
			add("advice request date is invalid")
		case a.Requested.Before(f.Received):
			add("advice requested (%s) before the request was received (%s)", a.Requested, f.Received)
		case a.Provided != nil && (!a.Provided.Valid() || a.Provided.Before(a.Requested)):
			add("advice provided before it was requested (%s)", a.Requested)
		}
		seen[a.Body] = true
	}
	for key, r := range f.Exceptions {
		if !exceptionAllowed(key, r) {
			add("exception %q cannot excuse milestone %q", r, key)
		}
	}
	return errors.Join(errs...)
}

// RequestMilestones returns the milestones of an EHC needs-assessment request
// in process order (use NextOwner/FirstOpen on the result):
//
//   - assess-decision (LA, +6 weeks) always;
//   - if the LA refused to assess: appeal (Parent, optional) from the
//     decision date, and nothing else: the 16- and 20-week limits do not apply;
//   - advice-<body> (School or Other body, request + 6 weeks, reg 8) for each
//     request for advice recorded;
//   - otherwise issue-decision (LA, +16 weeks), done when the LA notifies a
//     decision not to issue or shows it is issuing by serving a draft or final;
//     the 16 weeks bind only a decision not to issue (reg 10(1)), so a draft
//     or final served after week 16 makes it Done, not DoneLate (Untimed);
//   - draft-comments (Parent, optional) once a draft has been served;
//   - final-plan (LA, +20 weeks) unless the LA decided not to issue;
//   - final-before-comments-closed (LA, Warning) when the final plan was
//     issued on or before the last day of the draft's comment period;
//   - appeal (Parent, optional) from the decision not to issue, or from the
//     final plan (appeal against its contents or named placement).
//
// Undecided steps are projected from the received date so the app can show
// the whole timeline from day one. Call Validate first; facts it rejects give
// unspecified (but non-panicking) results.
func RequestMilestones(f RequestFacts) []Milestone {
	dl := RequestDeadlinesFrom(f.Received)
	ms := []Milestone{f.withException(Milestone{
		Key:    KeyAssessDecision,
		Label:  "Notify whether the LA will carry out an EHC needs assessment",
		Due:    dl.AssessDecision,
		Done:   cp(f.AssessDecision),
		Owner:  OwnerLA,
		Source: "SEND Regs 2014 reg 5(1); exceptions reg 5(4)",
	})}

	if f.AssessOutcome == OutcomeRefuse && f.AssessDecision != nil {
		// Refusal: appeal rights under CFA 2014 s51(2)(a), notified with the
		// decision (reg 5(3)). Regs 10 and 13 cannot apply without an assessment.
		return append(ms, f.appeal(*f.AssessDecision,
			"Appeal to the Tribunal against the refusal to assess (optional)",
			"SEND Regs 2014 reg 5(3); "+appealSource))
	}

	for _, a := range f.Advice {
		ms = append(ms, Milestone{
			Key:    KeyAdvicePrefix + a.Body,
			Label:  "Provide advice for the needs assessment: " + a.From + " (6 weeks from the request on " + a.Requested.Long() + ")",
			Due:    AdviceDue(a.Requested), // SEND Regs 2014 reg 8: within 6 weeks of the request
			Done:   cp(a.Provided),
			Owner:  a.Owner,
			Source: "SEND Regs 2014 reg 8 (6 weeks from the request)",
		})
	}

	issue := Milestone{
		Key:    KeyIssueDecision,
		Label:  "Decide whether to issue an EHC plan (notify the parent if not)",
		Due:    dl.IssueDecision,
		Owner:  OwnerLA,
		Source: "SEND Regs 2014 reg 10(1); exceptions reg 10(4)",
	}
	if f.DecisionNotToIssue != nil {
		issue.Done = cp(f.DecisionNotToIssue) // reg 10(1): the 16 weeks apply to this decision
	} else if issuing := firstOf(f.DraftServed, f.FinalIssued); issuing != nil {
		// SEND Regs 2014 reg 10(1) sets 16 weeks only for notifying a decision
		// NOT to secure a plan; deciding to issue has no limit of its own (the
		// draft and final are governed by reg 13), so a draft served in week 17
		// is not late at this step.
		issue.Done, issue.Untimed = issuing, true
		issue.Label = "Decide whether to issue an EHC plan: the LA is issuing one (the 16 weeks apply only to a decision not to issue)"
	}
	ms = append(ms, f.withException(issue))

	if f.DecisionNotToIssue != nil {
		// Decision not to issue: appeal under CFA 2014 s51(2)(b), notified with
		// the decision (reg 10(3)). No draft or final plan follows.
		return append(ms, f.appeal(*f.DecisionNotToIssue,
			"Appeal to the Tribunal against the decision not to issue a plan (optional)",
			"SEND Regs 2014 reg 10(3); "+appealSource))
	}

	if f.DraftServed != nil {
		ms = append(ms, Milestone{
			Key:      KeyDraftComments,
			Label:    "Comment on the draft plan, request a school or a meeting (at least 15 days)",
			Due:      DraftCommentsEnd(*f.DraftServed), // SEND Regs 2014 reg 13(1)(a)
			Done:     cp(f.CommentsSent),
			Owner:    OwnerParent,
			Source:   "SEND Regs 2014 reg 13(1)",
			Optional: true,
		})
	}

	ms = append(ms, f.withException(Milestone{
		Key:    KeyFinalPlan,
		Label:  "Issue the final EHC plan",
		Due:    dl.FinalPlan,
		Done:   cp(f.FinalIssued),
		Owner:  OwnerLA,
		Source: "SEND Regs 2014 reg 13(2); exceptions reg 13(3)",
	}))

	if f.FinalIssued != nil && f.DraftServed != nil {
		// SEND Regs 2014 reg 13(1): the parent has "at least 15 days, beginning
		// with the day on which the draft plan was served" to comment, ask for a
		// school and require a meeting; a final plan issued on or before the
		// 15th day cut that period short (even if comments had come in, the
		// right to ask for a meeting ran to its end).
		if end := DraftCommentsEnd(*f.DraftServed); !f.FinalIssued.After(end) {
			ms = append(ms, Milestone{
				Key: KeyFinalBeforeComments,
				Label: "Final plan issued on " + f.FinalIssued.Long() + ", before the parent's 15-day comment period on the draft closed (" +
					end.Long() + " was its last day)",
				Due:     end,
				Done:    cp(f.FinalIssued),
				Owner:   OwnerLA,
				Source:  "SEND Regs 2014 reg 13(1)",
				Warning: true,
			})
		}
	}

	if f.FinalIssued != nil {
		// Appeal against the plan's contents or named school, CFA 2014 s51(2)(c).
		ms = append(ms, f.appeal(*f.FinalIssued,
			"Appeal to the Tribunal against the plan's contents or named placement (optional)",
			appealSource))
	}
	return ms
}

func (f RequestFacts) withException(m Milestone) Milestone {
	if r, ok := f.Exceptions[m.Key]; ok && exceptionAllowed(m.Key, r) {
		m.Excepted = true
		m.ExceptionReason = string(r)
	}
	return m
}

func (f RequestFacts) appeal(decision Date, label, source string) Milestone {
	return Milestone{
		Key:      KeyAppeal,
		Label:    label,
		Due:      AppealDeadline(decision, f.MediationCertificate),
		Done:     cp(f.TribunalLodged),
		Owner:    OwnerParent,
		Source:   source,
		Optional: true,
	}
}

// firstOf returns a copy of the earliest non-nil date, or nil.
func firstOf(ds ...*Date) *Date {
	var out *Date
	for _, d := range ds {
		if d != nil && (out == nil || d.Before(*out)) {
			out = d
		}
	}
	return cp(out)
}
