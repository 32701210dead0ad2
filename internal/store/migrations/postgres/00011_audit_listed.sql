-- +goose Up
-- Which pupils a list view showed (the register, the pupil list and search,
-- the dashboards): one audit_log row for the view, one row here per pupil
-- listed, so each pupil's audit trail shows that they were listed. Append-only,
-- like the audit log.
CREATE TABLE audit_listed (
  audit_id BIGINT NOT NULL REFERENCES audit_log(id),
  pupil_id BIGINT NOT NULL,
  PRIMARY KEY (audit_id, pupil_id)
);
CREATE INDEX audit_listed_pupil ON audit_listed(pupil_id, audit_id);

CREATE TRIGGER audit_listed_no_update BEFORE UPDATE OR DELETE ON audit_listed
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_listed_no_truncate BEFORE TRUNCATE ON audit_listed
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_listed;
