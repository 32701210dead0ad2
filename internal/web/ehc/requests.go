package ehc

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// EHC plans (issue 5): needs-assessment requests, plans, Section F
// delivery, annual reviews, phase transfers and the compliance calendar.
// Every statutory date comes from internal/deadline.

// msStatusLabel names a milestone status for people.
func msStatusLabel(st deadline.Status) string {
	switch st {
	case deadline.StatusDone:
		return "Done on time"
	case deadline.StatusDoneLate:
		return "Done late"
	case deadline.StatusExcepted:
		return "Exception applies"
	case deadline.StatusOverdue:
		return "Overdue"
	case deadline.StatusDueSoon:
		return "Due soon"
	case deadline.StatusUpcoming:
		return "Upcoming"
	case deadline.StatusLapsed:
		return "Not taken up"
	case deadline.StatusFlagged:
		return "Warning"
	}
	return string(st)
}

func msTagClass(st deadline.Status) string {
	switch st {
	case deadline.StatusDone:
		return "govuk-tag--green"
	case deadline.StatusDoneLate, deadline.StatusOverdue, deadline.StatusFlagged:
		return "govuk-tag--red"
	case deadline.StatusExcepted:
		return "govuk-tag--purple"
	case deadline.StatusDueSoon:
		return "govuk-tag--yellow"
	case deadline.StatusLapsed:
		return "govuk-tag--grey"
	}
	return "govuk-tag--blue"
}

// longDate shows a deadline as a date: "2 February 2027".
func longDate(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Long()
}

// dateExample writes d as a person types it in a GOV.UK date input, for a
// hint's example ("For example, 7 12 2026").
func dateExample(d deadline.Date) string {
	return fmt.Sprintf("%d %d %d", d.D, int(d.M), d.Y)
}

func daysText(n int) string {
	switch {
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	case n > 1:
		return sen.Count(n, "day", "days") + " left"
	}
	return sen.Count(-n, "day", "days") + " ago"
}

// MilestoneView is a milestone ready for a page.
type MilestoneView struct {
	Key           string
	Label         string
	Due           string
	DaysText      string
	Status        deadline.Status
	Done          string
	Owner         string
	Source        string
	ExceptionNote string
	Late          string // done late: by how long ("2 days late"), else ""
}

func ownerLabel(o string) string {
	switch o {
	case deadline.OwnerLA:
		return "Local authority"
	case deadline.OwnerSchool:
		return "School"
	case deadline.OwnerParent:
		return "Parent or young person"
	}
	return o
}

func milestoneViews(ms []deadline.Milestone, today deadline.Date, note func(key string) string) []MilestoneView {
	out := make([]MilestoneView, 0, len(ms))
	for _, m := range ms {
		v := MilestoneView{Key: m.Key, Label: m.Label, Due: longDate(m.Due), Status: m.Status(today), Owner: ownerLabel(m.Owner), Source: m.Source}
		if m.Done != nil {
			v.Done = longDate(*m.Done)
			if v.Status == deadline.StatusDoneLate {
				v.Late = sen.Count(m.DaysLate(today), "day", "days") + " late"
			}
		}
		if m.Open(today) {
			v.DaysText = daysText(m.DaysLeft(today))
		}
		if m.Excepted && note != nil {
			v.ExceptionNote = deadline.ExceptionReason(m.ExceptionReason).Description()
			if n := note(m.Key); n != "" {
				v.ExceptionNote += " — " + n
			}
		}
		out = append(out, v)
	}
	return out
}

func (s *module) today() deadline.Date { return deadline.FromTime(s.st.Today()) }

// --- Overview ---

type ehcIndexPage struct {
	kit.Page
	Requests []requestRow
	Plans    []planRow
	Ended    []domain.Plan
	CanWrite bool
}

type requestRow struct {
	R        domain.Request
	Next     *MilestoneView
	NextWho  string
	Overdue  int
	Finished bool
}

type planRow struct {
	P             domain.Plan
	ReviewDue     string
	ReviewDays    int  // days until the review is due (negative: overdue)
	ReviewOverdue bool // the 12-month limit has passed (CFA 2014 s44(1))
	Short         int
}

