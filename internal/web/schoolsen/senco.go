package schoolsen

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/authz"
	domain "opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// postRow is a SENCO post with its computed deadline.
type postRow struct {
	P     domain.Post
	Check domain.Check
}

type postsPage struct {
	kit.Page
	Posts    []postRow
	CanWrite bool
}

func (s *module) posts(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	ps, err := s.st.SencoPosts(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &postsPage{Page: kit.Page{Title: "SENCO qualification"}, CanWrite: c.Can(authz.SchoolSENWrite)}
	today := s.st.Today()
	for _, p := range ps {
		pg.Posts = append(pg.Posts, postRow{P: p, Check: p.Deadline(today)})
	}
	return s.render(w, r, http.StatusOK, "posts", pg)
}

type postPage struct {
	kit.Page
	P                         domain.Post
	Took, Started, Done, Left kit.DateField
	Prior                     string
	Staff                     []sen.User
	Quals                     sen.Options
	IsNew                     bool
}

func (s *module) postPageFor(r *http.Request, c *kit.Ctx, p domain.Post) (*postPage, error) {
	staff, err := s.st.StaffList(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	title := "Record who holds the SENCO role"
	if p.ID != 0 {
		title = "Change a SENCO's record"
	}
	return &postPage{Page: kit.Page{Title: title}, P: p, Took: kit.DateFieldOf(p.TookPost), Started: kit.DateFieldOf(p.QualStarted), Done: kit.DateFieldOf(p.QualDone),
		Left: kit.DateFieldOf(p.Left), Prior: strconv.Itoa(p.PriorMonths), Staff: staff, Quals: domain.Qualifications, IsNew: p.ID == 0}, nil
}

func (s *module) postForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	var p domain.Post
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if p, err = s.st.SencoPost(r.Context(), c.Actor, id); err != nil {
			return err
		}
	}
	pg, err := s.postPageFor(r, c, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "post_form", pg)
}

func (s *module) postSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	p := domain.Post{UserID: kit.FormInt(r, "user"), Qual: r.PostFormValue("qual"), Version: int(kit.FormInt(r, "version"))}
	if r.PathValue("id") != "" {
		id, err := kit.PathID(r)
		if err != nil {
			return err
		}
		if _, err := s.st.SencoPost(r.Context(), c.Actor, id); err != nil {
			return err
		}
		p.ID = id
	}
	fe := sen.FieldErrors{}
	var took, st, done, left kit.DateField
	p.TookPost, took = readDate(r, fe, "tookPost", "Date they became the SENCO", true)
	p.QualStarted, st = readDate(r, fe, "qualStarted", "Date they started the course", false)
	p.QualDone, done = readDate(r, fe, "qualDone", "Date they completed the course", false)
	p.Left, left = readDate(r, fe, "left", "Date they stopped being the SENCO", false)
	prior := strings.TrimSpace(r.PostFormValue("priorMonths"))
	if prior == "" {
		prior = "0"
	}
	n, err := strconv.Atoi(prior)
	if err != nil {
		fe.Add("priorMonths", "Months as a SENCO before must be a whole number, like 0 or 18")
	}
	p.PriorMonths = n
	pg, err := s.postPageFor(r, c, p)
	if err != nil {
		return err
	}
	pg.Took, pg.Started, pg.Done, pg.Left, pg.Prior = took, st, done, left, prior
	form := s.views.Form("post_form", pg, "user", "tookPost", "priorMonths", "qual", "qualStarted", "qualDone", "left")
	for f, m := range p.Validate(s.st.Today()) {
		fe.Add(f, m)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveSencoPost(r.Context(), c.Actor, &p); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-post-saved")
	http.Redirect(w, r, "/senco-qualification", http.StatusSeeOther)
	return nil
}

type policyPage struct {
	kit.Page
	P        domain.Policy
	Due      domain.Due
	Next     kit.DateField
	Note     string
	CanWrite bool
}

func (s *module) policyPageFor(r *http.Request, c *kit.Ctx) (*policyPage, error) {
	p, err := s.st.SENPolicy(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &policyPage{Page: kit.Page{Title: "SEN policy"}, P: p, Due: domain.ReviewDue(p.NextReview, s.st.Today()), Next: kit.DateFieldOf(p.NextReview), CanWrite: c.Can(authz.SchoolSENWrite)}, nil
}

func (s *module) policy(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.policyPageFor(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "policy", pg)
}

func (s *module) policyUpload(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	var data []byte
	name := ""
	file, hdr, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, domain.MaxPolicySize+1))
		if err != nil {
			return kit.ErrTooLarge
		}
		name = hdr.Filename
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return kit.ErrTooLarge
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	pg, err := s.policyPageFor(r, c)
	if err != nil {
		return err
	}
	pg.Note = note
	form := s.views.Form("policy", pg, "file", "note")
	if err := s.st.UploadSENPolicy(r.Context(), c.Actor, name, data, note); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-policy-uploaded")
	http.Redirect(w, r, "/sen-policy", http.StatusSeeOther)
	return nil
}

func (s *module) policyReview(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.policyPageFor(r, c)
	if err != nil {
		return err
	}
	fe := sen.FieldErrors{}
	next, df := readDate(r, fe, "nextReview", "Date of the next review", true)
	pg.Next = df
	form := s.views.Form("policy", pg, "nextReview")
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SetSENPolicyReview(r.Context(), c.Actor, next, int(kit.FormInt(r, "version"))); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-policy-review")
	http.Redirect(w, r, "/sen-policy", http.StatusSeeOther)
	return nil
}

func (s *module) policyFile(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	f, err := s.st.SENPolicyFile(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.MIME)
	h.Set("Content-Disposition", `attachment; filename="`+f.Filename+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}
