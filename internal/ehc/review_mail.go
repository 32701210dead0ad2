package ehc

import (
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// What reaches people about an annual review: the letterhead, the
// meeting's time and place, each letter's sends (by e-mail through the
// outbox, or printed for post), and the advice and reports uploaded to a
// review and circulated before the meeting (SEND Regulations 2014 reg
// 20(4)).

// MaxAddress caps a postal address.
const MaxAddress = 500

// ValidEmail is the check of an e-mail address typed into a form: one "@"
// with something either side, no spaces or list separators, at most 254
// characters (the same rule as a staff member's address).
func ValidEmail(v string) bool {
	at := strings.LastIndex(v, "@")
	return at >= 1 && at < len(v)-1 && !strings.ContainsAny(v, " ,;<>\"") && len(v) <= sen.MaxEmail && strings.Count(v, "@") == 1
}

// AddressLines splits a postal address into its lines, blank lines
// dropped.
func AddressLines(v string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// LetterHead is the school as every letter's heading shows it.
type LetterHead struct {
	School  string
	Address []string
	Phone   string
	Email   string
}

// HeadOf is the letterhead of a school's settings.
func HeadOf(school string, set SchoolSettings) LetterHead {
	return LetterHead{School: school, Address: AddressLines(set.Address), Phone: set.Phone, Email: set.Email}
}

// ValidateMeetingPlace checks the meeting's time (24-hour "HH:MM", blank
// when not yet known) and place (one line, blank when not yet known).
func ValidateMeetingPlace(hhmm, place string) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if hhmm != "" {
		if _, ok := ParseMeetingTime(hhmm); !ok {
			fe.Add("meetingTime", "Enter the time as hours and minutes on the 24-hour clock, like 14:30")
		}
	}
	fe.Line("meetingTime", hhmm)
	if len(place) > 200 {
		fe.Add("meetingPlace", "The place must be 200 characters or fewer")
	}
	fe.Line("meetingPlace", place)
	return fe
}

// ParseMeetingTime reads a 24-hour "HH:MM" (a single-digit hour is
// allowed: "9:30") and returns it as "HH:MM".
func ParseMeetingTime(v string) (string, bool) {
	h, m, ok := strings.Cut(v, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return "", false
	}
	t, err := time.Parse("15:04", strings.Repeat("0", 2-len(h))+h+":"+m)
	if err != nil {
		return "", false
	}
	return t.Format("15:04"), true
}

// MeetingTimeText is a meeting time as people read it: "14:30" is
// "2:30pm", an o'clock time the hour alone ("14:00" is "2pm", "12:00"
// "12pm").
func MeetingTimeText(hhmm string) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return ""
	}
	if t.Minute() == 0 {
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}

// Letter send methods.
const (
	SentByEmail = "email"
	SentByPost  = "post"
)

// LetterSend is one sending of an invitee's letter.
type LetterSend struct {
	Method string // SentByEmail or SentByPost
	To     string // the e-mail address ("" for post)
	On     time.Time
}

// Text says how and when the letter went: "Sent by e-mail to x on 3
// December 2026" or "Printed for post on 3 December 2026".
func (s LetterSend) Text() string {
	if s.Method == SentByEmail {
		return "Sent by e-mail to " + s.To + " on " + longDate(s.On)
	}
	return "Printed for post on " + longDate(s.On)
}

// Report kinds: what an uploaded piece of advice or report is.
var ReportKinds = sen.Options{
	{Code: "parent-views", Label: "Parent's views"},
	{Code: "pupil-views", Label: "Pupil's views"},
	{Code: "education", Label: "Advice from education"},
	{Code: "health", Label: "Advice from health"},
	{Code: "social-care", Label: "Advice from social care"},
	{Code: "ep", Label: "Educational psychologist's report"},
	{Code: "other", Label: "Other"},
}

// ReportKindLabel names a report kind.
func ReportKindLabel(code string) string { return ReportKinds.Label(code) }

// ReviewReport is advice or a professional's report uploaded to an
// annual review, to be circulated to the invitees before the meeting.
type ReviewReport struct {
	ID         int64
	ReviewID   int64
	Filename   string
	MIME       string
	Author     string // who wrote it, or the service
	Kind       string // ReportKinds
	Received   time.Time
	Circulated time.Time // zero: not yet circulated
	// CirculatedTo names who it went to and how ("Mrs Okafor (e-mail),
	// Riverside SEN officer (post)").
	CirculatedTo string
	PupilName    string // on lists of several reviews' reports
}