func (s *module) ehcIndex(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	// The body is reused while nothing in the school has changed: the
	// stamp is read before the lists.
	stamp, err := s.st.Stamp(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	reqs, err := s.st.Requests(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	plans, err := s.st.Plans(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	today := s.today()
	p := &ehcIndexPage{Page: kit.Page{Title: "EHC plans"}, CanWrite: c.Can(authz.EHCWrite)}
	if p.Ended, err = s.st.EndedPlans(r.Context(), c.Actor); err != nil {
		return err
	}
	for _, rq := range reqs {
		ms := rq.Milestones()
		row := requestRow{R: rq, NextWho: ownerLabel(deadline.NextOwner(ms, today))}
		for _, m := range ms {
			if m.Open(today) && m.Status(today) == deadline.StatusOverdue {
				row.Overdue++
			}
		}
		if m, ok := deadline.FirstOpen(ms, today); ok {
			v := milestoneViews([]deadline.Milestone{m}, today, nil)[0]
			row.Next = &v
		} else {
			row.Finished = true
		}
		p.Requests = append(p.Requests, row)
	}
	for _, pl := range plans {
		due := deadline.FromTime(pl.ReviewDue())
		row := planRow{P: pl, ReviewDue: due.Long(), ReviewDays: deadline.DaysBetween(today, due)}
		row.ReviewOverdue = row.ReviewDays < 0
		for _, pr := range pl.Provision {
			if pr.Term.Short() {
				row.Short++
			}
		}
		p.Plans = append(p.Plans, row)
	}
	return s.views.RenderCached(w, r, http.StatusOK, "ehc_index", kit.BodyKey(c, r, stamp), p)
}

// --- Requests ---

type requestForm struct {
	kit.Page
	Pupil       sen.Pupil
	Pupils      []sen.Pupil
	PupilQuery  string // the picker's search, as typed
	PupilID     string
	RequestedBy string
	Received    kit.DateField
	LAName      string
	Notes       string
	Options     sen.Options
}

var requestFormOrder = []string{"pupil", "requestedBy", "received", "laName", "notes"}

func (s *module) ehcRequestNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	f := &requestForm{Page: kit.Page{Title: "Record a request for an EHC needs assessment"}, PupilID: r.URL.Query().Get("pupil"), Options: domain.RequestedByOptions}
	if err := s.listPupils(r, c, &f.Pupils, &f.PupilQuery); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_request_new", f)
}

// listPupils fills a form's pupil picker: the school's roll, or the pupils
// matching the picker's search (?q=, the "pupilSearch" partial, which works
// without JavaScript). The list is audited as a pupil list view (a search
// only by its length).
func (s *module) listPupils(r *http.Request, c *kit.Ctx, into *[]sen.Pupil, query *string) error {
	*query = strings.TrimSpace(r.URL.Query().Get("q"))
	list, _, err := s.st.ViewPupils(r.Context(), c.Actor, store.PupilFilter{Query: *query}, store.ViewPupilList)
	*into = list
	return err
}

func (s *module) ehcRequestCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	f := &requestForm{Page: kit.Page{Title: "Record a request for an EHC needs assessment"}, PupilID: r.PostFormValue("pupil"), RequestedBy: r.PostFormValue("requestedBy"),
		Received: kit.ReadDate(r, "received"), LAName: r.PostFormValue("laName"), Notes: r.PostFormValue("notes"), Options: domain.RequestedByOptions}
	fe := sen.FieldErrors{}
	pid, _ := strconv.ParseInt(f.PupilID, 10, 64)
	if pid <= 0 {
		fe.Add("pupil", "Select the pupil")
	}
	rec, msg := f.Received.Parse("Date the local authority received the request", true)
	if msg != "" {
		fe.Add("received", msg)
	}
	req := &domain.Request{PupilID: pid, RequestedBy: f.RequestedBy, Received: rec, LAName: f.LAName, Notes: f.Notes}
	var err error
	if len(fe) > 0 {
		for k, v := range req.Validate(s.st.Today()) { // every problem at once
			fe.Add(k, v)
		}
		err = fe
	} else {
		err = s.st.CreateRequest(r.Context(), c.Actor, req)
	}
	if err != nil {
		if perr := s.listPupils(r, c, &f.Pupils, &f.PupilQuery); perr != nil {
			return perr
		}
		form := s.views.Form("ehc_request_new", f, requestFormOrder...)
		form.MissingField, form.MissingMsg = "pupil", "Select a pupil on this school's roll"
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ehc-request-added")
	http.Redirect(w, r, fmt.Sprintf("/ehc/requests/%d", req.ID), http.StatusSeeOther)
	return nil
}

type requestPage struct {
	kit.Page
	R           domain.Request
	Milestones  []MilestoneView
	NextOwner   string
	CanWrite    bool
	CanPlan     bool
	EventKinds  sen.Options
	ExMilestone sen.Options
	ExReasons   sen.Options
	// ClosureWarnings: a school-closure exception that does not fit what
	// the app knows (Request.ClosureWarnings).
	ClosureWarnings []string
	// the event form as typed
	Kind, Outcome, Note, ExM, ExR, ExNote string
	EventDate                             kit.DateField
	Correct                               correctForm
}

func (s *module) requestPage(r *http.Request, c *kit.Ctx, id int64) (*requestPage, error) {
	rq, err := s.st.Request(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	today := s.today()
	ms := rq.Milestones()
	p := &requestPage{Page: kit.Page{Title: "EHC needs assessment request: " + rq.PupilName}, R: rq, CanWrite: c.Can(authz.EHCWrite),
		NextOwner: ownerLabel(deadline.NextOwner(ms, today)), EventKinds: domain.RequestEventKinds, ExMilestone: domain.ExceptionMilestones, ExReasons: domain.ExceptionReasons,
		Correct: newCorrectForm(rq.Correctable(), rq.Corrections, rq.Version, true)}
	p.Milestones = milestoneViews(ms, today, func(key string) string {
		x, _ := rq.Exception(key)
		return x.Note
	})
	// Reg 10(4)(a): check a school-closure exception against the advice
	// request and the term dates.
	hols, err := s.st.Holidays(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	p.ClosureWarnings = rq.ClosureWarnings(hols)
	_, final := rq.Event(domain.EvFinalIssued)
	p.CanPlan = p.CanWrite && final && rq.PlanID == 0
	return p, nil
}

func (s *module) ehcRequestShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.requestPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_request", p)
}

func (s *module) ehcRequestEvent(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	ev := domain.RequestEvent{Kind: r.PostFormValue("kind"), Outcome: r.PostFormValue("outcome"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	df := kit.ReadDate(r, "eventDate")
	date, msg := df.Parse("Date it happened", true)
	ev.Date = date
	if msg != "" {
		fe := sen.FieldErrors{"eventDate": msg}
		if domain.RequestEventLabel(ev.Kind) == ev.Kind {
			fe.Add("kind", "Select what happened")
		}
		err = fe
	} else {
		err = s.st.RecordRequestEvent(r.Context(), c.Actor, id, ev)
	}
	if err != nil {
		// The request page is read (and its read audited) only to show it again.
		p, perr := s.requestPage(r, c, id)
		if perr != nil {
			return perr
		}
		p.Kind, p.Outcome, p.Note, p.EventDate = ev.Kind, ev.Outcome, ev.Note, df
		return s.views.Form("ehc_request", p, "kind", "eventDate", "outcome", "note").Fail(err)
	}
	s.k.SetFlash(w, "ehc-event-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/requests/%d", id), http.StatusSeeOther)
	return nil
}

func (s *module) ehcRequestException(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	x := domain.RequestException{Milestone: r.PostFormValue("milestone"), Reason: r.PostFormValue("reason"), Note: r.PostFormValue("exceptionNote")}
	if err := s.st.RecordException(r.Context(), c.Actor, id, x); err != nil {
		p, perr := s.requestPage(r, c, id)
		if perr != nil {
			return perr
		}
		p.ExM, p.ExR, p.ExNote = x.Milestone, x.Reason, x.Note
		return s.views.Form("ehc_request", p, "milestone", "reason", "exceptionNote").Fail(err)
	}
	s.k.SetFlash(w, "ehc-exception-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/requests/%d", id), http.StatusSeeOther)
	return nil
}

// ehcRequestCorrect corrects or withdraws an event or exception recorded by
// mistake, with a reason (kept in the request's history).
func (s *module) ehcRequestCorrect(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	cr, df, fe := readCorrection(r)
	if fe != nil {
		for k, v := range cr.Validate(s.st.Today()) {
			if k != "correctDate" {
				fe.Add(k, v)
			}
		}
		err = fe
	} else {
		err = s.st.CorrectRequest(r.Context(), c.Actor, id, cr)
	}
	if err != nil {
		p, perr := s.requestPage(r, c, id)
		if perr != nil {
			return perr
		}
		p.Correct.keep(cr, df)
		form := s.views.Form("ehc_request", p, correctionOrder...)
		form.ConflictField = "conflict"
		return form.Fail(err)
	}
	s.k.SetFlash(w, "ehc-record-corrected")
	http.Redirect(w, r, fmt.Sprintf("/ehc/requests/%d#corrections", id), http.StatusSeeOther)
	return nil
}

// formatDay is a stored date as "2 February 2027".
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}
