-- +goose Up
-- The people around a pupil (issue 14). pupil_contacts are the pupil's
-- parents, carers and others, each its own record so that a later parent
-- account can be linked to one contact (and inherit its restriction);
-- contact_log is the log of calls, e-mails, letters and meetings, whose
-- meetings with a contact count toward CoP 6.65's three meetings a year;
-- key_adults names each pupil's first port of call; agencies is the school's
-- directory of outside services; referrals and referral_changes are
-- referrals to them and every change of their status.
CREATE TABLE pupil_contacts (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  parental_resp BOOLEAN NOT NULL DEFAULT FALSE,
  lives_with BOOLEAN NOT NULL DEFAULT FALSE,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  preferred_way TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  interpreter BOOLEAN NOT NULL DEFAULT FALSE,
  restricted BOOLEAN NOT NULL DEFAULT FALSE,
  restriction TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX pupil_contacts_pupil ON pupil_contacts(pupil_id, id);
CREATE INDEX pupil_contacts_school ON pupil_contacts(school_id);
CREATE TABLE contact_log (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  entry_date DATE NOT NULL,
  contact_id INTEGER REFERENCES pupil_contacts(id) ON DELETE SET NULL,
  with_text TEXT NOT NULL DEFAULT '',
  staff_id INTEGER REFERENCES users(id),
  summary TEXT NOT NULL,
  follow_up TEXT NOT NULL DEFAULT '',
  follow_up_due DATE,
  follow_up_done BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contact_log_pupil ON contact_log(pupil_id, entry_date);
CREATE INDEX contact_log_meetings ON contact_log(school_id, kind, entry_date);
CREATE INDEX contact_log_follow_ups ON contact_log(school_id, follow_up_done, follow_up_due);
CREATE TABLE key_adults (
  pupil_id INTEGER NOT NULL PRIMARY KEY REFERENCES pupils(id) ON DELETE CASCADE,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX key_adults_user ON key_adults(user_id);
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  contact_person TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  wait_weeks INTEGER NOT NULL,
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (school_id, name)
);
CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  reason TEXT NOT NULL,
  consent BOOLEAN NOT NULL DEFAULT FALSE,
  consent_by TEXT NOT NULL DEFAULT '',
  consent_date DATE,
  status TEXT NOT NULL,
  referred_on DATE,
  seen_on DATE,
  next_appointment DATE,
  outcome TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at TIMESTAMP NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_school ON referrals(school_id, status);
CREATE INDEX referrals_pupil ON referrals(pupil_id);
CREATE TABLE referral_changes (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  change_date DATE NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  at TIMESTAMP NOT NULL
);
CREATE INDEX referral_changes_referral ON referral_changes(referral_id, id);

-- +goose Down
DROP TABLE referral_changes;
DROP TABLE referrals;
DROP TABLE agencies;
DROP TABLE key_adults;
DROP TABLE contact_log;
DROP TABLE pupil_contacts;
