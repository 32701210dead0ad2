package provision

import (
	"fmt"
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

// Groups: a run of a provision with its staff, dates, slots and pupils.

const slotRows = 3

type runsPage struct {
	kit.Page
	List []store.RunListItem
	Mine bool
}

func (s *module) runs(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	mine := r.URL.Query().Get("mine") == "yes"
	list, err := s.st.Runs(r.Context(), c.Actor, store.RunFilter{Mine: mine})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "groups", &runsPage{Page: kit.Page{Title: "Intervention groups"}, List: list, Mine: mine})
}

// slotForm is one slot row as typed.
type slotForm struct{ Day, Start, Minutes, Place string }

type runFormPage struct {
	kit.Page
	Provision domain.Provision
	R         domain.Run
	IsNew     bool
	Staff     []sen.User
	Starts    kit.DateField
	Ends      kit.DateField
	Capacity  string
	Slots     []slotForm
	Weekdays  sen.Options
}

func (s *module) runForm(r *http.Request, c *kit.Ctx, p domain.Provision, run domain.Run, isNew bool) (*runFormPage, error) {
	staff, err := s.st.StaffOptions(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	pg := &runFormPage{Page: kit.Page{Title: "Change the group: " + run.Name}, Provision: p, R: run, IsNew: isNew, Staff: staff, Weekdays: domain.Weekdays,
		Starts: kit.DateFieldOf(run.Starts), Ends: kit.DateFieldOf(run.Ends), Capacity: strconv.Itoa(run.Capacity)}
	if isNew {
		pg.Title = "Start a group: " + p.Name
	}
	for i := 0; i < slotRows; i++ {
		var sf slotForm
		if i < len(run.Slots) {
			sl := run.Slots[i]
			sf = slotForm{Day: strconv.Itoa(int(sl.Weekday)), Start: sl.StartText(), Minutes: strconv.Itoa(sl.Minutes), Place: sl.Place}
		} else if isNew && i == 0 {
			sf.Minutes = strconv.Itoa(p.SessionMinutes)
		}
		pg.Slots = append(pg.Slots, sf)
	}
	return pg, nil
}

// readRun reads the group form into run and the page, returning the
// errors of what could not be read.
func readRun(r *http.Request, pg *runFormPage, run *domain.Run) sen.FieldErrors {
	fe := sen.FieldErrors{}
	f := r.PostForm
	run.Name, run.OneToOne = f.Get("name"), f.Get("oneToOne") == "yes"
	run.Staff = nil
	for _, v := range f["staff"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			run.Staff = append(run.Staff, id)
		}
	}
	pg.Starts, pg.Ends, pg.Capacity = kit.ReadDate(r, "starts"), kit.ReadDate(r, "ends"), f.Get("capacity")
	var msg string
	if run.Starts, msg = pg.Starts.Parse("Start date", true); msg != "" {
		fe.Add("starts", msg)
	}
	if run.Ends, msg = pg.Ends.Parse("End date", false); msg != "" {
		fe.Add("ends", msg)
	}
	run.Capacity = atoi(strings.TrimSpace(pg.Capacity))
	run.Slots = nil
	pg.Slots = nil
	for i := 1; i <= slotRows; i++ {
		sf := slotForm{Day: f.Get(fmt.Sprintf("slot%dDay", i)), Start: strings.TrimSpace(f.Get(fmt.Sprintf("slot%dStart", i))),
			Minutes: strings.TrimSpace(f.Get(fmt.Sprintf("slot%dMinutes", i))), Place: f.Get(fmt.Sprintf("slot%dPlace", i))}
		pg.Slots = append(pg.Slots, sf)
		if sf.Day == "" && sf.Start == "" {
			continue
		}
		sl := domain.Slot{Weekday: time.Weekday(atoi(sf.Day)), Minutes: atoi(sf.Minutes), Place: strings.TrimSpace(sf.Place)}
		start, ok := domain.ParseClock(sf.Start)
		if !ok {
			fe.Add(fmt.Sprintf("slot%dStart", len(run.Slots)+1), "Enter a start time in the school day, between 07:00 and 19:00, like 10:30")
		}
		sl.Start = start
		run.Slots = append(run.Slots, sl)
	}
	for k, v := range run.Validate() {
		fe.Add(k, v)
	}
	return fe
}

