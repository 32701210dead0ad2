package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
)

// The daily views' audited lists (the today page, a teacher's concerns, the
// guidance in "My pupils with SEN").
const (
	ViewToday      ListView = "today.list"        // GET /today
	ViewMyConcerns ListView = "concern.mine"      // GET /my-concerns
	ViewGuidance   ListView = "mypupils.guidance" // Section E outcomes in "My pupils with SEN"
)

// TodayFilter narrows the today page: a year group and class, and whose
// move a task is (deadline.OwnerSchool and the other owners; concerns and
// support-plan reviews are the school's). Within is how many days ahead the
// statutory dates reach (overdue ones are always shown).
type TodayFilter struct {
	YearGroup, ClassName, Owner string
	Within                      int
}

func (f TodayFilter) auditString() string {
	var parts []string
	for _, kv := range [][2]string{{"class", f.ClassName}, {"owner", f.Owner}, {"year", f.YearGroup}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	parts = append(parts, "within="+strconv.Itoa(f.Within))
	return truncate(strings.Join(parts, " "), 200)
}

// Place is where a pupil is in the school.
type Place struct{ YearGroup, ClassName string }

// Today is the today page: the SENCO dashboard's lists and the statutory
// calendar's dates, each for the pupils the filter keeps.
type Today struct {
	Concerns   []plans.Concern     // awaiting a decision, oldest first
	Reviews    []DashItem          // support-plan reviews overdue, then due in the next 14 days
	Monitoring []DashItem          // monitoring decisions due for review
	Dates      []ehc.CalendarEntry // open statutory dates, soonest first
	Places     map[int64]Place     // the year and class of every pupil listed
}

// TodayTasks builds the today page from the same computations as the SENCO
// dashboard (sencoDashTx) and the statutory calendar (StatutoryDates:
// statutoryDatesTx), sharing their cached views, keeps the tasks the filter
// asks for, and audits the view once, linked to every pupil it lists.
func (s *Store) TodayTasks(ctx context.Context, a sen.Actor, f TodayFilter) (Today, error) {
	var t Today
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := cachedView(ctx, s, tx, a, "senco-dashboard", "", func() (SencoDash, error) {
			return s.sencoDashTx(ctx, tx, a.User.SchoolID)
		})
		if err != nil {
			return err
		}
		dates, err := cachedView(ctx, s, tx, a, "statutory-dates", "", func() ([]ehc.CalendarEntry, error) {
			return s.statutoryDatesTx(ctx, tx, a)
		})
		if err != nil {
			return err
		}
		places, err := placesTx(ctx, tx, a)
		if err != nil {
			return err
		}
		t.Places = map[int64]Place{}
		var ids []int64
		keep := func(pupilID int64, owner string) bool {
			pl, ok := places[pupilID] // a pupil the actor may not see is never listed
			if !ok || (f.YearGroup != "" && pl.YearGroup != f.YearGroup) || (f.ClassName != "" && pl.ClassName != f.ClassName) ||
				(f.Owner != "" && f.Owner != owner) {
				return false
			}
			t.Places[pupilID] = pl
			ids = append(ids, pupilID)
			return true
		}
		for _, c := range d.Concerns {
			if keep(c.PupilID, deadline.OwnerSchool) {
				t.Concerns = append(t.Concerns, c)
			}
		}
		for _, l := range [][]DashItem{d.Overdue, d.DueSoon} {
			for _, it := range l {
				if keep(it.PupilID, deadline.OwnerSchool) {
					t.Reviews = append(t.Reviews, it)
				}
			}
		}
		for _, it := range d.Monitoring {
			if keep(it.PupilID, deadline.OwnerSchool) {
				t.Monitoring = append(t.Monitoring, it)
			}
		}
		for _, e := range dates {
			if e.DaysLeft <= f.Within && keep(e.PupilID, e.M.Owner) {
				t.Dates = append(t.Dates, e)
			}
		}
		ids = uniqueIDs(ids)
		return s.auditList(ctx, tx, a, string(ViewToday), "dashboard", fmt.Sprintf("rows=%d filter=%s", len(ids), f.auditString()), ids)
	})
	return t, err
}

