package ehc

import (
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Plan is an issued EHC plan and the structured parts the school acts on.
type Plan struct {
	ID           int64
	SchoolID     int64
	PupilID      int64
	RequestID    int64
	PupilName    string
	YearGroup    string
	ClassName    string
	LAName       string
	CaseOfficer  string
	Issued       time.Time
	LastAmended  time.Time
	LastReviewed time.Time
	Placement    string // Section I
	DocumentID   string
	DocumentName string
	Active       bool
	Ended        time.Time // when the plan stopped being maintained (inactive plans)
	EndReason    string
	Version      int64
	// Restricted is set when the actor is a teacher or TA: only Section E and
	// the Section F lines they deliver are filled in.
	Restricted bool
	Needs      []Need       // Section B
	Outcomes   []Outcome    // Section E
	Provision  []Provision  // Section F
	Deliveries []Delivery   // recent delivery records, newest first
	Reviews    []ReviewLite // annual reviews, newest first
	Amendments []Amendment  // changes to Sections B and E since the plan was recorded, oldest first (not for teachers and TAs)
}

// Need is one Section B entry.
type Need struct {
	ID   int64
	Area string // a sen.BroadAreas code
	Text string
}

// Outcome is one Section E outcome.
type Outcome struct {
	ID     int64
	Text   string
	ByWhen string
}

// Provision is one Section F line with its delivery against what is specified.
type Provision struct {
	ID              int64
	PlanID          int64
	Description     string
	SessionsPerWeek int
	Minutes         int
	DeliveredBy     string
	StaffUserID     int64
	StaffName       string
	Starts          time.Time // first day the line applies (zero: from the plan's issue date)
	Active          bool
	Term            DeliveryStats
	Year            DeliveryStats
}

// DeliveryStats compare specified and delivered provision over a period.
type DeliveryStats struct {
	Label             string
	From, To          time.Time
	SchoolDays        int // school days so far in the period since the line started
	Weeks             int
	ExpectedSessions  int
	ExpectedMinutes   int
	DeliveredSessions int
	DeliveredMinutes  int
	Missed            int
}

// ShortfallThreshold: a line is falling short when less than this share of
// the specified minutes has been delivered (expected minutes count school
// days only, so the margin is for a session moved to another week, not
// for holidays).
const ShortfallThreshold = 0.8

// Short reports whether delivery is falling short of what is specified.
func (d DeliveryStats) Short() bool {
	return d.ExpectedMinutes > 0 && float64(d.DeliveredMinutes) < ShortfallThreshold*float64(d.ExpectedMinutes)
}

// SessionsText says how many sessions were delivered against those
// expected so far, as people say it: "39 of 41 sessions delivered", and,
// when more were delivered than the school days so far expect (a session
// brought forward, an extra one), "43 sessions delivered, 41 expected so
// far" rather than "43 of 41".
func (d DeliveryStats) SessionsText() string {
	if d.DeliveredSessions > d.ExpectedSessions {
		return sen.Count(d.DeliveredSessions, "session", "sessions") + " delivered, " + strconv.Itoa(d.ExpectedSessions) + " expected so far"
	}
	return strconv.Itoa(d.DeliveredSessions) + " of " + sen.Count(d.ExpectedSessions, "session", "sessions") + " delivered"
}

// MinutesText is SessionsText for minutes, without the verb: "520 of 600
// minutes", "650 minutes, 600 expected so far".
func (d DeliveryStats) MinutesText() string {
	if d.DeliveredMinutes > d.ExpectedMinutes {
		return sen.Count(d.DeliveredMinutes, "minute", "minutes") + ", " + strconv.Itoa(d.ExpectedMinutes) + " expected so far"
	}
	return strconv.Itoa(d.DeliveredMinutes) + " of " + sen.Count(d.ExpectedMinutes, "minute", "minutes")
}

// Percent is delivered minutes as a whole percentage of expected.
func (d DeliveryStats) Percent() int {
	if d.ExpectedMinutes == 0 {
		return 100
	}
	return d.DeliveredMinutes * 100 / d.ExpectedMinutes
}

// Expected fills what a line specifies over [from, to] so far, given the
// school days from the latest of the period start, the plan's issue date
// and the line's start date up to today (schoolDays counts them), as a
// share of five-day school weeks.
func (pr Provision) Expected(label string, from, to, issued, today time.Time, schoolDays func(first, last time.Time) int) DeliveryStats {
	st := DeliveryStats{Label: label, From: from, To: to}
	start := from
	for _, t := range []time.Time{issued, pr.Starts} {
		if t.After(start) {
			start = t
		}
	}
	end := today
	if to.Before(end) {
		end = to
	}
	st.SchoolDays = schoolDays(start, end)
	st.Weeks = st.SchoolDays / 5
	st.ExpectedSessions = st.SchoolDays * pr.SessionsPerWeek / 5
	st.ExpectedMinutes = st.ExpectedSessions * pr.Minutes
	return st
}

// Delivery is one record of a Section F session delivered or missed.
type Delivery struct {
	ID           int64
	ProvisionID  int64
	Provision    string
	Date         time.Time
	Minutes      int
	DeliveredBy  string
	Missed       bool
	MissedReason string
	RecordedBy   string
	RecordedAt   time.Time
}

// SessionPeer is another pupil's Section F line with the same provision,
// who may have been in the same session (a group session recorded once).
type SessionPeer struct {
	ProvisionID, PlanID, PupilID int64
	PupilName, YearGroup         string
	ClassName                    string
}

// ReviewLite is a review in a plan's list.
type ReviewLite struct {
	ID          int64
	Meeting     time.Time
	MeetingHeld bool
	Completed   bool
	Outcome     string
}

// NeedAreas are the areas a Section B need sits under: the register's four
// broad areas of need (CoP 6.28), the one list sen.BroadAreas, so a Section
// B need and the register name an area the same way.
var NeedAreas = sen.BroadAreas

// NeedAreaLabel names a Section B area.
func NeedAreaLabel(code string) string { return NeedAreas.Label(code) }

// AcademicYear returns the first and last days of the academic year
// containing the stored date t (deadline.AcademicYear, as stored dates).
func AcademicYear(t time.Time) (first, last time.Time) {
	f, l := deadline.AcademicYear(deadline.FromTime(t))
	return f.Time(), l.Time()
}

// ThisAcademicYear labels the delivery statistics of the academic year
// containing today (AcademicYear), as Term's label does a term's.
const ThisAcademicYear = "This academic year"

// Term returns the school term containing t: autumn (1 September to 31
// December), spring (1 January to 31 March) or summer (1 April to 31 July;
// August is the summer holiday and counts as the end of summer term).
func Term(t time.Time) (string, time.Time, time.Time) {
	y := t.Year()
	switch {
	case t.Month() >= time.September:
		return "Autumn term", time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	case t.Month() <= time.March:
		return "Spring term", time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC)
	default:
		return "Summer term", time.Date(y, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 7, 31, 0, 0, 0, 0, time.UTC)
	}
}

