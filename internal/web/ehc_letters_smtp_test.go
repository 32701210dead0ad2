package web_test

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"opensend/internal/ehc"
	"opensend/internal/mail"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

// relay is an in-process SMTP server that keeps what it receives.
type relay struct {
	mu   sync.Mutex
	to   []string
	data []string
}

type relaySession struct {
	r  *relay
	to string
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }
func (x *relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}
func (x *relaySession) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	x.r.mu.Lock()
	defer x.r.mu.Unlock()
	x.r.to, x.r.data = append(x.r.to, x.to), append(x.r.data, string(b))
	return nil
}
func (x *relaySession) Reset()        {}
func (x *relaySession) Logout() error { return nil }

// With an SMTP server configured, "Send by e-mail" hands the letter to it
// (through the kit's Deliver hook) with the PDF attached, and the outbox
// records it as sent. Both engines.
func TestEHCLetterSentBySMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		be := &relay{}
		srv := smtp.NewServer(be)
		srv.Domain, srv.AllowInsecureAuth = "localhost", true
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(l)
		t.Cleanup(func() { srv.Close() })
		a := newAppWith(t, st.Engine(), web.Config{BaseURL: "http://127.0.0.1",
			SMTP: mail.Config{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, From: "office@test.example", TLS: "none"}})
		rid := letterReview(t, a)
		ctx, senco := t.Context(), a.f.Actor(sen.RoleSENCO)
		if err := a.st.AddInvitee(ctx, senco, rid, ehc.Invitee{Party: "parent", Name: "Mrs Okafor", Email: "okafor@home.example"}); err != nil {
			t.Fatal(err)
		}
		rv, _ := a.st.Review(ctx, senco, rid)
		s := a.login(sen.RoleOffice)
		if r := s.post("/ehc/letters/"+itoa(rv.Invitees[0].ID)+"/email", url.Values{}); r.StatusCode != 303 {
			t.Fatalf("e-mail letter: %d", r.StatusCode)
		}
		var mails []store.OutboxMail
		for i := 0; i < 100; i++ {
			if mails, _ = a.st.Outbox(ctx, senco, 10); len(mails) == 1 && mails[0].Status != store.OutboxHeld {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if len(mails) != 1 || mails[0].Status != store.OutboxSent {
			t.Fatalf("outbox %+v", mails)
		}
		be.mu.Lock()
		defer be.mu.Unlock()
		if len(be.data) != 1 || be.to[0] != "okafor@home.example" {
			t.Fatalf("relay got %v", be.to)
		}
		for _, want := range []string{"Subject: Annual review meeting: letter from Test Academy", `filename="annual-review-letter.pdf"`, "application/pdf", "Dear Mrs Okafor"} {
			if !strings.Contains(be.data[0], want) {
				t.Errorf("message lacks %q", want)
			}
		}
	})
}
