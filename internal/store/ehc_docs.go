package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/upload"
)

// safeFilename keeps a display name for downloads: base name only, no
// control or quote characters, at most 100 characters.
func safeFilename(name, ext string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		if r < 32 || r == '"' || r == '/' || r == 127 || r == ';' {
			continue
		}
		b.WriteRune(r)
	}
	n := strings.TrimSpace(b.String())
	n = strings.TrimSuffix(n, path.Ext(n))
	if n == "" || n == "." {
		n = "ehc-plan"
	}
	if len(n) > 100 {
		n = n[:100]
	}
	return n + ext
}

// SetPlanDocument stores an uploaded plan document under a random id and
// attaches it to the plan, replacing (and deleting) any previous one.
func (s *Store) SetPlanDocument(ctx context.Context, a sen.Actor, planID int64, filename string, data []byte) error {
	dt, err := upload.Check(filename, data, ehc.MaxDocumentSize)
	switch {
	case errors.Is(err, upload.ErrEmpty):
		return ehc.ErrNoDocument()
	case errors.Is(err, upload.ErrTooLarge):
		return ehc.ErrDocumentTooLarge()
	case err != nil:
		return ehc.ErrDocumentType()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		id := "doc_" + strings.ToLower(rand.Text())
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_documents (id, school_id, pupil_id, filename, content_type, size, data, uploaded_by, uploaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, p.SchoolID, p.PupilID, safeFilename(filename, dt.Ext), dt.MIME, len(data), data, a.User.ID, s.now()); err != nil {
			return fmt.Errorf("store: document: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET document_id = $2, version = version + 1, updated_at = $3 WHERE id = $1`, planID, id, s.now()); err != nil {
			return err
		}
		if p.DocumentID != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM ehc_documents WHERE id = $1`, p.DocumentID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.plan.document.upload", "ehc_plan", planID, p.PupilID, "type="+dt.MIME)
	})
}

// PlanDocumentFor returns the plan's document and audits the download.
// Teachers and TAs never get it.
func (s *Store) PlanDocumentFor(ctx context.Context, a sen.Actor, planID int64) (ehc.PlanDocument, error) {
	var d ehc.PlanDocument
	if a.User.Role.Scoped() {
		return d, sen.ErrNotFound
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if p.DocumentID == "" {
			return sen.ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `SELECT id, filename, content_type, data FROM ehc_documents WHERE id = $1 AND school_id = $2`, p.DocumentID, a.User.SchoolID).
			Scan(&d.ID, &d.Filename, &d.MIME, &d.Data); err != nil {
			return notFound(err)
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.document.download", "ehc_plan", planID, p.PupilID, "")
	})
	return d, err
}
