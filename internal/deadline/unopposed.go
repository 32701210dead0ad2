package deadline

import "fmt"

// Milestone keys for an unopposed appeal.
const (
	KeyUnopposedAssessNotice  = "unopposed-assess-notice"
	KeyUnopposedIssueDecision = "unopposed-issue-decision"
	KeyUnopposedFinalPlan     = "unopposed-final-plan"
	KeyUnopposedAmendedPlan   = "unopposed-amended-plan"
)

// UnopposedKind says what the appeal the LA has decided not to oppose was
// about; it decides which reg 45 time limits apply.
type UnopposedKind string

// Kinds of unopposed appeal.
const (
	// Appeal against a refusal to assess or re-assess, CFA 2014 s51(2)(a)/(d).
	UnopposedAssessment UnopposedKind = "assessment"
	// Appeal against the plan's contents/placement or a refusal to amend,
	// CFA 2014 s51(2)(c)(i)/(ii) or (e).
	UnopposedContents UnopposedKind = "contents"
)

// UnopposedDeadlines are the SEND Regs 2014 reg 45 time limits (as
// substituted by SI 2015/359 reg 8), all from the date the LA notified the
// First-tier Tribunal that it will not oppose the appeal.
type UnopposedDeadlines struct {
	AssessNotice  Date // +2 weeks: tell the parent it will assess, reg 45(3)
	IssueDecision Date // +10 weeks: notify a decision not to issue, reg 45(3A)(a)
	FinalPlan     Date // +14 weeks: send the final plan, reg 45(3A)(b)
	AmendedPlan   Date // +5 weeks: issue the amended plan, reg 45(4)
}

// UnopposedDeadlinesFrom returns the reg 45 dates for an LA that notified the
// Tribunal on the given date that it will not oppose.
func UnopposedDeadlinesFrom(notified Date) UnopposedDeadlines {
	return UnopposedDeadlines{
		AssessNotice:  notified.AddWeeks(2),  // SEND Regs 2014 reg 45(3) (SI 2015/359 reg 8)
		IssueDecision: notified.AddWeeks(10), // reg 45(3A)(a)
		FinalPlan:     notified.AddWeeks(14), // reg 45(3A)(b)
		AmendedPlan:   notified.AddWeeks(5),  // reg 45(4)
	}
}

// UnopposedFacts are the recorded events after the LA told the Tribunal it
// will not oppose an appeal.
type UnopposedFacts struct {
	Kind     UnopposedKind
	Notified Date // date the LA notified the Tribunal it will not oppose

	AssessNotice       *Date // LA told the parent it will assess (assessment appeals)
	DraftServed        *Date // draft plan served (shows the LA is issuing)
	DecisionNotToIssue *Date // LA notified it will not issue a plan after assessing
	FinalIssued        *Date // final plan sent
	AmendedIssued      *Date // amended plan issued (contents appeals)
}

// Validate reports inconsistent facts.
func (u UnopposedFacts) Validate() error {
	if !u.Notified.Valid() {
		return fmt.Errorf("unopposed appeal: notification date %q is missing or invalid", u.Notified.String())
	}
	switch u.Kind {
	case UnopposedAssessment, UnopposedContents:
	default:
		return fmt.Errorf("unopposed appeal: unknown kind %q", u.Kind)
	}
	if u.DecisionNotToIssue != nil && (u.DraftServed != nil || u.FinalIssued != nil) {
		return fmt.Errorf("unopposed appeal: a decision not to issue and a draft or final plan are both recorded")
	}
	return nil
}

// UnopposedMilestones returns the LA's milestones after it concedes an
// appeal, in process order. The reg 45 exceptions are not modelled.
func UnopposedMilestones(u UnopposedFacts) []Milestone {
	dl := UnopposedDeadlinesFrom(u.Notified)
	const src = " (as substituted by SI 2015/359 reg 8)"
	if u.Kind == UnopposedContents {
		return []Milestone{{
			Key:    KeyUnopposedAmendedPlan,
			Label:  "Issue the amended EHC plan (unopposed appeal)",
			Due:    dl.AmendedPlan,
			Done:   cp(u.AmendedIssued),
			Owner:  OwnerLA,
			Source: "SEND Regs 2014 reg 45(4)" + src,
		}}
	}
	ms := []Milestone{
		{
			Key:    KeyUnopposedAssessNotice,
			Label:  "Tell the parent the LA will carry out the assessment (unopposed appeal)",
			Due:    dl.AssessNotice,
			Done:   cp(u.AssessNotice),
			Owner:  OwnerLA,
			Source: "SEND Regs 2014 reg 45(3)" + src,
		},
		{
			Key:    KeyUnopposedIssueDecision,
			Label:  "Decide whether to issue a plan (notify the parent if not) (unopposed appeal)",
			Due:    dl.IssueDecision,
			Done:   firstOf(u.DecisionNotToIssue, u.DraftServed, u.FinalIssued),
			Owner:  OwnerLA,
			Source: "SEND Regs 2014 reg 45(3A)(a)" + src,
		},
	}
	if u.DecisionNotToIssue == nil {
		ms = append(ms, Milestone{
			Key:    KeyUnopposedFinalPlan,
			Label:  "Send the final EHC plan (unopposed appeal)",
			Due:    dl.FinalPlan,
			Done:   cp(u.FinalIssued),
			Owner:  OwnerLA,
			Source: "SEND Regs 2014 reg 45(3A)(b)" + src,
		})
	}
	return ms
}
