package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"opensend/internal/exams"
	"opensend/internal/sen"
)

// The access-arrangements register and the invigilators' lists: lists of
// pupils, so each is audited as a list view with the pupils it lists.

// ExamFilter narrows the register.
type ExamFilter struct {
	Year     string // a year group; "" all
	Status   string // an exams.StatusOptions code (the status on today's date); "" all
	SeriesID int64  // arrangements for this series or for every series; 0 all
}

// ExamRegisterRow is one candidate on the register.
type ExamRegisterRow struct {
	Pupil        sen.Pupil
	Candidate    exams.Candidate
	Arrangements []exams.Arrangement
}

// ExamReminder is a reminder with its candidate.
type ExamReminder struct {
	Pupil sen.Pupil
	exams.Reminder
}

// ExamRegisterView is the register page: the filtered candidates and, over
// every candidate, the reminders for the next series (exams.Reminders).
type ExamRegisterView struct {
	Rows      []ExamRegisterRow
	Next      exams.Series
	HasNext   bool
	Series    []exams.Series
	Reminders []ExamReminder
}

// ExamRegister lists the school's candidates (pupils with a candidate
// record or an arrangement), with their arrangements, filtered, and the
// reminders for the next series. The view is audited with every pupil it
// names (listed or reminded).
func (s *Store) ExamRegister(ctx context.Context, a sen.Actor, f ExamFilter) (ExamRegisterView, error) {
	var v ExamRegisterView
	today := s.Today()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		school := a.User.SchoolID
		rows, err := tx.QueryContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.school_id = $1 AND `+teachesSQL("$2")+`
AND (EXISTS (SELECT 1 FROM exam_candidates c WHERE c.pupil_id = p.id) OR EXISTS (SELECT 1 FROM exam_arrangements x WHERE x.pupil_id = p.id))
ORDER BY p.surname, p.forename, p.id`, school, scopeUser(a))
		if err != nil {
			return err
		}
		var pupils []sen.Pupil
		for rows.Next() {
			var p sen.Pupil
			if err := scanPupil(rows, &p); err != nil {
				rows.Close()
				return err
			}
			pupils = append(pupils, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		arrs, err := arrangementsTx(ctx, tx, `x.school_id = $1`, school)
		if err != nil {
			return err
		}
		byPupil := map[int64][]exams.Arrangement{}
		for _, x := range arrs {
			byPupil[x.PupilID] = append(byPupil[x.PupilID], x)
		}
		if v.Series, err = examSeriesTx(ctx, tx, school); err != nil {
			return err
		}
		v.Next, v.HasNext = exams.NextSeries(v.Series, today)
		var ids []int64
		for _, p := range pupils {
			if v.HasNext {
				for _, r := range exams.Reminders(byPupil[p.ID], v.Next, today) {
					v.Reminders = append(v.Reminders, ExamReminder{Pupil: p, Reminder: r})
					ids = append(ids, p.ID)
				}
			}
			if f.Year != "" && p.YearGroup != f.Year {
				continue
			}
			var keep []exams.Arrangement
			for _, x := range byPupil[p.ID] {
				if f.SeriesID != 0 && x.SeriesID != 0 && x.SeriesID != f.SeriesID {
					continue
				}
				if f.Status != "" && x.Current(today) != f.Status {
					continue
				}
				keep = append(keep, x)
			}
			if (f.Status != "" || f.SeriesID != 0) && len(keep) == 0 {
				continue
			}
			c, err := examCandidateTx(ctx, tx, p.ID)
			if err != nil {
				return err
			}
			v.Rows = append(v.Rows, ExamRegisterRow{Pupil: p, Candidate: c, Arrangements: keep})
			ids = append(ids, p.ID)
		}
		return s.auditList(ctx, tx, a, "exams.register.list", "pupil", f.auditString(), ids)
	})
	return v, err
}

func (f ExamFilter) auditString() string {
	var parts []string
	if f.Year != "" {
		parts = append(parts, "year="+f.Year)
	}
	if f.Status != "" {
		parts = append(parts, "status="+f.Status)
	}
	if f.SeriesID != 0 {
		parts = append(parts, "series set")
	}
	return strings.Join(parts, " ")
}

// InvigilatorRow is one candidate at a sitting with the arrangements that
// apply to it and the room they sit in.
type InvigilatorRow struct {
	Pupil        sen.Pupil
	Candidate    string // candidate number
	Room         string
	Arrangements []exams.Arrangement
}

// InvigilatorList lists, for one sitting, every candidate with an
// arrangement that applies to it (exams.Arrangement.AppliesTo), by room
// (the arrangement's room, or the sitting's) and name. format names the
// output for the audit ("page", "pdf", "csv").
func (s *Store) InvigilatorList(ctx context.Context, a sen.Actor, sittingID int64, format string) (exams.Series, exams.Sitting, []InvigilatorRow, error) {
	var series exams.Series
	var sit exams.Sitting
	var out []InvigilatorRow
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		sit, err = scanSitting(tx.QueryRowContext(ctx, `SELECT `+sittingCols+` FROM exam_sittings WHERE id = $1 AND school_id = $2`, sittingID, a.User.SchoolID))
		if err != nil {
			return notFound(err)
		}
		if series, err = oneSeriesTx(ctx, tx, a.User.SchoolID, sit.SeriesID); err != nil {
			return err
		}
		arrs, err := arrangementsTx(ctx, tx, `x.school_id = $1`, a.User.SchoolID)
		if err != nil {
			return err
		}
		byPupil := map[int64][]exams.Arrangement{}
		var order []int64
		for _, x := range arrs {
			if !x.AppliesTo(sit) {
				continue
			}
			if _, ok := byPupil[x.PupilID]; !ok {
				order = append(order, x.PupilID)
			}
			byPupil[x.PupilID] = append(byPupil[x.PupilID], x)
		}
		for _, id := range order {
			p, err := s.pupilTx(ctx, tx, a, id)
			if err == sen.ErrNotFound {
				continue
			}
			if err != nil {
				return err
			}
			c, err := examCandidateTx(ctx, tx, id)
			if err != nil {
				return err
			}
			row := InvigilatorRow{Pupil: p, Candidate: c.CandidateNumber, Room: sit.Room, Arrangements: byPupil[id]}
			for _, x := range row.Arrangements {
				if strings.TrimSpace(x.Room) != "" {
					row.Room = x.Room
					break
				}
			}
			out = append(out, row)
		}
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Room != out[j].Room {
				return out[i].Room == sit.Room || out[j].Room != sit.Room && out[i].Room < out[j].Room
			}
			if out[i].Pupil.Surname != out[j].Pupil.Surname {
				return out[i].Pupil.Surname < out[j].Pupil.Surname
			}
			return out[i].Pupil.Forename < out[j].Pupil.Forename
		})
		ids := make([]int64, len(out))
		for i, r := range out {
			ids[i] = r.Pupil.ID
		}
		return s.auditList(ctx, tx, a, "exams.invigilators.list", "exam_sitting", format, ids)
	})
	return series, sit, out, err
}
