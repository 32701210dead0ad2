package exams

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/exams"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

type registerPage struct {
	kit.Page
	V        store.ExamRegisterView
	F        store.ExamFilter
	SeriesID string
	Years    []string
	Status   sen.Options
	Today    time.Time
	CanWrite bool
	Primary  bool // the school's pupils are too young for JCQ exams (GCSE and later)
}

// register is the access-arrangements register: every candidate, filtered
// by year, status (on today's date) and series, with the reminders for the
// next series.
func (s *module) register(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	q := r.URL.Query()
	f := store.ExamFilter{Year: q.Get("year"), Status: q.Get("status")}
	if !domain.StatusOptions.Has(f.Status) {
		f.Status = ""
	}
	if !sen.ValidYearGroup(f.Year) {
		f.Year = ""
	}
	f.SeriesID, _ = strconv.ParseInt(q.Get("series"), 10, 64)
	v, err := s.st.ExamRegister(r.Context(), c.Actor, f)
	if err != nil {
		return err
	}
	pg := &registerPage{Page: kit.Page{Title: "Exam access arrangements"}, V: v, F: f, Status: domain.StatusOptions, Today: s.st.Today(),
		Years: []string{"9", "10", "11", "12", "13", "14"}, CanWrite: c.Can(authz.ExamsWrite)}
	switch deadline.Phase(c.School.Phase) {
	case deadline.PhaseEarlyYears, deadline.PhaseInfant, deadline.PhaseFirst, deadline.PhaseJunior, deadline.PhasePrimary, deadline.PhaseMiddle, deadline.PhaseMiddleDeemedPrimary:
		pg.Primary = true
	}
	if f.SeriesID != 0 {
		pg.SeriesID = strconv.FormatInt(f.SeriesID, 10)
	}
	return s.render(w, r, http.StatusOK, "register", pg)
}

type invigilatorPage struct {
	kit.Page
	Series  domain.Series
	Sitting domain.Sitting
	Rows    []store.InvigilatorRow
	Printed string
}

func (s *module) invigilatorRows(r *http.Request, c *kit.Ctx, format string) (*invigilatorPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	series, sit, rows, err := s.st.InvigilatorList(r.Context(), c.Actor, id, format)
	if err != nil {
		return nil, err
	}
	return &invigilatorPage{Page: kit.Page{Title: "Invigilators' list: " + sit.Paper + ", " + sit.Room}, Series: series, Sitting: sit, Rows: rows,
		Printed: kit.FormatDate(s.st.Today())}, nil
}

func (s *module) invigilators(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.invigilatorRows(r, c, "page")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "invigilators", pg)
}

func (s *module) invigilatorsPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.invigilatorRows(r, c, "pdf")
	if err != nil {
		return err
	}
	pg.School = c.School.Name
	doc, err := s.views.Execute("invigilators", "invigilatorsdoc", pg)
	if err != nil {
		return err
	}
	name := "invigilators-" + pg.Sitting.On.Format("2006-01-02") + "-" + pg.Sitting.Session + "-" + kit.FileSafe(pg.Sitting.Room) + ".pdf"
	return s.k.SendPDF(w, r, doc, name, pdf.Footer{Left: c.School.Name + " – " + pg.Sitting.Paper + " – confidential", Right: "Printed " + pg.Printed})
}

func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// arrangementText is one arrangement as an invigilator reads it.
func arrangementText(a domain.Arrangement) string {
	t := domain.KindLabel(a.Kind)
	if a.Detail != "" {
		t += " (" + a.Detail + ")"
	}
	return t
}

func (s *module) invigilatorsCSV(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.invigilatorRows(r, c, "csv")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="invigilators-`+pg.Sitting.On.Format("2006-01-02")+"-"+pg.Sitting.Session+"-"+kit.FileSafe(pg.Sitting.Room)+`.csv"`)
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Exam", "Date", "Session", "Room", "Candidate number", "Surname", "Forename", "Year group", "Access arrangements", "Approval reference"})
	for _, row := range pg.Rows {
		var arr, refs []string
		for _, a := range row.Arrangements {
			arr = append(arr, arrangementText(a))
			if a.ApprovalRef != "" {
				refs = append(refs, a.ApprovalRef)
			}
		}
		_ = cw.Write([]string{csvSafe(pg.Sitting.Paper), kit.FormatDate(pg.Sitting.On), domain.SessionOptions.Label(pg.Sitting.Session), csvSafe(row.Room), csvSafe(row.Candidate),
			csvSafe(row.Pupil.Surname), csvSafe(row.Pupil.Forename), sen.YearGroupLabel(row.Pupil.YearGroup), csvSafe(strings.Join(arr, "; ")), csvSafe(strings.Join(refs, "; "))})
	}
	cw.Flush()
	return cw.Error()
}
