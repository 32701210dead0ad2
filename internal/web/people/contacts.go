package people

import (
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

type familyPage struct {
	kit.Page
	store.Family
	Restricted  []domain.Contact
	ShowLog     bool
	CanEdit     bool // contacts
	CanLog      bool
	CanKeyAdult bool
	Today       kit.DateField
	Overdue     map[int64]bool
}

func pupilPath(id int64) string { return "/pupils/" + strconv.FormatInt(id, 10) }

// family is the pupil's "Family and contacts": the key adult, the contacts
// with their restrictions, and (for staff who may read it) the contact log
// with its follow-ups.
func (s *module) family(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg := &familyPage{ShowLog: c.Can(authz.ContactLogRead), CanEdit: c.Can(authz.ContactsWrite), CanLog: c.Can(authz.ContactLogWrite),
		CanKeyAdult: c.Can(authz.KeyAdultWrite), Overdue: map[int64]bool{}}
	if pg.Family, err = s.st.Family(r.Context(), c.Actor, id, pg.ShowLog); err != nil {
		return err
	}
	today := s.st.Today()
	for _, e := range pg.Log {
		pg.Overdue[e.ID] = e.Overdue(today)
	}
	pg.Title = "Family and contacts: " + pg.Pupil.FullName()
	pg.Restricted = restricted(pg.Contacts)
	return s.render(w, r, http.StatusOK, "family", pg)
}

type contactForm struct {
	kit.Page
	Pupil         sen.Pupil
	C             domain.Contact
	Relationships sen.Options
	Ways          sen.Options
	Edit          bool
}

var contactOrder = []string{"name", "relationship", "parentalResp", "livesWith", "address", "phone", "email", "preferredWay", "language", "interpreter", "restricted", "restriction"}

func (s *module) contactNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "add a contact")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "contact_form", &contactForm{Page: kit.Page{Title: "Add a contact: " + p.FullName()}, Pupil: p,
		C: domain.Contact{PupilID: id}, Relationships: domain.Relationships, Ways: domain.ContactWays})
}

func (s *module) contactEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	ct, err := s.st.Contact(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	p, err := s.st.Pupil(r.Context(), c.Actor, ct.PupilID, "edit a contact")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "contact_form", &contactForm{Page: kit.Page{Title: "Change a contact: " + ct.Name}, Pupil: p, C: ct,
		Relationships: domain.Relationships, Ways: domain.ContactWays, Edit: true})
}

// contactSave adds a contact (POST /pupils/{id}/contacts/new) or saves one
// (POST /contacts/{id}/edit).
func (s *module) contactSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	edit := strings.HasPrefix(r.URL.Path, "/contacts/")
	pg := &contactForm{Relationships: domain.Relationships, Ways: domain.ContactWays, Edit: edit}
	ct := domain.Contact{PupilID: id}
	if edit {
		old, err := s.st.Contact(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		ct = domain.Contact{ID: id, PupilID: old.PupilID}
		ct.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	}
	if pg.Pupil, err = s.st.Pupil(r.Context(), c.Actor, ct.PupilID, "save a contact"); err != nil {
		return err
	}
	f := r.PostFormValue
	ct.Name, ct.Relationship, ct.Address, ct.Phone, ct.Email = f("name"), f("relationship"), f("address"), f("phone"), f("email")
	ct.PreferredWay, ct.Language, ct.Restriction = f("preferredWay"), f("language"), f("restriction")
	ct.ParentalResp, ct.LivesWith, ct.Interpreter, ct.Restricted = f("parentalResp") == "yes", f("livesWith") == "yes", f("interpreter") == "yes", f("restricted") == "yes"
	pg.C = ct
	pg.Title = "Add a contact: " + pg.Pupil.FullName()
	if edit {
		pg.Title = "Change a contact: " + pg.Pupil.FullName()
	}
	form := s.views.Form("contact_form", pg, contactOrder...)
	if edit {
		err = s.st.UpdateContact(r.Context(), c.Actor, &pg.C)
	} else {
		err = s.st.AddContact(r.Context(), c.Actor, &pg.C)
	}
	if err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, map[bool]string{true: "contact-saved", false: "contact-added"}[edit])
	http.Redirect(w, r, pupilPath(pg.Pupil.ID)+"/family", http.StatusSeeOther)
	return nil
}

type logForm struct {
	kit.Page
	Pupil      sen.Pupil
	Contacts   []domain.Contact
	Restricted []domain.Contact
	E          domain.LogEntry
	Contact    string // the select's value: a contact id or "other"
	Date, Due  kit.DateField
	Kinds      sen.Options
}

var logOrder = []string{"kind", "date", "contact", "with", "summary", "followUp", "followUpDue"}

