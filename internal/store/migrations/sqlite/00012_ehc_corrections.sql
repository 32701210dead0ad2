-- +goose Up
-- Corrections of EHC records entered by mistake (annual reviews: the meeting
-- once held, invitations and advice, the report, the LA's decision, the
-- amendments; needs-assessment requests: events and exceptions). Each row
-- keeps the original value, the new one (none when withdrawn), the reason,
-- who made the change and when. Values are stored as facts (a date, a code,
-- a note), never as sentences. Append-only: a correction is itself corrected
-- by another one.
CREATE TABLE ehc_corrections (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  subject TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  item TEXT NOT NULL,
  ref_id INTEGER NOT NULL DEFAULT 0,
  ref_name TEXT NOT NULL DEFAULT '',
  withdrawn BOOLEAN NOT NULL DEFAULT FALSE,
  old_date DATE,
  old_code TEXT NOT NULL DEFAULT '',
  old_note TEXT NOT NULL DEFAULT '',
  new_date DATE,
  new_code TEXT NOT NULL DEFAULT '',
  new_note TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  changed_by INTEGER REFERENCES users(id),
  changed_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_corrections_subject ON ehc_corrections(school_id, subject, subject_id, id);

-- The plan's last-amended date before a review's amended plan was recorded,
-- so withdrawing that amended plan puts the plan's date back.
ALTER TABLE ehc_reviews ADD COLUMN last_amended_before DATE;

-- +goose Down
ALTER TABLE ehc_reviews DROP COLUMN last_amended_before;
DROP TABLE ehc_corrections;
