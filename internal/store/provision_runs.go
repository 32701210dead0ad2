package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"opensend/internal/provision"
	"opensend/internal/sen"
)

// Runs of a provision (groups): their staff, slots and pupils, the session
// registers, and each pupil's scores. The SENCO, deputy and head see every
// group; teachers and TAs see the groups they run or whose pupils they
// teach (and never a confidential provision's group unless they run it or
// are named on it). Only the group's staff, the SENCO and the deputy record
// its sessions and scores.

// runSeenSQL is the test that the actor may see run r (with its provision
// pr joined): $U is scopeUser(a), $R restricted(a), $ID the user id.
func runSeenSQL(u, r, id string) string {
	return `(` + u + ` = 0 OR EXISTS (SELECT 1 FROM provision_run_staff xs WHERE xs.run_id = r.id AND xs.user_id = ` + u + `)
OR EXISTS (SELECT 1 FROM provision_members xm JOIN group_pupils gp ON gp.pupil_id = xm.pupil_id JOIN group_staff gs ON gs.group_id = gp.group_id
WHERE xm.run_id = r.id AND gs.user_id = ` + u + `)) AND ` + provisionSeenSQL(r, id)
}

// RunListItem is one group in a list.
type RunListItem struct {
	provision.Run
	Current int // pupils in the group today
}

// RunFilter narrows a list of groups.
type RunFilter struct {
	ProvisionID int64
	Mine        bool // only the groups the actor runs
}

// Runs lists the groups the actor may see, newest first.
func (s *Store) Runs(ctx context.Context, a sen.Actor, f RunFilter) ([]RunListItem, error) {
	today := dateArg(s.Today())
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.provision_id, pr.name, r.name, r.starts, r.ends, r.capacity, r.one_to_one, r.version,
(SELECT COUNT(*) FROM provision_members m WHERE m.run_id = r.id AND m.joined <= $7 AND (m.left_on IS NULL OR m.left_on >= $7))
FROM provision_runs r JOIN provisions pr ON pr.id = r.provision_id
WHERE r.school_id = $1 AND ($2 = 0 OR r.provision_id = $2) AND ($6 = FALSE OR EXISTS (SELECT 1 FROM provision_run_staff ms WHERE ms.run_id = r.id AND ms.user_id = $5))
AND `+runSeenSQL("$3", "$4", "$5")+`
ORDER BY r.starts DESC, r.name, r.id`, a.User.SchoolID, f.ProvisionID, scopeUser(a), restricted(a), a.User.ID, f.Mine, today)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunListItem
	for rows.Next() {
		var it RunListItem
		var starts, ends dbTime
		if err := rows.Scan(&it.ID, &it.ProvisionID, &it.Provision, &it.Name, &starts, &ends, &it.Capacity, &it.OneToOne, &it.Version, &it.Current); err != nil {
			return nil, err
		}
		it.Starts, it.Ends = starts.T, ends.T
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := runDetailsTx(ctx, s.db, &out[i].Run, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// runTx reads a run the actor may see, with its provision, staff, slots
// and members.
func runTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (provision.Run, provision.Provision, error) {
	var r provision.Run
	var starts, ends dbTime
	err := tx.QueryRowContext(ctx, `SELECT r.id, r.provision_id, pr.name, r.name, r.starts, r.ends, r.capacity, r.one_to_one, r.version
FROM provision_runs r JOIN provisions pr ON pr.id = r.provision_id WHERE r.id = $1 AND r.school_id = $2 AND `+runSeenSQL("$3", "$4", "$5"),
		id, a.User.SchoolID, scopeUser(a), restricted(a), a.User.ID).Scan(&r.ID, &r.ProvisionID, &r.Provision, &r.Name, &starts, &ends, &r.Capacity, &r.OneToOne, &r.Version)
	if err != nil {
		return r, provision.Provision{}, notFound(err)
	}
	r.Starts, r.Ends = starts.T, ends.T
	if err := runDetailsTx(ctx, tx, &r, true); err != nil {
		return r, provision.Provision{}, err
	}
	// The provision as the run's staff see it (confidential or not).
	p, err := scanProvision(tx.QueryRowContext(ctx, `SELECT `+provisionCols+` FROM provisions pr WHERE pr.id = $1`, r.ProvisionID))
	return r, p, err
}

// runDetailsTx fills a run's staff and slots and, with members, its pupils.
func runDetailsTx(ctx context.Context, q queryer, r *provision.Run, members bool) error {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name FROM provision_run_staff rs JOIN users u ON u.id = rs.user_id WHERE rs.run_id = $1 ORDER BY u.name, u.id`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		r.Staff, r.StaffNames = append(r.Staff, id), append(r.StaffNames, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT weekday, start_minute, minutes, place FROM provision_slots WHERE run_id = $1 ORDER BY id`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sl provision.Slot
		var wd int
		if err := rows.Scan(&wd, &sl.Start, &sl.Minutes, &sl.Place); err != nil {
			rows.Close()
			return err
		}
		sl.Weekday = time.Weekday(wd)
		r.Slots = append(r.Slots, sl)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !members {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT `+pupilCols+`, m.id, m.joined, m.left_on, m.entry_score, m.exit_score, m.version
FROM provision_members m JOIN pupils p ON p.id = m.pupil_id WHERE m.run_id = $1 ORDER BY p.surname, p.forename, p.id`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m provision.Member
		var joined, left dbTime
		var entry, exit sql.NullInt64
		if err := scanPupil(rows, &m.Pupil, &m.ID, &joined, &left, &entry, &exit, &m.Version); err != nil {
			return err
		}
		m.RunID, m.PupilID, m.Joined, m.Left = r.ID, m.Pupil.ID, joined.T, left.T
		m.Entry, m.Exit = nullIntPtr(entry), nullIntPtr(exit)
		r.Members = append(r.Members, m)
	}
	return rows.Err()
}

func nullIntPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func intPtrArg(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

func memberIDs(r provision.Run) []int64 {
	var out []int64
	for _, m := range r.Members {
		out = append(out, m.PupilID)
	}
	return out
}

// mayDeliver reports whether the actor records run r's sessions and
// scores: the SENCO, the deputy, or one of the run's staff.
func mayDeliver(a sen.Actor, r provision.Run) bool {
	switch a.User.Role {
	case sen.RoleSENCO, sen.RoleDeputy:
		return true
	case sen.RoleTeacher, sen.RoleTA:
		for _, u := range r.Staff {
			if u == a.User.ID {
				return true
			}
		}
	}
	return false
}

// RunView is a group as its page shows it.
type RunView struct {
	Run        provision.Run
	Provision  provision.Provision
	Sessions   []provision.Session // newest first
	MayDeliver bool
}

func sessionsTx(ctx context.Context, q queryer, runIDs []int64) (map[int64][]provision.Session, error) {
	out := map[int64][]provision.Session{}
	for _, runID := range runIDs {
		rows, err := q.QueryContext(ctx, `SELECT s.id, s.run_id, s.on_date, s.delivered, s.reason, s.staff_minutes, s.delivered_by, u.name, u.role, s.note, s.version
FROM provision_sessions s JOIN users u ON u.id = s.delivered_by WHERE s.run_id = $1 ORDER BY s.on_date DESC`, runID)
		if err != nil {
			return nil, err
		}
		var list []provision.Session
		for rows.Next() {
			var se provision.Session
			var d dbTime
			var role string
			if err := rows.Scan(&se.ID, &se.RunID, &d, &se.Delivered, &se.Reason, &se.StaffMinutes, &se.DeliveredBy, &se.ByName, &role, &se.Note, &se.Version); err != nil {
				rows.Close()
				return nil, err
			}
			se.Date, se.ByRole = d.T, sen.Role(role)
			list = append(list, se)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		idx := map[int64]int{}
		for i, se := range list {
			idx[se.ID] = i
		}
		rows, err = q.QueryContext(ctx, `SELECT a.session_id, a.pupil_id, a.present, a.reason, a.minutes, a.note FROM provision_attendance a
JOIN provision_sessions s ON s.id = a.session_id WHERE s.run_id = $1 ORDER BY a.session_id, a.pupil_id`, runID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sid int64
			var at provision.Attendance
			if err := rows.Scan(&sid, &at.PupilID, &at.Present, &at.Reason, &at.Minutes, &at.Note); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := idx[sid]; ok {
				list[i].Attendance = append(list[i].Attendance, at)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[runID] = list
	}
	return out, nil
}

// Run reads a group with its pupils and sessions; the pupils listed are
// audited as one view.
func (s *Store) Run(ctx context.Context, a sen.Actor, id int64, purpose string) (RunView, error) {
	var v RunView
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if v.Run, v.Provision, err = runTx(ctx, tx, a, id); err != nil {
			return err
		}
		ss, err := sessionsTx(ctx, tx, []int64{id})
		if err != nil {
			return err
		}
		v.Sessions, v.MayDeliver = ss[id], mayDeliver(a, v.Run)
		return s.auditList(ctx, tx, a, "provision.run.read", "provision_run", fmt.Sprintf("run=%d %s", id, truncate(purpose, 60)), memberIDs(v.Run))
	})
	return v, err
}

func writeRunTx(ctx context.Context, tx *sql.Tx, r *provision.Run) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM provision_run_staff WHERE run_id = $1`, r.ID); err != nil {
		return err
	}
	for _, u := range uniqueIDs(r.Staff) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO provision_run_staff (run_id, user_id) VALUES ($1, $2)`, r.ID, u); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM provision_slots WHERE run_id = $1`, r.ID); err != nil {
		return err
	}
	for _, sl := range r.Slots {
		if _, err := tx.ExecContext(ctx, `INSERT INTO provision_slots (run_id, weekday, start_minute, minutes, place) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, int(sl.Weekday), sl.Start, sl.Minutes, sl.Place); err != nil {
			return err
		}
	}
	return nil
}

