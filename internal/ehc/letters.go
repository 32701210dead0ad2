package ehc

import (
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Letter is one invitee's letter for an annual review: the invitation to
// the review meeting and, when the invitee was asked for advice, the
// request for advice with the date it is needed by.
type Letter struct {
	InviteeID       int64
	ReviewID        int64
	PupilID         int64
	PupilName       string
	Party           string
	Name            string
	Meeting         time.Time
	AdviceRequested time.Time
	// MeetingTime ("14:30") and MeetingPlace are the review's, "" when
	// not yet set.
	MeetingTime, MeetingPlace string
	// Email and Address are the invitee's ("" when not known).
	Email, Address string
	Sends          []LetterSend // oldest first
}

// When is the meeting as the invitation says it: "Tuesday 12 January
// 2027 at 2:30pm in the SENCO's office", the time and place left out
// while they are not set.
func (l Letter) When() string {
	s := l.Meeting.Weekday().String() + " " + longDate(l.Meeting)
	if t := MeetingTimeText(l.MeetingTime); t != "" {
		s += " at " + t
	}
	if l.MeetingPlace != "" {
		s += " in " + l.MeetingPlace
	}
	return s
}

// ToFollow is what the invitation cannot yet say about the meeting: "time
// and the room", "time", "room" or "" when both are set.
func (l Letter) ToFollow() string {
	switch {
	case l.MeetingTime == "" && l.MeetingPlace == "":
		return "time and the room"
	case l.MeetingTime == "":
		return "time"
	case l.MeetingPlace == "":
		return "room"
	}
	return ""
}

// AddressLines is the invitee's postal address, one line each.
func (l Letter) AddressLines() []string { return AddressLines(l.Address) }

// LastSend is the letter's latest send (ok false: never sent).
func (l Letter) LastSend() (LetterSend, bool) {
	if len(l.Sends) == 0 {
		return LetterSend{}, false
	}
	return l.Sends[len(l.Sends)-1], true
}

// Mail is the short, plain e-mail that carries the letter as its
// attachment. It names neither the pupil nor anything about their needs
// (the subject line is seen by anyone who sees the inbox): the letter
// says that.
func (l Letter) Mail(h LetterHead) (subject, text string) {
	subject = "Annual review meeting: letter from " + h.School
	text = "Dear " + l.Name + ",\n\nPlease find attached a letter from " + h.School + " about an annual review meeting on " +
		l.Meeting.Weekday().String() + " " + longDate(l.Meeting) + ". Please read the attached letter (PDF).\n\n" + replyLine(h) + "\n\n" + h.School + "\n"
	return subject, text
}

// ReportsMail is the e-mail that circulates n reports to an invitee
// before the meeting (reg 20(4)).
func ReportsMail(name string, meeting time.Time, n int, h LetterHead) (subject, text string) {
	subject = "Advice and reports for an annual review meeting: " + h.School
	text = "Dear " + name + ",\n\nAhead of the annual review meeting on " + meeting.Weekday().String() + " " + longDate(meeting) +
		", please find attached " + sen.Count(n, "piece of advice or report", "pieces of advice and reports") +
		" for you to read before the meeting. Please keep them confidential.\n\n" + replyLine(h) + "\n\n" + h.School + "\n"
	return subject, text
}

func replyLine(h LetterHead) string {
	switch {
	case h.Email != "" && h.Phone != "":
		return "To reply, e-mail " + h.Email + " or telephone " + h.Phone + "."
	case h.Email != "":
		return "To reply, e-mail " + h.Email + "."
	case h.Phone != "":
		return "To reply, telephone " + h.Phone + "."
	}
	return "To reply, contact the school office."
}

// AdviceBy is the last day the advice is needed by: the day the advice
// and information must be circulated, 2 weeks before the meeting (SEND
// Regulations 2014 reg 20(4)), the review's "advice circulated" milestone.
func (l Letter) AdviceBy() time.Time {
	return deadline.MeetingDeadlinesFrom(deadline.FromTime(l.Meeting)).Advice.Time()
}

// AsksAdvice reports whether the letter carries a request for advice: the
// invitee was recorded as asked for advice.
func (l Letter) AsksAdvice() bool { return !l.AdviceRequested.IsZero() }

// Postable keeps the letters office staff may print and post: those to
// the parent or young person and the local authority. Which services are
// involved with a child is SEN information (see ForPosting), so letters to
// a service are left to the SENCO.
func Postable(ls []Letter) []Letter {
	var out []Letter
	for _, l := range ls {
		if !ServiceParty(l.Party) {
			out = append(out, l)
		}
	}
	return out
}
