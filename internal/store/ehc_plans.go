package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// EHCPlan is an issued EHC plan and the structured parts the school acts on.
type EHCPlan struct {
	ID           int64
	SchoolID     int64
	PupilID      int64
	RequestID    int64
	PupilName    string
	YearGroup    string
	ClassName    string
	LAName       string
	CaseOfficer  string
	Issued       time.Time
	LastAmended  time.Time
	LastReviewed time.Time
	Placement    string // Section I
	DocumentID   string
	DocumentName string
	Active       bool
	Ended        time.Time // when the plan stopped being maintained (inactive plans)
	EndReason    string
	Version      int64
	// Restricted is set when the actor is a teacher or TA: only Section E and
	// the Section F lines they deliver are filled in.
	Restricted bool
	Needs      []PlanNeed   // Section B
	Outcomes   []Outcome    // Section E
	Provision  []Provision  // Section F
	Deliveries []Delivery   // recent delivery records, newest first
	Reviews    []ReviewLite // annual reviews, newest first
}

// PlanNeed is one Section B entry.
type PlanNeed struct {
	ID   int64
	Area string
	Text string
}

// Outcome is one Section E outcome.
type Outcome struct {
	ID     int64
	Text   string
	ByWhen string
}

// Provision is one Section F line with its delivery against what is specified.
type Provision struct {
	ID              int64
	PlanID          int64
	Description     string
	SessionsPerWeek int
	Minutes         int
	DeliveredBy     string
	StaffUserID     int64
	StaffName       string
	Starts          time.Time // first day the line applies (zero: from the plan's issue date)
	Active          bool
	Term            DeliveryStats
	Year            DeliveryStats
}

// DeliveryStats compare specified and delivered provision over a period.
type DeliveryStats struct {
	Label             string
	From, To          time.Time
	SchoolDays        int // school days so far in the period since the line started
	Weeks             int
	ExpectedSessions  int
	ExpectedMinutes   int
	DeliveredSessions int
	DeliveredMinutes  int
	Missed            int
}

// ShortfallThreshold: a line is falling short when less than this share of
// the specified minutes has been delivered (expected minutes count school
// days only, so the margin is for a session moved to another week, not
// for holidays).
const ShortfallThreshold = 0.8

// Short reports whether delivery is falling short of what is specified.
func (d DeliveryStats) Short() bool {
	return d.ExpectedMinutes > 0 && float64(d.DeliveredMinutes) < ShortfallThreshold*float64(d.ExpectedMinutes)
}

// Percent is delivered minutes as a whole percentage of expected.
func (d DeliveryStats) Percent() int {
	if d.ExpectedMinutes == 0 {
		return 100
	}
	return d.DeliveredMinutes * 100 / d.ExpectedMinutes
}

// Delivery is one record of a Section F session delivered or missed.
type Delivery struct {
	ID           int64
	ProvisionID  int64
	Provision    string
	Date         time.Time
	Minutes      int
	DeliveredBy  string
	Missed       bool
	MissedReason string
	RecordedBy   string
	RecordedAt   time.Time
}

// ReviewLite is a review in a plan's list.
type ReviewLite struct {
	ID          int64
	Meeting     time.Time
	MeetingHeld bool
	Completed   bool
	Outcome     string
}

// PlanNeedAreas are the areas a Section B need sits under: the register's
// four broad areas of need (CoP 6.28), the one list sen.BroadAreas, so a
// Section B need and the register name an area the same way.
var PlanNeedAreas = sen.BroadAreas

// PlanNeedAreaLabel names a Section B area.
func PlanNeedAreaLabel(code string) string { return sen.BroadAreas.Label(code) }

// ReviewDue is the last day for the plan's next annual review meeting
// (CFA 2014 s44(1); see deadline.ReviewDue).
func (p EHCPlan) ReviewDue() time.Time {
	return TimeOf(deadline.ReviewDue(Day(p.Issued), DayPtr(p.LastReviewed)))
}

// Validate checks the plan's record.
func (p *EHCPlan) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	p.LAName = strings.TrimSpace(p.LAName)
	p.CaseOfficer = strings.TrimSpace(p.CaseOfficer)
	p.Placement = strings.TrimSpace(p.Placement)
	if p.LAName == "" {
		fe.Add("laName", "Enter the local authority that maintains the plan")
	} else if len(p.LAName) > 200 {
		fe.Add("laName", "Local authority must be 200 characters or fewer")
	}
	if len(p.CaseOfficer) > 200 {
		fe.Add("caseOfficer", "Case officer must be 200 characters or fewer")
	}
	if p.Issued.IsZero() {
		fe.Add("issued", "Enter the date the plan was issued")
	} else if p.Issued.After(today) {
		fe.Add("issued", "The date the plan was issued must be today or in the past")
	}
	if !p.LastAmended.IsZero() {
		if p.LastAmended.After(today) {
			fe.Add("lastAmended", "The date the plan was last amended must be today or in the past")
		} else if !p.Issued.IsZero() && p.LastAmended.Before(p.Issued) {
			fe.Add("lastAmended", "The date the plan was last amended must be on or after the date it was issued")
		}
	}
	if !p.LastReviewed.IsZero() {
		if p.LastReviewed.After(today) {
			fe.Add("lastReviewed", "The date of the last annual review must be today or in the past")
		} else if !p.Issued.IsZero() && p.LastReviewed.Before(p.Issued) {
			fe.Add("lastReviewed", "The date of the last annual review must be on or after the date the plan was issued")
		}
	}
	if len(p.Placement) > 500 {
		fe.Add("placement", "Placement must be 500 characters or fewer")
	}
	return fe
}

