package plans

import (
	"time"

	"opensend/internal/sen"
)

// Checks of the graduated approach that need stored state: the store reads
// the state inside its transaction and passes it here, so the rule and its
// sentences live in the domain.

// CheckStrategy checks a strategy being added to cycle c: from the bank
// (bankID not 0; inBank says the store found it in the school's bank) it
// must not already be in the plan, otherwise text (trimmed) is required
// and at most 2000 characters.
func CheckStrategy(c Cycle, bankID int64, inBank bool, text string) sen.FieldErrors {
	if bankID != 0 {
		if !inBank {
			return ErrStrategyNotInBank()
		}
		for _, st := range c.Strategies {
			if st.BankID == bankID {
				return ErrStrategyInPlan()
			}
		}
		return nil
	}
	switch {
	case text == "":
		return sen.FieldErrors{"strategyText": "Enter the strategy"}
	case len(text) > 2000:
		return sen.FieldErrors{"strategyText": "The strategy must be 2000 characters or fewer"}
	}
	return nil
}

// CheckActivate says why draft cycle c cannot be made active today: it
// needs at least one outcome and a review date not yet passed. (That it is
// a draft is CanTransition; the refusal is ErrNotDraft.)
func CheckActivate(c Cycle, today time.Time) sen.FieldErrors {
	switch {
	case len(c.Outcomes) == 0:
		return sen.FieldErrors{"activate": "Add at least one outcome before making the plan active"}
	case c.Review.Before(today):
		return sen.FieldErrors{"activate": "The review date has passed: change it before making the plan active"}
	}
	return nil
}

// AmendableFields are the text fields of a locked cycle and its review that
// can be corrected by amendment. A key is the field's name; "review_"
// names a field of the review.
var AmendableFields = sen.Options{
	{Code: "needs_summary", Label: "Summary of needs"}, {Code: "pupil_important", Label: "What is important to me"}, {Code: "pupil_helps", Label: "What helps me"},
	{Code: "pupil_not_help", Label: "What does not help me"}, {Code: "pupil_strengths", Label: "My strengths"}, {Code: "parent_views", Label: "Parents' views"},
	{Code: "staff_notes", Label: "Professional notes"}, {Code: "review_pupil_comments", Label: "Review: pupil's comments"},
	{Code: "review_parent_comments", Label: "Review: parents' comments"}, {Code: "review_next_steps", Label: "Review: next steps"},
}

// Amendment corrects one text field of a reviewed (locked) cycle.
type Amendment struct {
	Field  string // a key of AmendableFields
	Value  string // the corrected text
	Reason string // why it was corrected
}

// Label names the amended field as the record shows it ("" when Field is
// not amendable).
func (am Amendment) Label() string {
	if !AmendableFields.Has(am.Field) {
		return ""
	}
	return AmendableFields.Label(am.Field)
}

// Validate checks the amendment on its own (Value and Reason as given:
// trim them first): an amendable field, a reason of at most 2000
// characters and a value of at most 10000.
func (am Amendment) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if am.Label() == "" {
		fe.Add("field", "Select the part of the record to correct")
	}
	if am.Reason == "" {
		fe.Add("reason", "Enter the reason for the correction")
	} else if len(am.Reason) > 2000 {
		fe.Add("reason", "The reason must be 2000 characters or fewer")
	}
	if len(am.Value) > 10000 {
		fe.Add("value", "The corrected text must be 10000 characters or fewer")
	}
	if len(fe) == 0 {
		return nil
	}
	fe.Long("reason", am.Reason)
	fe.Long("value", am.Value)
	return fe
}

// CheckChange checks the amendment against the field's current text: it
// must change it.
func (am Amendment) CheckChange(old string) sen.FieldErrors {
	if old == am.Value {
		return sen.FieldErrors{"value": "The corrected text is the same as the current text"}
	}
	return nil
}

// PlanStatusOf says where a pupil's latest cycle c (nil: none) stands, for
// a teacher's "My pupils with SEN".
func PlanStatusOf(c *Cycle) string {
	switch {
	case c == nil:
		return "No plan"
	case c.Locked():
		return "Reviewed, no current plan"
	}
	return c.Status.Label()
}
