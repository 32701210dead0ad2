package ehc

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// SchoolTypes are the types of school or setting the SENCO or office
// chooses on the school's settings page. The codes are deadline.Phase
// values: reg 18 transfers follow from the type and the age range.
var SchoolTypes = sen.Options{
	{Code: string(deadline.PhaseEarlyYears), Label: "Early years setting (pre-school, day nursery or childminder)"},
	{Code: string(deadline.PhaseNursery), Label: "Nursery school"},
	{Code: string(deadline.PhaseInfant), Label: "Infant school"},
	{Code: string(deadline.PhaseFirst), Label: "First school"},
	{Code: string(deadline.PhaseJunior), Label: "Junior school"},
	{Code: string(deadline.PhasePrimary), Label: "Primary school"},
	{Code: string(deadline.PhaseMiddle), Label: "Middle school"},
	{Code: string(deadline.PhaseSecondary), Label: "Secondary school (11 to 16)"},
	{Code: string(deadline.PhaseSecondarySixthForm), Label: "Secondary school with a sixth form"},
	{Code: string(deadline.PhaseAllThrough), Label: "All-through school"},
	{Code: string(deadline.PhasePost16), Label: "Sixth-form college"},
	{Code: string(deadline.PhaseSpecial), Label: "Special school"},
}

// SchoolTypeCodes are the codes of SchoolTypes, in order.
func SchoolTypeCodes() []string {
	out := make([]string, len(SchoolTypes))
	for i, o := range SchoolTypes {
		out[i] = o.Code
	}
	return out
}

// DestinationTypes are where a pupil can move next: any type of school, or
// a further education college or other post-16 institution.
var DestinationTypes = append(append(sen.Options{}, SchoolTypes...),
	sen.Option{Code: string(deadline.PhaseFurtherEducation), Label: "Further education college or other post-16 institution"})

// SchoolTypeLabel names a school type ("" for none).
func SchoolTypeLabel(code string) string { return DestinationTypes.Label(code) }

// SchoolSettings is the school's type and age range.
type SchoolSettings struct {
	Type            string
	Lowest, Highest string // census year groups (sen.YearGroups)
	// Address is the school's postal address (one line each), Phone its
	// main telephone number and Email the address replies go to: the
	// letterhead of every letter the school sends (LetterHead).
	Address, Phone, Email string
	Version               int64
}

// Validate checks the settings; an unknown type or year group is refused.
func (s *SchoolSettings) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if !SchoolTypes.Has(s.Type) {
		fe.Add("schoolType", "Select the type of school or setting")
	}
	lo, okLo := YearNumber(s.Lowest)
	hi, okHi := YearNumber(s.Highest)
	if !okLo || !sen.ValidYearGroup(s.Lowest) {
		fe.Add("lowestYear", "Select the lowest year group the school teaches")
	}
	if !okHi || !sen.ValidYearGroup(s.Highest) {
		fe.Add("highestYear", "Select the highest year group the school teaches")
	}
	if okLo && okHi && len(fe) == 0 && hi < lo {
		fe.Add("highestYear", "The highest year group must be the same as or after the lowest")
	}
	s.Address, s.Phone, s.Email = strings.TrimSpace(s.Address), strings.TrimSpace(s.Phone), strings.TrimSpace(s.Email)
	if len(s.Address) > MaxAddress {
		fe.Add("address", "The address must be 500 characters or fewer")
	}
	fe.Long("address", s.Address)
	if len(s.Phone) > 40 {
		fe.Add("phone", "The phone number must be 40 characters or fewer")
	}
	fe.Line("phone", s.Phone)
	if s.Email != "" && !ValidEmail(s.Email) {
		fe.Add("replyEmail", "Enter an email address in the correct format, like office@school.example")
	}
	fe.Line("replyEmail", s.Email)
	return fe
}

// Engine returns the settings for the deadline engine. A school whose
// settings were never saved has its type's usual age range.
func (s SchoolSettings) Engine() deadline.School {
	sc := deadline.School{Type: deadline.Phase(s.Type)}
	lo, okLo := YearNumber(s.Lowest)
	hi, okHi := YearNumber(s.Highest)
	if !okLo || !okHi {
		lo, hi, _ = deadline.DefaultYears(sc.Type)
	}
	sc.Lowest, sc.Highest = lo, hi
	return sc
}

