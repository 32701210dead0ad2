package ical_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/ical"
)

func TestFeedParsesWithARealICalendarLibrary(t *testing.T) {
	due := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	entries := []ehc.CalendarEntry{
		{Kind: ehc.KindRequest, Record: ehc.RecordRequest, RefID: 7, Href: "/ehc/requests/7", PupilName: "Amara Okafor", Initials: "A.O.", Due: due, Status: deadline.StatusUpcoming,
			M: deadline.Milestone{Key: deadline.KeyFinalPlan, Label: "Final EHC plan issued", Owner: "LA", Source: "SEND Regs 2014 reg 13(2)"}},
		{Kind: ehc.KindReview, Record: ehc.RecordReview, RefID: 3, Href: "/ehc/reviews/3", PupilName: "Ben Carter", Initials: "B.C.", Due: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Status: deadline.StatusOverdue,
			M: deadline.Milestone{Key: deadline.KeyReviewReport, Label: "Review report sent", Owner: "School", Source: "reg 20(7)"}},
	}
	out := ical.Feed(entries, "Test Academy", "https://send.example.org", time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	if strings.Contains(out, "Okafor") || strings.Contains(out, "Carter") {
		t.Fatal("feed contains a pupil's name")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	if uid := e.GetProperty(ics.ComponentPropertyUniqueId).Value; uid != "ehc-request-7-final-plan@send.example.org" { // issue 11: record kind + id (was "request-7-...")
		t.Fatalf("uid %q", uid)
	}
	start, err := e.GetAllDayStartAt()
	if err != nil || start.Format("2006-01-02") != "2027-02-01" {
		t.Fatalf("start %v %v", start, err)
	}
	if p := e.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["VALUE"] == nil || p.ICalParameters["VALUE"][0] != "DATE" {
		t.Fatalf("DTSTART is not an all-day date: %+v", p)
	}
	end, err := e.GetAllDayEndAt()
	if err != nil || end.Format("2006-01-02") != "2027-02-02" {
		t.Fatalf("end %v %v", end, err)
	}
	if s := e.GetProperty(ics.ComponentPropertySummary).Value; s != "EHC request: Final EHC plan issued (A.O.)" {
		t.Fatalf("summary %q", s)
	}
	if s := evs[1].GetProperty(ics.ComponentPropertySummary).Value; !strings.HasPrefix(s, "OVERDUE: Annual review: Review report sent") {
		t.Fatalf("overdue summary %q", s)
	}
	if u := e.GetProperty(ics.ComponentPropertyUrl).Value; u != "https://send.example.org/ehc/requests/7" {
		t.Fatalf("url %q", u)
	}
}
