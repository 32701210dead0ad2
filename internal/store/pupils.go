package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"opensend/internal/sen"
)

func yearOrder(y string) int {
	for i, g := range sen.YearGroups {
		if g == y {
			return i
		}
	}
	return 99
}

func searchText(p *sen.Pupil) string {
	return strings.ToLower(p.Forename + " " + p.Surname + " " + p.Surname + " " + p.Forename + " " + p.UPN)
}

const pupilCols = `p.id, p.school_id, p.upn, p.forename, p.surname, p.dob, p.sex, p.year_group, p.class_name, p.admission_date, p.version, p.sen_status, p.sen_status_from, p.sen_unit, p.resourced_provision, p.left_on`

// scanPupil reads pupilCols into p, then any extra columns into extra.
func scanPupil(sc interface{ Scan(...any) error }, p *sen.Pupil, extra ...any) error {
	var dob, adm, from, left dbTime
	dest := append([]any{&p.ID, &p.SchoolID, &p.UPN, &p.Forename, &p.Surname, &dob, &p.Sex, &p.YearGroup, &p.ClassName, &adm, &p.Version, &p.Status, &from, &p.Indicators.SENUnit, &p.Indicators.ResourcedProvision, &left}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	p.DOB, p.AdmissionDate, p.StatusFrom, p.LeftOn = dob.T, adm.T, from.T, left.T
	return nil
}

// CreatePupil adds a pupil to the actor's school. The UPN must be unused in
// the school (census rule 1520). The pupil joins the teaching group named by
// its class so that the class's teachers can see it.
func (s *Store) CreatePupil(ctx context.Context, a sen.Actor, p *sen.Pupil) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.insertPupil(ctx, tx, a, p, "pupil.create")
	})
}

func (s *Store) insertPupil(ctx context.Context, tx *sql.Tx, a sen.Actor, p *sen.Pupil, action string) error {
	now := s.now()
	p.SchoolID = a.User.SchoolID
	err := tx.QueryRowContext(ctx, `INSERT INTO pupils (school_id, upn, forename, surname, dob, sex, year_group, year_order, class_name, admission_date, search_text, sen_status, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'N', 1, $12, $12) RETURNING id`,
		p.SchoolID, p.UPN, p.Forename, p.Surname, dateArg(p.DOB), p.Sex, p.YearGroup, yearOrder(p.YearGroup), p.ClassName, dateArg(p.AdmissionDate), searchText(p), now).Scan(&p.ID)
	if isUnique(err) {
		return sen.ErrUPNTaken(p.UPN)
	}
	if err != nil {
		return fmt.Errorf("store: insert pupil: %w", err)
	}
	p.Version, p.Status = 1, sen.StatusNone
	if err := s.joinClassGroup(ctx, tx, p); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, action, "pupil", p.ID, p.ID, "")
}

// joinClassGroup puts the pupil in the class group named after its class,
// creating the group if needed, and removes it from other class groups.
func (s *Store) joinClassGroup(ctx context.Context, tx *sql.Tx, p *sen.Pupil) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_pupils WHERE pupil_id = $1 AND group_id IN (SELECT id FROM teaching_groups WHERE kind = 'class' AND school_id = $2)`, p.ID, p.SchoolID); err != nil {
		return err
	}
	if p.ClassName == "" {
		return nil
	}
	var gid int64
	err := tx.QueryRowContext(ctx, `INSERT INTO teaching_groups (school_id, name, kind) VALUES ($1, $2, 'class')
ON CONFLICT (school_id, name) DO UPDATE SET name = excluded.name RETURNING id`, p.SchoolID, p.ClassName).Scan(&gid)
	if err != nil {
		return fmt.Errorf("store: class group: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO group_pupils (group_id, pupil_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, gid, p.ID)
	return err
}

// UpdatePupil saves edits to a pupil. p.Version must be the version that was
// read; if someone else saved in between, it returns a ConflictError.
func (s *Store) UpdatePupil(ctx context.Context, a sen.Actor, p *sen.Pupil) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.updatePupil(ctx, tx, a, p, true)
	})
}

func (s *Store) updatePupil(ctx context.Context, tx *sql.Tx, a sen.Actor, p *sen.Pupil, checkVersion bool) error {
	var old sen.Pupil
	err := scanPupil(tx.QueryRowContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.id = $1 AND p.school_id = $2`, p.ID, a.User.SchoolID), &old)
	if err != nil {
		return notFound(err)
	}
	if checkVersion && old.Version != p.Version {
		return sen.ErrPupilChanged(true)
	}
	p.SchoolID = old.SchoolID
	res, err := tx.ExecContext(ctx, `UPDATE pupils SET upn = $3, forename = $4, surname = $5, dob = $6, sex = $7, year_group = $8, year_order = $9,
class_name = $10, admission_date = $11, search_text = $12, version = version + 1, updated_at = $13
WHERE id = $1 AND version = $2`, p.ID, old.Version, p.UPN, p.Forename, p.Surname, dateArg(p.DOB), p.Sex, p.YearGroup, yearOrder(p.YearGroup),
		p.ClassName, dateArg(p.AdmissionDate), searchText(p), s.now())
	if isUnique(err) {
		return sen.ErrUPNTaken(p.UPN)
	}
	if err != nil {
		return fmt.Errorf("store: update pupil: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sen.ErrPupilChanged(false)
	}
	p.Version = old.Version + 1
	if old.ClassName != p.ClassName {
		if err := s.joinClassGroup(ctx, tx, p); err != nil {
			return err
		}
	}
	return s.audit(ctx, tx, a, "pupil.update", "pupil", p.ID, p.ID, pupilDiff(old, *p))
}

