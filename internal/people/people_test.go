package people

import (
	"testing"
	"time"

	"opensend/internal/plans"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestContactValidate(t *testing.T) {
	ok := func() Contact {
		return Contact{Name: "Sarah Patel", Relationship: "mother", Phone: "07700 900982", PreferredWay: "phone"}
	}
	tests := []struct {
		name  string
		edit  func(*Contact)
		field string // "" = valid
	}{
		{"valid", func(*Contact) {}, ""},
		{"no name", func(c *Contact) { c.Name = "  " }, "name"},
		{"bidi name", func(c *Contact) { c.Name = "Sarah\u202ePatel" }, "name"},
		{"no relationship", func(c *Contact) { c.Relationship = "" }, "relationship"},
		{"unknown relationship", func(c *Contact) { c.Relationship = "aunt" }, "relationship"},
		{"bad phone", func(c *Contact) { c.Phone = "call me" }, "phone"},
		{"short phone", func(c *Contact) { c.Phone = "123" }, "phone"},
		{"international phone", func(c *Contact) { c.Phone = "+44 (0)7700 900-982" }, ""},
		{"bad email", func(c *Contact) { c.Email = "sarah at example" }, "email"},
		{"email with name", func(c *Contact) { c.Email = "Sarah <s@example.com>" }, "email"},
		{"email preferred, none given", func(c *Contact) { c.PreferredWay = "email" }, "email"},
		{"phone preferred, none given", func(c *Contact) { c.Phone = "" }, "phone"},
		{"letter preferred, no address", func(c *Contact) { c.PreferredWay = "letter" }, "address"},
		{"unknown way", func(c *Contact) { c.PreferredWay = "pigeon" }, "preferredWay"},
		{"interpreter without language", func(c *Contact) { c.Interpreter = true }, "language"},
		{"interpreter with language", func(c *Contact) { c.Interpreter, c.Language = true, "Polish" }, ""},
		{"restricted without text", func(c *Contact) { c.Restricted = true }, "restriction"},
		{"restricted with text", func(c *Contact) { c.Restricted, c.Restriction = true, "No contact: court order" }, ""},
		{"control character in address", func(c *Contact) { c.Address = "1 High St\x00" }, "address"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok()
			tc.edit(&c)
			fe := c.Validate()
			if tc.field == "" && len(fe) > 0 {
				t.Fatalf("want valid, got %v", fe)
			}
			if tc.field != "" && fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, fe)
			}
		})
	}
	c := Contact{Name: "A", Relationship: "father", Restriction: "left over"}
	c.Validate()
	if c.Restriction != "" {
		t.Fatal("an unrestricted contact keeps no restriction text")
	}
}

func TestLogEntryValidate(t *testing.T) {
	today := d("2026-12-02")
	ok := func() LogEntry {
		return LogEntry{Kind: LogMeeting, Date: today, ContactID: 1, Summary: "Talked about reading"}
	}
	tests := []struct {
		name  string
		edit  func(*LogEntry)
		field string
	}{
		{"valid", func(*LogEntry) {}, ""},
		{"free-text who", func(e *LogEntry) { e.ContactID, e.With = 0, "Aunt (not a contact)" }, ""},
		{"nobody", func(e *LogEntry) { e.ContactID = 0 }, "contact"},
		{"bad kind", func(e *LogEntry) { e.Kind = "fax" }, "kind"},
		{"no date", func(e *LogEntry) { e.Date = time.Time{} }, "date"},
		{"future", func(e *LogEntry) { e.Date = today.AddDate(0, 0, 1) }, "date"},
		{"no summary", func(e *LogEntry) { e.Summary = " " }, "summary"},
		{"follow-up without due", func(e *LogEntry) { e.FollowUp = "Send the leaflet" }, "followUpDue"},
		{"due without follow-up", func(e *LogEntry) { e.FollowUpDue = today }, "followUp"},
		{"due before contact", func(e *LogEntry) { e.FollowUp, e.FollowUpDue = "x", today.AddDate(0, 0, -1) }, "followUpDue"},
		{"follow-up due later", func(e *LogEntry) { e.FollowUp, e.FollowUpDue = "x", today.AddDate(0, 0, 30) }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ok()
			tc.edit(&e)
			fe := e.Validate(today)
			if tc.field == "" && len(fe) > 0 {
				t.Fatalf("want valid, got %v", fe)
			}
			if tc.field != "" && fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, fe)
			}
		})
	}
}

