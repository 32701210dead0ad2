-- +goose Up
-- The audit log is tamper-evident: each row of a school carries its place in
-- the school's chain (seq, from 1), the hash of the row before it in that
-- chain (prev_hash, '' for the first) and its own hash: SHA-256 over a
-- canonical encoding of its fields and prev_hash (store/audit_chain.go).
-- audit_chain_head holds each chain's last seq and hash; a writer takes it
-- (one upsert, which locks the row until the transaction ends) before
-- appending, so two transactions cannot fork a chain. Rows written before
-- this migration are chained once, on start (Store.Migrate), and that is the
-- only UPDATE the append-only trigger lets through: filling in the chain
-- columns of a row that has none, changing nothing else. docs/operations.md
-- gives the SQL to run the app as a role that may not UPDATE, DELETE or
-- TRUNCATE the audit tables at all.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_chain ON audit_log(school_id, seq);

CREATE TABLE audit_chain_head (
  school_id BIGINT PRIMARY KEY, -- 0: the rows with no school
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
     AND (NEW.id, NEW.school_id, NEW.user_id, NEW.user_name, NEW.action, NEW.entity, NEW.entity_id, NEW.pupil_id, NEW.detail, NEW.ip, NEW.at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.school_id, OLD.user_id, OLD.user_name, OLD.action, OLD.entity, OLD.entity_id, OLD.pupil_id, OLD.detail, OLD.ip, OLD.at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_guard();

-- +goose Down
DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
DROP FUNCTION audit_log_guard();
DROP TABLE audit_chain_head;
DROP INDEX audit_log_chain;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
ALTER TABLE audit_log DROP COLUMN seq;
