package exams

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// Area is what a standardised test measured. Speed areas are the "areas of
// speed of working" the 25% extra time criterion counts (fact sheet §6.5:
// reading speed, writing speed, cognitive processing).
type Area struct {
	Code, Label string
	Speed       bool
}

// Areas are the areas an assessor's scores are recorded against.
var Areas = []Area{
	{Code: "reading-speed", Label: "Reading speed", Speed: true},
	{Code: "reading-comprehension", Label: "Reading comprehension"},
	{Code: "reading-accuracy", Label: "Reading accuracy"},
	{Code: "writing-speed", Label: "Writing speed", Speed: true},
	{Code: "spelling-accuracy", Label: "Spelling accuracy"},
	{Code: "cognitive-speed", Label: "Cognitive processing speed", Speed: true},
	{Code: "working-memory", Label: "Working memory"},
	{Code: "other", Label: "Other"},
}

// AreaOptions are the areas as a code list.
var AreaOptions = func() sen.Options {
	out := make(sen.Options, len(Areas))
	for i, a := range Areas {
		out[i] = sen.Option{Code: a.Code, Label: a.Label}
	}
	return out
}()

func isSpeed(code string) bool {
	for _, a := range Areas {
		if a.Code == code {
			return a.Speed
		}
	}
	return false
}

// Standardised scores run from 40 to 160 on the usual scales (mean 100,
// standard deviation 15); anything else is a typing mistake.
const (
	MinScore = 40
	MaxScore = 160
)

// Score is one standardised score from the assessor's report.
type Score struct {
	ID       int64
	Test     string // the test's name, e.g. "DASH 17+ free writing"
	TestedOn time.Time
	Area     string // an Areas code
	Score    int
}

// Assessment is the assessor's part of Form 8 (Part 2, the assessment
// report, fact sheet §6.4) and the centre's check of the assessor.
type Assessment struct {
	PupilID       int64
	AssessedOn    time.Time
	Assessor      string
	Qualification string // e.g. "Level 7 Certificate in Psychometric Testing, Assessment and Access Arrangements (CPT3A)"
	// The centre must check and keep evidence of the assessor's
	// qualification (§6.4 ☑): who checked it and when.
	CheckedBy string
	CheckedOn time.Time
	Findings  string // the assessor's summary of the assessment
	Scores    []Score
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
}

// Validate checks the assessment. dob is the candidate's date of birth:
// the assessment must be no earlier than the start of Year 9 (§6.4 ☑).
// Each score's fields are keyed "scores.N.test", "scores.N.on",
// "scores.N.area", "scores.N.score" (N from 1).
func (a Assessment) Validate(dob, today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if a.AssessedOn.IsZero() {
		fe.Add("assessed_on", "Enter the date of the assessment")
	} else if a.AssessedOn.After(today) {
		fe.Add("assessed_on", "The date of the assessment must be today or in the past")
	} else if y9 := Year9Start(dob); !dob.IsZero() && a.AssessedOn.Before(y9) {
		fe.Add("assessed_on", "The assessment must be no earlier than the start of Year 9 ("+y9.Format("2 January 2006")+")")
	}
	if strings.TrimSpace(a.Assessor) == "" {
		fe.Add("assessor", "Enter the assessor's name")
	}
	fe.Name("assessor", a.Assessor)
	if strings.TrimSpace(a.Qualification) == "" {
		fe.Add("qualification", "Enter the assessor's qualification")
	}
	fe.Line("qualification", a.Qualification)
	fe.Name("checked_by", a.CheckedBy)
	if (a.CheckedBy == "") != a.CheckedOn.IsZero() {
		if a.CheckedBy == "" {
			fe.Add("checked_by", "Enter who checked the assessor's qualification")
		} else {
			fe.Add("checked_on", "Enter the date the assessor's qualification was checked")
		}
	}
	if !a.CheckedOn.IsZero() && a.CheckedOn.After(today) {
		fe.Add("checked_on", "The date the qualification was checked must be today or in the past")
	}
	fe.Long("findings", a.Findings)
	for i, s := range a.Scores {
		key := "scores." + strconv.Itoa(i+1) + "."
		if strings.TrimSpace(s.Test) == "" {
			fe.Add(key+"test", fmt.Sprintf("Enter the name of test %d", i+1))
		}
		fe.Line(key+"test", s.Test)
		if s.TestedOn.IsZero() {
			fe.Add(key+"on", fmt.Sprintf("Enter the date of test %d", i+1))
		} else if s.TestedOn.After(today) {
			fe.Add(key+"on", fmt.Sprintf("The date of test %d must be today or in the past", i+1))
		}
		if !AreaOptions.Has(s.Area) {
			fe.Add(key+"area", fmt.Sprintf("Select what test %d measured", i+1))
		}
		if s.Score < MinScore || s.Score > MaxScore {
			fe.Add(key+"score", fmt.Sprintf("Enter the standardised score of test %d as a whole number from %d to %d", i+1, MinScore, MaxScore))
		}
	}
	return fe
}

