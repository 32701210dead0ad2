package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"opensend/internal/schoolsen"
	"opensend/internal/sen"
)

// The school's own SEN duties (issue 16): staff training and expertise and
// the SENCO's qualification. Reports, policy and the Equality Act duties are
// in schoolsen_report.go. None of it is pupil data except the training
// needs (counts of pupils per teacher and need, no names) and the
// reasonable adjustments.

// schoolUser reports whether userID is a member of staff of the school.
func schoolUser(ctx context.Context, tx *sql.Tx, schoolID, userID int64) (string, bool, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1 AND school_id = $2`, userID, schoolID).Scan(&name)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	return name, err == nil, err
}

// changed checks an UPDATE ... AND version = $n touched its row: none means
// the row is gone (not found) or someone else saved it first (conflict).
func changed(ctx context.Context, tx *sql.Tx, res sql.Result, existsSQL string, args []any, conflict error) error {
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	var one int
	if err := tx.QueryRowContext(ctx, existsSQL, args...).Scan(&one); err != nil {
		return notFound(err)
	}
	return conflict
}

const sessionCols = `id, topic, session_date, minutes, led_by, need_code, version`

func scanSession(sc interface{ Scan(...any) error }) (schoolsen.Session, error) {
	var s schoolsen.Session
	var d dbTime
	err := sc.Scan(&s.ID, &s.Topic, &d, &s.Minutes, &s.LedBy, &s.Need, &s.Version)
	s.Date = d.T
	return s, err
}

// attendeesTx fills the sessions' attendees and their names.
func attendeesTx(ctx context.Context, tx *sql.Tx, schoolID int64, ss []schoolsen.Session) error {
	idx := map[int64]int{}
	for i, s := range ss {
		idx[s.ID] = i
	}
	rows, err := tx.QueryContext(ctx, `SELECT ta.session_id, u.id, u.name FROM training_attendees ta JOIN training_sessions ts ON ts.id = ta.session_id
JOIN users u ON u.id = ta.user_id WHERE ts.school_id = $1 ORDER BY u.name, u.id`, schoolID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, uid int64
		var name string
		if err := rows.Scan(&sid, &uid, &name); err != nil {
			return err
		}
		if i, ok := idx[sid]; ok {
			ss[i].Attendees = append(ss[i].Attendees, uid)
			ss[i].Names = append(ss[i].Names, name)
		}
	}
	return rows.Err()
}

// TrainingSessions lists the school's training sessions, newest first,
// with who attended, and audits the read.
func (s *Store) TrainingSessions(ctx context.Context, a sen.Actor) ([]schoolsen.Session, error) {
	var out []schoolsen.Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = trainingSessionsTx(ctx, tx, a.User.SchoolID, 0)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "training.list", "school", a.User.SchoolID, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// trainingSessionsTx lists the school's sessions; attendee limits them to those one
// person attended (0: all).
func trainingSessionsTx(ctx context.Context, tx *sql.Tx, schoolID, attendee int64) ([]schoolsen.Session, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+sessionCols+` FROM training_sessions ts WHERE school_id = $1
AND ($2 = 0 OR EXISTS (SELECT 1 FROM training_attendees ta WHERE ta.session_id = ts.id AND ta.user_id = $2))
ORDER BY session_date DESC, id DESC`, schoolID, attendee)
	if err != nil {
		return nil, err
	}
	var out []schoolsen.Session
	for rows.Next() {
		ss, err := scanSession(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, ss)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, attendeesTx(ctx, tx, schoolID, out)
}

// TrainingSession opens one session of the school.
func (s *Store) TrainingSession(ctx context.Context, a sen.Actor, id int64) (schoolsen.Session, error) {
	var out schoolsen.Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM training_sessions WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID))
		if err != nil {
			return notFound(err)
		}
		one := []schoolsen.Session{out}
		if err := attendeesTx(ctx, tx, a.User.SchoolID, one); err != nil {
			return err
		}
		out = one[0]
		return s.auditRead(ctx, tx, a, "training.read", "training_session", id, 0, "")
	})
	return out, err
}

// SaveTrainingSession records a new session (ID 0) or changes one whose
// Version is the one read; its attendees are replaced by ss.Attendees,
// each of whom must be staff of the school.
func (s *Store) SaveTrainingSession(ctx context.Context, a sen.Actor, ss *schoolsen.Session) error {
	if fe := ss.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		action := "training.update"
		if ss.ID == 0 {
			action = "training.create"
			if err := tx.QueryRowContext(ctx, `INSERT INTO training_sessions (school_id, topic, session_date, minutes, led_by, need_code, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id`, a.User.SchoolID, ss.Topic, dateArg(ss.Date), ss.Minutes, ss.LedBy, ss.Need, s.now()).Scan(&ss.ID); err != nil {
				return fmt.Errorf("store: training session: %w", err)
			}
			ss.Version = 1
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE training_sessions SET topic = $4, session_date = $5, minutes = $6, led_by = $7, need_code = $8, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3`, ss.ID, a.User.SchoolID, ss.Version, ss.Topic, dateArg(ss.Date), ss.Minutes, ss.LedBy, ss.Need)
			if err != nil {
				return err
			}
			if err := changed(ctx, tx, res, `SELECT 1 FROM training_sessions WHERE id = $1 AND school_id = $2`, []any{ss.ID, a.User.SchoolID}, schoolsen.ErrSessionChanged()); err != nil {
				return err
			}
			ss.Version++
			if _, err := tx.ExecContext(ctx, `DELETE FROM training_attendees WHERE session_id = $1`, ss.ID); err != nil {
				return err
			}
		}
		seen := map[int64]bool{}
		for _, uid := range ss.Attendees {
			if seen[uid] {
				continue
			}
			seen[uid] = true
			if _, ok, err := schoolUser(ctx, tx, a.User.SchoolID, uid); err != nil {
				return err
			} else if !ok {
				return schoolsen.ErrAttendees()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO training_attendees (session_id, user_id) VALUES ($1, $2)`, ss.ID, uid); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, action, "training_session", ss.ID, 0, fmt.Sprintf("attendees=%d", len(seen)))
	})
}

const skillCols = `k.id, k.user_id, u.name, k.kind, k.title, k.need_code, k.awarded`

func skillsTx(ctx context.Context, tx *sql.Tx, schoolID, userID int64) ([]schoolsen.Skill, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+skillCols+` FROM staff_skills k JOIN users u ON u.id = k.user_id
WHERE k.school_id = $1 AND ($2 = 0 OR k.user_id = $2) ORDER BY u.name, k.title, k.id`, schoolID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schoolsen.Skill
	for rows.Next() {
		var k schoolsen.Skill
		var aw dbTime
		if err := rows.Scan(&k.ID, &k.UserID, &k.Name, &k.Kind, &k.Title, &k.Need, &aw); err != nil {
			return nil, err
		}
		k.Awarded = aw.T
		out = append(out, k)
	}
	return out, rows.Err()
}

// StaffSkills lists the qualifications and specialist skills of the
// school's staff.
func (s *Store) StaffSkills(ctx context.Context, a sen.Actor) ([]schoolsen.Skill, error) {
	var out []schoolsen.Skill
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = skillsTx(ctx, tx, a.User.SchoolID, 0)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "skills.list", "school", a.User.SchoolID, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// AddStaffSkill records a qualification or specialist skill of a member
// of staff.
func (s *Store) AddStaffSkill(ctx context.Context, a sen.Actor, k *schoolsen.Skill) error {
	if fe := k.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, ok, err := schoolUser(ctx, tx, a.User.SchoolID, k.UserID); err != nil {
			return err
		} else if !ok {
			return schoolsen.ErrStaff()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO staff_skills (school_id, user_id, kind, title, need_code, awarded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			a.User.SchoolID, k.UserID, k.Kind, k.Title, k.Need, dateArg(k.Awarded), s.now()).Scan(&k.ID); err != nil {
			return fmt.Errorf("store: skill: %w", err)
		}
		return s.audit(ctx, tx, a, "skills.add", "staff_skill", k.ID, 0, "kind="+k.Kind)
	})
}

// RemoveStaffSkill deletes a recorded skill.
func (s *Store) RemoveStaffSkill(ctx context.Context, a sen.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM staff_skills WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, a, "skills.remove", "staff_skill", id, 0, "")
	})
}

// trainingNeedsTx suggests training from the register: per member of staff
// (one, or 0 for all), the pupils with SEN they teach by need type, against
// the needs their training and skills cover. Counts only, never a pupil.
func trainingNeedsTx(ctx context.Context, tx *sql.Tx, schoolID, userID int64) ([]schoolsen.TrainingNeed, error) {
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.name, pn.need_code, COUNT(DISTINCT p.id) FROM group_staff gs
JOIN users u ON u.id = gs.user_id JOIN group_pupils gp ON gp.group_id = gs.group_id
JOIN pupils p ON p.id = gp.pupil_id JOIN pupil_needs pn ON pn.pupil_id = p.id
WHERE u.school_id = $1 AND p.school_id = $1 AND u.active = $2 AND p.sen_status IN ('K', 'E') AND ($3 = 0 OR u.id = $3)
GROUP BY u.id, u.name, pn.need_code`, schoolID, true, userID)
	if err != nil {
		return nil, err
	}
	byUser := map[int64]*schoolsen.Teaching{}
	var order []int64
	for rows.Next() {
		var uid int64
		var name, need string
		var n int
		if err := rows.Scan(&uid, &name, &need, &n); err != nil {
			rows.Close()
			return nil, err
		}
		t := byUser[uid]
		if t == nil {
			t = &schoolsen.Teaching{UserID: uid, Name: name, Needs: map[string]int{}}
			byUser[uid] = t
			order = append(order, uid)
		}
		t.Needs[need] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	covered := map[int64]map[string]bool{}
	crow, err := tx.QueryContext(ctx, `SELECT ta.user_id, ts.need_code FROM training_attendees ta JOIN training_sessions ts ON ts.id = ta.session_id
WHERE ts.school_id = $1 AND ts.need_code <> ''
UNION SELECT user_id, need_code FROM staff_skills WHERE school_id = $1 AND need_code <> ''`, schoolID)
	if err != nil {
		return nil, err
	}
	defer crow.Close()
	for crow.Next() {
		var uid int64
		var need string
		if err := crow.Scan(&uid, &need); err != nil {
			return nil, err
		}
		if covered[uid] == nil {
			covered[uid] = map[string]bool{}
		}
		covered[uid][need] = true
	}
	if err := crow.Err(); err != nil {
		return nil, err
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	teaching := make([]schoolsen.Teaching, 0, len(order))
	for _, uid := range order {
		teaching = append(teaching, *byUser[uid])
	}
	return schoolsen.SuggestTraining(teaching, covered), nil
}

// TrainingNeeds suggests training for every member of staff from the
// needs of the pupils they teach, and audits the read.
func (s *Store) TrainingNeeds(ctx context.Context, a sen.Actor) ([]schoolsen.TrainingNeed, error) {
	var out []schoolsen.TrainingNeed
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = trainingNeedsTx(ctx, tx, a.User.SchoolID, 0)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "training.needs", "school", a.User.SchoolID, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// MyTraining is the actor's own training record: the sessions they
// attended, their skills and the training suggested for them.
func (s *Store) MyTraining(ctx context.Context, a sen.Actor) (schoolsen.StaffRecord, error) {
	var r schoolsen.StaffRecord
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r.Sessions, err = trainingSessionsTx(ctx, tx, a.User.SchoolID, a.User.ID); err != nil {
			return err
		}
		if r.Skills, err = skillsTx(ctx, tx, a.User.SchoolID, a.User.ID); err != nil {
			return err
		}
		if r.Needs, err = trainingNeedsTx(ctx, tx, a.User.SchoolID, a.User.ID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "training.mine", "user", a.User.ID, 0, "")
	})
	return r, err
}

const postCols = `sp.id, sp.user_id, u.name, sp.took_post, sp.prior_months, sp.qual, sp.qual_started, sp.qual_done, sp.left_post, sp.version`

func scanPost(sc interface{ Scan(...any) error }) (schoolsen.Post, error) {
	var p schoolsen.Post
	var took, st, done, left dbTime
	err := sc.Scan(&p.ID, &p.UserID, &p.Name, &took, &p.PriorMonths, &p.Qual, &st, &done, &left, &p.Version)
	p.TookPost, p.QualStarted, p.QualDone, p.Left = took.T, st.T, done.T, left.T
	return p, err
}

func postsTx(ctx context.Context, tx *sql.Tx, schoolID int64) ([]schoolsen.Post, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+postCols+` FROM senco_posts sp JOIN users u ON u.id = sp.user_id WHERE sp.school_id = $1
ORDER BY sp.left_post IS NOT NULL, sp.took_post DESC, sp.id`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schoolsen.Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SencoPosts lists the people who hold or held the SENCO role, those in
// post first.
func (s *Store) SencoPosts(ctx context.Context, a sen.Actor) ([]schoolsen.Post, error) {
	var out []schoolsen.Post
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = postsTx(ctx, tx, a.User.SchoolID); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "senco_post.list", "school", a.User.SchoolID, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// SencoPost opens one SENCO record.
func (s *Store) SencoPost(ctx context.Context, a sen.Actor, id int64) (schoolsen.Post, error) {
	var p schoolsen.Post
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanPost(tx.QueryRowContext(ctx, `SELECT `+postCols+` FROM senco_posts sp JOIN users u ON u.id = sp.user_id WHERE sp.id = $1 AND sp.school_id = $2`, id, a.User.SchoolID))
		if err != nil {
			return notFound(err)
		}
		return s.auditRead(ctx, tx, a, "senco_post.read", "senco_post", id, 0, "")
	})
	return p, err
}

// SaveSencoPost records a person taking the SENCO role (ID 0) or changes a
// record read at p.Version.
func (s *Store) SaveSencoPost(ctx context.Context, a sen.Actor, p *schoolsen.Post) error {
	if fe := p.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, ok, err := schoolUser(ctx, tx, a.User.SchoolID, p.UserID); err != nil {
			return err
		} else if !ok {
			return schoolsen.ErrSENCO()
		}
		if p.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO senco_posts (school_id, user_id, took_post, prior_months, qual, qual_started, qual_done, left_post, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) RETURNING id`, a.User.SchoolID, p.UserID, dateArg(p.TookPost), p.PriorMonths, p.Qual,
				dateArg(p.QualStarted), dateArg(p.QualDone), dateArg(p.Left), s.now()).Scan(&p.ID); err != nil {
				return fmt.Errorf("store: senco post: %w", err)
			}
			p.Version = 1
			return s.audit(ctx, tx, a, "senco_post.create", "senco_post", p.ID, 0, "qual="+p.Qual)
		}
		res, err := tx.ExecContext(ctx, `UPDATE senco_posts SET user_id = $4, took_post = $5, prior_months = $6, qual = $7, qual_started = $8, qual_done = $9, left_post = $10, version = version + 1
WHERE id = $1 AND school_id = $2 AND version = $3`, p.ID, a.User.SchoolID, p.Version, p.UserID, dateArg(p.TookPost), p.PriorMonths, p.Qual,
			dateArg(p.QualStarted), dateArg(p.QualDone), dateArg(p.Left))
		if err != nil {
			return err
		}
		if err := changed(ctx, tx, res, `SELECT 1 FROM senco_posts WHERE id = $1 AND school_id = $2`, []any{p.ID, a.User.SchoolID}, schoolsen.ErrPostChanged()); err != nil {
			return err
		}
		p.Version++
		return s.audit(ctx, tx, a, "senco_post.update", "senco_post", p.ID, 0, "qual="+p.Qual)
	})
}

// currentSENCOTx names the SENCO for the report: the holder of the most
// recent post still held, else the school's first active SENCO account.
func currentSENCOTx(ctx context.Context, tx *sql.Tx, schoolID int64) (string, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT u.name FROM senco_posts sp JOIN users u ON u.id = sp.user_id WHERE sp.school_id = $1 AND sp.left_post IS NULL
ORDER BY sp.took_post DESC, sp.id DESC LIMIT 1`, schoolID).Scan(&name)
	if err == sql.ErrNoRows {
		err = tx.QueryRowContext(ctx, `SELECT name FROM users WHERE school_id = $1 AND role = $2 AND active = $3 ORDER BY id LIMIT 1`, schoolID, string(sen.RoleSENCO), true).Scan(&name)
		if err == sql.ErrNoRows {
			return "", nil
		}
	}
	return strings.TrimSpace(name), err
}

// lastYear is the first day of the year up to today.
func lastYear(today time.Time) time.Time { return today.AddDate(-1, 0, 0) }
