package ehc

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/sen"
)

type planForm struct {
	kit.Page
	ID           int64
	Version      int64
	PupilID      string
	RequestID    string
	Pupils       []sen.Pupil
	PupilQuery   string // the picker's search, as typed
	LAName       string
	CaseOfficer  string
	Issued       kit.DateField
	LastAmended  kit.DateField
	LastReviewed kit.DateField
	Placement    string
	Conflict     bool
}

var planFieldOrder = []string{"pupil", "laName", "caseOfficer", "issued", "lastAmended", "lastReviewed", "placement"}

func (s *module) planNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	f := &planForm{Page: kit.Page{Title: "Record an issued EHC plan"}, PupilID: r.URL.Query().Get("pupil"), RequestID: r.URL.Query().Get("request")}
	if rid, err := strconv.ParseInt(f.RequestID, 10, 64); err == nil && rid > 0 {
		if rq, err := s.st.Request(r.Context(), c.Actor, rid); err == nil {
			f.LAName = rq.LAName
			if e, ok := rq.Event(domain.EvFinalIssued); ok {
				f.Issued = kit.DateFieldOf(e.Date)
			}
		}
	}
	if err := s.listPupils(r, c, &f.Pupils, &f.PupilQuery); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_plan_form", f)
}

func readPlanForm(r *http.Request) (*planForm, domain.Plan, sen.FieldErrors) {
	f := &planForm{PupilID: r.PostFormValue("pupil"), RequestID: r.PostFormValue("request"), LAName: r.PostFormValue("laName"), CaseOfficer: r.PostFormValue("caseOfficer"),
		Issued: kit.ReadDate(r, "issued"), LastAmended: kit.ReadDate(r, "lastAmended"), LastReviewed: kit.ReadDate(r, "lastReviewed"), Placement: r.PostFormValue("placement")}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	fe := sen.FieldErrors{}
	var p domain.Plan
	p.PupilID, _ = strconv.ParseInt(f.PupilID, 10, 64)
	p.RequestID, _ = strconv.ParseInt(f.RequestID, 10, 64)
	p.LAName, p.CaseOfficer, p.Placement, p.Version = f.LAName, f.CaseOfficer, f.Placement, f.Version
	var msg string
	if p.Issued, msg = f.Issued.Parse("Date the plan was issued", true); msg != "" {
		fe.Add("issued", msg)
	}
	if p.LastAmended, msg = f.LastAmended.Parse("Date the plan was last amended", false); msg != "" {
		fe.Add("lastAmended", msg)
	}
	if p.LastReviewed, msg = f.LastReviewed.Parse("Date of the last annual review meeting", false); msg != "" {
		fe.Add("lastReviewed", msg)
	}
	return f, p, fe
}

func (s *module) planCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f, p, fe := readPlanForm(r)
	f.Title = "Record an issued EHC plan"
	if p.PupilID <= 0 {
		fe.Add("pupil", "Select the pupil")
	}
	var err error
	if len(fe) > 0 {
		for k, v := range p.Validate(s.st.Today()) { // every problem at once
			fe.Add(k, v)
		}
		err = fe
	} else {
		err = s.st.CreatePlan(r.Context(), c.Actor, &p)
	}
	if err != nil {
		if perr := s.listPupils(r, c, &f.Pupils, &f.PupilQuery); perr != nil {
			return perr
		}
		form := s.views.Form("ehc_plan_form", f, planFieldOrder...)
		form.MissingField, form.MissingMsg = "pupil", "Select a pupil on this school's roll"
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ehc-plan-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d", p.ID), http.StatusSeeOther)
	return nil
}

func (s *module) planEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Plan(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	f := &planForm{Page: kit.Page{Title: "Edit EHC plan details: " + p.PupilName}, ID: p.ID, Version: p.Version, LAName: p.LAName, CaseOfficer: p.CaseOfficer,
		Issued: kit.DateFieldOf(p.Issued), LastAmended: kit.DateFieldOf(p.LastAmended), LastReviewed: kit.DateFieldOf(p.LastReviewed), Placement: p.Placement}
	return s.render(w, r, http.StatusOK, "ehc_plan_form", f)
}

