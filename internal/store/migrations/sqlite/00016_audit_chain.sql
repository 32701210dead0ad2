-- +goose Up
-- The audit log is tamper-evident: each row of a school carries its place in
-- the school's chain (seq, from 1), the hash of the row before it in that
-- chain (prev_hash, '' for the first) and its own hash: SHA-256 over a
-- canonical encoding of its fields and prev_hash (store/audit_chain.go).
-- audit_chain_head holds each chain's last seq and hash; a writer takes it
-- (one upsert, which locks the row on PostgreSQL) before appending, so two
-- transactions cannot fork a chain. Rows written before this migration are
-- chained once, on start (Store.Migrate), and that is the only UPDATE the
-- append-only trigger lets through: filling in the chain columns of a row
-- that has none, changing nothing else.
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_chain ON audit_log(school_id, seq);

CREATE TABLE audit_chain_head (
  school_id INTEGER PRIMARY KEY, -- 0: the rows with no school
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);

DROP TRIGGER audit_log_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.seq IS NULL OR NEW.prev_hash IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.school_id IS NOT OLD.school_id OR NEW.user_id IS NOT OLD.user_id
  OR NEW.user_name IS NOT OLD.user_name OR NEW.action IS NOT OLD.action OR NEW.entity IS NOT OLD.entity
  OR NEW.entity_id IS NOT OLD.entity_id OR NEW.pupil_id IS NOT OLD.pupil_id OR NEW.detail IS NOT OLD.detail
  OR NEW.ip IS NOT OLD.ip OR NEW.at IS NOT OLD.at
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
DROP TABLE audit_chain_head;
DROP INDEX audit_log_chain;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
ALTER TABLE audit_log DROP COLUMN seq;
