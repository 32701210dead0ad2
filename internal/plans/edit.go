package plans

import (
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Editing a plan's items (outcomes, strategies, support), adding several at
// once, the school's strategies bank and its plan templates.
//
// A change to a cycle in its "do" phase (Active: agreed with the parents,
// CoP 6.48, and being delivered) is kept as an amendment: who, when, the
// old and the new text, shown on the plan. A draft is still being written
// with the parents and changes freely; a reviewed cycle is a locked record
// (AmendLockedCycle).

// Item kinds of a plan.
const (
	KindOutcome  = "outcome"
	KindStrategy = "strategy"
	KindSupport  = "support"
)

// ItemKinds name the items of a plan, for the amendment record and the
// removal confirmation.
var ItemKinds = sen.Options{
	{Code: KindOutcome, Label: "Outcome"}, {Code: KindStrategy, Label: "Strategy"}, {Code: KindSupport, Label: "Support"},
}

// Amended reports whether a change to a cycle with status s is kept as an
// amendment (the plan is active).
func Amended(s Status) bool { return s == Active }

// AmendedField names the amendment of an item of kind ("Outcome changed",
// "Strategy removed"); added is a new item.
func AmendedField(kind, change string) string {
	return ItemKinds.Label(kind) + " " + change
}

// Item changes for AmendedField.
const (
	ChangeAdded   = "added"
	ChangeEdited  = "changed"
	ChangeRemoved = "removed"
)

func longDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// Describe is an outcome as one text, for the amendment record.
func (o Outcome) Describe() string {
	return o.Text + "\nSuccess criteria: " + o.SuccessCriteria + "\nBaseline: " + o.Baseline + "\nTarget date: " + longDate(o.TargetDate)
}

// Describe is a support line as one text, for the amendment record.
func (s Support) Describe() string {
	return s.What + "\nWho: " + s.Who + "\nHow often: " + s.Frequency + "\nFor how long: " + s.Duration + "\nStarting: " + longDate(s.StartDate)
}

// Same reports whether two outcomes say the same.
func (o Outcome) Same(b Outcome) bool {
	return o.Text == b.Text && o.SuccessCriteria == b.SuccessCriteria && o.Baseline == b.Baseline && o.TargetDate.Equal(b.TargetDate)
}

// Same reports whether two support lines say the same.
func (s Support) Same(b Support) bool {
	return s.What == b.What && s.Who == b.Who && s.Frequency == b.Frequency && s.Duration == b.Duration && s.StartDate.Equal(b.StartDate)
}

// ValidateEdit checks an outcome being changed: as a new one, except that
// an unchanged target date is accepted even if it has since passed.
func (o *Outcome) ValidateEdit(old Outcome, start, review, today time.Time) sen.FieldErrors {
	fe := o.Validate(start, review, today)
	if o.TargetDate.Equal(old.TargetDate) && fe["targetDate"] == "The target date must be today or in the future" {
		delete(fe, "targetDate")
	}
	return fe
}

// ValidateEdit checks a support line being changed: as a new one, except
// that an unchanged start date is accepted even if it is now long past.
func (s *Support) ValidateEdit(old Support, start, today time.Time) sen.FieldErrors {
	fe := s.Validate(start, today)
	if s.StartDate.Equal(old.StartDate) && fe["supportStart"] == "The support start date must be within the last 90 days" {
		delete(fe, "supportStart")
	}
	return fe
}

// ErrNoChange: the edit changes nothing.
func ErrNoChange(field string) sen.FieldErrors {
	return sen.FieldErrors{field: "Nothing has changed: change the text or go back to the plan"}
}

// ErrNoRows: a multi-add form was sent with every row blank.
func ErrNoRows(field string, kind string) sen.FieldErrors {
	return sen.FieldErrors{field: "Enter at least one " + strings.ToLower(ItemKinds.Label(kind))}
}

// RowField is the form name of field in row i (1-based) of a multi-add form.
func RowField(field string, i int) string { return field + "-" + strconv.Itoa(i) }

// InRow moves one row's field errors to that row's fields, and says which
// row each message is about.
func InRow(fe sen.FieldErrors, kind string, i int, into sen.FieldErrors) {
	for k, m := range fe {
		into.Add(RowField(k, i), ItemKinds.Label(kind)+" "+strconv.Itoa(i)+": "+m)
	}
}

// CarriedBaseline is the baseline of outcome o when it is carried into the
// next cycle: the level the review recorded (its rating and evidence), so
// the next cycle measures progress from where the pupil is now (CoP 6.54:
// the review evaluates the impact of the support and feeds back into the
// analysis of the pupil's needs).
func CarriedBaseline(o Outcome, r Rating, evidence string, meeting time.Time) string {
	evidence = strings.TrimSpace(evidence)
	b := "At the review on " + longDate(meeting) + ": " + r.Label()
	if evidence != "" {
		return b + ". " + evidence
	}
	return b + ". Baseline before: " + o.Baseline
}

// Validate checks a school's entry of the strategies bank.
func (b *BankStrategy) Validate() sen.FieldErrors {
	b.Title, b.Description = strings.TrimSpace(b.Title), strings.TrimSpace(b.Description)
	fe := sen.FieldErrors{}
	switch {
	case b.Title == "":
		fe.Add("title", "Enter the strategy's name")
	case len(b.Title) > 200:
		fe.Add("title", "The name must be 200 characters or fewer")
	}
	switch {
	case b.Description == "":
		fe.Add("description", "Enter what staff do")
	case len(b.Description) > 2000:
		fe.Add("description", "What staff do must be 2000 characters or fewer")
	}
	if !sen.BroadAreas.Has(b.Area) {
		fe.Add("area", "Select the broad area of need")
	}
	if b.Need != "" {
		if _, ok := sen.LookupNeed(b.Need); !ok {
			fe.Add("need", "Select a census need type from the list")
		}
	}
	fe.Line("title", b.Title)
	fe.Long("description", b.Description)
	return fe
}

// PlanText is the text a bank strategy puts into a plan.
func (b BankStrategy) PlanText() string { return b.Title + ": " + b.Description }

// ErrBankChanged: someone changed the bank entry since it was read.
func ErrBankChanged() error {
	return &sen.ConflictError{What: "strategy", Msg: "Someone else changed this strategy while you were editing it. Your change has not been saved: check it and try again."}
}

// BankFilter is what the SENCO chose on the strategies page. A pupil whose
// need is NSA (SEN support but no specialist assessment of type of need,
// DfE school census guide) has no census type to filter by, so they start
// with every strategy.
func BankFilter(primaryNeed string) string {
	if primaryNeed == "NSA" {
		return ""
	}
	return primaryNeed
}

// Template is a school's plan template: outcomes (with success criteria,
// without a baseline, which is the pupil's own), strategies and support a
// new cycle can start from.
type Template struct {
	ID         int64
	Name       string
	Outcomes   []Outcome
	Strategies []Strategy
	Support    []Support
	CreatedBy  string
	CreatedAt  time.Time
}

// ValidateTemplateName checks a template's name.
func ValidateTemplateName(name string) sen.FieldErrors {
	fe := sen.FieldErrors{}
	switch {
	case strings.TrimSpace(name) == "":
		fe.Add("templateName", "Enter a name for the template")
	case len(name) > 200:
		fe.Add("templateName", "The name must be 200 characters or fewer")
	}
	fe.Line("templateName", name)
	return fe
}

// ErrTemplateName: the school already has a template with that name.
func ErrTemplateName() sen.FieldErrors {
	return sen.FieldErrors{"templateName": "The school already has a template with this name: choose another"}
}

// ErrEmptyTemplate: a template needs something in it.
func ErrEmptyTemplate() sen.FieldErrors {
	return sen.FieldErrors{"templateName": "The plan has no outcomes, strategies or support to save as a template"}
}

// ErrNoTemplate: the chosen template is not one of the school's.
func ErrNoTemplate() sen.FieldErrors {
	return sen.FieldErrors{"template": "Choose a template from the list"}
}

// ErrNoPrevious: there is no earlier cycle to start from.
func ErrNoPrevious() sen.FieldErrors {
	return sen.FieldErrors{"template": "This pupil has no earlier plan to start from"}
}

// ErrNoStrategyChosen: the strategies form was sent with nothing chosen or written.
func ErrNoStrategyChosen() sen.FieldErrors {
	return sen.FieldErrors{"strategy": "Choose at least one strategy from the bank or write your own"}
}