func (s *module) planUpdate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f, p, fe := readPlanForm(r)
	f.ID, p.ID = id, id
	f.Title = "Edit EHC plan details"
	form := s.views.Form("ehc_plan_form", f, planFieldOrder...)
	form.ConflictField = "laName"
	form.OnConflict = func(*sen.ConflictError) error {
		// Keep what was typed; saving again applies it over the version now saved.
		cur, err := s.st.Plan(r.Context(), c.Actor, id)
		if err != nil {
			return err
		}
		f.Version, f.Conflict = cur.Version, true
		return nil
	}
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.UpdatePlan(r.Context(), c.Actor, &p); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ehc-plan-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d", id), http.StatusSeeOther)
	return nil
}

type planPage struct {
	kit.Page
	P         domain.Plan
	ReviewDue string
	// ReviewDue12 is the 12-month date when the duties bring the review
	// forward (a phase transfer), "" otherwise.
	ReviewDue12 string
	Transfer    *deadline.Transfer
	CanWrite    bool
	CanRead     bool
	Staff       []sen.User
	Areas       sen.Options
	OpenReview  int64
	// forms as typed
	NeedArea, NeedText, OutcomeText, OutcomeBy  string
	ProvDescription, ProvSessions, ProvMinutes  string
	ProvBy, ProvStaff, ProvisionID, DeliveredBy string
	Minutes, MissedReason, Missed               string
	SessionDate                                 kit.DateField
	ProvStarts                                  kit.DateField
	MaxDocMB                                    int
	// Peers are other pupils with the same provision as the delivery
	// form's line (PeerLine), to tick if they were in the session.
	Peers    []domain.SessionPeer
	PeerLine string
	With     map[int64]bool
	Holidays int // holidays recorded in the school's term dates
}

func (s *module) planPage(r *http.Request, c *kit.Ctx, id int64) (*planPage, error) {
	p, err := s.st.Plan(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	pg := &planPage{Page: kit.Page{Title: "EHC plan: " + p.PupilName}, P: p, CanWrite: p.Active && c.Can(authz.EHCWrite), CanRead: c.Can(authz.EHCRead),
		ReviewDue: formatDay(p.ReviewDue()), Areas: domain.NeedAreas, MaxDocMB: domain.MaxDocumentSize >> 20, DeliveredBy: c.Actor.User.Name, Minutes: ""}
	if !p.Restricted {
		// The next review and the transfer as every view shows them (ehc.Duties).
		d, err := s.st.Duties(r.Context(), c.Actor, id)
		if err != nil {
			return nil, err
		}
		pg.Transfer = d.Transfer
		if due, ok := domain.PlanNextReview(d.All, id); ok && formatDay(due) != pg.ReviewDue {
			pg.ReviewDue, pg.ReviewDue12 = formatDay(due), pg.ReviewDue
		}
	}
	for _, rv := range p.Reviews {
		if !rv.Completed {
			pg.OpenReview = rv.ID
		}
	}
	if pg.CanWrite {
		if pg.Staff, err = s.st.StaffOptions(r.Context(), c.Actor); err != nil {
			return nil, err
		}
	}
	if pg.CanRead {
		hs, err := s.st.Holidays(r.Context(), c.Actor)
		if err != nil {
			return nil, err
		}
		pg.Holidays = len(hs)
	}
	return pg, nil
}

func (s *module) planShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.planPage(r, c, id)
	if err != nil {
		return err
	}
	// The delivery form opens on the line asked for (?line=, from the
	// links to record a session), or the first, with today's date and the
	// line's minutes filled in.
	line, _ := strconv.ParseInt(r.URL.Query().Get("line"), 10, 64)
	for i, pr := range pg.P.Provision {
		if pr.ID == line || (line == 0 && i == 0) {
			pg.ProvisionID, pg.Minutes, pg.SessionDate = strconv.FormatInt(pr.ID, 10), strconv.Itoa(pr.Minutes), kit.DateFieldOf(s.st.Today())
			if err := s.sessionPeers(r, c, pg, pr.ID); err != nil {
				return err
			}
		}
	}
	return s.render(w, r, http.StatusOK, "ehc_plan", pg)
}

