package plans

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	domain "opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// Several outcomes or support lines on one page, editing one item, and
// removing one after a confirmation page. Without JavaScript, "add another"
// sends the form back and the page comes again with one more blank row and
// everything typed kept.

const (
	defaultRows = 3
	maxRows     = 12
)

type spOutcomeRow struct {
	N      int
	O      domain.Outcome
	Target kit.DateField
}

type spSupportRow struct {
	N     int
	Su    domain.Support
	Start kit.DateField
}

// spRowsPage is the page to add several outcomes or support lines.
type spRowsPage struct {
	kit.Page
	V        store.SupportPlanView
	Version  int64
	Outcomes []spOutcomeRow
	Support  []spSupportRow
}

// rowsWanted is how many rows the form shows: what was sent, plus one for
// "add another", within 1..maxRows.
func rowsWanted(r *http.Request, sent int, more bool) int {
	n := sent
	if n == 0 {
		n, _ = strconv.Atoi(r.URL.Query().Get("rows"))
	}
	if n <= 0 {
		n = defaultRows
	}
	if more {
		n++
	}
	return min(n, maxRows)
}

// sentRows counts the rows the form sent (field name-1, name-2, ...).
func sentRows(r *http.Request, field string) int {
	n := 0
	for i := 1; i <= maxRows; i++ {
		if _, ok := r.PostForm[domain.RowField(field, i)]; ok {
			n = i
		}
	}
	return n
}

func (s *module) spRowsPageFor(r *http.Request, c *kit.Ctx, title, purpose string) (*spRowsPage, error) {
	ip, err := s.spItemPage(r, c, title, purpose)
	if err != nil {
		return nil, err
	}
	return &spRowsPage{Page: ip.Page, V: ip.V, Version: ip.Version}, nil
}

// spDone goes to the plan, or on to the next step of writing it.
func (s *module) spDone(w http.ResponseWriter, r *http.Request, cycleID int64, flash, next string) error {
	s.k.SetFlash(w, flash)
	to := cycleURL(cycleID)
	if next != "" {
		to += next
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *module) spOutcomeNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spRowsPageFor(r, c, "Add outcomes", "add outcome")
	if err != nil {
		return err
	}
	for i := 1; i <= rowsWanted(r, 0, false); i++ {
		pg.Outcomes = append(pg.Outcomes, spOutcomeRow{N: i, Target: kit.DateFieldOf(pg.V.Cycle.Review)})
	}
	return s.render(w, r, http.StatusOK, "plan_outcome", pg)
}

func (s *module) spOutcomeCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spRowsPageFor(r, c, "Add outcomes", "add outcome")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	action := r.PostFormValue("action")
	n := rowsWanted(r, sentRows(r, "outcome"), action == "more")
	fe := sen.FieldErrors{}
	var list []domain.Outcome
	var order []string
	for i := 1; i <= n; i++ {
		row := spOutcomeRow{N: i, O: domain.Outcome{Text: r.PostFormValue(domain.RowField("outcome", i)), SuccessCriteria: r.PostFormValue(domain.RowField("successCriteria", i)),
			Baseline: r.PostFormValue(domain.RowField("baseline", i))}, Target: kit.ReadDate(r, domain.RowField("targetDate", i))}
		pg.Outcomes = append(pg.Outcomes, row)
		for _, f := range []string{"outcome", "successCriteria", "baseline", "targetDate"} {
			order = append(order, domain.RowField(f, i))
		}
		if strings.TrimSpace(row.O.Text+row.O.SuccessCriteria+row.O.Baseline) == "" {
			continue // a blank row is not an outcome (its default target date alone is not either)
		}
		var msg string
		if row.O.TargetDate, msg = row.Target.Parse("Target date", true); msg != "" {
			one := row.O.Validate(pg.V.Cycle.StartDate, pg.V.Cycle.Review, s.st.Today())
			one["targetDate"] = msg
			domain.InRow(one, domain.KindOutcome, i, fe)
		}
		list = append(list, row.O)
	}
	if action == "more" {
		pg.Title = "Add outcomes: " + pg.V.Pupil.FullName()
		return s.render(w, r, http.StatusOK, "plan_outcome", pg)
	}
	form := s.spRowsForm(r, c, pg, "plan_outcome", order...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddSupportOutcomes(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, list); err != nil {
		return form.Fail(err)
	}
	next := ""
	if action == "next" {
		next = "/strategies"
	}
	return s.spDone(w, r, pg.V.Cycle.ID, "outcome-added", next)
}

