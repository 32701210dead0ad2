package web

import (
	"net/http"

	"opensend/internal/authz"
	"opensend/internal/store"
)

// The outbox: every e-mail the app composed (the daily digest). With no
// SMTP server configured the mails are held here so the SENCO can read them.

func init() {
	featureRoutes = append(featureRoutes, func(s *Server) []route {
		return []route{
			{"GET /outbox", authz.OutboxRead, s.outbox},
			{"GET /outbox/{id}", authz.OutboxRead, s.outboxMail},
		}
	})
	extraNav = append(extraNav, struct {
		href, label string
		action      authz.Action
	}{"/outbox", "Outbox", authz.OutboxRead})
}

type outboxPage struct {
	Page
	Mails []store.OutboxMail
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	list, err := s.st.Outbox(r.Context(), c.Actor, 100)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outbox", &outboxPage{Page: Page{Title: "Outbox"}, Mails: list})
}

type outboxMailPage struct {
	Page
	M store.OutboxMail
}

func (s *Server) outboxMail(w http.ResponseWriter, r *http.Request, c *reqCtx) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.st.OutboxMailFor(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outbox_mail", &outboxMailPage{Page: Page{Title: m.Subject}, M: m})
}
