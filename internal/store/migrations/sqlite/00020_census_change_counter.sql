-- +goose Up
-- The school's change counter (school_versions) also moves when a pupil's
-- register entry or needs change by any route, including SQL run around the
-- application (an old MIS migration, a support fix): views computed from
-- them (the census problems on the home page, the register, the figures)
-- are cached under the counter and must never be served stale. The
-- application's own writes bump it as well (Store.audit); a second bump in
-- the same transaction only costs a cache miss.
-- +goose StatementBegin
CREATE TRIGGER pupils_change_counter_insert AFTER INSERT ON pupils
BEGIN
  INSERT INTO school_versions (school_id, version) VALUES (NEW.school_id, 1)
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pupils_change_counter_update AFTER UPDATE ON pupils
BEGIN
  INSERT INTO school_versions (school_id, version) VALUES (NEW.school_id, 1)
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
  INSERT INTO school_versions (school_id, version) SELECT id, 1 FROM schools WHERE id = OLD.school_id AND OLD.school_id <> NEW.school_id
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pupils_change_counter_delete AFTER DELETE ON pupils
BEGIN
  INSERT INTO school_versions (school_id, version) SELECT id, 1 FROM schools WHERE id = OLD.school_id
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pupil_needs_change_counter_insert AFTER INSERT ON pupil_needs
BEGIN
  INSERT INTO school_versions (school_id, version) SELECT school_id, 1 FROM pupils WHERE id = NEW.pupil_id
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pupil_needs_change_counter_update AFTER UPDATE ON pupil_needs
BEGIN
  INSERT INTO school_versions (school_id, version) SELECT school_id, 1 FROM pupils WHERE id IN (OLD.pupil_id, NEW.pupil_id)
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pupil_needs_change_counter_delete AFTER DELETE ON pupil_needs
BEGIN
  INSERT INTO school_versions (school_id, version) SELECT school_id, 1 FROM pupils WHERE id = OLD.pupil_id
    ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER pupil_needs_change_counter_delete;
DROP TRIGGER pupil_needs_change_counter_update;
DROP TRIGGER pupil_needs_change_counter_insert;
DROP TRIGGER pupils_change_counter_delete;
DROP TRIGGER pupils_change_counter_update;
DROP TRIGGER pupils_change_counter_insert;
