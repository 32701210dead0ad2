package people

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/authz"
	domain "opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

type agenciesPage struct {
	kit.Page
	Agencies []domain.Agency
	CanEdit  bool
}

func (s *module) agencies(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.Agencies(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "agencies", &agenciesPage{Page: kit.Page{Title: "Agencies directory"}, Agencies: list, CanEdit: c.Can(authz.ReferralsWrite)})
}

type agencyForm struct {
	kit.Page
	A     domain.Agency
	Wait  string
	Kinds sen.Options
}

var agencyOrder = []string{"name", "kind", "contactPerson", "phone", "email", "address", "waitWeeks"}

func (s *module) agencyForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg := &agencyForm{Page: kit.Page{Title: "Add a service"}, Kinds: domain.AgencyKinds, A: domain.Agency{WaitWeeks: domain.DefaultWaitWeeks}}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if pg.A, err = s.st.Agency(r.Context(), c.Actor, id); err != nil {
			return err
		}
		pg.Title = "Change a service: " + pg.A.Name
	}
	pg.Wait = strconv.Itoa(pg.A.WaitWeeks)
	return s.render(w, r, http.StatusOK, "agency_form", pg)
}

func (s *module) agencySave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg := &agencyForm{Page: kit.Page{Title: "Add a service"}, Kinds: domain.AgencyKinds}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if _, err := s.st.Agency(r.Context(), c.Actor, id); err != nil {
			return err
		}
		pg.A.ID = id
		pg.A.Version, _ = strconv.Atoi(r.PostFormValue("version"))
		pg.Title = "Change a service"
	}
	f := r.PostFormValue
	pg.A.Name, pg.A.Kind, pg.A.ContactPerson, pg.A.Phone, pg.A.Email, pg.A.Address = f("name"), f("kind"), f("contactPerson"), f("phone"), f("email"), f("address")
	pg.Wait = strings.TrimSpace(f("waitWeeks"))
	form := s.views.Form("agency_form", pg, agencyOrder...)
	form.ConflictInvalid, form.ConflictField = pg.A.ID == 0, "name"
	var err error
	if pg.A.WaitWeeks, err = strconv.Atoi(pg.Wait); err != nil {
		return form.Check(sen.FieldErrors{"waitWeeks": "Enter the waiting time to flag as a whole number of weeks, like 18"})
	}
	if err := s.st.SaveAgency(r.Context(), c.Actor, &pg.A); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "agency-saved")
	http.Redirect(w, r, "/agencies", http.StatusSeeOther)
	return nil
}

// referralRow is a referral with its waiting time and flag as of today.
type referralRow struct {
	domain.Referral
	Weeks   int
	HasWait bool
	Overdue bool
}

func rows(list []domain.Referral, today time.Time) []referralRow {
	out := make([]referralRow, 0, len(list))
	for _, r := range list {
		w, ok := domain.WaitingWeeks(r, today)
		out = append(out, referralRow{Referral: r, Weeks: w, HasWait: ok, Overdue: domain.Overdue(r, today)})
	}
	return out
}

type referralsPage struct {
	kit.Page
	Rows     []referralRow
	Agencies []domain.Agency
	Statuses sen.Options
	Status   string
	Agency   int64
	Overdue  int
	Pupil    sen.Pupil // the pupil's own list
	CanEdit  bool
}

// referrals is the school's list of referrals, by status (or "open",
// "overdue") and service, with waiting times and those waiting too long.
func (s *module) referrals(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	q := r.URL.Query()
	pg := &referralsPage{Page: kit.Page{Title: "Referrals"}, Status: q.Get("status"), CanEdit: c.Can(authz.ReferralsWrite),
		Statuses: append(sen.Options{{Code: "open", Label: "Open (sent, accepted or waiting)"}, {Code: "overdue", Label: "Waiting too long"}}, domain.Statuses...)}
	pg.Agency, _ = strconv.ParseInt(q.Get("agency"), 10, 64)
	f := store.ReferralFilter{AgencyID: pg.Agency}
	if domain.Statuses.Has(pg.Status) {
		f.Status = pg.Status
	} else if pg.Status != "open" && pg.Status != "overdue" {
		pg.Status = ""
	}
	var err error
	if pg.Agencies, err = s.st.Agencies(r.Context(), c.Actor); err != nil {
		return err
	}
	list, err := s.st.Referrals(r.Context(), c.Actor, f)
	if err != nil {
		return err
	}
	for _, row := range rows(list, s.st.Today()) {
		if (pg.Status == "open" && !domain.Open(row.Status)) || (pg.Status == "overdue" && !row.Overdue) {
			continue
		}
		if row.Overdue {
			pg.Overdue++
		}
		pg.Rows = append(pg.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "referrals", pg)
}

func (s *module) pupilReferrals(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "agencies and referrals")
	if err != nil {
		return err
	}
	list, err := s.st.Referrals(r.Context(), c.Actor, store.ReferralFilter{PupilID: id})
	if err != nil {
		return err
	}
	pg := &referralsPage{Page: kit.Page{Title: "Agencies and referrals: " + p.FullName()}, Pupil: p, Rows: rows(list, s.st.Today()), CanEdit: c.Can(authz.ReferralsWrite)}
	for _, row := range pg.Rows {
		if row.Overdue {
			pg.Overdue++
		}
	}
	return s.render(w, r, http.StatusOK, "pupil_referrals", pg)
}

