package exams

import (
	"net/http"
	"strconv"

	"opensend/internal/authz"
	domain "opensend/internal/exams"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The school's exam series (dates and deadlines typed each year from the
// current AARA: none is in code) and the criterion's score thresholds.

type seriesPage struct {
	kit.Page
	List       []domain.Series
	X          domain.Series // the series form as typed
	Starts     kit.DateField
	Ends       kit.DateField
	Deadline   kit.DateField
	Modified   kit.DateField
	Thresholds domain.Thresholds
	CanWrite   bool
	// One series' page: its sittings and the sitting form.
	Sittings []domain.Sitting
	Sit      domain.Sitting
	SitOn    kit.DateField
	Sessions sen.Options
}

func (s *module) seriesPageData(r *http.Request, c *kit.Ctx) (*seriesPage, error) {
	list, err := s.st.ExamSeries(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	th, err := s.st.ExamThresholds(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return &seriesPage{Page: kit.Page{Title: "Exam series and settings"}, List: list, Thresholds: th, CanWrite: c.Can(authz.ExamsWrite), Sessions: domain.SessionOptions}, nil
}

func (s *module) seriesList(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.seriesPageData(r, c)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "series", pg)
}

// oneSeries fills pg with the series the path names.
func (s *module) oneSeries(r *http.Request, c *kit.Ctx, pg *seriesPage) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	x, sits, err := s.st.ExamSeriesByID(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg.X, pg.Sittings, pg.Title = x, sits, "Exam series: "+x.Name
	pg.Starts, pg.Ends, pg.Deadline, pg.Modified = kit.DateFieldOf(x.Starts), kit.DateFieldOf(x.Ends), kit.DateFieldOf(x.Deadline), kit.DateFieldOf(x.ModifiedPapers)
	pg.Sit = domain.Sitting{SeriesID: x.ID, Session: "AM"}
	return nil
}

func (s *module) seriesShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.seriesPageData(r, c)
	if err != nil {
		return err
	}
	if err := s.oneSeries(r, c, pg); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "series_show", pg)
}

// seriesSave adds a series (POST /exams/series) or changes one (POST
// /exams/series/{id}).
func (s *module) seriesSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.seriesPageData(r, c)
	if err != nil {
		return err
	}
	page := "series"
	if r.PathValue("id") != "" {
		if err := s.oneSeries(r, c, pg); err != nil {
			return err
		}
		page = "series_show"
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	pg.X = domain.Series{ID: pg.X.ID, Name: r.PostFormValue("name"), Version: version}
	pg.Starts, pg.Ends, pg.Deadline, pg.Modified = kit.ReadDate(r, "starts"), kit.ReadDate(r, "ends"), kit.ReadDate(r, "deadline"), kit.ReadDate(r, "modified_papers")
	form := s.views.Form(page, pg, "name", "starts", "ends", "deadline", "modified_papers")
	fe := sen.FieldErrors{}
	var msg string
	if pg.X.Starts, msg = pg.Starts.Parse("Date of the first exam", true); msg != "" {
		fe.Add("starts", msg)
	}
	if pg.X.Ends, msg = pg.Ends.Parse("Date of the last exam", true); msg != "" {
		fe.Add("ends", msg)
	}
	if pg.X.Deadline, msg = pg.Deadline.Parse("Deadline for applications", true); msg != "" {
		fe.Add("deadline", msg)
	}
	if pg.X.ModifiedPapers, msg = pg.Modified.Parse("Deadline for ordering modified papers", false); msg != "" {
		fe.Add("modified_papers", msg)
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.SaveExamSeries(r.Context(), c.Actor, &pg.X); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-series")
	http.Redirect(w, r, "/exams/series/"+strconv.FormatInt(pg.X.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *module) thresholdsSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.seriesPageData(r, c)
	if err != nil {
		return err
	}
	num := func(name string) int {
		n, err := strconv.Atoi(r.PostFormValue(name))
		if err != nil {
			return -1
		}
		return n
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	pg.Thresholds = domain.Thresholds{BelowAverage: num("below_average"), LowAverage: num("low_average"), WellBelow: num("well_below"), Version: version}
	form := s.views.Form("series", pg, "below_average", "low_average", "well_below")
	if err := s.st.SaveExamThresholds(r.Context(), c.Actor, &pg.Thresholds); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-thresholds")
	http.Redirect(w, r, "/exams/series#thresholds", http.StatusSeeOther)
	return nil
}

func (s *module) sittingAdd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.seriesPageData(r, c)
	if err != nil {
		return err
	}
	if err := s.oneSeries(r, c, pg); err != nil {
		return err
	}
	pg.Sit = domain.Sitting{SeriesID: pg.X.ID, Paper: r.PostFormValue("paper"), Session: r.PostFormValue("session"), Room: r.PostFormValue("room")}
	pg.SitOn = kit.ReadDate(r, "on")
	form := s.views.Form("series_show", pg, "paper", "on", "session", "room")
	var msg string
	if pg.Sit.On, msg = pg.SitOn.Parse("Date of the exam", true); msg != "" {
		return form.Check(sen.FieldErrors{"on": msg})
	}
	if err := s.st.AddExamSitting(r.Context(), c.Actor, &pg.Sit); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ea-sitting")
	http.Redirect(w, r, "/exams/series/"+strconv.FormatInt(pg.X.ID, 10)+"#sittings", http.StatusSeeOther)
	return nil
}