// sessionPeers lists on the delivery form the other pupils with the same
// provision as line, if it is one of the plan's lines shown.
func (s *module) sessionPeers(r *http.Request, c *kit.Ctx, pg *planPage, line int64) error {
	for _, pr := range pg.P.Provision {
		if pr.ID != line {
			continue
		}
		peers, err := s.st.SessionPeers(r.Context(), c.Actor, line)
		if err != nil {
			return err
		}
		pg.Peers, pg.PeerLine = peers, pr.Description
	}
	return nil
}

// planFail shows the plan page again, with one of its forms as typed
// (fill) and err on it. The page is read (and its read audited) only then.
func (s *module) planFail(r *http.Request, c *kit.Ctx, id int64, err error, fill func(pg *planPage), order ...string) error {
	pg, perr := s.planPage(r, c, id)
	if perr != nil {
		return perr
	}
	fill(pg)
	return s.views.Form("ehc_plan", pg, order...).Fail(err)
}

func (s *module) planDone(w http.ResponseWriter, r *http.Request, id int64, flash, anchor string) error {
	s.k.SetFlash(w, flash)
	http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d#%s", id, anchor), http.StatusSeeOther)
	return nil
}

func (s *module) planAddNeed(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	n := domain.Need{Area: r.PostFormValue("needArea"), Text: r.PostFormValue("needText")}
	if err := s.st.AddPlanNeed(r.Context(), c.Actor, id, n); err != nil {
		return s.planFail(r, c, id, err, func(pg *planPage) { pg.NeedArea, pg.NeedText = n.Area, n.Text }, "needArea", "needText")
	}
	return s.planDone(w, r, id, "ehc-section-saved", "section-b")
}

func (s *module) planAddOutcome(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	o := domain.Outcome{Text: r.PostFormValue("outcomeText"), ByWhen: r.PostFormValue("outcomeBy")}
	if err := s.st.AddOutcome(r.Context(), c.Actor, id, o); err != nil {
		return s.planFail(r, c, id, err, func(pg *planPage) { pg.OutcomeText, pg.OutcomeBy = o.Text, o.ByWhen }, "outcomeText", "outcomeBy")
	}
	return s.planDone(w, r, id, "ehc-section-saved", "section-e")
}

