package people

import (
	"strings"
	"time"

	"opensend/internal/sen"
)

// AgencyKinds are the kinds of outside service.
var AgencyKinds = sen.Options{
	{Code: "ep", Label: "Educational psychology"},
	{Code: "salt", Label: "Speech and language therapy"},
	{Code: "ot", Label: "Occupational therapy"},
	{Code: "camhs", Label: "CAMHS (child and adolescent mental health)"},
	{Code: "paediatrics", Label: "Paediatrics"},
	{Code: "social_care", Label: "Social care"},
	{Code: "school_nursing", Label: "School nursing"},
	{Code: "outreach", Label: "Specialist teaching and outreach"},
	{Code: "early_help", Label: "Early help"},
	{Code: "other", Label: "Other"},
}

// DefaultWaitWeeks is the waiting time after which an open referral is
// flagged when the school has not set one for the agency. It is not a
// statutory figure (services publish their own): it is the school's
// setting, changed on the agency's page. 18 weeks is the NHS constitution's
// referral-to-treatment standard for consultant-led care, a common
// yardstick.
const DefaultWaitWeeks = 18

// Agency is one service in the school's directory.
type Agency struct {
	ID, SchoolID  int64
	Name          string
	Kind          string // an AgencyKinds code
	ContactPerson string
	Phone         string
	Email         string
	Address       string
	WaitWeeks     int // flag referrals waiting longer than this
	Version       int
}

// KindLabel names the kind of service.
func (a Agency) KindLabel() string { return AgencyKinds.Label(a.Kind) }

// Validate tidies and checks an agency.
func (a *Agency) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	a.Name = strings.TrimSpace(a.Name)
	a.ContactPerson = strings.TrimSpace(a.ContactPerson)
	a.Phone = strings.TrimSpace(a.Phone)
	a.Email = strings.TrimSpace(a.Email)
	a.Address = strings.TrimSpace(a.Address)
	switch {
	case a.Name == "":
		fe.Add("name", "Enter the name of the service")
	case len(a.Name) > 200:
		fe.Add("name", "The name must be 200 characters or fewer")
	}
	fe.Name("name", a.Name)
	if !AgencyKinds.Has(a.Kind) {
		fe.Add("kind", "Select the kind of service")
	}
	if len(a.ContactPerson) > 200 {
		fe.Add("contactPerson", "The contact person must be 200 characters or fewer")
	}
	fe.Name("contactPerson", a.ContactPerson)
	if a.Phone != "" && !validPhone(a.Phone) {
		fe.Add("phone", "Enter a phone number, like 01632 960 001 or +44 7700 900 982")
	}
	if a.Email != "" {
		if !validEmail(a.Email) {
			fe.Add("email", "Enter an email address in the correct format, like name@example.com")
		}
	}
	if len(a.Address) > 1000 {
		fe.Add("address", "The address must be 1000 characters or fewer")
	}
	fe.Long("address", a.Address)
	if a.WaitWeeks < 1 || a.WaitWeeks > 104 {
		fe.Add("waitWeeks", "Enter the waiting time to flag as a whole number of weeks from 1 to 104")
	}
	return fe
}

// ErrAgencyConflict is the message for an agency changed by someone else.
func ErrAgencyConflict(by string, at time.Time) error {
	return &sen.ConflictError{What: "service", By: by, At: at, Msg: "Your changes have not been saved. Check the details below and make your changes again."}
}

// ErrAgencyNameTaken is the message when the directory already holds a
// service of that name.
func ErrAgencyNameTaken() error {
	return &sen.ConflictError{What: "service", Msg: "The directory already has a service with this name"}
}

// Referral statuses.
const (
	Drafted    = "drafted"
	Sent       = "sent"
	Accepted   = "accepted"
	Waiting    = "waiting"
	Seen       = "seen"
	Discharged = "discharged"
	Declined   = "declined"
)

// Statuses are a referral's statuses in the order a referral moves.
var Statuses = sen.Options{
	{Code: Drafted, Label: "Drafted"},
	{Code: Sent, Label: "Sent"},
	{Code: Accepted, Label: "Accepted"},
	{Code: Waiting, Label: "On the waiting list"},
	{Code: Seen, Label: "Seen"},
	{Code: Discharged, Label: "Discharged"},
	{Code: Declined, Label: "Declined"},
}

// next lists the statuses a referral may move to from each status.
var next = map[string][]string{
	Drafted:  {Sent},
	Sent:     {Accepted, Waiting, Seen, Declined},
	Accepted: {Waiting, Seen, Discharged},
	Waiting:  {Seen, Discharged},
	Seen:     {Waiting, Discharged},
}

// NextStatuses are the statuses a referral in status may move to (none once
// discharged or declined).
func NextStatuses(status string) sen.Options {
	var out sen.Options
	for _, s := range next[status] {
		out = append(out, sen.Option{Code: s, Label: Statuses.Label(s)})
	}
	return out
}

// CanMove reports whether a referral may move from one status to another.
func CanMove(from, to string) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Open reports whether a referral in status is still waiting on the
// service (sent and not yet seen, discharged or declined).
func Open(status string) bool { return status == Sent || status == Accepted || status == Waiting }

// Change is one move of a referral's status.
type Change struct {
	Status string
	Date   time.Time
	By     string
}