// CreatePlan records an issued EHC plan. The pupil must not already have an
// active plan; the pupil's SEN register status becomes E (EHC plan) from the
// issue date, which needs a recorded primary need (census rule).
func (s *Store) CreatePlan(ctx context.Context, a sen.Actor, p *EHCPlan) error {
	if fe := p.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		pu, err := s.pupilTx(ctx, tx, a, p.PupilID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ehc_plans WHERE pupil_id = $1 AND active = $2`, p.PupilID, true).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return sen.FieldErrors{"laName": pu.FullName() + " already has an EHC plan recorded. Edit that plan instead."}
		}
		var req any
		if p.RequestID != 0 {
			var rp int64
			err := tx.QueryRowContext(ctx, `SELECT pupil_id FROM ehc_requests WHERE id = $1 AND school_id = $2`, p.RequestID, a.User.SchoolID).Scan(&rp)
			if err != nil || rp != p.PupilID {
				return sen.ErrNotFound
			}
			req = p.RequestID
		}
		now := s.now()
		p.SchoolID = a.User.SchoolID
		if err := tx.QueryRowContext(ctx, `INSERT INTO ehc_plans (school_id, pupil_id, request_id, la_name, case_officer, issued, last_amended, last_reviewed, placement, active, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`, p.SchoolID, p.PupilID, req, p.LAName, p.CaseOfficer, dateArg(p.Issued),
			dateArg(p.LastAmended), dateArg(p.LastReviewed), p.Placement, true, now).Scan(&p.ID); err != nil {
			return fmt.Errorf("store: create plan: %w", err)
		}
		p.Version, p.Active = 1, true
		if pu.Status != sen.StatusEHCP {
			if problems := sen.CheckCensus(sen.StatusEHCP, pu.Needs); len(problems) > 0 {
				return sen.FieldErrors{"laName": "Record " + pu.FullName() + "'s primary need on the SEN register first: " + problems[0]}
			}
			if _, err := s.appendStatusTx(ctx, tx, a, p.PupilID, sen.StatusEHCP, p.Issued, "Local authority: "+p.LAName, "EHC plan issued"); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, a, "register.status", "pupil", p.PupilID, p.PupilID, "status=E from EHC plan"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "ehc.plan.create", "ehc_plan", p.ID, p.PupilID, "")
	})
}

// UpdatePlan saves the plan's details (not its sections). p.Version must be
// the version that was read.
func (s *Store) UpdatePlan(ctx context.Context, a sen.Actor, p *EHCPlan) error {
	if fe := p.Validate(s.Today()); len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := s.planTx(ctx, tx, a, p.ID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET la_name = $3, case_officer = $4, issued = $5, last_amended = $6, last_reviewed = $7, placement = $8,
version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2`, p.ID, p.Version, p.LAName, p.CaseOfficer, dateArg(p.Issued), dateArg(p.LastAmended),
			dateArg(p.LastReviewed), p.Placement, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errStale("plan")
		}
		p.Version++
		var f []string
		if old.LAName != p.LAName {
			f = append(f, "la")
		}
		if old.CaseOfficer != p.CaseOfficer {
			f = append(f, "case_officer")
		}
		if !old.Issued.Equal(p.Issued) {
			f = append(f, "issued")
		}
		if !old.LastAmended.Equal(p.LastAmended) {
			f = append(f, "last_amended")
		}
		if !old.LastReviewed.Equal(p.LastReviewed) {
			f = append(f, "last_reviewed")
		}
		if old.Placement != p.Placement {
			f = append(f, "placement")
		}
		return s.audit(ctx, tx, a, "ehc.plan.update", "ehc_plan", p.ID, old.PupilID, "changed: "+strings.Join(f, ", "))
	})
}

const planCols = `pl.id, pl.school_id, pl.pupil_id, COALESCE(pl.request_id, 0), p.forename || ' ' || p.surname, p.year_group, p.class_name, pl.la_name, pl.case_officer,
pl.issued, pl.last_amended, pl.last_reviewed, pl.placement, COALESCE(pl.document_id, ''), COALESCE(d.filename, ''), pl.active, pl.ended, pl.end_reason, pl.version`

