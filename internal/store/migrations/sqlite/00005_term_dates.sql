-- +goose Up
-- School holidays (the school's term dates) and a start date for each
-- Section F provision line: specified provision is only expected on school
-- days from the day the line starts.
CREATE TABLE school_holidays (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  label TEXT NOT NULL,
  starts DATE NOT NULL,
  ends DATE NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX school_holidays_school ON school_holidays(school_id, starts);

ALTER TABLE ehc_provision ADD COLUMN starts DATE;

-- +goose Down
ALTER TABLE ehc_provision DROP COLUMN starts;
DROP TABLE school_holidays;