// YearGroupOf is the census year group of an engine year number.
func YearGroupOf(n int) string {
	switch n {
	case deadline.YearNursery1:
		return "N1"
	case deadline.YearEarlyYears:
		return "N2"
	case deadline.YearReception:
		return "R"
	}
	return strconv.Itoa(n)
}

// Next-move choices.
const (
	MoveStaying = "staying"
	MoveLeaving = "leaving"
)

// MoveChoices are the two kinds of next move.
var MoveChoices = sen.Options{
	{Code: MoveLeaving, Label: "Moving to another school, college or setting"},
	{Code: MoveStaying, Label: "Staying at this school (for example into its own sixth form, or from its nursery class into Reception)"},
}

// NextMove is the school's record of where a pupil with a plan goes next
// (SEND Regs 2014 reg 18: the plan must be amended to name the new school
// or institution before the transfer).
type NextMove struct {
	PlanID  int64
	Choice  string    // MoveStaying or MoveLeaving
	ToType  string    // DestinationTypes code, when leaving
	ToName  string    // the institution's name, once known
	Date    time.Time // the day of the move; zero: 1 September after the last year here
	Version int64
	Updated time.Time
}

// Validate checks the record.
func (m *NextMove) Validate(today time.Time) sen.FieldErrors {
	m.ToName = strings.TrimSpace(m.ToName)
	fe := sen.FieldErrors{}
	switch m.Choice {
	case MoveStaying:
		m.ToType, m.ToName, m.Date = "", "", time.Time{}
	case MoveLeaving:
		if !DestinationTypes.Has(m.ToType) {
			fe.Add("toType", "Select the type of school, college or setting the pupil is moving to")
		}
	default:
		fe.Add("choice", "Select whether the pupil is moving to another institution or staying")
	}
	if len(m.ToName) > 200 {
		fe.Add("toName", "Name must be 200 characters or fewer")
	}
	fe.Name("toName", m.ToName)
	if !m.Date.IsZero() && m.Date.Before(today.AddDate(-1, 0, 0)) {
		fe.Add("moveDate", "The date of the move must be within the last year or in the future")
	}
	return fe
}

// Engine returns the move for the deadline engine.
func (m NextMove) Engine() *deadline.Move {
	mv := &deadline.Move{Staying: m.Choice == MoveStaying, ToType: deadline.Phase(m.ToType)}
	if !m.Date.IsZero() {
		mv.Date = deadline.FromTime(m.Date)
	}
	return mv
}

// PlanTransfer is the next transfer of a plan's pupil (any year ahead),
// from the school's settings and the plan's next-move record (nil: none).
func PlanTransfer(p Plan, sc SchoolSettings, mv *NextMove, today time.Time) (deadline.Transfer, bool) {
	n, ok := YearNumber(p.YearGroup)
	if !ok {
		return deadline.Transfer{}, false
	}
	var m *deadline.Move
	if mv != nil {
		m = mv.Engine()
	}
	return deadline.NextTransfer(n, sc.Engine(), m, deadline.FromTime(today))
}

// DutyInput is everything the statutory duties are computed from.
type DutyInput struct {
	Today    time.Time
	School   SchoolSettings
	Requests []Request
	Plans    []Plan   // active plans
	Reviews  []Review // ordered by id
	Moves    map[int64]NextMove
	Appeals  []UnopposedAppeal
	// Other are statutory duties computed outside EHC work (a leaver's CTF,
	// internal/transition), added to the one list as they are.
	Other []OtherDuty
}

// OtherDuty is a statutory duty of another capability: its milestone and
// the record it belongs to.
type OtherDuty struct {
	Kind, Record string
	RefID        int64
	Href         string
	PupilID      int64
	PupilName    string
	M            deadline.Milestone
}