// ReviewDue is the last day for the plan's next annual review meeting
// (CFA 2014 s44(1); see deadline.ReviewDue).
func (p Plan) ReviewDue() time.Time {
	return (deadline.ReviewDue(deadline.FromTime(p.Issued), deadline.FromTimePtr(p.LastReviewed))).Time()
}

// Validate checks the plan's record.
func (p *Plan) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	p.LAName = strings.TrimSpace(p.LAName)
	p.CaseOfficer = strings.TrimSpace(p.CaseOfficer)
	p.Placement = strings.TrimSpace(p.Placement)
	if p.LAName == "" {
		fe.Add("laName", "Enter the local authority that maintains the plan")
	} else if len(p.LAName) > 200 {
		fe.Add("laName", "Local authority must be 200 characters or fewer")
	}
	if len(p.CaseOfficer) > 200 {
		fe.Add("caseOfficer", "Case officer must be 200 characters or fewer")
	}
	if p.Issued.IsZero() {
		fe.Add("issued", "Enter the date the plan was issued")
	} else if p.Issued.After(today) {
		fe.Add("issued", "The date the plan was issued must be today or in the past")
	}
	if !p.LastAmended.IsZero() {
		if p.LastAmended.After(today) {
			fe.Add("lastAmended", "The date the plan was last amended must be today or in the past")
		} else if !p.Issued.IsZero() && p.LastAmended.Before(p.Issued) {
			fe.Add("lastAmended", "The date the plan was last amended must be on or after the date it was issued")
		}
	}
	if !p.LastReviewed.IsZero() {
		if p.LastReviewed.After(today) {
			fe.Add("lastReviewed", "The date of the last annual review must be today or in the past")
		} else if !p.Issued.IsZero() && p.LastReviewed.Before(p.Issued) {
			fe.Add("lastReviewed", "The date of the last annual review must be on or after the date the plan was issued")
		}
	}
	if len(p.Placement) > 500 {
		fe.Add("placement", "Placement must be 500 characters or fewer")
	}
	fe.Line("laName", p.LAName)
	fe.Name("caseOfficer", p.CaseOfficer)
	fe.Long("placement", p.Placement)
	return fe
}

