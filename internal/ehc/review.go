package ehc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Review is one annual review cycle of a plan (CFA 2014 s44; SEND Regs
// 2014 regs 18-22). Its statutory dates come from deadline.ReviewMilestones.
type Review struct {
	ID                int64
	PlanID            int64
	SchoolID          int64
	PupilID           int64
	PupilName         string
	YearGroup         string
	PlanIssued        time.Time
	LastReview        time.Time // the previous review meeting this cycle runs from
	Meeting           time.Time
	MeetingHeld       bool
	InvitesSent       time.Time
	AdviceCirculated  time.Time
	ReportSent        time.Time
	Decision          time.Time
	Outcome           string
	AmendmentComments time.Time
	AmendedIssued     time.Time
	Attendance        string
	PupilViews        string
	ParentViews       string
	Amendments        string
	PFA               string
	Completed         bool
	Version           int64
	Invitees          []Invitee
	Progress          []OutcomeProgress
}

// Invitee is someone invited to the review meeting (reg 20(2)) and asked
// for advice (reg 20(4)).
type Invitee struct {
	ID              int64
	ReviewID        int64
	Party           string
	Name            string
	Invited         time.Time
	AdviceRequested time.Time
	AdviceReceived  time.Time
	Attended        bool
}

// OutcomeProgress is progress towards one Section E outcome.
type OutcomeProgress struct {
	OutcomeID int64
	Outcome   string
	Rating    string
	Note      string
}

// InviteeParties are the people reg 20(2) requires the school to invite.
var InviteeParties = sen.Options{
	{Code: "parent", Label: "Parent or young person"},
	{Code: "la", Label: "Local authority SEN officer"},
	{Code: "health", Label: "Health"},
	{Code: "social-care", Label: "Social care"},
	{Code: "professional", Label: "Other professional involved"},
}

// InviteePartyLabel names a party code.
func InviteePartyLabel(code string) string { return InviteeParties.Label(code) }

// ProgressRatings for Section E outcomes.
var ProgressRatings = sen.Options{
	{Code: "achieved", Label: "Achieved"},
	{Code: "on-track", Label: "On track"},
	{Code: "some", Label: "Some progress"},
	{Code: "none", Label: "Not yet progressing"},
}

// ProgressRatingLabel names a rating.
func ProgressRatingLabel(code string) string { return ProgressRatings.Label(code) }

// YearNumber converts a census year group to the engine's number
// (Reception 0, Nursery 2 -1, Nursery 1 -2); ok is false if unknown.
func YearNumber(y string) (int, bool) {
	switch y {
	case "N1":
		return deadline.YearNursery1, true
	case "N2":
		return deadline.YearEarlyYears, true
	case "R":
		return deadline.YearReception, true
	}
	n, err := strconv.Atoi(y)
	return n, err == nil
}

// TransferFor returns the reg 18 phase transfer at the end of this academic
// year for a pupil in yearGroup at a school of phase, if any.
func TransferFor(yearGroup, phase string, today time.Time) *deadline.Transfer {
	n, ok := YearNumber(yearGroup)
	if !ok {
		return nil
	}
	t, ok, err := deadline.PhaseTransferThisYear(n, deadline.Phase(phase), deadline.FromTime(today))
	if err != nil || !ok {
		return nil
	}
	return &t
}

// Facts turns the review into the deadline engine's input.
func (r Review) Facts(transfer *deadline.Transfer) deadline.ReviewFacts {
	return deadline.ReviewFacts{
		PlanIssued:        deadline.FromTime(r.PlanIssued),
		LastReview:        deadline.FromTimePtr(r.LastReview),
		Meeting:           deadline.FromTimePtr(r.Meeting),
		MeetingHeld:       r.MeetingHeld,
		InvitesSent:       deadline.FromTimePtr(r.InvitesSent),
		AdviceCirculated:  deadline.FromTimePtr(r.AdviceCirculated),
		ReportSent:        deadline.FromTimePtr(r.ReportSent),
		Decision:          deadline.FromTimePtr(r.Decision),
		Outcome:           deadline.ReviewOutcome(r.Outcome),
		AmendmentComments: deadline.FromTimePtr(r.AmendmentComments),
		AmendedPlanIssued: deadline.FromTimePtr(r.AmendedIssued),
		Transfer:          transfer,
	}
}

// ErrReviewInProgress is returned when a plan already has an open review.
func ErrReviewInProgress() sen.FieldErrors {
	return sen.FieldErrors{"meeting": "This plan already has an annual review in progress. Open it from the plan page."}
}

// ErrNoMeetingDate is returned when a meeting date is needed and missing.
func ErrNoMeetingDate() sen.FieldErrors {
	return sen.FieldErrors{"meeting": "Enter the date of the review meeting"}
}

// CheckMeeting checks a proposed meeting date for the review (pupil in
// yearGroup at a school of phase): it must give 2 weeks' notice and fall
// within the review period (deadline.ValidateMeetingDate). A held meeting
// cannot move. It returns nil when the date is acceptable.
func (r Review) CheckMeeting(yearGroup, phase string, meeting, today time.Time) sen.FieldErrors {
	return r.CheckMeetingWith(TransferFor(yearGroup, phase, today), meeting, today)
}

// CheckMeetingWith is CheckMeeting against the phase transfer tr (nil:
// none) as the duties compute it (PlanTransfer).
func (r Review) CheckMeetingWith(tr *deadline.Transfer, meeting, today time.Time) sen.FieldErrors {
	if r.MeetingHeld {
		return sen.FieldErrors{"meeting": "The meeting has been recorded as held, so its date cannot move"}
	}
	f := r.Facts(tr)
	err := f.ValidateMeeting(deadline.FromTime(meeting), deadline.FromTime(today))
	if err == nil {
		return nil
	}
	var msgs []string
	if errors.Is(err, deadline.ErrMeetingInPast) {
		msgs = append(msgs, "The meeting date must be in the future")
	}
	if errors.Is(err, deadline.ErrMeetingNoticeTooShort) {
		msgs = append(msgs, "The meeting must be at least 2 weeks from today so invitations give 2 weeks' notice, so "+longDate((deadline.FromTime(today).AddDays(14)).Time())+" or later")
	}
	if errors.Is(err, deadline.ErrMeetingAfterReviewDue) {
		msgs = append(msgs, "The meeting must be on or before "+longDate(f.MeetingLimit().Time())+", the last day for this review")
	}
	if len(msgs) == 0 {
		msgs = append(msgs, "Enter a valid meeting date")
	}
	return sen.FieldErrors{"meeting": strings.Join(msgs, ". ")}
}

// Validate checks an invitee.
func (in *Invitee) Validate() sen.FieldErrors {
	in.Name = strings.TrimSpace(in.Name)
	fe := sen.FieldErrors{}
	if !InviteeParties.Has(in.Party) {
		fe.Add("party", "Select who the invitee is")
	}
	if in.Name == "" {
		fe.Add("inviteeName", "Enter the invitee's name or service")
	} else if len(in.Name) > 200 {
		fe.Add("inviteeName", "Name must be 200 characters or fewer")
	}
	fe.Name("inviteeName", in.Name)
	return fe
}

// InviteeSteps are the things that can be recorded for an invitee.
const (
	StepInvited         = "invited"
	StepAdviceRequested = "advice-requested"
	StepAdviceReceived  = "advice-received"
)

// ValidateInviteeStep checks a step recorded for an invitee on date.
func ValidateInviteeStep(step string, date, today time.Time) sen.FieldErrors {
	switch step {
	case StepInvited, StepAdviceRequested, StepAdviceReceived:
	default:
		return sen.FieldErrors{"step": "Select what happened"}
	}
	if date.IsZero() {
		return sen.FieldErrors{"stepDate": "Enter the date"}
	}
	if date.After(today) {
		return sen.FieldErrors{"stepDate": "The date must be today or in the past"}
	}
	return nil
}

// ReviewRecord is what is recorded at and after the meeting.
type ReviewRecord struct {
	Version     int64
	MeetingHeld bool
	Attended    []int64 // invitee ids who attended
	Attendance  string  // others present
	PupilViews  string
	ParentViews string
	Amendments  string
	PFA         string
	Progress    []OutcomeProgress
}

// Validate checks the meeting record on its own.
func (rec ReviewRecord) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	for k, v := range map[string]string{"attendance": rec.Attendance, "pupilViews": rec.PupilViews, "parentViews": rec.ParentViews, "amendments": rec.Amendments, "pfa": rec.PFA} {
		if len(v) > 10000 {
			fe.Add(k, "This answer must be 10,000 characters or fewer")
		}
	}
	for _, g := range rec.Progress {
		if g.Rating != "" && !ProgressRatings.Has(g.Rating) {
			fe.Add(fmt.Sprintf("rating-%d", g.OutcomeID), "Select a valid progress rating")
		}
	}
	for k, v := range map[string]string{"attendance": rec.Attendance, "pupilViews": rec.PupilViews, "parentViews": rec.ParentViews, "amendments": rec.Amendments, "pfa": rec.PFA} {
		fe.Long(k, v)
	}
	return fe
}

