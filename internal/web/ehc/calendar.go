package ehc

import (
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/ical"
	"opensend/internal/sen"
)

// The compliance calendar: every open statutory date across requests and
// plans, and a personal ICS feed at a secret, revocable URL.

type calGroup struct {
	ID, Title string
	Entries   []domain.CalendarEntry
}

type calendarPage struct {
	kit.Page
	Groups      []calGroup
	Kind, When  string
	Kinds       sen.Options
	Total       int
	CanFeed     bool
	FeedCreated string
	FeedURL     string
}

func (s *module) calendarPageFor(r *http.Request, c *kit.Ctx) (*calendarPage, error) {
	entries, err := s.st.StatutoryDates(r.Context(), c.Actor, "calendar")
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	p := &calendarPage{Page: kit.Page{Title: "Statutory calendar"}, Kind: q.Get("kind"), When: q.Get("when"), Kinds: domain.CalendarKinds, CanFeed: c.Can(authz.CalendarFeed)}
	if !domain.CalendarKinds.Has(p.Kind) {
		p.Kind = ""
	}
	groups := []calGroup{{ID: "overdue", Title: "Overdue"}, {ID: "week", Title: "This week"}, {ID: "month", Title: "This month"}, {ID: "later", Title: "Later"}}
	for _, e := range entries {
		if p.Kind != "" && e.Kind != p.Kind {
			continue
		}
		var g int
		switch {
		case e.Status == deadline.StatusOverdue || (e.DaysLeft < 0):
			g = 0
		case e.DaysLeft <= 7:
			g = 1
		case e.DaysLeft <= 31:
			g = 2
		default:
			g = 3
		}
		switch p.When {
		case "overdue":
			if g != 0 {
				continue
			}
		case "soon": // the digest's window: the next 14 days
			if e.DaysLeft < 0 || e.DaysLeft > deadline.DueSoonDays {
				continue
			}
		case "week":
			if g != 1 {
				continue
			}
		case "month":
			if g != 1 && g != 2 {
				continue
			}
		default:
			p.When = ""
		}
		groups[g].Entries = append(groups[g].Entries, e)
		p.Total++
	}
	for _, g := range groups {
		if len(g.Entries) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	if p.CanFeed {
		at, err := s.st.CalendarFeedCreated(r.Context(), c.Actor)
		if err != nil {
			return nil, err
		}
		if !at.IsZero() {
			p.FeedCreated = at.In(sen.London()).Format("2 January 2006")
		}
	}
	return p, nil
}

func (s *module) calendar(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p, err := s.calendarPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calendar", p)
}

// calendarFeedNew makes a new secret address (revoking any old one) and
// shows it once: only its hash is stored.
func (s *module) calendarFeedNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	tok, err := s.st.NewCalendarFeed(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	r.URL.RawQuery = ""
	p, err := s.calendarPageFor(r, c)
	if err != nil {
		return err
	}
	p.FeedURL = strings.TrimSuffix(s.k.BaseURL, "/") + "/calendar/feed/" + tok
	return s.render(w, r, http.StatusOK, "calendar", p)
}

func (s *module) calendarFeedRevoke(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := s.st.RevokeCalendarFeed(r.Context(), c.Actor); err != nil {
		return err
	}
	s.k.SetFlash(w, "feed-revoked")
	http.Redirect(w, r, "/calendar#feed", http.StatusSeeOther)
	return nil
}

// calendarFeed serves the ICS feed to a calendar client. The token is the
// only credential; a revoked token, a deactivated user or one whose role no
// longer allows the feed gets 404.
func (s *module) calendarFeed(w http.ResponseWriter, r *http.Request, _ *kit.Ctx) error {
	tok := strings.TrimSuffix(r.PathValue("token"), ".ics")
	u, err := s.st.UserByFeedToken(r.Context(), tok)
	if err != nil {
		return err
	}
	if !authz.Can(u.Role, authz.CalendarFeed) || !authz.Can(u.Role, authz.EHCRead) {
		return sen.ErrNotFound
	}
	a := sen.Actor{User: u, IP: kit.ClientIP(r)}
	entries, err := s.st.StatutoryDates(r.Context(), a, "ics feed")
	if err != nil {
		return err
	}
	sc, err := s.st.School(r.Context(), u.SchoolID)
	if err != nil {
		return err
	}
	body := ical.Feed(entries, sc.Name, s.k.BaseURL, s.st.Now())
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="opensend.ics"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, err = w.Write([]byte(body))
	return err
}
