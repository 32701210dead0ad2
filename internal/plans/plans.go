// Package plans is the graduated approach's domain: concerns and the
// decisions that close them, the assess–plan–do–review cycle of a SEN
// support plan, outcomes and their review ratings, and the rules the SENCO
// dashboard applies (reviews due and overdue, three parent meetings a year).
// It is pure: standard library and sen only, no I/O and no clock reads
// (callers pass today's date).
//
// Sources (see /work/shared/domain/statutory-facts.md §1.4–1.5):
//   - SEND Code of Practice 2015, 6.44–6.56: the four-part cycle assess, plan,
//     do, review; outcomes, support and a review date agreed with parents (6.48).
//   - Children and Families Act 2014 s68 and CoP 6.2: schools must inform
//     parents when they make special educational provision for a child.
//   - CoP 6.65: schools should meet parents of pupils on SEN support at least
//     three times each year.
//   - CoP 6.28–6.35: the four broad areas of need.
package plans

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Status is where a support-plan cycle is in its life.
type Status string

// A cycle is drafted, made active when the plan is agreed with the parents,
// and reviewed (which locks it as a record and opens the next cycle).
const (
	Draft    Status = "draft"
	Active   Status = "active"
	Reviewed Status = "reviewed"
)

// Label is the status for people.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Draft"
	case Active:
		return "Active"
	case Reviewed:
		return "Reviewed (locked)"
	}
	return string(s)
}

// ParentLabel is the status in the parents' copy of a plan, in parents'
// words: no "locked" or other wording about how the school keeps records.
func (s Status) ParentLabel() string {
	switch s {
	case Draft:
		return "draft, still to be agreed with you"
	case Active:
		return "the current plan"
	case Reviewed:
		return "reviewed"
	}
	return string(s)
}

// CanTransition reports whether a cycle may move from one status to
// another: draft → active → reviewed, never backwards, never skipping.
func CanTransition(from, to Status) bool {
	return (from == Draft && to == Active) || (from == Active && to == Reviewed)
}

// Editable reports whether a cycle's content may still be changed directly.
// A reviewed cycle is a record: later corrections are amendments with a reason.
func Editable(s Status) bool { return s == Draft || s == Active }

// Decision is how the SENCO closes a concern.
type Decision string

// The decisions on a concern.
const (
	NoFurtherAction Decision = "nfa"
	Monitor         Decision = "monitor"
	GatherEvidence  Decision = "gather"
	PlaceOnSupport  Decision = "support"
)

// Decisions in display order.
var Decisions = []Decision{NoFurtherAction, Monitor, GatherEvidence, PlaceOnSupport}

// Label is the decision for people.
func (d Decision) Label() string {
	switch d {
	case NoFurtherAction:
		return "No further action"
	case Monitor:
		return "Monitor"
	case GatherEvidence:
		return "Gather more evidence"
	case PlaceOnSupport:
		return "Place on SEN support"
	}
	return string(d)
}

// Valid reports whether d is a known decision.
func (d Decision) Valid() bool {
	for _, x := range Decisions {
		if x == d {
			return true
		}
	}
	return false
}

// InformMethods are the ways parents can be told of a decision.
var InformMethods = []string{"Meeting", "Telephone call", "Letter", "Email", "Parents' evening"}

// Concern is a member of staff's (or a parent's, recorded by the SENCO)
// worry about a pupil, waiting in the SENCO's triage queue until decided.
type Concern struct {
	ID            int64
	PupilID       int64
	PupilName     string
	PupilYear     string
	PupilClass    string
	RaisedBy      string
	RaisedByID    int64
	RaisedAt      time.Time
	OnBehalfOf    string // "" for staff; the parent's name/relationship when the SENCO records it for a parent
	Noticed       string
	Areas         []string // broad areas of need (sen.Area*)
	Evidence      string
	Tried         string
	Open          bool
	Decision      Decision
	Reason        string
	MonitorReview time.Time
	InformedOn    time.Time
	InformedHow   string
	DecidedBy     string
	DecidedAt     time.Time
	CycleID       int64 // the plan cycle opened by a "place on SEN support" decision
	FollowUpID    int64 // on read: a later concern about the pupil (e.g. the monitoring review), if any
	Version       int64
	Attachments   []Attachment // on read: metadata only (no Data)
}

