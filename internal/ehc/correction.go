package ehc

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Correcting records entered by mistake. A recorded step of an annual review
// (the meeting once held, an invitation or advice, the report, the LA's
// decision, the amendments) or of a needs-assessment request (an event, an
// exception) can be corrected or withdrawn, always with a reason. The
// original value is kept in the record's correction history with who changed
// it and when; every statutory date is worked out again from the corrected
// facts.

// Correction actions.
const (
	ActCorrect  = "correct"
	ActWithdraw = "withdraw"
)

// CorrectionActions are what a correction does.
var CorrectionActions = sen.Options{
	{Code: ActCorrect, Label: "Correct it"},
	{Code: ActWithdraw, Label: "Withdraw it: it was entered by mistake or did not happen"},
}

// Correction subjects: whose history a correction belongs to.
const (
	SubjectReview  = "review"
	SubjectRequest = "request"
)

// Items that are neither a review event (Rv*), an invitee step (Step*) nor
// a request event (Ev*).
const (
	ItemMeeting   = "meeting"   // the review meeting, once held
	ItemException = "exception" // a statutory exception on a request
)

// CorrectionValue is a corrected fact's value, before or after.
type CorrectionValue struct {
	Date time.Time
	Code string // a review outcome, an LA assess decision, an exception reason
	Note string // an exception's explanation
}

// Correction is one correction or withdrawal, as kept in the history.
type Correction struct {
	ID        int64
	Subject   string // SubjectReview or SubjectRequest
	SubjectID int64
	Item      string // ItemMeeting, ItemException, a review event kind, an invitee step or a request event kind
	RefID     int64  // the invitee or the request event
	RefName   string // the invitee's name; the exception's milestone key
	Withdrawn bool
	Old, New  CorrectionValue
	Reason    string
	By        string
	At        time.Time
}

// What names the corrected record for people.
func (c Correction) What() string {
	switch c.Item {
	case ItemMeeting:
		return "Review meeting held"
	case ItemException:
		return "Exception: " + ExceptionMilestones.Label(c.RefName)
	case StepInvited:
		return c.RefName + ": invitation sent"
	case StepAdviceRequested:
		return c.RefName + ": advice requested"
	case StepAdviceReceived:
		return c.RefName + ": advice received"
	}
	if ReviewEventKinds.Has(c.Item) {
		return ReviewEventKinds.Label(c.Item)
	}
	return RequestEventLabel(c.Item)
}

// ValueText is a recorded value for people: "10 July 2026 (Amend the plan)".
func (c Correction) ValueText(v CorrectionValue) string {
	var parts []string
	if !v.Date.IsZero() {
		parts = append(parts, longDate(v.Date))
	}
	if v.Code != "" {
		switch {
		case c.Item == ItemException:
			parts = append(parts, deadline.ExceptionReason(v.Code).Description())
		case c.Item == RvDecision:
			parts = append(parts, ReviewOutcomes.Label(v.Code))
		case c.Item == EvAssessDecision:
			parts = append(parts, AssessOutcomes.Label(v.Code))
		}
	}
	out := strings.Join(parts, ": ")
	if v.Note != "" {
		out += " (" + v.Note + ")"
	}
	return out
}

// From is the original value; To the new one, or "Withdrawn".
func (c Correction) From() string { return c.ValueText(c.Old) }

// To is the value after the correction.
func (c Correction) To() string {
	if c.Withdrawn {
		if c.Item == ItemMeeting {
			return "Not held"
		}
		return "Withdrawn"
	}
	return c.ValueText(c.New)
}

// AssessOutcomes are the LA's decisions whether to assess.
var AssessOutcomes = sen.Options{
	{Code: string(deadline.OutcomeAssess), Label: "Agreed to assess"},
	{Code: string(deadline.OutcomeRefuse), Label: "Refused to assess"},
}

// CorrectionRequest is what a person asks to correct: which record (Item, as
// the correction form names it), what to do, the corrected values and why.
type CorrectionRequest struct {
	Version  int64
	Item     string // review: "meeting", a review event kind or "invitee-<id>-<step>"; request: "event-<id>" or "exception-<milestone>"
	Action   string // ActCorrect or ActWithdraw
	Date     time.Time
	Outcome  string // the corrected outcome of a decision
	ExReason string // the corrected reason of an exception
	Note     string // the corrected explanation of an exception (blank keeps it)
	Reason   string // why the record is corrected: required
}