// Validate checks a report's details (not its file: the store checks
// that with internal/upload).
func (r *ReviewReport) Validate(today time.Time) sen.FieldErrors {
	r.Author = strings.TrimSpace(r.Author)
	fe := sen.FieldErrors{}
	if r.Author == "" {
		fe.Add("reportAuthor", "Enter who wrote it, or their service")
	} else if len(r.Author) > 200 {
		fe.Add("reportAuthor", "Author must be 200 characters or fewer")
	}
	fe.Name("reportAuthor", r.Author)
	if !ReportKinds.Has(r.Kind) {
		fe.Add("reportKind", "Select what it is")
	}
	if r.Received.IsZero() {
		fe.Add("reportReceived", "Enter the date it was received")
	} else if r.Received.After(today) {
		fe.Add("reportReceived", "The date it was received must be today or in the past")
	}
	return fe
}

// ErrReportFile is a report file that is not a PDF or Word document.
func ErrReportFile() sen.FieldErrors {
	return sen.FieldErrors{"reportFile": "The file must be a PDF or a Word document"}
}

// ErrNoReportFile: no file was chosen.
func ErrNoReportFile() sen.FieldErrors {
	return sen.FieldErrors{"reportFile": "Select the advice or report to upload"}
}

// ErrReportTooLarge: the file is over MaxDocumentSize.
func ErrReportTooLarge() sen.FieldErrors {
	return sen.FieldErrors{"reportFile": "The file must be smaller than 5 MB"}
}

// CirculateBy is the last day the advice and reports must be circulated:
// at least 2 weeks before the meeting (SEND Regulations 2014 reg 20(4),
// statutory-facts.md "Advice"), the review's "advice circulated"
// milestone.
func CirculateBy(meeting time.Time) time.Time {
	return deadline.MeetingDeadlinesFrom(deadline.FromTime(meeting)).Advice.Time()
}

// CirculationWarning is the warning shown when the meeting is nearer than
// 2 weeks away and some reports are not yet
// circulated (reg 20(4)), "" otherwise. A held meeting has none.
func CirculationWarning(r Review, today time.Time) string {
	if r.Meeting.IsZero() || r.MeetingHeld || today.After(r.Meeting) {
		return ""
	}
	n := 0
	for _, x := range r.Reports {
		if x.Circulated.IsZero() {
			n++
		}
	}
	if n == 0 || !today.After(CirculateBy(r.Meeting)) {
		return ""
	}
	return sen.Count(n, "report has", "reports have") + " not been circulated and the meeting on " + longDate(r.Meeting) +
		" is less than 2 weeks away: advice must be circulated at least 2 weeks before the meeting (SEND Regulations 2014 reg 20(4))"
}

// ErrNoEmail: a letter cannot be e-mailed to an invitee with no e-mail
// address.
func ErrNoEmail() sen.FieldErrors {
	return sen.FieldErrors{"inviteeEmail": "This person has no e-mail address: add one to the invitee, or print the letter for post"}
}

// Recipient is one invitee a circulation went to, and how.
type Recipient struct {
	Name, Method, Email string
}

// RecipientList says to whom a circulation went: "Mrs Okafor by e-mail,
// Riverside SEN officer by post".
func RecipientList(rs []Recipient) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		if r.Method == SentByEmail {
			parts = append(parts, r.Name+" by e-mail")
		} else {
			parts = append(parts, r.Name+" by post")
		}
	}
	return strings.Join(parts, ", ")
}

// ErrCirculateHow: neither e-mail nor post was chosen.
func ErrCirculateHow() sen.FieldErrors {
	return sen.FieldErrors{"circulateHow": "Select how to circulate the reports"}
}

// ErrNothingToCirculate: every report is already circulated.
func ErrNothingToCirculate() sen.FieldErrors {
	return sen.FieldErrors{"circulateHow": "There are no reports waiting to be circulated: upload them first"}
}

// ErrNoOneToCirculate: nobody has been invited yet.
func ErrNoOneToCirculate() sen.FieldErrors {
	return sen.FieldErrors{"circulateHow": "Add the people invited to the meeting before circulating the reports"}
}
