package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"opensend/internal/provision"
	"opensend/internal/sen"
)

// The provision map's library (issue 13): the school's provisions and the
// staff hourly costs. A confidential provision is seen only by the SENCO,
// deputy and head, its named staff and the staff of its groups.

// ProvisionFilter narrows the library.
type ProvisionFilter struct {
	Area    string // a sen.BroadAreas code
	Wave    string
	Retired bool // list the retired entries instead of the offered ones
}

// restricted is 1 for roles that see a confidential provision only when
// named on it or running one of its groups (teachers and TAs), else 0.
func restricted(a sen.Actor) int {
	if a.User.Role.Scoped() {
		return 1
	}
	return 0
}

// provisionSeenSQL is the test that the actor may see provision pr: $R is
// restricted(a), $U the user id.
func provisionSeenSQL(r, u string) string {
	return `(pr.confidential = FALSE OR ` + r + ` = 0
OR EXISTS (SELECT 1 FROM provision_named_staff ns WHERE ns.provision_id = pr.id AND ns.user_id = ` + u + `)
OR EXISTS (SELECT 1 FROM provision_runs rr JOIN provision_run_staff rrs ON rrs.run_id = rr.id WHERE rr.provision_id = pr.id AND rrs.user_id = ` + u + `))`
}

const provisionCols = `pr.id, pr.name, pr.description, pr.areas, pr.wave, pr.outcomes, pr.evidence, pr.evidence_url, pr.session_minutes,
pr.sessions_per_week, pr.weeks, pr.group_size, pr.deliverer, pr.service, pr.resources, pr.resource_pence, pr.measure, pr.scale,
pr.direction, pr.confidential, pr.retired, pr.version`

func scanProvision(sc interface{ Scan(...any) error }) (provision.Provision, error) {
	var p provision.Provision
	var areas string
	err := sc.Scan(&p.ID, &p.Name, &p.Description, &areas, &p.Wave, &p.Outcomes, &p.Evidence, &p.EvidenceURL, &p.SessionMinutes,
		&p.SessionsPerWeek, &p.Weeks, &p.GroupSize, &p.Deliverer, &p.Service, &p.Resources, &p.ResourcePence, &p.Measure, &p.Scale,
		&p.Direction, &p.Confidential, &p.Retired, &p.Version)
	for _, a := range strings.Split(strings.Trim(areas, ","), ",") {
		if a != "" {
			p.Areas = append(p.Areas, a)
		}
	}
	return p, err
}

func areasArg(areas []string) string { return "," + strings.Join(areas, ",") + "," }

// Provisions lists the school's library that the actor may see, by name.
func (s *Store) Provisions(ctx context.Context, a sen.Actor, f ProvisionFilter) ([]provision.Provision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+provisionCols+` FROM provisions pr
WHERE pr.school_id = $1 AND pr.retired = $2 AND ($3 = '' OR pr.areas LIKE $4) AND ($5 = '' OR pr.wave = $5) AND `+provisionSeenSQL("$6", "$7")+`
ORDER BY pr.name, pr.id`, a.User.SchoolID, f.Retired, f.Area, "%,"+f.Area+",%", f.Wave, restricted(a), a.User.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []provision.Provision
	for rows.Next() {
		p, err := scanProvision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func provisionTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (provision.Provision, error) {
	p, err := scanProvision(tx.QueryRowContext(ctx, `SELECT `+provisionCols+` FROM provisions pr WHERE pr.id = $1 AND pr.school_id = $2 AND `+provisionSeenSQL("$3", "$4"),
		id, a.User.SchoolID, restricted(a), a.User.ID))
	if err != nil {
		return p, notFound(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM provision_named_staff WHERE provision_id = $1 ORDER BY user_id`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			return p, err
		}
		p.Staff = append(p.Staff, u)
	}
	return p, rows.Err()
}

// Provision reads one entry of the library.
func (s *Store) Provision(ctx context.Context, a sen.Actor, id int64) (provision.Provision, error) {
	var p provision.Provision
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = provisionTx(ctx, tx, a, id)
		return err
	})
	return p, err
}

// staffOfSchoolTx checks every id is an active member of the school's
// staff; field is the domain field reported otherwise.
func staffOfSchoolTx(ctx context.Context, tx *sql.Tx, school int64, ids []int64, field string) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2 AND active = $3`, id, school, true).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return provision.ErrStaffNotFound(field)
		}
	}
	return nil
}

func setNamedStaffTx(ctx context.Context, tx *sql.Tx, id int64, staff []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM provision_named_staff WHERE provision_id = $1`, id); err != nil {
		return err
	}
	for _, u := range uniqueIDs(staff) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO provision_named_staff (provision_id, user_id) VALUES ($1, $2)`, id, u); err != nil {
			return err
		}
	}
	return nil
}

