package ehc

import (
	"time"

	"opensend/internal/deadline"
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
