package ehc

import (
	"strings"
	"testing"
	"time"
)

func TestMeetingTime(t *testing.T) {
	for _, tc := range []struct {
		in, norm, text string
		ok             bool
	}{
		{"14:30", "14:30", "2:30pm", true},
		{"9:30", "09:30", "9:30am", true},
		{"09:05", "09:05", "9:05am", true},
		{"12:00", "12:00", "12pm", true},
		{"14:00", "14:00", "2pm", true},
		{"00:15", "00:15", "12:15am", true},
		{"24:00", "", "", false},
		{"14:60", "", "", false},
		{"1430", "", "", false},
		{"2:30pm", "", "", false},
		{"14:3", "", "", false},
		{"", "", "", false},
	} {
		got, ok := ParseMeetingTime(tc.in)
		if ok != tc.ok || got != tc.norm {
			t.Errorf("ParseMeetingTime(%q) = %q %v, want %q %v", tc.in, got, ok, tc.norm, tc.ok)
		}
		if ok && MeetingTimeText(got) != tc.text {
			t.Errorf("MeetingTimeText(%q) = %q, want %q", got, MeetingTimeText(got), tc.text)
		}
	}
	if fe := ValidateMeetingPlace("", ""); len(fe) != 0 {
		t.Errorf("blank time and place refused: %v", fe)
	}
	if fe := ValidateMeetingPlace("25:00", strings.Repeat("x", 201)); fe["meetingTime"] == "" || fe["meetingPlace"] == "" {
		t.Errorf("bad time and place accepted: %v", fe)
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{"a@b.example": true, "okafor@home.example": true, "@b": false, "a@": false, "a b@c": false,
		"a@b@c": false, "a@b,c@d": false, "": false, "<a@b>": false, strings.Repeat("a", 250) + "@b.uk": false} {
		if got := ValidEmail(in); got != want {
			t.Errorf("ValidEmail(%q) = %v", in, got)
		}
	}
}

func TestLetterWhenAndSends(t *testing.T) {
	l := Letter{Meeting: time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)}
	if got := l.When(); got != "Tuesday 12 January 2027" {
		t.Errorf("no time or place: %q", got)
	}
	l.MeetingTime, l.MeetingPlace = "14:30", "the SENCO's office"
	if got := l.When(); got != "Tuesday 12 January 2027 at 2:30pm in the SENCO's office" {
		t.Errorf("When %q", got)
	}
	on := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	if got := (LetterSend{Method: SentByEmail, To: "x@y.example", On: on}).Text(); got != "Sent by e-mail to x@y.example on 3 December 2026" {
		t.Errorf("email send %q", got)
	}
	if got := (LetterSend{Method: SentByPost, On: on}).Text(); got != "Printed for post on 3 December 2026" {
		t.Errorf("post send %q", got)
	}
	l.Name, l.PupilName = "Mrs Okafor", "Amara Okafor"
	subject, text := l.Mail(LetterHead{School: "Test Academy", Email: "office@test.example"})
	if strings.Contains(subject, "Amara") || strings.Contains(text, "Amara") || !strings.Contains(text, "Dear Mrs Okafor") || !strings.Contains(text, "e-mail office@test.example") {
		t.Errorf("mail %q %q", subject, text)
	}
	if got := RecipientList([]Recipient{{Name: "A", Method: SentByEmail}, {Name: "B", Method: SentByPost}}); got != "A by e-mail, B by post" {
		t.Errorf("recipients %q", got)
	}
}

// reg 20(4): advice circulated at least 2 weeks before the meeting; the
// warning appears once the meeting is nearer than that and a report is
// not circulated.
func TestCirculationWarning(t *testing.T) {
	meeting := time.Date(2027, 1, 28, 0, 0, 0, 0, time.UTC) // circulate by 14 January
	d := func(m time.Month, day int) time.Time { return time.Date(2027, m, day, 0, 0, 0, 0, time.UTC) }
	pending := []ReviewReport{{ID: 1}, {ID: 2, Circulated: d(1, 2)}}
	done := []ReviewReport{{ID: 2, Circulated: d(1, 2)}}
	for _, tc := range []struct {
		name    string
		r       Review
		today   time.Time
		warning bool
	}{
		{"three weeks before", Review{Meeting: meeting, Reports: pending}, d(1, 7), false},
		{"the last day", Review{Meeting: meeting, Reports: pending}, d(1, 14), false},
		{"13 days before", Review{Meeting: meeting, Reports: pending}, d(1, 15), true},
		{"the day of the meeting", Review{Meeting: meeting, Reports: pending}, d(1, 28), true},
		{"after the meeting", Review{Meeting: meeting, Reports: pending}, d(1, 29), false},
		{"all circulated", Review{Meeting: meeting, Reports: done}, d(1, 20), false},
		{"no reports", Review{Meeting: meeting}, d(1, 20), false},
		{"held", Review{Meeting: meeting, MeetingHeld: true, Reports: pending}, d(1, 28), false},
		{"no meeting date", Review{Reports: pending}, d(1, 20), false},
	} {
		got := CirculationWarning(tc.r, tc.today)
		if (got != "") != tc.warning {
			t.Errorf("%s: %q", tc.name, got)
		}
		if got != "" && !strings.Contains(got, "1 report has not been circulated") {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
}
