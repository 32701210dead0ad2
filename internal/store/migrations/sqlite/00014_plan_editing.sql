-- +goose Up
-- Editing plans (issue "Daily use without friction"): a school retires
-- entries of the strategies bank (its own or the shared ones) and edits its
-- own; a school's plan templates (outcomes, strategies and support to start
-- a plan from); and the amendments of an issued EHC plan's Sections B and E
-- (who, when, the old and new text).
ALTER TABLE strategy_bank ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE strategy_bank_retired (
  school_id INTEGER NOT NULL REFERENCES schools(id),
  bank_id INTEGER NOT NULL REFERENCES strategy_bank(id),
  retired_by INTEGER REFERENCES users(id),
  retired_at TIMESTAMP NOT NULL,
  PRIMARY KEY (school_id, bank_id)
);

CREATE TABLE plan_templates (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX plan_templates_name ON plan_templates(school_id, name);

CREATE TABLE plan_template_items (
  id INTEGER PRIMARY KEY,
  template_id INTEGER NOT NULL REFERENCES plan_templates(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  success_criteria TEXT NOT NULL DEFAULT '',
  bank_id INTEGER REFERENCES strategy_bank(id),
  who TEXT NOT NULL DEFAULT '',
  frequency TEXT NOT NULL DEFAULT '',
  duration TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_template_items_template ON plan_template_items(template_id, position);

CREATE TABLE ehc_plan_amendments (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES ehc_plans(id) ON DELETE CASCADE,
  section TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  amended_by INTEGER REFERENCES users(id),
  amended_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_plan_amendments_plan ON ehc_plan_amendments(plan_id);

-- +goose Down
DROP TABLE ehc_plan_amendments;
DROP TABLE plan_template_items;
DROP TABLE plan_templates;
DROP TABLE strategy_bank_retired;
ALTER TABLE strategy_bank DROP COLUMN version;
