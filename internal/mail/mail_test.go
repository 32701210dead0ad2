package mail_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/mail"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// smtpServer is an in-process SMTP server that records what it receives.
type smtpServer struct {
	mu       sync.Mutex
	msgs     []received
	authed   []string
	refuseTo string
}

type received struct {
	From string
	To   []string
	Data string
}

type session struct {
	s   *smtpServer
	cur received
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "digest" || password != "s3cret" {
			return errors.New("bad credentials")
		}
		x.s.mu.Lock()
		x.s.authed = append(x.s.authed, username)
		x.s.mu.Unlock()
		return nil
	}), nil
}
func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.cur.From = from; return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.refuseTo != "" && to == x.s.refuseTo {
		return &smtp.SMTPError{Code: 550, Message: "mailbox unavailable"}
	}
	x.cur.To = append(x.cur.To, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.cur.Data = string(b)
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, x.cur)
	x.s.mu.Unlock()
	return nil
}
func (x *session) Reset()        { x.cur = received{} }
func (x *session) Logout() error { return nil }

func startSMTP(t *testing.T, be *smtpServer) (host string, port int) {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = nil
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	addr := l.Addr().(*net.TCPAddr)
	return "127.0.0.1", addr.Port
}

// seedDeadlines gives the fixture school an overdue request milestone and a
// review due within 14 days.
func seedDeadlines(t *testing.T, s *store.Store, f *storetest.Fixture) {
	t.Helper()
	ctx := context.Background()
	senco := f.Actor(sen.RoleSENCO)
	// Today is 23 November 2026. Received 1 October: 6 weeks = 12 November (overdue).
	r := &ehc.Request{PupilID: f.InClass.ID, RequestedBy: "parent", Received: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.CreateRequest(ctx, senco, r); err != nil {
		t.Fatal(err)
	}
}

func TestDigestHeldInOutboxWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.Seed(t, s, "x")
		seedDeadlines(t, s, f)
		d := &mail.Digest{Store: s, BaseURL: "https://send.example.org", Hour: 7}
		n, err := d.RunOnce(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("digests %d %v", n, err)
		}
		n, err = d.RunOnce(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second run the same day sent %d %v", n, err)
		}
		list, err := s.Outbox(context.Background(), f.Actor(sen.RoleSENCO), 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox %d %v", len(list), err)
		}
		m := list[0]
		if m.Status != store.OutboxHeld || m.To != f.Users[sen.RoleSENCO].Email || !strings.Contains(m.Subject, "1 overdue") {
			t.Fatalf("mail %+v", m)
		}
		for _, want := range []string{"OVERDUE", "Thursday 12 November 2026", "11 days overdue", "A.O.", "https://send.example.org/ehc/requests/"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("digest text lacks %q:\n%s", want, m.Text)
			}
		}
		if strings.Contains(m.Text, "Okafor") || strings.Contains(m.HTML, "Okafor") {
			t.Error("digest names the pupil")
		}
		// The next day it runs again.
		s.Now = storetest.FixedClock(time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC))
		if n, err := d.RunOnce(context.Background()); err != nil || n != 1 {
			t.Fatalf("next day %d %v", n, err)
		}
	})
}

func TestDigestSentThroughSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.Seed(t, s, "x")
		seedDeadlines(t, s, f)
		be := &smtpServer{}
		host, port := startSMTP(t, be)
		d := &mail.Digest{Store: s, BaseURL: "http://localhost:8080", Hour: 7,
			SMTP: mail.Config{Host: host, Port: port, User: "digest", Password: "s3cret", From: "opensend@school.example", TLS: "none"}}
		n, err := d.RunOnce(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("digests %d %v", n, err)
		}
		be.mu.Lock()
		defer be.mu.Unlock()
		if len(be.msgs) != 1 || len(be.authed) != 1 {
			t.Fatalf("server got %d messages, %d logins", len(be.msgs), len(be.authed))
		}
		got := be.msgs[0]
		if got.From != "opensend@school.example" || len(got.To) != 1 || got.To[0] != f.Users[sen.RoleSENCO].Email {
			t.Fatalf("envelope %+v", got)
		}
		for _, want := range []string{"Subject: OpenSEND: 1 overdue", "text/plain", "text/html", "A.O."} {
			if !strings.Contains(got.Data, want) {
				t.Errorf("message lacks %q", want)
			}
		}
		list, _ := s.Outbox(context.Background(), f.Actor(sen.RoleSENCO), 10)
		if len(list) != 1 || list[0].Status != store.OutboxSent || list[0].SentAt.IsZero() {
			t.Fatalf("outbox after send %+v", list)
		}
	})
}

func TestDigestSMTPFailureIsRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.Seed(t, s, "x")
		seedDeadlines(t, s, f)
		be := &smtpServer{refuseTo: f.Users[sen.RoleSENCO].Email}
		host, port := startSMTP(t, be)
		d := &mail.Digest{Store: s, Hour: 7, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SMTP: mail.Config{Host: host, Port: port, From: "opensend@school.example", TLS: "none"}}
		if _, err := d.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Outbox(context.Background(), f.Actor(sen.RoleSENCO), 10)
		if len(list) != 1 || list[0].Status != store.OutboxFailed || !strings.Contains(list[0].Error, "550") {
			t.Fatalf("outbox %+v", list)
		}
	})
}

