-- +goose Up
-- Annual review letters that reach people (issue 12): the school's postal
-- address, phone and reply e-mail for the letterhead; the meeting's time and
-- place; an invitee's e-mail and postal address; each letter's sends (by
-- e-mail through the outbox, or printed for post); advice and reports
-- uploaded to a review and their circulation; files attached to an outbox
-- mail.
ALTER TABLE schools ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE schools ADD COLUMN reply_email TEXT NOT NULL DEFAULT '';
ALTER TABLE ehc_reviews ADD COLUMN meeting_time TEXT NOT NULL DEFAULT '';
ALTER TABLE ehc_reviews ADD COLUMN meeting_place TEXT NOT NULL DEFAULT '';
ALTER TABLE ehc_review_invitees ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE ehc_review_invitees ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE TABLE outbox_attachments (
  id INTEGER NOT NULL PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX outbox_attachments_mail ON outbox_attachments(outbox_id);
CREATE TABLE ehc_letter_sends (
  id INTEGER NOT NULL PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  invitee_id INTEGER NOT NULL REFERENCES ehc_review_invitees(id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
  sent_on DATE NOT NULL,
  sent_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_letter_sends_invitee ON ehc_letter_sends(invitee_id, id);
CREATE TABLE ehc_review_reports (
  id INTEGER NOT NULL PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  review_id INTEGER NOT NULL REFERENCES ehc_reviews(id) ON DELETE CASCADE,
  document_id TEXT NOT NULL REFERENCES ehc_documents(id),
  author TEXT NOT NULL,
  kind TEXT NOT NULL,
  received DATE NOT NULL,
  circulated DATE,
  circulated_to TEXT NOT NULL DEFAULT '',
  uploaded_by INTEGER REFERENCES users(id),
  uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_review_reports_review ON ehc_review_reports(review_id, id);

-- +goose Down
DROP TABLE ehc_review_reports;
DROP TABLE ehc_letter_sends;
DROP TABLE outbox_attachments;
ALTER TABLE ehc_review_invitees DROP COLUMN address;
ALTER TABLE ehc_review_invitees DROP COLUMN email;
ALTER TABLE ehc_reviews DROP COLUMN meeting_place;
ALTER TABLE ehc_reviews DROP COLUMN meeting_time;
ALTER TABLE schools DROP COLUMN reply_email;
ALTER TABLE schools DROP COLUMN phone;
ALTER TABLE schools DROP COLUMN postal_address;