// spRowsForm shows a multi-add form again: field errors by row, or on a
// conflict the plan as it is now with the rows as typed.
func (s *module) spRowsForm(r *http.Request, c *kit.Ctx, pg *spRowsPage, page string, order ...string) *kit.Form {
	form := s.views.Form(page, pg, order...)
	form.OnConflict = func(*sen.ConflictError) error {
		v, err := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
		if err != nil {
			return err
		}
		pg.V, pg.Version = v, v.Cycle.Version
		return nil
	}
	return form
}

func (s *module) spSupportNew(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spRowsPageFor(r, c, "Add support", "add support")
	if err != nil {
		return err
	}
	start := s.st.Today()
	if pg.V.Cycle.StartDate.After(start) {
		start = pg.V.Cycle.StartDate
	}
	for i := 1; i <= rowsWanted(r, 0, false); i++ {
		pg.Support = append(pg.Support, spSupportRow{N: i, Start: kit.DateFieldOf(start)})
	}
	return s.render(w, r, http.StatusOK, "plan_support", pg)
}

func (s *module) spSupportCreate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spRowsPageFor(r, c, "Add support", "add support")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	action := r.PostFormValue("action")
	n := rowsWanted(r, sentRows(r, "what"), action == "more")
	fe := sen.FieldErrors{}
	var list []domain.Support
	var order []string
	for i := 1; i <= n; i++ {
		v := func(f string) string { return r.PostFormValue(domain.RowField(f, i)) }
		row := spSupportRow{N: i, Su: domain.Support{What: v("what"), Who: v("who"), Frequency: v("frequency"), Duration: v("duration")},
			Start: kit.ReadDate(r, domain.RowField("supportStart", i))}
		if row.Start.Empty() && action == "more" && i == n {
			start := s.st.Today()
			if pg.V.Cycle.StartDate.After(start) {
				start = pg.V.Cycle.StartDate
			}
			row.Start = kit.DateFieldOf(start)
		}
		pg.Support = append(pg.Support, row)
		for _, f := range []string{"what", "who", "frequency", "duration", "supportStart"} {
			order = append(order, domain.RowField(f, i))
		}
		if strings.TrimSpace(row.Su.What+row.Su.Who+row.Su.Frequency+row.Su.Duration) == "" {
			continue
		}
		var msg string
		if row.Su.StartDate, msg = row.Start.Parse("Start date", true); msg != "" {
			one := row.Su.Validate(pg.V.Cycle.StartDate, s.st.Today())
			one["supportStart"] = msg
			domain.InRow(one, domain.KindSupport, i, fe)
		}
		list = append(list, row.Su)
	}
	if action == "more" {
		return s.render(w, r, http.StatusOK, "plan_support", pg)
	}
	form := s.spRowsForm(r, c, pg, "plan_support", order...)
	if err := form.Check(fe); err != nil {
		return err
	}
	if err := s.st.AddPlanSupports(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, list); err != nil {
		return form.Fail(err)
	}
	return s.spDone(w, r, pg.V.Cycle.ID, "support-added", "")
}

// bankQuery is the strategies bank's filter as a query string ("" for none).
func bankQuery(q, area, need string) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	v.Set("area", area) // an explicit "all areas" is kept: it says the SENCO chose it
	if need != "" {
		v.Set("need", need)
	}
	return v.Encode()
}

// spStrategies is the strategies bank for a plan, filtered as the SENCO chose
// (kept in the query string); the first visit shows the pupil's primary
// need's strategies, and every strategy for NSA.
func (s *module) spStrategies(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spItemPage(r, c, "Strategies for staff", "strategies")
	if err != nil {
		return err
	}
	s.spBankFilter(pg, r.URL.Query())
	if pg.Bank, err = s.st.StrategyBank(r.Context(), c.Actor, pg.Q, pg.Area, pg.Need); err != nil {
		return err
	}
	pg.Texts = []string{"", ""}
	return s.render(w, r, http.StatusOK, "plan_strategies", pg)
}

func (s *module) spBankFilter(pg *spItemPage, q url.Values) {
	pg.Q, pg.Area, pg.Need = strings.TrimSpace(q.Get("q")), q.Get("area"), q.Get("need")
	if sen.AreaLabel(pg.Area) == pg.Area {
		pg.Area = ""
	}
	if _, ok := sen.LookupNeed(pg.Need); !ok {
		pg.Need = ""
	}
	if pg.Area == "" && pg.Need == "" && pg.Q == "" && !q.Has("area") && len(pg.V.Pupil.Needs) > 0 {
		pg.Need = domain.BankFilter(pg.V.Pupil.Needs[0].Code) // start with the primary need's strategies
	}
	pg.Query = bankQuery(pg.Q, pg.Area, pg.Need)
}

