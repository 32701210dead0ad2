// Package transition is the domain of pupils moving on (issue 15): leavers
// (off roll, read-only, kept), the duty to send the common transfer file
// (CTF) within 15 school days, and the CTF itself (ctf.go: the writer and
// the safe reader). It imports only the standard library, sen and deadline.
package transition

import (
	"regexp"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Reasons a pupil leaves: the school's record, in display order. This is
// OpenSEND's list, not a DfE code list (the census "reason for leaving"
// codes are not in the fact sheet), so it is data the project can change.
var Reasons = sen.Options{
	{Code: "transfer", Label: "Moved to another school in England"},
	{Code: "special", Label: "Moved to a special school or alternative provision"},
	{Code: "phase", Label: "Moved on to the next phase of education (for example secondary school or college)"},
	{Code: "post16", Label: "Left at the end of compulsory schooling"},
	{Code: "ehe", Label: "Elective home education"},
	{Code: "abroad", Label: "Moved outside England"},
	{Code: "other", Label: "Another reason"},
}

// CTFSchoolDays is the time limit for sending the CTF: within 15 school
// days of the pupil ceasing to be registered. Source: The Education (Pupil
// Information) (England) Regulations 2005 (as amended), as the DfE's CTF
// page states it (statutory-facts.md §3.1 ✅).
const CTFSchoolDays = 15

// KeyCTF is the CTF duty's milestone key (calendar UID and page).
const KeyCTF = "ctf-sent"

// CTFSource is the duty's legal source, shown with it.
const CTFSource = "Education (Pupil Information) (England) Regulations 2005: send the CTF within 15 school days of the pupil leaving"

// Leaving is one leaving of a pupil: the date they came off roll, why, and
// where to (the destination's URN and LA + establishment number when
// known), with the CTF duty. A leaving undone as a mistake is kept (Undone).
type Leaving struct {
	ID          int64
	PupilID     int64
	PupilName   string
	UPN         string
	YearGroup   string
	LeftOn      time.Time
	Reason      string
	DestName    string
	DestURN     string
	DestLAESTAB string // seven digits: LA number (3) + DfE establishment number (4)
	CTFDue      time.Time
	CTFSentOn   time.Time // zero: not yet recorded as sent
	CTFSentBy   string
	RecordedBy  string
	RecordedAt  time.Time
	UndoneAt    time.Time
	UndoneBy    string
	UndoReason  string
	Version     int64
}

// CTFSent reports whether the CTF was recorded as sent.
func (l Leaving) CTFSent() bool { return !l.CTFSentOn.IsZero() }

// Active reports whether the leaving stands (was not undone).
func (l Leaving) Active() bool { return l.UndoneAt.IsZero() }

var (
	urnRe     = regexp.MustCompile(`^[0-9]{6}$`)
	laestabRe = regexp.MustCompile(`^[0-9]{7}$`)
)

// Validate checks a leaving against today (Europe/London calendar date)
// and the pupil's admission date (zero if unknown), and normalises it.
func (l *Leaving) Validate(today, admitted time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	l.DestName = strings.TrimSpace(l.DestName)
	l.DestURN = strings.Join(strings.Fields(l.DestURN), "")
	l.DestLAESTAB = strings.NewReplacer("/", "", "-", "", " ", "").Replace(l.DestLAESTAB)
	switch {
	case l.LeftOn.IsZero():
		fe.Add("leftOn", "Enter the date the pupil left")
	case l.LeftOn.After(today.AddDate(0, 0, 7)):
		fe.Add("leftOn", "The leaving date must be no more than a week from today: record the leaving nearer the time")
	case l.LeftOn.Before(today.AddDate(-2, 0, 0)):
		fe.Add("leftOn", "The leaving date must be within the last two years")
	case !admitted.IsZero() && l.LeftOn.Before(admitted):
		fe.Add("leftOn", "The leaving date must be on or after the pupil's admission date ("+admitted.Format("2 January 2006")+")")
	}
	if !Reasons.Has(l.Reason) {
		fe.Add("reason", "Select why the pupil left")
	}
	if len(l.DestName) > 200 {
		fe.Add("destName", "The school's name must be 200 characters or fewer")
	}
	fe.Name("destName", l.DestName)
	if l.DestURN != "" && !urnRe.MatchString(l.DestURN) {
		fe.Add("destURN", "A URN is 6 digits, like 100000")
	}
	if l.DestLAESTAB != "" {
		if !laestabRe.MatchString(l.DestLAESTAB) {
			fe.Add("destLAESTAB", "An LA and establishment number is 7 digits, like 2011000 or 201/1000")
		} else if !sen.ValidLANumber(l.DestLAESTAB[:3]) {
			fe.Add("destLAESTAB", "The first 3 digits must be an English local authority number: "+l.DestLAESTAB[:3]+" is not one")
		}
	}
	return fe
}

// CheckUndo checks the reason given for undoing a leaving.
func CheckUndo(reason string) sen.FieldErrors {
	fe := sen.FieldErrors{}
	switch r := strings.TrimSpace(reason); {
	case r == "":
		fe.Add("undoReason", "Enter why the leaving is being undone, for example \"recorded for the wrong pupil\"")
	case len(r) > 500:
		fe.Add("undoReason", "The reason must be 500 characters or fewer")
	}
	fe.Long("undoReason", reason)
	return fe
}

// CheckSent checks the date a CTF was sent.
func CheckSent(sent, leftOn, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	switch {
	case sent.IsZero():
		fe.Add("sentOn", "Enter the date the CTF was sent")
	case sent.After(today):
		fe.Add("sentOn", "The date the CTF was sent must be today or in the past")
	case sent.Before(leftOn.AddDate(0, -1, 0)):
		fe.Add("sentOn", "The date the CTF was sent must be no more than a month before the leaving date ("+leftOn.Format("2 January 2006")+")")
	}
	return fe
}

// CTFDue is the last day to send the CTF: the 15th school day after the
// leaving date (the day the pupil ceased to be registered is not counted).
// schoolDay says whether a date is a school day (Monday to Friday, not in
// the school's holidays: store.SchoolDays over the school's term dates).
// Source: CTFSchoolDays.
func CTFDue(leftOn time.Time, schoolDay func(time.Time) bool) time.Time {
	d := leftOn
	for n := 0; n < CTFSchoolDays; {
		d = d.AddDate(0, 0, 1)
		if schoolDay(d) {
			n++
		}
		if d.Sub(leftOn) > 400*24*time.Hour { // a calendar with no school days: stop a year on
			break
		}
	}
	return d
}

// CTFMilestone is the CTF duty of a leaving as a statutory milestone: the
// school's, due on CTFDue, done when recorded as sent.
func CTFMilestone(l Leaving) deadline.Milestone {
	m := deadline.Milestone{Key: KeyCTF, Label: "Send the common transfer file (CTF)", Due: deadline.FromTime(l.CTFDue),
		Owner: deadline.OwnerSchool, Source: CTFSource}
	if l.CTFSent() {
		d := deadline.FromTime(l.CTFSentOn)
		m.Done = &d
	}
	return m
}

// ErrLeft is the refusal of a change to a leaver's records: they are kept
// read-only while the pupil is off roll.
func ErrLeft() error {
	return &sen.ConflictError{What: "pupil", Msg: "This pupil has left the school: their records are kept and can be read, but not changed. If the leaving was recorded by mistake, undo it from the Leavers page first."}
}

// ErrNotLeft is the refusal to undo or record a CTF for a pupil on roll.
func ErrNotLeft() error {
	return &sen.ConflictError{What: "pupil", Msg: "This pupil is on roll: there is no leaving to change."}
}

// ErrAlreadyLeft is the refusal to record a second leaving.
func ErrAlreadyLeft() error {
	return &sen.ConflictError{What: "pupil", Msg: "This pupil's leaving is already recorded. Nothing has been saved."}
}

// ErrLeavingChanged: the leaving was changed by someone else since it was read.
func ErrLeavingChanged() error {
	return &sen.ConflictError{What: "leaving", Msg: "Someone else changed this leaving while you were looking at it. Nothing has been saved: check it and try again."}
}

// ErrNoSchoolNumbers: a CTF names its source school by LA and establishment
// number, which this school has not recorded.
func ErrNoSchoolNumbers() sen.FieldErrors {
	return sen.FieldErrors{"pupils": "The school's LA and establishment numbers are not recorded, and a CTF must name them: add them under \"School numbers for CTFs\""}
}

// ErrNoPupils: an export must name at least one pupil.
func ErrNoPupils() sen.FieldErrors {
	return sen.FieldErrors{"pupils": "Select at least one pupil to put in the CTF"}
}

// ErrImportBlocked: a CTF with a problem is not imported at all.
func ErrImportBlocked() sen.FieldErrors {
	return sen.FieldErrors{"file": "The CTF has problems, listed below, so nothing has been imported. Ask the previous school for a corrected file"}
}

// CheckDest checks the destination typed for an export ("" = unknown).
func CheckDest(laestab string) (string, sen.FieldErrors) {
	fe := sen.FieldErrors{}
	v := strings.NewReplacer("/", "", "-", "", " ", "").Replace(laestab)
	if v != "" && v != UnknownDestination && (!laestabRe.MatchString(v) || !sen.ValidLANumber(v[:3])) {
		fe.Add("dest", "Enter the next school's LA and establishment number as 7 digits, like 2014001 or 201/4001, or leave it blank if it is not known")
	}
	return v, fe
}

// DecidedByCTF is who the SEN history says decided an entry imported from
// a CTF: the previous school.
func DecidedByCTF(school string) string {
	if strings.TrimSpace(school) == "" {
		return "Previous school (from its CTF)"
	}
	return "Previous school: " + strings.TrimSpace(school) + " (from its CTF)"
}

// CheckSchoolNumbers checks the school's own LA + establishment number and
// URN, which name it as a CTF's source, and normalises them.
func CheckSchoolNumbers(laestab, urn string) (string, string, sen.FieldErrors) {
	fe := sen.FieldErrors{}
	l := strings.NewReplacer("/", "", "-", "", " ", "").Replace(laestab)
	u := strings.Join(strings.Fields(urn), "")
	switch {
	case l == "":
		fe.Add("laestab", "Enter the school's LA and establishment number")
	case !laestabRe.MatchString(l):
		fe.Add("laestab", "The LA and establishment number is 7 digits, like 8862001 or 886/2001")
	case !sen.ValidLANumber(l[:3]):
		fe.Add("laestab", "The first 3 digits must be an English local authority number: "+l[:3]+" is not one")
	}
	if u != "" && !urnRe.MatchString(u) {
		fe.Add("urn", "A URN is 6 digits, like 142001")
	}
	return l, u, fe
}
