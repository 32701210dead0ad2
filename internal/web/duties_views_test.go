package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"opensend/internal/demo"
	"opensend/internal/ehc"
	"opensend/internal/mail"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

var (
	calRowRe    = regexp.MustCompile(`(?s)<tr class="govuk-table__row"><td class="govuk-table__cell app-nowrap">([^<]+)<br>.*?<a class="govuk-link" href="([^"]+)">[^<]*</a></td><td class="govuk-table__cell">([^<]*)</td>`)
	msRowRe     = regexp.MustCompile(`(?s)data-milestone="([^"]+)">\s*<th[^>]*>.*?</th>\s*<td class="govuk-table__cell app-nowrap">([^<]*)<br>`)
	digestRe    = regexp.MustCompile(`(?m)^- (.+?) \(([^)]*)\): (.+) – pupil [^\n]*\n  (\S+)$`)
	reviewDueRe = regexp.MustCompile(`id="review-due">([^<]+)<`)
	ctfDueRe    = regexp.MustCompile(`(?s)id="ctf-status">.*?(?:by|due by) <strong>([0-9]+ [A-Za-z]+ [0-9]{4})</strong>`)
	transferRe  = regexp.MustCompile(`id="transfer-due">([^<]+)<`)
	dutyFeedRe  = regexp.MustCompile(`id="feed-url" type="text" readonly value="([^"]+)"`)
	homeCountRe = regexp.MustCompile(`(?s)<strong class="govuk-tag[^"]*">(\d+)</strong> <a class="govuk-link" href="(/calendar\?when=[a-z]+)">`)
)

