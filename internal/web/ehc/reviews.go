package ehc

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"opensend/internal/authz"
	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

type reviewNewPage struct {
	kit.Page
	P        domain.Plan
	Meeting  kit.DateField
	Due      string
	Limit    string
	Earliest string
	Example  string // the earliest meeting date as typed in a date input ("7 12 2026")
	HasLimit bool
	Transfer *deadline.Transfer
}

func (s *module) reviewNewPage(r *http.Request, c *kit.Ctx, planID int64) (*reviewNewPage, error) {
	p, err := s.st.Plan(r.Context(), c.Actor, planID)
	if err != nil {
		return nil, err
	}
	d, err := s.st.Duties(r.Context(), c.Actor, planID)
	if err != nil {
		return nil, err
	}
	tr := d.Transfer // the plan's transfer as the duties have it (ehc.Duties)
	f := deadline.ReviewFacts{PlanIssued: deadline.FromTime(p.Issued), LastReview: deadline.FromTimePtr(p.LastReviewed), Transfer: tr}
	pg := &reviewNewPage{Page: kit.Page{Title: "Start the annual review: " + p.PupilName}, P: p, Due: longDate(f.Due()), Limit: longDate(f.MeetingLimit()),
		Earliest: longDate(s.today().AddDays(14)), Example: dateExample(s.today().AddDays(14)), Transfer: tr}
	pg.HasLimit = f.MeetingLimit() != f.Due()
	return pg, nil
}

func (s *module) reviewNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.reviewNewPage(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_review_new", pg)
}

func (s *module) reviewCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	df := kit.ReadDate(r, "meeting")
	meeting, msg := df.Parse("Date of the review meeting", false)
	var rid int64
	if msg != "" {
		err = sen.FieldErrors{"meeting": msg}
	} else {
		rid, err = s.st.StartReview(r.Context(), c.Actor, id, meeting, c.School.Phase)
	}
	if err != nil {
		pg, perr := s.reviewNewPage(r, c, id)
		if perr != nil {
			return perr
		}
		pg.Meeting = df
		return s.views.Form("ehc_review_new", pg, "meeting").Fail(err)
	}
	s.k.SetFlash(w, "ehc-review-started")
	http.Redirect(w, r, fmt.Sprintf("/ehc/reviews/%d", rid), http.StatusSeeOther)
	return nil
}

type reviewPage struct {
	kit.Page
	R        domain.Review
	Warnings []string // what the meeting date means (late, short notice, the LA's 4 weeks squeezed)
	Late     string   // how late the review is, or ""
	// ExpectedAmended is the amended plan's expected date after a held
	// meeting, before the LA's decision is recorded ("" otherwise).
	ExpectedAmended string
	Correct         correctForm
	Milestones      []MilestoneView
	NextOwner       string
	Due             string
	Limit           string
	Example         string // the earliest meeting date as typed in a date input
	Transfer        *deadline.Transfer
	// TransferWarning: the meeting is too late to amend the plan before
	// the reg 18 date (duties.go transferWarning).
	TransferWarning string
	PFA             bool
	CanWrite        bool
	Parties         sen.Options
	Ratings         sen.Options
	Outcomes        sen.Options
	Events          sen.Options
	Meeting         kit.DateField
	MeetingTime     string
	MeetingPlace    string
	Party           string
	InvName         string
	InvEmail        string
	InvAddress      string
	// CanLetters: the reader may print and e-mail the letters.
	CanLetters bool
	// Reports: the advice and reports form as typed, and the warning
	// when the meeting is near and some are not circulated (reg 20(4)).
	ReportKinds    sen.Options
	ReportAuthor   string
	ReportKind     string
	ReportReceived kit.DateField
	CirculateHow   string
	CirculateBy    string
	ReportsWarning string
	MaxDocMB       int
	// typed event form
	Kind, Outcome string
	EventDate     kit.DateField
	StepDate      kit.DateField
}