// Waited is how many whole days the concern has waited by today.
func (c Concern) Waited(today time.Time) int {
	y, m, d := c.RaisedAt.Date()
	raised := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(today.Sub(raised).Hours() / 24)
}

// Validate checks a concern being raised.
func (c *Concern) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	c.Noticed = strings.TrimSpace(c.Noticed)
	c.Evidence = strings.TrimSpace(c.Evidence)
	c.Tried = strings.TrimSpace(c.Tried)
	c.OnBehalfOf = strings.TrimSpace(c.OnBehalfOf)
	if c.Noticed == "" {
		fe.Add("noticed", "Enter what you have noticed")
	} else if len(c.Noticed) > 5000 {
		fe.Add("noticed", "What you noticed must be 5000 characters or fewer")
	}
	if len(c.Areas) == 0 {
		fe.Add("areas", "Select at least one broad area of need the concern suggests")
	}
	for _, a := range c.Areas {
		if sen.AreaLabel(a) == a {
			fe.Add("areas", "Select broad areas of need from the list")
		}
	}
	if len(c.Evidence) > 5000 {
		fe.Add("evidence", "Evidence must be 5000 characters or fewer")
	}
	if len(c.Tried) > 5000 {
		fe.Add("tried", "What you have tried must be 5000 characters or fewer")
	}
	if len(c.Attachments) > MaxAttachments {
		fe.Add("attachments", "Attach no more than 3 files")
	}
	for i := range c.Attachments {
		at := &c.Attachments[i]
		ct, ok := at.ContentType, at.ContentType != ""
		switch {
		case len(at.Data) > MaxAttachmentSize:
			fe.Add("attachments", SafeFilename(at.Name)+" is larger than 2 MB")
		case !ok:
			fe.Add("attachments", SafeFilename(at.Name)+" must be a PDF, a photo (PNG or JPEG) or a Word, Excel or OpenDocument text file")
		}
		at.ContentType, at.Name, at.Size = ct, SafeFilename(at.Name), len(at.Data)
	}
	if len(c.OnBehalfOf) > 200 {
		fe.Add("onBehalfOf", "The parent's name must be 200 characters or fewer")
	}
	fe.Long("noticed", c.Noticed)
	fe.Long("evidence", c.Evidence)
	fe.Long("tried", c.Tried)
	fe.Name("onBehalfOf", c.OnBehalfOf)
	return fe
}

// DecisionInput is the SENCO's decision on a concern.
type DecisionInput struct {
	Decision      Decision
	Reason        string
	MonitorReview time.Time // Monitor only
	InformedOn    time.Time
	InformedHow   string
	// PlanStart and PlanReview open the first cycle (PlaceOnSupport only).
	PlanStart  time.Time
	PlanReview time.Time
	Version    int64
}