// pupilDiff names the fields that changed, without their values (no pupil
// data is copied into the audit detail beyond field names).
func pupilDiff(a, b sen.Pupil) string {
	var f []string
	if a.UPN != b.UPN {
		f = append(f, "upn")
	}
	if a.Forename != b.Forename {
		f = append(f, "forename")
	}
	if a.Surname != b.Surname {
		f = append(f, "surname")
	}
	if !a.DOB.Equal(b.DOB) {
		f = append(f, "dob")
	}
	if a.Sex != b.Sex {
		f = append(f, "sex")
	}
	if a.YearGroup != b.YearGroup {
		f = append(f, "year_group")
	}
	if a.ClassName != b.ClassName {
		f = append(f, "class")
	}
	if !a.AdmissionDate.Equal(b.AdmissionDate) {
		f = append(f, "admission_date")
	}
	if len(f) == 0 {
		return "no changes"
	}
	return "changed: " + strings.Join(f, ", ")
}

// Pupil opens one pupil's record for the actor and audits the read. A pupil
// in another school, or one a teacher/TA does not teach, is ErrNotFound.
func (s *Store) Pupil(ctx context.Context, a sen.Actor, id int64, purpose string) (sen.Pupil, error) {
	var p sen.Pupil
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.pupilTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "pupil.read", "pupil", id, id, purpose)
	})
	return p, err
}