// placesTx reads the year and class of every pupil the actor may see
// (leavers too: the only item a leaver has on the today page is their CTF
// duty, since every other source lists pupils on roll only).
func placesTx(ctx context.Context, q queryer, a sen.Actor) (map[int64]Place, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.year_group, p.class_name FROM pupils p WHERE p.school_id = $1 AND `+teachesSQL("$2"),
		a.User.SchoolID, scopeUser(a))
	if err != nil {
		return nil, fmt.Errorf("store: pupil places: %w", err)
	}
	defer rows.Close()
	out := map[int64]Place{}
	for rows.Next() {
		var id int64
		var pl Place
		if err := rows.Scan(&id, &pl.YearGroup, &pl.ClassName); err != nil {
			return nil, err
		}
		out[id] = pl
	}
	return out, rows.Err()
}

// RaisedConcern is a concern as the person who raised it sees it afterwards:
// who it was about, when, and what was decided and when. It carries none of
// what was written as evidence and none of the SENCO's reasons or notes.
type RaisedConcern struct {
	ID                   int64
	PupilID              int64
	PupilName            string
	YearGroup, ClassName string
	RaisedAt             time.Time
	Areas                []string
	Open                 bool
	Decision             plans.Decision
	DecidedAt            time.Time
	MonitorReview        time.Time // a "monitor" decision's review date
}

// MyConcerns lists the concerns the actor raised about pupils they may
// still see, newest first, and audits the view once, linked to each pupil.
func (s *Store) MyConcerns(ctx context.Context, a sen.Actor) ([]RaisedConcern, error) {
	var out []RaisedConcern
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.pupil_id, p.forename || ' ' || p.surname, p.year_group, p.class_name, c.raised_at, c.areas,
c.is_open, c.decision, c.decided_at, c.monitor_review
FROM concerns c JOIN pupils p ON p.id = c.pupil_id
WHERE c.school_id = $1 AND c.raised_by = $2 AND `+teachesSQL("$3")+` AND `+onRollSQL+` ORDER BY c.raised_at DESC, c.id DESC`,
			a.User.SchoolID, a.User.ID, scopeUser(a))
		if err != nil {
			return fmt.Errorf("store: my concerns: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var c RaisedConcern
			var raised, dec, mon dbTime
			var areas, decision string
			if err := rows.Scan(&c.ID, &c.PupilID, &c.PupilName, &c.YearGroup, &c.ClassName, &raised, &areas, &c.Open, &decision, &dec, &mon); err != nil {
				rows.Close()
				return err
			}
			c.RaisedAt, c.DecidedAt, c.MonitorReview = raised.T, dec.T, mon.T
			c.Decision = plans.Decision(decision)
			if areas != "" {
				c.Areas = strings.Split(areas, ",")
			}
			out = append(out, c)
			ids = append(ids, c.PupilID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditList(ctx, tx, a, string(ViewMyConcerns), "concern", fmt.Sprintf("rows=%d", len(out)), ids)
	})
	return out, err
}

// SectionEOutcomes reads the Section E outcomes of the active EHC plans of
// the given pupils that the actor may see (teachers and TAs: the pupils
// they teach), by pupil, and audits the read once, linked to each pupil
// whose outcomes were read.
func (s *Store) SectionEOutcomes(ctx context.Context, a sen.Actor, pupilIDs []int64) (map[int64][]ehc.Outcome, error) {
	out := map[int64][]ehc.Outcome{}
	ids := uniqueIDs(pupilIDs)
	if len(ids) == 0 {
		return out, nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		args := []any{a.User.SchoolID, scopeUser(a), true}
		var in strings.Builder
		for i, id := range ids {
			if i > 0 {
				in.WriteString(", ")
			}
			fmt.Fprintf(&in, "$%d", len(args)+1)
			args = append(args, id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT pl.pupil_id, o.id, o.text, o.by_when FROM ehc_outcomes o
JOIN ehc_plans pl ON pl.id = o.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE pl.school_id = $1 AND `+teachesSQL("$2")+` AND pl.active = $3 AND pl.pupil_id IN (`+in.String()+`) ORDER BY pl.pupil_id, o.id`, args...)
		if err != nil {
			return fmt.Errorf("store: section E outcomes: %w", err)
		}
		var read []int64
		for rows.Next() {
			var pid int64
			var o ehc.Outcome
			if err := rows.Scan(&pid, &o.ID, &o.Text, &o.ByWhen); err != nil {
				rows.Close()
				return err
			}
			out[pid] = append(out[pid], o)
			read = append(read, pid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		read = uniqueIDs(read)
		if len(read) == 0 {
			return nil
		}
		return s.auditList(ctx, tx, a, string(ViewGuidance), "ehc_plan", fmt.Sprintf("rows=%d", len(read)), read)
	})
	return out, err
}
