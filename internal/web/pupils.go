package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type pupilListPage struct {
	kit.Page
	Filter     store.PupilFilter
	Pupils     []sen.Pupil
	Total      int
	Classes    []string
	YearGroups []string
	CanWrite   bool
	CanImport  bool
	ShowSEN    bool
	PageNum    int
	Pages      int
	PrevURL    string
	NextURL    string
	Body       template.HTML // "pupilsBody", rendered or reused (bodycache.go)
}

const perPage = 50

func filterFrom(r *http.Request) store.PupilFilter {
	q := r.URL.Query()
	f := store.PupilFilter{
		Query:     strings.TrimSpace(q.Get("q")),
		YearGroup: q.Get("year"),
		ClassName: q.Get("class"),
		Status:    q.Get("status"),
		Need:      q.Get("need"),
		Area:      q.Get("area"),
	}
	if f.YearGroup != "" && !sen.ValidYearGroup(f.YearGroup) {
		f.YearGroup = ""
	}
	if f.Status != "" && f.Status != "SEN" && !sen.ValidStatus(f.Status) {
		f.Status = ""
	}
	if _, ok := sen.LookupNeed(f.Need); !ok {
		f.Need = ""
	}
	if sen.AreaLabel(f.Area) == f.Area {
		f.Area = ""
	}
	return f
}

func pageLinks(r *http.Request, pageNum, total int) (prev, next string, pages int) {
	pages = (total + perPage - 1) / perPage
	q := r.URL.Query()
	if pageNum > 1 {
		q.Set("page", strconv.Itoa(pageNum-1))
		prev = r.URL.Path + "?" + q.Encode()
	}
	if pageNum < pages {
		q.Set("page", strconv.Itoa(pageNum+1))
		next = r.URL.Path + "?" + q.Encode()
	}
	return
}

func (s *Server) pupilList(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	f := filterFrom(r)
	if !c.Can(authz.RegisterRead) {
		// Office staff may not filter by SEN detail.
		f.Status, f.Need, f.Area = "", "", ""
	}
	pageNum, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if pageNum < 1 {
		pageNum = 1
	}
	f.Limit, f.Offset = perPage, (pageNum-1)*perPage
	l, err := s.st.ViewList(r.Context(), c.Actor, f, store.ViewPupilList)
	if err != nil {
		return err
	}
	list, total := l.Pupils, l.Total
	classes, err := s.st.Classes(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &pupilListPage{Page: kit.Page{Title: "Pupils"}, Filter: f, Pupils: list, Total: total, Classes: classes, YearGroups: sen.YearGroups,
		CanWrite: c.Can(authz.PupilWrite), CanImport: c.Can(authz.PupilImport), ShowSEN: c.Can(authz.RegisterRead), PageNum: pageNum}
	p.PrevURL, p.NextURL, p.Pages = pageLinks(r, pageNum, total)
	key := ""
	if l.Stamp != "" {
		key = fmt.Sprintf("pupils %s %t %t %t %s", l.Stamp, p.CanWrite, p.CanImport, p.ShowSEN, r.URL.RawQuery)
	}
	if p.Body, err = s.body("pupils", "pupilsBody", key, func() any { return p }); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pupils", p)
}

// pupilForm is the add/edit form as typed.
type pupilForm struct {
	kit.Page
	ID            int64
	Version       int64
	UPN           string
	Forename      string
	Surname       string
	DOB           kit.DateField
	Sex           string
	YearGroup     string
	ClassName     string
	AdmissionDate kit.DateField
	YearGroups    []string
	Conflict      string
	Current       *sen.Pupil
}

var pupilFieldOrder = []string{"upn", "forename", "surname", "dob", "sex", "yearGroup", "className", "admissionDate"}

func (s *Server) pupilNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "pupil_form", &pupilForm{Page: kit.Page{Title: "Add a pupil"}, YearGroups: sen.YearGroups})
}

func readPupilForm(r *http.Request) *pupilForm {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return &pupilForm{
		Version:       v,
		UPN:           strings.TrimSpace(r.PostFormValue("upn")),
		Forename:      r.PostFormValue("forename"),
		Surname:       r.PostFormValue("surname"),
		DOB:           kit.ReadDate(r, "dob"),
		Sex:           r.PostFormValue("sex"),
		YearGroup:     r.PostFormValue("yearGroup"),
		ClassName:     r.PostFormValue("className"),
		AdmissionDate: kit.ReadDate(r, "admissionDate"),
		YearGroups:    sen.YearGroups,
	}
}

