package web

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type senFormPage struct {
	kit.Page
	Pupil     sen.Pupil
	Status    string
	StartDate kit.DateField
	DecidedBy string
	Reason    string
	Need1     string // census primary need (rank 1)
	Need2     string // census secondary need (rank 2)
	Need3     string // the additional need, never a census need (sen.AdditionalNeedRank)
	NeedTypes []sen.NeedType
	// The census SEN unit and resourced-provision indicators, offered only
	// where the school's settings say it has that provision.
	Provision          sen.SchoolProvision
	SENUnit            bool
	ResourcedProvision bool
	Conflict           bool
	Version            int64
}

var senFieldOrder = []string{"status", "startDate", "decidedBy", "needs", "need1", "need2", "need3", "senUnit", "resourcedProvision"}

func (s *Server) senForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "register form")
	if err != nil {
		return err
	}
	sc, err := s.st.School(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	f := &senFormPage{Page: kit.Page{Title: "Update SEN register: " + p.FullName()}, Pupil: p, Status: p.Status, NeedTypes: sen.NeedTypes, Version: p.Version,
		Provision: sc.Provision, SENUnit: p.Indicators.SENUnit, ResourcedProvision: p.Indicators.ResourcedProvision}
	for _, n := range p.Needs {
		switch n.Rank {
		case 1:
			f.Need1 = n.Code
		case 2:
			f.Need2 = n.Code
		case sen.AdditionalNeedRank:
			f.Need3 = n.Code
		}
	}
	f.StartDate = kit.DateFieldOf(s.st.Today())
	return s.render(w, r, http.StatusOK, "sen_form", f)
}

