-- +goose Up
-- Schema parity with SQLite (see the SQLite migration of the same number):
-- there sessions.token_hash and ehc_documents.id become NOT NULL, which a
-- PostgreSQL primary key already is. Nothing to change here; the migration
-- exists so both engines have the same list of versions.
SELECT 1;

-- +goose Down
SELECT 1;