// IssuedDecidedBy is who the register history says decided a pupil's
// move to E when their EHC plan, maintained by the local authority named
// laName, was recorded.
func IssuedDecidedBy(laName string) string { return "Local authority: " + laName }

// IssuedReason is the register history's reason for that move.
func IssuedReason() string { return "EHC plan issued" }

// EndedReason is the register history's reason for the status change when
// a plan ends (reason: PlanEnd.Text).
func EndedReason(reason string) string { return "EHC plan ended: " + reason }

// ErrAlreadyHasPlan is returned when a pupil (named) already has an active plan.
func ErrAlreadyHasPlan(pupil string) sen.FieldErrors {
	return sen.FieldErrors{"laName": pupil + " already has an EHC plan recorded. Edit that plan instead."}
}

// ErrNoPrimaryNeed is returned when the pupil (named) cannot become E on the
// register because the census rules are not met (problem says which).
func ErrNoPrimaryNeed(pupil, problem string) sen.FieldErrors {
	return sen.FieldErrors{"laName": "Record " + pupil + "'s primary need on the SEN register first: " + problem}
}

// Changeable reports, as field errors, why the plan's sections cannot
// change (it has ended); nil when they can.
func (p Plan) Changeable() sen.FieldErrors {
	if !p.Active {
		return sen.FieldErrors{"plan": "This plan ended on " + longDate(p.Ended) + " and is kept as a record: it can no longer be changed"}
	}
	return nil
}

// Validate checks a Section B entry.
func (n *Need) Validate() sen.FieldErrors {
	n.Text = strings.TrimSpace(n.Text)
	fe := sen.FieldErrors{}
	if !NeedAreas.Has(n.Area) {
		fe.Add("needArea", "Select the area of need")
	}
	if n.Text == "" {
		fe.Add("needText", "Enter the need as written in Section B")
	} else if len(n.Text) > 4000 {
		fe.Add("needText", "The need must be 4000 characters or fewer")
	}
	fe.Long("needText", n.Text)
	return fe
}

// Validate checks a Section E outcome.
func (o *Outcome) Validate() sen.FieldErrors {
	o.Text, o.ByWhen = strings.TrimSpace(o.Text), strings.TrimSpace(o.ByWhen)
	fe := sen.FieldErrors{}
	if o.Text == "" {
		fe.Add("outcomeText", "Enter the outcome as written in Section E")
	} else if len(o.Text) > 4000 {
		fe.Add("outcomeText", "The outcome must be 4000 characters or fewer")
	}
	if len(o.ByWhen) > 100 {
		fe.Add("outcomeBy", "By when must be 100 characters or fewer")
	}
	fe.Long("outcomeText", o.Text)
	fe.Line("outcomeBy", o.ByWhen)
	return fe
}

// Validate checks a Section F line.
func (pr *Provision) Validate(today time.Time) sen.FieldErrors {
	pr.Description, pr.DeliveredBy = strings.TrimSpace(pr.Description), strings.TrimSpace(pr.DeliveredBy)
	fe := sen.FieldErrors{}
	if pr.Description == "" {
		fe.Add("provDescription", "Enter what the provision is")
	} else if len(pr.Description) > 2000 {
		fe.Add("provDescription", "The provision must be 2000 characters or fewer")
	}
	if pr.SessionsPerWeek < 1 || pr.SessionsPerWeek > 50 {
		fe.Add("provSessions", "Sessions a week must be a whole number from 1 to 50")
	}
	if pr.Minutes < 1 || pr.Minutes > 600 {
		fe.Add("provMinutes", "Minutes a session must be a whole number from 1 to 600")
	}
	if !pr.Starts.IsZero() && pr.Starts.After(today.AddDate(1, 0, 0)) {
		fe.Add("provStarts", "The start date must be within the next year")
	}
	if pr.DeliveredBy == "" {
		fe.Add("provBy", "Enter who delivers it, for example \"Teaching assistant\"")
	} else if len(pr.DeliveredBy) > 200 {
		fe.Add("provBy", "Delivered by must be 200 characters or fewer")
	}
	fe.Long("provDescription", pr.Description)
	fe.Line("provBy", pr.DeliveredBy)
	return fe
}