type referralForm struct {
	kit.Page
	Pupil       sen.Pupil
	R           domain.Referral
	Agencies    []domain.Agency
	Restricted  []domain.Contact
	ConsentDate kit.DateField
	NextAppt    kit.DateField
	Edit        bool
}

var referralOrder = []string{"agency", "reason", "consent", "consentBy", "consentDate", "nextAppointment", "outcome"}

func (s *module) referralPage(r *http.Request, c *kit.Ctx, pupilID int64) (*referralForm, error) {
	fam, err := s.st.Family(r.Context(), c.Actor, pupilID, false)
	if err != nil {
		return nil, err
	}
	ags, err := s.st.Agencies(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &referralForm{Page: kit.Page{Title: "Make a referral: " + fam.Pupil.FullName()}, Pupil: fam.Pupil, Agencies: ags, Restricted: restricted(fam.Contacts)}, nil
}

func (s *module) referralNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.referralPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referral_form", pg)
}

func (s *module) referralEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	ref, err := s.st.Referral(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg, err := s.referralPage(r, c, ref.PupilID)
	if err != nil {
		return err
	}
	pg.R, pg.Edit, pg.Title = ref, true, "Change a referral: "+pg.Pupil.FullName()
	pg.ConsentDate, pg.NextAppt = kit.DateFieldOf(ref.ConsentDate), kit.DateFieldOf(ref.NextAppointment)
	return s.render(w, r, http.StatusOK, "referral_form", pg)
}

// referralSave drafts a referral (POST /pupils/{id}/referrals/new) or saves
// its details (POST /referrals/{id}/edit).
func (s *module) referralSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	edit := strings.HasPrefix(r.URL.Path, "/referrals/")
	ref := domain.Referral{PupilID: id}
	if edit {
		old, err := s.st.Referral(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		ref = domain.Referral{ID: id, PupilID: old.PupilID, Status: old.Status}
		ref.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	}
	pg, err := s.referralPage(r, c, ref.PupilID)
	if err != nil {
		return err
	}
	pg.Edit = edit
	if edit {
		pg.Title = "Change a referral: " + pg.Pupil.FullName()
	}
	ref.AgencyID = kit.FormInt(r, "agency")
	ref.Reason, ref.Consent, ref.ConsentBy, ref.Outcome = r.PostFormValue("reason"), r.PostFormValue("consent") == "yes", r.PostFormValue("consentBy"), r.PostFormValue("outcome")
	pg.ConsentDate, pg.NextAppt = kit.ReadDate(r, "consentDate"), kit.ReadDate(r, "nextAppointment")
	fe := sen.FieldErrors{}
	var msg string
	if ref.ConsentDate, msg = pg.ConsentDate.Parse("Date consent was given", false); msg != "" && ref.Consent {
		fe.Add("consentDate", msg)
	}
	if ref.NextAppointment, msg = pg.NextAppt.Parse("Next appointment", false); msg != "" {
		fe.Add("nextAppointment", msg)
	}
	pg.R = ref
	form := s.views.Form("referral_form", pg, referralOrder...)
	if len(fe) == 0 {
		fe = pg.R.Validate(s.st.Today())
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if edit {
		err = s.st.UpdateReferral(r.Context(), c.Actor, &pg.R)
	} else {
		err = s.st.AddReferral(r.Context(), c.Actor, &pg.R)
	}
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, map[bool]string{true: "referral-saved", false: "referral-added"}[edit])
	http.Redirect(w, r, "/referrals/"+strconv.FormatInt(pg.R.ID, 10), http.StatusSeeOther)
	return nil
}

type referralShow struct {
	kit.Page
	R          referralRow
	Pupil      sen.Pupil
	Restricted []domain.Contact
	Next       sen.Options
	Move       string
	Date       kit.DateField
	CanEdit    bool
}

func (s *module) referralShowPage(r *http.Request, c *kit.Ctx, id int64) (*referralShow, error) {
	ref, err := s.st.Referral(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	fam, err := s.st.Family(r.Context(), c.Actor, ref.PupilID, false)
	if err != nil {
		return nil, err
	}
	return &referralShow{Page: kit.Page{Title: "Referral to " + ref.AgencyName + ": " + fam.Pupil.FullName()}, R: rows([]domain.Referral{ref}, s.st.Today())[0],
		Pupil: fam.Pupil, Restricted: restricted(fam.Contacts), Next: domain.NextStatuses(ref.Status), Date: kit.DateFieldOf(s.st.Today()),
		CanEdit: c.Can(authz.ReferralsWrite)}, nil
}

func (s *module) referralShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.referralShowPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referral", pg)
}

func (s *module) referralMove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.referralShowPage(r, c, id)
	if err != nil {
		return err
	}
	pg.Move, pg.Date = r.PostFormValue("status"), kit.ReadDate(r, "date")
	form := s.views.Form("referral", pg, "status", "date")
	date, msg := pg.Date.Parse("Date", true)
	if msg != "" {
		return form.Check(sen.FieldErrors{"date": msg})
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.st.MoveReferral(r.Context(), c.Actor, id, version, pg.Move, date); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "referral-moved")
	http.Redirect(w, r, "/referrals/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