func (s *Store) pupilTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (sen.Pupil, error) {
	var p sen.Pupil
	err := scanPupil(tx.QueryRowContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.id = $1 AND p.school_id = $2 AND `+teachesSQL("$3"),
		id, a.User.SchoolID, scopeUser(a)), &p)
	if err != nil {
		return p, notFound(err)
	}
	if p.Left() && !seesLeavers(a) && a.User.Role != "" {
		return p, sen.ErrNotFound // a leaver's record: the SENCO, deputy and SLT only (transition.go)
	}
	p.Needs, err = needsTx(ctx, tx, id)
	return p, err
}

func needsTx(ctx context.Context, q queryer, pupilID int64) ([]sen.Need, error) {
	rows, err := q.QueryContext(ctx, `SELECT rank, need_code FROM pupil_needs WHERE pupil_id = $1 ORDER BY rank`, pupilID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.Need
	for rows.Next() {
		var n sen.Need
		if err := rows.Scan(&n.Rank, &n.Code); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// PupilFilter narrows a pupil list or the register.
type PupilFilter struct {
	Query     string // name or UPN, case-insensitive substring
	YearGroup string
	ClassName string
	Status    string // N, K, E; "SEN" = K or E
	Need      string // census SEN type code, matched against the census needs (ranks 1 and 2) only
	Area      string // broad area code of a census need
	Limit     int
	Offset    int
}

// ListPupils returns the pupils the actor may see that match f, ordered by
// year, surname, forename, with the total count before paging. The need and
// area filters read the census needs only (sen.CensusNeedRanks): an
// additional need is not a census need.
// It is not audited: a person's list view is ViewPupils.
func (s *Store) ListPupils(ctx context.Context, a sen.Actor, f PupilFilter) ([]sen.Pupil, int, error) {
	return s.listPupils(ctx, s.db, a, f)
}

func (s *Store) listPupils(ctx context.Context, q queryer, a sen.Actor, f PupilFilter) ([]sen.Pupil, int, error) {
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 5000
	}
	status, sen2 := f.Status, ""
	if status == "SEN" {
		status, sen2 = "", "SEN"
	}
	args := []any{a.User.SchoolID, scopeUser(a), "%" + strings.ToLower(strings.TrimSpace(f.Query)) + "%", f.YearGroup, f.ClassName, status, f.Need, f.Area, sen2, f.Limit, f.Offset, sen.CensusNeedRanks}
	rows, err := q.QueryContext(ctx, `SELECT `+pupilCols+`, COUNT(*) OVER () FROM pupils p
WHERE p.school_id = $1 AND `+teachesSQL("$2")+` AND `+onRollSQL+`
AND p.search_text LIKE $3
AND ($4 = '' OR p.year_group = $4)
AND ($5 = '' OR p.class_name = $5)
AND ($6 = '' OR p.sen_status = $6)
AND ($7 = '' OR EXISTS (SELECT 1 FROM pupil_needs n WHERE n.pupil_id = p.id AND n.need_code = $7 AND n.rank <= $12))
AND ($8 = '' OR EXISTS (SELECT 1 FROM pupil_needs n WHERE n.pupil_id = p.id AND n.area = $8 AND n.rank <= $12))
AND ($9 = '' OR p.sen_status IN ('K', 'E'))
ORDER BY p.year_order, p.surname, p.forename, p.id
LIMIT $10 OFFSET $11`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list pupils: %w", err)
	}
	defer rows.Close()
	var out []sen.Pupil
	total := 0
	for rows.Next() {
		var p sen.Pupil
		if err := scanPupil(rows, &p, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := attachNeeds(ctx, q, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// attachNeeds loads the ranked needs of the SEN pupils in list with one query.
func attachNeeds(ctx context.Context, q queryer, list []sen.Pupil) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]int{}
	for i, p := range list {
		idx[p.ID] = i
	}
	rows, err := q.QueryContext(ctx, `SELECT n.pupil_id, n.rank, n.need_code FROM pupil_needs n JOIN pupils p ON p.id = n.pupil_id
WHERE p.school_id = $1 ORDER BY n.pupil_id, n.rank`, list[0].SchoolID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n sen.Need
		if err := rows.Scan(&id, &n.Rank, &n.Code); err != nil {
			return err
		}
		if i, ok := idx[id]; ok {
			list[i].Needs = append(list[i].Needs, n)
		}
	}
	return rows.Err()
}

// Classes lists the distinct class names of the actor's school (reused
// while nothing in the school changes; the list is shared: do not change it).
func (s *Store) Classes(ctx context.Context, a sen.Actor) ([]string, error) {
	school := sen.Actor{User: sen.User{ID: a.User.ID, SchoolID: a.User.SchoolID}} // school-wide: no staff scope
	return cachedView(ctx, s, s.db, school, "classes", "", func() ([]string, error) { return s.classes(ctx, a.User.SchoolID) })
}

func (s *Store) classes(ctx context.Context, schoolID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT class_name FROM pupils p WHERE school_id = $1 AND class_name <> '' AND `+onRollSQL+` ORDER BY class_name`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ImportResult says what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
	Leavers                     int // rows of pupils who have left, not changed
}

// ImportPupils writes a validated batch in one transaction: a UPN already on
// the roll updates that pupil, a new UPN creates one. Any failure rolls the
// whole batch back.
func (s *Store) ImportPupils(ctx context.Context, a sen.Actor, batch []sen.Pupil, filename string) (ImportResult, error) {
	var res ImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		existing, err := upnIndex(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		for i := range batch {
			p := batch[i]
			if id, ok := existing[p.UPN]; ok {
				p.ID = id
				old, err := s.pupilTx(ctx, tx, sen.Actor{User: sen.User{SchoolID: a.User.SchoolID}}, id)
				if err != nil {
					return err
				}
				if old.Left() {
					res.Leavers++ // a leaver's record is kept as it is (transition.go)
					continue
				}
				if samePupil(old, p) {
					res.Unchanged++
					continue
				}
				if err := s.updatePupil(ctx, tx, a, &p, false); err != nil {
					return fmt.Errorf("pupil %d of the batch: %w", i+1, err)
				}
				res.Updated++
				continue
			}
			if err := s.insertPupil(ctx, tx, a, &p, "pupil.import"); err != nil {
				return fmt.Errorf("pupil %d of the batch: %w", i+1, err)
			}
			res.Created++
		}
		return s.audit(ctx, tx, a, "pupil.import.commit", "import", 0, 0,
			fmt.Sprintf("file=%q created=%d updated=%d unchanged=%d leavers=%d", truncate(filename, 100), res.Created, res.Updated, res.Unchanged, res.Leavers))
	})
	return res, err
}

func samePupil(a, b sen.Pupil) bool {
	return a.UPN == b.UPN && a.Forename == b.Forename && a.Surname == b.Surname && a.DOB.Equal(b.DOB) && a.Sex == b.Sex &&
		a.YearGroup == b.YearGroup && a.ClassName == b.ClassName && a.AdmissionDate.Equal(b.AdmissionDate)
}

// ExistingUPNs returns the UPNs already on the actor's school roll, so an
// import preview can say "update" or "new" per row.
func (s *Store) ExistingUPNs(ctx context.Context, a sen.Actor) (map[string]int64, error) {
	return upnIndex(ctx, s.db, a.User.SchoolID)
}

func upnIndex(ctx context.Context, q queryer, schoolID int64) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT upn, id FROM pupils WHERE school_id = $1`, schoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var upn string
		var id int64
		if err := rows.Scan(&upn, &id); err != nil {
			return nil, err
		}
		out[upn] = id
	}
	return out, rows.Err()
}
