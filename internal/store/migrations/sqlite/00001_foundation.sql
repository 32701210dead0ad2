-- +goose Up
-- OpenSEND foundation (issue 2): schools, staff, sessions, pupils, the SEN
-- register, teaching groups and the append-only audit log.
-- Dates are DATE ('YYYY-MM-DD'), instants are TIMESTAMP (UTC).

CREATE TABLE trusts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE schools (
  id INTEGER PRIMARY KEY,
  trust_id INTEGER REFERENCES trusts(id),
  name TEXT NOT NULL,
  urn TEXT NOT NULL DEFAULT '',
  la_code TEXT NOT NULL DEFAULT '',
  estab TEXT NOT NULL DEFAULT '',
  phase TEXT NOT NULL DEFAULT 'primary',
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMP,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_school ON users(school_id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE pupils (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  upn TEXT NOT NULL,
  forename TEXT NOT NULL,
  surname TEXT NOT NULL,
  dob DATE NOT NULL,
  sex TEXT NOT NULL,
  year_group TEXT NOT NULL,
  year_order INTEGER NOT NULL,
  class_name TEXT NOT NULL DEFAULT '',
  admission_date DATE,
  search_text TEXT NOT NULL,
  sen_status TEXT NOT NULL DEFAULT 'N',
  sen_status_from DATE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  UNIQUE (school_id, upn)
);
CREATE INDEX pupils_school_name ON pupils(school_id, surname, forename);
CREATE INDEX pupils_school_status ON pupils(school_id, sen_status);

CREATE TABLE pupil_needs (
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  need_code TEXT NOT NULL,
  area TEXT NOT NULL,
  PRIMARY KEY (pupil_id, rank),
  UNIQUE (pupil_id, need_code)
);
CREATE INDEX pupil_needs_code ON pupil_needs(need_code);

CREATE TABLE sen_status_history (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  start_date DATE NOT NULL,
  decided_by TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX sen_status_history_pupil ON sen_status_history(pupil_id, start_date);

CREATE TABLE teaching_groups (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'class',
  UNIQUE (school_id, name)
);

CREATE TABLE group_pupils (
  group_id INTEGER NOT NULL REFERENCES teaching_groups(id) ON DELETE CASCADE,
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, pupil_id)
);
CREATE INDEX group_pupils_pupil ON group_pupils(pupil_id);

CREATE TABLE group_staff (
  group_id INTEGER NOT NULL REFERENCES teaching_groups(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_staff_user ON group_staff(user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  school_id INTEGER,
  user_id INTEGER,
  user_name TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  entity_id INTEGER,
  pupil_id INTEGER,
  detail TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT '',
  at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_pupil ON audit_log(pupil_id, id);
CREATE INDEX audit_log_school ON audit_log(school_id, id);

-- The audit log is append-only: no row may be changed or removed.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE group_staff;
DROP TABLE group_pupils;
DROP TABLE teaching_groups;
DROP TABLE sen_status_history;
DROP TABLE pupil_needs;
DROP TABLE pupils;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE schools;
DROP TABLE trusts;
