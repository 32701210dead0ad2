package web

import (
	"context"
	"net/http"
	"time"

	"opensend/internal/mail"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// The outbox: every e-mail the app composed (the daily digest). With no
// SMTP server configured the mails are held here so the SENCO can read them.

type outboxPage struct {
	kit.Page
	Mails []store.OutboxMail
}

func (s *Server) outbox(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.Outbox(r.Context(), c.Actor, 100)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outbox", &outboxPage{Page: kit.Page{Title: "Outbox"}, Mails: list})
}

type outboxMailPage struct {
	kit.Page
	M store.OutboxMail
}

func (s *Server) outboxMail(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	m, err := s.st.OutboxMailFor(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outbox_mail", &outboxMailPage{Page: kit.Page{Title: m.Subject}, M: m})
}

// deliverMail sends one outbox mail (a review letter, circulated reports)
// by SMTP in the background, so the page that queued it answers at once;
// the outbox records whether it was sent.
func (s *Server) deliverMail(id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := mail.DeliverOutbox(ctx, s.st, s.cfg.SMTP, id); err != nil {
			s.log.Error("outbox delivery", "outbox_id", id, "err", err.Error())
		}
	}()
}
