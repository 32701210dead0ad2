-- +goose Up
-- When the person last signed in (kept after they sign out, unlike their
-- sessions), and until when a temporary password set by a SENCO (create or
-- reset) may be used: NULL for a password the person chose. A temporary
-- password must be changed at first sign-in and works once.
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;
ALTER TABLE users ADD COLUMN temp_password_until TIMESTAMP;

-- +goose Down
ALTER TABLE users DROP COLUMN temp_password_until;
ALTER TABLE users DROP COLUMN last_login_at;