// CheckRecord checks a valid record against the review as it is now.
func (r Review) CheckRecord(rec ReviewRecord, today time.Time) error {
	if r.Version != rec.Version {
		return ErrStale("review")
	}
	if rec.MeetingHeld {
		if r.Meeting.IsZero() {
			return sen.FieldErrors{"meetingHeld": "Set the meeting date before recording that it was held"}
		}
		if r.Meeting.After(today) {
			return sen.FieldErrors{"meetingHeld": "The meeting is on " + longDate(r.Meeting) + ": it cannot be recorded as held before then"}
		}
	}
	return nil
}

// Review events recorded after the meeting.
const (
	RvReportSent        = "report-sent"
	RvDecision          = "decision"
	RvAmendmentComments = "amendment-comments"
	RvAmendedIssued     = "amended-issued"
	RvCompleted         = "completed"
)

// ReviewEventKinds are the events recorded after the meeting, in order.
// Closing the review (RvCompleted) is not offered among them.
var ReviewEventKinds = sen.Options{
	{Code: RvReportSent, Label: "Review report sent to the local authority"},
	{Code: RvDecision, Label: "Local authority decision"},
	{Code: RvAmendmentComments, Label: "Comments sent on the proposed amendments"},
	{Code: RvAmendedIssued, Label: "Amended plan issued"},
}