// StartRun starts a group of a provision the actor may see and that is
// still offered.
func (s *Store) StartRun(ctx context.Context, a sen.Actor, r *provision.Run) error {
	if fe := r.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := provisionTx(ctx, tx, a, r.ProvisionID)
		if err != nil {
			return err
		}
		if p.Retired {
			return sen.ErrNotFound
		}
		if err := staffOfSchoolTx(ctx, tx, a.User.SchoolID, r.Staff, "staff"); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO provision_runs (school_id, provision_id, name, starts, ends, capacity, one_to_one, version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id`, a.User.SchoolID, r.ProvisionID, r.Name, dateArg(r.Starts), dateArg(r.Ends), r.Capacity, r.OneToOne, s.now()).Scan(&r.ID); err != nil {
			return err
		}
		r.Version = 1
		if err := writeRunTx(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "provision.run.start", "provision_run", r.ID, 0, fmt.Sprintf("provision=%d", r.ProvisionID))
	})
}

// SaveRun changes a group's name, staff, dates, places and slots (r.Version as read).
func (s *Store) SaveRun(ctx context.Context, a sen.Actor, r *provision.Run) error {
	if fe := r.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		cur, _, err := runTx(ctx, tx, a, r.ID)
		if err != nil {
			return err
		}
		if err := staffOfSchoolTx(ctx, tx, a.User.SchoolID, r.Staff, "staff"); err != nil {
			return err
		}
		if n := currentOn(cur.Members, s.Today()); r.Capacity < n {
			return provision.ErrCapacityBelowMembers(n)
		}
		res, err := tx.ExecContext(ctx, `UPDATE provision_runs SET name = $1, starts = $2, ends = $3, capacity = $4, one_to_one = $5, version = version + 1
WHERE id = $6 AND school_id = $7 AND version = $8`, r.Name, dateArg(r.Starts), dateArg(r.Ends), r.Capacity, r.OneToOne, r.ID, a.User.SchoolID, r.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return provision.ErrRunChanged()
		}
		r.Version++
		if err := writeRunTx(ctx, tx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "provision.run.edit", "provision_run", r.ID, 0, "")
	})
}

func currentOn(members []provision.Member, d time.Time) int {
	n := 0
	for _, m := range members {
		if m.ActiveOn(d) {
			n++
		}
	}
	return n
}

// EnrolPupil adds a pupil to a group from joined, refusing a full group or
// a pupil already in it.
func (s *Store) EnrolPupil(ctx context.Context, a sen.Actor, runID, pupilID int64, joined time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, _, err := runTx(ctx, tx, a, runID)
		if err != nil {
			return err
		}
		if fe := provision.CheckMemberDates(r, joined, time.Time{}); len(fe) > 0 {
			return fe
		}
		if _, err := s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return provision.ErrPupilNotFound()
		}
		for _, m := range r.Members {
			if m.PupilID == pupilID {
				return provision.ErrAlreadyMember()
			}
		}
		if !provision.HasRoom(r.Members, joined, r.Capacity) {
			return provision.ErrOverCapacity(r.Capacity)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO provision_members (run_id, pupil_id, joined, version) VALUES ($1, $2, $3, 1) RETURNING id`,
			runID, pupilID, dateArg(joined)).Scan(&id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "provision.member.add", "provision_member", id, pupilID, fmt.Sprintf("run=%d joined=%s", runID, joined.Format(time.DateOnly)))
	})
}