// Duties is OpenSEND's one source of statutory dates: every milestone of
// every request, review cycle, plan and unopposed appeal, done or open, in
// each record's process order. The calendar, the ICS feed, the daily
// digest, the home page and each record's own page read it (OpenDuties for
// the open ones), so one duty has one date everywhere.
//
// For a plan: while a review cycle is open (meeting not yet held) the
// plan's next review is that cycle's meeting. A phase transfer due this
// year (deadline.NextTransfer, Transfer.DueThisYear) is carried by the
// latest review held in the transfer's academic year or not yet held
// (ServesTransfer), which also brings that review's meeting forward
// (MeetingLimit); without one, by the plan itself. Its only date is
// deadline.TransferMilestone's, closed by the amended plan.
func Duties(in DutyInput) []CalendarEntry {
	td := deadline.FromTime(in.Today)
	var out []CalendarEntry
	add := func(kind, record string, ref int64, href string, pupilID int64, name string, m deadline.Milestone, schoolDone bool) {
		out = append(out, CalendarEntry{Kind: kind, Record: record, RefID: ref, Href: href, PupilID: pupilID, PupilName: name, Initials: Initials(name),
			M: m, Status: m.Status(td), DaysLeft: m.DaysLeft(td), Due: m.Due.Time(), SchoolClosed: schoolDone && m.Owner == deadline.OwnerSchool})
	}
	for _, r := range in.Requests {
		for _, m := range r.Milestones() {
			// Every request milestone from the engine, including the reg 8
			// advice due dates (deadline.KeyAdvicePrefix + body: one stable key
			// per body asked, so one UID per advice request).
			add(KindRequest, RecordRequest, r.ID, hreff("/ehc/requests/", r.ID), r.PupilID, r.PupilName, m, false)
		}
	}
	planOf := map[int64]Plan{}
	transferOf := map[int64]*deadline.Transfer{}
	for _, p := range in.Plans {
		planOf[p.ID] = p
		var mv *NextMove
		if m, ok := in.Moves[p.ID]; ok {
			mv = &m
		}
		if t, ok := PlanTransfer(p, in.School, mv, in.Today); ok && t.DueThisYear(td) {
			transferOf[p.ID] = &t
		}
	}
	// The review that carries each plan's transfer: the latest one serving it.
	carrier := map[int64]int64{}
	openReview := map[int64]bool{}
	for _, r := range in.Reviews {
		if _, ok := planOf[r.PlanID]; !ok {
			continue
		}
		if !r.MeetingHeld {
			openReview[r.PlanID] = true
		}
		if tr := transferOf[r.PlanID]; tr != nil && (!r.MeetingHeld || ServesTransfer(r.Meeting, tr)) {
			carrier[r.PlanID] = r.ID
		}
	}
	for _, r := range in.Reviews {
		p, ok := planOf[r.PlanID]
		if !ok {
			continue
		}
		var tr *deadline.Transfer
		if carrier[r.PlanID] == r.ID {
			tr = transferOf[r.PlanID]
		}
		rf := r.Facts(tr)
		href := hreff("/ehc/reviews/", r.ID)
		for _, m := range deadline.ReviewMilestones(rf) {
			if m.Key == deadline.KeyPhaseTransfer {
				continue // the transfer duty is TransferMilestone's (below)
			}
			add(KindReview, RecordReview, r.ID, href, p.PupilID, p.PupilName, MeetingLimit(m, rf), r.Completed)
		}
		if tr != nil {
			// Filed under the plan, whichever review carries it, so its
			// calendar UID stays the same when a review starts; shown on
			// the review's page (Href).
			add(KindTransfer, RecordPlan, p.ID, href, p.PupilID, p.PupilName,
				deadline.TransferMilestone(*tr, rf.Outcome, rf.Decision, rf.AmendedPlanIssued), false)
		}
	}
	for _, p := range in.Plans {
		href := hreff("/ehc/plans/", p.ID)
		var tr *deadline.Transfer
		if _, carried := carrier[p.ID]; !carried {
			tr = transferOf[p.ID]
		}
		if !openReview[p.ID] {
			// The next review is due, brought forward by a transfer this plan carries.
			f := deadline.ReviewFacts{PlanIssued: deadline.FromTime(p.Issued), LastReview: deadline.FromTimePtr(p.LastReviewed), Transfer: tr}
			for _, m := range deadline.ReviewMilestones(f) {
				if m.Key == deadline.KeyPhaseTransfer {
					continue
				}
				add(KindReview, RecordPlan, p.ID, href, p.PupilID, p.PupilName, MeetingLimit(m, f), false)
			}
		}
		if tr != nil {
			add(KindTransfer, RecordPlan, p.ID, href, p.PupilID, p.PupilName, deadline.TransferMilestone(*tr, "", nil, nil), false)
		}
	}
	reqOf := map[int64]Request{}
	for _, r := range in.Requests {
		reqOf[r.ID] = r
	}
	for _, u := range in.Appeals {
		href := hreff("/ehc/plans/", u.PlanID)
		if u.RequestID != 0 {
			href = hreff("/ehc/requests/", u.RequestID)
		}
		f := u.Facts()
		if r, ok := reqOf[u.RequestID]; ok && u.RequestID != 0 {
			f = u.FactsFromRequest(r)
		} else if p, ok := planOf[u.PlanID]; ok && u.PlanID != 0 && !p.LastAmended.Before(u.Notified) {
			d := deadline.FromTime(p.LastAmended)
			f.AmendedIssued = &d // the plan amended on or after the notice
		}
		for _, m := range deadline.UnopposedMilestones(f) {
			add(KindAppeal, RecordAppeal, u.ID, href, u.PupilID, u.PupilName, m, false)
		}
	}
	for _, o := range in.Other {
		add(o.Kind, o.Record, o.RefID, o.Href, o.PupilID, o.PupilName, o.M, false)
	}
	return out
}