// ErrStaffNotAtSchool is returned when the chosen member of staff is not at the school.
func ErrStaffNotAtSchool() sen.FieldErrors {
	return sen.FieldErrors{"provStaff": "Select a member of staff at this school"}
}

// CheckStarts checks a line's start date against the plan's issue date.
func (pr Provision) CheckStarts(issued time.Time) sen.FieldErrors {
	if !pr.Starts.IsZero() && pr.Starts.Before(issued) {
		return sen.FieldErrors{"provStarts": "The start date must be on or after the date the plan was issued (" + longDate(issued) + ")"}
	}
	return nil
}

// Validate checks a delivery record on its own (a missed session has no
// minutes; a delivered one no reason for missing).
func (d *Delivery) Validate(today time.Time) sen.FieldErrors {
	d.DeliveredBy, d.MissedReason = strings.TrimSpace(d.DeliveredBy), strings.TrimSpace(d.MissedReason)
	fe := sen.FieldErrors{}
	if d.Date.IsZero() {
		fe.Add("sessionDate", "Enter the date of the session")
	} else if d.Date.After(today) {
		fe.Add("sessionDate", "The date of the session must be today or in the past")
	}
	if d.Missed {
		d.Minutes = 0
		if d.MissedReason == "" {
			fe.Add("missedReason", "Enter why the session was missed")
		} else if len(d.MissedReason) > 500 {
			fe.Add("missedReason", "The reason must be 500 characters or fewer")
		}
	} else {
		d.MissedReason = ""
		if d.Minutes < 1 || d.Minutes > 600 {
			fe.Add("minutes", "Minutes delivered must be a whole number from 1 to 600")
		}
		if d.DeliveredBy == "" {
			fe.Add("deliveredBy", "Enter who delivered the session")
		} else if len(d.DeliveredBy) > 200 {
			fe.Add("deliveredBy", "Delivered by must be 200 characters or fewer")
		}
	}
	fe.Long("missedReason", d.MissedReason)
	fe.Line("deliveredBy", d.DeliveredBy)
	return fe
}

// CheckDates checks a session's date against the plan's issue date and the
// line's start date (zero: none).
func (d Delivery) CheckDates(issued, starts time.Time) sen.FieldErrors {
	if d.Date.Before(issued) {
		return sen.FieldErrors{"sessionDate": "The date of the session must be on or after the date the plan was issued (" + longDate(issued) + ")"}
	}
	if !starts.IsZero() && d.Date.Before(starts) {
		return sen.FieldErrors{"sessionDate": "This provision starts on " + longDate(starts) + ": record sessions from that date"}
	}
	return nil
}

// PlanEndReasons say why a plan stopped being maintained for this school:
// the DfE SEN2 return's CeaseReason codes (item 4.6, 2025 guide; see the
// statutory fact sheet section 5), with "left" for a pupil who left the
// school while the plan continues elsewhere.
var PlanEndReasons = sen.Options{
	{Code: "2", Label: "Needs being met without an EHC plan (the local authority ceased to maintain it)"},
	{Code: "5", Label: "Transferred to another local authority in England"},
	{Code: "7", Label: "Moved outside England"},
	{Code: "left", Label: "The pupil left this school (the plan continues elsewhere)"},
	{Code: "1", Label: "Reached maximum age"},
	{Code: "3", Label: "Moved on to higher education"},
	{Code: "4", Label: "Moved into paid employment (not an apprenticeship)"},
	{Code: "6", Label: "The young person no longer wishes to engage in education or training"},
	{Code: "8", Label: "Deceased"},
	{Code: "9", Label: "Other"},
}

// PlanEnd is what the SENCO records when a plan ends.
type PlanEnd struct {
	Ended     time.Time
	Reason    string // a PlanEndReasons code
	Details   string
	NewStatus string // the register status from the end date: K or N
	Version   int64
}

// Validate checks the end on its own.
func (e *PlanEnd) Validate(today time.Time) sen.FieldErrors {
	e.Details = strings.TrimSpace(e.Details)
	fe := sen.FieldErrors{}
	switch {
	case e.Ended.IsZero():
		fe.Add("ended", "Enter the date the plan stopped being maintained")
	case e.Ended.After(today):
		fe.Add("ended", "The date the plan ended must be today or in the past: record it once the plan has stopped")
	}
	if !PlanEndReasons.Has(e.Reason) {
		fe.Add("reason", "Select why the plan ended")
	}
	if e.Reason == "9" && e.Details == "" {
		fe.Add("details", "Enter why the plan ended")
	} else if len(e.Details) > 1000 {
		fe.Add("details", "The details must be 1000 characters or fewer")
	}
	if e.NewStatus != sen.StatusSupport && e.NewStatus != sen.StatusNone {
		fe.Add("newStatus", "Select the pupil's SEN register status after the plan")
	}
	fe.Long("details", e.Details)
	return fe
}

