-- +goose Up
-- When and why an EHC plan stopped being maintained (ceased by the LA, the
-- pupil left the school or moved to another local authority). The plan is
-- kept, inactive, with its sections, delivery and reviews.
ALTER TABLE ehc_plans ADD COLUMN ended DATE;
ALTER TABLE ehc_plans ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ehc_plans DROP COLUMN end_reason;
ALTER TABLE ehc_plans DROP COLUMN ended;
