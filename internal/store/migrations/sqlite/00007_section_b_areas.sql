-- +goose Up
-- EHC plan Section B needs used CL for "Communication and interaction" and
-- CI for "Cognition and learning", the reverse of the register's broad areas
-- (sen.BroadAreas: CI is Communication and interaction, CL is Cognition and
-- learning). Translate the stored rows to the register's codes.
UPDATE ehc_plan_needs SET area = CASE area WHEN 'CL' THEN 'CI' ELSE 'CL' END WHERE area IN ('CL', 'CI');

-- +goose Down
UPDATE ehc_plan_needs SET area = CASE area WHEN 'CL' THEN 'CI' ELSE 'CL' END WHERE area IN ('CL', 'CI');