func TestFollowUpState(t *testing.T) {
	today := d("2026-12-02")
	tests := []struct {
		name string
		e    LogEntry
		want FollowUpState
	}{
		{"none", LogEntry{}, FollowUpNone},
		{"done", LogEntry{FollowUp: "x", FollowUpDue: d("2026-11-01"), FollowUpDone: true}, FollowUpNone},
		{"yesterday", LogEntry{FollowUp: "x", FollowUpDue: d("2026-12-01")}, FollowUpOverdue},
		{"today", LogEntry{FollowUp: "x", FollowUpDue: today}, FollowUpDueSoon},
		{"in 7 days", LogEntry{FollowUp: "x", FollowUpDue: d("2026-12-09")}, FollowUpDueSoon},
		{"in 8 days", LogEntry{FollowUp: "x", FollowUpDue: d("2026-12-10")}, FollowUpLater},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FollowUpStateOf(tc.e, today); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if tc.e.Overdue(today) != (tc.want == FollowUpOverdue) {
				t.Fatal("Overdue disagrees with the state")
			}
		})
	}
}

// TestParentMeetingsInLastYear: meetings with a contact count toward CoP
// 6.65's three a year; calls, and meetings with someone not a contact, do not.
func TestParentMeetingsInLastYear(t *testing.T) {
	today := d("2026-12-02")
	tests := []struct {
		name string
		log  []LogEntry
		want int
	}{
		{"none", nil, 0},
		{"one meeting", []LogEntry{{Kind: LogMeeting, ContactID: 1, Date: d("2026-10-01")}}, 1},
		{"call not counted", []LogEntry{{Kind: LogCall, ContactID: 1, Date: d("2026-10-01")}}, 0},
		{"free-text who not counted", []LogEntry{{Kind: LogMeeting, With: "Social worker", Date: d("2026-10-01")}}, 0},
		{"older than 12 months", []LogEntry{{Kind: LogMeeting, ContactID: 1, Date: d("2025-12-02")}}, 0},
		{"just inside 12 months", []LogEntry{{Kind: LogMeeting, ContactID: 1, Date: d("2025-12-03")}}, 1},
		{"same day twice counts once", []LogEntry{{Kind: LogMeeting, ContactID: 1, Date: d("2026-10-01")}, {Kind: LogMeeting, ContactID: 2, Date: d("2026-10-01")}}, 1},
		{"three", []LogEntry{{Kind: LogMeeting, ContactID: 1, Date: d("2026-01-10")}, {Kind: LogMeeting, ContactID: 1, Date: d("2026-05-10")}, {Kind: LogMeeting, ContactID: 2, Date: d("2026-11-10")}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := plans.MeetingsInLastYear(ParentMeetings(tc.log), today); got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestWaitingWeeksAndOverdue(t *testing.T) {
	today := d("2026-12-02")
	tests := []struct {
		name    string
		r       Referral
		weeks   int
		ok      bool
		overdue bool
	}{
		{"drafted", Referral{Status: Drafted}, 0, false, false},
		{"sent today", Referral{Status: Sent, Referred: today}, 0, true, false},
		{"sent 6 days ago", Referral{Status: Sent, Referred: d("2026-11-26")}, 0, true, false},
		{"sent 7 days ago", Referral{Status: Sent, Referred: d("2026-11-25")}, 1, true, false},
		{"waiting 18 weeks: not yet over", Referral{Status: Waiting, Referred: today.AddDate(0, 0, -18*7)}, 18, true, false},
		{"waiting 19 weeks: over the default", Referral{Status: Waiting, Referred: today.AddDate(0, 0, -19*7)}, 19, true, true},
		{"agency threshold 6", Referral{Status: Accepted, AgencyWaitWeeks: 6, Referred: today.AddDate(0, 0, -7*7)}, 7, true, true},
		{"seen: time to seen", Referral{Status: Seen, Referred: d("2026-01-05"), SeenOn: d("2026-03-02")}, 8, true, false},
		{"discharged after seen keeps wait", Referral{Status: Discharged, Referred: d("2026-01-05"), SeenOn: d("2026-01-19")}, 2, true, false},
		{"declined without seen", Referral{Status: Declined, Referred: d("2026-01-05")}, 0, false, false},
		{"seen long ago not overdue", Referral{Status: Seen, AgencyWaitWeeks: 1, Referred: d("2025-01-05"), SeenOn: d("2026-01-05")}, 52, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := WaitingWeeks(tc.r, today)
			if w != tc.weeks || ok != tc.ok {
				t.Fatalf("WaitingWeeks = %d, %v; want %d, %v", w, ok, tc.weeks, tc.ok)
			}
			if got := Overdue(tc.r, today); got != tc.overdue {
				t.Fatalf("Overdue = %v, want %v", got, tc.overdue)
			}
		})
	}
}

func TestReferralMove(t *testing.T) {
	today := d("2026-12-02")
	tests := []struct {
		name           string
		r              Referral
		to             string
		date           time.Time
		field          string
		referred, seen time.Time
	}{
		{"send with consent", Referral{Status: Drafted, Consent: true}, Sent, d("2026-11-01"), "", d("2026-11-01"), time.Time{}},
		{"send without consent", Referral{Status: Drafted}, Sent, d("2026-11-01"), "status", time.Time{}, time.Time{}},
		{"skip from drafted to seen", Referral{Status: Drafted, Consent: true}, Seen, d("2026-11-01"), "status", time.Time{}, time.Time{}},
		{"seen sets seen date", Referral{Status: Waiting, Consent: true, Referred: d("2026-10-01")}, Seen, d("2026-11-20"), "", d("2026-10-01"), d("2026-11-20")},
		{"future date", Referral{Status: Sent, Consent: true}, Accepted, d("2026-12-03"), "date", time.Time{}, time.Time{}},
		{"no date", Referral{Status: Sent, Consent: true}, Accepted, time.Time{}, "date", time.Time{}, time.Time{}},
		{"before last change", Referral{Status: Sent, Consent: true, Changes: []Change{{Status: Sent, Date: d("2026-11-10")}}}, Accepted, d("2026-11-09"), "date", time.Time{}, time.Time{}},
		{"sent before it was drafted here", Referral{Status: Drafted, Consent: true, Changes: []Change{{Status: Drafted, Date: d("2026-11-30")}}}, Sent, d("2026-09-01"), "", d("2026-09-01"), time.Time{}},
		{"closed stays closed", Referral{Status: Discharged}, Waiting, d("2026-11-09"), "status", time.Time{}, time.Time{}},
		{"declined stays closed", Referral{Status: Declined}, Sent, d("2026-11-09"), "status", time.Time{}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			fe := r.Move(tc.to, tc.date, today)
			if tc.field == "" {
				if len(fe) > 0 {
					t.Fatalf("want moved, got %v", fe)
				}
				if r.Status != tc.to || !r.Referred.Equal(tc.referred) || !r.SeenOn.Equal(tc.seen) {
					t.Fatalf("after move: %+v", r)
				}
				return
			}
			if fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, fe)
			}
			if r.Status != tc.r.Status {
				t.Fatal("a refused move changed the status")
			}
		})
	}
}

