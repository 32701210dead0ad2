-- +goose Up
-- A per-school change counter: every audited write bumps it in the same
-- transaction (Store.audit), so a view computed from a school's data can be
-- cached under (school, version, day) and is never served stale.
CREATE TABLE school_versions (
  school_id INTEGER PRIMARY KEY REFERENCES schools(id),
  version INTEGER NOT NULL
);

-- +goose Down
DROP TABLE school_versions;