func (s *module) logPage(r *http.Request, c *kit.Ctx, id int64) (*logForm, error) {
	fam, err := s.st.Family(r.Context(), c.Actor, id, false)
	if err != nil {
		return nil, err
	}
	return &logForm{Page: kit.Page{Title: "Log a contact: " + fam.Pupil.FullName()}, Pupil: fam.Pupil, Contacts: fam.Contacts,
		Restricted: restricted(fam.Contacts), Kinds: domain.LogKinds}, nil
}

func (s *module) logNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.logPage(r, c, id)
	if err != nil {
		return err
	}
	pg.Date = kit.DateFieldOf(s.st.Today())
	pg.E.Kind = r.URL.Query().Get("kind")
	return s.render(w, r, http.StatusOK, "log_form", pg)
}

func (s *module) logSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.logPage(r, c, id)
	if err != nil {
		return err
	}
	pg.E = domain.LogEntry{PupilID: id, Kind: r.PostFormValue("kind"), With: r.PostFormValue("with"), Summary: r.PostFormValue("summary"),
		FollowUp: r.PostFormValue("followUp")}
	pg.Contact = r.PostFormValue("contact")
	if pg.Contact != "other" {
		pg.E.ContactID, _ = strconv.ParseInt(pg.Contact, 10, 64)
	}
	pg.Date, pg.Due = kit.ReadDate(r, "date"), kit.ReadDate(r, "followUpDue")
	fe := sen.FieldErrors{}
	var msg string
	if pg.E.Date, msg = pg.Date.Parse("Date of the contact", true); msg != "" {
		fe.Add("date", msg)
	}
	if pg.E.FollowUpDue, msg = pg.Due.Parse("Follow-up due date", false); msg != "" {
		fe.Add("followUpDue", msg)
	}
	if pg.Contact == "" {
		fe.Add("contact", "Select who the contact was with")
	}
	form := s.views.Form("log_form", pg, logOrder...)
	if len(fe) == 0 {
		fe = pg.E.Validate(s.st.Today())
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddLogEntry(r.Context(), c.Actor, &pg.E); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "contact-logged")
	http.Redirect(w, r, pupilPath(id)+"/family#log", http.StatusSeeOther)
	return nil
}

func (s *module) logDone(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pupilID, err := s.st.CompleteFollowUp(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	s.k.SetFlash(w, "follow-up-done")
	to := pupilPath(pupilID) + "/family#log"
	if r.PostFormValue("from") == "follow-ups" {
		to = "/follow-ups"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type followUpsPage struct {
	kit.Page
	Entries []domain.LogEntry
	Overdue map[int64]bool
	CanLog  bool
}

// followUps lists the contact log follow-ups due in the next week or
// overdue, for the pupils the person may see.
func (s *module) followUps(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.FollowUpsDue(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &followUpsPage{Page: kit.Page{Title: "Contact follow-ups due"}, Entries: list, Overdue: map[int64]bool{}, CanLog: c.Can(authz.ContactLogWrite)}
	today := s.st.Today()
	for _, e := range list {
		pg.Overdue[e.ID] = e.Overdue(today)
	}
	return s.render(w, r, http.StatusOK, "follow_ups", pg)
}

type keyAdultForm struct {
	kit.Page
	Pupil sen.Pupil
	K     domain.KeyAdult
	Staff []sen.User
	Roles sen.Options
}

func (s *module) keyAdultPage(r *http.Request, c *kit.Ctx, id int64) (*keyAdultForm, error) {
	fam, err := s.st.Family(r.Context(), c.Actor, id, false)
	if err != nil {
		return nil, err
	}
	staff, err := s.st.StaffList(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	var teaching []sen.User
	for _, u := range staff {
		if u.Role != sen.RoleGovernor && u.Role != sen.RoleOffice {
			teaching = append(teaching, u)
		}
	}
	return &keyAdultForm{Page: kit.Page{Title: "Key adult: " + fam.Pupil.FullName()}, Pupil: fam.Pupil, K: fam.KeyAdult, Staff: teaching, Roles: domain.KeyAdultRoles}, nil
}

func (s *module) keyAdultForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.keyAdultPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "key_adult", pg)
}

func (s *module) keyAdultSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.keyAdultPage(r, c, id)
	if err != nil {
		return err
	}
	pg.K.StaffID = kit.FormInt(r, "staff")
	pg.K.Role = r.PostFormValue("role")
	pg.K.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if err := s.st.SetKeyAdult(r.Context(), c.Actor, &pg.K); err != nil {
		return s.views.Form("key_adult", pg, "staff", "role").Fail(err)
	}
	s.k.SetFlash(w, "key-adult-saved")
	http.Redirect(w, r, pupilPath(id)+"/family", http.StatusSeeOther)
	return nil
}