const planFrom = ` FROM ehc_plans pl JOIN pupils p ON p.id = pl.pupil_id LEFT JOIN ehc_documents d ON d.id = pl.document_id`

func scanPlan(sc interface{ Scan(...any) error }, p *EHCPlan) error {
	var iss, am, rv, end dbTime
	if err := sc.Scan(&p.ID, &p.SchoolID, &p.PupilID, &p.RequestID, &p.PupilName, &p.YearGroup, &p.ClassName, &p.LAName, &p.CaseOfficer,
		&iss, &am, &rv, &p.Placement, &p.DocumentID, &p.DocumentName, &p.Active, &end, &p.EndReason, &p.Version); err != nil {
		return err
	}
	p.Issued, p.LastAmended, p.LastReviewed, p.Ended = iss.T, am.T, rv.T, end.T
	return nil
}

// planTx reads a plan header the actor may see (school and teaching scope).
func (s *Store) planTx(ctx context.Context, tx *sql.Tx, a sen.Actor, id int64) (EHCPlan, error) {
	var p EHCPlan
	err := scanPlan(tx.QueryRowContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.id = $1 AND pl.school_id = $2 AND `+teachesSQL("$3"),
		id, a.User.SchoolID, scopeUser(a)), &p)
	return p, notFound(err)
}

// Plan opens a plan with its sections, Section F delivery for this term and
// year, and its reviews, and audits the read. Teachers and TAs (who must
// teach the pupil) get Section E and only the Section F lines they deliver.
func (s *Store) Plan(ctx context.Context, a sen.Actor, id int64) (EHCPlan, error) {
	var p EHCPlan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = s.planTx(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := s.loadPlanDetail(ctx, tx, a, &p); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.read", "ehc_plan", id, p.PupilID, "")
	})
	return p, err
}

// PlanIDForPupil returns the pupil's active plan id, or ErrNotFound.
func (s *Store) PlanIDForPupil(ctx context.Context, a sen.Actor, pupilID int64) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT pl.id FROM ehc_plans pl JOIN pupils p ON p.id = pl.pupil_id
WHERE pl.pupil_id = $1 AND pl.school_id = $2 AND pl.active = $4 AND `+teachesSQL("$3")+` ORDER BY pl.issued DESC LIMIT 1`,
		pupilID, a.User.SchoolID, scopeUser(a), true).Scan(&id)
	return id, notFound(err)
}

func (s *Store) loadPlanDetail(ctx context.Context, tx *sql.Tx, a sen.Actor, p *EHCPlan) error {
	scoped := a.User.Role.Scoped()
	p.Restricted = scoped
	if scoped {
		p.LAName, p.CaseOfficer, p.Placement, p.DocumentID, p.DocumentName = "", "", "", "", ""
	} else {
		rows, err := tx.QueryContext(ctx, `SELECT id, area, text FROM ehc_plan_needs WHERE plan_id = $1 ORDER BY id`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n PlanNeed
			if err := rows.Scan(&n.ID, &n.Area, &n.Text); err != nil {
				rows.Close()
				return err
			}
			p.Needs = append(p.Needs, n)
		}
		rows.Close()
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, text, by_when FROM ehc_outcomes WHERE plan_id = $1 ORDER BY id`, p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o Outcome
		if err := rows.Scan(&o.ID, &o.Text, &o.ByWhen); err != nil {
			rows.Close()
			return err
		}
		p.Outcomes = append(p.Outcomes, o)
	}
	rows.Close()
	prov, err := s.provisionTx(ctx, tx, a, []int64{p.ID})
	if err != nil {
		return err
	}
	p.Provision = prov[p.ID]
	if err := s.planDeliveriesTx(ctx, tx, a, p); err != nil {
		return err
	}
	if scoped {
		return nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, meeting, meeting_held, completed, outcome FROM ehc_reviews WHERE plan_id = $1 ORDER BY COALESCE(meeting, created_at) DESC, id DESC`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReviewLite
		var m dbTime
		if err := rows.Scan(&r.ID, &m, &r.MeetingHeld, &r.Completed, &r.Outcome); err != nil {
			return err
		}
		r.Meeting = m.T
		p.Reviews = append(p.Reviews, r)
	}
	return rows.Err()
}

// staffFilter limits provision lines to those a teacher/TA delivers.
const staffFilter = `($2 = 0 OR pr.staff_user_id = $2)`

