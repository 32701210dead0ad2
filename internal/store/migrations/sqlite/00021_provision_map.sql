-- +goose Up
-- The provision map (issue 13): the school's library of provisions, staff
-- hourly costs, runs (groups) with their staff, slots and pupils, and the
-- session registers. Areas of need are stored as ",CI,SEMH," so a filter
-- by area is one LIKE. Money is in pence; on-costs in hundredths of a percent.
CREATE TABLE provisions (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  areas TEXT NOT NULL,
  wave TEXT NOT NULL,
  outcomes TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  evidence_url TEXT NOT NULL DEFAULT '',
  session_minutes INTEGER NOT NULL,
  sessions_per_week INTEGER NOT NULL,
  weeks INTEGER NOT NULL,
  group_size INTEGER NOT NULL,
  deliverer TEXT NOT NULL,
  service TEXT NOT NULL DEFAULT '',
  resources TEXT NOT NULL DEFAULT '',
  resource_pence INTEGER NOT NULL DEFAULT 0,
  measure TEXT NOT NULL DEFAULT '',
  scale TEXT NOT NULL,
  direction TEXT NOT NULL,
  confidential BOOLEAN NOT NULL DEFAULT FALSE,
  retired BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX provisions_school ON provisions(school_id, name);
CREATE TABLE provision_named_staff (
  provision_id INTEGER NOT NULL REFERENCES provisions(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (provision_id, user_id)
);
CREATE TABLE provision_rates (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  rate_key TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users(id),
  hourly_pence INTEGER NOT NULL,
  oncost_bp INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (school_id, rate_key)
);
CREATE TABLE provision_runs (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  provision_id INTEGER NOT NULL REFERENCES provisions(id),
  name TEXT NOT NULL,
  starts DATE NOT NULL,
  ends DATE,
  capacity INTEGER NOT NULL,
  one_to_one BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX provision_runs_provision ON provision_runs(provision_id);
CREATE INDEX provision_runs_school ON provision_runs(school_id, starts);
CREATE TABLE provision_run_staff (
  run_id INTEGER NOT NULL REFERENCES provision_runs(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (run_id, user_id)
);
CREATE INDEX provision_run_staff_user ON provision_run_staff(user_id, run_id);
CREATE TABLE provision_slots (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES provision_runs(id),
  weekday INTEGER NOT NULL,
  start_minute INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  place TEXT NOT NULL DEFAULT ''
);
CREATE INDEX provision_slots_run ON provision_slots(run_id);
CREATE TABLE provision_members (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES provision_runs(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  joined DATE NOT NULL,
  left_on DATE,
  entry_score INTEGER,
  exit_score INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (run_id, pupil_id)
);
CREATE INDEX provision_members_pupil ON provision_members(pupil_id);
CREATE TABLE provision_sessions (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES provision_runs(id),
  on_date DATE NOT NULL,
  delivered BOOLEAN NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  staff_minutes INTEGER NOT NULL DEFAULT 0,
  delivered_by INTEGER NOT NULL REFERENCES users(id),
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  recorded_at TIMESTAMP NOT NULL,
  UNIQUE (run_id, on_date)
);
CREATE TABLE provision_attendance (
  session_id INTEGER NOT NULL REFERENCES provision_sessions(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  present BOOLEAN NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (session_id, pupil_id)
);
CREATE INDEX provision_attendance_pupil ON provision_attendance(pupil_id);

-- +goose Down
DROP TABLE provision_attendance;
DROP TABLE provision_sessions;
DROP TABLE provision_members;
DROP TABLE provision_slots;
DROP TABLE provision_run_staff;
DROP TABLE provision_runs;
DROP TABLE provision_rates;
DROP TABLE provision_named_staff;
DROP TABLE provisions;
