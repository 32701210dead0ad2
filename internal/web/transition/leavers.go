package transition

import (
	"errors"
	"net/http"
	"strconv"

	"opensend/internal/authz"
	"opensend/internal/sen"
	domain "opensend/internal/transition"
	"opensend/internal/web/kit"
)

type leavePage struct {
	kit.Page
	P       sen.Pupil
	L       domain.Leaving
	LeftOn  kit.DateField
	Reasons sen.Options
	Version int64
}

var leaveOrder = []string{"leftOn", "reason", "destName", "destURN", "destLAESTAB"}

func (s *module) leavePage(r *http.Request, c *kit.Ctx, id int64) (*leavePage, error) {
	p, err := s.st.Pupil(r.Context(), c.Actor, id, "record leaving")
	if err != nil {
		return nil, err
	}
	return &leavePage{Page: kit.Page{Title: "Record a leaving: " + p.FullName()}, P: p, Reasons: domain.Reasons, Version: p.Version}, nil
}

func (s *module) leaveForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.leavePage(r, c, id)
	if err != nil {
		return err
	}
	if pg.P.Left() {
		http.Redirect(w, r, "/leavers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "tr_leave", pg)
}

func (s *module) leaveSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.leavePage(r, c, id)
	if err != nil {
		return err
	}
	pg.L = domain.Leaving{Reason: r.PostFormValue("reason"), DestName: r.PostFormValue("destName"), DestURN: r.PostFormValue("destURN"), DestLAESTAB: r.PostFormValue("destLAESTAB")}
	pg.LeftOn = kit.ReadDate(r, "leftOn")
	form := s.views.Form("tr_leave", pg, leaveOrder...)
	left, msg := pg.LeftOn.Parse("Date the pupil left", true)
	if msg != "" {
		fe := pg.L.Validate(s.st.Today(), pg.P.AdmissionDate)
		delete(fe, "leftOn")
		fe["leftOn"] = msg
		return form.Check(fe)
	}
	pg.L.LeftOn = left
	if err := s.st.RecordLeaving(r.Context(), c.Actor, id, formVersion(r), &pg.L); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "leaving-recorded")
	http.Redirect(w, r, "/leavers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type leaversPage struct {
	kit.Page
	Leavers   []domain.Leaving
	CanExport bool
	CanImport bool
	SeesSEN   bool
	Overdue   map[int64]bool
}

func (s *module) leavers(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	list, err := s.st.Leavers(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	pg := &leaversPage{Page: kit.Page{Title: "Leavers"}, Leavers: list, CanExport: c.Can(authz.CTFExport), CanImport: c.Can(authz.CTFImport),
		SeesSEN: c.Can(authz.RegisterRead), Overdue: map[int64]bool{}}
	today := s.st.Today()
	for _, l := range list {
		pg.Overdue[l.ID] = !l.CTFSent() && l.CTFDue.Before(today)
	}
	return s.render(w, r, http.StatusOK, "tr_leavers", pg)
}

type leaverPage struct {
	kit.Page
	L         domain.Leaving
	History   []domain.Leaving // undone leavings
	Overdue   bool
	CanRecord bool
	CanExport bool
	SeesSEN   bool
	SentOn    kit.DateField
	Undo      string
	Source    string
}

var leaverOrder = []string{"sentOn", "undoReason", "pupils", "dest"}

func (s *module) leaverPage(r *http.Request, c *kit.Ctx, id int64) (*leaverPage, error) {
	l, err := s.st.Leaving(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	pg := &leaverPage{Page: kit.Page{Title: "Leaver: " + l.PupilName}, L: l, Overdue: !l.CTFSent() && l.CTFDue.Before(s.st.Today()),
		CanRecord: c.Can(authz.LeaverRecord), CanExport: c.Can(authz.CTFExport), SeesSEN: c.Can(authz.RegisterRead), Source: domain.CTFSource}
	hist, err := s.st.LeavingHistory(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	for _, h := range hist {
		if !h.Active() {
			pg.History = append(pg.History, h)
		}
	}
	return pg, nil
}

func (s *module) leaver(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.leaverPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tr_leaver", pg)
}

func (s *module) ctfSent(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.leaverPage(r, c, id)
	if err != nil {
		return err
	}
	pg.SentOn = kit.ReadDate(r, "sentOn")
	form := s.views.Form("tr_leaver", pg, leaverOrder...)
	sent, msg := pg.SentOn.Parse("Date the CTF was sent", true)
	if msg != "" {
		return form.Check(sen.FieldErrors{"sentOn": msg})
	}
	if err := s.st.RecordCTFSent(r.Context(), c.Actor, id, formVersion(r), sent); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ctf-sent")
	http.Redirect(w, r, "/leavers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *module) undo(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.leaverPage(r, c, id)
	if err != nil {
		return err
	}
	pg.Undo = r.PostFormValue("undoReason")
	if err := s.st.UndoLeaving(r.Context(), c.Actor, id, formVersion(r), pg.Undo); err != nil {
		if errors.Is(err, sen.ErrConflict) {
			pg.Undo = ""
		}
		return s.views.Form("tr_leaver", pg, leaverOrder...).Fail(err)
	}
	s.k.SetFlash(w, "leaving-undone")
	http.Redirect(w, r, "/pupils/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
