package ehc

import (
	"strings"
	"testing"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestNeedAreasAreTheRegisters: a Section B need and the register name each
// broad area the same way (the defect of issue 10: CL and CI were swapped).
func TestNeedAreasAreTheRegisters(t *testing.T) {
	for code, label := range map[string]string{
		sen.AreaCI: "Communication and interaction", sen.AreaCL: "Cognition and learning",
		sen.AreaSEMH: "Social, emotional and mental health", sen.AreaSP: "Sensory and/or physical",
	} {
		if got := NeedAreaLabel(code); got != label || got != sen.AreaLabel(code) {
			t.Errorf("Section B %s = %q, register %q, want %q", code, got, sen.AreaLabel(code), label)
		}
	}
	if len(NeedAreas) != 4 || NeedAreas.Has(sen.AreaNone) {
		t.Errorf("Section B areas are the four broad areas only: %v", NeedAreas)
	}
	// The census need type ASD sits under communication and interaction on
	// the register; the same code names the same heading in Section B.
	if n, _ := sen.LookupNeed("ASD"); NeedAreaLabel(n.Area) != "Communication and interaction" {
		t.Errorf("ASD's area %s reads %q in Section B", n.Area, NeedAreaLabel(n.Area))
	}
}

func TestDeliveryShortfall(t *testing.T) {
	for _, tc := range []struct {
		delivered, expected int
		short               bool
		pct                 int
	}{
		{0, 0, false, 100}, {80, 100, false, 80}, {79, 100, true, 79}, {0, 60, true, 0}, {120, 100, false, 120},
	} {
		d := DeliveryStats{DeliveredMinutes: tc.delivered, ExpectedMinutes: tc.expected}
		if d.Short() != tc.short || d.Percent() != tc.pct {
			t.Errorf("%d of %d: short %v %d%%, want %v %d%%", tc.delivered, tc.expected, d.Short(), d.Percent(), tc.short, tc.pct)
		}
	}
}

// TestExpectedFromTheLatestStart: provision is expected from the latest of
// the period's start, the plan's issue and the line's own start, up to today.
func TestExpectedFromTheLatestStart(t *testing.T) {
	weekdays := func(first, last time.Time) int {
		n := 0
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				n++
			}
		}
		return n
	}
	from, to, today := day(2026, 9, 1), day(2026, 12, 31), day(2026, 9, 30)
	for _, tc := range []struct {
		name           string
		issued, starts time.Time
		days           int
	}{
		{"whole period so far", day(2025, 1, 1), time.Time{}, 22},
		{"issued in the period", day(2026, 9, 14), time.Time{}, 13},
		{"line starts later", day(2025, 1, 1), day(2026, 9, 21), 8},
	} {
		pr := Provision{SessionsPerWeek: 2, Minutes: 30, Starts: tc.starts}
		st := pr.Expected("Autumn term", from, to, tc.issued, today, weekdays)
		if st.SchoolDays != tc.days || st.ExpectedSessions != tc.days*2/5 || st.ExpectedMinutes != st.ExpectedSessions*30 {
			t.Errorf("%s: %d days, %d sessions, %d minutes", tc.name, st.SchoolDays, st.ExpectedSessions, st.ExpectedMinutes)
		}
	}
}

func TestTerm(t *testing.T) {
	for _, tc := range []struct {
		d          time.Time
		name       string
		first, end time.Time
	}{
		{day(2026, 9, 1), "Autumn term", day(2026, 9, 1), day(2026, 12, 31)},
		{day(2027, 1, 4), "Spring term", day(2027, 1, 1), day(2027, 3, 31)},
		{day(2027, 4, 1), "Summer term", day(2027, 4, 1), day(2027, 7, 31)},
		{day(2027, 8, 20), "Summer term", day(2027, 4, 1), day(2027, 7, 31)},
	} {
		n, f, e := Term(tc.d)
		if n != tc.name || !f.Equal(tc.first) || !e.Equal(tc.end) {
			t.Errorf("Term(%s) = %s %s–%s", tc.d.Format("2006-01-02"), n, f.Format("2006-01-02"), e.Format("2006-01-02"))
		}
	}
	f, l := AcademicYear(day(2027, 2, 3))
	if !f.Equal(day(2026, 9, 1)) || !l.Equal(day(2027, 8, 31)) {
		t.Errorf("AcademicYear = %s to %s", f, l)
	}
}

func TestValidate(t *testing.T) {
	today := day(2026, 11, 23)
	cases := []struct {
		name  string
		fe    sen.FieldErrors
		field string
		msg   string
	}{
		{"request from no one", (&Request{Received: today}).Validate(today), "requestedBy", "Select who made the request"},
		{"request received tomorrow", (&Request{RequestedBy: "school", Received: today.AddDate(0, 0, 1)}).Validate(today), "received", "must be today or in the past"},
		{"plan without an LA", (&Plan{Issued: today}).Validate(today), "laName", "Enter the local authority"},
		{"plan amended before issue", (&Plan{LAName: "X", Issued: today, LastAmended: today.AddDate(0, 0, -1)}).Validate(today), "lastAmended", "on or after the date it was issued"},
		{"delivery tomorrow", (&Delivery{Date: today.AddDate(0, 0, 1), Minutes: 30, DeliveredBy: "TA"}).Validate(today), "sessionDate", "today or in the past"},
		{"missed without a reason", (&Delivery{Date: today, Missed: true}).Validate(today), "missedReason", "Enter why the session was missed"},
		{"delivered 0 minutes", (&Delivery{Date: today, DeliveredBy: "TA"}).Validate(today), "minutes", "from 1 to 600"},
		{"session before the line starts", Delivery{Date: day(2026, 10, 1)}.CheckDates(day(2026, 1, 1), day(2026, 10, 5)), "sessionDate", "starts on 5 October 2026"},
	}
	for _, tc := range cases {
		if !strings.Contains(tc.fe[tc.field], tc.msg) {
			t.Errorf("%s: %s = %q, want %q (all: %v)", tc.name, tc.field, tc.fe[tc.field], tc.msg, tc.fe)
		}
	}
	ok := Request{RequestedBy: "parent", Received: today}
	if fe := ok.Validate(today); len(fe) != 0 {
		t.Errorf("a good request: %v", fe)
	}
	if fe := (&Delivery{Date: today, Minutes: 30, DeliveredBy: "TA"}).Validate(today); len(fe) != 0 {
		t.Errorf("a good delivery: %v", fe)
	}
}