func (s *module) spStrategyAdd(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spItemPage(r, c, "Strategies for staff", "add strategy")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	filter, _ := url.ParseQuery(r.PostFormValue("filter"))
	s.spBankFilter(pg, filter)
	var ids []int64
	pg.Chosen = map[int64]bool{}
	for _, v := range r.PostForm["bank"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // not a strategy of the bank: refused as such
		}
		ids = append(ids, id)
		pg.Chosen[id] = true
	}
	n := max(sentRows(r, "strategyText"), 2)
	for i := 1; i <= n; i++ {
		pg.Texts = append(pg.Texts, r.PostFormValue(domain.RowField("strategyText", i)))
	}
	if pg.FreeText = r.PostFormValue("strategyText"); pg.FreeText != "" { // the single field of older forms
		pg.Texts = append([]string{pg.FreeText}, pg.Texts...)
	}
	action := r.PostFormValue("action")
	if action == "more" {
		pg.Texts = append(pg.Texts, "")
		if pg.Bank, err = s.st.StrategyBank(r.Context(), c.Actor, pg.Q, pg.Area, pg.Need); err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "plan_strategies", pg)
	}
	if _, err := s.st.AddPlanStrategies(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, ids, pg.Texts); err != nil {
		if pg.Bank, _ = s.st.StrategyBank(r.Context(), c.Actor, pg.Q, pg.Area, pg.Need); pg.Bank == nil {
			pg.Bank = []domain.BankStrategy{}
		}
		order := []string{"strategy"}
		for i := range pg.Texts {
			order = append(order, domain.RowField("strategyText", i+1))
		}
		return s.spItemForm(r, c, pg, "plan_strategies", order...).Fail(err)
	}
	next := ""
	switch action {
	case "next":
		next = "/support/new"
	case "stay":
		next = "/strategies?" + pg.Query
	}
	return s.spDone(w, r, pg.V.Cycle.ID, "strategy-added", next)
}

// An item of a plan in a path: "outcome-12", "strategy-3", "support-7".
func pathItem(r *http.Request) (string, int64, error) {
	kind, n, ok := strings.Cut(r.PathValue("item"), "-")
	id, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || id <= 0 || !domain.ItemKinds.Has(kind) {
		return "", 0, sen.ErrNotFound
	}
	return kind, id, nil
}

// spEditItemPage edits one outcome, strategy or support line, or confirms
// its removal.
type spEditItemPage struct {
	kit.Page
	V       store.SupportPlanView
	Version int64
	Kind    string
	ItemID  int64
	Label   string // "outcome", "strategy", "support"
	O       domain.Outcome
	Target  kit.DateField
	Text    string
	Su      domain.Support
	SuStart kit.DateField
	Saved   string // the item as saved now, on a conflict
	Amended bool   // the plan is active: the change is kept as an amendment
	HasWork bool   // an outcome with logged work cannot be removed
}

func (s *module) spEditItemPageFor(r *http.Request, c *kit.Ctx, purpose string) (*spEditItemPage, error) {
	kind, itemID, err := pathItem(r)
	if err != nil {
		return nil, err
	}
	ip, err := s.spItemPage(r, c, "Change "+strings.ToLower(domain.ItemKinds.Label(kind)), purpose)
	if err != nil {
		return nil, err
	}
	pg := &spEditItemPage{Page: ip.Page, V: ip.V, Version: ip.Version, Kind: kind, ItemID: itemID, Label: strings.ToLower(domain.ItemKinds.Label(kind)),
		Amended: domain.Amended(ip.V.Cycle.Status)}
	if !fillItem(pg, ip.V.Cycle) {
		return nil, sen.ErrNotFound
	}
	for _, l := range ip.V.Log {
		pg.HasWork = pg.HasWork || (kind == domain.KindOutcome && l.OutcomeID == itemID)
	}
	return pg, nil
}

// fillItem fills the page with the item as saved in c; false if c has none.
func fillItem(pg *spEditItemPage, c domain.Cycle) bool {
	switch pg.Kind {
	case domain.KindOutcome:
		for _, o := range c.Outcomes {
			if o.ID == pg.ItemID {
				pg.O, pg.Target = o, kit.DateFieldOf(o.TargetDate)
				return true
			}
		}
	case domain.KindStrategy:
		for _, st := range c.Strategies {
			if st.ID == pg.ItemID {
				pg.Text = st.Text
				return true
			}
		}
	case domain.KindSupport:
		for _, su := range c.Support {
			if su.ID == pg.ItemID {
				pg.Su, pg.SuStart = su, kit.DateFieldOf(su.StartDate)
				return true
			}
		}
	}
	return false
}