// SaveProvision adds an entry to the library (p.ID 0) or edits one
// (p.Version as read).
func (s *Store) SaveProvision(ctx context.Context, a sen.Actor, p *provision.Provision) error {
	if fe := p.Validate(); len(fe) > 0 {
		return fe
	}
	if !p.Confidential {
		p.Staff = nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := staffOfSchoolTx(ctx, tx, a.User.SchoolID, p.Staff, "staff"); err != nil {
			return err
		}
		args := []any{p.Name, p.Description, areasArg(p.Areas), p.Wave, p.Outcomes, p.Evidence, p.EvidenceURL, p.SessionMinutes, p.SessionsPerWeek,
			p.Weeks, p.GroupSize, p.Deliverer, p.Service, p.Resources, p.ResourcePence, p.Measure, p.Scale, p.Direction, p.Confidential}
		if p.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO provisions (name, description, areas, wave, outcomes, evidence, evidence_url, session_minutes, sessions_per_week,
weeks, group_size, deliverer, service, resources, resource_pence, measure, scale, direction, confidential, school_id, created_at, version)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1) RETURNING id`,
				append(args, a.User.SchoolID, s.now())...).Scan(&p.ID)
			if err != nil {
				return err
			}
			p.Version = 1
			if err := setNamedStaffTx(ctx, tx, p.ID, p.Staff); err != nil {
				return err
			}
			return s.audit(ctx, tx, a, "provision.add", "provision", p.ID, 0, "")
		}
		if _, err := provisionTx(ctx, tx, a, p.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE provisions SET name = $1, description = $2, areas = $3, wave = $4, outcomes = $5, evidence = $6, evidence_url = $7,
session_minutes = $8, sessions_per_week = $9, weeks = $10, group_size = $11, deliverer = $12, service = $13, resources = $14, resource_pence = $15,
measure = $16, scale = $17, direction = $18, confidential = $19, version = version + 1 WHERE id = $20 AND school_id = $21 AND version = $22`,
			append(args, p.ID, a.User.SchoolID, p.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return provision.ErrProvisionChanged()
		}
		p.Version++
		if err := setNamedStaffTx(ctx, tx, p.ID, p.Staff); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "provision.edit", "provision", p.ID, 0, "")
	})
}

// CopyProvision adds a copy of an entry ("Copy of ...") and returns its id.
func (s *Store) CopyProvision(ctx context.Context, a sen.Actor, id int64) (int64, error) {
	var c provision.Provision
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := provisionTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		c = p.Copy()
		err = tx.QueryRowContext(ctx, `INSERT INTO provisions (name, description, areas, wave, outcomes, evidence, evidence_url, session_minutes, sessions_per_week,
weeks, group_size, deliverer, service, resources, resource_pence, measure, scale, direction, confidential, school_id, created_at, version)
SELECT $1, description, areas, wave, outcomes, evidence, evidence_url, session_minutes, sessions_per_week, weeks, group_size, deliverer, service,
resources, resource_pence, measure, scale, direction, confidential, school_id, $2, 1 FROM provisions WHERE id = $3 RETURNING id`, c.Name, s.now(), id).Scan(&c.ID)
		if err != nil {
			return err
		}
		if err := setNamedStaffTx(ctx, tx, c.ID, c.Staff); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "provision.copy", "provision", c.ID, 0, fmt.Sprintf("copy of provision=%d", id))
	})
	return c.ID, err
}