func (s *module) reviewPageFor(r *http.Request, c *kit.Ctx, id int64) (*reviewPage, error) {
	rv, err := s.st.Review(r.Context(), c.Actor, id)
	if err != nil {
		return nil, err
	}
	// The milestones and the transfer this cycle carries come from the one
	// source of duties (ehc.Duties), as on the calendar.
	d, err := s.st.Duties(r.Context(), c.Actor, rv.PlanID)
	if err != nil {
		return nil, err
	}
	ms := domain.OnPage(d.All, domain.ReviewHref(rv.ID))
	tr := domain.CarriedTransfer(ms, d.Transfer)
	f := rv.Facts(tr)
	today := s.today()
	yn, _ := domain.YearNumber(rv.YearGroup)
	pg := &reviewPage{Page: kit.Page{Title: "Annual review: " + rv.PupilName}, R: rv, Milestones: milestoneViews(ms, today, nil),
		Warnings: domain.MeetingWarnings(f, today.Time()), Late: domain.LateText(f, today.Time()), Correct: newCorrectForm(rv.Correctable(), rv.Corrections, rv.Version, false),
		NextOwner: ownerLabel(deadline.NextOwner(ms, today)), Due: longDate(f.Due()), Limit: longDate(f.MeetingLimit()), Example: dateExample(today.AddDays(14)), Transfer: tr,
		PFA: deadline.PFARequired(yn), CanWrite: c.Can(authz.EHCWrite), Parties: domain.InviteeParties, Ratings: domain.ProgressRatings,
		Meeting: kit.DateFieldOf(rv.Meeting), Outcomes: domain.ReviewOutcomes, Events: domain.ReviewEventKinds,
		MeetingTime: rv.MeetingTime, MeetingPlace: rv.MeetingPlace, CanLetters: c.Can(authz.EHCLetters), ReportKinds: domain.ReportKinds,
		ReportsWarning: domain.CirculationWarning(rv, today.Time()), MaxDocMB: domain.MaxDocumentSize >> 20}
	if !rv.Meeting.IsZero() {
		pg.CirculateBy = kit.FormatDate(domain.CirculateBy(rv.Meeting))
	}
	if d, ok := f.ExpectedAmendedPlan(); ok {
		pg.ExpectedAmended = longDate(d)
	}
	if !rv.MeetingHeld {
		pg.TransferWarning = transferWarning(deadline.FromTime(rv.Meeting), tr)
	}
	return pg, nil
}

func (s *module) reviewShow(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.reviewPageFor(r, c, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_review", pg)
}

// reviewFail shows the review page again, with one of its forms as typed
// (fill) and err on it; a conflict (someone else saved the review first)
// is shown at the top of the page (409). The page is read (and its read
// audited) only then.
func (s *module) reviewFail(r *http.Request, c *kit.Ctx, id int64, err error, fill func(*reviewPage), order ...string) error {
	pg, perr := s.reviewPageFor(r, c, id)
	if perr != nil {
		return perr
	}
	fill(pg)
	form := s.views.Form("ehc_review", pg, order...)
	form.ConflictField = "conflict"
	return form.Fail(err)
}

func (s *module) reviewDone(w http.ResponseWriter, r *http.Request, id int64, anchor string) error {
	s.k.SetFlash(w, "ehc-review-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/reviews/%d#%s", id, anchor), http.StatusSeeOther)
	return nil
}

func version(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

func (s *module) reviewMeeting(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	df := kit.ReadDate(r, "meeting")
	meeting, msg := df.Parse("Date of the review meeting", true)
	at := store.MeetingPlace{Time: r.PostFormValue("meetingTime"), Place: r.PostFormValue("meetingPlace")}
	if msg != "" {
		fe := sen.FieldErrors{"meeting": msg}
		for k, v := range domain.ValidateMeetingPlace(at.Time, at.Place) {
			fe.Add(k, v)
		}
		err = fe
	} else {
		err = s.st.SetMeeting(r.Context(), c.Actor, id, version(r), meeting, at, c.School.Phase)
	}
	if err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) { pg.Meeting, pg.MeetingTime, pg.MeetingPlace = df, at.Time, at.Place }, "meeting", "meetingTime", "meetingPlace")
	}
	return s.reviewDone(w, r, id, "meeting-form")
}