func (s *module) spItemEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spEditItemPageFor(r, c, "edit item")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan_item_edit", pg)
}

func (s *module) spItemSave(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spEditItemPageFor(r, c, "save item")
	if err != nil {
		return err
	}
	pg.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	form := s.views.Form("plan_item_edit", pg)
	form.OnConflict = func(*sen.ConflictError) error {
		v, err := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
		if err != nil {
			return err
		}
		saved := &spEditItemPage{Kind: pg.Kind, ItemID: pg.ItemID}
		if fillItem(saved, v.Cycle) {
			switch pg.Kind {
			case domain.KindOutcome:
				pg.Saved = saved.O.Describe()
			case domain.KindStrategy:
				pg.Saved = saved.Text
			case domain.KindSupport:
				pg.Saved = saved.Su.Describe()
			}
		}
		pg.V, pg.Version = v, v.Cycle.Version
		return nil
	}
	fe := sen.FieldErrors{}
	var msg string
	switch pg.Kind {
	case domain.KindOutcome:
		form.Order = []string{"outcome", "successCriteria", "baseline", "targetDate"}
		pg.O = domain.Outcome{ID: pg.ItemID, Text: r.PostFormValue("outcome"), SuccessCriteria: r.PostFormValue("successCriteria"), Baseline: r.PostFormValue("baseline")}
		pg.Target = kit.ReadDate(r, "targetDate")
		if pg.O.TargetDate, msg = pg.Target.Parse("Target date", true); msg != "" {
			fe = pg.O.Validate(pg.V.Cycle.StartDate, pg.V.Cycle.Review, s.st.Today())
			fe["targetDate"] = msg
		}
		if err := form.Check(fe); err != nil {
			return err
		}
		err = s.st.UpdateSupportOutcome(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, &pg.O)
	case domain.KindStrategy:
		form.Order = []string{"strategyText"}
		pg.Text = r.PostFormValue("strategyText")
		err = s.st.UpdatePlanStrategy(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, pg.ItemID, pg.Text)
	case domain.KindSupport:
		form.Order = []string{"what", "who", "frequency", "duration", "supportStart"}
		pg.Su = domain.Support{ID: pg.ItemID, What: r.PostFormValue("what"), Who: r.PostFormValue("who"), Frequency: r.PostFormValue("frequency"), Duration: r.PostFormValue("duration")}
		pg.SuStart = kit.ReadDate(r, "supportStart")
		if pg.Su.StartDate, msg = pg.SuStart.Parse("Start date", true); msg != "" {
			fe = pg.Su.Validate(pg.V.Cycle.StartDate, s.st.Today())
			fe["supportStart"] = msg
		}
		if err := form.Check(fe); err != nil {
			return err
		}
		err = s.st.UpdatePlanSupport(r.Context(), c.Actor, pg.V.Cycle.ID, pg.Version, &pg.Su)
	}
	if err != nil {
		return form.Fail(err)
	}
	return s.spDone(w, r, pg.V.Cycle.ID, "item-saved", "#"+pg.Kind+"-"+strconv.FormatInt(pg.ItemID, 10))
}

// spItemRemoveConfirm asks before an item is removed (GOV.UK confirmation
// page: works without JavaScript).
func (s *module) spItemRemoveConfirm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	pg, err := s.spEditItemPageFor(r, c, "remove item")
	if err != nil {
		return err
	}
	pg.Title = "Remove " + pg.Label + ": " + pg.V.Pupil.FullName()
	return s.render(w, r, http.StatusOK, "plan_item_remove", pg)
}

func (s *module) spItemRemove(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	pg, err := s.spEditItemPageFor(r, c, "remove item")
	if err != nil {
		return err
	}
	pg.Title = "Remove " + pg.Label + ": " + pg.V.Pupil.FullName()
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.st.RemoveSupportPlanItem(r.Context(), c.Actor, pg.V.Cycle.ID, version, pg.Kind, pg.ItemID); err != nil {
		form := s.views.Form("plan_item_remove", pg)
		form.ConflictField = "remove"
		form.OnConflict = func(*sen.ConflictError) error {
			v, err := s.st.SupportPlan(r.Context(), c.Actor, pg.V.Cycle.ID, "conflict")
			if err != nil {
				return err
			}
			pg.V, pg.Version = v, v.Cycle.Version
			return nil
		}
		return form.Fail(err)
	}
	return s.spDone(w, r, pg.V.Cycle.ID, "item-removed", "#"+map[string]string{domain.KindOutcome: "outcomes", domain.KindStrategy: "strategies", domain.KindSupport: "support"}[pg.Kind])
}