// provisionTx loads the active Section F lines of the plans with their
// delivery statistics for the current term and academic year.
func (s *Store) provisionTx(ctx context.Context, q queryer, a sen.Actor, planIDs []int64) (map[int64][]Provision, error) {
	out := map[int64][]Provision{}
	if len(planIDs) == 0 {
		return out, nil
	}
	want := map[int64]bool{}
	for _, id := range planIDs {
		want[id] = true
	}
	today := s.Today()
	yFrom, yTo := AcademicYear(today)
	tLabel, tFrom, tTo := Term(today)
	hols, err := holidaysTx(ctx, q, a.User.SchoolID)
	if err != nil {
		return nil, err
	}
	cal := newSchoolCalendar(yFrom, yTo, hols)
	rows, err := q.QueryContext(ctx, `SELECT pr.id, pr.plan_id, pr.description, pr.sessions_per_week, pr.minutes, pr.delivered_by, COALESCE(pr.staff_user_id, 0), COALESCE(u.name, ''), pl.issued, pr.starts
FROM ehc_provision pr JOIN ehc_plans pl ON pl.id = pr.plan_id LEFT JOIN users u ON u.id = pr.staff_user_id
WHERE pl.school_id = $1 AND pr.active = $3 AND `+staffFilter+` ORDER BY pr.plan_id, pr.id`, a.User.SchoolID, scopeUser(a), true)
	if err != nil {
		return nil, err
	}
	idx := map[int64]*Provision{}
	var order []int64
	all := map[int64]Provision{}
	issued := map[int64]time.Time{}
	for rows.Next() {
		var pr Provision
		var iss, starts dbTime
		if err := rows.Scan(&pr.ID, &pr.PlanID, &pr.Description, &pr.SessionsPerWeek, &pr.Minutes, &pr.DeliveredBy, &pr.StaffUserID, &pr.StaffName, &iss, &starts); err != nil {
			rows.Close()
			return nil, err
		}
		if !want[pr.PlanID] {
			continue
		}
		pr.Active, pr.Starts = true, starts.T
		issued[pr.ID] = iss.T
		pr.Year = expected(pr, "This academic year", yFrom, yTo, iss.T, today, cal)
		pr.Term = expected(pr, tLabel, tFrom, tTo, iss.T, today, cal)
		all[pr.ID] = pr
		order = append(order, pr.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range order {
		pr := all[id]
		idx[id] = &pr
	}
	agg, err := s.deliveryTotals(ctx, q, a, yFrom, minDate(today, yTo), tFrom, tTo)
	if err != nil {
		return nil, err
	}
	for pid, t := range agg {
		if pr := idx[pid]; pr != nil {
			pr.Year.DeliveredSessions, pr.Year.DeliveredMinutes, pr.Year.Missed = t[0], t[1], t[2]
			pr.Term.DeliveredSessions, pr.Term.DeliveredMinutes, pr.Term.Missed = t[3], t[4], t[5]
		}
	}
	for _, id := range order {
		pr := idx[id]
		out[pr.PlanID] = append(out[pr.PlanID], *pr)
	}
	return out, nil
}

// expected fills what was specified over [from, to] so far: the school days
// from the latest of the period start, the plan's issue date and the line's
// start date up to today, as a share of five-day school weeks.
func expected(pr Provision, label string, from, to, issued, today time.Time, cal *schoolCalendar) DeliveryStats {
	st := DeliveryStats{Label: label, From: from, To: to}
	start := from
	for _, t := range []time.Time{issued, pr.Starts} {
		if t.After(start) {
			start = t
		}
	}
	end := today
	if to.Before(end) {
		end = to
	}
	st.SchoolDays = cal.days(start, end)
	st.Weeks = st.SchoolDays / 5
	st.ExpectedSessions = st.SchoolDays * pr.SessionsPerWeek / 5
	st.ExpectedMinutes = st.ExpectedSessions * pr.Minutes
	return st
}

// AcademicYear returns 1 September to 31 August containing t.
func AcademicYear(t time.Time) (time.Time, time.Time) {
	y := deadline.AcademicYearStart(Day(t))
	return time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 8, 31, 0, 0, 0, 0, time.UTC)
}

// Term returns the school term containing t: autumn (1 September to 31
// December), spring (1 January to 31 March) or summer (1 April to 31 July;
// August is the summer holiday and counts as the end of summer term).
func Term(t time.Time) (string, time.Time, time.Time) {
	y := t.Year()
	switch {
	case t.Month() >= time.September:
		return "Autumn term", time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	case t.Month() <= time.March:
		return "Spring term", time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 3, 31, 0, 0, 0, 0, time.UTC)
	default:
		return "Summer term", time.Date(y, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 7, 31, 0, 0, 0, 0, time.UTC)
	}
}

