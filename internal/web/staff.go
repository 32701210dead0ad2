package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/web/kit"

	"opensend/internal/auth"
	"opensend/internal/sen"
	"opensend/internal/store"
)

type staffListPage struct {
	kit.Page
	Staff     []store.StaffMember
	Throttled map[int64]bool
	// RequireTwoFactor is the school's rule for the SENCO, deputy SENCO and SLT.
	RequireTwoFactor bool
}

func staffPath(id int64) string { return "/staff/" + strconv.FormatInt(id, 10) }

func (s *Server) staffList(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	staff, err := s.st.Staff(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	throttled := map[int64]bool{}
	for _, m := range staff {
		throttled[m.ID] = m.Throttled(s.st.Now())
	}
	return s.render(w, r, http.StatusOK, "staff", &staffListPage{Page: kit.Page{Title: "Staff accounts"}, Staff: staff, Throttled: throttled,
		RequireTwoFactor: c.School.RequireTwoFactor})
}

type staffForm struct {
	kit.Page
	ID        int64
	Name      string
	Email     string
	Role      string
	Active    bool
	Roles     []sen.Role
	Password  string // a new temporary password, shown once
	Self      bool
	Throttled bool // wrong passwords or codes are making sign-in wait
	TwoFactor bool // the person has an authenticator app set up
	HasFeed   bool // the person has a personal calendar feed the SENCO can turn off
}

var staffFieldOrder = []string{"name", "email", "role"}

func (s *Server) staffNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "staff_form", &staffForm{Page: kit.Page{Title: "Add a member of staff"}, Roles: sen.Roles, Active: true})
}

// tempPassword is a random 20-character password the person changes after signing in.
func tempPassword() string { return auth.NewToken()[:20] }

func (s *Server) staffCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f := &staffForm{Page: kit.Page{Title: "Add a member of staff"}, Roles: sen.Roles, Active: true,
		Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role")}
	fe := sen.StaffDetails{Name: f.Name, Email: f.Email, Role: sen.Role(f.Role)}.Validate()
	form := s.views.Form("staff_form", f, staffFieldOrder...)
	form.ConflictField, form.ConflictInvalid = "email", true // the address is already in use
	if err := form.Check(fe); err != nil {
		return err
	}
	pw := tempPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	id, err := s.st.CreateUser(r.Context(), c.Actor, store.NewUser{SchoolID: c.Actor.User.SchoolID, Email: f.Email, Name: f.Name, Role: sen.Role(f.Role), PasswordHash: hash,
		TempPasswordUntil: s.st.Now().Add(auth.TempPasswordLife)})
	if err != nil {
		return form.Fail(err)
	}
	f.ID, f.Password, f.Title = id, pw, "Staff account created"
	return s.render(w, r, http.StatusOK, "staff_password", f)
}

func (s *Server) staffEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	m, err := s.st.StaffByID(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	feed, err := s.st.HasCalendarFeed(r.Context(), c.Actor, m.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff_form", &staffForm{Page: kit.Page{Title: "Edit " + m.Name}, ID: m.ID, Name: m.Name, Email: m.Email,
		Role: string(m.Role), Active: m.Active, Roles: sen.Roles, Self: m.ID == c.Actor.User.ID, Throttled: m.Throttled(s.st.Now()), TwoFactor: m.TwoFactor, HasFeed: feed})
}

// staffFeedRevoke turns off a member of staff's personal calendar feed.
func (s *Server) staffFeedRevoke(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := s.st.RevokeStaffCalendarFeed(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "staff-feed-off")
	http.Redirect(w, r, staffPath(id), http.StatusSeeOther)
	return nil
}

func (s *Server) staffUpdate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	m, err := s.st.StaffByID(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	f := &staffForm{Page: kit.Page{Title: "Edit " + m.Name}, ID: id, Email: m.Email, Roles: sen.Roles, Self: id == c.Actor.User.ID,
		Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"), Active: r.PostFormValue("active") == "yes"}
	fe := sen.StaffDetails{Name: f.Name, Email: f.Email, Role: sen.Role(f.Role)}.ValidateEdit()
	if f.Self && (!f.Active || sen.Role(f.Role) != m.Role) {
		fe.Add("role", "You cannot change your own role or deactivate your own account: ask another SENCO")
	}
	form := s.views.Form("staff_form", f, staffFieldOrder...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.UpdateStaff(r.Context(), c.Actor, id, f.Name, sen.Role(f.Role), f.Active); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "staff-saved")
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
	return nil
}

// staffReset sets a new temporary password, clears its sign-in delays and ends its sessions.
func (s *Server) staffReset(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	m, err := s.st.StaffByID(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pw := tempPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(r.Context(), c.Actor, id, hash, s.st.Now().Add(auth.TempPasswordLife)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff_password", &staffForm{Page: kit.Page{Title: "Password reset"}, ID: id, Name: m.Name, Email: m.Email, Password: pw})
}

type passwordPage struct {
	kit.Page
	Temporary bool // signed in with a temporary password: nothing else until it is changed
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	return s.render(w, r, http.StatusOK, "password", &passwordPage{Page: kit.Page{Title: "Change your password"}, Temporary: c.Session.MustChangePassword})
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	cur, pw, pw2 := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	fe := sen.FieldErrors{}
	hash, err := s.st.PasswordHash(r.Context(), c.Actor.User.ID)
	if err != nil {
		return err
	}
	if ok, _, _ := auth.VerifyPassword(hash, cur); !ok {
		fe.Add("current", "Your current password is not correct")
	}
	if msg := auth.ValidatePassword(pw, c.Actor.User.Name, c.Actor.User.Email); msg != "" {
		fe.Add("new", msg)
	} else if pw == cur {
		fe.Add("new", "The new password must be different from the current one")
	}
	if pw2 != pw {
		fe.Add("confirm", "The passwords do not match")
	}
	if err := s.views.Form("password", &passwordPage{Page: kit.Page{Title: "Change your password"}, Temporary: c.Session.MustChangePassword}, "current", "new", "confirm").Check(fe); err != nil {
		return err
	}
	newHash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(r.Context(), c.Actor, c.Actor.User.ID, newHash, time.Time{}); err != nil {
		return err
	}
	s.k.SetFlash(w, "password-changed")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
