package exams

import (
	"strings"
	"time"

	"opensend/internal/sen"
)

// Candidate is what the centre records about a candidate once, for all
// their arrangements: Form 8 Part 1 (the picture of need, completed by the
// SENCO before the assessment, fact sheet §6.4), whether a current EHC plan
// confirms the need (§6.5), and when the candidate was told their data goes
// through Access Arrangements Online (AARA 2025/26 §8.6 ✅: informing, not a
// signed consent, is now what is required; the date is kept either way).
type Candidate struct {
	PupilID         int64
	CandidateNumber string
	PictureOfNeed   string
	EHCPConfirms    bool
	ConsentOn       time.Time
	Version         int // 0: not yet recorded
	UpdatedBy       string
	UpdatedAt       time.Time
}

// Validate checks the candidate's details. hasEHCP: the pupil has an
// active EHC plan (only then can it confirm the need).
func (c Candidate) Validate(hasEHCP bool, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	fe.Line("candidate_number", c.CandidateNumber)
	if n := strings.TrimSpace(c.CandidateNumber); n != "" && (len(n) != 4 || strings.Trim(n, "0123456789") != "") {
		fe.Add("candidate_number", "Enter the candidate number as 4 digits, like 0123")
	}
	fe.Long("picture_of_need", c.PictureOfNeed)
	if c.EHCPConfirms && !hasEHCP {
		fe.Add("ehcp_confirms", "The pupil has no active EHC plan recorded, so a plan cannot confirm the need")
	}
	if !c.ConsentOn.IsZero() && c.ConsentOn.After(today) {
		fe.Add("consent_on", "The date the candidate was informed must be today or in the past")
	}
	return fe
}

// Arrangement is one access arrangement for a candidate.
type Arrangement struct {
	ID          int64
	PupilID     int64
	Kind        string // a Kinds code
	Detail      string // e.g. "35% extra time", "reader for English Literature only"
	Status      string // a StatusOptions code
	ApprovalRef string // the AAO approval reference
	Expires     time.Time
	SeriesID    int64  // the series it is for; 0: every series until it expires
	Exams       string // the exams or papers it applies to; "" all of them
	Room        string // where the candidate sits with it, e.g. "Room S2"; "" the exam's room
	Version     int
	UpdatedBy   string
	UpdatedAt   time.Time
}

// Validate checks an arrangement. An approved arrangement that goes
// through Access Arrangements Online (not delegated to the centre, §6.3)
// needs the approval reference and its expiry date.
func (a Arrangement) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	k, ok := KindOf(a.Kind)
	if !ok {
		fe.Add("kind", "Select the access arrangement")
	}
	if !StatusOptions.Has(a.Status) {
		fe.Add("status", "Select the status of the arrangement")
	}
	fe.Line("detail", a.Detail)
	fe.Line("approval_ref", a.ApprovalRef)
	fe.Line("exams", a.Exams)
	fe.Line("room", a.Room)
	if ok && a.Status == StatusApproved && !k.Delegated {
		if strings.TrimSpace(a.ApprovalRef) == "" {
			fe.Add("approval_ref", "Enter the approval reference from Access Arrangements Online")
		}
		if a.Expires.IsZero() {
			fe.Add("expires", "Enter the date the approval expires")
		}
	}
	return fe
}

// Current is the arrangement's status on a day: an approval past its
// expiry date reads as expired even before anyone changes it.
func (a Arrangement) Current(today time.Time) string {
	if a.Status == StatusApproved && !a.Expires.IsZero() && a.Expires.Before(today) {
		return StatusExpired
	}
	return a.Status
}

// NeedsAssessor reports whether the arrangement needs the assessor's
// evidence (Form 8) for this candidate: not when a current EHC plan
// confirms the need (§6.4: Form 8 is for candidates without one).
func (a Arrangement) NeedsAssessor(c Candidate) bool {
	k, _ := KindOf(a.Kind)
	return k.Assessor && !c.EHCPConfirms
}

// Normal way of working: an arrangement must reflect how the candidate
// normally works in class, tests and mocks, and the centre must hold the
// evidence (fact sheet §6.1 ☑; from 2025/26 in Form 8 Part 1 before the
// assessment). Teachers type statements; the SENCO links what the school
// already records.
const (
	NormalStatement = "statement"     // a teacher's statement, typed in
	NormalPlanLog   = "plan-log"      // a do-log entry of a SEN support plan
	NormalStrategy  = "plan-strategy" // a strategy of a SEN support plan
	NormalDelivery  = "ehc-delivery"  // delivered Section F provision of an EHC plan
)

// NormalKinds are the kinds of normal-way-of-working evidence.
var NormalKinds = sen.Options{
	{Code: NormalStatement, Label: "Teacher's statement"},
	{Code: NormalPlanLog, Label: "Support plan log entry"},
	{Code: NormalStrategy, Label: "Support plan strategy"},
	{Code: NormalDelivery, Label: "EHC plan Section F delivery"},
}

// Normal is one piece of normal-way-of-working evidence kept for the
// candidate. A linked record keeps its text as it read when linked (the
// file is evidence for an inspection) and the record it came from.
type Normal struct {
	ID       int64
	PupilID  int64
	Kind     string
	SourceID int64 // the linked record's id; 0 for a statement
	Subject  string
	Text     string
	By       string // who wrote it (the teacher, or the record's author)
	On       time.Time
	AddedBy  string
	AddedAt  time.Time
}

// Validate checks a teacher's statement.
func (n Normal) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if strings.TrimSpace(n.Subject) == "" {
		fe.Add("subject", "Enter the subject or setting, like English or mock exams")
	}
	fe.Line("subject", n.Subject)
	if strings.TrimSpace(n.Text) == "" {
		fe.Add("text", "Enter how the candidate normally works")
	} else if len(n.Text) > 4000 {
		fe.Add("text", "The statement must be 4,000 characters or fewer")
	}
	fe.Long("text", n.Text)
	if n.On.IsZero() {
		fe.Add("on", "Enter the date of the statement")
	} else if n.On.After(today) {
		fe.Add("on", "The date of the statement must be today or in the past")
	}
	return fe
}

// NormalSource is a record the school already holds that the SENCO may
// link as normal-way-of-working evidence.
type NormalSource struct {
	Kind     string
	SourceID int64
	Subject  string
	Text     string
	By       string
	On       time.Time
	Linked   bool
}