func (s *Store) planDeliveriesTx(ctx context.Context, tx *sql.Tx, a sen.Actor, p *EHCPlan) error {
	rows, err := tx.QueryContext(ctx, `SELECT d.id, d.provision_id, pr.description, d.session_date, d.minutes, d.delivered_by, d.missed, d.missed_reason, COALESCE(u.name, ''), d.recorded_at
FROM ehc_delivery d JOIN ehc_provision pr ON pr.id = d.provision_id LEFT JOIN users u ON u.id = d.recorded_by
WHERE pr.plan_id = $1 AND `+staffFilter+` ORDER BY d.session_date DESC, d.id DESC LIMIT 30`, p.ID, scopeUser(a))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d Delivery
		var dt, at dbTime
		if err := rows.Scan(&d.ID, &d.ProvisionID, &d.Provision, &dt, &d.Minutes, &d.DeliveredBy, &d.Missed, &d.MissedReason, &d.RecordedBy, &at); err != nil {
			return err
		}
		d.Date, d.RecordedAt = dt.T, at.T
		p.Deliveries = append(p.Deliveries, d)
	}
	return rows.Err()
}

// Plans lists the school's active plans with Section F delivery statistics
// (teachers and TAs: plans of pupils they teach with lines they deliver).
// The list read is audited once.
func (s *Store) Plans(ctx context.Context, a sen.Actor) ([]EHCPlan, error) {
	var out []EHCPlan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.plansTx(ctx, tx, a, true)
		if err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.list", "ehc_plan", 0, 0, fmt.Sprintf("rows=%d", len(out)))
	})
	return out, err
}

// plansTx lists active plans; withProvision adds the Section F lines and
// their delivery statistics (the costliest part, which date lists skip).
func (s *Store) plansTx(ctx context.Context, q queryer, a sen.Actor, withProvision bool) ([]EHCPlan, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.school_id = $1 AND pl.active = $3 AND `+teachesSQL("$2")+`
ORDER BY p.year_order, p.surname, p.forename, pl.id`, a.User.SchoolID, scopeUser(a), true)
	if err != nil {
		return nil, err
	}
	var out []EHCPlan
	var ids []int64
	for rows.Next() {
		var p EHCPlan
		if err := scanPlan(rows, &p); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
		ids = append(ids, p.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prov := map[int64][]Provision{}
	if withProvision {
		if prov, err = s.provisionTx(ctx, q, a, ids); err != nil {
			return nil, err
		}
	}
	for i := range out {
		out[i].Provision = prov[out[i].ID]
		out[i].Restricted = a.User.Role.Scoped()
	}
	return out, nil
}

// AddPlanNeed adds a Section B entry.
func (s *Store) AddPlanNeed(ctx context.Context, a sen.Actor, planID int64, n PlanNeed) error {
	n.Text = strings.TrimSpace(n.Text)
	fe := sen.FieldErrors{}
	if !sen.BroadAreas.Has(n.Area) {
		fe.Add("needArea", "Select the area of need")
	}
	if n.Text == "" {
		fe.Add("needText", "Enter the need as written in Section B")
	} else if len(n.Text) > 4000 {
		fe.Add("needText", "The need must be 4000 characters or fewer")
	}
	if len(fe) > 0 {
		return fe
	}
	return s.planItem(ctx, a, planID, "ehc.plan.need.add", `INSERT INTO ehc_plan_needs (plan_id, area, text) VALUES ($1, $2, $3)`, n.Area, n.Text)
}

// AddOutcome adds a Section E outcome.
func (s *Store) AddOutcome(ctx context.Context, a sen.Actor, planID int64, o Outcome) error {
	o.Text, o.ByWhen = strings.TrimSpace(o.Text), strings.TrimSpace(o.ByWhen)
	fe := sen.FieldErrors{}
	if o.Text == "" {
		fe.Add("outcomeText", "Enter the outcome as written in Section E")
	} else if len(o.Text) > 4000 {
		fe.Add("outcomeText", "The outcome must be 4000 characters or fewer")
	}
	if len(o.ByWhen) > 100 {
		fe.Add("outcomeBy", "By when must be 100 characters or fewer")
	}
	if len(fe) > 0 {
		return fe
	}
	return s.planItem(ctx, a, planID, "ehc.plan.outcome.add", `INSERT INTO ehc_outcomes (plan_id, text, by_when) VALUES ($1, $2, $3)`, o.Text, o.ByWhen)
}

// AddProvision adds a Section F line. StaffUserID, if set, must be a member
// of staff at the school.
func (s *Store) AddProvision(ctx context.Context, a sen.Actor, planID int64, pr Provision) error {
	pr.Description, pr.DeliveredBy = strings.TrimSpace(pr.Description), strings.TrimSpace(pr.DeliveredBy)
	fe := sen.FieldErrors{}
	if pr.Description == "" {
		fe.Add("provDescription", "Enter what the provision is")
	} else if len(pr.Description) > 2000 {
		fe.Add("provDescription", "The provision must be 2000 characters or fewer")
	}
	if pr.SessionsPerWeek < 1 || pr.SessionsPerWeek > 50 {
		fe.Add("provSessions", "Sessions a week must be a whole number from 1 to 50")
	}
	if pr.Minutes < 1 || pr.Minutes > 600 {
		fe.Add("provMinutes", "Minutes a session must be a whole number from 1 to 600")
	}
	if !pr.Starts.IsZero() && pr.Starts.After(s.Today().AddDate(1, 0, 0)) {
		fe.Add("provStarts", "The start date must be within the next year")
	}
	if pr.DeliveredBy == "" {
		fe.Add("provBy", "Enter who delivers it, for example \"Teaching assistant\"")
	} else if len(pr.DeliveredBy) > 200 {
		fe.Add("provBy", "Delivered by must be 200 characters or fewer")
	}
	if len(fe) > 0 {
		return fe
	}
	var staff any
	if pr.StaffUserID != 0 {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1 AND school_id = $2 AND active = $3`, pr.StaffUserID, a.User.SchoolID, true).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return sen.FieldErrors{"provStaff": "Select a member of staff at this school"}
		}
		staff = pr.StaffUserID
	}
	if !pr.Starts.IsZero() {
		var issued dbTime
		if err := s.db.QueryRowContext(ctx, `SELECT issued FROM ehc_plans WHERE id = $1 AND school_id = $2`, planID, a.User.SchoolID).Scan(&issued); err != nil {
			return notFound(err)
		}
		if pr.Starts.Before(issued.T) {
			return sen.FieldErrors{"provStarts": "The start date must be on or after the date the plan was issued (" + issued.T.Format("2 January 2006") + ")"}
		}
	}
	return s.planItem(ctx, a, planID, "ehc.plan.provision.add", `INSERT INTO ehc_provision (plan_id, description, sessions_per_week, minutes, delivered_by, staff_user_id, active, starts)
VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)`, pr.Description, pr.SessionsPerWeek, pr.Minutes, pr.DeliveredBy, staff, dateArg(pr.Starts))
}

