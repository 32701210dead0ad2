// Package people is the domain of the people around a pupil (issue 14):
// the pupil's contacts (parents, carers and others, with any restriction on
// contact), the log of contact with them, the pupil's named key adult, the
// directory of outside agencies the school works with, and referrals to
// them. It holds the types, code lists, validation and pure rules; the SQL
// is internal/store/people*.go and the pages internal/web/people.
//
// A contact is its own record (not a field of the pupil) so that a later
// parent account can be linked to exactly one contact: the person with
// parental responsibility who signs in is that contact, and a restriction on
// the contact then limits the account too.
package people

import (
	"strings"
	"time"

	"opensend/internal/sen"
)

// Relationships a contact has to the pupil.
var Relationships = sen.Options{
	{Code: "mother", Label: "Mother"},
	{Code: "father", Label: "Father"},
	{Code: "step_parent", Label: "Step-parent"},
	{Code: "carer", Label: "Carer"},
	{Code: "foster_carer", Label: "Foster carer"},
	{Code: "grandparent", Label: "Grandparent"},
	{Code: "other_relative", Label: "Other relative"},
	{Code: "social_worker", Label: "Social worker"},
	{Code: "other", Label: "Other"},
}

// ContactWays are the ways a contact prefers to be contacted.
var ContactWays = sen.Options{
	{Code: "phone", Label: "Phone"},
	{Code: "email", Label: "Email"},
	{Code: "letter", Label: "Letter"},
	{Code: "text", Label: "Text message"},
	{Code: "in_person", Label: "In person"},
}

// Contact is one person connected to a pupil.
type Contact struct {
	ID, SchoolID, PupilID int64
	Name                  string
	Relationship          string // a Relationships code
	ParentalResp          bool   // has parental responsibility
	LivesWith             bool   // the pupil lives with them
	Address               string
	Phone                 string
	Email                 string
	PreferredWay          string // a ContactWays code, "" for not known
	Language              string // preferred language, "" for English / not known
	Interpreter           bool
	// Restricted: a restriction on contact or sharing (for example a court
	// order limiting contact), described in Restriction. Wherever someone
	// could contact or share with this person, the restriction is shown.
	Restricted  bool
	Restriction string
	// DetailsHidden: the reader may not see the address, phone and e-mail
	// (teachers and teaching assistants); the store blanks them.
	DetailsHidden bool
	Version       int
}

// RelationshipLabel names the relationship.
func (c Contact) RelationshipLabel() string { return Relationships.Label(c.Relationship) }

// WayLabel names the preferred way of contact, "" if not known.
func (c Contact) WayLabel() string { return ContactWays.Label(c.PreferredWay) }

// Validate tidies and checks a contact. Field names are the domain's.
func (c *Contact) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	c.Name = strings.TrimSpace(c.Name)
	c.Address = strings.TrimSpace(c.Address)
	c.Phone = strings.TrimSpace(c.Phone)
	c.Email = strings.TrimSpace(c.Email)
	c.Language = strings.TrimSpace(c.Language)
	c.Restriction = strings.TrimSpace(c.Restriction)
	switch {
	case c.Name == "":
		fe.Add("name", "Enter the contact's name")
	case len(c.Name) > 200:
		fe.Add("name", "The name must be 200 characters or fewer")
	}
	fe.Name("name", c.Name)
	if !Relationships.Has(c.Relationship) {
		fe.Add("relationship", "Select the contact's relationship to the pupil")
	}
	if len(c.Address) > 1000 {
		fe.Add("address", "The address must be 1000 characters or fewer")
	}
	fe.Long("address", c.Address)
	if c.Phone != "" && !validPhone(c.Phone) {
		fe.Add("phone", "Enter a phone number, like 01632 960 001 or +44 7700 900 982")
	}
	if c.Email != "" {
		if !validEmail(c.Email) {
			fe.Add("email", "Enter an email address in the correct format, like name@example.com")
		}
	}
	if c.PreferredWay != "" && !ContactWays.Has(c.PreferredWay) {
		fe.Add("preferredWay", "Select how they prefer to be contacted")
	}
	if c.PreferredWay == "email" && c.Email == "" {
		fe.Add("email", "Enter an email address, or choose another way they prefer to be contacted")
	}
	if (c.PreferredWay == "phone" || c.PreferredWay == "text") && c.Phone == "" {
		fe.Add("phone", "Enter a phone number, or choose another way they prefer to be contacted")
	}
	if c.PreferredWay == "letter" && c.Address == "" {
		fe.Add("address", "Enter an address, or choose another way they prefer to be contacted")
	}
	if len(c.Language) > 100 {
		fe.Add("language", "The language must be 100 characters or fewer")
	}
	fe.Line("language", c.Language)
	if c.Interpreter && c.Language == "" {
		fe.Add("language", "Enter the language the interpreter is needed for")
	}
	if c.Restricted && c.Restriction == "" {
		fe.Add("restriction", "Describe the restriction, for example what a court order says about contact")
	}
	if !c.Restricted {
		c.Restriction = ""
	}
	if len(c.Restriction) > 4000 {
		fe.Add("restriction", "The restriction must be 4000 characters or fewer")
	}
	fe.Long("restriction", c.Restriction)
	return fe
}

