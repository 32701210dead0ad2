-- Run the app as a role that may add audit rows and read them, but may not
-- change, remove or empty them, nor alter the audit tables or their
-- triggers. Run as the role that owns the database and runs the migrations
-- (`opensend -db postgres://opensend_owner@… -migrate-only`), and again after
-- every upgrade (a migration may add tables). Create the role once first:
--   CREATE ROLE opensend_app LOGIN PASSWORD '…';
-- Then serve with -db postgres://opensend_app@…
GRANT USAGE ON SCHEMA public TO opensend_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO opensend_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO opensend_app;
-- The audit log and its list of pupils shown: add and read only.
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log, audit_listed FROM opensend_app;
-- The migrations' own record: read only (the app checks it at start).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON goose_db_version FROM opensend_app;