// SetMemberDates changes when a pupil joined and left a group (left zero:
// still in it), with the member's version as read.
func (s *Store) SetMemberDates(ctx context.Context, a sen.Actor, runID, memberID, version int64, joined, left time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, _, err := runTx(ctx, tx, a, runID)
		if err != nil {
			return err
		}
		var m *provision.Member
		for i := range r.Members {
			if r.Members[i].ID == memberID {
				m = &r.Members[i]
			}
		}
		if m == nil {
			return sen.ErrNotFound
		}
		if fe := provision.CheckMemberDates(r, joined, left); len(fe) > 0 {
			return fe
		}
		res, err := tx.ExecContext(ctx, `UPDATE provision_members SET joined = $1, left_on = $2, version = version + 1 WHERE id = $3 AND run_id = $4 AND version = $5`,
			dateArg(joined), dateArg(left), memberID, runID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return provision.ErrRunChanged()
		}
		return s.audit(ctx, tx, a, "provision.member.dates", "provision_member", memberID, m.PupilID, fmt.Sprintf("run=%d joined=%s left=%s", runID, joined.Format(time.DateOnly), dateText(left)))
	})
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format(time.DateOnly)
}

// MemberScores is one pupil's entry and exit scores as typed in.
type MemberScores struct {
	MemberID    int64
	Version     int64
	Entry, Exit *int
}

