package web

import (
	"errors"
	"net/http"
	"strings"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// Each person's active sessions (issue 17): where they are signed in (the
// browser and system, the address, when it was last seen), and ending any
// of them; the SENCO ends all of a staff member's from the Staff page.

type sessionsPage struct {
	kit.Page
	Sessions []sessionRow
}

type sessionRow struct {
	store.ActiveSession
	Device string
}

func (s *Server) accountSessions(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.ActiveSessions(r.Context(), c.Actor, c.Session.TokenHash, s.cfg.SessionIdle)
	if err != nil {
		return err
	}
	pg := &sessionsPage{Page: kit.Page{Title: "Where you are signed in"}}
	for _, x := range list {
		pg.Sessions = append(pg.Sessions, sessionRow{ActiveSession: x, Device: deviceName(x.UserAgent)})
	}
	return s.render(w, r, http.StatusOK, "account_sessions", pg)
}

func (s *Server) accountSessionEnd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	ref := r.PostFormValue("session")
	current := false
	if list, err := s.st.ActiveSessions(r.Context(), c.Actor, c.Session.TokenHash, s.cfg.SessionIdle); err == nil {
		for _, x := range list {
			current = current || (x.Current && x.Ref == ref)
		}
	}
	err := s.st.EndSession(r.Context(), c.Actor, ref)
	switch {
	case err == nil && current:
		http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
		s.k.SetFlash(w, "signed-out")
		http.Redirect(w, r, "/login?signed_out=1", http.StatusSeeOther)
		return nil
	case err == nil:
		s.k.SetFlash(w, "session-ended")
	case errors.Is(err, sen.ErrNotFound):
		s.k.SetFlash(w, "session-gone") // ended already, or it expired
	default:
		return err
	}
	http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
	return nil
}

func (s *Server) staffSessionsEnd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if _, err := s.st.EndStaffSessions(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "staff-sessions-ended")
	http.Redirect(w, r, staffPath(id), http.StatusSeeOther)
	return nil
}

// deviceName is a browser's User-Agent as people name it: "Firefox on
// Windows". Unknown parts read "A browser" and "an unknown system".
func deviceName(ua string) string {
	browser := "A browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Microsoft Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"CriOS/", "Chrome"}, {"FxiOS/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := "an unknown system"
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"CrOS", "ChromeOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	return browser + " on " + system
}
