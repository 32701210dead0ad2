-- +goose Up
-- Schema parity with PostgreSQL: SQLite lets a primary-key column that is not
-- a lone INTEGER PRIMARY KEY hold NULL unless it is declared NOT NULL, so
-- sessions.token_hash and ehc_documents.id accepted NULL here and not on
-- PostgreSQL. SQLite cannot add NOT NULL to a column, so both tables are
-- rebuilt with the same columns, rows and indexes. OpenSEND always writes
-- both keys, so no row changes.

CREATE TABLE sessions_new (
  token_hash TEXT NOT NULL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  last_seen_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
INSERT INTO sessions_new (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
  SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user ON sessions(user_id);

-- ehc_plans.document_id references ehc_documents ON DELETE SET NULL, and
-- dropping a table with foreign keys on deletes its rows first (running that
-- action), so the plans' links are kept aside and put back in the same
-- transaction.
CREATE TABLE ehc_plan_documents_00008 (
  plan_id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL
);
INSERT INTO ehc_plan_documents_00008 (plan_id, document_id)
  SELECT id, document_id FROM ehc_plans WHERE document_id IS NOT NULL;

CREATE TABLE ehc_documents_new (
  id TEXT NOT NULL PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  uploaded_by INTEGER REFERENCES users(id),
  uploaded_at TIMESTAMP NOT NULL
);
INSERT INTO ehc_documents_new (id, school_id, pupil_id, filename, content_type, size, data, uploaded_by, uploaded_at)
  SELECT id, school_id, pupil_id, filename, content_type, size, data, uploaded_by, uploaded_at FROM ehc_documents;
DROP TABLE ehc_documents;
ALTER TABLE ehc_documents_new RENAME TO ehc_documents;

UPDATE ehc_plans SET document_id = (SELECT k.document_id FROM ehc_plan_documents_00008 k WHERE k.plan_id = ehc_plans.id)
  WHERE id IN (SELECT plan_id FROM ehc_plan_documents_00008);
DROP TABLE ehc_plan_documents_00008;

-- +goose Down
-- Nothing to undo: NOT NULL on a primary key that never holds NULL.
SELECT 1;