// SaveScores records the entry and exit scores of a group's pupils, each
// with its member's version as read; only members whose scores changed are
// written and audited.
func (s *Store) SaveScores(ctx context.Context, a sen.Actor, runID int64, scores []MemberScores) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, _, err := runTx(ctx, tx, a, runID)
		if err != nil {
			return err
		}
		if !mayDeliver(a, r) {
			return sen.ErrNotFound
		}
		byID := map[int64]provision.Member{}
		for _, m := range r.Members {
			byID[m.ID] = m
		}
		for _, sc := range scores {
			m, ok := byID[sc.MemberID]
			if !ok {
				return sen.ErrNotFound
			}
			if eqIntPtr(m.Entry, sc.Entry) && eqIntPtr(m.Exit, sc.Exit) {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE provision_members SET entry_score = $1, exit_score = $2, version = version + 1 WHERE id = $3 AND run_id = $4 AND version = $5`,
				intPtrArg(sc.Entry), intPtrArg(sc.Exit), sc.MemberID, runID, sc.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return provision.ErrRunChanged()
			}
			if err := s.audit(ctx, tx, a, "provision.scores", "provision_member", sc.MemberID, m.PupilID, fmt.Sprintf("run=%d", runID)); err != nil {
				return err
			}
		}
		return nil
	})
}

func eqIntPtr(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// RegisterView is a session's register as its form shows it: the pupils in
// the group on the date and the session already recorded for it, if any.
type RegisterView struct {
	Run       provision.Run
	Provision provision.Provision
	Expected  []provision.Member
	Session   *provision.Session
}

// Register reads the register of a group's session on date for someone who
// may record it; the pupils listed are audited as one view.
func (s *Store) Register(ctx context.Context, a sen.Actor, runID int64, date time.Time) (RegisterView, error) {
	var v RegisterView
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if v.Run, v.Provision, err = runTx(ctx, tx, a, runID); err != nil {
			return err
		}
		if !mayDeliver(a, v.Run) {
			return sen.ErrNotFound
		}
		for _, m := range v.Run.Members {
			if m.ActiveOn(date) {
				v.Expected = append(v.Expected, m)
			}
		}
		ss, err := sessionsTx(ctx, tx, []int64{runID})
		if err != nil {
			return err
		}
		for i, se := range ss[runID] {
			if se.Date.Equal(date) {
				v.Session = &ss[runID][i]
			}
		}
		var ids []int64
		for _, m := range v.Expected {
			ids = append(ids, m.PupilID)
		}
		return s.auditList(ctx, tx, a, "provision.register.read", "provision_run", fmt.Sprintf("run=%d date=%s", runID, dateText(date)), ids)
	})
	return v, err
}

// SaveSession records a session of a group (se.ID 0: a new one for its
// date; else a change to the one as read, se.Version). A delivered
// session's register must have a line for each pupil in the group on the
// date (lines for anyone else are refused); one not delivered has none.
func (s *Store) SaveSession(ctx context.Context, a sen.Actor, runID int64, se *provision.Session) error {
	if fe := se.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, _, err := runTx(ctx, tx, a, runID)
		if err != nil {
			return err
		}
		if !mayDeliver(a, r) {
			return sen.ErrNotFound
		}
		if se.Date.Before(r.Starts) || (!r.Ends.IsZero() && se.Date.After(r.Ends)) {
			return provision.ErrSessionOutsideRun()
		}
		expected := map[int64]bool{}
		for _, m := range r.Members {
			if m.ActiveOn(se.Date) {
				expected[m.PupilID] = true
			}
		}
		if !se.Delivered {
			se.Attendance, se.StaffMinutes = nil, 0
		} else {
			got := map[int64]bool{}
			for _, at := range se.Attendance {
				if !expected[at.PupilID] || got[at.PupilID] {
					return sen.ErrNotFound
				}
				got[at.PupilID] = true
			}
			if len(got) != len(expected) {
				return sen.ErrNotFound
			}
		}
		se.RunID, se.DeliveredBy = runID, a.User.ID
		var existing int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM provision_sessions WHERE run_id = $1 AND on_date = $2`, runID, dateArg(se.Date)).Scan(&existing)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if se.ID == 0 {
			if existing != 0 {
				return provision.ErrSessionChanged()
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO provision_sessions (run_id, on_date, delivered, reason, staff_minutes, delivered_by, note, version, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id`, runID, dateArg(se.Date), se.Delivered, se.Reason, se.StaffMinutes, a.User.ID, se.Note, s.now()).Scan(&se.ID); err != nil {
				return err
			}
			se.Version = 1
		} else {
			if existing != se.ID {
				return sen.ErrNotFound
			}
			res, err := tx.ExecContext(ctx, `UPDATE provision_sessions SET delivered = $1, reason = $2, staff_minutes = $3, delivered_by = $4, note = $5, recorded_at = $6,
version = version + 1 WHERE id = $7 AND run_id = $8 AND version = $9`, se.Delivered, se.Reason, se.StaffMinutes, a.User.ID, se.Note, s.now(), se.ID, runID, se.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return provision.ErrSessionChanged()
			}
			se.Version++
			if _, err := tx.ExecContext(ctx, `DELETE FROM provision_attendance WHERE session_id = $1`, se.ID); err != nil {
				return err
			}
		}
		for _, at := range se.Attendance {
			if !at.Present {
				at.Minutes = 0
			} else {
				at.Reason = ""
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO provision_attendance (session_id, pupil_id, present, reason, minutes, note) VALUES ($1, $2, $3, $4, $5, $6)`,
				se.ID, at.PupilID, at.Present, at.Reason, at.Minutes, at.Note); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("run=%d date=%s delivered=%t present=%d", runID, dateText(se.Date), se.Delivered, se.Present())
		if err := s.audit(ctx, tx, a, "provision.session.record", "provision_session", se.ID, 0, detail); err != nil {
			return err
		}
		for _, at := range se.Attendance {
			if err := s.audit(ctx, tx, a, "provision.attendance", "provision_session", se.ID, at.PupilID, fmt.Sprintf("run=%d date=%s present=%t", runID, dateText(se.Date), at.Present)); err != nil {
				return err
			}
		}
		return nil
	})
}

