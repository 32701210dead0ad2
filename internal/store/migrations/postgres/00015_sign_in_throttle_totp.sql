-- +goose Up
-- Sign-in that resists attack without locking people out (issue "Daily use
-- without friction, sign-in that resists attack").
--
-- users.failed_logins now counts wrong passwords in a row from browsers that
-- have not signed in to the account before, and users.locked_until is when
-- the next such attempt may be made (a growing delay, never a lock the right
-- password cannot pass once it is over). failed_since_login is what the
-- person is told at their next sign-in. The authenticator-app (TOTP) secret
-- is totp_secret once confirmed (totp_pending while being set up);
-- totp_last_step stops a code being used twice; code_failures and
-- code_throttled_until slow guessing of codes.
ALTER TABLE users ADD COLUMN failed_since_login BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN code_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN code_throttled_until TIMESTAMPTZ;

-- The school requires the SENCO, deputy SENCO and SLT to use an
-- authenticator app.
ALTER TABLE schools ADD COLUMN require_two_factor BOOLEAN NOT NULL DEFAULT FALSE;

-- A session is 'code' until the second step of sign-in is done; it carries
-- how many failed attempts the person is told of.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN failed_attempts BIGINT NOT NULL DEFAULT 0;

-- Browsers that have signed in to an account: the hash of the long-lived
-- device cookie. Others' wrong passwords do not slow them; their own wrong
-- passwords have their own count.
CREATE TABLE known_devices (
  token_hash TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ NOT NULL,
  failures BIGINT NOT NULL DEFAULT 0,
  throttled_until TIMESTAMPTZ,
  PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX known_devices_user ON known_devices(user_id);

-- One-time recovery codes for someone without their authenticator app:
-- only their hashes.
CREATE TABLE recovery_codes (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at TIMESTAMPTZ,
  PRIMARY KEY (user_id, code_hash)
);

-- +goose Down
DROP TABLE recovery_codes;
DROP TABLE known_devices;
ALTER TABLE sessions DROP COLUMN failed_attempts;
ALTER TABLE sessions DROP COLUMN stage;
ALTER TABLE schools DROP COLUMN require_two_factor;
ALTER TABLE users DROP COLUMN code_throttled_until;
ALTER TABLE users DROP COLUMN code_failures;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_pending;
ALTER TABLE users DROP COLUMN totp_secret;
ALTER TABLE users DROP COLUMN last_failed_at;
ALTER TABLE users DROP COLUMN failed_since_login;
