package store

import (
	"context"
	"database/sql"
	"fmt"

	"opensend/internal/sen"
)

// Group is a class or teaching group: the relationship that lets teachers
// and TAs see the pupils in it.
type Group struct {
	ID     int64
	Name   string
	Kind   string
	Pupils int
	Staff  []sen.User
}

// Groups lists the actor's school's groups with pupil counts and staff.
func (s *Store) Groups(ctx context.Context, a sen.Actor) ([]Group, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT g.id, g.name, g.kind, (SELECT COUNT(*) FROM group_pupils gp WHERE gp.group_id = g.id)
FROM teaching_groups g WHERE g.school_id = $1 ORDER BY g.name`, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	var out []Group
	idx := map[int64]int{}
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Kind, &g.Pupils); err != nil {
			rows.Close()
			return nil, err
		}
		idx[g.ID] = len(out)
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT `+userColsU+`, gs.group_id FROM group_staff gs JOIN users u ON u.id = gs.user_id
JOIN teaching_groups g ON g.id = gs.group_id WHERE g.school_id = $1 ORDER BY u.name`, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var gid int64
		var u sen.User
		if err := scanUser(rows, &u, &gid); err != nil {
			return nil, err
		}
		if i, ok := idx[gid]; ok {
			out[i].Staff = append(out[i].Staff, u)
		}
	}
	return out, rows.Err()
}

const userColsU = `u.id, u.school_id, u.email, u.name, u.role, u.active`

// GroupByName finds a group in the actor's school.
func (s *Store) GroupByName(ctx context.Context, a sen.Actor, name string) (Group, error) {
	var g Group
	err := s.db.QueryRowContext(ctx, `SELECT id, name, kind FROM teaching_groups WHERE school_id = $1 AND name = $2`, a.User.SchoolID, name).Scan(&g.ID, &g.Name, &g.Kind)
	return g, notFound(err)
}

// SetGroupStaff adds (on) or removes a member of staff from a group.
func (s *Store) SetGroupStaff(ctx context.Context, a sen.Actor, groupID, userID int64, on bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var ok bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM teaching_groups g, users u WHERE g.id = $1 AND u.id = $2 AND g.school_id = $3 AND u.school_id = $3)`,
			groupID, userID, a.User.SchoolID).Scan(&ok)
		if err != nil {
			return err
		}
		if !ok {
			return sen.ErrNotFound
		}
		q := `DELETE FROM group_staff WHERE group_id = $1 AND user_id = $2`
		action := "group.staff.remove"
		if on {
			q = `INSERT INTO group_staff (group_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`
			action = "group.staff.add"
		}
		if _, err := tx.ExecContext(ctx, q, groupID, userID); err != nil {
			return fmt.Errorf("store: group staff: %w", err)
		}
		return s.audit(ctx, tx, a, action, "group", groupID, 0, fmt.Sprintf("user=%d", userID))
	})
}