// Text is the reason recorded with the plan and the register: the reason's
// label and any details.
func (e PlanEnd) Text() string {
	reason := PlanEndReasons.Label(e.Reason)
	if e.Details != "" {
		reason += ": " + e.Details
	}
	return reason
}

// CheckEnd checks a valid end against the plan as it is now: still active,
// unchanged since it was read, and ending on or after its issue date.
func (p Plan) CheckEnd(e PlanEnd) error {
	if !p.Active {
		return sen.FieldErrors{"ended": "This plan has already ended"}
	}
	if p.Version != e.Version {
		return &sen.ConflictError{What: "plan", Msg: "Someone else changed this plan while you were recording its end. Nothing has been saved: check the plan and try again."}
	}
	if e.Ended.Before(p.Issued) {
		return sen.FieldErrors{"ended": "The date the plan ended must be on or after the date it was issued (" + longDate(p.Issued) + ")"}
	}
	return nil
}

// MaxDocumentSize caps an uploaded plan document (the web layer's request
// cap is 6 MB).
const MaxDocumentSize = 5 << 20

// ErrNoDocument: no file was chosen.
func ErrNoDocument() sen.FieldErrors {
	return sen.FieldErrors{"document": "Select the plan document to upload"}
}

// ErrDocumentTooLarge: the file is over MaxDocumentSize.
func ErrDocumentTooLarge() sen.FieldErrors {
	return sen.FieldErrors{"document": "The file must be smaller than 5 MB"}
}

// ErrDocumentType: the file is not an accepted type (see internal/upload).
func ErrDocumentType() sen.FieldErrors {
	return sen.FieldErrors{"document": "The file must be a PDF, an image (PNG or JPEG) or a Word or Excel document"}
}

// PlanDocument is a stored plan document.
type PlanDocument struct {
	ID       string
	Filename string
	MIME     string
	Data     []byte
}

// Sections B and E are edited in place; every change to a plan being
// maintained (issued) is kept as an amendment with who, when and the old
// text, shown on the plan. An EHC plan itself is amended only by the local
// authority (CFA 2014 s44; SEND Regulations 2014 reg 22): these records say
// when the school's copy was brought in line with the plan as issued or
// amended, not that the school changed the plan.

// Amendment is one recorded change to Section B or E.
type Amendment struct {
	Section  string // SectionB or SectionE
	Old, New string // "" when added (Old) or removed (New)
	By       string
	At       time.Time
}

// The sections whose changes are recorded.
const (
	SectionB = "B"
	SectionE = "E"
)

// SectionLabel names a section for the amendment record.
func SectionLabel(sec string) string {
	switch sec {
	case SectionB:
		return "Section B: special educational needs"
	case SectionE:
		return "Section E: outcomes"
	}
	return sec
}

// Describe is a Section B need as one text, for the amendment record.
func (n Need) Describe() string { return NeedAreaLabel(n.Area) + ": " + n.Text }

// Describe is a Section E outcome as one text, for the amendment record.
func (o Outcome) Describe() string {
	if o.ByWhen == "" {
		return o.Text
	}
	return o.Text + " (by " + o.ByWhen + ")"
}

// CheckSectionEdit checks an edit of Section B or E against the plan as it
// is now: still maintained, and unchanged since the editor read it.
func (p Plan) CheckSectionEdit(version int64) error {
	if fe := p.Changeable(); fe != nil {
		return fe
	}
	if p.Version != version {
		return ErrPlanChanged()
	}
	return nil
}

// ErrPlanChanged: someone changed the plan since it was read.
func ErrPlanChanged() error {
	return &sen.ConflictError{What: "plan", Msg: "Someone else changed this plan while you were editing it. Your change has not been saved: check the plan as it is now and make your change again if it is still needed."}
}

// ErrSectionUnchanged: the edit changes nothing.
func ErrSectionUnchanged(field string) sen.FieldErrors {
	return sen.FieldErrors{field: "Nothing has changed: change the text or go back to the plan"}
}
