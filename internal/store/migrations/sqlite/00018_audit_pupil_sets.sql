-- +goose Up
-- List views audited compactly. A list view (the register, the pupil list,
-- the dashboards) still writes one audit_log row per view, but the pupils it
-- listed are stored once per distinct set: audit_pupil_sets holds each set
-- a school's views have listed (named by a digest of its sorted pupil ids),
-- audit_pupil_set_members its pupils, and audit_view_sets links each view's
-- audit row to its set. A register of 500 pupils viewed a thousand times a
-- day is a thousand small rows, not half a million. Each pupil's trail still
-- shows every view that listed them (members by pupil, then the views of
-- those sets). audit_listed (00011) keeps the rows written before this
-- migration and is read as before; audit_listed_pupils is every
-- (view, pupil listed) pair from both. All append-only, like the audit log.
CREATE TABLE audit_pupil_sets (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  digest TEXT NOT NULL,
  size INTEGER NOT NULL,
  UNIQUE (school_id, digest)
);
CREATE TABLE audit_pupil_set_members (
  set_id INTEGER NOT NULL REFERENCES audit_pupil_sets(id),
  pupil_id INTEGER NOT NULL,
  PRIMARY KEY (set_id, pupil_id)
);
CREATE INDEX audit_pupil_set_members_pupil ON audit_pupil_set_members(pupil_id, set_id);
CREATE TABLE audit_view_sets (
  audit_id INTEGER NOT NULL PRIMARY KEY REFERENCES audit_log(id),
  set_id INTEGER NOT NULL REFERENCES audit_pupil_sets(id)
);
CREATE INDEX audit_view_sets_set ON audit_view_sets(set_id, audit_id);

CREATE VIEW audit_listed_pupils AS
  SELECT v.audit_id, m.pupil_id FROM audit_view_sets v JOIN audit_pupil_set_members m ON m.set_id = v.set_id
  UNION ALL
  SELECT audit_id, pupil_id FROM audit_listed;

-- +goose StatementBegin
CREATE TRIGGER audit_pupil_sets_no_update BEFORE UPDATE ON audit_pupil_sets
BEGIN SELECT RAISE(ABORT, 'audit_pupil_sets is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_pupil_sets_no_delete BEFORE DELETE ON audit_pupil_sets
BEGIN SELECT RAISE(ABORT, 'audit_pupil_sets is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_pupil_set_members_no_update BEFORE UPDATE ON audit_pupil_set_members
BEGIN SELECT RAISE(ABORT, 'audit_pupil_set_members is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_pupil_set_members_no_delete BEFORE DELETE ON audit_pupil_set_members
BEGIN SELECT RAISE(ABORT, 'audit_pupil_set_members is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_view_sets_no_update BEFORE UPDATE ON audit_view_sets
BEGIN SELECT RAISE(ABORT, 'audit_view_sets is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_view_sets_no_delete BEFORE DELETE ON audit_view_sets
BEGIN SELECT RAISE(ABORT, 'audit_view_sets is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP VIEW audit_listed_pupils;
DROP TABLE audit_view_sets;
DROP TABLE audit_pupil_set_members;
DROP TABLE audit_pupil_sets;
