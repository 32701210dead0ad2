package provision

import (
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/provision"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

type libraryPage struct {
	kit.Page
	List     []domain.Provision
	Area     string
	Wave     string
	Retired  bool
	Areas    sen.Options
	Waves    sen.Options
	CanWrite bool
}

func (s *module) library(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	q := r.URL.Query()
	f := store.ProvisionFilter{Area: q.Get("area"), Wave: q.Get("wave"), Retired: q.Get("retired") == "yes"}
	if !sen.BroadAreas.Has(f.Area) {
		f.Area = ""
	}
	if !domain.Waves.Has(f.Wave) {
		f.Wave = ""
	}
	list, err := s.st.Provisions(r.Context(), c.Actor, f)
	if err != nil {
		return err
	}
	pg := &libraryPage{Page: kit.Page{Title: "Provision library"}, List: list, Area: f.Area, Wave: f.Wave, Retired: f.Retired,
		Areas: sen.BroadAreas, Waves: domain.Waves, CanWrite: c.Can(authz.ProvisionWrite)}
	return s.render(w, r, http.StatusOK, "library", pg)
}

type provisionPage struct {
	kit.Page
	P          domain.Provision
	IsNew      bool
	Resource   string // resources cost per session as typed
	Minutes    string
	PerWeek    string
	Weeks      string
	GroupSize  string
	Areas      sen.Options
	Waves      sen.Options
	Scales     sen.Options
	Directions sen.Options
	Deliverers sen.Options
	Staff      []sen.User
	Runs       []store.RunListItem
	CanWrite   bool
	CanCosts   bool
}

var provisionOrder = []string{"name", "description", "areas", "wave", "outcomes", "evidence", "evidenceURL", "sessionMinutes", "sessionsPerWeek", "weeks",
	"groupSize", "deliverer", "service", "resources", "resourceCost", "measure", "scale", "direction", "staff"}

func (s *module) provisionPage(r *http.Request, c *kit.Ctx, p domain.Provision, isNew bool) (*provisionPage, error) {
	staff, err := s.st.StaffOptions(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	pg := &provisionPage{Page: kit.Page{Title: "Change a provision"}, P: p, IsNew: isNew, Areas: sen.BroadAreas, Waves: domain.Waves, Scales: domain.Scales,
		Directions: domain.Directions, Deliverers: domain.Deliverers, Staff: staff, Resource: domain.PenceText(p.ResourcePence)}
	if isNew {
		pg.Title = "Add a provision to the library"
	}
	if p.SessionMinutes > 0 {
		pg.Minutes, pg.PerWeek, pg.Weeks, pg.GroupSize = strconv.Itoa(p.SessionMinutes), strconv.Itoa(p.SessionsPerWeek), strconv.Itoa(p.Weeks), strconv.Itoa(p.GroupSize)
	}
	return pg, nil
}

func (s *module) provisionShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Provision(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	runs, err := s.st.Runs(r.Context(), c.Actor, store.RunFilter{ProvisionID: id})
	if err != nil {
		return err
	}
	pg := &provisionPage{Page: kit.Page{Title: p.Name}, P: p, Runs: runs, CanWrite: c.Can(authz.ProvisionWrite), CanCosts: c.Can(authz.ProvisionCosts)}
	return s.render(w, r, http.StatusOK, "provision_show", pg)
}

func (s *module) provisionEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p := domain.Provision{Wave: domain.WaveTargeted, Deliverer: string(sen.RoleTA), Direction: domain.HigherBetter, SessionMinutes: 30, SessionsPerWeek: 2, Weeks: 10, GroupSize: 4}
	isNew := r.PathValue("id") == ""
	if !isNew {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if p, err = s.st.Provision(r.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	pg, err := s.provisionPage(r, c, p, isNew)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "provision_form", pg)
}

func (s *module) provisionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	var p domain.Provision
	isNew := r.PathValue("id") == ""
	if !isNew {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if p, err = s.st.Provision(r.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	f := r.PostForm
	p.Version = kit.FormInt(r, "version")
	p.Name, p.Description, p.Outcomes = f.Get("name"), f.Get("description"), f.Get("outcomes")
	p.Evidence, p.EvidenceURL, p.Wave = f.Get("evidence"), f.Get("evidenceURL"), f.Get("wave")
	p.Areas = f["areas"]
	p.Deliverer, p.Service, p.Resources, p.Measure = f.Get("deliverer"), f.Get("service"), f.Get("resources"), f.Get("measure")
	p.Scale, p.Direction, p.Confidential = f.Get("scale"), f.Get("direction"), f.Get("confidential") == "yes"
	p.Staff = nil
	for _, v := range f["staff"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			p.Staff = append(p.Staff, id)
		}
	}
	pg, err := s.provisionPage(r, c, p, isNew)
	if err != nil {
		return err
	}
	pg.Minutes, pg.PerWeek, pg.Weeks, pg.GroupSize, pg.Resource = f.Get("sessionMinutes"), f.Get("sessionsPerWeek"), f.Get("weeks"), f.Get("groupSize"), f.Get("resourceCost")
	p.SessionMinutes, p.SessionsPerWeek, p.Weeks, p.GroupSize = atoi(strings.TrimSpace(pg.Minutes)), atoi(strings.TrimSpace(pg.PerWeek)), atoi(strings.TrimSpace(pg.Weeks)), atoi(strings.TrimSpace(pg.GroupSize))
	fe := sen.FieldErrors{}
	if strings.TrimSpace(pg.Resource) != "" {
		pence, ok := domain.ParsePounds(pg.Resource)
		if !ok {
			fe.Add("resourceCost", "Enter the resources cost per session in pounds, like 1.50, or leave it blank")
		}
		p.ResourcePence = pence
	} else {
		p.ResourcePence = 0
	}
	pg.P = p
	form := s.views.Form("provision_form", pg, provisionOrder...)
	if len(fe) > 0 {
		for k, v := range p.Validate() {
			fe.Add(k, v)
		}
		return form.Check(fe)
	}
	if err := s.st.SaveProvision(r.Context(), c.Actor, &p); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "pv-provision-saved")
	http.Redirect(w, r, "/provision/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *module) provisionCopy(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	nid, err := s.st.CopyProvision(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	s.k.SetFlash(w, "pv-provision-copied")
	http.Redirect(w, r, "/provision/"+strconv.FormatInt(nid, 10)+"/edit", http.StatusSeeOther)
	return nil
}

func (s *module) provisionRetire(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	restore := r.PostFormValue("restore") == "yes"
	if err := s.st.RetireProvision(r.Context(), c.Actor, id, kit.FormInt(r, "version"), restore); err != nil {
		return err
	}
	flash := "pv-provision-retired"
	if restore {
		flash = "pv-provision-restored"
	}
	s.k.SetFlash(w, flash)
	http.Redirect(w, r, "/provision/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