// Referral is a pupil's referral to a service.
type Referral struct {
	ID, SchoolID, PupilID int64
	PupilName             string // read
	AgencyID              int64
	AgencyName            string // read
	AgencyWaitWeeks       int    // read: the agency's threshold
	Reason                string
	Consent               bool      // the parents' consent is recorded
	ConsentBy             string    // who gave it
	ConsentDate           time.Time // when
	Status                string
	Referred              time.Time // the date it was sent (zero while drafted)
	SeenOn                time.Time // the first date the pupil was seen (zero until then)
	NextAppointment       time.Time
	Outcome               string
	Changes               []Change // read: every change of status, oldest first
	Version               int
}

// StatusLabel names the referral's status.
func (r Referral) StatusLabel() string { return Statuses.Label(r.Status) }

// Validate tidies and checks a referral's details (not its status moves).
func (r *Referral) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	r.Reason = strings.TrimSpace(r.Reason)
	r.ConsentBy = strings.TrimSpace(r.ConsentBy)
	r.Outcome = strings.TrimSpace(r.Outcome)
	if r.AgencyID == 0 {
		fe.Add("agency", "Select the service the pupil is referred to")
	}
	switch {
	case r.Reason == "":
		fe.Add("reason", "Enter the reason for the referral")
	case len(r.Reason) > 10000:
		fe.Add("reason", "The reason must be 10000 characters or fewer")
	}
	fe.Long("reason", r.Reason)
	if r.Consent {
		if r.ConsentBy == "" {
			fe.Add("consentBy", "Enter who gave consent")
		}
		switch {
		case r.ConsentDate.IsZero():
			fe.Add("consentDate", "Enter the date consent was given")
		case r.ConsentDate.After(today):
			fe.Add("consentDate", "The date consent was given must be today or in the past")
		}
	} else {
		r.ConsentBy, r.ConsentDate = "", time.Time{}
	}
	if len(r.ConsentBy) > 200 {
		fe.Add("consentBy", "Who gave consent must be 200 characters or fewer")
	}
	fe.Name("consentBy", r.ConsentBy)
	if len(r.Outcome) > 10000 {
		fe.Add("outcome", "The outcome must be 10000 characters or fewer")
	}
	fe.Long("outcome", r.Outcome)
	return fe
}

// Move checks and applies a change of status on date: the referral must be
// able to move there, a referral is sent only with the parents' consent
// recorded, and the date is neither in the future nor before the last
// change. It sets the referral's sent and seen dates.
func (r *Referral) Move(to string, date, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	// The last move (drafting is when the record was made, and a referral
	// sent earlier may be recorded afterwards).
	var last time.Time
	for _, c := range r.Changes {
		if c.Status != Drafted {
			last = c.Date
		}
	}
	if !CanMove(r.Status, to) {
		fe.Add("status", "Select what has happened to the referral")
		return fe
	}
	switch {
	case date.IsZero():
		fe.Add("date", "Enter the date it happened")
	case date.After(today):
		fe.Add("date", "The date must be today or in the past")
	case date.Before(last):
		fe.Add("date", "The date must be on or after the last change, "+last.Format("2 January 2006"))
	}
	if to == Sent && !r.Consent {
		fe.Add("status", "Record the parents' consent before sending the referral")
	}
	if len(fe) > 0 {
		return fe
	}
	r.Status = to
	if to == Sent {
		r.Referred = date
	}
	if to == Seen && r.SeenOn.IsZero() {
		r.SeenOn = date
	}
	return fe
}

// WaitingWeeks is how long the pupil has waited, in whole weeks, from the
// date the referral was sent to the date they were first seen, or to today
// while the referral is open. A drafted referral, or one declined or
// discharged without being seen, has no waiting time (ok false).
func WaitingWeeks(r Referral, today time.Time) (weeks int, ok bool) {
	if r.Referred.IsZero() {
		return 0, false
	}
	end := today
	switch {
	case !r.SeenOn.IsZero():
		end = r.SeenOn
	case !Open(r.Status):
		return 0, false
	}
	days := int(end.Sub(r.Referred).Hours() / 24)
	if days < 0 {
		days = 0
	}
	return days / 7, true
}

// Overdue reports whether an open referral has waited longer than its
// agency's threshold (DefaultWaitWeeks when none is set).
func Overdue(r Referral, today time.Time) bool {
	if !Open(r.Status) {
		return false
	}
	w, ok := WaitingWeeks(r, today)
	limit := r.AgencyWaitWeeks
	if limit <= 0 {
		limit = DefaultWaitWeeks
	}
	return ok && w > limit
}

// ErrReferralConflict is the message for a referral changed by someone else.
func ErrReferralConflict(by string, at time.Time) error {
	return &sen.ConflictError{What: "referral", By: by, At: at, Msg: "Your change has not been saved. Check the referral below and make your change again."}
}

// ErrNoSuchAgency is the field error when the service chosen is not in the
// school's directory.
func ErrNoSuchAgency() sen.FieldErrors {
	return sen.FieldErrors{"agency": "Select a service from the school's directory"}
}

// ErrNoSuchContact is the field error when the contact chosen is not one of
// the pupil's.
func ErrNoSuchContact() sen.FieldErrors {
	return sen.FieldErrors{"contact": "Select one of the pupil's contacts, or enter who it was with"}
}

// ErrNotStaff is the field error when the key adult chosen is not an active
// member of the school's staff.
func ErrNotStaff() sen.FieldErrors {
	return sen.FieldErrors{"staff": "Select a member of the school's staff"}
}
