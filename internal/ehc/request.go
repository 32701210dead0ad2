package ehc

import (
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Who made a request for an EHC needs assessment (CFA 2014 s36(1); CoP 9.8).
var RequestedByOptions = sen.Options{
	{Code: "parent", Label: "Parent or young person"},
	{Code: "school", Label: "School"},
	{Code: "health", Label: "Health"},
	{Code: "social-care", Label: "Social care"},
	{Code: "other", Label: "Other"},
}

// RequestedByLabel names a requester code.
func RequestedByLabel(code string) string { return RequestedByOptions.Label(code) }

// Request event kinds. Each sets one fact of deadline.RequestFacts.
const (
	EvAssessDecision  = "assess-decision"  // LA decision whether to assess (outcome assess/refuse)
	EvAdviceRequested = "advice-requested" // LA asked the school for advice
	EvAdviceReturned  = "advice-returned"  // school returned its advice
	// Advice asked of other bodies for the assessment (SEND Regs 2014 reg 8:
	// 6 weeks from the request).
	EvAdviceRequestedPsychologist = "advice-requested-psychologist"
	EvAdviceReturnedPsychologist  = "advice-returned-psychologist"
	EvAdviceRequestedHealth       = "advice-requested-health"
	EvAdviceReturnedHealth        = "advice-returned-health"
	EvAdviceRequestedSocialCare   = "advice-requested-social-care"
	EvAdviceReturnedSocialCare    = "advice-returned-social-care"
	EvDraftServed                 = "draft-served"  // draft plan served
	EvCommentsSent                = "comments-sent" // comments on the draft sent
	EvNotToIssue                  = "not-to-issue"  // LA decided not to issue a plan
	EvFinalIssued                 = "final-issued"  // final plan issued
	EvMediation                   = "mediation"     // mediation certificate issued
	EvTribunal                    = "tribunal"      // appeal lodged with the Tribunal
)

// RequestEventKinds in process order, with labels.
var RequestEventKinds = sen.Options{
	{Code: EvAssessDecision, Label: "LA decision whether to assess"},
	{Code: EvAdviceRequested, Label: "Advice requested from the school"},
	{Code: EvAdviceReturned, Label: "Advice returned by the school"},
	{Code: EvAdviceRequestedPsychologist, Label: "Advice requested from the educational psychologist"},
	{Code: EvAdviceReturnedPsychologist, Label: "Advice returned by the educational psychologist"},
	{Code: EvAdviceRequestedHealth, Label: "Advice requested from health"},
	{Code: EvAdviceReturnedHealth, Label: "Advice returned by health"},
	{Code: EvAdviceRequestedSocialCare, Label: "Advice requested from social care"},
	{Code: EvAdviceReturnedSocialCare, Label: "Advice returned by social care"},
	{Code: EvDraftServed, Label: "Draft plan served"},
	{Code: EvCommentsSent, Label: "Comments on the draft sent"},
	{Code: EvNotToIssue, Label: "LA decided not to issue a plan"},
	{Code: EvFinalIssued, Label: "Final EHC plan issued"},
	{Code: EvMediation, Label: "Mediation certificate issued"},
	{Code: EvTribunal, Label: "Appeal lodged with the Tribunal"},
}

// RequestEventLabel names an event kind.
func RequestEventLabel(code string) string { return RequestEventKinds.Label(code) }

// AdviceBody is one body the LA asks for advice for a needs assessment:
// the events that record the request and the advice, and the engine's
// milestone (deadline.KeyAdvicePrefix + Body, due 6 weeks after the request,
// SEND Regs 2014 reg 8).
type AdviceBody struct {
	Body      string // stable code, part of the milestone key and calendar UID
	From      string // who, for people
	Owner     string // deadline.OwnerSchool or deadline.OwnerBody
	Requested string // event kind: advice requested
	Returned  string // event kind: advice returned
}

// AdviceBodies in the order the request page and calendar show them.
var AdviceBodies = []AdviceBody{
	{Body: "school", From: "the school", Owner: deadline.OwnerSchool, Requested: EvAdviceRequested, Returned: EvAdviceReturned},
	{Body: "psychologist", From: "the educational psychologist", Owner: deadline.OwnerBody, Requested: EvAdviceRequestedPsychologist, Returned: EvAdviceReturnedPsychologist},
	{Body: "health", From: "health", Owner: deadline.OwnerBody, Requested: EvAdviceRequestedHealth, Returned: EvAdviceReturnedHealth},
	{Body: "social-care", From: "social care", Owner: deadline.OwnerBody, Requested: EvAdviceRequestedSocialCare, Returned: EvAdviceReturnedSocialCare},
}

// ExceptionMilestones are the milestones a statutory exception can apply
// to: reg 5(4) (6 weeks), reg 10(4) (16 weeks), reg 13(3) (20 weeks).
var ExceptionMilestones = sen.Options{
	{Code: deadline.KeyAssessDecision, Label: "Decision whether to assess (6 weeks)"},
	{Code: deadline.KeyIssueDecision, Label: "Decision whether to issue a plan (16 weeks)"},
	{Code: deadline.KeyFinalPlan, Label: "Final EHC plan (20 weeks)"},
}

// ExceptionReasons are the statutory reasons (SEND Regs 2014 reg 10(4)(a)-(d)),
// each labelled with the engine's description of it.
var ExceptionReasons = exceptionReasons(deadline.ExceptionSchoolClosure, deadline.ExceptionEarlyYearsClosure,
	deadline.ExceptionPersonalCircumstances, deadline.ExceptionAbsence)

func exceptionReasons(rs ...deadline.ExceptionReason) sen.Options {
	out := make(sen.Options, 0, len(rs))
	for _, r := range rs {
		out = append(out, sen.Option{Code: string(r), Label: r.Description()})
	}
	return out
}

// Request is a request for an EHC needs assessment with its events.
type Request struct {
	ID          int64
	SchoolID    int64
	PupilID     int64
	PupilName   string
	YearGroup   string
	RequestedBy string
	Received    time.Time
	LAName      string
	Notes       string
	Version     int64
	Events      []RequestEvent
	Exceptions  []RequestException
	PlanID      int64        // the plan recorded from this request, if any
	Corrections []Correction // oldest first; read with one request only
}

// RequestEvent is one recorded step.
type RequestEvent struct {
	ID         int64
	Kind       string
	Date       time.Time
	Outcome    string // for assess-decision: assess or refuse
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// RequestException is a statutory exception to a milestone's time limit.
type RequestException struct {
	Milestone  string
	Reason     string
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// Facts turns the recorded events into the deadline engine's input: the
// latest event of each kind is the fact.
func (r Request) Facts() deadline.RequestFacts {
	f := deadline.RequestFacts{Received: deadline.FromTime(r.Received)}
	for _, e := range r.Events { // events are ordered by date, then id
		d := deadline.FromTimePtr(e.Date)
		switch e.Kind {
		case EvAssessDecision:
			f.AssessDecision, f.AssessOutcome = d, deadline.AssessOutcome(e.Outcome)
		case EvDraftServed:
			f.DraftServed = d
		case EvCommentsSent:
			f.CommentsSent = d
		case EvNotToIssue:
			f.DecisionNotToIssue = d
		case EvFinalIssued:
			f.FinalIssued = d
		case EvMediation:
			f.MediationCertificate = d
		case EvTribunal:
			f.TribunalLodged = d
		}
	}
	// Advice: the latest request and return of each body. Advice recorded as
	// returned without a request has no 6-week period to measure.
	for _, b := range AdviceBodies {
		req, ok := r.Event(b.Requested)
		if !ok {
			continue
		}
		a := deadline.AdviceRequest{Body: b.Body, From: b.From, Owner: b.Owner, Requested: deadline.FromTime(req.Date)}
		if ret, ok := r.Event(b.Returned); ok {
			a.Provided = deadline.FromTimePtr(ret.Date)
		}
		f.Advice = append(f.Advice, a)
	}
	if len(r.Exceptions) > 0 {
		f.Exceptions = map[string]deadline.ExceptionReason{}
		for _, x := range r.Exceptions {
			f.Exceptions[x.Milestone] = deadline.ExceptionReason(x.Reason)
		}
	}
	return f
}

// Milestones are the request's statutory milestones from the engine.
func (r Request) Milestones() []deadline.Milestone {
	return deadline.RequestMilestones(r.Facts())
}

// Event returns the latest event of kind, if any.
func (r Request) Event(kind string) (RequestEvent, bool) {
	var out RequestEvent
	ok := false
	for _, e := range r.Events {
		if e.Kind == kind {
			out, ok = e, true
		}
	}
	return out, ok
}

// Exception returns the note recorded with a milestone's exception.
func (r Request) Exception(milestone string) (RequestException, bool) {
	for _, x := range r.Exceptions {
		if x.Milestone == milestone {
			return x, true
		}
	}
	return RequestException{}, false
}

// Validate checks a new request.
func (r *Request) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if !RequestedByOptions.Has(r.RequestedBy) {
		fe.Add("requestedBy", "Select who made the request")
	}
	if r.Received.IsZero() {
		fe.Add("received", "Enter the date the local authority received the request")
	} else if r.Received.After(today) {
		fe.Add("received", "The date the local authority received the request must be today or in the past")
	}
	r.LAName = strings.TrimSpace(r.LAName)
	if len(r.LAName) > 200 {
		fe.Add("laName", "Local authority must be 200 characters or fewer")
	}
	if len(r.Notes) > 5000 {
		fe.Add("notes", "Notes must be 5000 characters or fewer")
	}
	fe.Line("laName", r.LAName)
	fe.Long("notes", r.Notes)
	return fe
}

// Validate checks an event on its own (an outcome is kept only for the
// decision whether to assess).
func (e *RequestEvent) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if !RequestEventKinds.Has(e.Kind) {
		fe.Add("kind", "Select what happened")
	}
	if e.Date.IsZero() {
		fe.Add("eventDate", "Enter the date it happened")
	} else if e.Date.After(today) {
		fe.Add("eventDate", "The date it happened must be today or in the past")
	}
	if e.Kind == EvAssessDecision && e.Outcome != string(deadline.OutcomeAssess) && e.Outcome != string(deadline.OutcomeRefuse) {
		fe.Add("outcome", "Select whether the local authority agreed to assess")
	}
	if e.Kind != EvAssessDecision {
		e.Outcome = ""
	}
	if len(e.Note) > 2000 {
		fe.Add("note", "Note must be 2000 characters or fewer")
	}
	fe.Long("note", e.Note)
	return fe
}

// CheckEvent checks that a valid event fits what the request already
// records: the resulting facts must pass the deadline engine's consistency
// checks (a final plan cannot be issued before the request was received, nor
// after a refusal to assess). It returns nil when it fits.
func (r Request) CheckEvent(e RequestEvent) sen.FieldErrors {
	if e.Date.Before(r.Received) {
		return sen.FieldErrors{"eventDate": "The date must be on or after the date the request was received (" + longDate(r.Received) + ")"}
	}
	r.Events = append(append([]RequestEvent(nil), r.Events...), e)
	if err := r.Facts().Validate(); err != nil {
		return sen.FieldErrors{"kind": "This does not fit what is already recorded: " + firstLine(err)}
	}
	return nil
}

// Validate checks an exception on its own.
func (x *RequestException) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if !ExceptionMilestones.Has(x.Milestone) {
		fe.Add("milestone", "Select the time limit the exception applies to")
	}
	if !ExceptionReasons.Has(x.Reason) {
		fe.Add("reason", "Select the reason for the exception")
	}
	x.Note = strings.TrimSpace(x.Note)
	if x.Note == "" {
		fe.Add("exceptionNote", "Explain why the exception applies")
	} else if len(x.Note) > 2000 {
		fe.Add("exceptionNote", "The explanation must be 2000 characters or fewer")
	}
	fe.Long("exceptionNote", x.Note)
	return fe
}

