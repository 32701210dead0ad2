// Package records is the domain of records management (issue 17): the
// retention rule for each kind of record, held as data the school can
// change; when a pupil's records reach the end of their retention; legal
// holds that stop disposal; and the disposal certificate that is all that
// remains afterwards. Its SQL is internal/store/records*.go, its web module
// internal/web/records.
package records

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"opensend/internal/sen"
)

// Kinds of record that have a retention rule.
const (
	KindSENFile      = "sen_file"        // the pupil's SEN record: the register entry, needs, status history and everything below
	KindSupportPlans = "support_plans"   // SEN support plan cycles, reviews and passports
	KindEHC          = "ehc_records"     // EHC requests, plans, reviews, advice and documents
	KindConcerns     = "concerns"        // concerns raised, with their attachments
	KindContacts     = "contact_records" // contacts and the contact log, as the school sets them
	KindAudit        = "audit_trail"     // the audit trail of who viewed and changed the pupil's records
)

// Kinds lists the kinds of record in the order the rules page shows them.
var Kinds = sen.Options{
	{Code: KindSENFile, Label: "SEN file (the pupil's SEN record)"},
	{Code: KindSupportPlans, Label: "SEN support plans, reviews and passports"},
	{Code: KindEHC, Label: "EHC requests, plans, reviews and their documents"},
	{Code: KindConcerns, Label: "Concerns and their attachments"},
	{Code: KindContacts, Label: "Contact records"},
	{Code: KindAudit, Label: "Audit trail of the pupil's records"},
}

// What a rule counts its years from.
const (
	BasisBirth    = "date_of_birth" // the pupil's date of birth
	BasisLeaving  = "leaving"       // the day the pupil left the school
	BasisClosed   = "closed"        // the day the last of the records was closed (a concern decided)
	BasisWithFile = "with_sen_file" // kept as long as the SEN file, and disposed of with it
)

// Bases are the starting points a rule can have.
var Bases = sen.Options{
	{Code: BasisBirth, Label: "the pupil's date of birth"},
	{Code: BasisLeaving, Label: "the day the pupil left the school"},
	{Code: BasisClosed, Label: "the day the last record was closed"},
	{Code: BasisWithFile, Label: "kept with the SEN file"},
}

// allowed are the bases each kind may take. The SEN file is counted from
// birth (IRMS) or, if the school decides, from leaving. Support plans and
// EHC records are part of the SEN file in the IRMS toolkit ("SEN files,
// reviews and EHC plans"), so they go with it. Concerns are the school's
// choice. Contact records belong to a module of their own and go with the
// file until it gives them a rule of their own. The audit trail is
// append-only and chained (store/audit_chain.go): its rows are kept, and
// hold no name once the pupil's file is disposed of (docs/operations.md).
var allowed = map[string][]string{
	KindSENFile:      {BasisBirth, BasisLeaving},
	KindSupportPlans: {BasisWithFile},
	KindEHC:          {BasisWithFile},
	KindConcerns:     {BasisWithFile, BasisClosed, BasisLeaving},
	KindContacts:     {BasisWithFile},
	KindAudit:        {BasisWithFile},
}

// AllowedBases are the bases a kind of record may take, as options.
func AllowedBases(kind string) sen.Options {
	var out sen.Options
	for _, b := range allowed[kind] {
		out = append(out, sen.Option{Code: b, Label: Bases.Label(b)})
	}
	return out
}

// Editable reports whether the school can change the kind's rule (it has
// more than one possible basis, or years to choose).
func Editable(kind string) bool {
	return len(allowed[kind]) > 1 || (len(allowed[kind]) == 1 && allowed[kind][0] != BasisWithFile)
}

// Rule is one kind of record's retention rule.
type Rule struct {
	Kind   string
	Basis  string
	Years  int    // years after the basis date (0 for BasisWithFile)
	Source string // where the rule comes from, shown with it
	// Default is true while the school keeps the IRMS default.
	Default   bool
	Version   int64
	UpdatedBy string
	UpdatedAt time.Time
}

