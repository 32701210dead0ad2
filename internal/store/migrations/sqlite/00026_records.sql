-- +goose Up
-- Records management (issue 17): the school's retention rules (a kind with
-- no row keeps the IRMS default, internal/records.Defaults), legal holds on
-- a pupil's records, and the disposal certificates that are all that remains
-- of disposed records. A certificate names the pupil only by reference
-- (records.PupilRef), never by name.
CREATE TABLE retention_rules (
  school_id INTEGER NOT NULL REFERENCES schools(id),
  kind TEXT NOT NULL,
  basis TEXT NOT NULL,
  years INTEGER NOT NULL,
  source TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by INTEGER REFERENCES users(id),
  updated_by_name TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (school_id, kind)
);

CREATE TABLE legal_holds (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  placed_by INTEGER REFERENCES users(id),
  placed_by_name TEXT NOT NULL,
  placed_at TIMESTAMP NOT NULL,
  lifted_by INTEGER REFERENCES users(id),
  lifted_by_name TEXT NOT NULL DEFAULT '',
  lifted_at TIMESTAMP,
  lift_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX legal_holds_pupil ON legal_holds(pupil_id, lifted_at);
-- At most one hold in force per pupil (two placed at once: the second fails).
CREATE UNIQUE INDEX legal_holds_active ON legal_holds(pupil_id) WHERE lifted_at IS NULL;
CREATE INDEX legal_holds_school ON legal_holds(school_id, lifted_at);

CREATE TABLE disposal_certificates (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  kind TEXT NOT NULL,
  pupil_ref TEXT NOT NULL,
  rule TEXT NOT NULL,
  source TEXT NOT NULL,
  due_date DATE NOT NULL,
  records INTEGER NOT NULL,
  documents INTEGER NOT NULL,
  disposed_by INTEGER REFERENCES users(id),
  disposed_by_name TEXT NOT NULL,
  disposed_at TIMESTAMP NOT NULL
);
CREATE INDEX disposal_certificates_school ON disposal_certificates(school_id, disposed_at);

-- +goose Down
DROP TABLE disposal_certificates;
DROP TABLE legal_holds;
DROP TABLE retention_rules;
