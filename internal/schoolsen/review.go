package schoolsen

import "time"

// Due is where a document's next review stands on a day.
type Due string

// Review states.
const (
	DueNone    Due = ""        // no date set
	DueLater   Due = "later"   // not yet near
	DueSoon    Due = "soon"    // within the reminder window
	DueToday   Due = "today"   // the review date is today
	DueOverdue Due = "overdue" // the date has passed
)

// RemindDays is how many days before a review date the SENCO is reminded:
// half a term, so the review can go to a governors' meeting.
const RemindDays = 42

// ReviewDue says whether a review on next needs attention on today.
func ReviewDue(next, today time.Time) Due {
	switch {
	case next.IsZero():
		return DueNone
	case next.Before(today):
		return DueOverdue
	case next.Equal(today):
		return DueToday
	case next.Before(today.AddDate(0, 0, RemindDays+1)):
		return DueSoon
	}
	return DueLater
}

// Remind reports whether the home page shows a reminder.
func (d Due) Remind() bool { return d == DueSoon || d == DueToday || d == DueOverdue }

// Label is the tag for the state.
func (d Due) Label() string {
	switch d {
	case DueNone:
		return "No review date"
	case DueLater:
		return "Up to date"
	case DueSoon:
		return "Review soon"
	case DueToday:
		return "Review today"
	case DueOverdue:
		return "Review overdue"
	}
	return string(d)
}

// ReportNextReview is the yearly review of the SEN information report:
// the regulations require it to be updated annually (SEND Regulations 2014
// reg 51; CoP 6.79), so it is due a year after it was last reviewed.
func ReportNextReview(lastReviewed time.Time) time.Time {
	if lastReviewed.IsZero() {
		return time.Time{}
	}
	return lastReviewed.AddDate(1, 0, 0)
}
