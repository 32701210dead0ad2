package transition

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/sen"
	"opensend/internal/store"
	domain "opensend/internal/transition"
	"opensend/internal/web/kit"
)

type exportPage struct {
	kit.Page
	Leavers    []domain.Leaving
	Pupils     []sen.Pupil
	PupilQuery string
	PupilID    string
	Dest       string
}

var exportOrder = []string{"pupils", "dest"}

func (s *module) exportPage(r *http.Request, c *kit.Ctx) (*exportPage, error) {
	pg := &exportPage{Page: kit.Page{Title: "Download a common transfer file (CTF)"}}
	var err error
	if pg.Leavers, err = s.st.Leavers(r.Context(), c.Actor); err != nil {
		return nil, err
	}
	pg.PupilQuery = strings.TrimSpace(r.URL.Query().Get("q"))
	pg.Pupils, _, err = s.st.ViewPupils(r.Context(), c.Actor, store.PupilFilter{Query: pg.PupilQuery}, store.ViewPupilList)
	return pg, err
}

func (s *module) exportForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.exportPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tr_ctf_export", pg)
}

// export writes the CTF of the leavers ticked (pupils) or the pupil chosen
// (pupil) as a download named by the DfE convention.
func (s *module) export(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	var ids []int64
	for _, v := range append(r.PostForm["pupils"], r.PostFormValue("pupil")) {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	dest, fe := domain.CheckDest(r.PostFormValue("dest"))
	if len(ids) == 0 {
		fe.Add("pupils", domain.ErrNoPupils()["pupils"])
	}
	var file store.CTFFile
	err := fe.Err()
	if err == nil {
		file, err = s.st.ExportCTF(r.Context(), c.Actor, ids, dest, "")
	}
	if err != nil {
		if errors.Is(err, sen.ErrNotFound) {
			fe := sen.FieldErrors{"pupils": "Select pupils of this school"}
			err = fe
		}
		pg, perr := s.exportPage(r, c)
		if perr != nil {
			return perr
		}
		pg.PupilID, pg.Dest = r.PostFormValue("pupil"), r.PostFormValue("dest")
		return s.views.Form("tr_ctf_export", pg, exportOrder...).Fail(err)
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file.Name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(file.Data)
	return err
}

type importPage struct {
	kit.Page
	Filename  string
	Data      string // the file, URL-safe base64, carried to the commit step
	Parsed    *domain.Parsed
	Changes   []domain.Change
	New       int
	Updates   int
	Same      int
	Blocked   bool
	Done      *store.CTFImportResult
	MaxMB     int
	Refused   string
	SourceLbl string
}

func newImportPage() *importPage {
	return &importPage{Page: kit.Page{Title: "Import a common transfer file (CTF)"}, MaxMB: domain.MaxCTFBytes >> 20}
}

func (s *module) importForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "tr_ctf_import", newImportPage())
}

// importPreview reads the uploaded CTF safely and shows, per pupil, what it
// would add or change. Nothing is written (the preview is audited).
func (s *module) importPreview(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg := newImportPage()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.views.Form("tr_ctf_import", pg, "file").Check(sen.FieldErrors{"file": "Select the CTF (an XML file) the previous school sent"})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, domain.MaxCTFBytes+1))
	if err != nil {
		return err
	}
	pg.Filename = hdr.Filename
	return s.preview(w, r, c, pg, data)
}

func (s *module) preview(w http.ResponseWriter, r *http.Request, c *kit.Ctx, pg *importPage, data []byte) error {
	parsed, err := domain.Parse(data, s.st.Today())
	var pe *domain.ParseError
	if errors.As(err, &pe) {
		return s.views.Form("tr_ctf_import", pg, "file").Check(sen.FieldErrors{"file": pe.Msg + ". Nothing has been imported"})
	}
	if err != nil {
		return err
	}
	changes, err := s.st.CTFPreview(r.Context(), c.Actor, parsed)
	if err != nil {
		return err
	}
	pg.Parsed, pg.Changes = &parsed, changes
	for _, ch := range changes {
		switch ch.Kind {
		case domain.ChangeNew:
			pg.New++
		case domain.ChangeUpdate:
			pg.Updates++
		default:
			pg.Same++
		}
	}
	pg.Blocked = !domain.Importable(changes)
	pg.Title = "Check the CTF before importing it"
	pg.Data = base64.URLEncoding.EncodeToString(data)
	if pg.Blocked {
		pg.SetErrors(domain.ErrImportBlocked(), "file")
		return s.render(w, r, http.StatusUnprocessableEntity, "tr_ctf_preview", pg)
	}
	return s.render(w, r, http.StatusOK, "tr_ctf_preview", pg)
}

// importCommit reads the same file again (carried in the form) and commits
// it in one transaction, all or nothing.
func (s *module) importCommit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg := newImportPage()
	pg.Filename = r.PostFormValue("filename")
	data, err := base64.URLEncoding.DecodeString(r.PostFormValue("data"))
	if err != nil || len(data) == 0 {
		return s.views.Form("tr_ctf_import", pg, "file").Check(sen.FieldErrors{"file": "The CTF could not be read. Upload the file again"})
	}
	parsed, err := domain.Parse(data, s.st.Today())
	if err != nil || !parsed.OK() {
		return s.preview(w, r, c, pg, data)
	}
	done, err := s.st.ImportCTF(r.Context(), c.Actor, parsed, pg.Filename)
	if err != nil {
		var fe sen.FieldErrors
		if errors.As(err, &fe) {
			return s.preview(w, r, c, pg, data) // what the school holds changed since the preview
		}
		form := s.views.Form("tr_ctf_import", pg, "file")
		form.Fields, form.Prefix = map[string]string{"*": "file"}, "The import failed and nothing was saved: "
		return form.Fail(err)
	}
	pg.Title, pg.Done = "CTF imported", &done
	return s.render(w, r, http.StatusOK, "tr_ctf_done", pg)
}