// Validate checks a decision against today (Europe/London date). Placing a
// pupil on SEN support is making special educational provision, so parents
// must have been told (CFA 2014 s68; CoP 6.2): the date and how are required.
func (d *DecisionInput) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	d.Reason = strings.TrimSpace(d.Reason)
	d.InformedHow = strings.TrimSpace(d.InformedHow)
	if !d.Decision.Valid() {
		fe.Add("decision", "Select a decision")
	}
	if d.Reason == "" {
		fe.Add("reason", "Enter the reason for the decision")
	} else if len(d.Reason) > 5000 {
		fe.Add("reason", "Reason must be 5000 characters or fewer")
	}
	if d.Decision == Monitor {
		switch {
		case d.MonitorReview.IsZero():
			fe.Add("monitorReview", "Enter the date to review the monitoring")
		case !d.MonitorReview.After(today):
			fe.Add("monitorReview", "The monitoring review date must be in the future")
		}
	}
	if d.Decision == PlaceOnSupport {
		if d.InformedOn.IsZero() {
			fe.Add("informedOn", "Enter the date parents were told: schools must inform parents when they make special educational provision")
		} else if d.InformedOn.After(today) {
			fe.Add("informedOn", "The date parents were told must be today or in the past")
		}
		if d.InformedHow == "" {
			fe.Add("informedHow", "Select how parents were told")
		}
		for k, v := range ValidateCycleDates(d.PlanStart, d.PlanReview, time.Time{}, today, true) {
			fe.Add("plan"+strings.ToUpper(k[:1])+k[1:], v)
		}
	} else if !d.InformedOn.IsZero() && d.InformedOn.After(today) {
		fe.Add("informedOn", "The date parents were told must be today or in the past")
	}
	if len(d.InformedHow) > 100 {
		fe.Add("informedHow", "How parents were told must be 100 characters or fewer")
	}
	fe.Long("reason", d.Reason)
	fe.Line("informedHow", d.InformedHow)
	return fe
}

// ValidateCycleDates checks a cycle's start and review dates. A new cycle's
// start may not be more than a term (90 days) in the past; the review date
// must be after the start and not in the past. oldReview is the saved review
// date: an unchanged date is accepted even if it has since passed (an
// overdue review is reported on the dashboard, not refused on save).
func ValidateCycleDates(start, review, oldReview, today time.Time, isNew bool) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if start.IsZero() {
		fe.Add("start", "Enter the date the plan starts")
	} else if isNew && start.Before(today.AddDate(0, 0, -90)) {
		fe.Add("start", "The plan start date must be within the last 90 days")
	}
	if review.IsZero() {
		fe.Add("review", "Enter the review date agreed with the parents")
		return fe
	}
	if !start.IsZero() && !review.After(start) {
		fe.Add("review", "The review date must be after the plan start date")
	} else if review.Before(today) && !review.Equal(oldReview) {
		fe.Add("review", "The review date must be today or in the future")
	}
	return fe
}

// Cycle is one assess–plan–do–review cycle of a pupil's SEN support plan.
type Cycle struct {
	ID        int64
	PupilID   int64
	Number    int
	Status    Status
	StartDate time.Time
	Review    time.Time
	// Plan sections.
	NeedsSummary   string
	PupilImportant string
	PupilHelps     string
	PupilNotHelp   string
	PupilStrengths string
	ParentViews    string
	StaffNotes     string // professional notes: staff only by default
	Share          Sharing
	Outcomes       []Outcome
	Strategies     []Strategy
	Support        []Support
	Version        int64
	UpdatedBy      string
	UpdatedAt      time.Time
	LockedAt       time.Time
}

// Locked reports whether the cycle is a locked record.
func (c Cycle) Locked() bool { return c.Status == Reviewed }

// Sharing says which sections of a plan may be shown to parents (ready for
// the parent portal). Outcomes, strategies and the passport are shareable
// by default; professional notes are not.
type Sharing struct {
	Needs, Voice, Parents, Outcomes, Strategies, Support, Notes bool
}

// DefaultSharing is a new plan's sharing.
func DefaultSharing() Sharing {
	return Sharing{Needs: true, Voice: true, Parents: true, Outcomes: true, Strategies: true, Support: true, Notes: false}
}

// Sections lists the plan's sections with their form names, for the form.
var Sections = sen.Options{
	{Code: "needs", Label: "Summary of needs"}, {Code: "voice", Label: "The pupil's views"}, {Code: "parents", Label: "The parents' views"},
	{Code: "outcomes", Label: "Outcomes"}, {Code: "strategies", Label: "Strategies for staff"}, {Code: "support", Label: "Support provided"},
	{Code: "notes", Label: "Professional notes"},
}