func atoiField(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

func (s *module) planAddProvision(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	staff, _ := strconv.ParseInt(r.PostFormValue("provStaff"), 10, 64)
	pr := domain.Provision{Description: r.PostFormValue("provDescription"), SessionsPerWeek: atoiField(r.PostFormValue("provSessions")),
		Minutes: atoiField(r.PostFormValue("provMinutes")), DeliveredBy: r.PostFormValue("provBy"), StaffUserID: staff}
	starts := kit.ReadDate(r, "provStarts")
	var msg string
	err = nil
	if pr.Starts, msg = starts.Parse("Start date", false); msg != "" {
		err = sen.FieldErrors{"provStarts": msg}
	} else {
		err = s.st.AddProvision(r.Context(), c.Actor, id, pr)
	}
	if err != nil {
		return s.planFail(r, c, id, err, func(pg *planPage) {
			pg.ProvDescription, pg.ProvSessions, pg.ProvMinutes = pr.Description, r.PostFormValue("provSessions"), r.PostFormValue("provMinutes")
			pg.ProvBy, pg.ProvStaff, pg.ProvStarts = pr.DeliveredBy, r.PostFormValue("provStaff"), starts
		}, "provDescription", "provSessions", "provMinutes", "provStarts", "provBy", "provStaff")
	}
	return s.planDone(w, r, id, "ehc-section-saved", "section-f")
}

func (s *module) planRemoveItem(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	item, _ := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
	kind := r.PostFormValue("kind")
	if kind == "need" || kind == "outcome" {
		// Sections B and E: kept as an amendment, against the version read
		// (the plan page asks first, on /sections/{item}/remove).
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		err = s.st.RemovePlanSectionItem(r.Context(), c.Actor, id, version, kind, item)
	} else {
		err = s.st.RemovePlanItem(r.Context(), c.Actor, id, kind, item)
	}
	if err != nil {
		return err
	}
	anchor := map[string]string{"need": "section-b", "outcome": "section-e", "provision": "section-f"}[kind]
	return s.planDone(w, r, id, "ehc-section-saved", anchor)
}

func (s *module) planUpload(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("document")
	var data []byte
	name := ""
	if err == nil {
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, domain.MaxDocumentSize+1))
		if err != nil {
			return kit.ErrTooLarge
		}
		name = hdr.Filename
	} else if !errors.Is(err, http.ErrMissingFile) {
		return kit.ErrTooLarge
	}
	if err := s.st.SetPlanDocument(r.Context(), c.Actor, id, name, data); err != nil {
		return s.planFail(r, c, id, err, func(*planPage) {}, "document")
	}
	return s.planDone(w, r, id, "ehc-document-saved", "document")
}

// planDownload serves the plan document as an attachment with its sniffed
// type and nosniff, so it is never rendered inline as HTML.
func (s *module) planDownload(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	d, err := s.st.PlanDocumentFor(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", d.MIME)
	h.Set("Content-Disposition", `attachment; filename="`+d.Filename+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(d.Data)))
	_, err = w.Write(d.Data)
	return err
}

func (s *module) planDelivery(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	provID, _ := strconv.ParseInt(r.PostFormValue("provision"), 10, 64)
	df := kit.ReadDate(r, "sessionDate")
	d := domain.Delivery{Missed: r.PostFormValue("missed") == "yes", MissedReason: r.PostFormValue("missedReason"), DeliveredBy: r.PostFormValue("deliveredBy"),
		Minutes: atoiField(r.PostFormValue("minutes"))}
	// with: the other pupils' lines ticked as in the same session.
	var with []int64
	ticked := map[int64]bool{}
	for _, v := range r.PostForm["with"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			with, ticked[n] = append(with, n), true
		}
	}
	fill := func(pg *planPage) {
		pg.ProvisionID, pg.SessionDate, pg.Minutes, pg.DeliveredBy, pg.MissedReason, pg.Missed = r.PostFormValue("provision"), df, r.PostFormValue("minutes"), d.DeliveredBy, d.MissedReason, r.PostFormValue("missed")
		pg.With = ticked
		if perr := s.sessionPeers(r, c, pg, provID); perr != nil {
			pg.Peers = nil
		}
	}
	date, msg := df.Parse("Date of the session", true)
	if msg != "" {
		err = sen.FieldErrors{"sessionDate": msg}
	} else {
		d.Date = date
		err = s.recordDelivery(r, c, id, provID, with, d)
	}
	if err != nil {
		return s.planFail(r, c, id, err, fill, "provision", "with", "sessionDate", "minutes", "deliveredBy", "missedReason")
	}
	if len(with) > 0 {
		return s.planDone(w, r, id, "ehc-session-saved", "delivery")
	}
	return s.planDone(w, r, id, "ehc-delivery-saved", "delivery")
}