// Year9Start is 1 September of the year the candidate starts Year 9: a
// child born between 1 September and 31 August starts Reception in the
// September after their fourth birthday and Year 9 nine years after Year 1
// (deadline.AcademicYearStart is the one academic-year rule).
func Year9Start(dob time.Time) time.Time {
	if dob.IsZero() {
		return time.Time{}
	}
	y := deadline.AcademicYearStart(deadline.FromTime(dob))
	return time.Date(y+14, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// Thresholds are the standard-score bands the criteria use. The fact sheet
// gives them as ☑ (25% extra time) and ⚠ (26–50%), and the AARA changes
// each August, so the school can change them on its exam settings page.
type Thresholds struct {
	BelowAverage int // a score at or below this is below average (84)
	LowAverage   int // a score above BelowAverage and at or below this is low average (89)
	WellBelow    int // a score at or below this is well below average (69, unconfirmed)
	Version      int
}

// DefaultThresholds are the values of the fact sheet §6.5.
func DefaultThresholds() Thresholds {
	return Thresholds{BelowAverage: 84, LowAverage: 89, WellBelow: 69}
}

// Validate checks the bands are in order and on the scale.
func (t Thresholds) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	in := func(field string, v int, what string) {
		if v < MinScore || v > MaxScore {
			fe.Add(field, fmt.Sprintf("Enter the %s score as a whole number from %d to %d", what, MinScore, MaxScore))
		}
	}
	in("well_below", t.WellBelow, "well-below-average")
	in("below_average", t.BelowAverage, "below-average")
	in("low_average", t.LowAverage, "low-average")
	if len(fe) == 0 {
		if t.WellBelow >= t.BelowAverage {
			fe.Add("well_below", "The well-below-average score must be lower than the below-average score")
		}
		if t.LowAverage <= t.BelowAverage {
			fe.Add("low_average", "The low-average score must be higher than the below-average score")
		}
	}
	return fe
}

// Result is a criterion's outcome and the reasons, in words, for the page
// and the Form 8.
type Result struct {
	Met     bool
	Reasons []string
}

// areaLows returns, per speed-of-working area, the lowest score recorded
// (one area counts once, however many tests measured it), in Areas order.
func areaLows(scores []Score) []Score {
	low := map[string]Score{}
	for _, s := range scores {
		if !isSpeed(s.Area) {
			continue
		}
		if cur, ok := low[s.Area]; !ok || s.Score < cur.Score {
			low[s.Area] = s
		}
	}
	var out []Score
	for _, a := range Areas {
		if s, ok := low[a.Code]; ok {
			out = append(out, s)
		}
	}
	return out
}

func describe(s Score) string {
	return fmt.Sprintf("%s %d (%s)", AreaOptions.Label(s.Area), s.Score, s.Test)
}

// ExtraTime25 applies the 25% extra time criterion for a candidate with
// learning difficulties (AARA, fact sheet §6.5 ☑, rule since 2021/22): two
// below-average standardised scores (at or below t.BelowAverage) in two
// different areas of speed of working, or one below-average and one
// low-average score (t.BelowAverage+1 to t.LowAverage) in two different
// areas. A current EHC plan confirming the need substitutes for the scores
// (ehcp: the candidate has an active EHC plan and the SENCO has confirmed it
// states the need). The assessment must be no earlier than the start of
// Year 9 (§6.4 ☑).
func ExtraTime25(a *Assessment, dob time.Time, t Thresholds, ehcp bool) Result {
	if ehcp {
		return Result{Met: true, Reasons: []string{"The candidate has a current EHC plan that confirms the need, which the regulations accept instead of an assessor's scores."}}
	}
	if a == nil || len(a.Scores) == 0 {
		return Result{Reasons: []string{"No assessor's scores are recorded yet."}}
	}
	if y9 := Year9Start(dob); !dob.IsZero() && a.AssessedOn.Before(y9) {
		return Result{Reasons: []string{"The assessment was before the start of Year 9 (" + y9.Format("2 January 2006") + "): the regulations need an assessment from Year 9 onwards."}}
	}
	var below, low []Score
	for _, s := range areaLows(a.Scores) {
		switch {
		case s.Score <= t.BelowAverage:
			below = append(below, s)
		case s.Score <= t.LowAverage:
			low = append(low, s)
		}
	}
	names := func(ss []Score) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = describe(s)
		}
		return strings.Join(parts, " and ")
	}
	bands := fmt.Sprintf("below average is %d or less, low average %d to %d", t.BelowAverage, t.BelowAverage+1, t.LowAverage)
	switch {
	case len(below) >= 2:
		return Result{Met: true, Reasons: []string{fmt.Sprintf("Two below-average scores in different areas of speed of working: %s (%s).", names(below[:2]), bands)}}
	case len(below) == 1 && len(low) >= 1:
		return Result{Met: true, Reasons: []string{fmt.Sprintf("One below-average and one low-average score in different areas of speed of working: %s (%s).", names([]Score{below[0], low[0]}), bands)}}
	}
	var why []string
	switch {
	case len(below) == 1:
		why = append(why, fmt.Sprintf("Only one area of speed of working is below average or low average: %s.", names(below)))
	case len(low) > 0:
		why = append(why, fmt.Sprintf("No area of speed of working is below average; %s low average, which needs a below-average score in another area as well.", names(low)+" "+isAre(len(low))))
	default:
		why = append(why, "No area of speed of working (reading speed, writing speed, cognitive processing speed) has a below-average or low-average score.")
	}
	why = append(why, "The criterion needs two below-average scores, or one below-average and one low-average score, in two different areas of speed of working ("+bands+").")
	return Result{Reasons: why}
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// ExtraTime50 is the commonly cited evidence for 26–50% extra time: two or
// more well-below-average scores (at or below t.WellBelow) in different
// areas of speed of working (fact sheet §6.5 ⚠, unconfirmed). It is a
// guide only: the application is always referred to the awarding body.
func ExtraTime50(a *Assessment, t Thresholds) Result {
	if a == nil {
		return Result{Reasons: []string{"No assessor's scores are recorded yet."}}
	}
	var well []Score
	for _, s := range areaLows(a.Scores) {
		if s.Score <= t.WellBelow {
			well = append(well, s)
		}
	}
	sort.SliceStable(well, func(i, j int) bool { return well[i].Score < well[j].Score })
	if len(well) >= 2 {
		return Result{Met: true, Reasons: []string{fmt.Sprintf("Two well-below-average scores (%d or less) in different areas of speed of working: %s and %s. The awarding body decides.", t.WellBelow, describe(well[0]), describe(well[1]))}}
	}
	return Result{Reasons: []string{sen.Count(len(well), "area", "areas") + fmt.Sprintf(" of speed of working well below average (%d or less); the commonly cited guide is two. The awarding body decides.", t.WellBelow)}}
}
