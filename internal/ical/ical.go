// Package ical writes OpenSEND's statutory dates as an iCalendar (RFC 5545)
// feed that Outlook or Google Calendar can subscribe to. Each open
// milestone is one all-day event on its last day. The feed leaves the
// school's systems, so events carry the pupil's initials, not their name,
// and a link back to the record.
package ical

import (
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/ehc"
)

// Feed renders entries as a VCALENDAR. baseURL is the app's public URL
// (for links and event UIDs' host); now stamps every event.
func Feed(entries []ehc.CalendarEntry, schoolName, baseURL string, now time.Time) string {
	cal := ics.NewCalendarFor("OpenSEND")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("OpenSEND statutory dates")
	cal.SetXWRCalName("OpenSEND statutory dates – " + schoolName)
	cal.SetXWRCalDesc("Statutory EHC deadlines (SEND Regulations 2014) for " + schoolName)
	cal.SetRefreshInterval("PT6H")
	cal.SetXPublishedTTL("PT6H")
	host := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	host = strings.TrimSuffix(host, "/")
	for _, e := range entries {
		// Unique and stable: record, record id and milestone key (issue 11: a
		// UID made from the calendar kind was shared by a plan's and a review's
		// duties with the same id, and calendar programs merged them).
		ev := cal.AddEvent(e.UID(host))
		ev.SetDtStampTime(now.UTC())
		day := time.Date(e.Due.Year(), e.Due.Month(), e.Due.Day(), 0, 0, 0, 0, time.UTC)
		ev.SetAllDayStartAt(day)
		ev.SetAllDayEndAt(day.AddDate(0, 0, 1)) // DTEND is exclusive
		summary := e.Title() + " (" + e.Initials + ")"
		if e.Status == "overdue" {
			summary = "OVERDUE: " + summary
		}
		ev.SetSummary(summary)
		ev.SetDescription(fmt.Sprintf("Last day: %s. Whose move: %s. Legal source: %s. Open in OpenSEND: %s%s",
			e.Due.Format("2 January 2006"), e.M.Owner, e.M.Source, strings.TrimSuffix(baseURL, "/"), e.Href))
		ev.SetURL(strings.TrimSuffix(baseURL, "/") + e.Href)
		ev.SetProperty(ics.ComponentPropertyCategories, strings.ToUpper(e.Kind))
		ev.SetProperty(ics.ComponentPropertyTransp, "TRANSPARENT")
	}
	return cal.Serialize()
}