// TestRequestAdviceMilestones: advice requested from the school and other
// bodies becomes a reg 8 milestone due 6 weeks after each request, with a
// stable key per body; advice events are one kind per body.
func TestRequestAdviceMilestones(t *testing.T) {
	r := Request{Received: day(2026, 1, 5), Events: []RequestEvent{
		{Kind: EvAssessDecision, Date: day(2026, 2, 12), Outcome: "assess"},
		{Kind: EvAdviceRequested, Date: day(2026, 2, 16)},
		{Kind: EvAdviceRequestedHealth, Date: day(2026, 2, 18)},
		{Kind: EvAdviceReturned, Date: day(2026, 3, 27)},
		{Kind: EvAdviceReturnedPsychologist, Date: day(2026, 3, 1)}, // never requested: no period to measure
	}}
	if err := r.Facts().Validate(); err != nil {
		t.Fatal(err)
	}
	today := deadline.FromTime(day(2026, 3, 28))
	ms := r.Milestones()
	for _, tc := range []struct {
		key    string
		due    time.Time
		status deadline.Status
		owner  string
	}{
		{deadline.KeyAdvicePrefix + "school", day(2026, 3, 30), deadline.StatusDone, deadline.OwnerSchool},
		{deadline.KeyAdvicePrefix + "health", day(2026, 4, 1), deadline.StatusDueSoon, deadline.OwnerBody},
	} {
		m, ok := deadline.Find(ms, tc.key)
		if !ok {
			t.Fatalf("no %s milestone in %+v", tc.key, ms)
		}
		if !m.Due.Time().Equal(tc.due) || m.Status(today) != tc.status || m.Owner != tc.owner || !strings.Contains(m.Source, "reg 8") {
			t.Errorf("%s = due %s status %s owner %s source %q", tc.key, m.Due, m.Status(today), m.Owner, m.Source)
		}
	}
	if _, ok := deadline.Find(ms, deadline.KeyAdvicePrefix+"psychologist"); ok {
		t.Error("advice returned without a request has a milestone")
	}
	seen := map[string]bool{}
	for _, b := range AdviceBodies {
		if seen[b.Body] || !RequestEventKinds.Has(b.Requested) || !RequestEventKinds.Has(b.Returned) || b.From == "" {
			t.Errorf("advice body %+v", b)
		}
		seen[b.Body] = true
	}
}

// Office staff posting a review invitation see no service involved with
// the child and no meeting date; the parent and LA are shown as recorded.
func TestPendingInvitationForPosting(t *testing.T) {
	m := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	for _, party := range []string{"health", "social-care", "professional", "unknown"} {
		got := PendingInvitation{PupilName: "Amara Okafor", Party: party, Name: "Educational psychologist", Meeting: m, SendBy: m}.ForPosting()
		if got.Name != "" || got.Party != "" || !got.Withheld || !got.Meeting.IsZero() || got.PupilName == "" || got.SendBy != m {
			t.Errorf("%s: %+v", party, got)
		}
	}
	for _, party := range []string{"parent", "la"} {
		got := PendingInvitation{Party: party, Name: "Mrs Okafor", Meeting: m}.ForPosting()
		if got.Name != "Mrs Okafor" || got.Party != party || got.Withheld || !got.Meeting.IsZero() {
			t.Errorf("%s: %+v", party, got)
		}
	}
}

func TestDeliverySessionsText(t *testing.T) {
	for _, tc := range []struct {
		d             DeliveryStats
		sessions, min string
	}{
		{DeliveryStats{ExpectedSessions: 41, DeliveredSessions: 39, ExpectedMinutes: 1230, DeliveredMinutes: 1170}, "39 of 41 sessions delivered", "1170 of 1230 minutes"},
		{DeliveryStats{ExpectedSessions: 1, DeliveredSessions: 0, ExpectedMinutes: 30}, "0 of 1 session delivered", "0 of 30 minutes"},
		{DeliveryStats{ExpectedSessions: 1, DeliveredSessions: 1, ExpectedMinutes: 1, DeliveredMinutes: 1}, "1 of 1 session delivered", "1 of 1 minute"},
		{DeliveryStats{ExpectedSessions: 1, DeliveredSessions: 3, ExpectedMinutes: 30, DeliveredMinutes: 90}, "3 sessions delivered, 1 expected so far", "90 minutes, 30 expected so far"},
		{DeliveryStats{ExpectedSessions: 0, DeliveredSessions: 1, DeliveredMinutes: 20}, "1 session delivered, 0 expected so far", "20 minutes, 0 expected so far"},
	} {
		if got := tc.d.SessionsText(); got != tc.sessions {
			t.Errorf("SessionsText(%+v) = %q, want %q", tc.d, got, tc.sessions)
		}
		if got := tc.d.MinutesText(); got != tc.min {
			t.Errorf("MinutesText(%+v) = %q, want %q", tc.d, got, tc.min)
		}
	}
}