func (s *module) reviewInvitee(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	in := domain.Invitee{Party: r.PostFormValue("party"), Name: r.PostFormValue("inviteeName"), Email: r.PostFormValue("inviteeEmail"), Address: r.PostFormValue("inviteeAddress")}
	if err := s.st.AddInvitee(r.Context(), c.Actor, id, in); err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) {
			pg.Party, pg.InvName, pg.InvEmail, pg.InvAddress = in.Party, in.Name, in.Email, in.Address
		},
			"party", "inviteeName", "inviteeEmail", "inviteeAddress")
	}
	return s.reviewDone(w, r, id, "invitees")
}

func (s *module) reviewInviteeStep(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	inv, _ := strconv.ParseInt(r.PostFormValue("invitee"), 10, 64)
	df := kit.ReadDate(r, "stepDate")
	date, msg := df.Parse("Date", true)
	if msg != "" {
		err = sen.FieldErrors{"stepDate": msg}
	} else {
		rv, err2 := s.st.Review(r.Context(), c.Actor, id)
		if err2 != nil {
			return err2
		}
		found := false
		for _, x := range rv.Invitees {
			found = found || x.ID == inv
		}
		if !found {
			return sen.ErrNotFound
		}
		err = s.st.RecordInviteeStep(r.Context(), c.Actor, inv, r.PostFormValue("step"), date)
	}
	if err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) { pg.StepDate = df }, "step", "stepDate")
	}
	return s.reviewDone(w, r, id, "invitees")
}

func (s *module) reviewRecord(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	rec := domain.ReviewRecord{Version: version(r), MeetingHeld: r.PostFormValue("meetingHeld") == "yes", Attendance: r.PostFormValue("attendance"),
		PupilViews: r.PostFormValue("pupilViews"), ParentViews: r.PostFormValue("parentViews"), Amendments: r.PostFormValue("amendments"), PFA: r.PostFormValue("pfa")}
	for _, v := range r.PostForm["attended"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			rec.Attended = append(rec.Attended, n)
		}
	}
	for _, v := range r.PostForm["outcomeId"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		rec.Progress = append(rec.Progress, domain.OutcomeProgress{OutcomeID: n, Rating: r.PostFormValue("rating-" + v), Note: r.PostFormValue("note-" + v)})
	}
	if err := s.st.SaveReviewRecord(r.Context(), c.Actor, id, rec); err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) {
			pg.R.Attendance, pg.R.PupilViews, pg.R.ParentViews, pg.R.Amendments, pg.R.PFA = rec.Attendance, rec.PupilViews, rec.ParentViews, rec.Amendments, rec.PFA
		}, "conflict", "meetingHeld", "attendance", "pupilViews", "parentViews", "amendments", "pfa")
	}
	return s.reviewDone(w, r, id, "record")
}

func (s *module) reviewEvent(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	kind, outcome := r.PostFormValue("kind"), r.PostFormValue("outcome")
	df := kit.ReadDate(r, "eventDate")
	var date time.Time
	var msg string
	if kind != domain.RvCompleted {
		date, msg = df.Parse("Date it happened", true)
	}
	if msg != "" {
		err = sen.FieldErrors{"eventDate": msg}
	} else {
		err = s.st.RecordReviewEvent(r.Context(), c.Actor, id, kind, date, outcome)
	}
	if err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) { pg.Kind, pg.Outcome, pg.EventDate = kind, outcome, df }, "kind", "eventDate", "outcome")
	}
	return s.reviewDone(w, r, id, "after")
}

// --- Corrections ---

// correctForm is the "correct or withdraw a record" form of a review or a
// request, as typed, with the record's correction history.
type correctForm struct {
	Items    sen.Options // the recorded facts that can be corrected
	Actions  sen.Options
	History  []domain.Correction
	Version  int64
	Request  bool // a request's form: outcomes to assess, exception reasons
	Outcomes sen.Options
	Reasons  sen.Options
	// as typed
	Item, Action, Outcome, ExReason, Note, Reason string
	Date                                          kit.DateField
}

func newCorrectForm(items []domain.CorrectableItem, history []domain.Correction, version int64, request bool) correctForm {
	f := correctForm{Actions: domain.CorrectionActions, History: history, Version: version, Request: request, Outcomes: domain.ReviewOutcomes}
	if request {
		f.Outcomes, f.Reasons = domain.AssessOutcomes, domain.ExceptionReasons
	}
	for _, it := range items {
		f.Items = append(f.Items, sen.Option{Code: it.Item, Label: it.Label})
	}
	return f
}