var runOrder = []string{"name", "staff", "starts", "ends", "capacity", "slot1Day", "slot1Start", "slot1Minutes", "slot1Place", "slot2Day", "slot2Start", "slot2Minutes", "slot3Day", "slot3Start", "slot3Minutes"}

func (s *module) runNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Provision(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if p.Retired {
		return sen.ErrNotFound
	}
	today := s.st.Today()
	run := domain.Run{ProvisionID: p.ID, Name: p.Name, Starts: today, Ends: today.AddDate(0, 0, 7*p.Weeks-3), Capacity: p.GroupSize, OneToOne: p.GroupSize == 1}
	pg, err := s.runForm(r, c, p, run, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "group_form", pg)
}

func (s *module) runCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Provision(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	run := domain.Run{ProvisionID: p.ID}
	pg, err := s.runForm(r, c, p, run, true)
	if err != nil {
		return err
	}
	fe := readRun(r, pg, &run)
	pg.R = run
	form := s.views.Form("group_form", pg, runOrder...)
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.StartRun(r.Context(), c.Actor, &run); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-run-started")
	http.Redirect(w, r, runURL(run.ID), http.StatusSeeOther)
	return nil
}

func runURL(id int64) string { return "/provision-groups/" + strconv.FormatInt(id, 10) }

func (s *module) runEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "change the group")
	if err != nil {
		return err
	}
	pg, err := s.runForm(r, c, v.Provision, v.Run, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "group_form", pg)
}

func (s *module) runSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "change the group")
	if err != nil {
		return err
	}
	run := v.Run
	run.Version = kit.FormInt(r, "version")
	pg, err := s.runForm(r, c, v.Provision, run, false)
	if err != nil {
		return err
	}
	fe := readRun(r, pg, &run)
	pg.R = run
	form := s.views.Form("group_form", pg, runOrder...)
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.SaveRun(r.Context(), c.Actor, &run); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-run-saved")
	http.Redirect(w, r, runURL(id), http.StatusSeeOther)
	return nil
}

// memberRow is one pupil of a group as its page shows them.
type memberRow struct {
	M        domain.Member
	Attended domain.Attended
	Progress domain.Progress
	Cost     int64
}

// sessionRow is one session as the group page shows it.
type sessionRow struct {
	S       domain.Session
	Present int
	Cost    int64
}

type runPage struct {
	kit.Page
	V         store.RunView
	Members   []memberRow
	Sessions  []sessionRow
	Delivered int
	TotalCost int64
	NoRate    []string // staff who delivered sessions with no hourly cost set
	CanWrite  bool
	CanCosts  bool
	Today     time.Time
	TodaySlot *domain.Slot
	TodayISO  string
	FullGroup bool
}

// costed builds the cost rules' view of a run's sessions.
func costed(p domain.Provision, run domain.Run, sessions []domain.Session, rates []domain.Rate) ([]domain.CostedSession, []string) {
	var out []domain.CostedSession
	var missing []string
	seen := map[int64]bool{}
	for _, se := range sessions {
		rate, ok := domain.RateFor(rates, se.DeliveredBy, se.ByRole)
		if !ok && se.Delivered && !seen[se.DeliveredBy] {
			seen[se.DeliveredBy] = true
			missing = append(missing, se.ByName)
		}
		cs := domain.CostedSession{Date: se.Date, Delivered: se.Delivered, StaffMinutes: se.StaffMinutes, Rate: rate, ResourcePence: p.ResourcePence, OneToOne: run.OneToOne}
		for _, a := range se.Attendance {
			if a.Present {
				cs.Present = append(cs.Present, a.PupilID)
			}
		}
		out = append(out, cs)
	}
	return out, missing
}