// OpenDuties are the duties still needing someone to act, soonest first:
// the statutory calendar, its feed, the digest and the home page.
func OpenDuties(all []CalendarEntry, today time.Time) []CalendarEntry {
	td := deadline.FromTime(today)
	var out []CalendarEntry
	for _, e := range all {
		if e.M.Open(td) && !e.SchoolClosed {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Due.Equal(out[j].Due) {
			return out[i].Due.Before(out[j].Due)
		}
		return out[i].PupilName < out[j].PupilName
	})
	return out
}

// OnPage returns the milestones shown on the page at href (a request, a
// review or a plan: Href), in process order. A review's page has its own
// steps and the phase transfer it carries.
func OnPage(all []CalendarEntry, href string) []deadline.Milestone {
	var out []deadline.Milestone
	for _, e := range all {
		if e.Href == href {
			out = append(out, e.M)
		}
	}
	return out
}

// PlanNextReview is the due date of the plan's next annual review meeting
// as every view shows it: the open cycle's meeting (not yet held), or the
// plan's own. all are the duties of the plan's pupil.
func PlanNextReview(all []CalendarEntry, planID int64) (time.Time, bool) {
	for _, e := range all {
		if e.M.Key != deadline.KeyReviewMeeting || e.M.Done != nil {
			continue
		}
		if (e.Record == RecordPlan && e.RefID == planID) || e.Record == RecordReview {
			return e.Due, true
		}
	}
	return time.Time{}, false
}

func hreff(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

// UnopposedAppeal is a notice from the LA that it will not oppose an
// appeal to the First-tier Tribunal, recorded on a request (an appeal
// against a refusal to assess) or a plan (an appeal against its contents).
// Its time limits run from the date the LA told the Tribunal (SEND Regs
// 2014 reg 45 as substituted by SI 2015/359 reg 8; deadline.UnopposedMilestones).
type UnopposedAppeal struct {
	ID        int64
	RequestID int64 // set for an appeal about an assessment
	PlanID    int64 // set for an appeal about a plan's contents
	PupilID   int64
	PupilName string
	Notified  time.Time
}

// Kind is the reg 45 kind: a request's appeal is about the assessment.
func (u UnopposedAppeal) Kind() deadline.UnopposedKind {
	if u.RequestID != 0 {
		return deadline.UnopposedAssessment
	}
	return deadline.UnopposedContents
}

// Facts are the deadline engine's input before anything is done; the
// record's own events close the steps (FactsFromRequest; a plan amended on
// or after the notice, in Duties).
func (u UnopposedAppeal) Facts() deadline.UnopposedFacts {
	return deadline.UnopposedFacts{Kind: u.Kind(), Notified: deadline.FromTime(u.Notified)}
}

// FactsFromRequest are the facts of an appeal about an assessment, read
// from the request's own record of what the LA did on or after the notice:
// the decision to assess, a draft or final plan, or a decision not to issue.
func (u UnopposedAppeal) FactsFromRequest(r Request) deadline.UnopposedFacts {
	f := u.Facts()
	after := func(kind string, outcome string) *deadline.Date {
		var out *deadline.Date
		for _, e := range r.Events {
			if e.Kind == kind && (outcome == "" || e.Outcome == outcome) && !e.Date.Before(u.Notified) && out == nil {
				d := deadline.FromTime(e.Date)
				out = &d
			}
		}
		return out
	}
	if d := after(EvAssessDecision, string(deadline.OutcomeAssess)); d != nil {
		f.AssessNotice = d
	}
	f.DraftServed = after(EvDraftServed, "")
	f.FinalIssued = after(EvFinalIssued, "")
	f.DecisionNotToIssue = after(EvNotToIssue, "")
	return f
}

// Validate checks a new notice.
func (u *UnopposedAppeal) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if u.Notified.IsZero() {
		fe.Add("notified", "Enter the date the local authority told the Tribunal it will not oppose the appeal")
	} else if u.Notified.After(today) {
		fe.Add("notified", "The date the local authority told the Tribunal must be today or in the past")
	}
	return fe
}