// recordDelivery records a session of a provision line, which must belong
// to plan id (and, for teachers and TAs, be theirs), and of the other
// pupils' lines in with (the same provision: Store.RecordSession), all or
// none.
func (s *module) recordDelivery(r *http.Request, c *kit.Ctx, id, provID int64, with []int64, d domain.Delivery) error {
	p, err := s.st.Plan(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	ok := false
	for _, pr := range p.Provision {
		ok = ok || pr.ID == provID
	}
	if !ok {
		return sen.FieldErrors{"provision": "Select the provision line"}
	}
	err = s.st.RecordSession(r.Context(), c.Actor, provID, with, d)
	if errors.Is(err, sen.ErrNotFound) && len(with) > 0 {
		// The line exists and is the actor's, so a ticked pupil is not
		// in this provision (the line was changed after ticking).
		return sen.FieldErrors{"with": "Tick only pupils listed for this provision line"}
	}
	return err
}

// pupilEHC opens the pupil's active plan, or says there is none.
func (s *module) pupilEHC(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pid, err := s.st.PlanIDForPupil(r.Context(), c.Actor, id)
	if errors.Is(err, sen.ErrNotFound) {
		if _, err := s.st.Pupil(r.Context(), c.Actor, id, "ehc plan link"); err != nil {
			return err
		}
		if c.Can(authz.EHCWrite) {
			http.Redirect(w, r, fmt.Sprintf("/ehc/plans/new?pupil=%d", id), http.StatusSeeOther)
			return nil
		}
		return sen.ErrNotFound
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d", pid), http.StatusSeeOther)
	return nil
}

// ehcDashboard: for SENCOs and SLT, Section F lines falling short, overdue
// statutory dates and the next 14 days; for teachers and TAs, the lines
// they deliver; for governors, counts and percentages only.
func (s *module) ehcDashboard(r *http.Request, c *kit.Ctx) (*kit.Widget, error) {
	switch {
	case c.Can(authz.EHCRead):
		entries, err := s.st.StatutoryDates(r.Context(), c.Actor, "dashboard")
		if err != nil {
			return nil, err
		}
		var overdue, soon int
		for _, e := range entries {
			switch e.Status {
			case deadline.StatusOverdue:
				overdue++
			case deadline.StatusDueSoon:
				soon++
			}
		}
		plans, err := s.st.Plans(r.Context(), c.Actor)
		if err != nil {
			return nil, err
		}
		w := &kit.Widget{Title: "EHC plans and statutory deadlines"}
		w.Items = append(w.Items, kit.WidgetItem{Label: "statutory dates overdue", Href: "/calendar?when=overdue", Count: overdue, Warn: overdue > 0},
			kit.WidgetItem{Label: "statutory dates in the next 14 days", Href: "/calendar?when=soon", Count: soon, Warn: false})
		short := 0
		for _, p := range plans {
			for _, pr := range p.Provision {
				if pr.Term.Short() {
					short++
					w.Items = append(w.Items, kit.WidgetItem{Label: fmt.Sprintf("%s: %s (%d%% of specified minutes delivered this term)", p.PupilName, pr.Description, pr.Term.Percent()),
						Href: fmt.Sprintf("/ehc/plans/%d#section-f", p.ID), Count: pr.Term.ExpectedMinutes - pr.Term.DeliveredMinutes, Unit: "minutes short", Warn: true})
				}
			}
		}
		w.Items = append(w.Items, kit.WidgetItem{Label: "Section F provision lines falling short this term", Href: "/ehc#plans", Count: short, Warn: short > 0})
		return w, nil
	case c.Can(authz.EHCProvision):
		plans, err := s.st.Plans(r.Context(), c.Actor)
		if err != nil {
			return nil, err
		}
		w := &kit.Widget{Title: "EHC plan provision you deliver"}
		for _, p := range plans {
			for _, pr := range p.Provision {
				w.Items = append(w.Items, kit.WidgetItem{Label: fmt.Sprintf("%s: %s — this term, %s", p.PupilName, pr.Description, pr.Term.SessionsText()),
					Href: fmt.Sprintf("/ehc/plans/%d?line=%d#delivery", p.ID, pr.ID), Count: pr.Term.DeliveredSessions, Warn: pr.Term.Short()})
			}
		}
		if len(w.Items) == 0 {
			return nil, nil
		}
		return w, nil
	case c.Can(authz.AggregateRead):
		f, err := s.st.EHCFiguresFor(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return nil, err
		}
		// Only governors reach here: small counts are suppressed, and so
		// are the complementary counts (the parts not shown: late reviews,
		// later decisions, lines not short) and the percentages of them.
		values := []int{f.Plans,
			f.ReviewsHeldOnTime, f.ReviewsHeld - f.ReviewsHeldOnTime, f.ReviewsHeld,
			f.DecidedIn6Weeks, f.RequestsDecided - f.DecidedIn6Weeks, f.RequestsDecided,
			f.ProvisionShort, f.ProvisionLines - f.ProvisionShort, f.ProvisionLines}
		hide := sen.Suppress(values, [][]int{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})
		show := func(i int) string { return sen.ShowCount(values[i], hide[i]) }
		pct := func(n, d int) string {
			if hide[n] || hide[d] {
				return sen.Withheld
			}
			return pctText(values[n], values[d])
		}
		return &kit.Widget{Title: "EHC plans: figures", Items: []kit.WidgetItem{
			{Label: "pupils with an EHC plan recorded", Count: f.Plans, Text: show(0)},
			{Label: fmt.Sprintf("annual reviews held on time (%s of %s held)", pct(1, 3), show(3)), Count: f.ReviewsHeldOnTime, Text: show(1)},
			{Label: fmt.Sprintf("requests decided within 6 weeks (%s of %s decided)", pct(4, 6), show(6)), Count: f.DecidedIn6Weeks, Text: show(4)},
			{Label: fmt.Sprintf("Section F provision lines falling short (%s of %s)", pct(7, 9), show(9)), Count: f.ProvisionShort, Text: show(7), Warn: f.ProvisionShort > 0},
		}}, nil
	}
	return nil, nil
}

func pctText(n, d int) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", n*100/d)
}

type planEndPage struct {
	kit.Page
	P         domain.Plan
	Ended     kit.DateField
	Reason    string
	Details   string
	NewStatus string
	Version   int64
	Reasons   sen.Options
}

var planEndOrder = []string{"ended", "reason", "details", "newStatus"}

// planEnd records that a plan is no longer maintained (GET: the form).
func (s *module) planEnd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.st.Plan(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if !p.Active {
		http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d", id), http.StatusSeeOther)
		return nil
	}
	pg := &planEndPage{Page: kit.Page{Title: "Record that the plan has ended: " + p.PupilName}, P: p, Version: p.Version, Reasons: domain.PlanEndReasons,
		Ended: kit.DateFieldOf(s.st.Today()), NewStatus: sen.StatusSupport}
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "ehc_plan_end", pg)
	}
	pg.Ended, pg.Reason, pg.Details, pg.NewStatus = kit.ReadDate(r, "ended"), r.PostFormValue("reason"), r.PostFormValue("details"), r.PostFormValue("newStatus")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	e := domain.PlanEnd{Reason: pg.Reason, Details: pg.Details, NewStatus: pg.NewStatus, Version: version}
	form := s.views.Form("ehc_plan_end", pg, planEndOrder...)
	form.ConflictField = "ended"
	var msg string
	if e.Ended, msg = pg.Ended.Parse("Date the plan ended", false); msg != "" {
		return form.Check(sen.FieldErrors{"ended": msg})
	}
	if err := s.st.EndPlan(r.Context(), c.Actor, id, e); err != nil {
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ehc-plan-ended")
	http.Redirect(w, r, fmt.Sprintf("/ehc/plans/%d", id), http.StatusSeeOther)
	return nil
}
