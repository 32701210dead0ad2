-- +goose Up
-- OpenSEND EHC plans (issue 5): needs-assessment requests and their events
-- and exceptions, EHC plans with Sections B/E/F/I and the plan document,
-- Section F delivery records, annual reviews, the calendar feed tokens and
-- the e-mail outbox. Dates are DATE ('YYYY-MM-DD'); instants are TIMESTAMP.
-- Statutory deadlines are never stored: the deadline engine computes them
-- from the recorded dates every time.

CREATE TABLE ehc_requests (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  requested_by TEXT NOT NULL,
  received DATE NOT NULL,
  la_name TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_requests_school ON ehc_requests(school_id, received);
CREATE INDEX ehc_requests_pupil ON ehc_requests(pupil_id);

-- One row per event as it happened; the latest of each kind is the fact.
CREATE TABLE ehc_request_events (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES ehc_requests(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  event_date DATE NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_request_events_request ON ehc_request_events(request_id, event_date);

CREATE TABLE ehc_request_exceptions (
  request_id INTEGER NOT NULL REFERENCES ehc_requests(id) ON DELETE CASCADE,
  milestone TEXT NOT NULL,
  reason TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TIMESTAMP NOT NULL,
  PRIMARY KEY (request_id, milestone)
);

-- Uploaded documents are kept in the database, outside any web root, under
-- a random id; they are served only as attachments to authorised staff.
CREATE TABLE ehc_documents (
  id TEXT PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  uploaded_by INTEGER REFERENCES users(id),
  uploaded_at TIMESTAMP NOT NULL
);

CREATE TABLE ehc_plans (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  request_id INTEGER REFERENCES ehc_requests(id) ON DELETE SET NULL,
  la_name TEXT NOT NULL,
  case_officer TEXT NOT NULL DEFAULT '',
  issued DATE NOT NULL,
  last_amended DATE,
  last_reviewed DATE,
  placement TEXT NOT NULL DEFAULT '',
  document_id TEXT REFERENCES ehc_documents(id) ON DELETE SET NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_plans_school ON ehc_plans(school_id, active);
CREATE INDEX ehc_plans_pupil ON ehc_plans(pupil_id);

-- Section B (needs) and Section E (outcomes).
CREATE TABLE ehc_plan_needs (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
  area TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX ehc_plan_needs_plan ON ehc_plan_needs(plan_id);

CREATE TABLE ehc_outcomes (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  by_when TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ehc_outcomes_plan ON ehc_outcomes(plan_id);

-- Section F: what, how often (sessions per week), how long (minutes per
-- session), delivered by whom (a description, and the member of staff who
-- delivers it, which scopes what teachers and TAs see).
CREATE TABLE ehc_provision (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
  description TEXT NOT NULL,
  sessions_per_week INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  delivered_by TEXT NOT NULL DEFAULT '',
  staff_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX ehc_provision_plan ON ehc_provision(plan_id);
CREATE INDEX ehc_provision_staff ON ehc_provision(staff_user_id);

CREATE TABLE ehc_delivery (
  id INTEGER PRIMARY KEY,
  provision_id INTEGER NOT NULL REFERENCES ehc_provision(id) ON DELETE CASCADE,
  session_date DATE NOT NULL,
  minutes INTEGER NOT NULL DEFAULT 0,
  delivered_by TEXT NOT NULL DEFAULT '',
  missed BOOLEAN NOT NULL DEFAULT FALSE,
  missed_reason TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER REFERENCES users(id),
  recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_delivery_provision ON ehc_delivery(provision_id, session_date);

CREATE TABLE ehc_reviews (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
  last_review DATE,
  meeting DATE,
  meeting_held BOOLEAN NOT NULL DEFAULT FALSE,
  invites_sent DATE,
  advice_circulated DATE,
  report_sent DATE,
  decision DATE,
  outcome TEXT NOT NULL DEFAULT '',
  amendment_comments DATE,
  amended_issued DATE,
  attendance TEXT NOT NULL DEFAULT '',
  pupil_views TEXT NOT NULL DEFAULT '',
  parent_views TEXT NOT NULL DEFAULT '',
  amendments TEXT NOT NULL DEFAULT '',
  pfa TEXT NOT NULL DEFAULT '',
  completed BOOLEAN NOT NULL DEFAULT FALSE,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_reviews_plan ON ehc_reviews(plan_id);

CREATE TABLE ehc_review_invitees (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES ehc_reviews(id) ON DELETE CASCADE,
  party TEXT NOT NULL,
  name TEXT NOT NULL,
  invited DATE,
  advice_requested DATE,
  advice_received DATE,
  attended BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX ehc_review_invitees_review ON ehc_review_invitees(review_id);

CREATE TABLE ehc_review_progress (
  review_id INTEGER NOT NULL REFERENCES ehc_reviews(id) ON DELETE CASCADE,
  outcome_id INTEGER NOT NULL REFERENCES ehc_outcomes(id) ON DELETE CASCADE,
  rating TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (review_id, outcome_id)
);

-- Personal calendar feeds: only the SHA-256 of the secret URL token is kept.
CREATE TABLE calendar_feeds (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TIMESTAMP NOT NULL
);

-- Outgoing e-mail: every digest composed, sent by SMTP ('sent'), kept
-- because no SMTP server is configured ('held'), or failed ('failed').
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  day DATE NOT NULL,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  created_at TIMESTAMP NOT NULL,
  sent_at TIMESTAMP,
  UNIQUE (user_id, kind, day)
);
CREATE INDEX outbox_school ON outbox(school_id, id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE calendar_feeds;
DROP TABLE ehc_review_progress;
DROP TABLE ehc_review_invitees;
DROP TABLE ehc_reviews;
DROP TABLE ehc_delivery;
DROP TABLE ehc_provision;
DROP TABLE ehc_outcomes;
DROP TABLE ehc_plan_needs;
DROP TABLE ehc_plans;
DROP TABLE ehc_documents;
DROP TABLE ehc_request_exceptions;
DROP TABLE ehc_request_events;
DROP TABLE ehc_requests;
