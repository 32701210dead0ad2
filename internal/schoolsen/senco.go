package schoolsen

import (
	"strings"
	"time"

	"opensend/internal/sen"
)

// The SENCO qualification (statutory-facts.md §1.7).
//
// Source: SEND Regulations 2014 (SI 2014/1530) reg 49(4): a person who
// becomes the SENCO after 1 September 2009, and has not previously been a
// SENCO for more than 12 months in total, must hold the relevant SENCO
// qualification if they are still the SENCO after the third anniversary of
// becoming it. Reg 49(7), inserted from 1 September 2024 by SI 2024/535:
// the relevant qualification is (a) the NASENCO award, if the person
// started the course before 1 September 2024 and completes it before
// 1 September 2027, or (b) the NPQ for SENCOs, if they start it on or after
// 1 September 2024. The NPQ lasts 18 to 22 months including assessment
// (gov.uk). SENCOs appointed before 1 September 2009 need neither.
var (
	RegimeFrom            = day(2009, time.September, 1) // reg 49(4): "after 1 September 2009"
	TransitionDate        = day(2024, time.September, 1) // reg 49(7): NASENCO started before, NPQ started on or after
	NASENCOCompleteBefore = day(2027, time.September, 1) // reg 49(7)(a): NASENCO completed before
)

// PriorLimitMonths: a person previously a SENCO for more than this many
// months in total is outside reg 49(4).
const PriorLimitMonths = 12

// NPQMonths is the shortest length of the NPQ for SENCOs (18 to 22 months).
const NPQMonths = 18

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Qualifications.
const (
	QualNone    = ""
	QualNASENCO = "nasenco"
	QualNPQ     = "npq"
)

// Qualifications is the code list of the SENCO qualifications.
var Qualifications = sen.Options{
	{Code: QualNPQ, Label: "National Professional Qualification (NPQ) for SENCOs"},
	{Code: QualNASENCO, Label: "National Award for SEN Co-ordination (NASENCO)"},
}

// Post is one person's time in the SENCO role and their qualification.
type Post struct {
	ID          int64
	UserID      int64
	Name        string // filled on read
	TookPost    time.Time
	PriorMonths int // months they were a SENCO before, at this or another school
	Qual        string
	QualStarted time.Time
	QualDone    time.Time
	Left        time.Time // when they stopped being the SENCO, zero while in post
	Version     int
}

// Validate checks a post.
func (p *Post) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if p.UserID == 0 {
		fe.Add("user", "Choose the person who holds the SENCO role")
	}
	if p.TookPost.IsZero() {
		fe.Add("tookPost", "Enter the date they became the SENCO")
	} else if p.TookPost.After(today) {
		fe.Add("tookPost", "Date they became the SENCO must be today or in the past")
	}
	if p.PriorMonths < 0 || p.PriorMonths > 600 {
		fe.Add("priorMonths", "Months as a SENCO before must be a whole number from 0 to 600")
	}
	if p.Qual != QualNone && Qualifications.Label(p.Qual) == p.Qual {
		fe.Add("qual", "Choose the qualification")
	}
	if p.Qual == QualNone && (!p.QualStarted.IsZero() || !p.QualDone.IsZero()) {
		fe.Add("qual", "Choose the qualification the dates are for")
	}
	if p.Qual != QualNone && p.QualStarted.IsZero() {
		fe.Add("qualStarted", "Enter the date they started the course")
	}
	if !p.QualStarted.IsZero() && p.QualStarted.After(today.AddDate(1, 0, 0)) {
		fe.Add("qualStarted", "Date they started the course must be within the next year")
	}
	if !p.QualDone.IsZero() {
		switch {
		case p.QualDone.After(today):
			fe.Add("qualDone", "Date they completed the course must be today or in the past")
		case !p.QualStarted.IsZero() && p.QualDone.Before(p.QualStarted):
			fe.Add("qualDone", "Date they completed the course must be after the date they started it")
		}
	}
	if !p.Left.IsZero() && !p.TookPost.IsZero() && p.Left.Before(p.TookPost) {
		fe.Add("left", "Date they stopped being the SENCO must be after the date they became it")
	}
	return fe
}

// Standing is where a SENCO stands against reg 49.
type Standing string

// Standings.
const (
	StandNotRequired Standing = "not-required" // reg 49(4) does not apply
	StandMet         Standing = "met"          // holds the relevant qualification
	StandDue         Standing = "due"          // must hold it by the deadline
	StandOverdue     Standing = "overdue"      // past the deadline without it
)