// Get returns the flag for a section key.
func (s Sharing) Get(key string) bool {
	switch key {
	case "needs":
		return s.Needs
	case "voice":
		return s.Voice
	case "parents":
		return s.Parents
	case "outcomes":
		return s.Outcomes
	case "strategies":
		return s.Strategies
	case "support":
		return s.Support
	case "notes":
		return s.Notes
	}
	return false
}

// Set sets the flag for a section key.
func (s *Sharing) Set(key string, v bool) {
	switch key {
	case "needs":
		s.Needs = v
	case "voice":
		s.Voice = v
	case "parents":
		s.Parents = v
	case "outcomes":
		s.Outcomes = v
	case "strategies":
		s.Strategies = v
	case "support":
		s.Support = v
	case "notes":
		s.Notes = v
	}
}

// ValidateText checks the cycle's free-text sections.
func (c *Cycle) ValidateText() sen.FieldErrors {
	fe := sen.FieldErrors{}
	for _, f := range []struct {
		name, label string
		v           *string
	}{{"needsSummary", "Summary of needs", &c.NeedsSummary}, {"pupilImportant", "What is important to me", &c.PupilImportant},
		{"pupilHelps", "What helps me", &c.PupilHelps}, {"pupilNotHelp", "What does not help me", &c.PupilNotHelp},
		{"pupilStrengths", "My strengths", &c.PupilStrengths}, {"parentViews", "Parents' views", &c.ParentViews},
		{"staffNotes", "Professional notes", &c.StaffNotes}} {
		*f.v = strings.TrimSpace(*f.v)
		if len(*f.v) > 10000 {
			fe.Add(f.name, f.label+" must be 10000 characters or fewer")
		}
	}
	for name, v := range map[string]string{"needsSummary": c.NeedsSummary, "pupilImportant": c.PupilImportant, "pupilHelps": c.PupilHelps, "pupilNotHelp": c.PupilNotHelp, "pupilStrengths": c.PupilStrengths, "parentViews": c.ParentViews, "staffNotes": c.StaffNotes} {
		fe.Long(name, v)
	}
	return fe
}

// Rating is an outcome's rating at review.
type Rating string

// The three review ratings.
const (
	Achieved      Rating = "achieved"
	PartlyAchieve Rating = "partly"
	NotAchieved   Rating = "not"
)

// Ratings in display order.
var Ratings = []Rating{Achieved, PartlyAchieve, NotAchieved}

// Label is the rating for people.
func (r Rating) Label() string {
	switch r {
	case Achieved:
		return "Achieved"
	case PartlyAchieve:
		return "Partly achieved"
	case NotAchieved:
		return "Not achieved"
	}
	return ""
}

// Valid reports whether r is a rating.
func (r Rating) Valid() bool { return r == Achieved || r == PartlyAchieve || r == NotAchieved }

// Outcome is what the pupil should achieve by the target date.
type Outcome struct {
	ID              int64
	CycleID         int64
	Text            string
	SuccessCriteria string
	Baseline        string
	TargetDate      time.Time
	CarriedFrom     int64
	Rating          Rating
	RatingEvidence  string
}