// CheckException checks that the engine accepts the exception's reason for
// its milestone (an early years closure cannot excuse the 6-week decision,
// reg 5(4)). It returns nil when it does.
func (r Request) CheckException(x RequestException) sen.FieldErrors {
	// A second exception for the same time limit would replace the first
	// without a trace: a change goes through a correction, with its reason,
	// so the history keeps what was recorded.
	for _, old := range r.Exceptions {
		if old.Milestone == x.Milestone {
			return sen.FieldErrors{"milestone": "An exception is already recorded for this time limit. To change it, use “Correct or withdraw a record entered by mistake” under Corrections, with the reason for the change"}
		}
	}
	f := r.Facts()
	if f.Exceptions == nil {
		f.Exceptions = map[string]deadline.ExceptionReason{}
	}
	f.Exceptions[x.Milestone] = deadline.ExceptionReason(x.Reason)
	if err := f.Validate(); err != nil {
		return sen.FieldErrors{"reason": "This reason cannot excuse that time limit: " + firstLine(err)}
	}
	return nil
}

// ErrStale is the optimistic-locking conflict for an EHC record (what is
// "plan", "review"...).
func ErrStale(what string) error {
	return &sen.ConflictError{What: what, Msg: "Someone else changed this " + what + " while you were editing. Nothing has been saved: check the current record and try again."}
}