func (s *Store) planItem(ctx context.Context, a sen.Actor, planID int64, action, q string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if !p.Active {
			return sen.FieldErrors{"plan": "This plan ended on " + p.Ended.Format("2 January 2006") + " and is kept as a record: it can no longer be changed"}
		}
		if _, err := tx.ExecContext(ctx, q, append([]any{planID}, args...)...); err != nil {
			return fmt.Errorf("store: %s: %w", action, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET version = version + 1, updated_at = $2 WHERE id = $1`, planID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, action, "ehc_plan", planID, p.PupilID, "")
	})
}

// RemovePlanItem removes a Section B need or Section E outcome, or ends a
// Section F line (kept, inactive, so its delivery history stays).
func (s *Store) RemovePlanItem(ctx context.Context, a sen.Actor, planID int64, kind string, itemID int64) error {
	var q string
	switch kind {
	case "need":
		q = `DELETE FROM ehc_plan_needs WHERE id = $2 AND plan_id = $1`
	case "outcome":
		q = `DELETE FROM ehc_outcomes WHERE id = $2 AND plan_id = $1`
	case "provision":
		q = `UPDATE ehc_provision SET active = FALSE WHERE id = $2 AND plan_id = $1`
	default:
		return sen.ErrNotFound
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, q, planID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sen.ErrNotFound
		}
		return s.audit(ctx, tx, a, "ehc.plan."+kind+".remove", "ehc_plan", planID, p.PupilID, fmt.Sprintf("item=%d", itemID))
	})
}

// RecordDelivery records one Section F session delivered or missed. Teachers
// and TAs may record only the lines they deliver for pupils they teach.
func (s *Store) RecordDelivery(ctx context.Context, a sen.Actor, provisionID int64, d Delivery) error {
	d.DeliveredBy, d.MissedReason = strings.TrimSpace(d.DeliveredBy), strings.TrimSpace(d.MissedReason)
	fe := sen.FieldErrors{}
	if d.Date.IsZero() {
		fe.Add("sessionDate", "Enter the date of the session")
	} else if d.Date.After(s.Today()) {
		fe.Add("sessionDate", "The date of the session must be today or in the past")
	}
	if d.Missed {
		d.Minutes = 0
		if d.MissedReason == "" {
			fe.Add("missedReason", "Enter why the session was missed")
		} else if len(d.MissedReason) > 500 {
			fe.Add("missedReason", "The reason must be 500 characters or fewer")
		}
	} else {
		d.MissedReason = ""
		if d.Minutes < 1 || d.Minutes > 600 {
			fe.Add("minutes", "Minutes delivered must be a whole number from 1 to 600")
		}
		if d.DeliveredBy == "" {
			fe.Add("deliveredBy", "Enter who delivered the session")
		} else if len(d.DeliveredBy) > 200 {
			fe.Add("deliveredBy", "Delivered by must be 200 characters or fewer")
		}
	}
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var planID, pupilID int64
		var issued, starts dbTime
		err := tx.QueryRowContext(ctx, `SELECT pl.id, pl.pupil_id, pl.issued, pr.starts FROM ehc_provision pr JOIN ehc_plans pl ON pl.id = pr.plan_id JOIN pupils p ON p.id = pl.pupil_id
WHERE pr.id = $1 AND pl.school_id = $3 AND pr.active = $4 AND pl.active = $4 AND `+staffFilter+` AND `+teachesSQL("$2"), provisionID, scopeUser(a), a.User.SchoolID, true).Scan(&planID, &pupilID, &issued, &starts)
		if err != nil {
			return notFound(err)
		}
		if d.Date.Before(issued.T) {
			return sen.FieldErrors{"sessionDate": "The date of the session must be on or after the date the plan was issued (" + issued.T.Format("2 January 2006") + ")"}
		}
		if !starts.T.IsZero() && d.Date.Before(starts.T) {
			return sen.FieldErrors{"sessionDate": "This provision starts on " + starts.T.Format("2 January 2006") + ": record sessions from that date"}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ehc_delivery (provision_id, session_date, minutes, delivered_by, missed, missed_reason, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, provisionID, dateArg(d.Date), d.Minutes, d.DeliveredBy, d.Missed, d.MissedReason, a.User.ID, s.now()); err != nil {
			return fmt.Errorf("store: delivery: %w", err)
		}
		detail := fmt.Sprintf("provision=%d", provisionID)
		if d.Missed {
			detail += " missed"
		}
		return s.audit(ctx, tx, a, "ehc.delivery.record", "ehc_plan", planID, pupilID, detail)
	})
}

// StaffOptions lists the school's active teachers, TAs and SENCOs, for
// choosing who delivers a Section F line.
func (s *Store) StaffOptions(ctx context.Context, a sen.Actor) ([]sen.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role FROM users WHERE school_id = $1 AND active = $2 AND role IN ('teacher', 'ta', 'senco', 'deputy_senco') ORDER BY name`,
		a.User.SchoolID, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sen.User
	for rows.Next() {
		var u sen.User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role); err != nil {
			return nil, err
		}
		u.SchoolID = a.User.SchoolID
		out = append(out, u)
	}
	return out, rows.Err()
}

func minDate(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (s *Store) deliveryTotals(ctx context.Context, q queryer, a sen.Actor, yFrom, yTo, tFrom, tTo time.Time) (map[int64][6]int, error) {
	args := dateStr(yFrom) + " " + dateStr(yTo) + " " + dateStr(tFrom) + " " + dateStr(tTo)
	return cachedView(ctx, s, q, a, "section-f-delivery", args, func() (map[int64][6]int, error) {
		return deliverySums(ctx, q, a, yFrom, yTo, tFrom, tTo)
	})
}

func deliverySums(ctx context.Context, q queryer, a sen.Actor, yFrom, yTo, tFrom, tTo time.Time) (map[int64][6]int, error) {
	// Summed in SQL per line, so the cost does not grow with years of records.
	drows, err := q.QueryContext(ctx, `SELECT d.provision_id,
SUM(CASE WHEN d.missed THEN 0 ELSE 1 END), SUM(CASE WHEN d.missed THEN 0 ELSE d.minutes END), SUM(CASE WHEN d.missed THEN 1 ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND NOT d.missed THEN 1 ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND NOT d.missed THEN d.minutes ELSE 0 END),
SUM(CASE WHEN d.session_date >= $5 AND d.session_date <= $6 AND d.missed THEN 1 ELSE 0 END)
FROM ehc_delivery d JOIN ehc_provision pr ON pr.id = d.provision_id
JOIN ehc_plans pl ON pl.id = pr.plan_id WHERE pl.school_id = $1 AND `+staffFilter+` AND d.session_date >= $3 AND d.session_date <= $4
AND d.session_date >= pl.issued AND (pr.starts IS NULL OR d.session_date >= pr.starts)
GROUP BY d.provision_id`,
		a.User.SchoolID, scopeUser(a), dateArg(yFrom), dateArg(yTo), dateArg(tFrom), dateArg(tTo))
	if err != nil {
		return nil, err
	}
	defer drows.Close()
	out := map[int64][6]int{}
	for drows.Next() {
		var pid int64
		var t [6]int
		if err := drows.Scan(&pid, &t[0], &t[1], &t[2], &t[3], &t[4], &t[5]); err != nil {
			return nil, err
		}
		out[pid] = t
	}
	return out, drows.Err()
}

func dateStr(t time.Time) string { return t.Format("2006-01-02") }

// PlanEndReasons say why a plan stopped being maintained for this school:
// the DfE SEN2 return's CeaseReason codes (item 4.6, 2025 guide; see the
// statutory fact sheet section 5), with "left" for a pupil who left the
// school while the plan continues elsewhere.
var PlanEndReasons = []struct{ Code, Label string }{
	{"2", "Needs being met without an EHC plan (the local authority ceased to maintain it)"},
	{"5", "Transferred to another local authority in England"},
	{"7", "Moved outside England"},
	{"left", "The pupil left this school (the plan continues elsewhere)"},
	{"1", "Reached maximum age"},
	{"3", "Moved on to higher education"},
	{"4", "Moved into paid employment (not an apprenticeship)"},
	{"6", "The young person no longer wishes to engage in education or training"},
	{"8", "Deceased"},
	{"9", "Other"},
}

// PlanEnd is what the SENCO records when a plan ends.
type PlanEnd struct {
	Ended     time.Time
	Reason    string // a PlanEndReasons code
	Details   string
	NewStatus string // the register status from the end date: K or N
	Version   int64
}

// EndPlan records that the plan is no longer maintained: it becomes inactive
// (kept, with its sections, delivery and reviews), leaves the statutory
// calendar, and the pupil's register status changes from E to SEN support or
// no SEN from the end date. The LA's decision to cease follows an annual
// review (SEND Regs 2014 reg 20(10)) and can be appealed, so the end date is
// the day the plan actually stopped, recorded once it has.
func (s *Store) EndPlan(ctx context.Context, a sen.Actor, planID int64, e PlanEnd) error {
	e.Details = strings.TrimSpace(e.Details)
	fe := sen.FieldErrors{}
	today := s.Today()
	switch {
	case e.Ended.IsZero():
		fe.Add("ended", "Enter the date the plan stopped being maintained")
	case e.Ended.After(today):
		fe.Add("ended", "The date the plan ended must be today or in the past: record it once the plan has stopped")
	}
	label := ""
	for _, r := range PlanEndReasons {
		if r.Code == e.Reason {
			label = r.Label
		}
	}
	if label == "" {
		fe.Add("reason", "Select why the plan ended")
	}
	if e.Reason == "9" && e.Details == "" {
		fe.Add("details", "Enter why the plan ended")
	} else if len(e.Details) > 1000 {
		fe.Add("details", "The details must be 1000 characters or fewer")
	}
	if e.NewStatus != sen.StatusSupport && e.NewStatus != sen.StatusNone {
		fe.Add("newStatus", "Select the pupil's SEN register status after the plan")
	}
	if len(fe) > 0 {
		return fe
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := s.planTx(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if !p.Active {
			return sen.FieldErrors{"ended": "This plan has already ended"}
		}
		if p.Version != e.Version {
			return &sen.ConflictError{Msg: "Someone else changed this plan while you were recording its end. Nothing has been saved: check the plan and try again."}
		}
		if e.Ended.Before(p.Issued) {
			return sen.FieldErrors{"ended": "The date the plan ended must be on or after the date it was issued (" + p.Issued.Format("2 January 2006") + ")"}
		}
		reason := label
		if e.Details != "" {
			reason += ": " + e.Details
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ehc_plans SET active = $2, ended = $3, end_reason = $4, version = version + 1, updated_at = $5 WHERE id = $1`,
			planID, false, dateArg(e.Ended), reason, s.now()); err != nil {
			return err
		}
		from, err := s.appendStatusTx(ctx, tx, a, p.PupilID, e.NewStatus, e.Ended, a.User.Name+" (SENCO)", "EHC plan ended: "+reason)
		if err != nil {
			return err
		}
		if e.NewStatus == sen.StatusNone {
			// Census rule: a pupil with no SEN (N) has no SEN type recorded.
			if err := replaceNeeds(ctx, tx, p.PupilID, nil); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, a, "register.status", "pupil", p.PupilID, p.PupilID, fmt.Sprintf("status=%s from=%s via=ehc_plan_end:%d", e.NewStatus, dateStr(from), planID)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "ehc.plan.end", "ehc_plan", planID, p.PupilID, "reason="+e.Reason)
	})
}

// EndedPlans lists the school's plans that have ended, most recent first.
func (s *Store) EndedPlans(ctx context.Context, a sen.Actor) ([]EHCPlan, error) {
	var out []EHCPlan
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+planCols+planFrom+` WHERE pl.school_id = $1 AND pl.active = $3 AND `+teachesSQL("$2")+`
ORDER BY pl.ended DESC, pl.id DESC`, a.User.SchoolID, scopeUser(a), false)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p EHCPlan
			if err := scanPlan(rows, &p); err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return s.auditRead(ctx, tx, a, "ehc.plan.list", "ehc_plan", 0, 0, fmt.Sprintf("ended rows=%d", len(out)))
	})
	return out, err
}
