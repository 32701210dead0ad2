package plans

import (
	"time"

	"opensend/internal/sen"
)

// The graduated approach's conflicts and messages that depend on stored
// state: the store finds the facts, the sentences are written here.

// ErrNotOnRegister: a plan cycle needs the pupil on the SEN register.
func ErrNotOnRegister() sen.FieldErrors {
	return sen.FieldErrors{"start": "The pupil is not on the SEN register: decide a concern or update the register first"}
}

// ErrOpenCycle: the pupil already has an open cycle.
func ErrOpenCycle() error {
	return &sen.ConflictError{What: "plan", Msg: "This pupil already has an open plan cycle."}
}

// ErrChangedBy: the cycle was changed by someone (by, "" if unknown) at a
// time since the editor read it.
func ErrChangedBy(by string, at time.Time) error {
	return &sen.ConflictError{What: "plan", By: by, At: at,
		Msg: "Your change has not been saved: their version is shown below. Make your change again if it is still needed."}
}

// ErrLocked: a reviewed cycle is a record and changes only by amendment.
func ErrLocked() error {
	return &sen.ConflictError{What: "plan", Msg: "This cycle has been reviewed and is locked as a record. Corrections must be made as amendments with a reason."}
}

// ErrStartAfterTarget: the start date must come before every outcome's target.
func ErrStartAfterTarget(target time.Time) sen.FieldErrors {
	return sen.FieldErrors{"start": "The start date must be before every outcome's target date (one is " + target.Format("2 January 2006") + ")"}
}

// ErrSavedFirst: someone else saved the plan first.
func ErrSavedFirst() error {
	return &sen.ConflictError{What: "plan", Msg: "Someone else saved this plan first. Your change has not been saved."}
}

// ErrOutcomeHasWork: an outcome with logged work cannot be removed.
func ErrOutcomeHasWork() error {
	return &sen.ConflictError{What: "outcome", Msg: "Staff have logged work against this outcome, so it cannot be removed. Rate it at the review instead."}
}

// ErrNotDraft: only a draft plan can be made active.
func ErrNotDraft() error {
	return &sen.ConflictError{What: "plan", Msg: "Only a draft plan can be made active."}
}

// ErrNotActive: only an active plan can be reviewed.
func ErrNotActive() error {
	return &sen.ConflictError{What: "plan", Msg: "Only an active plan can be reviewed: make the plan active first."}
}

// ErrAlreadyReviewed: the cycle has already been reviewed.
func ErrAlreadyReviewed() error {
	return &sen.ConflictError{What: "plan", Msg: "This cycle has already been reviewed."}
}

// ErrNotLocked: an amendment is only for a locked cycle.
func ErrNotLocked() error {
	return &sen.ConflictError{What: "plan", Msg: "This cycle is not locked: edit it directly."}
}

// ErrLogNotActive: work is logged only against the active plan.
func ErrLogNotActive() error {
	return &sen.ConflictError{What: "plan", Msg: "Work can only be logged against the active plan."}
}

// ErrPassportChanged: someone else saved the passport first.
func ErrPassportChanged() *sen.ConflictError {
	return &sen.ConflictError{What: "passport", Msg: "Someone else saved this passport while you were editing. Your changes have not been saved: their version is shown below."}
}

// ErrConcernChanged: the concern was decided or changed since it was read.
func ErrConcernChanged() error {
	return &sen.ConflictError{What: "concern", Msg: "Someone else decided or changed this concern while you were looking at it. Nothing has been saved: check the decision shown below."}
}

// ErrConcernDecidedFirst: someone else decided the concern first.
func ErrConcernDecidedFirst() error {
	return &sen.ConflictError{What: "concern", Msg: "Someone else decided this concern first. Nothing has been saved."}
}

// ErrNotMonitored: only a "monitor" decision has a monitoring review.
func ErrNotMonitored() sen.FieldErrors {
	return sen.FieldErrors{"concern": "Only a concern the SENCO decided to monitor has a monitoring review"}
}

// MonitoringReviewNoticed is what the new concern of a monitoring review
// says was noticed: the earlier decision (decided at, review by) and what
// was noticed then.
func MonitoringReviewNoticed(decidedAt, reviewBy time.Time, noticed string) string {
	return "Monitoring review: on " + decidedAt.In(sen.London()).Format("2 January 2006") + " the SENCO decided to monitor, with a review by " +
		reviewBy.Format("2 January 2006") + ". What was noticed then: " + noticed
}

// ErrStrategyNotInBank: the chosen strategy is not in the school's bank.
func ErrStrategyNotInBank() sen.FieldErrors {
	return sen.FieldErrors{"strategy": "Choose a strategy from the bank"}
}

// ErrStrategyInPlan: the bank strategy is already in the plan.
func ErrStrategyInPlan() sen.FieldErrors {
	return sen.FieldErrors{"strategy": "This strategy is already in the plan"}
}

// MonitoringReviewReason is the evidence of the new concern a monitoring
// review opens: the reason the SENCO gave.
func MonitoringReviewReason(reason string) string {
	return "Reason for monitoring: " + reason
}

// DecisionMeetingTitle titles the parent meeting recorded when parents were
// told of a concern's decision at a meeting.
func DecisionMeetingTitle(d Decision) string {
	return "Decision on a concern: " + d.Label()
}

// DecidedAfterConcern is who the register history says decided SEN support
// when the SENCO (name) decided a concern.
func DecidedAfterConcern(name string) string {
	return sen.DecidedBySENCO(name) + " after a concern was raised"
}
