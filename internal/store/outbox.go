package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"opensend/internal/sen"
)

// Outbox statuses.
const (
	OutboxHeld   = "held"   // no SMTP server configured: kept for reading in the app
	OutboxSent   = "sent"   // handed to the SMTP server
	OutboxFailed = "failed" // the SMTP server refused it or could not be reached
)

// OutboxMail is one composed e-mail.
type OutboxMail struct {
	ID        int64
	SchoolID  int64
	UserID    int64
	Kind      string
	Day       time.Time
	To        string
	Subject   string
	Text      string
	HTML      string
	Status    string
	Error     string
	CreatedAt time.Time
	SentAt    time.Time
	// Attachments are the files the mail carries (a review letter's PDF,
	// the reports circulated before a review meeting).
	Attachments []OutboxAttachment
}

// OutboxAttachment is one file attached to an outbox mail.
type OutboxAttachment struct {
	Filename string
	MIME     string
	Data     []byte
}

// insertOutboxTx stores a composed mail for no particular user (a letter
// to someone outside the school) with its attachments, inside tx.
func (s *Store) insertOutboxTx(ctx context.Context, tx *sql.Tx, m *OutboxMail) error {
	m.CreatedAt = s.now()
	if m.Status == "" {
		m.Status = OutboxHeld
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO outbox (school_id, user_id, kind, day, to_addr, subject, body_text, body_html, status, error, created_at)
VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, '', $9) RETURNING id`,
		m.SchoolID, m.Kind, dateArg(m.Day), m.To, m.Subject, m.Text, m.HTML, m.Status, m.CreatedAt).Scan(&m.ID); err != nil {
		return fmt.Errorf("store: outbox: %w", err)
	}
	for _, at := range m.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_attachments (outbox_id, filename, content_type, data) VALUES ($1, $2, $3, $4)`,
			m.ID, at.Filename, at.MIME, at.Data); err != nil {
			return fmt.Errorf("store: outbox attachment: %w", err)
		}
	}
	return nil
}

func outboxAttachmentsTx(ctx context.Context, q queryer, id int64) ([]OutboxAttachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT filename, content_type, data FROM outbox_attachments WHERE outbox_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxAttachment
	for rows.Next() {
		var at OutboxAttachment
		if err := rows.Scan(&at.Filename, &at.MIME, &at.Data); err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// OutboxForDelivery is one mail with its attachments, for the mailer to
// send (no person reads it: not audited).
func (s *Store) OutboxForDelivery(ctx context.Context, id int64) (OutboxMail, error) {
	var m OutboxMail
	if err := scanOutbox(s.db.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = $1`, id), &m); err != nil {
		return m, notFound(err)
	}
	var err error
	m.Attachments, err = outboxAttachmentsTx(ctx, s.db, id)
	return m, err
}

// DigestRecipients lists the active SENCOs of every school.
func (s *Store) DigestRecipients(ctx context.Context) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, school_id, email, name, role FROM users WHERE role = $1 AND active = $2 ORDER BY school_id, id`, string(sen.RoleSENCO), true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.User
	for rows.Next() {
		var u sen.User
		if err := rows.Scan(&u.ID, &u.SchoolID, &u.Email, &u.Name, &u.Role); err != nil {
			return nil, err
		}
		u.Active = true
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddOutbox stores a composed mail. Only one mail of a kind per user per
// day is kept: created is false (and nothing changes) if it already exists,
// so a restarted digest never sends twice.
func (s *Store) AddOutbox(ctx context.Context, m *OutboxMail) (created bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var uid any
		if m.UserID != 0 {
			uid = m.UserID
		}
		m.CreatedAt = s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO outbox (school_id, user_id, kind, day, to_addr, subject, body_text, body_html, status, error, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10) ON CONFLICT (user_id, kind, day) DO NOTHING RETURNING id`,
			m.SchoolID, uid, m.Kind, dateArg(m.Day), m.To, m.Subject, m.Text, m.HTML, m.Status, m.CreatedAt).Scan(&m.ID)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: outbox: %w", err)
		}
		created = true
		return s.audit(ctx, tx, sen.Actor{User: sen.User{Name: "mailer", SchoolID: m.SchoolID}}, "mail.compose", "outbox", m.ID, 0, "kind="+m.Kind)
	})
	return created, err
}

// MarkOutbox records the result of sending.
func (s *Store) MarkOutbox(ctx context.Context, id int64, status, errMsg string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var sent any
		if status == OutboxSent {
			sent = s.now()
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = $2, error = $3, sent_at = $4 WHERE id = $1`, id, status, truncate(errMsg, 500), sent)
		return err
	})
}

const outboxCols = `id, school_id, COALESCE(user_id, 0), kind, day, to_addr, subject, body_text, body_html, status, error, created_at, sent_at`

func scanOutbox(sc interface{ Scan(...any) error }, m *OutboxMail) error {
	var day, at, sent dbTime
	if err := sc.Scan(&m.ID, &m.SchoolID, &m.UserID, &m.Kind, &day, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Error, &at, &sent); err != nil {
		return err
	}
	m.Day, m.CreatedAt, m.SentAt = day.T, at.T, sent.T
	return nil
}

// Outbox lists the school's mails, newest first (the actor's own only,
// unless they are a SENCO or deputy who may read the school's outbox).
func (s *Store) Outbox(ctx context.Context, a sen.Actor, limit int) ([]OutboxMail, error) {
	var out []OutboxMail
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE school_id = $1 ORDER BY id DESC LIMIT $2`, a.User.SchoolID, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m OutboxMail
			if err := scanOutbox(rows, &m); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "outbox.list", "outbox", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// OutboxMailFor opens one mail of the actor's school, audited.
func (s *Store) OutboxMailFor(ctx context.Context, a sen.Actor, id int64) (OutboxMail, error) {
	var m OutboxMail
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID), &m); err != nil {
			return notFound(err)
		}
		var err error
		if m.Attachments, err = outboxAttachmentsTx(ctx, tx, id); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "outbox.read", "outbox", id, 0, "")
	})
	return m, err
}