// toPupil validates the form into a pupil, returning field errors.
func (s *Server) toPupil(f *pupilForm) (sen.Pupil, sen.FieldErrors) {
	p := sen.Pupil{ID: f.ID, Version: f.Version, UPN: f.UPN, Forename: f.Forename, Surname: f.Surname, Sex: f.Sex, YearGroup: f.YearGroup, ClassName: f.ClassName}
	var dobErr, admErr string
	p.DOB, dobErr = f.DOB.Parse("Date of birth", true)
	p.AdmissionDate, admErr = f.AdmissionDate.Parse("Admission date", false)
	fe := p.Validate(s.st.Today())
	if dobErr != "" {
		fe["dob"] = dobErr
	}
	if admErr != "" {
		fe["admissionDate"] = admErr
	}
	return p, fe
}

func (s *Server) pupilCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f := readPupilForm(r)
	f.Title = "Add a pupil"
	p, fe := s.toPupil(f)
	form := s.views.Form("pupil_form", f, pupilFieldOrder...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.CreatePupil(r.Context(), c.Actor, &p); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pupil-added")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) pupilEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "edit form")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pupil_form", formOf(p))
}

func formOf(p sen.Pupil) *pupilForm {
	return &pupilForm{Page: kit.Page{Title: "Edit " + p.FullName()}, ID: p.ID, Version: p.Version, UPN: p.UPN, Forename: p.Forename, Surname: p.Surname,
		DOB: kit.DateFieldOf(p.DOB), Sex: p.Sex, YearGroup: p.YearGroup, ClassName: p.ClassName, AdmissionDate: kit.DateFieldOf(p.AdmissionDate), YearGroups: sen.YearGroups}
}

func (s *Server) pupilUpdate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f := readPupilForm(r)
	f.ID = id
	p, fe := s.toPupil(f)
	f.Title = "Edit pupil"
	form := s.views.Form("pupil_form", f, pupilFieldOrder...)
	form.OnConflict = func(ce *sen.ConflictError) error {
		// Show what the other person saved beside what this person typed.
		cur, err := s.st.Pupil(r.Context(), c.Actor, id, "edit conflict")
		if err != nil {
			return err
		}
		f.Conflict, f.Current, f.Version = ce.Error(), &cur, cur.Version
		return nil
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.UpdatePupil(r.Context(), c.Actor, &p); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pupil-saved")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type pupilPage struct {
	kit.Page
	Pupil    sen.Pupil
	History  []sen.StatusChange
	Problems []string
	ShowSEN  bool
	CanEdit  bool
	CanSEN   bool
	CanAudit bool
	Sections []kit.Section
}

func (s *Server) pupilShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "view record")
	if err != nil {
		return err
	}
	pg := &pupilPage{Page: kit.Page{Title: p.FullName()}, Pupil: p, ShowSEN: c.Can(authz.RegisterRead), CanEdit: c.Can(authz.PupilWrite),
		CanSEN: c.Can(authz.RegisterWrite), CanAudit: c.Can(authz.AuditRead)}
	if pg.ShowSEN {
		pg.History, err = s.st.StatusHistory(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		pg.Problems = sen.CheckCensus(p.Status, p.Needs)
	} else {
		p.Needs, pg.Pupil.Needs, pg.Pupil.Status = nil, nil, ""
	}
	// Each module's links, for whoever may follow them (the office reaches
	// the family and contacts without seeing SEN detail).
	for _, m := range s.modules {
		if m.Sections != nil {
			pg.Sections = append(pg.Sections, m.Sections(c, p)...)
		}
	}
	sort.SliceStable(pg.Sections, func(i, j int) bool { return pg.Sections[i].Order < pg.Sections[j].Order })
	return s.render(w, r, http.StatusOK, "pupil", pg)
}

type auditPage struct {
	kit.Page
	Pupil   sen.Pupil
	Entries []auditRow
}

// auditRow is an audit entry with its action in plain English and its
// detail's dates as people read them.
type auditRow struct {
	store.AuditEntry
	What   string
	Detail string
}

func (s *Server) pupilAudit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	entries, err := s.st.PupilAudit(r.Context(), c.Actor, id, 500)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "audit page")
	if err != nil {
		return err
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, What: sen.AuditActionLabel(e.Action), Detail: kit.LongDates(e.Detail)}
		if e.Listed {
			rows[i].What = sen.AuditListedLabel(e.Action)
		}
	}
	return s.render(w, r, http.StatusOK, "audit", &auditPage{Page: kit.Page{Title: "Audit log: " + p.FullName()}, Pupil: p, Entries: rows})
}
