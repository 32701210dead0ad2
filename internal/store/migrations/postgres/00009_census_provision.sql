-- +goose Up
-- Census SEN unit and resourced-provision indicators (statutory-facts.md
-- §2.4): the school says which provision types it has (recorded on GIAS);
-- each pupil's census items SENunitIndicator and ResourcedProvisionIndicator.
ALTER TABLE schools ADD COLUMN has_sen_unit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE schools ADD COLUMN has_resourced_provision BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pupils ADD COLUMN sen_unit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pupils ADD COLUMN resourced_provision BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE pupils DROP COLUMN resourced_provision;
ALTER TABLE pupils DROP COLUMN sen_unit;
ALTER TABLE schools DROP COLUMN has_resourced_provision;
ALTER TABLE schools DROP COLUMN has_sen_unit;