func (s *Server) senSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "register save")
	if err != nil {
		return err
	}
	sc, err := s.st.School(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	f := &senFormPage{Page: kit.Page{Title: "Update SEN register: " + p.FullName()}, Pupil: p, NeedTypes: sen.NeedTypes, Version: version, Provision: sc.Provision,
		SENUnit: r.PostFormValue("senUnit") == "yes", ResourcedProvision: r.PostFormValue("resourcedProvision") == "yes",
		Status: r.PostFormValue("status"), StartDate: kit.ReadDate(r, "startDate"), DecidedBy: strings.TrimSpace(r.PostFormValue("decidedBy")),
		Reason: strings.TrimSpace(r.PostFormValue("reason")), Need1: r.PostFormValue("need1"), Need2: r.PostFormValue("need2"), Need3: r.PostFormValue("need3")}
	fe := sen.FieldErrors{}
	if !sen.ValidStatus(f.Status) {
		fe.Add("status", "Select the pupil's SEN provision: no SEN (N), SEN support (K) or EHC plan (E)")
	}
	statusChanged := f.Status != p.Status
	var start = s.st.Today()
	if statusChanged {
		var msg string
		start, msg = f.StartDate.Parse("Start date", true)
		if msg != "" {
			fe.Add("startDate", msg)
		} else if start.After(s.st.Today()) {
			fe.Add("startDate", "Start date must be today or in the past")
		}
		if f.DecidedBy == "" {
			fe.Add("decidedBy", "Enter who made the decision, for example \"SENCO with parents at review meeting\"")
		}
	}
	if len(f.DecidedBy) > 200 {
		fe.Add("decidedBy", "Who decided must be 200 characters or fewer")
	}
	if len(f.Reason) > 2000 {
		fe.Add("reason", "Reason must be 2000 characters or fewer")
	}
	fe.Line("decidedBy", f.DecidedBy)
	fe.Long("reason", f.Reason)
	// Each field keeps its rank: 1 and 2 are the census needs, the third is
	// the additional need and never moves up into the census ranks.
	var needs []sen.Need
	for i, code := range []string{f.Need1, f.Need2, f.Need3} {
		if code == "" {
			continue
		}
		if _, ok := sen.LookupNeed(code); !ok {
			fe.Add(fmt.Sprintf("need%d", i+1), "Select a need from the list")
			continue
		}
		rank := i + 1
		if i == 2 {
			rank = sen.AdditionalNeedRank
		}
		needs = append(needs, sen.Need{Rank: rank, Code: code})
	}
	if f.Need1 == "" && (f.Need2 != "" || f.Need3 != "") {
		fe.Add("need1", "Select the primary need first: the secondary need moves up if there is no primary need")
	} else if f.Need2 == "" && f.Need3 != "" {
		fe.Add("need3", "Select a secondary need before an additional need, or move this need up to the secondary need")
	}
	form := s.views.Form("sen_form", f, senFieldOrder...)
	form.Fields = map[string]string{"needs": "need1"} // the store checks the needs as a list
	form.OnConflict = func(*sen.ConflictError) error {
		f.Conflict = true
		f.Version = p.Version
		return nil
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	var ch *sen.StatusChange
	if statusChanged {
		ch = &sen.StatusChange{Status: f.Status, StartDate: start, DecidedBy: f.DecidedBy, Reason: f.Reason}
	}
	// A flag the school does not offer is not on the form; the store refuses
	// one that was posted anyway (sen.CheckIndicators).
	ind := sen.ProvisionIndicators{SENUnit: f.SENUnit, ResourcedProvision: f.ResourcedProvision}
	if err := s.st.RecordRegister(r.Context(), c.Actor, id, version, ch, needs, ind); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "status-saved")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type registerPage struct {
	kit.Page
	Filter     store.PupilFilter
	Pupils     []sen.Pupil
	Total      int
	Classes    []string
	YearGroups []string
	NeedTypes  []sen.NeedType
	Areas      sen.Options
	CSVURL     string
	CanExport  bool
	CanWrite   bool // may set the school's census provision
	Problems   map[int64][]string
	ProblemN   int
	Body       template.HTML // "registerBody", rendered or reused (bodycache.go)
	// The sort (?sort=, ?dir=; "" is the default order) and the headers.
	Sort, Dir string
	Heads     []sortHeader
}

// registerRows lists the register for the request and audits the view.
func (s *Server) registerRows(r *http.Request, c *kit.Ctx, view store.ListView) (store.PupilFilter, store.Listing, error) {
	f := filterFrom(r)
	if f.Status == "" {
		f.Status = "SEN"
	}
	if r.URL.Query().Get("status") == "all" {
		f.Status = ""
	}
	l, err := s.st.ViewList(r.Context(), c.Actor, f, view)
	return f, l, err
}

func (s *Server) register(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	f, l, err := s.registerRows(r, c, store.ViewRegister)
	if err != nil {
		return err
	}
	list, total := l.Pupils, l.Total
	sortKey, dir, list, heads := registerSort(r.URL.Query(), list)
	classes, err := s.st.Classes(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &registerPage{Page: kit.Page{Title: "SEN register"}, Filter: f, Pupils: list, Total: total, Classes: classes, YearGroups: sen.YearGroups,
		NeedTypes: sen.NeedTypes, Areas: sen.Areas, CanExport: c.Can(authz.RegisterExport), CanWrite: c.Can(authz.RegisterWrite), Problems: map[int64][]string{},
		Sort: sortKey, Dir: dir, Heads: heads}
	if r.URL.Query().Get("status") == "all" {
		p.Filter.Status = "all"
	}
	p.CSVURL = "/register.csv?" + r.URL.RawQuery
	key := ""
	if l.Stamp != "" {
		// The sort is part of the key (as read, besides the raw query).
		key = fmt.Sprintf("register %s %t %t sort=%s,%s %s", l.Stamp, p.CanExport, p.CanWrite, sortKey, dir, r.URL.RawQuery)
	}
	if p.Body, err = s.body("register", "registerBody", key, func() any {
		for _, pu := range list {
			if probs := sen.CheckCensus(pu.Status, pu.Needs); len(probs) > 0 {
				p.Problems[pu.ID] = probs
				p.ProblemN++
			}
		}
		return p
	}); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "register", p)
}

// csvSafe stops spreadsheet formula injection in exported cells.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func (s *Server) registerCSV(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	// The download is audited as it is listed (store.ViewRegisterCSV).
	_, l, err := s.registerRows(r, c, store.ViewRegisterCSV)
	if err != nil {
		return err
	}
	list := l.Pupils
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sen-register-`+s.st.Today().Format("2006-01-02")+`.csv"`)
	// A UTF-8 byte order mark first, so Excel opens the file as UTF-8
	// (names with accents are not shown as mojibake).
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"UPN", "Surname", "Forename", "Date of birth", "Year group", "Class", "SEN provision", "Since", "Primary need", "Secondary need", "Broad areas", "Census check", sen.AdditionalNeedLabel,
		"SEN unit", "Resourced provision"})
	for _, p := range list {
		// The census columns hold ranks 1 and 2 only; the additional need has
		// its own, labelled column and no broad area.
		var n1, n2, extra string
		for _, n := range p.Needs {
			switch {
			case n.Rank == 1:
				n1 = n.Code
			case n.Rank == 2:
				n2 = n.Code
			case !n.InCensus():
				extra = n.Code
			}
		}
		areas := make([]string, 0, 2)
		for _, a := range sen.NeedAreas(p.Needs) {
			areas = append(areas, sen.AreaLabel(a))
		}
		check := "OK"
		if probs := sen.CheckCensus(p.Status, p.Needs); len(probs) > 0 {
			check = strings.Join(probs, "; ")
		}
		since := ""
		if !p.StatusFrom.IsZero() {
			since = p.StatusFrom.Format("2006-01-02")
		}
		row := []string{p.UPN, p.Surname, p.Forename, p.DOB.Format("2006-01-02"), p.YearGroup, p.ClassName, p.Status, since, n1, n2, strings.Join(areas, "; "), check, extra,
			yesNo(p.Indicators.SENUnit), yesNo(p.Indicators.ResourcedProvision)}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// yesNo writes a census indicator (SENunitIndicator, ResourcedProvisionIndicator) for a person.
func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// The school's census provision: whether it has an SEN unit or resourced
// provision (recorded on GIAS), which decides whether the SEN form offers the
// per-pupil indicators.

type provisionPage struct {
	kit.Page
	SENUnit            bool
	ResourcedProvision bool
}

func (s *Server) provisionForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	sc, err := s.st.School(r.Context(), c.Actor.User.SchoolID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "census_provision", &provisionPage{Page: kit.Page{Title: "Census provision"},
		SENUnit: sc.Provision.SENUnit, ResourcedProvision: sc.Provision.ResourcedProvision})
}

func (s *Server) provisionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg := &provisionPage{Page: kit.Page{Title: "Census provision"}, SENUnit: r.PostFormValue("senUnit") == "yes", ResourcedProvision: r.PostFormValue("resourcedProvision") == "yes"}
	form := s.views.Form("census_provision", pg, "senUnit", "resourcedProvision")
	if err := s.st.SetSchoolProvision(r.Context(), c.Actor, sen.SchoolProvision{SENUnit: pg.SENUnit, ResourcedProvision: pg.ResourcedProvision}); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "provision-saved")
	http.Redirect(w, r, "/register", http.StatusSeeOther)
	return nil
}
