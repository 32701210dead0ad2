package ehc

import (
	"errors"
	"fmt"
	"net/http"

	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The school's settings (its type and age range), each plan's next move
// and unopposed appeals: what the statutory duties (domain.Duties) are
// computed from besides the records themselves.

// settingsRoles may change the school's type: the SENCO and the office.
var settingsRoles = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}

type settingsPage struct {
	kit.Page
	S          domain.SchoolSettings
	Types      sen.Options
	YearGroups sen.Options
}

func (s *module) settingsPageFor(r *http.Request, c *kit.Ctx) (*settingsPage, error) {
	set, err := s.st.SchoolSettings(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &settingsPage{Page: kit.Page{Title: "School type, age range and address"}, S: set, Types: domain.SchoolTypes, YearGroups: domain.YearGroupOptions()}, nil
}

func (s *module) settings(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.settingsPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "settings_school", pg)
}

func (s *module) settingsSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	set := domain.SchoolSettings{Type: r.PostFormValue("schoolType"), Lowest: r.PostFormValue("lowestYear"), Highest: r.PostFormValue("highestYear"),
		Address: r.PostFormValue("address"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("replyEmail"), Version: version(r)}
	if err := s.st.SaveSchoolSettings(r.Context(), c.Actor, set); err != nil {
		pg, perr := s.settingsPageFor(r, c)
		if perr != nil {
			return perr
		}
		if !errors.Is(err, sen.ErrConflict) {
			v := pg.S.Version
			pg.S = set
			pg.S.Version = v
		}
		form := s.views.Form("settings_school", pg, "schoolType", "lowestYear", "highestYear", "address", "phone", "replyEmail")
		return form.Fail(err)
	}
	s.k.SetFlash(w, "school-settings-saved")
	http.Redirect(w, r, "/settings/school", http.StatusSeeOther)
	return nil
}

// --- Next move (reg 18) ---

type movePage struct {
	kit.Page
	P            domain.Plan
	M            domain.NextMove
	Has          bool
	Choices      sen.Options
	Types        sen.Options
	MoveDate     kit.DateField
	Transfer     *deadline.Transfer // the transfer as the duties compute it now
	SchoolType   string
	FiveMonthDue string
}

func (s *module) movePageFor(r *http.Request, c *kit.Ctx, planID int64) (*movePage, error) {
	p, err := s.st.Plan(r.Context(), c.Actor, planID)
	if err != nil {
		return nil, err
	}
	d, err := s.st.Duties(r.Context(), c.Actor, planID)
	if err != nil {
		return nil, err
	}
	pg := &movePage{Page: kit.Page{Title: "Next move: " + p.PupilName}, P: p, Choices: domain.MoveChoices, Types: domain.DestinationTypes,
		Transfer: d.Next, SchoolType: domain.SchoolTypeLabel(c.School.Phase)}
	if d.Move != nil {
		pg.M, pg.Has = *d.Move, true
		pg.MoveDate = kit.DateFieldOf(d.Move.Date)
	}
	if d.Next != nil && d.Next.FiveMonths {
		pg.FiveMonthDue = longDate(d.Next.LastDay)
	}
	return pg, nil
}

func (s *module) move(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.movePageFor(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_move", pg)
}

func (s *module) moveSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	m := domain.NextMove{PlanID: id, Choice: r.PostFormValue("choice"), ToType: r.PostFormValue("toType"), ToName: r.PostFormValue("toName"), Version: version(r)}
	df := kit.ReadDate(r, "moveDate")
	date, msg := df.Parse("Date of the move", false)
	if msg != "" {
		err = sen.FieldErrors{"moveDate": msg}
	} else {
		m.Date = date
		err = s.st.SaveNextMove(r.Context(), c.Actor, m)
	}
	if err != nil {
		pg, perr := s.movePageFor(r, c, id)
		if perr != nil {
			return perr
		}
		if !errors.Is(err, sen.ErrConflict) {
			v := pg.M.Version
			pg.M, pg.MoveDate = m, df
			pg.M.Version = v
		}
		return s.views.Form("ehc_move", pg, "choice", "toType", "toName", "moveDate").Fail(err)
	}
	s.k.SetFlash(w, "ehc-move-saved")
	http.Redirect(w, r, "/ehc/transfers", http.StatusSeeOther)
	return nil
}

// --- Unopposed appeals (reg 45) ---

type unopposedPage struct {
	kit.Page
	Action   string // the form's address
	Back     string
	What     string // "request" or "plan"
	Pupil    string
	Notified kit.DateField
	Example  string
}

func (s *module) unopposedPageFor(r *http.Request, c *kit.Ctx, record string, id int64) (*unopposedPage, error) {
	pg := &unopposedPage{Example: dateExample(s.today())}
	switch record {
	case domain.RecordRequest:
		rq, err := s.st.Request(r.Context(), c.Actor, id)
		if err != nil {
			return nil, err
		}
		pg.Pupil, pg.What, pg.Back = rq.PupilName, "request", fmt.Sprintf("/ehc/requests/%d", id)
	default:
		p, err := s.st.Plan(r.Context(), c.Actor, id)
		if err != nil {
			return nil, err
		}
		pg.Pupil, pg.What, pg.Back = p.PupilName, "plan", fmt.Sprintf("/ehc/plans/%d", id)
	}
	pg.Action = pg.Back + "/unopposed"
	pg.Title = "Record an unopposed appeal: " + pg.Pupil
	return pg, nil
}

func (s *module) unopposed(record string) kit.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		pg, err := s.unopposedPageFor(r, c, record, id)
		if err != nil {
			return err
		}
		if r.Method != http.MethodPost {
			return s.render(w, r, http.StatusOK, "ehc_unopposed", pg)
		}
		if err := kit.ParseForm(r); err != nil {
			return err
		}
		df := kit.ReadDate(r, "notified")
		date, msg := df.Parse("Date the local authority told the Tribunal", true)
		u := domain.UnopposedAppeal{Notified: date}
		if record == domain.RecordRequest {
			u.RequestID = id
		} else {
			u.PlanID = id
		}
		if msg != "" {
			err = sen.FieldErrors{"notified": msg}
		} else {
			_, err = s.st.AddUnopposedAppeal(r.Context(), c.Actor, u)
		}
		if err != nil {
			pg.Notified = df
			return s.views.Form("ehc_unopposed", pg, "notified").Fail(err)
		}
		s.k.SetFlash(w, "ehc-unopposed-saved")
		http.Redirect(w, r, "/calendar?kind="+domain.KindAppeal, http.StatusSeeOther)
		return nil
	}
}

// transferWarning is the warning shown when a review meeting is set so
// late that the LA cannot amend the plan (12 weeks: deadline.MeetingDeadlinesFrom)
// before the reg 18 date. "" when there is nothing to warn about.
func transferWarning(meeting deadline.Date, tr *deadline.Transfer) string {
	if tr == nil || meeting.IsZero() || tr.AmendedInTime(meeting) {
		return ""
	}
	return "The meeting on " + meeting.Long() + " is too late for the phase transfer: the amended plan is due 12 weeks after the meeting, on " +
		deadline.MeetingDeadlinesFrom(meeting).AmendedPlan.Long() + ", but the plan must be amended, naming the new setting, before " + tr.Deadline.Long() +
		" (SEND Regulations 2014 regulation 18). Move the meeting to " + latestInTime(tr).Long() + " or earlier, or agree the timetable with the local authority."
}

// latestInTime is the last meeting date whose 12-week amended plan is in time.
func latestInTime(tr *deadline.Transfer) deadline.Date { return tr.LastDay.AddWeeks(-12) }