// correctionOrder is the error summary's order of the correction form.
var correctionOrder = []string{"conflict", "item", "action", "correctDate", "correctOutcome", "correctExReason", "correctNote", "correctReason"}

// readCorrection reads the correction form; a date that is not a real date
// is a field error.
func readCorrection(r *http.Request) (domain.CorrectionRequest, kit.DateField, sen.FieldErrors) {
	df := kit.ReadDate(r, "correctDate")
	c := domain.CorrectionRequest{Version: version(r), Item: r.PostFormValue("item"), Action: r.PostFormValue("action"), Outcome: r.PostFormValue("correctOutcome"),
		ExReason: r.PostFormValue("correctExReason"), Note: r.PostFormValue("correctNote"), Reason: r.PostFormValue("correctReason")}
	var fe sen.FieldErrors
	if c.Action == domain.ActCorrect && !df.Empty() {
		d, msg := df.Parse("Correct date", true)
		if msg != "" {
			fe = sen.FieldErrors{"correctDate": msg}
		}
		c.Date = d
	}
	return c, df, fe
}

func (f *correctForm) keep(c domain.CorrectionRequest, df kit.DateField) {
	f.Item, f.Action, f.Outcome, f.ExReason, f.Note, f.Reason, f.Date = c.Item, c.Action, c.Outcome, c.ExReason, c.Note, c.Reason, df
}

func (s *module) reviewCorrect(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	cr, df, fe := readCorrection(r)
	if fe != nil {
		for k, v := range cr.Validate(s.st.Today()) { // every problem at once
			if k != "correctDate" {
				fe.Add(k, v)
			}
		}
		err = fe
	} else {
		err = s.st.CorrectReview(r.Context(), c.Actor, id, cr)
	}
	if err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) { pg.Correct.keep(cr, df) }, correctionOrder...)
	}
	s.k.SetFlash(w, "ehc-record-corrected")
	http.Redirect(w, r, fmt.Sprintf("/ehc/reviews/%d#corrections", id), http.StatusSeeOther)
	return nil
}

// --- Phase transfers ---

type transfersPage struct {
	kit.Page
	Rows     []domain.PhaseTransferRow
	CanWrite bool
}

func (s *module) transfers(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rows, err := s.st.PhaseTransfers(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_transfers", &transfersPage{Page: kit.Page{Title: "Phase transfers"}, Rows: rows, CanWrite: c.Can(authz.EHCWrite)})
}

// --- Letters (office) ---

type lettersPage struct {
	kit.Page
	Rows []domain.PendingInvitation
	// Full: the reader may see EHC work (the SENCO): every invitee, party
	// and meeting date. Otherwise (office staff) the rows are ForPosting.
	Full bool
	// Reviews is each review with letters to send, once, for its PDF of
	// all letters.
	Reviews []letterReview
	// Reports are the advice and reports of reviews still to meet (the
	// SENCO only: which services advise is EHC work).
	Reports []domain.ReviewReport
}

type letterReview struct {
	ID        int64
	PupilName string
}

func (s *module) letters(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	rows, err := s.st.PendingInvitations(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	full := c.Can(authz.EHCRead)
	if !full {
		for i := range rows {
			rows[i] = rows[i].ForPosting()
		}
	}
	pg := &lettersPage{Page: kit.Page{Title: "Review invitations to send"}, Rows: rows, Full: full}
	if full {
		if pg.Reports, err = s.st.OpenReviewReports(r.Context(), c.Actor); err != nil {
			return err
		}
	}
	seen := map[int64]bool{}
	for _, x := range rows {
		if !seen[x.ReviewID] && (full || !x.Withheld) {
			seen[x.ReviewID] = true
			pg.Reviews = append(pg.Reviews, letterReview{ID: x.ReviewID, PupilName: x.PupilName})
		}
	}
	return s.render(w, r, http.StatusOK, "ehc_letters", pg)
}

func (s *module) letterSent(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	l, err := s.st.InviteeLetter(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if err := s.st.LetterPosted(r.Context(), c.Actor, id); err != nil {
		return err
	}
	s.k.SetFlash(w, "ehc-letter-saved")
	http.Redirect(w, r, backTo(r, l.ReviewID), http.StatusSeeOther)
	return nil
}