func (s *module) runShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "group page")
	if err != nil {
		return err
	}
	today := s.st.Today()
	pg := &runPage{Page: kit.Page{Title: v.Run.Name}, V: v, CanWrite: c.Can(authz.ProvisionWrite), CanCosts: c.Can(authz.ProvisionCosts),
		Today: today, TodayISO: today.Format(time.DateOnly)}
	pg.FullGroup = !domain.HasRoom(v.Run.Members, today, v.Run.Capacity)
	for i, sl := range v.Run.Slots {
		if sl.Weekday == today.Weekday() {
			pg.TodaySlot = &v.Run.Slots[i]
			break
		}
	}
	var cs []domain.CostedSession
	if pg.CanCosts {
		rates, err := s.st.ProvisionRates(r.Context(), c.Actor)
		if err != nil {
			return err
		}
		cs, pg.NoRate = costed(v.Provision, v.Run, v.Sessions, rates)
	}
	for i, se := range v.Sessions {
		row := sessionRow{S: se, Present: se.Present()}
		if se.Delivered {
			pg.Delivered++
		}
		if cs != nil {
			row.Cost = domain.SessionCost(cs[i])
			pg.TotalCost += row.Cost
		}
		pg.Sessions = append(pg.Sessions, row)
	}
	for _, m := range v.Run.Members {
		row := memberRow{M: m, Attended: domain.AttendanceOf(m, v.Sessions), Progress: domain.ProgressOf(m.Entry, m.Exit, v.Provision.Direction)}
		if cs != nil {
			row.Cost = domain.PupilCost(cs, m.PupilID, time.Time{}, time.Time{})
		}
		pg.Members = append(pg.Members, row)
	}
	return s.render(w, r, http.StatusOK, "group_show", pg)
}

type enrolPage struct {
	kit.Page
	V          store.RunView
	Pupils     []sen.Pupil
	PupilQuery string
	PupilID    string
	Joined     kit.DateField
}

func (s *module) enrolPage(r *http.Request, c *kit.Ctx) (*enrolPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "add a pupil")
	if err != nil {
		return nil, err
	}
	pg := &enrolPage{Page: kit.Page{Title: "Add a pupil: " + v.Run.Name}, V: v}
	pg.PupilQuery = strings.TrimSpace(r.URL.Query().Get("q"))
	pg.Pupils, _, err = s.st.ViewPupils(r.Context(), c.Actor, store.PupilFilter{Query: pg.PupilQuery}, store.ViewPupilList)
	return pg, err
}

func (s *module) enrolForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.enrolPage(r, c)
	if err != nil {
		return err
	}
	joined := s.st.Today()
	if joined.Before(pg.V.Run.Starts) {
		joined = pg.V.Run.Starts
	}
	pg.Joined = kit.DateFieldOf(joined)
	return s.render(w, r, http.StatusOK, "enrol", pg)
}

func (s *module) enrolSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.enrolPage(r, c)
	if err != nil {
		return err
	}
	pg.PupilID, pg.Joined = r.PostFormValue("pupil"), kit.ReadDate(r, "joined")
	fe := sen.FieldErrors{}
	pid, _ := strconv.ParseInt(pg.PupilID, 10, 64)
	if pid <= 0 {
		fe.Add("pupil", "Select the pupil")
	}
	joined, msg := pg.Joined.Parse("Date joined", true)
	if msg != "" {
		fe.Add("joined", msg)
	}
	form := s.views.Form("enrol", pg, "pupil", "joined")
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.EnrolPupil(r.Context(), c.Actor, pg.V.Run.ID, pid, joined); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-pupil-enrolled")
	http.Redirect(w, r, runURL(pg.V.Run.ID)+"#pupils", http.StatusSeeOther)
	return nil
}

type memberPage struct {
	kit.Page
	V      store.RunView
	M      domain.Member
	Joined kit.DateField
	Left   kit.DateField
}

func (s *module) memberPage(r *http.Request, c *kit.Ctx) (*memberPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	mid, err := kit.PathInt(r, "member")
	if err != nil {
		return nil, err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "a pupil's dates in the group")
	if err != nil {
		return nil, err
	}
	for _, m := range v.Run.Members {
		if m.ID == mid {
			return &memberPage{Page: kit.Page{Title: "Dates in the group: " + m.Pupil.FullName()}, V: v, M: m, Joined: kit.DateFieldOf(m.Joined), Left: kit.DateFieldOf(m.Left)}, nil
		}
	}
	return nil, sen.ErrNotFound
}