// The source of the IRMS default for SEN files, shown with the rule.
// statutory-facts.md §7.1: "SEN files, reviews and EHC plans ... retain
// until date of birth + 31 years" (IRMS Information Management Toolkit for
// Schools, 2019+; earlier editions gave DOB + 25). The exact wording of the
// current row is unconfirmed there, so the school can change the rule.
const (
	SourceIRMS     = "IRMS Information Management Toolkit for Schools (2019 and later): SEN files, reviews and EHC plans are kept until the pupil's date of birth + 31 years (an EHC plan can run to 25, plus 6 years under the Limitation Act 1980). Earlier editions said date of birth + 25 years: check the current toolkit."
	SourceIRMSPart = "IRMS toolkit: reviews and EHC plans are part of the SEN file and are kept, and disposed of, with it."
	SourceSchool   = "Not set by the IRMS toolkit rows in OpenSEND's fact sheet: the school sets it. Until then the records are kept with the SEN file."
	SourceAudit    = "OpenSEND keeps the audit trail for as long as the school's audit log (it is tamper-evident and cannot be shortened); once the SEN file is disposed of, its entries name no pupil, only the pupil reference on the disposal certificate."
)

// Defaults are the rules a school starts with.
func Defaults() []Rule {
	return []Rule{
		{Kind: KindSENFile, Basis: BasisBirth, Years: 31, Source: SourceIRMS, Default: true},
		{Kind: KindSupportPlans, Basis: BasisWithFile, Source: SourceIRMSPart, Default: true},
		{Kind: KindEHC, Basis: BasisWithFile, Source: SourceIRMSPart, Default: true},
		{Kind: KindConcerns, Basis: BasisWithFile, Source: SourceSchool, Default: true},
		{Kind: KindContacts, Basis: BasisWithFile, Source: SourceSchool, Default: true},
		{Kind: KindAudit, Basis: BasisWithFile, Source: SourceAudit, Default: true},
	}
}

// DefaultRule is the default rule of kind (ok false for an unknown kind).
func DefaultRule(kind string) (Rule, bool) {
	for _, r := range Defaults() {
		if r.Kind == kind {
			return r, true
		}
	}
	return Rule{}, false
}

// MaxYears bounds a rule's years.
const MaxYears = 100

// Validate checks a rule the school sets. Field names: basis, years, source.
func (r Rule) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if !Kinds.Has(r.Kind) || !Editable(r.Kind) {
		fe.Add("kind", "Choose a kind of record whose rule the school sets")
		return fe
	}
	ok := false
	for _, b := range allowed[r.Kind] {
		ok = ok || b == r.Basis
	}
	if !ok {
		fe.Add("basis", "Choose what the years are counted from")
	}
	if r.Basis != BasisWithFile && (r.Years < 1 || r.Years > MaxYears) {
		fe.Add("years", "Enter a number of years from 1 to "+strconv.Itoa(MaxYears))
	}
	src := strings.TrimSpace(r.Source)
	switch {
	case src == "":
		fe.Add("source", "Enter where the rule comes from, for example the school's retention schedule")
	case utf8.RuneCountInString(src) > 1000:
		fe.Add("source", "Where the rule comes from must be 1000 characters or fewer")
	}
	return fe
}

// Describe is the rule in words: "Date of birth + 31 years".
func (r Rule) Describe() string {
	years := sen.Count(r.Years, "year", "years")
	switch r.Basis {
	case BasisBirth:
		return "Date of birth + " + years
	case BasisLeaving:
		return "Leaving date + " + years
	case BasisClosed:
		return "Closed + " + years
	case BasisWithFile:
		return "Kept with the SEN file"
	}
	return r.Basis
}

// AddYears is t plus n years. A 29 February with no 29 February in the
// target year becomes 1 March: the later day, so a record is never disposed
// of before its anniversary has fully passed.
func AddYears(t time.Time, n int) time.Time {
	return t.AddDate(n, 0, 0) // Go normalises 29 February to 1 March
}

// Facts are what the rules need to know about one pupil's records of a kind.
type Facts struct {
	DOB     time.Time
	Leaving time.Time // zero: not known to have left (see store.leavingDate)
	// Closed is when the last of the records of the kind was closed; zero
	// when one is still open. Records is how many records of the kind there are.
	Closed  time.Time
	Records int
}

