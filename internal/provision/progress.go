package provision

import (
	"strconv"
	"strings"

	"opensend/internal/sen"
)

// Outcomes of a pupil's progress between entry and exit.
const (
	Improved = "improved"
	NoChange = "no-change"
	Declined = "declined"
)

// Outcomes are the progress outcomes as people read them.
var Outcomes = sen.Options{{Code: Improved, Label: "Improved"}, {Code: NoChange, Label: "No change"}, {Code: Declined, Label: "Declined"}}

// Progress is a pupil's change on a run's measure.
type Progress struct {
	Known   bool // both scores recorded
	Change  int  // exit minus entry, in the scale's units
	Outcome string
}

// ProgressOf compares the entry and exit scores on a scale where direction
// says which way is better: the change is exit minus entry, and the outcome
// is "improved" when it moved the better way.
func ProgressOf(entry, exit *int, direction string) Progress {
	if entry == nil || exit == nil {
		return Progress{}
	}
	p := Progress{Known: true, Change: *exit - *entry}
	better := p.Change
	if direction == LowerBetter {
		better = -better
	}
	switch {
	case better > 0:
		p.Outcome = Improved
	case better < 0:
		p.Outcome = Declined
	default:
		p.Outcome = NoChange
	}
	return p
}

// ageScale reports whether a scale's scores are ages in months.
func ageScale(scale string) bool {
	return scale == ScaleAgeMonths || scale == ScaleReadingAge || scale == ScaleSpellingAge
}

// ScoreHint is the hint for typing a score on the scale.
func ScoreHint(scale string) string {
	switch {
	case ageScale(scale):
		return "Years and months, like 7y 6m or 7:06"
	case scale == ScalePercent:
		return "A whole percentage, like 65"
	case scale == ScaleStandardised:
		return "A standardised score, like 85"
	}
	return "A whole number"
}

// ParseScore reads a score typed on the scale: an age as years and months
// ("7y 6m", "7:06", "7.6" or "7 years 6 months") is stored in months;
// other scales are whole numbers. ok is false for something that is not a
// score on the scale.
func ParseScore(scale, v string) (int, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return 0, false
	}
	if ageScale(scale) {
		r := strings.NewReplacer("years", " ", "year", " ", "months", " ", "month", " ", "y", " ", "m", " ", ":", " ", ".", " ", "-", " ")
		f := strings.Fields(r.Replace(v))
		if len(f) == 0 || len(f) > 2 {
			return 0, false
		}
		y, err := strconv.Atoi(f[0])
		if err != nil || y < 0 || y > 25 {
			return 0, false
		}
		m := 0
		if len(f) == 2 {
			if m, err = strconv.Atoi(f[1]); err != nil || m < 0 || m > 11 {
				return 0, false
			}
		}
		return y*12 + m, true
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, "%"))
	if err != nil || n < -100000 || n > 100000 {
		return 0, false
	}
	if scale == ScalePercent && (n < 0 || n > 100) {
		return 0, false
	}
	if scale == ScaleStandardised && (n < 40 || n > 160) {
		return 0, false
	}
	return n, true
}

// ScoreText writes a score as people read it on the scale.
func ScoreText(scale string, n int) string {
	switch {
	case ageScale(scale):
		return sen.Count(n/12, "year", "years") + " " + sen.Count(n%12, "month", "months")
	case scale == ScalePercent:
		return strconv.Itoa(n) + "%"
	}
	return strconv.Itoa(n)
}

// ScoreInput writes a score as it is typed back into the form.
func ScoreInput(scale string, n *int) string {
	if n == nil {
		return ""
	}
	if ageScale(scale) {
		return strconv.Itoa(*n/12) + "y " + strconv.Itoa(*n%12) + "m"
	}
	return strconv.Itoa(*n)
}

// ChangeText writes a change on the scale with its sign ("+6 months", "-2").
func ChangeText(scale string, change int) string {
	sign := "+"
	if change < 0 {
		sign, change = "-", -change
	} else if change == 0 {
		sign = ""
	}
	if ageScale(scale) {
		return sign + sen.Count(change, "month", "months")
	}
	if scale == ScalePercent {
		return sign + strconv.Itoa(change) + " percentage points"
	}
	return sign + strconv.Itoa(change)
}
