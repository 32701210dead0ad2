-- +goose Up
-- The school's type (schools.phase, now any ehc.SchoolTypes code) and its
-- age range, set on the settings page; the version detects two people
-- saving the settings at once. SEND Regs 2014 reg 18 follows from them.
ALTER TABLE schools ADD COLUMN lowest_year TEXT;
ALTER TABLE schools ADD COLUMN highest_year TEXT;
ALTER TABLE schools ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;
UPDATE schools SET phase = 'middle', lowest_year = '4', highest_year = '7' WHERE phase = 'middle-deemed-primary';

-- Each plan's next move (reg 18): staying, or moving to another institution
-- (its type and, once known, its name) on a date (NULL: 1 September).
CREATE TABLE ehc_next_moves (
  plan_id INTEGER PRIMARY KEY REFERENCES ehc_plans(id) ON DELETE CASCADE,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  choice TEXT NOT NULL,
  to_type TEXT NOT NULL DEFAULT '',
  to_name TEXT NOT NULL DEFAULT '',
  move_date DATE,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_next_moves_school ON ehc_next_moves(school_id);

-- Unopposed appeals (reg 45 as substituted by SI 2015/359 reg 8): the date
-- the LA told the Tribunal it will not oppose, on a request or a plan.
CREATE TABLE ehc_unopposed_appeals (
  id INTEGER PRIMARY KEY,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  request_id INTEGER REFERENCES ehc_requests(id) ON DELETE CASCADE,
  plan_id INTEGER REFERENCES ehc_plans(id) ON DELETE CASCADE,
  notified DATE NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX ehc_unopposed_appeals_school ON ehc_unopposed_appeals(school_id);

-- +goose Down
DROP TABLE ehc_unopposed_appeals;
DROP TABLE ehc_next_moves;
ALTER TABLE schools DROP COLUMN settings_version;
ALTER TABLE schools DROP COLUMN highest_year;
ALTER TABLE schools DROP COLUMN lowest_year;