// Validate checks an outcome against its cycle's start and review dates.
func (o *Outcome) Validate(start, review, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	o.Text = strings.TrimSpace(o.Text)
	o.SuccessCriteria = strings.TrimSpace(o.SuccessCriteria)
	o.Baseline = strings.TrimSpace(o.Baseline)
	if o.Text == "" {
		fe.Add("outcome", "Enter the outcome")
	} else if len(o.Text) > 2000 {
		fe.Add("outcome", "The outcome must be 2000 characters or fewer")
	}
	if o.SuccessCriteria == "" {
		fe.Add("successCriteria", "Enter how you will know the outcome is achieved")
	} else if len(o.SuccessCriteria) > 2000 {
		fe.Add("successCriteria", "Success criteria must be 2000 characters or fewer")
	}
	if o.Baseline == "" {
		fe.Add("baseline", "Enter the baseline: where the pupil is now")
	} else if len(o.Baseline) > 2000 {
		fe.Add("baseline", "The baseline must be 2000 characters or fewer")
	}
	switch {
	case o.TargetDate.IsZero():
		fe.Add("targetDate", "Enter the target date")
	case o.TargetDate.Before(today):
		fe.Add("targetDate", "The target date must be today or in the future")
	case !start.IsZero() && !o.TargetDate.After(start):
		fe.Add("targetDate", "The target date must be after the plan start date ("+start.Format("2 January 2006")+")")
	}
	_ = review // a target may run beyond the review date: the review rates progress towards it
	fe.Long("outcome", o.Text)
	fe.Long("successCriteria", o.SuccessCriteria)
	fe.Long("baseline", o.Baseline)
	return fe
}

// Strategy is a strategy for staff in a plan: from the school's bank or free text.
type Strategy struct {
	ID     int64
	BankID int64
	Text   string
}

// BankStrategy is one entry of the school's strategies bank.
type BankStrategy struct {
	ID          int64
	Title       string
	Description string
	Area        string // broad area code
	Need        string // census need type, "" for any in the area
	Shared      bool   // from the shared bank (not the school's own): editing makes the school's own copy
	Retired     bool   // retired by the school: not offered for new plans
	Version     int64
}

// Support is a piece of additional support: what, who, how often, for how
// long, starting when.
type Support struct {
	ID        int64
	What      string
	Who       string
	Frequency string
	Duration  string
	StartDate time.Time
}

// Validate checks a support entry against the cycle's start date.
func (s *Support) Validate(start, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	for _, f := range []struct {
		name, msg string
		v         *string
	}{{"what", "Enter what the support is", &s.What}, {"who", "Enter who provides it", &s.Who},
		{"frequency", "Enter how often, for example 3 times a week", &s.Frequency}, {"duration", "Enter for how long, for example 20 minutes for 6 weeks", &s.Duration}} {
		*f.v = strings.TrimSpace(*f.v)
		if *f.v == "" {
			fe.Add(f.name, f.msg)
		} else if len(*f.v) > 1000 {
			fe.Add(f.name, "This must be 1000 characters or fewer")
		}
	}
	switch {
	case s.StartDate.IsZero():
		fe.Add("supportStart", "Enter the date the support starts")
	case !start.IsZero() && s.StartDate.Before(start):
		fe.Add("supportStart", "The support cannot start before the plan starts ("+start.Format("2 January 2006")+")")
	case s.StartDate.Before(today.AddDate(0, 0, -90)):
		fe.Add("supportStart", "The support start date must be within the last 90 days")
	}
	fe.Long("what", s.What)
	fe.Line("who", s.Who)
	fe.Line("frequency", s.Frequency)
	fe.Line("duration", s.Duration)
	return fe
}

// LogEntry is a short dated record of what an adult did against an outcome
// and how the pupil responded (the "do" stage).
type LogEntry struct {
	ID        int64
	CycleID   int64
	OutcomeID int64
	Outcome   string
	Date      time.Time
	Did       string
	Response  string
	By        string
	At        time.Time
}

