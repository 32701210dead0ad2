// Package mail composes OpenSEND's daily digest of statutory deadlines and
// sends it through an SMTP server (github.com/wneessen/go-mail). With no
// server configured every mail is kept in the outbox table, which the SENCO
// reads at /outbox, so a demo or a school without mail still shows them.
//
// Mail leaves the school's systems, so the digest names pupils by initials
// only and links back to the record in OpenSEND.
package mail

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"os"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// Config is the SMTP configuration. An empty Host means "no SMTP server":
// mails are held in the outbox.
type Config struct {
	Host     string
	Port     int
	User     string
	Password string // read from a file by the caller, never a flag value
	From     string
	// TLS: "mandatory" (default), "opportunistic" or "none" (for a local
	// relay on 127.0.0.1 only).
	TLS string
}

// ReadPassword reads an SMTP password from a file (trailing newline removed).
func ReadPassword(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("mail: password file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// Message is one composed e-mail.
type Message struct {
	To, Subject, Text, HTML string
	Attachments             []Attachment
}

// Attachment is a file a message carries (a letter's PDF).
type Attachment struct {
	Name, MIME string
	Data       []byte
}

// Send delivers m through the configured SMTP server.
func (c Config) Send(ctx context.Context, m Message) error {
	if c.Host == "" {
		return errors.New("mail: no SMTP server configured")
	}
	policy := gomail.TLSMandatory
	switch c.TLS {
	case "opportunistic":
		policy = gomail.TLSOpportunistic
	case "none":
		policy = gomail.NoTLS
	}
	port := c.Port
	if port == 0 {
		port = 587
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTLSPolicy(policy), gomail.WithTimeout(30 * time.Second)}
	if c.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	msg := gomail.NewMsg()
	if err := msg.From(c.From); err != nil {
		return fmt.Errorf("mail: from address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to address: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, at := range m.Attachments {
		if err := msg.AttachReader(at.Name, bytes.NewReader(at.Data), gomail.WithFileContentType(gomail.ContentType(at.MIME))); err != nil {
			return fmt.Errorf("mail: attachment: %w", err)
		}
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}

// DigestWindow is how far ahead the digest looks, in days.
const DigestWindow = 14

// The digest's two parts are embedded templates: digest.txt is plain text
// (text/template, no escaping), digest.html is escaped by html/template.
//
//go:embed templates/digest.txt
var digestText string

//go:embed templates/digest.html
var digestHTML string

var (
	textTmpl = texttemplate.Must(texttemplate.New("digest.txt").Parse(digestText))
	htmlTmpl = template.Must(template.New("digest.html").Parse(digestHTML))
)

// digestData is what the digest templates read.
type digestData struct {
	Name, School, Today string
	Overdue, Soon       []DigestLine
	Calendar            string
	Window              int
}

// DigestLine is one deadline in a digest.
type DigestLine struct {
	Due      string
	DaysText string
	What     string
	Who      string
	Initials string
	URL      string
}

// ComposeDigest builds the digest for one person from the open statutory
// dates: everything overdue and everything due in the next 14 days. ok is
// false when there is nothing to report.
func ComposeDigest(to, name, school, baseURL string, entries []ehc.CalendarEntry, today time.Time) (Message, bool) {
	var overdue, soon []DigestLine
	base := strings.TrimSuffix(baseURL, "/")
	for _, e := range entries {
		l := DigestLine{Due: e.Due.Format("Monday 2 January 2006"), What: e.Title(), Who: e.M.Owner, Initials: e.Initials, URL: base + e.Href}
		switch {
		case e.DaysLeft < 0:
			l.DaysText = sen.Count(-e.DaysLeft, "day", "days") + " overdue"
			if e.Status == deadline.StatusExcepted {
				l.DaysText += " (exception recorded)"
			}
			overdue = append(overdue, l)
		case e.DaysLeft <= DigestWindow:
			switch e.DaysLeft {
			case 0:
				l.DaysText = "due today"
			case 1:
				l.DaysText = "due tomorrow"
			default:
				l.DaysText = sen.Count(e.DaysLeft, "day", "days") + " left"
			}
			soon = append(soon, l)
		}
	}
	if len(overdue) == 0 && len(soon) == 0 {
		return Message{}, false
	}
	subject := fmt.Sprintf("OpenSEND: %d overdue, %d due in the next %s (%s)", len(overdue), len(soon), sen.Count(DigestWindow, "day", "days"), today.Format("2 January 2006"))
	data := digestData{Name: name, School: school, Today: today.Format("Monday 2 January 2006"), Overdue: overdue, Soon: soon,
		Calendar: base + "/calendar", Window: DigestWindow}
	var txt, htm bytes.Buffer
	if err := textTmpl.Execute(&txt, data); err != nil {
		panic(err) // templates are fixed and tested
	}
	if err := htmlTmpl.Execute(&htm, data); err != nil {
		panic(err)
	}
	return Message{To: to, Subject: subject, Text: txt.String(), HTML: htm.String()}, true
}

// Digest sends the daily digest to every school's SENCOs.
type Digest struct {
	Store   *store.Store
	SMTP    Config
	BaseURL string
	Hour    int              // local (Europe/London) hour to send at, 0-23
	Now     func() time.Time // the clock; defaults to the store's
	Log     *slog.Logger
}

// RunOnce composes (and, with SMTP, sends) today's digest for every SENCO.
// Each person gets at most one digest a day: a second run the same day
// does nothing. It returns the number of digests composed.
func (d *Digest) RunOnce(ctx context.Context) (int, error) {
	now := d.now()
	today := store.DateOf(now)
	users, err := d.Store.DigestRecipients(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	schools := map[int64]string{}
	for _, u := range users {
		if _, ok := schools[u.SchoolID]; !ok {
			sc, err := d.Store.School(ctx, u.SchoolID)
			if err != nil {
				return n, err
			}
			schools[u.SchoolID] = sc.Name
		}
		a := sen.Actor{User: u, IP: "digest"}
		entries, err := d.Store.StatutoryDates(ctx, a, "daily digest")
		if err != nil {
			return n, err
		}
		msg, ok := ComposeDigest(u.Email, u.Name, schools[u.SchoolID], d.BaseURL, entries, today)
		if !ok {
			continue
		}
		head, err := d.Store.AuditHead(ctx, u.SchoolID)
		if err != nil {
			return n, err
		}
		msg = WithAuditHead(msg, head, d.BaseURL)
		status := store.OutboxHeld
		if d.SMTP.Host != "" {
			status = "sending"
		}
		m := &store.OutboxMail{SchoolID: u.SchoolID, UserID: u.ID, Kind: "digest", Day: today, To: u.Email, Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML, Status: status}
		created, err := d.Store.AddOutbox(ctx, m)
		if err != nil {
			return n, err
		}
		if !created {
			continue
		}
		n++
		if d.SMTP.Host == "" {
			continue
		}
		if err := d.SMTP.Send(ctx, msg); err != nil {
			d.log().Warn("digest not sent", "user_id", u.ID, "err", err.Error())
			if err := d.Store.MarkOutbox(ctx, m.ID, store.OutboxFailed, err.Error()); err != nil {
				return n, err
			}
			continue
		}
		if err := d.Store.MarkOutbox(ctx, m.ID, store.OutboxSent, ""); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Due reports whether the digest should run at now: at or after Hour, local time.
func (d *Digest) Due(now time.Time) bool {
	return now.In(sen.London()).Hour() >= d.Hour
}

// Run checks every minute and runs the digest once a day from Hour
// onwards, until ctx ends. RunOnce is idempotent per day, so restarts and
// several instances do not send twice.
func (d *Digest) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var last time.Time
	for {
		now := d.now()
		if day := store.DateOf(now); !day.Equal(last) && d.Due(now) {
			if _, err := d.RunOnce(ctx); err != nil {
				d.log().Error("digest", "err", err.Error())
			} else {
				last = day
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (d *Digest) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return d.Store.Now()
}

func (d *Digest) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

// DeliverOutbox sends one mail of the outbox (with its attachments)
// through the SMTP server and records the result on it: sent, or failed
// with the server's answer. With no server configured it does nothing: the
// mail stays held in the outbox.
func DeliverOutbox(ctx context.Context, st *store.Store, c Config, id int64) error {
	if c.Host == "" {
		return nil
	}
	m, err := st.OutboxForDelivery(ctx, id)
	if err != nil {
		return err
	}
	msg := Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for _, at := range m.Attachments {
		msg.Attachments = append(msg.Attachments, Attachment{Name: at.Filename, MIME: at.MIME, Data: at.Data})
	}
	status, errText := store.OutboxSent, ""
	if err := c.Send(ctx, msg); err != nil {
		status, errText = store.OutboxFailed, err.Error()
	}
	return st.MarkOutbox(ctx, id, status, errText)
}
