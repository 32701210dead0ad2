-- +goose Up
-- Exam access arrangements (issue 15, JCQ AARA): the school's criterion
-- thresholds and exam series (dates and deadlines typed by the school each
-- year), the sittings invigilators work from, each candidate's Form 8 Part 1
-- details, the assessor's assessment and standardised scores, the
-- arrangements with their status, approval and expiry, and the normal way of
-- working evidence (teachers' statements and links to existing records).
CREATE TABLE exam_settings (
  school_id INTEGER NOT NULL PRIMARY KEY REFERENCES schools(id),
  below_average INTEGER NOT NULL,
  low_average INTEGER NOT NULL,
  well_below INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL
);

CREATE TABLE exam_series (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  starts DATE NOT NULL,
  ends DATE NOT NULL,
  deadline DATE NOT NULL,
  modified_papers DATE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (school_id, name)
);

CREATE TABLE exam_sittings (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  series_id INTEGER NOT NULL REFERENCES exam_series(id) ON DELETE CASCADE,
  paper TEXT NOT NULL,
  sat_on DATE NOT NULL,
  session TEXT NOT NULL,
  room TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_sittings_series ON exam_sittings(series_id, sat_on);

CREATE TABLE exam_candidates (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL UNIQUE REFERENCES pupils(id) ON DELETE CASCADE,
  candidate_number TEXT NOT NULL DEFAULT '',
  picture_of_need TEXT NOT NULL DEFAULT '',
  ehcp_confirms BOOLEAN NOT NULL DEFAULT FALSE,
  consent_on DATE,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_candidates_school ON exam_candidates(school_id);

CREATE TABLE exam_assessments (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL UNIQUE REFERENCES pupils(id) ON DELETE CASCADE,
  assessed_on DATE NOT NULL,
  assessor TEXT NOT NULL,
  qualification TEXT NOT NULL,
  checked_by TEXT NOT NULL DEFAULT '',
  checked_on DATE,
  findings TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_assessments_school ON exam_assessments(school_id);

CREATE TABLE exam_scores (
  id INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES exam_assessments(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  test_name TEXT NOT NULL,
  tested_on DATE NOT NULL,
  area TEXT NOT NULL,
  score INTEGER NOT NULL
);
CREATE INDEX exam_scores_assessment ON exam_scores(assessment_id, position);

CREATE TABLE exam_arrangements (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  approval_ref TEXT NOT NULL DEFAULT '',
  expires DATE,
  series_id INTEGER REFERENCES exam_series(id),
  exams TEXT NOT NULL DEFAULT '',
  room TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_arrangements_school ON exam_arrangements(school_id, status);
CREATE INDEX exam_arrangements_pupil ON exam_arrangements(pupil_id);

CREATE TABLE exam_normal (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  source_id INTEGER,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  on_date DATE NOT NULL,
  added_by INTEGER REFERENCES users(id),
  added_at TIMESTAMP NOT NULL,
  UNIQUE (pupil_id, kind, source_id)
);

-- +goose Down
DROP TABLE exam_normal;
DROP TABLE exam_arrangements;
DROP TABLE exam_scores;
DROP TABLE exam_assessments;
DROP TABLE exam_candidates;
DROP TABLE exam_sittings;
DROP TABLE exam_series;
DROP TABLE exam_settings;