// Validate checks a do-log entry.
func (l *LogEntry) Validate(start, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	l.Did = strings.TrimSpace(l.Did)
	l.Response = strings.TrimSpace(l.Response)
	if l.OutcomeID == 0 {
		fe.Add("logOutcome", "Select the outcome you worked on")
	}
	switch {
	case l.Date.IsZero():
		fe.Add("logDate", "Enter the date")
	case l.Date.After(today):
		fe.Add("logDate", "The date must be today or in the past")
	case !start.IsZero() && l.Date.Before(start):
		fe.Add("logDate", "The date must be on or after the plan start date ("+start.Format("2 January 2006")+")")
	}
	if l.Did == "" {
		fe.Add("logDid", "Enter what you did")
	} else if len(l.Did) > 2000 {
		fe.Add("logDid", "What you did must be 2000 characters or fewer")
	}
	if l.Response == "" {
		fe.Add("logResponse", "Enter how the pupil responded")
	} else if len(l.Response) > 2000 {
		fe.Add("logResponse", "How the pupil responded must be 2000 characters or fewer")
	}
	fe.Long("logDid", l.Did)
	fe.Long("logResponse", l.Response)
	return fe
}

// Review is the record of a cycle's review meeting (CoP 6.52–6.56).
type Review struct {
	CycleID        int64
	MeetingDate    time.Time
	PupilAttended  bool
	Parents        string
	Staff          string
	Professionals  string
	PupilComments  string
	ParentComments string
	NextSteps      string
	Ratings        map[int64]Rating
	Evidence       map[int64]string
	CarryForward   map[int64]bool
	NextReview     time.Time
	CompletedBy    string
	CompletedAt    time.Time
}

// Validate checks a review against its cycle and today.
func (r *Review) Validate(c Cycle, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	for _, s := range []*string{&r.Parents, &r.Staff, &r.Professionals, &r.PupilComments, &r.ParentComments, &r.NextSteps} {
		*s = strings.TrimSpace(*s)
	}
	switch {
	case r.MeetingDate.IsZero():
		fe.Add("meetingDate", "Enter the date of the review meeting")
	case r.MeetingDate.After(today):
		fe.Add("meetingDate", "The review meeting date must be today or in the past")
	case !r.MeetingDate.After(c.StartDate):
		fe.Add("meetingDate", "The review meeting must be after the plan started ("+c.StartDate.Format("2 January 2006")+")")
	}
	if r.Parents == "" && r.Staff == "" && !r.PupilAttended {
		fe.Add("parents", "Enter who attended the review")
	}
	for _, o := range c.Outcomes {
		if !r.Ratings[o.ID].Valid() {
			fe.Add("rating-"+strconv.FormatInt(o.ID, 10), "Select how far this outcome was achieved: "+short(o.Text))
		}
	}
	if r.NextSteps == "" {
		fe.Add("nextSteps", "Enter the next steps agreed")
	}
	switch {
	case r.NextReview.IsZero():
		fe.Add("nextReview", "Enter the next review date agreed with the parents")
	case !r.MeetingDate.IsZero() && !r.NextReview.After(r.MeetingDate):
		fe.Add("nextReview", "The next review date must be after the review meeting")
	case r.NextReview.Before(today):
		fe.Add("nextReview", "The next review date must be in the future")
	}
	fe.Long("parents", r.Parents)
	fe.Long("staff", r.Staff)
	fe.Long("professionals", r.Professionals)
	fe.Long("pupilComments", r.PupilComments)
	fe.Long("parentComments", r.ParentComments)
	fe.Long("nextSteps", r.NextSteps)
	return fe
}

func short(s string) string {
	if len([]rune(s)) > 60 {
		return string([]rune(s)[:57]) + "…"
	}
	return s
}

// Passport is a pupil's one-page profile.
type Passport struct {
	PupilID   int64
	AboutMe   string
	Strengths string
	Needs     string
	Helps     string
	NotHelps  string
	FromCycle int64
	Version   int64
	UpdatedBy string
	UpdatedAt time.Time
}