// RetireProvision stops offering an entry for new groups (restore: offers it again).
func (s *Store) RetireProvision(ctx context.Context, a sen.Actor, id, version int64, restore bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := provisionTx(ctx, tx, a, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE provisions SET retired = $1, version = version + 1 WHERE id = $2 AND school_id = $3 AND version = $4`,
			!restore, id, a.User.SchoolID, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return provision.ErrProvisionChanged()
		}
		action := "provision.retire"
		if restore {
			action = "provision.restore"
		}
		return s.audit(ctx, tx, a, action, "provision", id, 0, "")
	})
}

// seesCosts reports whether the actor's role may see staff costs: the
// SENCO, deputy and head. The web checks authz too; the store refuses
// anyone else, so no page can leak a cost by mistake.
func seesCosts(a sen.Actor) bool {
	switch a.User.Role {
	case sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead:
		return true
	}
	return false
}

func ratesTx(ctx context.Context, q queryer, school int64) ([]provision.Rate, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.role, COALESCE(r.user_id, 0), COALESCE(u.name, ''), r.hourly_pence, r.oncost_bp, r.version
FROM provision_rates r LEFT JOIN users u ON u.id = r.user_id WHERE r.school_id = $1 ORDER BY r.user_id IS NOT NULL, r.role, u.name`, school)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []provision.Rate
	for rows.Next() {
		var r provision.Rate
		var role string
		if err := rows.Scan(&r.ID, &role, &r.UserID, &r.Name, &r.HourlyPence, &r.OnCostBP, &r.Version); err != nil {
			return nil, err
		}
		r.Role = sen.Role(role)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ProvisionRates lists the school's staff hourly costs (roles first, then
// people). Only roles that see costs may read them; anyone else is refused
// as "not found".
func (s *Store) ProvisionRates(ctx context.Context, a sen.Actor) ([]provision.Rate, error) {
	if !seesCosts(a) {
		return nil, sen.ErrNotFound
	}
	return ratesTx(ctx, s.db, a.User.SchoolID)
}

func rateKey(r provision.Rate) string {
	if r.UserID != 0 {
		return fmt.Sprintf("user:%d", r.UserID)
	}
	return "role:" + string(r.Role)
}

// SaveRate sets a role's or a person's hourly cost: a new one (r.ID 0) or
// a change to the one as read (r.Version). Setting a rate that already
// exists for the role or person changes it.
func (s *Store) SaveRate(ctx context.Context, a sen.Actor, r *provision.Rate) error {
	if !seesCosts(a) {
		return sen.ErrNotFound
	}
	if fe := r.Validate(); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if r.UserID != 0 {
			if err := staffOfSchoolTx(ctx, tx, a.User.SchoolID, []int64{r.UserID}, "who"); err != nil {
				return err
			}
		}
		var cur provision.Rate
		err := tx.QueryRowContext(ctx, `SELECT id, version FROM provision_rates WHERE school_id = $1 AND rate_key = $2`, a.User.SchoolID, rateKey(*r)).Scan(&cur.ID, &cur.Version)
		switch {
		case err == sql.ErrNoRows:
			var uid any
			if r.UserID != 0 {
				uid = r.UserID
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO provision_rates (school_id, rate_key, role, user_id, hourly_pence, oncost_bp, version) VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id`,
				a.User.SchoolID, rateKey(*r), string(r.Role), uid, r.HourlyPence, r.OnCostBP).Scan(&r.ID); err != nil {
				return err
			}
			r.Version = 1
		case err != nil:
			return err
		default:
			if r.ID != 0 && (r.ID != cur.ID || r.Version != cur.Version) {
				return provision.ErrRateChanged()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE provision_rates SET hourly_pence = $1, oncost_bp = $2, version = version + 1 WHERE id = $3`,
				r.HourlyPence, r.OnCostBP, cur.ID); err != nil {
				return err
			}
			r.ID, r.Version = cur.ID, cur.Version+1
		}
		return s.audit(ctx, tx, a, "provision.rate.set", "provision_rate", r.ID, 0, rateKey(*r))
	})
}

// RemoveRate removes a staff hourly cost.
func (s *Store) RemoveRate(ctx context.Context, a sen.Actor, id int64) error {
	if !seesCosts(a) {
		return sen.ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM provision_rates WHERE id = $1 AND school_id = $2`, id, a.User.SchoolID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, a, "provision.rate.remove", "provision_rate", id, 0, "")
	})
}