// TestEveryViewShowsTheSameDateForEachDuty (issue "Statutory work right in
// every case"): for every open duty of the demo school, the record's own
// page (review, request or plan), the statutory calendar, the ICS feed and
// the daily digest show the same date, and the home page counts agree.
// The demo gets two Year 6 pupils (a transfer year at a primary school):
// one with no review in progress (the plan page said the 12-month date
// while the calendar brought it forward to the reg 18 limit), and one whose
// review was held in the autumn with an LA decision to maintain the plan
// (the review page dropped the transfer once the meeting was held, and a
// "maintain" closed it although the plan must name the secondary school).
func TestEveryViewShowsTheSameDateForEachDuty(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	noReview, autumn := yearSixScenario(t, st, senco)

	const base = "http://127.0.0.1"
	s, err := web.New(st, web.Config{BaseURL: base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	b.login(res.Users[sen.RoleSENCO][0].Email, demo.Password)

	entries, err := st.StatutoryDates(ctx, senco, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 10 {
		t.Fatalf("only %d open duties", len(entries))
	}
	day := func(tm time.Time) string { return tm.Format("2006-01-02") }
	parse := func(layout, v string) string {
		tm, err := time.Parse(layout, strings.TrimSpace(html.UnescapeString(v)))
		if err != nil {
			t.Fatalf("date %q: %v", v, err)
		}
		return day(tm)
	}
	key := func(href, title string) string { return href + "|" + title }

	// The calendar.
	cal := map[string]string{}
	for _, m := range calRowRe.FindAllStringSubmatch(b.get("/calendar"), -1) {
		cal[key(html.UnescapeString(m[2]), html.UnescapeString(m[3]))] = parse("2 January 2006", m[1])
	}
	// The ICS feed, parsed with a real iCalendar library.
	page := b.post("/calendar/feed", nil)
	fm := dutyFeedRe.FindStringSubmatch(page)
	if fm == nil {
		t.Fatal("no feed address on the calendar page")
	}
	u, _ := url.Parse(html.UnescapeString(fm[1]))
	feed, err := ics.ParseCalendar(strings.NewReader(b.get(u.Path)))
	if err != nil {
		t.Fatal(err)
	}
	ical := map[string]string{}
	for _, ev := range feed.Events() {
		uid := ev.GetProperty(ics.ComponentPropertyUniqueId).Value
		if _, dup := ical[uid]; dup {
			t.Errorf("UID %s twice in the feed", uid)
		}
		ical[uid] = parse("20060102", ev.GetProperty(ics.ComponentPropertyDtStart).Value)
	}
	// The daily digest.
	d := &mail.Digest{Store: st, BaseURL: base}
	if _, err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	box, err := st.Outbox(ctx, senco, 10)
	if err != nil || len(box) == 0 {
		t.Fatalf("no digest in the outbox (%v)", err)
	}
	digest := map[string]string{}
	for _, m := range digestRe.FindAllStringSubmatch(box[0].Text, -1) {
		digest[key(strings.TrimPrefix(m[4], base), m[3])] = parse("Monday 2 January 2006", m[1])
	}

	pages := map[string]string{}
	seenKinds := map[string]bool{}
	var overdue, soon int
	for _, e := range entries {
		want := day(e.Due)
		k := key(e.Href, e.Title())
		seenKinds[strings.Split(e.Href, "/")[2]+" "+e.M.Key] = true
		if got := cal[k]; got != want {
			t.Errorf("%s: calendar shows %q, the duty is %s", k, got, want)
		}
		if got := ical[e.UID("127.0.0.1")]; got != want {
			t.Errorf("%s: feed shows %q, the duty is %s", k, got, want)
		}
		if e.DaysLeft <= mail.DigestWindow {
			if got := digest[k]; got != want {
				t.Errorf("%s: digest shows %q, the duty is %s", k, got, want)
			}
		}
		switch {
		case e.DaysLeft < 0:
			overdue++
		case e.DaysLeft <= 14:
			soon++
		}
		if _, ok := pages[e.Href]; !ok {
			pages[e.Href] = b.get(e.Href)
		}
		body := pages[e.Href]
		var got string
		switch {
		case e.Record == ehc.RecordAppeal:
			continue // an unopposed appeal: calendar, feed and digest only
		case strings.HasPrefix(e.Href, "/ehc/requests/") || strings.HasPrefix(e.Href, "/ehc/reviews/"):
			for _, m := range msRowRe.FindAllStringSubmatch(body, -1) {
				if m[1] == e.M.Key {
					got = parse("2 January 2006", m[2])
				}
			}
		case e.M.Key == "review-meeting":
			if m := reviewDueRe.FindStringSubmatch(body); m != nil {
				got = parse("2 January 2006", m[1])
			}
		case e.M.Key == "ctf-sent":
			if m := ctfDueRe.FindStringSubmatch(body); m != nil {
				got = parse("2 January 2006", m[1])
			}
		case e.M.Key == "phase-transfer":
			if m := transferRe.FindStringSubmatch(body); m != nil {
				got = parse("2 January 2006", m[1])
			}
		default:
			t.Errorf("%s on %s: no view of it to compare", e.M.Key, e.Href)
		}
		if got != want {
			t.Errorf("%s: its page %s shows %q, the duty is %s", e.Title(), e.Href, got, want)
		}
	}
	// The home page counts the same duties.
	home := map[string]int{}
	for _, m := range homeCountRe.FindAllStringSubmatch(b.get("/"), -1) {
		n, _ := strconv.Atoi(m[1])
		home[html.UnescapeString(m[2])] = n
	}
	if home["/calendar?when=overdue"] != overdue || home["/calendar?when=soon"] != soon {
		t.Errorf("home page: %d overdue, %d in 14 days; the duties: %d, %d", home["/calendar?when=overdue"], home["/calendar?when=soon"], overdue, soon)
	}
	for _, k := range []string{"requests final-plan", "reviews review-meeting", "plans review-meeting", "plans phase-transfer", "reviews phase-transfer"} {
		if !seenKinds[k] {
			t.Errorf("no open %s duty: the test did not compare it", k)
		}
	}
	// The two Year 6 pupils: the plan page's next review is the reg 18
	// limit, and the autumn review still carries the transfer.
	if got := reviewDueRe.FindStringSubmatch(pages[noReview]); got == nil || got[1] != "14 February 2027" {
		t.Errorf("Year 6 plan page: next review %v, want 14 February 2027 (before the reg 18 date)", got)
	}
	if !strings.Contains(pages[autumn], `data-milestone="phase-transfer"`) {
		t.Errorf("autumn review page %s lost the phase transfer after a decision to maintain", autumn)
	}
}

// yearSixScenario moves two demo plans without reviews into Year 6: one is
// left as it is; the other has its annual review held on 14 October 2026
// and the LA's decision (4 November) to maintain the plan. It returns the
// plan page of the first and the review page of the second.
func yearSixScenario(t *testing.T, st *store.Store, a sen.Actor) (planHref, reviewHref string) {
	t.Helper()
	ctx := context.Background()
	plans, err := st.Plans(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	meeting := time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)
	var picked []ehc.Plan
	for _, p := range plans {
		full, err := st.Plan(ctx, a, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Reviews) == 0 && full.Issued.Before(meeting.AddDate(0, 0, -14)) && full.ReviewDue().After(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
			picked = append(picked, full)
		}
	}
	if len(picked) < 2 {
		t.Fatalf("demo has %d plans to use", len(picked))
	}
	for _, p := range picked[:2] {
		pu, err := st.Pupil(ctx, a, p.PupilID, "test set-up")
		if err != nil {
			t.Fatal(err)
		}
		pu.YearGroup, pu.ClassName = "6", "6A"
		if err := st.UpdatePupil(ctx, a, &pu); err != nil {
			t.Fatal(err)
		}
	}
	saved := st.Now
	at := func(tm time.Time) { st.Now = func() time.Time { return tm.Add(10 * time.Hour) } }
	at(meeting.AddDate(0, 0, -14))
	id, err := st.StartReview(ctx, a, picked[1].ID, meeting, "primary")
	if err != nil {
		t.Fatal(err)
	}
	at(meeting)
	rv, err := st.Review(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveReviewRecord(ctx, a, id, ehc.ReviewRecord{Version: rv.Version, MeetingHeld: true}); err != nil {
		t.Fatal(err)
	}
	at(meeting.AddDate(0, 0, 21))
	if err := st.RecordReviewEvent(ctx, a, id, ehc.RvDecision, meeting.AddDate(0, 0, 21), "maintain"); err != nil {
		t.Fatal(err)
	}
	st.Now = saved
	return "/ehc/plans/" + strconv.FormatInt(picked[0].ID, 10), "/ehc/reviews/" + strconv.FormatInt(id, 10)
}

// browser is a signed-in client with the CSRF token of the last page.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) send(method, path string, v url.Values) string {
	b.t.Helper()
	var body io.Reader
	if v != nil {
		if b.csrf != "" {
			v.Set("csrf_token", b.csrf)
		}
		body = strings.NewReader(v.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if v != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer r.Body.Close()
	out, _ := io.ReadAll(r.Body)
	if r.StatusCode >= 400 {
		b.t.Fatalf("%s %s: %d", method, path, r.StatusCode)
	}
	if m := csrfRe.FindStringSubmatch(string(out)); m != nil {
		b.csrf = m[1]
	}
	return string(out)
}

func (b *browser) get(path string) string { return b.send(http.MethodGet, path, nil) }

func (b *browser) post(path string, v url.Values) string {
	if v == nil {
		v = url.Values{}
	}
	return b.send(http.MethodPost, path, v)
}

func (b *browser) login(email, password string) {
	b.post("/login", url.Values{"email": {email}, "password": {password}})
	b.get("/")
}