// validPhone accepts digits, spaces, brackets, hyphens and a leading +,
// with 7 to 15 digits (ITU-T E.164 allows at most 15).
func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// ErrContactConflict is the message for a contact changed by someone else.
func ErrContactConflict(by string, at time.Time) error {
	return &sen.ConflictError{What: "contact", By: by, At: at, Msg: "Your changes have not been saved. Check the details below and make your changes again."}
}

// Kinds of contact log entry.
const (
	LogCall    = "call"
	LogEmail   = "email"
	LogLetter  = "letter"
	LogMeeting = "meeting"
)

// LogKinds are the kinds of contact log entry.
var LogKinds = sen.Options{
	{Code: LogCall, Label: "Phone call"},
	{Code: LogEmail, Label: "Email"},
	{Code: LogLetter, Label: "Letter"},
	{Code: LogMeeting, Label: "Meeting"},
}

// LogEntry is one contact with the family (or someone else about the pupil).
type LogEntry struct {
	ID, SchoolID, PupilID int64
	Kind                  string // a LogKinds code
	Date                  time.Time
	ContactID             int64  // the contact spoken to, 0 for someone else
	ContactName           string // the contact's name (read), for display
	Restricted            bool   // the contact has a restriction (read)
	Restriction           string // its text (read)
	With                  string // who, when not one of the pupil's contacts
	StaffID               int64  // the staff member who made the contact
	StaffName             string
	Summary               string
	FollowUp              string // what is to be done next, "" for nothing
	FollowUpDue           time.Time
	FollowUpDone          bool
	PupilName             string // for lists across pupils (read)
	Version               int
}

// Who is the person the entry was with, as people read it.
func (e LogEntry) Who() string {
	if e.ContactName != "" {
		return e.ContactName
	}
	return e.With
}

// KindLabel names the kind of entry.
func (e LogEntry) KindLabel() string { return LogKinds.Label(e.Kind) }

// Validate tidies and checks a log entry against today.
func (e *LogEntry) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	e.With = strings.TrimSpace(e.With)
	e.Summary = strings.TrimSpace(e.Summary)
	e.FollowUp = strings.TrimSpace(e.FollowUp)
	if !LogKinds.Has(e.Kind) {
		fe.Add("kind", "Select a call, email, letter or meeting")
	}
	switch {
	case e.Date.IsZero():
		fe.Add("date", "Enter the date of the contact")
	case e.Date.After(today):
		fe.Add("date", "The date of the contact must be today or in the past")
	}
	if e.ContactID == 0 && e.With == "" {
		fe.Add("contact", "Select the contact, or enter who it was with")
	}
	if len(e.With) > 200 {
		fe.Add("with", "Who it was with must be 200 characters or fewer")
	}
	fe.Name("with", e.With)
	switch {
	case e.Summary == "":
		fe.Add("summary", "Enter a summary of what was said")
	case len(e.Summary) > 10000:
		fe.Add("summary", "The summary must be 10000 characters or fewer")
	}
	fe.Long("summary", e.Summary)
	if len(e.FollowUp) > 2000 {
		fe.Add("followUp", "The follow-up must be 2000 characters or fewer")
	}
	fe.Long("followUp", e.FollowUp)
	switch {
	case e.FollowUp != "" && e.FollowUpDue.IsZero():
		fe.Add("followUpDue", "Enter the date the follow-up is due")
	case e.FollowUp == "" && !e.FollowUpDue.IsZero():
		fe.Add("followUp", "Enter what is to be followed up, or leave the due date blank")
	case !e.FollowUpDue.IsZero() && !e.Date.IsZero() && e.FollowUpDue.Before(e.Date):
		fe.Add("followUpDue", "The follow-up must be due on or after the date of the contact")
	}
	return fe
}