func (s *module) memberForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.memberPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "member", pg)
}

func (s *module) memberSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.memberPage(r, c)
	if err != nil {
		return err
	}
	pg.Joined, pg.Left = kit.ReadDate(r, "joined"), kit.ReadDate(r, "left")
	fe := sen.FieldErrors{}
	joined, msg := pg.Joined.Parse("Date joined", true)
	if msg != "" {
		fe.Add("joined", msg)
	}
	left, msg := pg.Left.Parse("Date left", false)
	if msg != "" {
		fe.Add("left", msg)
	}
	form := s.views.Form("member", pg, "joined", "left")
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.SetMemberDates(r.Context(), c.Actor, pg.V.Run.ID, pg.M.ID, kit.FormInt(r, "version"), joined, left); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-member-saved")
	http.Redirect(w, r, runURL(pg.V.Run.ID)+"#pupils", http.StatusSeeOther)
	return nil
}

// scoreRow is one pupil's line of the scores form.
type scoreRow struct {
	M           domain.Member
	Entry, Exit string
	Progress    domain.Progress
}

type scoresPage struct {
	kit.Page
	V    store.RunView
	Rows []scoreRow
	Hint string
}

func (s *module) scoresPage(r *http.Request, c *kit.Ctx) (*scoresPage, error) {
	id, err := kit.PathID(r)
	if err != nil {
		return nil, err
	}
	v, err := s.st.Run(r.Context(), c.Actor, id, "entry and exit scores")
	if err != nil {
		return nil, err
	}
	if !v.MayDeliver {
		return nil, sen.ErrNotFound
	}
	pg := &scoresPage{Page: kit.Page{Title: "Entry and exit scores: " + v.Run.Name}, V: v, Hint: domain.ScoreHint(v.Provision.Scale)}
	for _, m := range v.Run.Members {
		pg.Rows = append(pg.Rows, scoreRow{M: m, Entry: domain.ScoreInput(v.Provision.Scale, m.Entry), Exit: domain.ScoreInput(v.Provision.Scale, m.Exit),
			Progress: domain.ProgressOf(m.Entry, m.Exit, v.Provision.Direction)})
	}
	return pg, nil
}

func (s *module) scoresForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.scoresPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "scores", pg)
}

func (s *module) scoresSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.scoresPage(r, c)
	if err != nil {
		return err
	}
	scale := pg.V.Provision.Scale
	fe := sen.FieldErrors{}
	var scores []store.MemberScores
	var order []string
	read := func(field, v string) *int {
		order = append(order, field)
		if strings.TrimSpace(v) == "" {
			return nil
		}
		n, ok := domain.ParseScore(scale, v)
		if !ok {
			fe.Add(field, "Enter a score on the scale: "+strings.ToLower(domain.ScoreHint(scale)[:1])+domain.ScoreHint(scale)[1:])
			return nil
		}
		return &n
	}
	for i, row := range pg.Rows {
		key := "m" + strconv.FormatInt(row.M.ID, 10)
		row.Entry, row.Exit = r.PostFormValue(key+"-entry"), r.PostFormValue(key+"-exit")
		pg.Rows[i] = row
		ms := store.MemberScores{MemberID: row.M.ID, Version: kit.FormInt(r, key+"-version")}
		ms.Entry, ms.Exit = read(key+"-entry", row.Entry), read(key+"-exit", row.Exit)
		if ms.Exit != nil && ms.Entry == nil {
			fe.Add(key+"-entry", "Enter the entry score before the exit score")
		}
		scores = append(scores, ms)
	}
	form := s.views.Form("scores", pg, order...)
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.SaveScores(r.Context(), c.Actor, pg.V.Run.ID, scores); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-scores-saved")
	http.Redirect(w, r, runURL(pg.V.Run.ID)+"#pupils", http.StatusSeeOther)
	return nil
}
