package schoolsen

import (
	"strings"
	"time"

	"opensend/internal/sen"
)

// The Equality Act 2010 duties (statutory-facts.md §1.6: CFA s69 asks the
// report to include the accessibility plan, Equality Act 2010 Schedule 10).
// Schedule 10 para 3: the accessibility plan is for a prescribed period
// (three years) and covers increasing disabled pupils' participation in
// the curriculum, improving the physical environment, and improving the
// delivery of information to disabled pupils. Section 20 and Schedule 13:
// the duty to make reasonable adjustments for disabled pupils.

// PlanYears is the length of an accessibility plan.
const PlanYears = 3

// The plan's three strands (Equality Act 2010 Schedule 10 para 3(2)).
const (
	StrandCurriculum  = "curriculum"
	StrandPhysical    = "physical"
	StrandInformation = "information"
)

// Strands is the code list of the plan's strands.
var Strands = sen.Options{
	{Code: StrandCurriculum, Label: "Access to the curriculum"},
	{Code: StrandPhysical, Label: "The physical environment"},
	{Code: StrandInformation, Label: "Information for disabled pupils"},
}

// Progress of an action.
const (
	ProgressNotStarted = "not-started"
	ProgressUnderway   = "underway"
	ProgressDone       = "done"
)

// ProgressStates is the code list of an action's progress.
var ProgressStates = sen.Options{
	{Code: ProgressNotStarted, Label: "Not started"},
	{Code: ProgressUnderway, Label: "In progress"},
	{Code: ProgressDone, Label: "Done"},
}

// AccessPlan is the school's three-year accessibility plan.
type AccessPlan struct {
	Starts  time.Time // the plan runs for PlanYears from here
	Actions []Action
	Version int
}

// Ends is the last day of the plan.
func (p AccessPlan) Ends() time.Time {
	if p.Starts.IsZero() {
		return time.Time{}
	}
	return p.Starts.AddDate(PlanYears, 0, -1)
}

// ByStrand groups the actions under their strands, in Strands' order.
func (p AccessPlan) ByStrand() []StrandActions {
	var out []StrandActions
	for _, s := range Strands {
		sa := StrandActions{Strand: s}
		for _, a := range p.Actions {
			if a.Strand == s.Code {
				sa.Actions = append(sa.Actions, a)
			}
		}
		out = append(out, sa)
	}
	return out
}

// StrandActions are one strand's actions.
type StrandActions struct {
	Strand  sen.Option
	Actions []Action
}

// Action is one action of the accessibility plan.
type Action struct {
	ID       int64
	Strand   string
	What     string
	Owner    string
	Due      time.Time
	Progress string
	Notes    string
	Version  int
}

// Late reports whether the action is past its date and not done.
func (a Action) Late(today time.Time) bool {
	return a.Progress != ProgressDone && !a.Due.IsZero() && a.Due.Before(today)
}

// Validate checks an action.
func (a *Action) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	a.What, a.Owner, a.Notes = strings.TrimSpace(a.What), strings.TrimSpace(a.Owner), strings.TrimSpace(a.Notes)
	if Strands.Label(a.Strand) == a.Strand {
		fe.Add("strand", "Choose what the action improves access to")
	}
	switch {
	case a.What == "":
		fe.Add("what", "Enter the action")
	case len(a.What) > 2000:
		fe.Add("what", "Action must be 2,000 characters or fewer")
	}
	fe.Long("what", a.What)
	switch {
	case a.Owner == "":
		fe.Add("owner", "Enter who is responsible for the action")
	case len(a.Owner) > 200:
		fe.Add("owner", "Who is responsible must be 200 characters or fewer")
	}
	fe.Line("owner", a.Owner)
	if a.Due.IsZero() {
		fe.Add("due", "Enter the date the action is due")
	}
	if ProgressStates.Label(a.Progress) == a.Progress {
		fe.Add("progress", "Choose the progress of the action")
	}
	if len(a.Notes) > 2000 {
		fe.Add("notes", "Progress notes must be 2,000 characters or fewer")
	}
	fe.Long("notes", a.Notes)
	return fe
}

// Adjustment is a reasonable adjustment for a disabled pupil (Equality Act
// 2010 s20 and Schedule 13).
type Adjustment struct {
	ID         int64
	PupilID    int64
	Disability string
	What       string
	From       time.Time
	Reviewed   time.Time // when it was last reviewed, zero if not yet
	NextReview time.Time
	Version    int
}

