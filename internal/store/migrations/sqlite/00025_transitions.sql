-- +goose Up
-- Leavers and the common transfer file (issue 15). pupils.left_on is set
-- while a pupil is off roll (the one "on roll" test is left_on IS NULL);
-- pupil_leavings keeps every leaving recorded, including those undone as a
-- mistake (undone_at set), with the CTF duty's due date and when the CTF
-- was sent; ctf_exports numbers the files sent to each destination (the
-- NNN of the DfE file name) and records who made them.
ALTER TABLE pupils ADD COLUMN left_on DATE;

CREATE TABLE pupil_leavings (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  left_on DATE NOT NULL,
  reason TEXT NOT NULL,
  dest_name TEXT NOT NULL DEFAULT '',
  dest_urn TEXT NOT NULL DEFAULT '',
  dest_laestab TEXT NOT NULL DEFAULT '',
  ctf_due DATE NOT NULL,
  ctf_sent_on DATE,
  ctf_sent_by INTEGER REFERENCES users(id),
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TIMESTAMP NOT NULL,
  undone_at TIMESTAMP,
  undone_by INTEGER REFERENCES users(id),
  undo_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX pupil_leavings_pupil ON pupil_leavings(pupil_id, id);
CREATE INDEX pupil_leavings_school ON pupil_leavings(school_id, left_on);

CREATE TABLE ctf_exports (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  dest_laestab TEXT NOT NULL,
  seq INTEGER NOT NULL,
  pupils INTEGER NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL,
  UNIQUE (school_id, dest_laestab, seq)
);

-- +goose Down
DROP TABLE ctf_exports;
DROP TABLE pupil_leavings;
ALTER TABLE pupils DROP COLUMN left_on;
