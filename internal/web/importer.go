package web

import (
	"encoding/base64"
	"io"
	"net/http"

	"opensend/internal/web/kit"

	"opensend/internal/importer"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type importPage struct {
	kit.Page
	Columns  []importer.Column
	Result   *importer.Result
	Errors   []importer.RowError
	Data     string // the file, URL-safe base64 (no %-escapes in the form post), carried to the commit step
	Filename string
	New      int
	Updates  int
	Same     int
	// Changes says, per pupil, what the import would do; Added, Updated and
	// Unchanged are its three parts, in file order.
	Added, Updated, Unchanged []importer.Change
	Done                      *store.ImportResult
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "import", &importPage{Page: kit.Page{Title: "Import pupils from your MIS"}, Columns: importer.Columns})
}

// importPreview reads the uploaded file and shows what would happen, or
// every problem by row and field. Nothing is written.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p := &importPage{Page: kit.Page{Title: "Import pupils from your MIS"}, Columns: importer.Columns}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.views.Form("import", p, "file").Check(sen.FieldErrors{"file": "Select a CSV file exported from your MIS"})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, importer.MaxBytes+1))
	if err != nil {
		return err
	}
	p.Filename = hdr.Filename
	return s.previewData(w, r, c, p, data)
}

func (s *Server) previewData(w http.ResponseWriter, r *http.Request, c *kit.Ctx, p *importPage, data []byte) error {
	res := importer.Parse(data, s.st.Today())
	p.Result = &res
	if !res.OK() {
		p.Title = "Import pupils: fix the file"
		msg := "The file has problems: nothing has been imported. Fix them in your MIS export and upload it again"
		if len(res.Errors) == 1 && res.Errors[0].Row == 0 {
			msg = res.Errors[0].Msg
		}
		p.Errors = res.Errors // every problem by row and field, listed under the summary
		return s.views.Form("import", p, "file").Check(sen.FieldErrors{"file": msg})
	}
	upns := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		upns[i] = row.Pupil.UPN
	}
	existing, err := s.st.ImportMatches(r.Context(), c.Actor, upns)
	if err != nil {
		return err
	}
	for _, ch := range importer.Compare(res.Rows, existing) {
		switch ch.Kind {
		case importer.KindNew:
			p.Added = append(p.Added, ch)
		case importer.KindUpdated:
			p.Updated = append(p.Updated, ch)
		default:
			p.Unchanged = append(p.Unchanged, ch)
		}
	}
	p.New, p.Updates, p.Same = len(p.Added), len(p.Updated), len(p.Unchanged)
	p.Title = "Check the import"
	p.Data = base64.URLEncoding.EncodeToString(data)
	return s.render(w, r, http.StatusOK, "import_preview", p)
}

// importCommit re-reads the same file (carried in the form), re-validates it
// and writes all rows in one transaction, or none.
func (s *Server) importCommit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	data, err := base64.URLEncoding.DecodeString(r.PostFormValue("data"))
	p := &importPage{Page: kit.Page{Title: "Import pupils from your MIS"}, Columns: importer.Columns, Filename: r.PostFormValue("filename")}
	if err != nil || len(data) == 0 {
		return s.views.Form("import", p, "file").Check(sen.FieldErrors{"file": "The import could not be read. Upload the file again"})
	}
	res := importer.Parse(data, s.st.Today())
	if !res.OK() {
		return s.previewData(w, r, c, p, data)
	}
	batch := make([]sen.Pupil, len(res.Rows))
	for i, row := range res.Rows {
		batch[i] = row.Pupil
	}
	done, err := s.st.ImportPupils(r.Context(), c.Actor, batch, p.Filename)
	if err != nil {
		// A field error (e.g. a UPN taken meanwhile) is for the person; any
		// other failure is logged without pupil data by the error path and
		// shown generically.
		form := s.views.Form("import", p, "file")
		form.Fields, form.Prefix = map[string]string{"*": "file"}, "The import failed and nothing was saved: "
		return form.Fail(err)
	}
	p.Title = "Import complete"
	p.Done = &done
	return s.render(w, r, http.StatusOK, "import_done", p)
}
