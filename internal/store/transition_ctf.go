package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"opensend/internal/sen"
	"opensend/internal/transition"
)

// CTFFile is an exported common transfer file.
type CTFFile struct {
	Name   string
	Data   []byte
	Pupils int
}

// senHistoryTx is a pupil's SEN provision history for a CTF, oldest first.
func senHistoryTx(ctx context.Context, q queryer, pupilID int64) ([]transition.SENEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT start_date, status FROM sen_status_history WHERE pupil_id = $1 ORDER BY start_date, id`, pupilID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []transition.SENEntry
	for rows.Next() {
		var e transition.SENEntry
		var d dbTime
		if err := rows.Scan(&d, &e.Provision); err != nil {
			return nil, err
		}
		e.Start = d.T
		out = append(out, e)
	}
	return out, rows.Err()
}

// ExportCTF writes a CTF (version 25) of the chosen pupils of the actor's
// school, leavers or on roll, with their core details and SEN history, to
// the destination dest (a seven-digit LA + establishment number; "" takes
// the leavers' recorded destination when they share one, else
// transition.UnknownDestination). The file is numbered in the school's
// sequence for that destination (the DfE file name) and each pupil's record
// is audited as exported.
func (s *Store) ExportCTF(ctx context.Context, a sen.Actor, pupilIDs []int64, dest, destURN string) (CTFFile, error) {
	var out CTFFile
	ids := uniqueIDs(pupilIDs)
	if len(ids) == 0 {
		return out, transition.ErrNoPupils()
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		sc, err := schoolTx(ctx, tx, a.User.SchoolID)
		if err != nil {
			return err
		}
		if sc.LACode == "" || sc.Estab == "" {
			return transition.ErrNoSchoolNumbers()
		}
		now := s.Now()
		f := transition.CTF{DateTime: now, Source: transition.School{LEA: sc.LACode, Estab: sc.Estab, URN: sc.URN, Name: sc.Name, AcademicYear: transition.AcademicYearOf(DateOf(now))}}
		dests := map[string]string{}
		for _, id := range ids {
			var p sen.Pupil
			if err := scanPupil(tx.QueryRowContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.id = $1 AND p.school_id = $2 AND `+teachesSQL("$3"),
				id, a.User.SchoolID, scopeUser(a)), &p); err != nil {
				return notFound(err)
			}
			cp := transition.CTFPupil{UPN: p.UPN, Surname: p.Surname, Forename: p.Forename, DOB: p.DOB, Sex: p.Sex, YearGroup: p.YearGroup}
			if cp.SEN, err = senHistoryTx(ctx, tx, id); err != nil {
				return err
			}
			if cp.Needs, err = needsTx(ctx, tx, id); err != nil {
				return err
			}
			f.Pupils = append(f.Pupils, cp)
			if p.Left() {
				if l, err := activeLeavingTx(ctx, tx, a, id); err == nil {
					dests[l.DestLAESTAB] = l.DestURN
				}
			}
		}
		if dest == "" && len(dests) == 1 {
			for k, v := range dests {
				dest, destURN = k, v
			}
		}
		if dest == "" {
			dest = transition.UnknownDestination
		}
		f.Dest = transition.School{LEA: dest[:3], Estab: dest[3:], URN: destURN}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM ctf_exports WHERE school_id = $1 AND dest_laestab = $2`, a.User.SchoolID, dest).Scan(&seq); err != nil {
			return err
		}
		var exportID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ctf_exports (school_id, dest_laestab, seq, pupils, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.User.SchoolID, dest, seq, len(ids), a.User.ID, s.now()).Scan(&exportID); err != nil {
			return fmt.Errorf("store: ctf export: %w", err)
		}
		out.Name = transition.FileName(sc.LACode+sc.Estab, dest, seq)
		if out.Data, err = transition.Write(f); err != nil {
			return err
		}
		out.Pupils = len(f.Pupils)
		for _, id := range ids {
			if err := s.audit(ctx, tx, a, "ctf.export", "ctf", exportID, id, fmt.Sprintf("file=%s pupils=%d", out.Name, len(ids))); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// heldTx reads what the school holds of the pupils a CTF names, by UPN
// (leavers too, so the comparison can refuse them).
func heldTx(ctx context.Context, q queryer, schoolID int64, upns []string) (map[string]transition.Held, error) {
	want := map[string]bool{}
	for _, u := range upns {
		want[u] = true
	}
	rows, err := q.QueryContext(ctx, `SELECT `+pupilCols+` FROM pupils p WHERE p.school_id = $1`, schoolID)
	if err != nil {
		return nil, err
	}
	var list []sen.Pupil
	for rows.Next() {
		var p sen.Pupil
		if err := scanPupil(rows, &p); err != nil {
			rows.Close()
			return nil, err
		}
		if want[p.UPN] {
			list = append(list, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]transition.Held, len(list))
	for _, p := range list {
		var err error
		if p.Needs, err = needsTx(ctx, q, p.ID); err != nil {
			return nil, err
		}
		h := transition.Held{Pupil: p, Left: p.Left()}
		if h.History, err = senHistoryTx(ctx, q, p.ID); err != nil {
			return nil, err
		}
		out[p.UPN] = h
	}
	return out, nil
}

func upnsOf(p transition.Parsed) []string {
	out := make([]string, len(p.CTF.Pupils))
	for i, cp := range p.CTF.Pupils {
		out[i] = cp.UPN
	}
	return out
}

// CTFPreview compares a parsed CTF with what the school holds
// (transition.Compare). Showing it is a list view of the pupils matched:
// one audit row, each matched pupil linked to it. Nothing is written.
func (s *Store) CTFPreview(ctx context.Context, a sen.Actor, p transition.Parsed) ([]transition.Change, error) {
	var out []transition.Change
	err := s.tx(ctx, func(tx *sql.Tx) error {
		held, err := heldTx(ctx, tx, a.User.SchoolID, upnsOf(p))
		if err != nil {
			return err
		}
		out = transition.Compare(p, held)
		var ids []int64
		for _, h := range held {
			ids = append(ids, h.Pupil.ID)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return s.auditList(ctx, tx, a, "ctf.import.preview", "import", fmt.Sprintf("rows=%d matched=%d", len(p.CTF.Pupils), len(held)), ids)
	})
	return out, err
}

// CTFImportResult says what an import did.
type CTFImportResult struct {
	Created, Updated, Unchanged int
}

// ImportCTF commits a parsed CTF in one transaction, all or nothing: the
// comparison is made again inside it (what the school holds may have
// changed since the preview), and any problem refuses the whole file
// (transition.ErrImportBlocked). A new pupil is added with their SEN history
// and needs; a pupil the school holds gets the history entries it lacks and,
// when the file is the newer record, its needs.
func (s *Store) ImportCTF(ctx context.Context, a sen.Actor, p transition.Parsed, filename string) (CTFImportResult, error) {
	var res CTFImportResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		held, err := heldTx(ctx, tx, a.User.SchoolID, upnsOf(p))
		if err != nil {
			return err
		}
		changes := transition.Compare(p, held)
		if !transition.Importable(changes) {
			return transition.ErrImportBlocked()
		}
		decided := transition.DecidedByCTF(p.CTF.Source.Name)
		now := s.now()
		for _, c := range changes {
			pupilID := c.PupilID
			switch c.Kind {
			case transition.ChangeNothing:
				res.Unchanged++
				continue
			case transition.ChangeNew:
				np := sen.Pupil{UPN: c.Pupil.UPN, Forename: c.Pupil.Forename, Surname: c.Pupil.Surname, DOB: c.Pupil.DOB, Sex: c.Pupil.Sex, YearGroup: c.Pupil.YearGroup}
				if err := s.insertPupil(ctx, tx, a, &np, "pupil.import.ctf"); err != nil {
					return fmt.Errorf("pupil %d of the CTF: %w", c.Index+1, err)
				}
				pupilID = np.ID
				res.Created++
			default:
				res.Updated++
			}
			for _, e := range c.AddSEN {
				if _, err := tx.ExecContext(ctx, `INSERT INTO sen_status_history (school_id, pupil_id, status, start_date, decided_by, reason, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.User.SchoolID, pupilID, e.Provision, dateArg(e.Start), decided, "", a.User.ID, now); err != nil {
					return fmt.Errorf("store: ctf history: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE pupils SET sen_status = $2, sen_status_from = $3, version = version + 1, updated_at = $4,
sen_unit = sen_unit AND $5, resourced_provision = resourced_provision AND $5 WHERE id = $1`,
				pupilID, c.Status, dateArg(c.StatusFrom), now, sen.IndicatorsAllowed(c.Status)); err != nil {
				return err
			}
			if c.NeedsChange {
				if err := replaceNeeds(ctx, tx, pupilID, c.Needs); err != nil {
					return err
				}
			}
			if err := s.audit(ctx, tx, a, "register.import.ctf", "pupil", pupilID, pupilID,
				fmt.Sprintf("history_added=%d status=%s needs=%s", len(c.AddSEN), c.Status, needsString(c.Needs))); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ctf.import.commit", "import", 0, 0,
			fmt.Sprintf("file=%q created=%d updated=%d unchanged=%d", truncate(filename, 100), res.Created, res.Updated, res.Unchanged))
	})
	return res, err
}