func TestComposeDigestWindow(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	mk := func(days int) ehc.CalendarEntry {
		return ehc.CalendarEntry{Kind: ehc.KindReview, Href: "/x", Initials: "Z.Z.", DaysLeft: days, Due: today.AddDate(0, 0, days),
			M: deadline.Milestone{Label: "Review meeting held", Owner: "School"}}
	}
	if _, ok := mail.ComposeDigest("a@b", "A", "S", "", []ehc.CalendarEntry{mk(15)}, today); ok {
		t.Fatal("a date 15 days away is outside the 14-day digest")
	}
	m, ok := mail.ComposeDigest("a@b", "A", "S", "", []ehc.CalendarEntry{mk(14), mk(0), mk(-1)}, today)
	if !ok || !strings.Contains(m.Subject, "1 overdue, 2 due") || !strings.Contains(m.Text, "due today") || !strings.Contains(m.Text, "1 day overdue") {
		t.Fatalf("digest %q\n%s", m.Subject, m.Text)
	}
	if d := (&mail.Digest{Hour: 7}); d.Due(time.Date(2026, 6, 1, 5, 30, 0, 0, time.UTC)) || !d.Due(time.Date(2026, 6, 1, 6, 30, 0, 0, time.UTC)) {
		t.Fatal("digest hour is not reckoned in Europe/London (BST)")
	}
}

// TestComposeDigestDatesAndCounts (issue 11, "Dates people read"): the
// digest writes dates as people write them, never as YYYY-MM-DD (not even
// inside a milestone's label), and its counts agree with their nouns.
func TestComposeDigestDatesAndCounts(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	meeting := deadline.Date{Y: 2026, M: time.December, D: 14}
	ms := deadline.ReviewMilestones(deadline.ReviewFacts{PlanIssued: deadline.Date{Y: 2026, M: time.January, D: 20}, Meeting: &meeting})
	var entries []ehc.CalendarEntry
	for i, m := range ms {
		days := []int{-2, -1, 1, 2, 5}[i%5]
		entries = append(entries, ehc.CalendarEntry{Kind: ehc.KindReview, Href: "/x", Initials: "Z.Z.", DaysLeft: days, Due: today.AddDate(0, 0, days), M: m})
	}
	m, ok := mail.ComposeDigest("a@b", "A", "S", "", entries, today)
	if !ok {
		t.Fatal("no digest")
	}
	iso := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	bad := regexp.MustCompile(`\b1 (days|weeks|sessions|minutes|pupils)\b`)
	for _, s := range []string{m.Subject, m.Text, m.HTML} {
		if x := iso.FindString(s); x != "" {
			t.Errorf("digest shows the ISO date %s:\n%s", x, s)
		}
		if x := bad.FindString(s); x != "" {
			t.Errorf("digest shows %q:\n%s", x, s)
		}
	}
	for _, want := range []string{"1 day overdue", "2 days overdue", "due tomorrow", "2 days left", "14 December 2026"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest text has no %q:\n%s", want, m.Text)
		}
	}
}

// A review letter e-mailed through the outbox reaches the SMTP server with
// its PDF attached, and the outbox records it as sent; with no server the
// mail stays held. Both engines.
func TestDeliverOutboxWithAttachment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		cur, err := s.Pupil(ctx, senco, f.InClass.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordStatus(ctx, senco, f.InClass.ID, cur.Version, sen.StatusChange{Status: sen.StatusSupport, StartDate: s.Today(), DecidedBy: "test"}, []sen.Need{{Rank: 1, Code: "ASD"}}); err != nil {
			t.Fatal(err)
		}
		p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)}
		if err := s.CreatePlan(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
		rid, err := s.StartReview(ctx, senco, p.ID, s.Today().AddDate(0, 0, 30), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddInvitee(ctx, senco, rid, ehc.Invitee{Party: "parent", Name: "Mrs Okafor", Email: "okafor@home.example"}); err != nil {
			t.Fatal(err)
		}
		rv, _ := s.Review(ctx, senco, rid)
		pdf := []byte("%PDF-1.4 the letter")
		m := &store.OutboxMail{Subject: "Annual review meeting: letter from Test Academy", Text: "Dear Mrs Okafor,\n\nPlease find attached a letter.\n",
			Attachments: []store.OutboxAttachment{{Filename: "annual-review-letter.pdf", MIME: "application/pdf", Data: pdf}}}
		if err := s.EmailLetter(ctx, senco, rv.Invitees[0].ID, m); err != nil {
			t.Fatal(err)
		}
		if err := mail.DeliverOutbox(ctx, s, mail.Config{}, m.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.OutboxMailFor(ctx, senco, m.ID); got.Status != store.OutboxHeld {
			t.Fatalf("without SMTP: %q", got.Status)
		}
		be := &smtpServer{}
		host, port := startSMTP(t, be)
		if err := mail.DeliverOutbox(ctx, s, mail.Config{Host: host, Port: port, From: "opensend@school.example", TLS: "none"}, m.ID); err != nil {
			t.Fatal(err)
		}
		be.mu.Lock()
		defer be.mu.Unlock()
		if len(be.msgs) != 1 || be.msgs[0].To[0] != "okafor@home.example" {
			t.Fatalf("server got %+v", be.msgs)
		}
		data := strings.ReplaceAll(be.msgs[0].Data, "\r\n", "\n")
		for _, want := range []string{"Subject: Annual review meeting: letter from Test Academy", "multipart/mixed", `filename="annual-review-letter.pdf"`,
			"Content-Type: application/pdf", base64.StdEncoding.EncodeToString(pdf), "Dear Mrs Okafor"} {
			if !strings.Contains(data, want) {
				t.Errorf("message lacks %q:\n%s", want, data)
			}
		}
		if got, _ := s.OutboxMailFor(ctx, senco, m.ID); got.Status != store.OutboxSent || got.SentAt.IsZero() {
			t.Fatalf("after sending: %+v", got)
		}
	})
}