// ErrSettingsChanged: someone saved the school's settings first.
func ErrSettingsChanged() error {
	return &sen.ConflictError{What: "school's settings", Msg: "Someone else saved the school's settings while you were editing. Nothing has been saved: check the settings below and try again."}
}

// ErrMoveChanged: someone recorded the pupil's next move first.
func ErrMoveChanged() error {
	return &sen.ConflictError{What: "next move", Msg: "Someone else recorded this pupil's next move while you were editing. Nothing has been saved: check the record below and try again."}
}

// ErrNoActivePlan: an unopposed appeal about a plan needs an active plan.
func ErrNoActivePlan() sen.FieldErrors {
	return sen.FieldErrors{"notified": "This plan has ended, so an appeal about its contents cannot be recorded on it"}
}

// YearGroupOptions are the census year groups as choices.
func YearGroupOptions() sen.Options {
	out := make(sen.Options, 0, len(sen.YearGroups))
	for _, y := range sen.YearGroups {
		out = append(out, sen.Option{Code: y, Label: sen.YearGroupLabel(y)})
	}
	return out
}

// CarriedTransfer is tr when the record's milestones ms carry its duty
// (Duties gives a transfer to one record), otherwise nil.
func CarriedTransfer(ms []deadline.Milestone, tr *deadline.Transfer) *deadline.Transfer {
	if _, ok := deadline.Find(ms, deadline.KeyPhaseTransfer); ok {
		return tr
	}
	return nil
}

// ClosureWarnings checks each school-closure exception recorded on the
// request (SEND Regs 2014 reg 10(4)(a): the LA asked the school's head
// teacher for advice in the period from one week before the school closes
// for a continuous period of at least 4 weeks to one week before it
// re-opens) against what the app knows: the request's record of advice
// asked of the school and the school's term dates. Each warning says what
// does not fit; none means it fits. The exception stands either way (the
// LA decides it), and its reason is still required.
func (r Request) ClosureWarnings(hols []sen.Holiday) []string {
	var x []RequestException
	for _, e := range r.Exceptions {
		if e.Reason == string(deadline.ExceptionSchoolClosure) {
			x = append(x, e)
		}
	}
	if len(x) == 0 {
		return nil
	}
	var cs []deadline.Closure
	for _, h := range hols {
		cs = append(cs, deadline.Closure{First: deadline.FromTime(h.Starts), Last: deadline.FromTime(h.Ends)})
	}
	long := deadline.LongClosures(cs)
	asked, ok := r.Event(EvAdviceRequested)
	var out []string
	switch {
	case !ok:
		out = append(out, "The school closure exception needs the local authority to have asked the school for advice in the period the regulation names, but no request for the school's advice is recorded. Record the date the local authority asked.")
	case len(long) == 0:
		out = append(out, "The school closure exception needs a closure of at least 4 weeks, but the school's term dates record none. Add the summer holiday on the Term dates page.")
	default:
		d := deadline.FromTime(asked.Date)
		if _, in := deadline.InClosureWindow(d, long); !in {
			c := nearestClosure(d, long)
			from, to := c.ExceptionWindow()
			out = append(out, "The school's advice was asked for on "+d.Long()+", outside the period the regulation names: from "+from.Long()+
				" (one week before the school closed) to "+to.Long()+" (one week before it re-opened). Check that the exception applies.")
		}
	}
	return out
}

// nearestClosure is the long closure whose window is closest to d.
func nearestClosure(d deadline.Date, cs []deadline.Closure) deadline.Closure {
	best, gap := cs[0], -1
	for _, c := range cs {
		from, to := c.ExceptionWindow()
		g := deadline.DaysBetween(d, from)
		if g < 0 {
			g = deadline.DaysBetween(to, d)
		}
		if g < 0 {
			g = -g
		}
		if gap < 0 || g < gap {
			best, gap = c, g
		}
	}
	return best
}

// ReviewHref is the address of a review's page.
func ReviewHref(id int64) string { return hreff("/ehc/reviews/", id) }