// ReviewOutcomes are the local authority's decisions after an annual review
// (CFA 2014 s44(4); SEND Regs 2014 reg 22): the engine's review outcomes.
var ReviewOutcomes = sen.Options{
	{Code: string(deadline.ReviewMaintain), Label: "Maintain the plan as it is"},
	{Code: string(deadline.ReviewAmend), Label: "Amend the plan"},
	{Code: string(deadline.ReviewCease), Label: "Cease to maintain the plan"},
}

// ValidateReviewEvent checks a review event on its own.
func ValidateReviewEvent(kind string, date time.Time, outcome string, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if kind != RvCompleted {
		if date.IsZero() {
			fe.Add("eventDate", "Enter the date it happened")
		} else if date.After(today) {
			fe.Add("eventDate", "The date it happened must be today or in the past")
		}
	}
	if kind == RvDecision && !ReviewOutcomes.Has(outcome) {
		fe.Add("outcome", "Select the local authority's decision")
	}
	return fe
}

// ApplyEvent records a valid event on the review (a copy) and checks that
// it fits what is already recorded: the meeting held first, no date before
// the meeting, and an order the engine accepts.
func (r Review) ApplyEvent(kind string, date time.Time, outcome string) (Review, error) {
	switch kind {
	case RvReportSent:
		r.ReportSent = date
	case RvDecision:
		r.Decision, r.Outcome = date, outcome
	case RvAmendmentComments:
		r.AmendmentComments = date
	case RvAmendedIssued:
		r.AmendedIssued = date
	case RvCompleted:
		if !r.MeetingHeld {
			return r, sen.FieldErrors{"kind": "Record the meeting as held before closing the review"}
		}
		r.Completed = true
		return r, nil
	default:
		return r, sen.FieldErrors{"kind": "Select what happened"}
	}
	if !r.MeetingHeld {
		return r, sen.FieldErrors{"kind": "Record the meeting as held first"}
	}
	if date.Before(r.Meeting) {
		return r, sen.FieldErrors{"eventDate": "The date must be on or after the meeting (" + longDate(r.Meeting) + ")"}
	}
	if err := r.Facts(nil).Validate(); err != nil {
		return r, sen.FieldErrors{"kind": "This does not fit what is already recorded: " + firstLine(err)}
	}
	return r, nil
}

// PendingInvitation is an invitee not yet sent an invitation for a review
// with a meeting date. The SENCO sees it whole; office staff see it
// ForPosting.
type PendingInvitation struct {
	InviteeID int64
	ReviewID  int64
	PupilName string
	Party     string
	Name      string
	Meeting   time.Time
	SendBy    time.Time
	// Withheld is set by ForPosting when the recipient is a service
	// involved with the child: Party and Name are blank.
	Withheld bool
}

// ServiceParty reports whether an invitee party is a service involved with
// the child (health, social care, another professional such as an
// educational psychologist): anything but the parent or young person and
// the local authority, which every plan has.
func ServiceParty(code string) bool { return code != "parent" && code != "la" }

// ForPosting is what office staff need to post the invitation and nothing
// more: the pupil it is about, the recipient and the send-by date. Which
// services are involved with a child is SEN information, and an invitee's
// name usually names the service ("Speech and language therapist"), so
// for a service both the party and the name are withheld (the SENCO
// addresses that letter); the meeting date is left out too.
func (p PendingInvitation) ForPosting() PendingInvitation {
	p.Meeting = time.Time{}
	if ServiceParty(p.Party) {
		p.Party, p.Name, p.Withheld = "", "", true
	}
	return p
}
