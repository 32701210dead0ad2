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
	// MeetingTime is the meeting's start ("14:30", "" not yet set) and
	// MeetingPlace where it is held ("the SENCO's office"), printed in
	// the invitations (ValidateMeetingPlace).
	MeetingTime, MeetingPlace string
	Version                   int64
	Invitees                  []Invitee
	Reports                   []ReviewReport
	Progress                  []OutcomeProgress
	Corrections               []Correction // oldest first
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
	// Email is where the letter may be e-mailed ("" none: post only) and
	// Address the postal address it is posted to (one line each).
	Email, Address string
	// Sends are the letter's sends, oldest first.
	Sends []LetterSend
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

// CheckMeeting checks a meeting date for the review (pupil in yearGroup at a
// school of phase). A date after the 12 months, in the past (a meeting
// already held, entered with its real date) or with short notice is
// accepted, and the review page then warns what it means (MeetingWarnings);
// only a date on or before the plan's issue or last review, or more than 12
// months away, is refused (deadline.ValidateMeetingDate). A held meeting
// does not move: its date is corrected, with a reason (CorrectReview). It
// returns nil when the date is acceptable.
func (r Review) CheckMeeting(yearGroup, phase string, meeting, today time.Time) sen.FieldErrors {
	return r.CheckMeetingWith(TransferFor(yearGroup, phase, today), meeting, today)
}

// CheckMeetingWith is CheckMeeting against the phase transfer tr (nil:
// none) as the duties compute it (PlanTransfer).
func (r Review) CheckMeetingWith(tr *deadline.Transfer, meeting, today time.Time) sen.FieldErrors {
	if r.MeetingHeld {
		return sen.FieldErrors{"meeting": "The meeting has been recorded as held, so its date cannot move. To put right a wrong date, correct the meeting below and say why"}
	}
	f := r.Facts(tr)
	err := f.ValidateMeeting(deadline.FromTime(meeting), deadline.FromTime(today))
	if err == nil {
		return nil
	}
	var msgs []string
	if errors.Is(err, deadline.ErrMeetingNotAfterAnchor) {
		msgs = append(msgs, "The meeting must be after "+longDate(f.Anchor().Time())+", when the plan was "+anchorWord(r)+"")
	}
	if errors.Is(err, deadline.ErrMeetingTooFar) {
		msgs = append(msgs, "The meeting must be no later than "+longDate(deadline.FromTime(today).AddMonths(12).Time())+", 12 months from today")
	}
	if len(msgs) == 0 {
		msgs = append(msgs, "Enter a valid meeting date")
	}
	return sen.FieldErrors{"meeting": strings.Join(msgs, ". ")}
}

func anchorWord(r Review) string {
	if !r.LastReview.IsZero() && !r.LastReview.Before(r.PlanIssued) {
		return "last reviewed"
	}
	return "issued"
}

// MeetingWarnings are the sentences the review page shows about its meeting
// date on day today (deadline.ReviewFacts.MeetingWarnings), for facts f.
func MeetingWarnings(f deadline.ReviewFacts, today time.Time) []string {
	var out []string
	for _, w := range f.MeetingWarnings(deadline.FromTime(today)) {
		out = append(out, MeetingWarningText(w, f))
	}
	return out
}

// MeetingWarningText is one meeting warning for people.
func MeetingWarningText(w deadline.MeetingWarning, f deadline.ReviewFacts) string {
	due := longDate(f.Due().Time())
	switch w.Kind {
	case deadline.WarnLate:
		return "The meeting is " + sen.Count(w.Days, "day", "days") + " after " + due + ", the last day of the 12 months for this review (Children and Families Act 2014 section 44): the review is late. Every step below is measured from the real meeting date."
	case deadline.WarnAfterTransfer:
		return "The meeting is " + sen.Count(w.Days, "day", "days") + " after " + longDate(f.Transfer.LastDay.Time()) + ", so the plan cannot be reviewed and amended before the phase-transfer deadline of " + longDate(f.Transfer.Deadline.Time()) + " (SEND Regulations 2014 regulation 18)."
	case deadline.WarnDecisionSqueezed:
		left := "on the last day of the 12 months"
		if w.Days > 0 {
			left = sen.Count(w.Days, "day", "days") + " before the end of the 12 months on " + due
		}
		return "The meeting is " + left + ": the local authority's decision is due within 4 weeks of the meeting and within the 12 months, so it has less than its 4 weeks (SEND Regulations 2014 regulation 20(10); Code of Practice 9.176). Hold the meeting earlier if you can."
	case deadline.WarnShortNotice:
		when := "today"
		if w.Days > 0 {
			when = "in " + sen.Count(w.Days, "day", "days")
		}
		return "The meeting is " + when + ": invitations sent now give less than the 2 weeks' notice the regulations require (SEND Regulations 2014 regulation 20(3)). If they were sent earlier, record the dates they were sent."
	case deadline.WarnNotYetHeld:
		return "The meeting date was " + sen.Count(w.Days, "day", "days") + " ago. If the meeting took place, record it as held; if it was on another day, change the date."
	}
	return ""
}

// LateText says how late the review is on day today, or "" when it is not
// (deadline.ReviewFacts.DaysLate): "Held 2 days late", "Overdue by 1 day",
// "Set for 12 days after the last day".
func LateText(f deadline.ReviewFacts, today time.Time) string {
	n := f.DaysLate(deadline.FromTime(today))
	if n == 0 {
		return ""
	}
	switch {
	case f.Meeting != nil && f.MeetingHeld:
		return "Held " + sen.Count(n, "day", "days") + " late"
	case f.Meeting != nil && f.Meeting.After(deadline.FromTime(today)):
		return "Late: the meeting is set for " + sen.Count(n, "day", "days") + " after the last day"
	}
	return "Overdue by " + sen.Count(n, "day", "days")
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
	in.Email, in.Address = strings.TrimSpace(in.Email), strings.TrimSpace(in.Address)
	if in.Email != "" && !ValidEmail(in.Email) {
		fe.Add("inviteeEmail", "Enter an email address in the correct format, like name@example.org, or leave it blank to post the letter")
	}
	fe.Line("inviteeEmail", in.Email)
	if len(in.Address) > MaxAddress {
		fe.Add("inviteeAddress", "The address must be 500 characters or fewer")
	}
	fe.Long("inviteeAddress", in.Address)
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
	if r.MeetingHeld && !rec.MeetingHeld {
		return sen.FieldErrors{"meetingHeld": "The meeting is recorded as held. If it was not held, correct the meeting below and say why"}
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
	// Address and Email are where the letter goes ("" when not known).
	Address, Email string
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
// more: the pupil it is about, the recipient, their address and the
// send-by date. Which
// services are involved with a child is SEN information, and an invitee's
// name usually names the service ("Speech and language therapist"), so
// for a service both the party and the name are withheld (the SENCO
// addresses that letter); the meeting date is left out too.
func (p PendingInvitation) ForPosting() PendingInvitation {
	p.Meeting = time.Time{}
	if ServiceParty(p.Party) {
		p.Party, p.Name, p.Address, p.Email, p.Withheld = "", "", "", "", true
	}
	return p
}

// AddressLines is the recipient's postal address, one line each.
func (p PendingInvitation) AddressLines() []string { return AddressLines(p.Address) }
