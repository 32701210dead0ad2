package plans

import (
	"net/http"
	"sort"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	"opensend/internal/ehc"
	"opensend/internal/people"
	domain "opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// homeWidgets is the module's home-page panel (after the EHC module's).
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	w, err := s.homeWidget(r, c)
	if w == nil || err != nil {
		return nil, err
	}
	w.Order = 20
	return []kit.Widget{*w}, nil
}

func (s *module) homeWidget(r *http.Request, c *kit.Ctx) (*kit.Widget, error) {
	switch {
	case c.Can(authz.SencoDashboard):
		d, err := s.st.SencoDashboard(r.Context(), c.Actor)
		if err != nil {
			return nil, err
		}
		concerns := "Concerns awaiting triage"
		if len(d.Concerns) > 0 {
			concerns += " (oldest waiting " + sen.Count(d.OldestWait, "day", "days") + ")"
		}
		return &kit.Widget{Title: "Graduated approach", Items: []kit.WidgetItem{
			{Label: concerns, Href: "/concerns", Count: len(d.Concerns), Warn: d.OldestWait > 14},
			{Label: "Reviews due in the next 14 days", Href: "/senco#due", Count: len(d.DueSoon)},
			{Label: "Overdue reviews", Href: "/senco#overdue", Count: len(d.Overdue), Warn: len(d.Overdue) > 0},
			{Label: "Monitoring reviews due in the next 14 days or overdue", Href: "/senco#monitoring", Count: len(d.Monitoring), Warn: hasOverdue(d.Monitoring)},
			{Label: "Pupils on SEN support with no active plan", Href: "/senco#no-plan", Count: len(d.NoPlan), Warn: len(d.NoPlan) > 0},
			{Label: "Plans with no outcomes", Href: "/senco#no-outcomes", Count: len(d.NoOutcomes), Warn: len(d.NoOutcomes) > 0},
			{Label: "Pupils on SEN support whose parents have been met fewer than 3 times in 12 months", Href: "/senco#meetings", Count: len(d.FewMeetings)},
		}}, nil
	case c.Can(authz.AggregateRead):
		pc, err := s.st.GovernorPlanCounts(r.Context(), c.Actor.User.SchoolID)
		if err != nil {
			return nil, err
		}
		// Only governors reach here: small counts are suppressed; the
		// late reviews (held less on time) are not shown but can be
		// worked out, so they take part in the suppression.
		values := []int{pc.ActivePlans, pc.OnTimeThisYear, pc.ReviewsThisYear - pc.OnTimeThisYear, pc.ReviewsThisYear}
		hide := sen.Suppress(values, [][]int{{1, 2, 3}})
		return &kit.Widget{Title: "SEN support plans", Items: []kit.WidgetItem{
			{Label: "Active SEN support plans", Count: pc.ActivePlans, Text: sen.ShowCount(values[0], hide[0])},
			{Label: "Reviews held this school year", Count: pc.ReviewsThisYear, Text: sen.ShowCount(values[3], hide[3])},
			{Label: "Reviews held on or before the date agreed with parents this school year", Count: pc.OnTimeThisYear, Text: sen.ShowCount(values[1], hide[1])},
		}}, nil
	}
	return nil, nil
}

type spDashboardPage struct {
	kit.Page
	D      store.SencoDash
	Waits  map[int64]int
	Target int
}

func (s *module) spSencoDashboard(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	// The body (hundreds of rows) is reused while nothing in the school
	// has changed: the stamp is read before the dashboard.
	stamp, err := s.st.Stamp(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	d, err := s.st.SencoDashboard(r.Context(), c.Actor)
	if err != nil {
		return err
	}
	p := &spDashboardPage{Page: kit.Page{Title: "SENCO dashboard"}, D: d, Waits: map[int64]int{}, Target: domain.MeetingsTarget}
	today := s.st.Today()
	for _, x := range d.Concerns {
		p.Waits[x.ID] = x.Waited(today)
	}
	return s.views.RenderCached(w, r, http.StatusOK, "senco_dashboard", kit.BodyKey(c, r, stamp), p)
}

type spMyPupilsPage struct {
	kit.Page
	Pupils  []myPupil
	Classes []string
	Class   string
}

// myPupil is one pupil of "My pupils with SEN" with what staff need in
// class: for a pupil with an EHC plan its Section E outcomes; the current
// support plan's outcomes and strategies where there is one; otherwise
// strategies suggested from the school's bank for the pupil's needs; and
// the passport wherever there is one.
type myPupil struct {
	store.MyPupil
	SectionE  []ehc.Outcome
	Suggested []domain.BankStrategy
	KeyAdult  people.KeyAdult // the pupil's first port of call (internal/people)
}

// suggestedPerNeed is how many bank strategies are suggested for each of a
// pupil's needs (primary and secondary).
const suggestedPerNeed = 3

func (s *module) spMyPupils(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	class := r.URL.Query().Get("class")
	all, err := s.st.MyPupils(r.Context(), c.Actor, "")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	p := &spMyPupilsPage{Page: kit.Page{Title: "My pupils with SEN"}}
	var ehcIDs []int64
	for _, mp := range all {
		if mp.Pupil.ClassName != "" && !seen[mp.Pupil.ClassName] {
			seen[mp.Pupil.ClassName] = true
			p.Classes = append(p.Classes, mp.Pupil.ClassName)
		}
		if class == "" || mp.Pupil.ClassName == class {
			p.Pupils = append(p.Pupils, myPupil{MyPupil: mp})
			if mp.Pupil.Status == sen.StatusEHCP {
				ehcIDs = append(ehcIDs, mp.Pupil.ID)
			}
		}
	}
	sort.Strings(p.Classes)
	if seen[class] {
		p.Class = class
	}
	outcomes, err := s.st.SectionEOutcomes(r.Context(), c.Actor, ehcIDs)
	if err != nil {
		return err
	}
	listed := make([]int64, len(p.Pupils))
	for i := range p.Pupils {
		listed[i] = p.Pupils[i].Pupil.ID
	}
	keyAdults, err := s.st.KeyAdults(r.Context(), c.Actor, listed)
	if err != nil {
		return err
	}
	var bank []domain.BankStrategy
	for i := range p.Pupils {
		mp := &p.Pupils[i]
		mp.SectionE = outcomes[mp.Pupil.ID]
		mp.KeyAdult = keyAdults[mp.Pupil.ID]
		if hasStrategies(mp.Cycle) {
			continue
		}
		if bank == nil {
			if bank, err = s.st.StrategyBank(r.Context(), c.Actor, "", "", ""); err != nil {
				return err
			}
		}
		mp.Suggested = domain.SuggestStrategies(bank, mp.Pupil.Needs, suggestedPerNeed)
	}
	return s.render(w, r, http.StatusOK, "mypupils", p)
}

// hasStrategies reports whether a pupil's current support plan (not yet
// reviewed and locked) gives staff strategies to use.
func hasStrategies(c *domain.Cycle) bool {
	return c != nil && !c.Locked() && len(c.Strategies) > 0
}

func hasOverdue(items []store.DashItem) bool {
	for _, it := range items {
		if it.Overdue {
			return true
		}
	}
	return false
}