// FollowUpState says where an entry's follow-up stands on a day.
type FollowUpState int

// Follow-up states.
const (
	FollowUpNone    FollowUpState = iota // nothing to follow up, or done
	FollowUpLater                        // due after the look-ahead
	FollowUpDueSoon                      // due today or within FollowUpSoonDays
	FollowUpOverdue                      // due before today and not done
)

// FollowUpSoonDays is how far ahead a follow-up counts as due.
const FollowUpSoonDays = 7

// FollowUpStateOf classifies an entry's follow-up against today.
func FollowUpStateOf(e LogEntry, today time.Time) FollowUpState {
	switch {
	case e.FollowUp == "" || e.FollowUpDone || e.FollowUpDue.IsZero():
		return FollowUpNone
	case e.FollowUpDue.Before(today):
		return FollowUpOverdue
	case !e.FollowUpDue.After(today.AddDate(0, 0, FollowUpSoonDays)):
		return FollowUpDueSoon
	}
	return FollowUpLater
}

// Overdue reports whether the entry's follow-up is overdue today.
func (e LogEntry) Overdue(today time.Time) bool {
	return FollowUpStateOf(e, today) == FollowUpOverdue
}

// ParentMeetings returns the dates of the meetings in the log held with one
// of the pupil's contacts: each counts toward the three meetings a year with
// parents that CoP 6.65 expects (plans.MeetingsInLastYear counts them).
func ParentMeetings(log []LogEntry) []time.Time {
	var out []time.Time
	for _, e := range log {
		if e.Kind == LogMeeting && e.ContactID != 0 {
			out = append(out, e.Date)
		}
	}
	return out
}

// Key adult roles.
var KeyAdultRoles = sen.Options{
	{Code: "class_teacher", Label: "Class teacher"},
	{Code: "tutor", Label: "Tutor"},
	{Code: "key_worker", Label: "Key worker"},
}

// KeyAdult is the pupil's named first port of call.
type KeyAdult struct {
	PupilID  int64
	StaffID  int64
	Name     string // the staff member's name (read)
	Role     string // a KeyAdultRoles code
	Version  int
	Assigned bool // false when no key adult is named yet
}

// RoleLabel names the key adult's role.
func (k KeyAdult) RoleLabel() string { return KeyAdultRoles.Label(k.Role) }

// Validate checks a key adult.
func (k *KeyAdult) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if k.StaffID == 0 {
		fe.Add("staff", "Select the member of staff who is the key adult")
	}
	if !KeyAdultRoles.Has(k.Role) {
		fe.Add("role", "Select whether they are the class teacher, tutor or key worker")
	}
	return fe
}

// validEmail is the shape of an e-mail address: something, @, a domain
// with a dot, no spaces or list separators, at most 254 characters.
func validEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-1 && strings.Contains(s[at+1:], ".") && !strings.ContainsAny(s, " ,;<>\"") && len(s) <= 254
}

// MsgUnknownUPN is the import's message for a row whose UPN is not on the
// school's roll (or is a pupil the importer may not see).
const MsgUnknownUPN = "no pupil with this UPN is on the school's roll: import the pupil first, or correct the UPN"

// ErrImportUnknownUPN is the error when a contacts import names a pupil
// not on the roll by the time it is saved (nothing is saved).
func ErrImportUnknownUPN(row int, upn string) sen.FieldErrors {
	return sen.FieldErrors{"file": "Row " + itoa(row) + ", UPN " + upn + ": " + MsgUnknownUPN}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// ImportRow is one contact of a contacts import: its row in the file, the
// pupil's UPN, the contact, and (preview) whether it is new or replaces a
// contact of the same name.
type ImportRow struct {
	Row       int
	UPN       string
	PupilID   int64
	PupilName string
	Contact   Contact
	Update    bool
}

// ErrKeyAdultChanged is the conflict of a key adult changed by someone else
// while this person was choosing.
func ErrKeyAdultChanged() *sen.ConflictError {
	return &sen.ConflictError{What: "key adult", Msg: "Someone else changed the key adult while you were choosing: check who it is now and choose again."}
}