func TestNextStatuses(t *testing.T) {
	for _, s := range Statuses {
		for _, n := range NextStatuses(s.Code) {
			if !CanMove(s.Code, n.Code) || n.Label == n.Code {
				t.Fatalf("%s -> %s is offered but not allowed or unlabelled", s.Code, n.Code)
			}
		}
	}
	if len(NextStatuses(Discharged)) != 0 || len(NextStatuses(Declined)) != 0 {
		t.Fatal("a closed referral offers moves")
	}
}

func TestReferralValidate(t *testing.T) {
	today := d("2026-12-02")
	tests := []struct {
		name  string
		r     Referral
		field string
	}{
		{"valid drafted", Referral{AgencyID: 1, Reason: "Speech unclear"}, ""},
		{"no agency", Referral{Reason: "x"}, "agency"},
		{"no reason", Referral{AgencyID: 1}, "reason"},
		{"consent without who", Referral{AgencyID: 1, Reason: "x", Consent: true, ConsentDate: today}, "consentBy"},
		{"consent without date", Referral{AgencyID: 1, Reason: "x", Consent: true, ConsentBy: "Mother"}, "consentDate"},
		{"consent in the future", Referral{AgencyID: 1, Reason: "x", Consent: true, ConsentBy: "Mother", ConsentDate: today.AddDate(0, 0, 1)}, "consentDate"},
		{"consent complete", Referral{AgencyID: 1, Reason: "x", Consent: true, ConsentBy: "Mother", ConsentDate: today}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fe := tc.r.Validate(today)
			if tc.field == "" && len(fe) > 0 {
				t.Fatalf("want valid, got %v", fe)
			}
			if tc.field != "" && fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, fe)
			}
		})
	}
}

func TestAgencyValidate(t *testing.T) {
	tests := []struct {
		name  string
		a     Agency
		field string
	}{
		{"valid", Agency{Name: "County EP service", Kind: "ep", WaitWeeks: 12}, ""},
		{"no name", Agency{Kind: "ep", WaitWeeks: 12}, "name"},
		{"bad kind", Agency{Name: "x", Kind: "physio", WaitWeeks: 12}, "kind"},
		{"no threshold", Agency{Name: "x", Kind: "ep"}, "waitWeeks"},
		{"bad email", Agency{Name: "x", Kind: "ep", WaitWeeks: 12, Email: "nope"}, "email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fe := tc.a.Validate()
			if tc.field == "" && len(fe) > 0 {
				t.Fatalf("want valid, got %v", fe)
			}
			if tc.field != "" && fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, fe)
			}
		})
	}
}
