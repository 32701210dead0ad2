package provision

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/authz"
	domain "opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// The session register: one form in which the person delivering a session
// marks each pupil in the group on the date present (with the minutes) or
// absent (with the reason), adds notes, or records that the session was not
// delivered and why.

// registerLine is one pupil's line as typed.
type registerLine struct {
	M       domain.Member
	Key     string // the form fields' prefix, "p<pupil id>"
	Present bool
	Reason  string
	Minutes string
	Note    string
}

type registerPage struct {
	kit.Page
	V            store.RegisterView
	Date         time.Time
	DateISO      string
	DateField    kit.DateField
	SessionID    int64
	Version      int64
	Delivered    bool
	Reason       string
	StaffMinutes string
	Note         string
	Lines        []registerLine
	Reasons      sen.Options
	Absences     sen.Options
}

// registerDate reads the session's date from ?date=YYYY-MM-DD or the date
// chooser's boxes; today when neither is given or it is not a real date.
func registerDate(r *http.Request, today time.Time) time.Time {
	q := r.URL.Query()
	if d, err := time.Parse(time.DateOnly, q.Get("date")); err == nil {
		return d
	}
	df := kit.DateField{Day: strings.TrimSpace(q.Get("on-day")), Month: strings.TrimSpace(q.Get("on-month")), Year: strings.TrimSpace(q.Get("on-year"))}
	if d, msg := df.Parse("Date", true); msg == "" {
		return d
	}
	return today
}

func (s *module) registerPage(r *http.Request, c *kit.Ctx, date time.Time) (*registerPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.Register(r.Context(), c.Actor, id, date)
	if err != nil {
		return nil, err
	}
	pg := &registerPage{Page: kit.Page{Title: "Session register: " + v.Run.Name}, V: v, Date: date, DateISO: date.Format(time.DateOnly), DateField: kit.DateFieldOf(date),
		Reasons: domain.NotDeliveredReasons, Absences: domain.AbsenceReasons, Delivered: true}
	minutes := v.Provision.SessionMinutes
	if n, err := strconv.Atoi(r.URL.Query().Get("minutes")); err == nil && n > 0 && n <= domain.MaxSessionMinutes {
		minutes = n
	} else {
		for _, sl := range v.Run.Slots {
			if sl.Weekday == date.Weekday() {
				minutes = sl.Minutes
				break
			}
		}
	}
	pg.StaffMinutes = strconv.Itoa(minutes)
	recorded := map[int64]domain.Attendance{}
	if se := v.Session; se != nil {
		pg.SessionID, pg.Version, pg.Delivered, pg.Reason, pg.Note = se.ID, se.Version, se.Delivered, se.Reason, se.Note
		if se.Delivered {
			pg.StaffMinutes = strconv.Itoa(se.StaffMinutes)
		}
		for _, a := range se.Attendance {
			recorded[a.PupilID] = a
		}
	}
	for _, m := range v.Expected {
		l := registerLine{M: m, Key: "p" + strconv.FormatInt(m.PupilID, 10), Present: true, Minutes: strconv.Itoa(minutes)}
		if a, ok := recorded[m.PupilID]; ok {
			l.Present, l.Reason, l.Note = a.Present, a.Reason, a.Note
			l.Minutes = ""
			if a.Present {
				l.Minutes = strconv.Itoa(a.Minutes)
			}
		}
		pg.Lines = append(pg.Lines, l)
	}
	return pg, nil
}

func (s *module) registerForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.registerPage(r, c, registerDate(r, s.st.Today()))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "register", pg)
}

func (s *module) registerSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, r.PostFormValue("date"))
	if err != nil {
		date = s.st.Today()
	}
	pg, err := s.registerPage(r, c, date)
	if err != nil {
		return err
	}
	f := r.PostForm
	se := domain.Session{ID: kit.FormInt(r, "session"), Version: kit.FormInt(r, "version"), Date: date, Delivered: f.Get("delivered") != "no",
		Reason: f.Get("reason"), Note: f.Get("note")}
	pg.SessionID, pg.Version, pg.Delivered, pg.Reason, pg.Note, pg.StaffMinutes = se.ID, se.Version, se.Delivered, se.Reason, se.Note, f.Get("staffMinutes")
	se.StaffMinutes = atoi(strings.TrimSpace(pg.StaffMinutes))
	order := []string{"date", "delivered", "reason", "staffMinutes"}
	for i, l := range pg.Lines {
		l.Present = f.Get(l.Key+"-present") != "no"
		l.Reason, l.Minutes, l.Note = f.Get(l.Key+"-reason"), f.Get(l.Key+"-minutes"), f.Get(l.Key+"-note")
		pg.Lines[i] = l
		a := domain.Attendance{PupilID: l.M.PupilID, Present: l.Present, Reason: l.Reason, Note: l.Note}
		if l.Present {
			a.Minutes = atoi(strings.TrimSpace(l.Minutes))
		}
		se.Attendance = append(se.Attendance, a)
		order = append(order, l.Key+"-present", l.Key+"-reason", l.Key+"-minutes", l.Key+"-note")
	}
	order = append(order, "note")
	form := s.views.Form("register", pg, order...)
	form.OnConflict = func(*sen.ConflictError) error {
		fresh, err := s.registerPage(r, c, date)
		if err == nil {
			pg.SessionID, pg.Version = fresh.SessionID, fresh.Version
		}
		return err
	}
	if err := s.st.SaveSession(r.Context(), c.Actor, pg.V.Run.ID, &se); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-session-saved")
	http.Redirect(w, r, runURL(pg.V.Run.ID)+"#sessions", http.StatusSeeOther)
	return nil
}

// pupilRunRow is one of a pupil's groups on their page.
type pupilRunRow struct {
	R        store.PupilRun
	Attended domain.Attended
	Progress domain.Progress
	Cost     int64
}

type pupilPage struct {
	kit.Page
	Pupil     sen.Pupil
	Rows      []pupilRunRow
	CanCosts  bool
	TotalCost int64
}

func (s *module) pupilProvision(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, list, err := s.st.PupilProvision(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg := &pupilPage{Page: kit.Page{Title: "Provision and interventions: " + p.FullName()}, Pupil: p, CanCosts: c.Can(authz.ProvisionCosts)}
	var rates []domain.Rate
	if pg.CanCosts {
		if rates, err = s.st.ProvisionRates(r.Context(), c.Actor); err != nil {
			return err
		}
	}
	for _, pr := range list {
		row := pupilRunRow{R: pr, Attended: domain.AttendanceOf(pr.Member, pr.Sessions), Progress: domain.ProgressOf(pr.Member.Entry, pr.Member.Exit, pr.Provision.Direction)}
		if pg.CanCosts {
			cs, _ := costed(pr.Provision, pr.Run, pr.Sessions, rates)
			row.Cost = domain.PupilCost(cs, id, time.Time{}, time.Time{})
			pg.TotalCost += row.Cost
		}
		pg.Rows = append(pg.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "pupil_provision", pg)
}
