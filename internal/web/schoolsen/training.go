package schoolsen

import (
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

type trainingPage struct {
	kit.Page
	Sessions []domain.Session
	Skills   []domain.Skill
	Needs    []domain.TrainingNeed
	CanWrite bool
	Minutes  int
}

func (s *module) training(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	ctx := r.Context()
	pg := &trainingPage{Page: kit.Page{Title: "Staff training and expertise"}, CanWrite: c.Can(authz.SchoolSENWrite)}
	var err error
	if pg.Sessions, err = s.st.TrainingSessions(ctx, c.Actor); err != nil {
		return err
	}
	if pg.Skills, err = s.st.StaffSkills(ctx, c.Actor); err != nil {
		return err
	}
	if pg.Needs, err = s.st.TrainingNeeds(ctx, c.Actor); err != nil {
		return err
	}
	for _, ss := range pg.Sessions {
		pg.Minutes += ss.Minutes * len(ss.Attendees)
	}
	return s.render(w, r, http.StatusOK, "training", pg)
}

type myTrainingPage struct {
	kit.Page
	Rec domain.StaffRecord
}

func (s *module) myTraining(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rec, err := s.st.MyTraining(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "my_training", &myTrainingPage{Page: kit.Page{Title: "My training"}, Rec: rec})
}

type sessionPage struct {
	kit.Page
	S     domain.Session
	Date  kit.DateField
	Hours string
	Staff []sen.User
	Needs []sen.NeedType
	IsNew bool
}

func (s *module) sessionPageFor(r *http.Request, c *kit.Ctx, ss domain.Session) (*sessionPage, error) {
	staff, err := s.st.StaffList(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	title := "Record a training session"
	if ss.ID != 0 {
		title = "Change a training session"
	}
	pg := &sessionPage{Page: kit.Page{Title: title}, S: ss, Date: kit.DateFieldOf(ss.Date), Staff: staff, Needs: sen.NeedTypes, IsNew: ss.ID == 0}
	if ss.Minutes > 0 {
		pg.Hours = strconv.FormatFloat(float64(ss.Minutes)/60, 'f', -1, 64)
	}
	return pg, nil
}

func (s *module) sessionForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	var ss domain.Session
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if ss, err = s.st.TrainingSession(r.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	pg, err := s.sessionPageFor(r, c, ss)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "session_form", pg)
}

func (s *module) sessionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	ss := domain.Session{Topic: r.PostFormValue("topic"), LedBy: r.PostFormValue("ledBy"), Need: r.PostFormValue("need"), Version: int(kit.FormInt(r, "version"))}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if _, err := s.st.TrainingSession(r.Context(), c.Actor, id); err != nil {
			return err
		}
		ss.ID = id
	}
	for _, v := range r.PostForm["attendees"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			ss.Attendees = append(ss.Attendees, n)
		}
	}
	fe := sen.FieldErrors{}
	var df kit.DateField
	ss.Date, df = readDate(r, fe, "date", "Date of the training", true)
	hours := strings.TrimSpace(r.PostFormValue("hours"))
	if m, ok := domain.ParseHours(hours); ok {
		ss.Minutes = m
	} else if hours == "" {
		fe.Add("hours", "Enter how long the training lasted in hours")
	}
	pg, err := s.sessionPageFor(r, c, ss)
	if err != nil {
		return err
	}
	pg.Date, pg.Hours = df, hours
	form := s.views.Form("session_form", pg, "topic", "date", "hours", "ledBy", "need", "attendees")
	for k, v := range ss.Validate(s.st.Today()) {
		fe.Add(k, v)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveTrainingSession(r.Context(), c.Actor, &ss); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-session-saved")
	http.Redirect(w, r, "/staff-training", http.StatusSeeOther)
	return nil
}

type skillPage struct {
	kit.Page
	K       domain.Skill
	Awarded kit.DateField
	Staff   []sen.User
	Needs   []sen.NeedType
	Kinds   sen.Options
}

func (s *module) skillPageFor(r *http.Request, c *kit.Ctx, k domain.Skill) (*skillPage, error) {
	staff, err := s.st.StaffList(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &skillPage{Page: kit.Page{Title: "Record a qualification or specialist skill"}, K: k, Awarded: kit.DateFieldOf(k.Awarded), Staff: staff, Needs: sen.NeedTypes, Kinds: domain.SkillKinds}, nil
}

func (s *module) skillForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.skillPageFor(r, c, domain.Skill{Kind: domain.KindSkill})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "skill_form", pg)
}

func (s *module) skillSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	k := domain.Skill{UserID: kit.FormInt(r, "user"), Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Need: r.PostFormValue("need")}
	fe := sen.FieldErrors{}
	var df kit.DateField
	k.Awarded, df = readDate(r, fe, "awarded", "Date awarded", false)
	pg, err := s.skillPageFor(r, c, k)
	if err != nil {
		return err
	}
	pg.Awarded = df
	form := s.views.Form("skill_form", pg, "user", "kind", "title", "need", "awarded")
	for f, m := range k.Validate(s.st.Today()) {
		fe.Add(f, m)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddStaffSkill(r.Context(), c.Actor, &k); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-skill-saved")
	http.Redirect(w, r, "/staff-training#skills", http.StatusSeeOther)
	return nil
}

func (s *module) skillRemove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := s.st.RemoveStaffSkill(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "ss-skill-removed")
	http.Redirect(w, r, "/staff-training#skills", http.StatusSeeOther)
	return nil
}
