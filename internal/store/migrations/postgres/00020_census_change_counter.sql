-- +goose Up
-- The school's change counter (school_versions) also moves when a pupil's
-- register entry or needs change by any route, including SQL run around the
-- application (an old MIS migration, a support fix): views computed from
-- them (the census problems on the home page, the register, the figures)
-- are cached under the counter and must never be served stale. The
-- application's own writes bump it as well (Store.audit); a second bump in
-- the same transaction only costs a cache miss. Deferred to the commit, so
-- the counter's row is locked where the application locks it (after the
-- transaction's other writes), not at the first pupil row.
-- +goose StatementBegin
CREATE FUNCTION school_version_bump_pupils() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO school_versions (school_id, version) VALUES (NEW.school_id, 1)
      ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
  END IF;
  IF TG_OP = 'DELETE' OR OLD.school_id <> NEW.school_id THEN
    INSERT INTO school_versions (school_id, version) SELECT id, 1 FROM schools WHERE id = OLD.school_id
      ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
  END IF;
  RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION school_version_bump_needs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO school_versions (school_id, version) SELECT school_id, 1 FROM pupils WHERE id = NEW.pupil_id
      ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
  END IF;
  IF TG_OP = 'DELETE' OR OLD.pupil_id <> NEW.pupil_id THEN
    INSERT INTO school_versions (school_id, version) SELECT school_id, 1 FROM pupils WHERE id = OLD.pupil_id
      ON CONFLICT (school_id) DO UPDATE SET version = school_versions.version + 1;
  END IF;
  RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER pupils_change_counter AFTER INSERT OR UPDATE OR DELETE ON pupils
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION school_version_bump_pupils();
CREATE CONSTRAINT TRIGGER pupil_needs_change_counter AFTER INSERT OR UPDATE OR DELETE ON pupil_needs
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION school_version_bump_needs();

-- +goose Down
DROP TRIGGER pupil_needs_change_counter ON pupil_needs;
DROP TRIGGER pupils_change_counter ON pupils;
DROP FUNCTION school_version_bump_needs();
DROP FUNCTION school_version_bump_pupils();
