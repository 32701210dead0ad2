package provision

import (
	"net/http"
	"strconv"
	"strings"

	domain "opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// Staff hourly costs (SENCO, deputy and head only): a rate per role and,
// where a person's differs, per person, each with on-costs.

type costsPage struct {
	kit.Page
	Rates  []domain.Rate
	Roles  sen.Options
	Staff  []sen.User
	Who    string
	Hourly string
	OnCost string
}

func (s *module) costsPage(r *http.Request, c *kit.Ctx) (*costsPage, error) {
	rates, err := s.st.ProvisionRates(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	staff, err := s.st.StaffOptions(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	var roles sen.Options
	for _, ro := range []sen.Role{sen.RoleTA, sen.RoleTeacher, sen.RoleSENCO, sen.RoleDeputy} {
		roles = append(roles, sen.Option{Code: "role:" + string(ro), Label: ro.Label()})
	}
	return &costsPage{Page: kit.Page{Title: "Staff costs"}, Rates: rates, Roles: roles, Staff: staff, OnCost: "28"}, nil
}

func (s *module) costs(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.costsPage(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "costs", pg)
}

func (s *module) costSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.costsPage(r, c)
	if err != nil {
		return err
	}
	pg.Who, pg.Hourly, pg.OnCost = r.PostFormValue("who"), r.PostFormValue("hourly"), r.PostFormValue("oncost")
	var rt domain.Rate
	if role, ok := strings.CutPrefix(pg.Who, "role:"); ok {
		rt.Role = sen.Role(role)
	} else if u, ok := strings.CutPrefix(pg.Who, "user:"); ok {
		rt.UserID, _ = strconv.ParseInt(u, 10, 64)
	}
	fe := sen.FieldErrors{}
	var okH, okP bool
	if rt.HourlyPence, okH = domain.ParsePounds(pg.Hourly); !okH {
		fe.Add("hourly", "Enter the hourly cost in pounds, more than £0 and up to £500, like 14.50")
	}
	if rt.OnCostBP, okP = domain.ParsePercent(pg.OnCost); !okP {
		fe.Add("oncost", "Enter the on-costs as a percentage from 0 to 100, like 28")
	}
	for k, v := range rt.Validate() {
		fe.Add(k, v)
	}
	form := s.views.Form("costs", pg, "who", "hourly", "oncost")
	if len(fe) > 0 {
		return form.Check(fe)
	}
	if err := s.st.SaveRate(r.Context(), c.Actor, &rt); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-rate-saved")
	http.Redirect(w, r, "/provision/costs", http.StatusSeeOther)
	return nil
}

func (s *module) costRemove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := s.st.RemoveRate(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "pv-rate-removed")
	http.Redirect(w, r, "/provision/costs", http.StatusSeeOther)
	return nil
}
