package store

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"io"
	"path"
	"strings"

	"opensend/internal/ehc"
	"opensend/internal/sen"
)

// MaxDocumentSize caps an uploaded plan document (the web layer's request
// cap is 6 MB).
const MaxDocumentSize = 5 << 20

// DocType is an accepted document type, identified by content.
type DocType struct {
	MIME string
	Ext  string
}

// SniffDocument identifies an upload by its content, never its name:
// PDF, PNG, JPEG, DOCX/XLSX (a zip whose [Content_Types].xml declares a
// Word or Excel main part) and legacy DOC/XLS (OLE compound file). Anything
// else, including HTML and SVG, is refused (ok false).
func SniffDocument(b []byte) (DocType, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return DocType{"application/pdf", ".pdf"}, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return DocType{"image/png", ".png"}, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return DocType{"image/jpeg", ".jpg"}, true
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		// OLE2 compound file: legacy Word or Excel. The container cannot
		// say which without parsing its directory; serve as a download.
		return DocType{"application/x-ole-storage", ".doc"}, true
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return sniffOOXML(b)
	}
	return DocType{}, false
}

func sniffOOXML(b []byte) (DocType, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return DocType{}, false
	}
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		if f.UncompressedSize64 > 1<<20 {
			return DocType{}, false
		}
		rc, err := f.Open()
		if err != nil {
			return DocType{}, false
		}
		ct, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return DocType{}, false
		}
		switch s := string(ct); {
		case strings.Contains(s, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"):
			return DocType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}, true
		case strings.Contains(s, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"):
			return DocType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}, true
		}
		return DocType{}, false
	}
	return DocType{}, false
}

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
	if len(data) == 0 {
		return sen.FieldErrors{"document": "Select the plan document to upload"}
	}
	if len(data) > MaxDocumentSize {
		return sen.FieldErrors{"document": "The file must be smaller than 5 MB"}
	}
	dt, ok := SniffDocument(data)
	if !ok {
		return sen.FieldErrors{"document": "The file must be a PDF, an image (PNG or JPEG) or a Word or Excel document"}
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
