-- +goose Up
-- The school's own SEN duties (issue 16): staff training and expertise, the
-- SENCO's qualification (SEND Regs 2014 reg 49), the SEN policy, the SEN
-- information report (CFA s69, Schedule 1), the accessibility plan and
-- pupils' reasonable adjustments (Equality Act 2010).
CREATE TABLE training_sessions (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  topic TEXT NOT NULL,
  session_date DATE NOT NULL,
  minutes INTEGER NOT NULL,
  led_by TEXT NOT NULL,
  need_code TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX training_sessions_school ON training_sessions(school_id, session_date);

CREATE TABLE training_attendees (
  session_id INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_attendees_user ON training_attendees(user_id);

CREATE TABLE staff_skills (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  need_code TEXT NOT NULL DEFAULT '',
  awarded DATE,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_skills_school ON staff_skills(school_id);

CREATE TABLE senco_posts (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  took_post DATE NOT NULL,
  prior_months INTEGER NOT NULL DEFAULT 0,
  qual TEXT NOT NULL DEFAULT '',
  qual_started DATE,
  qual_done DATE,
  left_post DATE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX senco_posts_school ON senco_posts(school_id);

CREATE TABLE sen_policy (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  next_review DATE,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sen_policy_files (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX sen_policy_files_school ON sen_policy_files(school_id, uploaded_at);

-- The report: one per school. slug is the public address's {school}, set
-- once (the URN, or the name) and unique across schools.
CREATE TABLE sen_info_reports (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  slug TEXT NOT NULL UNIQUE,
  published BOOLEAN NOT NULL DEFAULT FALSE,
  published_at TIMESTAMP,
  last_reviewed DATE,
  local_offer_url TEXT NOT NULL DEFAULT '',
  senco_contact TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sen_info_sections (
  school_id INTEGER NOT NULL REFERENCES schools(id),
  item TEXT NOT NULL,
  heading TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (school_id, item)
);

CREATE TABLE access_plans (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  starts DATE NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE access_actions (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  strand TEXT NOT NULL,
  what TEXT NOT NULL,
  owner TEXT NOT NULL,
  due DATE NOT NULL,
  progress TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX access_actions_school ON access_actions(school_id);

CREATE TABLE reasonable_adjustments (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  disability TEXT NOT NULL,
  what TEXT NOT NULL,
  from_date DATE NOT NULL,
  reviewed DATE,
  next_review DATE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX reasonable_adjustments_pupil ON reasonable_adjustments(pupil_id);
CREATE INDEX reasonable_adjustments_school ON reasonable_adjustments(school_id);

-- +goose Down
DROP TABLE reasonable_adjustments;
DROP TABLE access_actions;
DROP TABLE access_plans;
DROP TABLE sen_info_sections;
DROP TABLE sen_info_reports;
DROP TABLE sen_policy_files;
DROP TABLE sen_policy;
DROP TABLE senco_posts;
DROP TABLE staff_skills;
DROP TABLE training_attendees;
DROP TABLE training_sessions;
