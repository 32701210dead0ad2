package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/exams"
	"opensend/internal/sen"
)

// Exam access arrangements (issue 15): the school's criterion thresholds,
// its exam series and their sittings. The candidates' records are in
// exams_candidates.go, the register and the invigilators' lists in
// exams_lists.go.

// examThresholdsTx reads the school's thresholds, or the fact sheet's
// defaults (version 0) when the school has not changed them.
func examThresholdsTx(ctx context.Context, tx *sql.Tx, schoolID int64) (exams.Thresholds, error) {
	var t exams.Thresholds
	err := tx.QueryRowContext(ctx, `SELECT below_average, low_average, well_below, version FROM exam_settings WHERE school_id = $1`, schoolID).
		Scan(&t.BelowAverage, &t.LowAverage, &t.WellBelow, &t.Version)
	if err == sql.ErrNoRows {
		return exams.DefaultThresholds(), nil
	}
	return t, err
}

// ExamThresholds reads the school's criterion thresholds.
func (s *Store) ExamThresholds(ctx context.Context, a sen.Actor) (exams.Thresholds, error) {
	var t exams.Thresholds
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = examThresholdsTx(ctx, tx, a.User.SchoolID)
		return err
	})
	return t, err
}

// SaveExamThresholds changes the school's thresholds (t.Version as read; 0
// when the defaults were shown).
func (s *Store) SaveExamThresholds(ctx context.Context, a sen.Actor, t *exams.Thresholds) error {
	if fe := t.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		cur, err := examThresholdsTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		if cur.Version != t.Version {
			return exams.ErrChanged("setting")
		}
		if t.Version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO exam_settings (school_id, below_average, low_average, well_below, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6)`,
				a.User.SchoolID, t.BelowAverage, t.LowAverage, t.WellBelow, a.User.ID, s.now())
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE exam_settings SET below_average = $2, low_average = $3, well_below = $4, version = version + 1, updated_by = $5, updated_at = $6 WHERE school_id = $1`,
				a.User.SchoolID, t.BelowAverage, t.LowAverage, t.WellBelow, a.User.ID, s.now())
		}
		if err != nil {
			return err
		}
		t.Version++
		return s.audit(ctx, tx, a, "exams.settings.save", "exam_settings", a.User.SchoolID, 0,
			fmt.Sprintf("below average %d, low average %d, well below %d", t.BelowAverage, t.LowAverage, t.WellBelow))
	})
}

const seriesCols = `id, name, starts, ends, deadline, modified_papers, version`

func scanSeries(sc interface{ Scan(...any) error }) (exams.Series, error) {
	var x exams.Series
	var st, en, dl, mp dbTime
	err := sc.Scan(&x.ID, &x.Name, &st, &en, &dl, &mp, &x.Version)
	x.Starts, x.Ends, x.Deadline, x.ModifiedPapers = st.T, en.T, dl.T, mp.T
	return x, err
}

func examSeriesTx(ctx context.Context, q queryer, schoolID int64) ([]exams.Series, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+seriesCols+` FROM exam_series WHERE school_id = $1 ORDER BY starts, id`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exams.Series
	for rows.Next() {
		x, err := scanSeries(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// ExamSeries lists the school's exam series, earliest first.
func (s *Store) ExamSeries(ctx context.Context, a sen.Actor) ([]exams.Series, error) {
	return examSeriesTx(ctx, s.db, a.User.SchoolID)
}

func oneSeriesTx(ctx context.Context, tx *sql.Tx, schoolID, id int64) (exams.Series, error) {
	x, err := scanSeries(tx.QueryRowContext(ctx, `SELECT `+seriesCols+` FROM exam_series WHERE id = $1 AND school_id = $2`, id, schoolID))
	return x, notFound(err)
}

// ExamSeriesByID reads one of the school's series with its sittings.
func (s *Store) ExamSeriesByID(ctx context.Context, a sen.Actor, id int64) (exams.Series, []exams.Sitting, error) {
	var x exams.Series
	var sits []exams.Sitting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if x, err = oneSeriesTx(ctx, tx, a.User.SchoolID, id); err != nil {
			return err
		}
		sits, err = sittingsTx(ctx, tx, id)
		return err
	})
	return x, sits, err
}

// SaveExamSeries adds a series (x.ID 0) or changes one (x.Version as read).
func (s *Store) SaveExamSeries(ctx context.Context, a sen.Actor, x *exams.Series) error {
	if fe := x.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		detail := x.Name + ", applications by " + x.Deadline.Format("2006-01-02")
		if x.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO exam_series (school_id, name, starts, ends, deadline, modified_papers, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id`,
				a.User.SchoolID, x.Name, dateArg(x.Starts), dateArg(x.Ends), dateArg(x.Deadline), dateArg(x.ModifiedPapers), s.now()).Scan(&x.ID)
			if isUnique(err) {
				return exams.ErrSeriesNameTaken()
			}
			if err != nil {
				return err
			}
			x.Version = 1
			return s.audit(ctx, tx, a, "exams.series.add", "exam_series", x.ID, 0, detail)
		}
		if _, err := oneSeriesTx(ctx, tx, a.User.SchoolID, x.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE exam_series SET name = $4, starts = $5, ends = $6, deadline = $7, modified_papers = $8, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3`, x.ID, a.User.SchoolID, x.Version, x.Name, dateArg(x.Starts), dateArg(x.Ends), dateArg(x.Deadline), dateArg(x.ModifiedPapers))
		if isUnique(err) {
			return exams.ErrSeriesNameTaken()
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return exams.ErrChanged("exam series")
		}
		x.Version++
		return s.audit(ctx, tx, a, "exams.series.edit", "exam_series", x.ID, 0, detail)
	})
}

const sittingCols = `id, series_id, paper, sat_on, session, room, version`

func scanSitting(sc interface{ Scan(...any) error }) (exams.Sitting, error) {
	var x exams.Sitting
	var on dbTime
	err := sc.Scan(&x.ID, &x.SeriesID, &x.Paper, &on, &x.Session, &x.Room, &x.Version)
	x.On = on.T
	return x, err
}

func sittingsTx(ctx context.Context, tx *sql.Tx, seriesID int64) ([]exams.Sitting, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+sittingCols+` FROM exam_sittings WHERE series_id = $1 ORDER BY sat_on, session, paper, room, id`, seriesID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exams.Sitting
	for rows.Next() {
		x, err := scanSitting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AddExamSitting adds an exam paper in a room to one of the school's series.
func (s *Store) AddExamSitting(ctx context.Context, a sen.Actor, x *exams.Sitting) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		series, err := oneSeriesTx(ctx, tx, a.User.SchoolID, x.SeriesID)
		if err != nil {
			return err
		}
		if fe := x.Validate(series); len(fe) > 0 {
			return fe
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO exam_sittings (school_id, series_id, paper, sat_on, session, room, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id`,
			a.User.SchoolID, x.SeriesID, x.Paper, dateArg(x.On), x.Session, x.Room, s.now()).Scan(&x.ID); err != nil {
			return err
		}
		x.Version = 1
		return s.audit(ctx, tx, a, "exams.sitting.add", "exam_sitting", x.ID, 0, x.On.Format("2006-01-02")+" "+x.Session)
	})
}
