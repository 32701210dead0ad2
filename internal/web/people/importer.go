package people

import (
	"encoding/base64"
	"io"
	"net/http"

	"opensend/internal/importer"
	domain "opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The contacts import follows the pupil import: upload, a preview of every
// row (or every problem by row and column, with nothing written), then one
// all-or-nothing commit of the same file.

type importPage struct {
	kit.Page
	Columns  []importer.Column
	Errors   []importer.RowError
	Rows     []domain.ImportRow
	Ignored  []importer.IgnoredColumn
	New      int
	Updates  int
	Data     string
	Filename string
	Done     bool
}

const importTitle = "Import contacts from your MIS"

func (s *module) importForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "contacts_import", &importPage{Page: kit.Page{Title: importTitle}, Columns: importer.ContactColumns})
}

func (s *module) importPreview(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p := &importPage{Page: kit.Page{Title: importTitle}, Columns: importer.ContactColumns}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.views.Form("contacts_import", p, "file").Check(sen.FieldErrors{"file": "Select a CSV file of contacts exported from your MIS"})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, importer.MaxBytes+1))
	if err != nil {
		return err
	}
	p.Filename = hdr.Filename
	return s.preview(w, r, c, p, data)
}

// check parses the file and matches its pupils; a problem anywhere is a
// row error, and the file is refused whole.
func (s *module) check(r *http.Request, c *kit.Ctx, p *importPage, data []byte) error {
	res := importer.ParseContacts(data)
	p.Errors, p.Ignored = res.Errors, res.Ignored
	if !res.OK() {
		return nil
	}
	p.Rows = make([]domain.ImportRow, len(res.Rows))
	for i, row := range res.Rows {
		p.Rows[i] = domain.ImportRow{Row: row.Row, UPN: row.UPN, Contact: row.Contact}
	}
	unknown, err := s.st.MatchContactImport(r.Context(), c.Actor, p.Rows)
	if err != nil {
		return err
	}
	for _, i := range unknown {
		p.Errors = append(p.Errors, importer.RowError{Row: p.Rows[i].Row, Field: "UPN", Msg: p.Rows[i].UPN + ": " + domain.MsgUnknownUPN})
	}
	return nil
}

func (s *module) preview(w http.ResponseWriter, r *http.Request, c *kit.Ctx, p *importPage, data []byte) error {
	if err := s.check(r, c, p, data); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		p.Title, p.Rows = "Import contacts: fix the file", nil
		msg := "The file has problems: nothing has been imported. Fix them in your MIS export and upload it again"
		if len(p.Errors) == 1 && p.Errors[0].Row == 0 {
			msg = p.Errors[0].Msg
		}
		return s.views.Form("contacts_import", p, "file").Check(sen.FieldErrors{"file": msg})
	}
	for _, row := range p.Rows {
		if row.Update {
			p.Updates++
		} else {
			p.New++
		}
	}
	p.Title = "Check the contacts import"
	p.Data = base64.URLEncoding.EncodeToString(data)
	return s.render(w, r, http.StatusOK, "contacts_import_preview", p)
}

func (s *module) importCommit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p := &importPage{Page: kit.Page{Title: importTitle}, Columns: importer.ContactColumns, Filename: r.PostFormValue("filename")}
	data, err := base64.URLEncoding.DecodeString(r.PostFormValue("data"))
	if err != nil || len(data) == 0 {
		return s.views.Form("contacts_import", p, "file").Check(sen.FieldErrors{"file": "The import could not be read. Upload the file again"})
	}
	if err := s.check(r, c, p, data); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return s.preview(w, r, c, p, data)
	}
	added, updated, err := s.st.ImportContacts(r.Context(), c.Actor, p.Rows, p.Filename)
	if err != nil {
		form := s.views.Form("contacts_import", p, "file")
		form.Fields, form.Prefix = map[string]string{"*": "file"}, "The import failed and nothing was saved: "
		return form.Fail(err)
	}
	p.Title, p.Done, p.New, p.Updates = "Contacts imported", true, added, updated
	return s.render(w, r, http.StatusOK, "contacts_import_preview", p)
}