// Validate checks a correction on its own, on day today.
func (c *CorrectionRequest) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if c.Item == "" {
		fe.Add("item", "Select the record to correct")
	}
	if !CorrectionActions.Has(c.Action) {
		fe.Add("action", "Select whether to correct the record or withdraw it")
	}
	if c.Action == ActCorrect && !strings.HasPrefix(c.Item, "exception-") {
		if c.Date.IsZero() {
			fe.Add("correctDate", "Enter the correct date")
		} else if c.Date.After(today) {
			fe.Add("correctDate", "The correct date must be today or in the past")
		}
	}
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" {
		fe.Add("correctReason", "Explain why the record is being corrected")
	} else if len(c.Reason) > 2000 {
		fe.Add("correctReason", "The reason must be 2000 characters or fewer")
	}
	fe.Long("correctReason", c.Reason)
	c.Note = strings.TrimSpace(c.Note)
	if len(c.Note) > 2000 {
		fe.Add("correctNote", "The explanation must be 2000 characters or fewer")
	}
	fe.Long("correctNote", c.Note)
	return fe
}

var errNoSuchRecord = sen.FieldErrors{"item": "Select a record that has been entered"}

// ParseInviteeItem reads "invitee-<id>-<step>".
func ParseInviteeItem(item string) (id int64, step string, ok bool) {
	rest, found := strings.CutPrefix(item, "invitee-")
	if !found {
		return 0, "", false
	}
	num, step, found := strings.Cut(rest, "-")
	if !found {
		return 0, "", false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	switch step {
	case StepInvited, StepAdviceRequested, StepAdviceReceived:
		return id, step, true
	}
	return 0, "", false
}

// InviteeItem is the correction form's name for an invitee's step.
func InviteeItem(id int64, step string) string { return fmt.Sprintf("invitee-%d-%s", id, step) }

// CorrectableItem is a recorded fact offered for correction.
type CorrectableItem struct {
	Item  string
	Label string
}

// Correctable lists the review's recorded facts that can be corrected.
func (r Review) Correctable() []CorrectableItem {
	var out []CorrectableItem
	if r.MeetingHeld {
		out = append(out, CorrectableItem{ItemMeeting, "Review meeting held on " + longDate(r.Meeting)})
	}
	for _, in := range r.Invitees {
		for _, s := range []struct {
			step, what string
			d          time.Time
		}{{StepInvited, "invitation sent", in.Invited}, {StepAdviceRequested, "advice requested", in.AdviceRequested}, {StepAdviceReceived, "advice received", in.AdviceReceived}} {
			if !s.d.IsZero() {
				out = append(out, CorrectableItem{InviteeItem(in.ID, s.step), in.Name + ": " + s.what + " " + longDate(s.d)})
			}
		}
	}
	for _, k := range ReviewEventKinds {
		if d := r.eventDate(k.Code); !d.IsZero() {
			out = append(out, CorrectableItem{k.Code, k.Label + " " + longDate(d)})
		}
	}
	return out
}

func (r Review) eventDate(kind string) time.Time {
	switch kind {
	case RvReportSent:
		return r.ReportSent
	case RvDecision:
		return r.Decision
	case RvAmendmentComments:
		return r.AmendmentComments
	case RvAmendedIssued:
		return r.AmendedIssued
	}
	return time.Time{}
}

// ApplyCorrection applies a valid correction to the review (a copy) on day
// today and checks the result still fits together (the engine's Validate).
// It returns the corrected review and the correction for the history.
func (r Review) ApplyCorrection(c CorrectionRequest, today time.Time) (Review, Correction, error) {
	if r.Version != c.Version {
		return r, Correction{}, ErrStale("review")
	}
	out := Correction{Subject: SubjectReview, SubjectID: r.ID, Item: c.Item, Withdrawn: c.Action == ActWithdraw, Reason: c.Reason}
	if c.Action == ActCorrect {
		out.New.Date = c.Date
	}
	after := r.ReportSent.IsZero() && r.Decision.IsZero() && r.AmendmentComments.IsZero() && r.AmendedIssued.IsZero()
	switch {
	case c.Item == ItemMeeting:
		if !r.MeetingHeld {
			return r, out, errNoSuchRecord
		}
		out.Old.Date = r.Meeting
		if out.Withdrawn {
			if !after || r.Completed {
				return r, out, sen.FieldErrors{"action": "Steps after the meeting are recorded: correct or withdraw them first, then record that the meeting was not held"}
			}
			r.MeetingHeld = false
			out.New.Date = time.Time{}
			break
		}
		if err := r.Facts(nil).ValidateMeeting(deadline.FromTime(c.Date), deadline.FromTime(today)); err != nil {
			return r, out, sen.FieldErrors{"correctDate": "The meeting must be after " + longDate(r.Facts(nil).Anchor().Time()) + ", when the plan was " + anchorWord(r)}
		}
		r.Meeting = c.Date
		for _, d := range []time.Time{r.ReportSent, r.Decision, r.AmendmentComments, r.AmendedIssued} {
			if !d.IsZero() && d.Before(c.Date) {
				return r, out, sen.FieldErrors{"correctDate": "Steps after the meeting are recorded from " + longDate(d) + ": the meeting cannot be after them. Correct them first"}
			}
		}
	case ReviewEventKinds.Has(c.Item):
		old := r.eventDate(c.Item)
		if old.IsZero() {
			return r, out, errNoSuchRecord
		}
		out.Old.Date = old
		if c.Item == RvDecision {
			out.Old.Code = r.Outcome
		}
		if !out.Withdrawn {
			if c.Date.Before(r.Meeting) {
				return r, out, sen.FieldErrors{"correctDate": "The date must be on or after the meeting (" + longDate(r.Meeting) + ")"}
			}
			if c.Item == RvDecision {
				if !ReviewOutcomes.Has(c.Outcome) {
					return r, out, sen.FieldErrors{"correctOutcome": "Select the local authority's decision"}
				}
				out.New.Code = c.Outcome
			}
		}
		switch c.Item {
		case RvReportSent:
			r.ReportSent = out.New.Date
		case RvDecision:
			r.Decision, r.Outcome = out.New.Date, out.New.Code
		case RvAmendmentComments:
			r.AmendmentComments = out.New.Date
		case RvAmendedIssued:
			r.AmendedIssued = out.New.Date
		}
	default:
		id, step, ok := ParseInviteeItem(c.Item)
		if !ok {
			return r, out, errNoSuchRecord
		}
		i := -1
		for n, in := range r.Invitees {
			if in.ID == id {
				i = n
			}
		}
		if i < 0 {
			return r, out, errNoSuchRecord
		}
		r.Invitees = append([]Invitee(nil), r.Invitees...)
		in := &r.Invitees[i]
		field := map[string]*time.Time{StepInvited: &in.Invited, StepAdviceRequested: &in.AdviceRequested, StepAdviceReceived: &in.AdviceReceived}[step]
		if field.IsZero() {
			return r, out, errNoSuchRecord
		}
		out.Item, out.RefID, out.RefName, out.Old.Date = step, id, in.Name, *field
		*field = out.New.Date
	}
	if err := r.Facts(nil).Validate(); err != nil {
		return r, out, sen.FieldErrors{"item": "This does not fit what is already recorded: " + firstLine(err)}
	}
	return r, out, nil
}

// RollUp recomputes the review's invitations-sent date (the latest
// invitation, once everyone is invited) and advice-circulated date (the
// latest advice, once all advice requested is in) from its invitees.
func (r *Review) RollUp() {
	r.InvitesSent, r.AdviceCirculated = time.Time{}, time.Time{}
	if len(r.Invitees) == 0 {
		return
	}
	var inv, adv time.Time
	allInvited, anyAsked, allIn := true, false, true
	for _, in := range r.Invitees {
		if in.Invited.IsZero() {
			allInvited = false
		} else if in.Invited.After(inv) {
			inv = in.Invited
		}
		if !in.AdviceRequested.IsZero() {
			anyAsked = true
			if in.AdviceReceived.IsZero() {
				allIn = false
			}
		}
		if in.AdviceReceived.After(adv) {
			adv = in.AdviceReceived
		}
	}
	if allInvited {
		r.InvitesSent = inv
	}
	if anyAsked && allIn {
		r.AdviceCirculated = adv
	}
}

// Correctable lists the request's recorded events and exceptions that can
// be corrected.
func (r Request) Correctable() []CorrectableItem {
	var out []CorrectableItem
	for _, e := range r.Events {
		label := RequestEventLabel(e.Kind) + " " + longDate(e.Date)
		if e.Kind == EvAssessDecision {
			label += " (" + AssessOutcomes.Label(e.Outcome) + ")"
		}
		out = append(out, CorrectableItem{fmt.Sprintf("event-%d", e.ID), label})
	}
	for _, x := range r.Exceptions {
		out = append(out, CorrectableItem{"exception-" + x.Milestone, "Exception: " + ExceptionMilestones.Label(x.Milestone)})
	}
	return out
}

// ApplyCorrection applies a valid correction to the request (a copy) on day
// today and checks the result with the engine. An exception is corrected by
// a new reason (and, optionally, a new explanation); an event by a new date
// (and outcome, for the decision whether to assess).
func (r Request) ApplyCorrection(c CorrectionRequest) (Request, Correction, error) {
	if r.Version != c.Version {
		return r, Correction{}, ErrStale("request")
	}
	out := Correction{Subject: SubjectRequest, SubjectID: r.ID, Withdrawn: c.Action == ActWithdraw, Reason: c.Reason}
	if m, ok := strings.CutPrefix(c.Item, "exception-"); ok {
		i := -1
		for n, x := range r.Exceptions {
			if x.Milestone == m {
				i = n
			}
		}
		if i < 0 {
			return r, out, errNoSuchRecord
		}
		x := r.Exceptions[i]
		out.Item, out.RefName, out.Old = ItemException, m, CorrectionValue{Code: x.Reason, Note: x.Note}
		r.Exceptions = append(append([]RequestException(nil), r.Exceptions[:i]...), r.Exceptions[i+1:]...)
		if !out.Withdrawn {
			if !ExceptionReasons.Has(c.ExReason) {
				return r, out, sen.FieldErrors{"correctExReason": "Select the correct reason for the exception"}
			}
			x.Reason = c.ExReason
			if c.Note != "" {
				x.Note = c.Note
			}
			out.New = CorrectionValue{Code: x.Reason, Note: x.Note}
			if fe := r.CheckException(x); fe != nil {
				return r, out, sen.FieldErrors{"correctExReason": fe["reason"]}
			}
			r.Exceptions = append(r.Exceptions, x)
		}
		return r, out, nil
	}
	idText, ok := strings.CutPrefix(c.Item, "event-")
	id, err := strconv.ParseInt(idText, 10, 64)
	i := -1
	for n, e := range r.Events {
		if ok && err == nil && e.ID == id {
			i = n
		}
	}
	if i < 0 {
		return r, out, errNoSuchRecord
	}
	e := r.Events[i]
	out.Item, out.RefID, out.Old = e.Kind, e.ID, CorrectionValue{Date: e.Date, Code: e.Outcome}
	events := append(append([]RequestEvent(nil), r.Events[:i]...), r.Events[i+1:]...)
	if !out.Withdrawn {
		if e.Kind == EvAssessDecision {
			if !AssessOutcomes.Has(c.Outcome) {
				return r, out, sen.FieldErrors{"correctOutcome": "Select whether the local authority agreed to assess"}
			}
			e.Outcome = c.Outcome
		}
		if c.Date.Before(r.Received) {
			return r, out, sen.FieldErrors{"correctDate": "The date must be on or after the date the request was received (" + longDate(r.Received) + ")"}
		}
		e.Date = c.Date
		out.New = CorrectionValue{Date: e.Date, Code: e.Outcome}
		// Keep the events in date order, as the store reads them.
		j := 0
		for j < len(events) && !events[j].Date.After(e.Date) {
			j++
		}
		events = append(events[:j], append([]RequestEvent{e}, events[j:]...)...)
	}
	r.Events = events
	if err := r.Facts().Validate(); err != nil {
		return r, out, sen.FieldErrors{"item": "This does not fit what is already recorded: " + firstLine(err)}
	}
	return r, out, nil
}