// PupilRun is one group a pupil is or was in, for their page.
type PupilRun struct {
	Run       provision.Run
	Provision provision.Provision
	Member    provision.Member
	Sessions  []provision.Session
}

// PupilProvision lists the groups of a pupil the actor may see, newest
// first, with their sessions; audited as a read of the pupil's record.
func (s *Store) PupilProvision(ctx context.Context, a sen.Actor, pupilID int64) (sen.Pupil, []PupilRun, error) {
	var p sen.Pupil
	var out []PupilRun
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = s.pupilTx(ctx, tx, a, pupilID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT r.id FROM provision_members m JOIN provision_runs r ON r.id = m.run_id JOIN provisions pr ON pr.id = r.provision_id
WHERE m.pupil_id = $1 AND r.school_id = $2 AND `+provisionSeenSQL("$3", "$4")+` ORDER BY r.starts DESC, r.id`, pupilID, a.User.SchoolID, restricted(a), a.User.ID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ss, err := sessionsTx(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			// A teacher or TA who may see the pupil sees the pupil's groups.
			r, pr, err := runTx(ctx, tx, a, id)
			if err != nil {
				return err
			}
			pr2 := PupilRun{Run: r, Provision: pr, Sessions: ss[id]}
			for _, m := range r.Members {
				if m.PupilID == pupilID {
					pr2.Member = m
				}
			}
			out = append(out, pr2)
		}
		return s.auditRead(ctx, tx, a, "provision.pupil.read", "pupil", pupilID, pupilID, "")
	})
	return p, out, err
}

// TodaySession is one of a person's sessions today, from their groups' slots.
type TodaySession struct {
	RunID     int64
	Run       string
	Provision string
	Slot      provision.Slot
	Recorded  bool
}

// MySessionsToday lists the sessions of the groups the actor runs that are
// timetabled on today's weekday and within the groups' dates, by time.
func (s *Store) MySessionsToday(ctx context.Context, a sen.Actor) ([]TodaySession, error) {
	today := s.Today()
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.name, pr.name, sl.weekday, sl.start_minute, sl.minutes, sl.place,
EXISTS (SELECT 1 FROM provision_sessions ps WHERE ps.run_id = r.id AND ps.on_date = $3)
FROM provision_run_staff rs JOIN provision_runs r ON r.id = rs.run_id JOIN provisions pr ON pr.id = r.provision_id JOIN provision_slots sl ON sl.run_id = r.id
WHERE rs.user_id = $1 AND r.school_id = $2 AND r.starts <= $3 AND (r.ends IS NULL OR r.ends >= $3) AND sl.weekday = $4
ORDER BY sl.start_minute, r.name, r.id`, a.User.ID, a.User.SchoolID, dateArg(today), int(today.Weekday()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TodaySession
	for rows.Next() {
		var t TodaySession
		var wd int
		if err := rows.Scan(&t.RunID, &t.Run, &t.Provision, &wd, &t.Slot.Start, &t.Slot.Minutes, &t.Slot.Place, &t.Recorded); err != nil {
			return nil, err
		}
		t.Slot.Weekday = time.Weekday(wd)
		out = append(out, t)
	}
	return out, rows.Err()
}
