-- +goose Up
-- Which pupils a list view showed (the register, the pupil list and search,
-- the dashboards): one audit_log row for the view, one row here per pupil
-- listed, so each pupil's audit trail shows that they were listed. Append-only,
-- like the audit log.
CREATE TABLE audit_listed (
  audit_id INTEGER NOT NULL REFERENCES audit_log(id),
  pupil_id INTEGER NOT NULL,
  PRIMARY KEY (audit_id, pupil_id)
);
CREATE INDEX audit_listed_pupil ON audit_listed(pupil_id, audit_id);

-- +goose StatementBegin
CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed
BEGIN SELECT RAISE(ABORT, 'audit_listed is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_listed_no_delete BEFORE DELETE ON audit_listed
BEGIN SELECT RAISE(ABORT, 'audit_listed is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_listed;