// Due is when a pupil's records of one kind reach the end of retention.
// ok is false when the date cannot be known yet (a pupil not known to have
// left, a record still open). fileDue is the SEN file's date, for the
// kinds that go with it.
func (r Rule) Due(f Facts, fileDue time.Time, fileOK bool) (due time.Time, ok bool) {
	switch r.Basis {
	case BasisBirth:
		if f.DOB.IsZero() {
			return time.Time{}, false
		}
		return AddYears(f.DOB, r.Years), true
	case BasisLeaving:
		if f.Leaving.IsZero() {
			return time.Time{}, false
		}
		return AddYears(f.Leaving, r.Years), true
	case BasisClosed:
		if f.Closed.IsZero() {
			return time.Time{}, false
		}
		return AddYears(f.Closed, r.Years), true
	case BasisWithFile:
		return fileDue, fileOK
	}
	return time.Time{}, false
}

// Status of a pupil's records of one kind against their rule.
type Status string

const (
	StatusKept      Status = "kept"       // not yet due (or the date cannot be known yet)
	StatusDue       Status = "due"        // reached its date: may be disposed of
	StatusHeld      Status = "held"       // reached its date, but a legal hold stops disposal
	StatusHeldEarly Status = "held-early" // under a legal hold, not yet due
)

// Assess says whether records due on due (ok false: not known) may be
// disposed of today. Records are kept until their date: they become due
// on it. A legal hold stops disposal whatever the date.
func Assess(due time.Time, ok bool, today time.Time, held bool) Status {
	reached := ok && !today.Before(due)
	switch {
	case reached && held:
		return StatusHeld
	case reached:
		return StatusDue
	case held:
		return StatusHeldEarly
	}
	return StatusKept
}

// Hold is a legal hold on a pupil's records.
type Hold struct {
	ID         int64
	PupilID    int64
	Reason     string
	PlacedBy   string
	PlacedAt   time.Time
	LiftedBy   string
	LiftedAt   time.Time // zero while the hold stands
	LiftReason string
	Version    int64
}

// Active reports whether the hold still stands.
func (h Hold) Active() bool { return h.LiftedAt.IsZero() }

// ValidateReason checks the reason for placing or lifting a hold (field
// "reason").
func ValidateReason(reason string, lifting bool) sen.FieldErrors {
	fe := sen.FieldErrors{}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "" && lifting:
		fe.Add("reason", "Enter why the legal hold is being lifted")
	case reason == "":
		fe.Add("reason", "Enter the reason for the legal hold, for example the claim or inquiry it is for")
	case utf8.RuneCountInString(reason) > 2000:
		fe.Add("reason", "The reason must be 2000 characters or fewer")
	}
	return fe
}

// Certificate is what remains after records are disposed of.
type Certificate struct {
	ID         int64
	Kind       string
	PupilRef   string // the pupil reference, never the name
	Rule       string // the rule, as it read when it was applied
	Source     string
	DueDate    time.Time
	Records    int // records destroyed
	Documents  int // documents among them
	DisposedBy string
	DisposedAt time.Time
}

// PupilRef is the reference that stands for a pupil on a certificate: the
// number the audit trail's entries carry, so the two can be matched, with
// no name, date of birth or UPN.
func PupilRef(pupilID int64) string { return "OS-" + strconv.FormatInt(pupilID, 10) }

// KindLabel is a kind of record in words.
func KindLabel(kind string) string { return Kinds.Label(kind) }

// ErrNotDue is the message when records are no longer due for disposal (a
// rule was changed, or a hold placed, since the list was read).
func ErrNotDue() sen.FieldErrors {
	return sen.FieldErrors{"confirm": "These records are no longer due for disposal: the rule or a legal hold changed. Check the disposal list again"}
}

// ErrNotConfirmed asks for the confirmation step.
func ErrNotConfirmed() sen.FieldErrors {
	return sen.FieldErrors{"confirm": "Confirm that you want to destroy these records for good"}
}

// ErrHeldAlready is the message for a second hold on a pupil.
func ErrHeldAlready() sen.FieldErrors {
	return sen.FieldErrors{"reason": "This pupil's records are under a legal hold already"}
}
