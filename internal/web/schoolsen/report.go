package schoolsen

import (
	"net/http"

	"opensend/internal/authz"
	"opensend/internal/pdf"
	"opensend/internal/readability"
	domain "opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

type reportPage struct {
	kit.Page
	R         domain.Report
	Due       domain.Due
	Read      readability.Report
	PublicURL string
	CanWrite  bool
}

func (s *module) publicPath(slug string) string {
	return "/schools/" + slug + "/sen-information-report"
}

func (s *module) report(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &reportPage{Page: kit.Page{Title: "SEN information report"}, R: rep, Read: readability.Analyse(rep.Text()), CanWrite: c.Can(authz.SchoolSENWrite)}
	if !rep.LastReviewed.IsZero() {
		pg.Due = domain.ReviewDue(rep.NextReview(), s.st.Today())
	}
	if rep.Slug != "" {
		pg.PublicURL = s.publicPath(rep.Slug)
	}
	return s.render(w, r, http.StatusOK, "report", pg)
}

type detailsPage struct {
	kit.Page
	R        domain.Report
	Reviewed kit.DateField
}

func (s *module) detailsForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "report_details", &detailsPage{Page: kit.Page{Title: "SEN information report: details"}, R: rep, Reviewed: kit.DateFieldOf(rep.LastReviewed)})
}

func (s *module) detailsSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	rep.LocalOfferURL, rep.SENCOContact, rep.Version = r.PostFormValue("localOffer"), r.PostFormValue("contact"), int(kit.FormInt(r, "version"))
	fe := sen.FieldErrors{}
	var df kit.DateField
	rep.LastReviewed, df = readDate(r, fe, "reviewed", "Date last reviewed", false)
	pg := &detailsPage{Page: kit.Page{Title: "SEN information report: details"}, R: rep, Reviewed: df}
	form := s.views.Form("report_details", pg, "localOffer", "contact", "reviewed")
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveReportDetails(r.Context(), c.Actor, &rep); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-details-saved")
	http.Redirect(w, r, "/sen-information-report", http.StatusSeeOther)
	return nil
}

type sectionPage struct {
	kit.Page
	Sec   domain.Section
	Saved *domain.Section // the other person's version after a conflict
	Read  readability.Report
}

// section finds an item's section in the report.
func section(rep domain.Report, item string) (domain.Section, error) {
	for _, sec := range rep.Sections {
		if sec.Item == item {
			return sec, nil
		}
	}
	return domain.Section{}, sen.ErrNotFound
}

func (s *module) sectionForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	sec, err := section(rep, r.PathValue("item"))
	if err != nil {
		return err
	}
	if sec.Version == 0 && sec.Text == "" {
		sec.Text = sec.Suggested // start from what the app knows
	}
	return s.render(w, r, http.StatusOK, "section_form", &sectionPage{Page: kit.Page{Title: "SEN information report: " + sec.Heading}, Sec: sec, Read: readability.Analyse(sec.Text)})
}

func (s *module) sectionSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	saved, err := section(rep, r.PathValue("item"))
	if err != nil {
		return err
	}
	sec := domain.Section{Item: saved.Item, Heading: r.PostFormValue("heading"), Text: r.PostFormValue("text"), Suggested: saved.Suggested, Version: int(kit.FormInt(r, "version"))}
	pg := &sectionPage{Page: kit.Page{Title: "SEN information report: " + saved.Heading}, Sec: sec, Read: readability.Analyse(sec.Text)}
	form := s.views.Form("section_form", pg, "heading", "text")
	form.OnConflict = func(*sen.ConflictError) error {
		now, err := s.st.InfoReport(r.Context(), c.Actor)
		if err != nil {
			return err
		}
		cur, err := section(now, saved.Item)
		if err != nil {
			return err
		}
		pg.Saved = &cur
		pg.Sec.Version = cur.Version
		return nil
	}
	if err := s.st.SaveReportSection(r.Context(), c.Actor, &sec); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ss-section-saved")
	http.Redirect(w, r, "/sen-information-report#item-"+sec.Item, http.StatusSeeOther)
	return nil
}

func (s *module) publish(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &reportPage{Page: kit.Page{Title: "SEN information report"}, R: rep, Read: readability.Analyse(rep.Text()), CanWrite: true}
	if rep.Slug != "" {
		pg.PublicURL = s.publicPath(rep.Slug)
	}
	on := r.PostFormValue("publish") == "yes"
	form := s.views.Form("report", pg, "publish")
	if err := s.st.PublishReport(r.Context(), c.Actor, on, int(kit.FormInt(r, "version"))); err != nil {
		return form.Fail(err)
	}
	if on {
		s.k.SetFlash(w, "ss-published")
	} else {
		s.k.SetFlash(w, "ss-unpublished")
	}
	http.Redirect(w, r, "/sen-information-report", http.StatusSeeOther)
	return nil
}

// reportDoc is the report as a document (the PDF).
type reportDoc struct {
	School  string
	R       domain.Report
	Printed string
}

func (s *module) sendReportPDF(w http.ResponseWriter, r *http.Request, school string, rep domain.Report) error {
	d := &reportDoc{School: school, R: rep, Printed: kit.FormatDate(s.st.Today())}
	doc, err := s.views.Execute("report_doc", "reportdoc", d)
	if err != nil {
		return err
	}
	return s.k.SendPDF(w, r, doc, "sen-information-report-"+kit.FileSafe(school)+".pdf", pdf.Footer{Left: school + " – SEN information report", Right: "Printed " + d.Printed})
}

func (s *module) reportPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, err := s.st.InfoReport(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.sendReportPDF(w, r, c.School.Name, rep)
}

type publicPage struct {
	kit.Page
	SchoolName string
	R          domain.Report
	PDF        string
}

// public is the published report, open to everyone: the school's words,
// its SENCO and contact details, nothing about any pupil.
func (s *module) public(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, school, err := s.st.PublicReport(r.Context(), r.PathValue("school"))
	if err != nil {
		return err
	}
	pg := &publicPage{Page: kit.Page{Title: "SEN information report – " + school}, SchoolName: school, R: rep, PDF: s.publicPath(rep.Slug) + "/pdf"}
	return s.render(w, r, http.StatusOK, "public", pg)
}

func (s *module) publicPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rep, school, err := s.st.PublicReport(r.Context(), r.PathValue("school"))
	if err != nil {
		return err
	}
	return s.sendReportPDF(w, r, school, rep)
}