// Check is the computed deadline and what it means for one post.
type Check struct {
	Standing Standing
	Deadline time.Time // the day by which the qualification must be held (the third anniversary), zero when not required
	// CompleteBy is the last day a NASENCO course in progress counts (31
	// August 2027, the transition date of reg 49(7)(a)), zero otherwise.
	CompleteBy time.Time
	Reason     string // a sentence for the SENCO and the head
	Remind     bool   // show a reminder on the home page
}

// RemindWithinMonths is how long before the deadline the home page reminds the
// SENCO and the head (so an NPQ of 18 months can still be completed when
// it is started on time).
const RemindWithinMonths = 24

// Deadline applies reg 49(4) and (7) to a post on today.
func (p Post) Deadline(today time.Time) Check {
	long := func(t time.Time) string { return t.Format("2 January 2006") }
	if !p.TookPost.After(RegimeFrom) {
		return Check{Standing: StandNotRequired, Reason: "They became the SENCO on or before 1 September 2009, so the qualification is not required (reg 49(4))."}
	}
	if p.PriorMonths > PriorLimitMonths {
		return Check{Standing: StandNotRequired, Reason: "They were a SENCO for more than 12 months before, so reg 49(4) does not require the qualification for this post."}
	}
	deadline := p.TookPost.AddDate(3, 0, 0) // the third anniversary
	c := Check{Deadline: deadline}
	lastNASENCO := NASENCOCompleteBefore.AddDate(0, 0, -1)
	switch p.Qual {
	case QualNASENCO:
		if !p.QualStarted.Before(TransitionDate) {
			c.Reason = "A NASENCO started on or after 1 September 2024 is not the relevant qualification: they need the NPQ for SENCOs (reg 49(7))."
			break
		}
		if !p.QualDone.IsZero() && p.QualDone.Before(NASENCOCompleteBefore) {
			c.Standing, c.Reason = StandMet, "Holds the NASENCO, completed on "+long(p.QualDone)+"."
			return c
		}
		if !p.QualDone.IsZero() {
			c.Reason = "The NASENCO was completed on or after 1 September 2027, so it does not count: they need the NPQ for SENCOs (reg 49(7))."
			break
		}
		// In progress: it counts only if completed before 1 September 2027.
		c.CompleteBy = lastNASENCO
		if lastNASENCO.Before(deadline) {
			c.Deadline = lastNASENCO
		}
		c.Reason = "The NASENCO counts only if it is completed by " + long(lastNASENCO) + " (reg 49(7)(a))."
	case QualNPQ:
		if p.QualStarted.Before(TransitionDate) {
			c.Reason = "The NPQ for SENCOs began on 1 September 2024: check the start date of the course."
			break
		}
		if !p.QualDone.IsZero() {
			c.Standing, c.Reason = StandMet, "Holds the NPQ for SENCOs, completed on "+long(p.QualDone)+"."
			return c
		}
		c.Reason = "Doing the NPQ for SENCOs, started on " + long(p.QualStarted) + "."
		if p.QualStarted.AddDate(0, NPQMonths, 0).After(deadline) {
			c.Reason += " The course takes at least 18 months, which ends after the deadline."
		}
	default:
		c.Reason = "No qualification recorded: they need the NPQ for SENCOs, which takes 18 to 22 months."
		if !today.AddDate(0, NPQMonths, 0).Before(deadline) {
			c.Reason += " Started today, it would end after the deadline."
		}
	}
	if today.After(c.Deadline) {
		c.Standing = StandOverdue
		c.Reason = "The deadline of " + long(c.Deadline) + " has passed without the qualification. " + c.Reason
	} else {
		c.Standing = StandDue
	}
	c.Remind = !today.Before(c.Deadline.AddDate(0, -RemindWithinMonths, 0))
	return c
}

// Label names the standing.
func (s Standing) Label() string {
	switch s {
	case StandNotRequired:
		return "Not required"
	case StandMet:
		return "Qualified"
	case StandDue:
		return "Qualification due"
	case StandOverdue:
		return "Overdue"
	}
	return strings.TrimSpace(string(s))
}

// ErrPostChanged: someone else saved the post meanwhile.
func ErrPostChanged() error {
	return &sen.ConflictError{What: "SENCO record", Msg: "Someone else changed this SENCO record while you were editing. Nothing has been saved: check it below and try again."}
}