// Validate checks an adjustment.
func (a *Adjustment) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	a.Disability, a.What = strings.TrimSpace(a.Disability), strings.TrimSpace(a.What)
	switch {
	case a.Disability == "":
		fe.Add("disability", "Enter the disability the adjustment is for")
	case len(a.Disability) > 500:
		fe.Add("disability", "Disability must be 500 characters or fewer")
	}
	fe.Long("disability", a.Disability)
	switch {
	case a.What == "":
		fe.Add("what", "Enter the adjustment")
	case len(a.What) > 2000:
		fe.Add("what", "Adjustment must be 2,000 characters or fewer")
	}
	fe.Long("what", a.What)
	if a.From.IsZero() {
		fe.Add("from", "Enter the date the adjustment started")
	}
	if !a.Reviewed.IsZero() {
		switch {
		case a.Reviewed.After(today):
			fe.Add("reviewed", "Date last reviewed must be today or in the past")
		case !a.From.IsZero() && a.Reviewed.Before(a.From):
			fe.Add("reviewed", "Date last reviewed must be on or after the date it started")
		}
	}
	if !a.NextReview.IsZero() && !a.From.IsZero() && a.NextReview.Before(a.From) {
		fe.Add("nextReview", "Next review must be after the date it started")
	}
	return fe
}

// ErrActionChanged and ErrAdjustmentChanged: someone else saved meanwhile.
func ErrActionChanged() error {
	return &sen.ConflictError{What: "action", Msg: "Someone else changed this action while you were editing. Nothing has been saved: check it below and try again."}
}

// ErrAdjustmentChanged: someone else saved the adjustment meanwhile.
func ErrAdjustmentChanged() error {
	return &sen.ConflictError{What: "adjustment", Msg: "Someone else changed this adjustment while you were editing. Nothing has been saved: check it below and try again."}
}

// Policy is the school's SEN policy: its documents, newest first, and the
// date of its next review.
type Policy struct {
	NextReview time.Time
	Files      []PolicyFile
	Version    int
}

// Current is the policy in force (the newest upload), ok false if none.
func (p Policy) Current() (PolicyFile, bool) {
	if len(p.Files) == 0 {
		return PolicyFile{}, false
	}
	return p.Files[0], true
}

// PolicyFile is one uploaded version of the policy.
type PolicyFile struct {
	ID         int64
	Filename   string
	MIME       string
	Size       int
	Note       string
	UploadedBy string
	UploadedAt time.Time
	Data       []byte // only when downloading
}

// MaxPolicySize is the largest policy document accepted.
const MaxPolicySize = 10 << 20

// ValidatePolicyNote checks the note that goes with an upload.
func ValidatePolicyNote(note string) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if len(note) > 500 {
		fe.Add("note", "What changed must be 500 characters or fewer")
	}
	fe.Long("note", note)
	return fe
}

// Upload refusals.
func ErrNoPolicy() sen.FieldErrors {
	return sen.FieldErrors{"file": "Choose the policy document to upload"}
}

// ErrPolicyTooLarge: over MaxPolicySize.
func ErrPolicyTooLarge() sen.FieldErrors {
	return sen.FieldErrors{"file": "The policy document must be smaller than 10 MB"}
}

// ErrPolicyType: not a document type the app accepts.
func ErrPolicyType() sen.FieldErrors {
	return sen.FieldErrors{"file": "The policy document must be a PDF, a Word document or an OpenDocument text"}
}

// ErrPolicyChanged: someone else changed the review date meanwhile.
func ErrPolicyChanged() error {
	return &sen.ConflictError{What: "policy", Msg: "Someone else changed the policy's review date while you were editing. Nothing has been saved: check it below and try again."}
}

// Field errors the store returns for references it checks.

// ErrAttendees: an attendee is not staff of the school.
func ErrAttendees() sen.FieldErrors {
	return sen.FieldErrors{"attendees": "Choose the attendees from the school's staff"}
}

// ErrStaff: the member of staff is not one of the school's.
func ErrStaff() sen.FieldErrors { return sen.FieldErrors{"user": "Choose the member of staff"} }

// ErrSENCO: the SENCO chosen is not one of the school's staff.
func ErrSENCO() sen.FieldErrors {
	return sen.FieldErrors{"user": "Choose the person who holds the SENCO role"}
}

// ValidatePolicyReview checks the policy's next review date.
func ValidatePolicyReview(next, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	switch {
	case next.IsZero():
		fe.Add("nextReview", "Enter the date of the next review")
	case !next.After(today):
		fe.Add("nextReview", "Date of the next review must be in the future")
	}
	return fe
}

// ValidatePlanStart checks the first day of the accessibility plan.
func ValidatePlanStart(starts time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if starts.IsZero() {
		fe.Add("starts", "Enter the date the plan starts")
	}
	return fe
}
