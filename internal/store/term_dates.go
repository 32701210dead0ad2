package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Holidays lists the school's holidays, earliest first.
func (s *Store) Holidays(ctx context.Context, a sen.Actor) ([]sen.Holiday, error) {
	var out []sen.Holiday
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = holidaysTx(ctx, tx, a.User.SchoolID)
		return err
	})
	return out, err
}

func holidaysTx(ctx context.Context, q queryer, schoolID int64) ([]sen.Holiday, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, label, starts, ends FROM school_holidays WHERE school_id = $1 ORDER BY starts, id`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.Holiday
	for rows.Next() {
		var h sen.Holiday
		var st, en dbTime
		if err := rows.Scan(&h.ID, &h.Label, &st, &en); err != nil {
			return nil, err
		}
		h.Starts, h.Ends = st.T, en.T
		out = append(out, h)
	}
	return out, rows.Err()
}

// AddHoliday records a holiday after checking it: a name, both dates, the
// last day not before the first, at most 10 weeks, and no overlap with a
// holiday already recorded.
func (s *Store) AddHoliday(ctx context.Context, a sen.Actor, h *sen.Holiday) error {
	h.Label = strings.TrimSpace(h.Label)
	if fe := h.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var other sen.Holiday
		var st, en dbTime
		err := tx.QueryRowContext(ctx, `SELECT label, starts, ends FROM school_holidays WHERE school_id = $1 AND starts <= $3 AND ends >= $2 ORDER BY starts LIMIT 1`,
			a.User.SchoolID, dateArg(h.Starts), dateArg(h.Ends)).Scan(&other.Label, &st, &en)
		switch {
		case err == nil:
			return sen.ErrHolidayOverlap(other.Label, st.T, en.T)
		case err != sql.ErrNoRows:
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO school_holidays (school_id, label, starts, ends, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			a.User.SchoolID, h.Label, dateArg(h.Starts), dateArg(h.Ends), s.now()).Scan(&h.ID); err != nil {
			return fmt.Errorf("store: holiday: %w", err)
		}
		return s.audit(ctx, tx, a, "term_dates.add", "school", a.User.SchoolID, 0, fmt.Sprintf("%s %s..%s", truncate(h.Label, 100), dateStr(h.Starts), dateStr(h.Ends)))
	})
}

// RemoveHoliday deletes one of the school's holidays.
func (s *Store) RemoveHoliday(ctx context.Context, a sen.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM school_holidays WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, a, "term_dates.remove", "school", a.User.SchoolID, 0, fmt.Sprintf("holiday=%d", id))
	})
}

// SchoolDays counts the days from first to last inclusive that are Monday
// to Friday and not in any of the holidays.
func SchoolDays(first, last time.Time, hols []sen.Holiday) int {
	n := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		closed := false
		for _, h := range hols {
			if !d.Before(h.Starts) && !d.After(h.Ends) {
				closed = true
				break
			}
		}
		if !closed {
			n++
		}
	}
	return n
}

// schoolCalendar answers SchoolDays for any span inside one period (an
// academic year) in constant time: cum[i] is the number of school days from
// the period's first day up to and including day i.
type schoolCalendar struct {
	from, to time.Time
	hols     []sen.Holiday
	cum      []int
}

func newSchoolCalendar(from, to time.Time, hols []sen.Holiday) *schoolCalendar {
	c := &schoolCalendar{from: from, to: to, hols: hols}
	n := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		n += SchoolDays(d, d, hols)
		c.cum = append(c.cum, n)
	}
	return c
}

// days is SchoolDays(first, last, hols), from the table when both ends are
// inside the period.
func (c *schoolCalendar) days(first, last time.Time) int {
	if last.Before(first) {
		return 0
	}
	if first.Before(c.from) || last.After(c.to) {
		return SchoolDays(first, last, c.hols)
	}
	i := int(first.Sub(c.from).Hours() / 24)
	j := int(last.Sub(c.from).Hours() / 24)
	n := c.cum[j]
	if i > 0 {
		n -= c.cum[i-1]
	}
	return n
}