// FromCycle drafts a passport from a plan cycle: the pupil's own words for
// strengths, what helps and what does not, the needs summary, and the
// strategies as further things that help.
func FromCycle(c Cycle) Passport {
	helps := c.PupilHelps
	var strat []string
	for _, s := range c.Strategies {
		strat = append(strat, "- "+s.Text)
	}
	if len(strat) > 0 {
		if helps != "" {
			helps += "\n"
		}
		helps += strings.Join(strat, "\n")
	}
	return Passport{PupilID: c.PupilID, AboutMe: c.PupilImportant, Strengths: c.PupilStrengths, Needs: c.NeedsSummary,
		Helps: helps, NotHelps: c.PupilNotHelp, FromCycle: c.ID}
}

// Validate checks a passport's length: it must fit one A4 page.
func (p *Passport) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	total := 0
	for _, f := range []struct {
		name, label string
		v           *string
	}{{"aboutMe", "About me", &p.AboutMe}, {"strengths", "My strengths", &p.Strengths}, {"needs", "My needs", &p.Needs},
		{"helps", "What helps me", &p.Helps}, {"notHelps", "What does not help me", &p.NotHelps}} {
		*f.v = strings.TrimSpace(*f.v)
		total += len(*f.v)
		if len(*f.v) > 1200 {
			fe.Add(f.name, f.label+" must be 1200 characters or fewer so the passport fits on one page")
		}
	}
	if total == 0 {
		fe.Add("aboutMe", "Enter something about the pupil")
	} else if total > 3500 && len(fe) == 0 {
		fe.Add("aboutMe", "The passport must fit on one A4 page: shorten it to 3500 characters in total")
	}
	for name, v := range map[string]string{"aboutMe": p.AboutMe, "strengths": p.Strengths, "needs": p.Needs, "helps": p.Helps, "notHelps": p.NotHelps} {
		fe.Long(name, v)
	}
	return fe
}

// Evidence kinds for the assess stage's timeline.
const (
	KindObservation   = "observation"
	KindAssessment    = "assessment"
	KindScreening     = "screening"
	KindPupilView     = "pupil_view"
	KindParentView    = "parent_view"
	KindStaffView     = "staff_view"
	KindNote          = "note"
	KindParentMeeting = "parent_meeting"
)

// Kinds in display order with labels.
var Kinds = sen.Options{
	{Code: KindObservation, Label: "Observation"}, {Code: KindAssessment, Label: "Standardised assessment"}, {Code: KindScreening, Label: "Screening result"},
	{Code: KindPupilView, Label: "Pupil's views"}, {Code: KindParentView, Label: "Parents' views"}, {Code: KindStaffView, Label: "Staff views"},
	{Code: KindNote, Label: "Note"}, {Code: KindParentMeeting, Label: "Meeting with parents"},
}

// KindLabel names an evidence kind.
func KindLabel(k string) string { return Kinds.Label(k) }

// Evidence is one dated entry of a pupil's assessment timeline. A
// confidential entry is readable only by the people named (and its author);
// others see that it exists, its date and author, but not its content.
type Evidence struct {
	ID            int64
	PupilID       int64
	Kind          string
	Date          time.Time
	Title         string // setting, test name or meeting purpose
	Who           string // observer, assessor or people present
	Body          string
	StandardScore int // 0 = none
	Percentile    int // 0 = none
	AgeEquivalent string
	Confidential  bool
	Readers       []int64
	Restricted    bool // set on read: the reader may not see the content
	AuthorID      int64
	Author        string
	At            time.Time
}

