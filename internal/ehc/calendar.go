package ehc

import (
	"fmt"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Calendar entry kinds, for filtering.
const (
	KindRequest  = "request"
	KindReview   = "review"
	KindTransfer = "transfer"
	KindAppeal   = "appeal" // an unopposed appeal (reg 45)
	KindCTF      = "ctf"    // a leaver's common transfer file (internal/transition)
)

// CalendarKinds labels the kinds.
var CalendarKinds = sen.Options{
	{Code: KindRequest, Label: "Needs-assessment requests"},
	{Code: KindReview, Label: "Annual reviews"},
	{Code: KindTransfer, Label: "Phase transfers"},
	{Code: KindAppeal, Label: "Unopposed appeals"},
	{Code: KindCTF, Label: "Common transfer files of leavers"},
}

// Calendar entry records: the kind of record a CalendarEntry's RefID is
// the id of. With the milestone key they make the entry's UID.
const (
	RecordRequest = "ehc-request" // an EHC needs-assessment request
	RecordReview  = "ehc-review"  // an annual review cycle
	RecordPlan    = "ehc-plan"    // an EHC plan with no review in progress
	RecordAppeal  = "ehc-appeal"  // an unopposed appeal notice (on a request or a plan)
	RecordLeaving = "leaving"     // a pupil's leaving (its CTF duty)
)

// CalendarEntry is one open statutory milestone for a pupil.
type CalendarEntry struct {
	Kind      string
	Record    string // RecordRequest, RecordReview or RecordPlan: what RefID is the id of
	RefID     int64  // request, review or plan id
	Href      string
	PupilID   int64
	PupilName string
	Initials  string
	M         deadline.Milestone
	Status    deadline.Status
	DaysLeft  int
	Due       time.Time
	// SchoolClosed: the school closed its part of a completed review cycle,
	// so its own steps are no longer open.
	SchoolClosed bool
}

// Title is a short description without the pupil's name.
func (e CalendarEntry) Title() string {
	switch e.Kind {
	case KindRequest:
		return "EHC request: " + e.M.Label
	case KindTransfer:
		return "Phase transfer: " + e.M.Label
	case KindAppeal:
		return "Unopposed appeal: " + e.M.Label
	case KindCTF:
		return "Leaver: " + e.M.Label
	}
	return "Annual review: " + e.M.Label
}

// UID is the entry's identity for calendars (an iCalendar UID, RFC 5545
// 3.8.4.7): the duty's record, the record's own id and the milestone key,
// at host, e.g. "ehc-request-42-final-plan@send.example.org". It is unique
// (a milestone key occurs once among one record's milestones, and the
// record kind says which table the id is from, so a review and a plan with
// the same id never share one) and stable (nothing in it depends on today,
// on the due date or on the order of the feed). The calendar Kind is not
// used: a plan's review-meeting and a review's are different records.
func (e CalendarEntry) UID(host string) string {
	return fmt.Sprintf("%s-%d-%s@%s", e.Record, e.RefID, e.M.Key, host)
}

// Initials shortens a name to its initials ("Amara Okafor": "A.O."), for
// calendars that leave the device.
func Initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			b.WriteRune(r)
			b.WriteByte('.')
			break
		}
	}
	return b.String()
}

// ServesTransfer reports whether a review meeting held on meeting is the
// review for the phase transfer tr: held in the academic year of the reg 18
// deadline (on or after 1 September before it). The law sets only the
// deadline for the amended plan (SEND Regs 2014 reg 18(1)); counting a review
// in that academic year as the transfer review is OpenSEND's convention, so a
// review held for the transfer is not asked for twice.
func ServesTransfer(meeting time.Time, tr *deadline.Transfer) bool {
	if tr == nil || meeting.IsZero() {
		return false
	}
	start := time.Date(deadline.AcademicYearStart(tr.LastDay), time.September, 1, 0, 0, 0, 0, time.UTC)
	return !meeting.Before(start)
}

// MeetingLimit brings the review meeting forward to the latest acceptable
// date when a phase transfer comes first: the plan must be reviewed and
// amended before the reg 18 deadline (SEND Regs 2014 reg 18(1)).
func MeetingLimit(m deadline.Milestone, f deadline.ReviewFacts) deadline.Milestone {
	if m.Key == deadline.KeyReviewMeeting && f.Transfer != nil {
		m.Due = f.MeetingLimit()
		m.Source += "; reg 18 phase transfer"
	}
	return m
}

// PhaseTransferRow is a pupil with a plan whose plan must be reviewed and
// amended before a phase transfer (SEND Regs 2014 reg 18).
type PhaseTransferRow struct {
	PlanID      int64
	PupilID     int64
	PupilName   string
	YearGroup   string
	Move        *NextMove // the school's record of the next move, if any
	HasTransfer bool      // false: the recorded move is not a transfer between phases
	Transfer    deadline.Transfer
	Deadline    time.Time // the reg 18 date (15 February or 31 March)
	LastDay     time.Time
	DaysLeft    int
	ThisYear    bool
	ReviewID    int64
	Meeting     time.Time
	MeetingHeld bool
	Amended     time.Time
}

// Figures are counts and percentages only (the governors' view).
type Figures struct {
	Plans              int
	Requests           int
	RequestsDecided    int
	DecidedIn6Weeks    int
	ReviewsHeld        int
	ReviewsHeldOnTime  int
	ProvisionLines     int
	ProvisionShort     int
	OverdueStatutory   int
	ReviewsDueIn90Days int
}