// Validate checks an evidence entry.
func (e *Evidence) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	e.Title = strings.TrimSpace(e.Title)
	e.Who = strings.TrimSpace(e.Who)
	e.Body = strings.TrimSpace(e.Body)
	e.AgeEquivalent = strings.TrimSpace(e.AgeEquivalent)
	if KindLabel(e.Kind) == e.Kind {
		fe.Add("kind", "Select the kind of evidence")
	}
	switch {
	case e.Date.IsZero():
		fe.Add("date", "Enter the date")
	case e.Date.After(today):
		fe.Add("date", "The date must be today or in the past")
	}
	if e.Kind == KindAssessment || e.Kind == KindScreening {
		if e.Title == "" {
			fe.Add("title", "Enter the name of the test or screener")
		}
	}
	if e.Kind == KindObservation && e.Title == "" {
		fe.Add("title", "Enter the setting, for example maths lesson or playground")
	}
	if e.Kind == KindAssessment && e.StandardScore == 0 && e.Percentile == 0 && e.AgeEquivalent == "" {
		fe.Add("standardScore", "Enter a standard score, a percentile or an age equivalent")
	}
	if e.StandardScore != 0 && (e.StandardScore < 40 || e.StandardScore > 160) {
		fe.Add("standardScore", "A standard score must be between 40 and 160")
	}
	if e.Percentile != 0 && (e.Percentile < 1 || e.Percentile > 99) {
		fe.Add("percentile", "A percentile must be between 1 and 99")
	}
	if e.Body == "" {
		fe.Add("body", "Enter what was seen, found or said")
	}
	if len(e.Title) > 200 || len(e.Who) > 200 || len(e.AgeEquivalent) > 50 {
		fe.Add("title", "Keep the name, who and age equivalent short (200 characters or fewer)")
	}
	if len(e.Body) > 10000 {
		fe.Add("body", "This must be 10000 characters or fewer")
	}
	fe.Line("title", e.Title)
	fe.Name("title", e.Who)
	fe.Line("title", e.AgeEquivalent)
	fe.Long("body", e.Body)
	return fe
}

// ReviewState classifies a cycle's review date against today.
type ReviewState int

// Review states for the dashboard.
const (
	ReviewLater   ReviewState = iota // more than 14 days away
	ReviewDueSoon                    // today or within the next 14 days
	ReviewOverdue                    // before today and not yet held
)

// DueSoonDays is the dashboard's look-ahead for reviews.
const DueSoonDays = 14

// StateOf classifies an open (draft or active) cycle's review date.
func StateOf(review, today time.Time) ReviewState {
	switch {
	case review.Before(today):
		return ReviewOverdue
	case !review.After(today.AddDate(0, 0, DueSoonDays)):
		return ReviewDueSoon
	}
	return ReviewLater
}

// MeetingsTarget is the number of meetings with parents a year that CoP
// 6.65 expects for a pupil on SEN support.
const MeetingsTarget = 3

// MeetingsInLastYear counts the meeting dates in the 12 months up to and
// including today (after today minus 12 months).
func MeetingsInLastYear(meetings []time.Time, today time.Time) int {
	from := today.AddDate(-1, 0, 0)
	n := 0
	seen := map[time.Time]bool{}
	for _, m := range meetings {
		if m.After(from) && !m.After(today) && !seen[m] {
			seen[m] = true
			n++
		}
	}
	return n
}

// ShortOfMeetings reports whether a pupil on SEN support has had fewer than
// three parent meetings (a review meeting or a recorded parent meeting) in
// the last 12 months. CoP 6.65.
func ShortOfMeetings(meetings []time.Time, today time.Time) bool {
	return MeetingsInLastYear(meetings, today) < MeetingsTarget
}

// AcademicYearStart is 1 September of the academic year containing today.
// It reads the calendar date of today (a stored date, midnight UTC) and
// applies deadline.AcademicYear.
func AcademicYearStart(today time.Time) time.Time {
	first, _ := deadline.AcademicYear(deadline.FromTime(today))
	return first.Time()
}

// OnTime reports whether a review meeting was held on or before the agreed date.
func OnTime(agreed, held time.Time) bool { return !held.After(agreed) }

// SortConcernsOldestFirst orders a triage queue: oldest first.
func SortConcernsOldestFirst(cs []Concern) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].RaisedAt.Equal(cs[j].RaisedAt) {
			return cs[i].ID < cs[j].ID
		}
		return cs[i].RaisedAt.Before(cs[j].RaisedAt)
	})
}
