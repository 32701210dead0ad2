package sen

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// SEN provision status codes collected in every school census.
// Source: DfE school census data items, statutory-facts.md §2.2.
const (
	StatusNone    = "N" // no special educational need (includes monitoring)
	StatusSupport = "K" // SEN support
	StatusEHCP    = "E" // education, health and care plan
)

// StatusLabel gives the plain-English name of a provision status.
func StatusLabel(code string) string {
	switch code {
	case StatusNone:
		return "No SEN"
	case StatusSupport:
		return "SEN support"
	case StatusEHCP:
		return "EHC plan"
	}
	return code
}

// ValidStatus reports whether code is a current census provision code.
func ValidStatus(code string) bool {
	return code == StatusNone || code == StatusSupport || code == StatusEHCP
}

// Broad areas of need, SEND Code of Practice 6.28–6.35 (statutory-facts.md §1.4).
const (
	AreaCI   = "CI"   // Communication and interaction
	AreaCL   = "CL"   // Cognition and learning
	AreaSEMH = "SEMH" // Social, emotional and mental health
	AreaSP   = "SP"   // Sensory and/or physical
	AreaNone = "OTHER"
)

// BroadAreas are the four broad areas of need in Code of Practice order
// (CoP 6.28). This one list serves the register, concerns, support plans
// and EHC plan Section B, so a need means the same area everywhere.
var BroadAreas = Options{
	{AreaCI, "Communication and interaction"},
	{AreaCL, "Cognition and learning"},
	{AreaSEMH, "Social, emotional and mental health"},
	{AreaSP, "Sensory and/or physical"},
}

// Areas lists the four broad areas plus the bucket for census codes outside
// them (DS, OTH, NSA), for counts and filters by area.
var Areas = append(append(Options{}, BroadAreas...), Option{AreaNone, "Not in one of the four areas"})

// AreaLabel names a broad area code.
func AreaLabel(code string) string { return Areas.Label(code) }

// NeedType is a DfE census SEN type code with its broad area.
type NeedType struct {
	Code  string
	Label string
	Area  string
}

// NeedTypes are the census SEN type codes, statutory-facts.md §2.3 (DfE
// census and SEN2 guide). DS (Down syndrome) is selectable from January 2025
// and sits outside the four areas; NSA is for SEN support (K) only.
var NeedTypes = []NeedType{
	{"SPLD", "Specific learning difficulty", AreaCL},
	{"MLD", "Moderate learning difficulty", AreaCL},
	{"SLD", "Severe learning difficulty", AreaCL},
	{"PMLD", "Profound and multiple learning difficulty", AreaCL},
	{"SEMH", "Social, emotional and mental health", AreaSEMH},
	{"SLCN", "Speech, language and communication needs", AreaCI},
	{"ASD", "Autistic spectrum disorder", AreaCI},
	{"HI", "Hearing impairment", AreaSP},
	{"VI", "Vision impairment", AreaSP},
	{"MSI", "Multi-sensory impairment", AreaSP},
	{"PD", "Physical disability", AreaSP},
	{"DS", "Down syndrome", AreaNone},
	{"OTH", "Other difficulty or disability", AreaNone},
	{"NSA", "SEN support but no specialist assessment of type of need", AreaNone},
}

// LookupNeed returns the need type for code.
func LookupNeed(code string) (NeedType, bool) {
	for _, n := range NeedTypes {
		if n.Code == code {
			return n, true
		}
	}
	return NeedType{}, false
}

// NeedLabel names a census need code, or returns the code if unknown.
func NeedLabel(code string) string {
	if n, ok := LookupNeed(code); ok {
		return n.Label
	}
	return code
}

// NeedArea derives the broad area of need from a census SEN type code.
func NeedArea(code string) string {
	n, _ := LookupNeed(code)
	if n.Area == "" {
		return AreaNone
	}
	return n.Area
}

// Need is one ranked need of a pupil: rank 1 primary and 2 secondary are the
// census needs; AdditionalNeedRank holds one further need the school records
// for itself, which is never a census need.
type Need struct {
	Rank int
	Code string
}

// CensusNeedRanks is how many ranked needs the census collects: 1 = primary,
// 2 = secondary. Source: statutory-facts.md §2.3, SEN2 guide ("the primary
// type of need should be ranked 1 … a secondary type of need should be ranked
// 2") ☑; CTF mock data allows 1–99 and any census limit beyond 2 is marked
// unconfirmed (⚠), so the limit is kept here as data.
var CensusNeedRanks = 2

// AdditionalNeedRank is the rank under which the one additional (non-census)
// need is stored. It is shown as AdditionalNeedLabel and is never counted,
// exported or checked as a census need.
const AdditionalNeedRank = 3

// AdditionalNeedLabel names the additional need wherever it shows.
const AdditionalNeedLabel = "Additional need (not in the census)"

// InCensus reports whether the need is one of the census's ranked needs.
func (n Need) InCensus() bool { return n.Rank >= 1 && n.Rank <= CensusNeedRanks }

// CensusNeeds returns the census needs (ranks 1 and 2), primary first.
func CensusNeeds(needs []Need) []Need {
	var out []Need
	for _, n := range sortedNeeds(needs) {
		if n.InCensus() {
			out = append(out, n)
		}
	}
	return out
}

// AdditionalNeeds returns the needs recorded beyond the census ranks.
func AdditionalNeeds(needs []Need) []Need {
	var out []Need
	for _, n := range sortedNeeds(needs) {
		if !n.InCensus() {
			out = append(out, n)
		}
	}
	return out
}

func sortedNeeds(needs []Need) []Need {
	sorted := append([]Need(nil), needs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
	return sorted
}

// NeedRule restricts where a census SEN type may be used.
type NeedRule struct {
	Statuses []string // the provision statuses it may be used with; empty: any
	Sole     bool     // it must be the pupil's only need (census or additional)
}

// NeedRules are the restrictions on census SEN types. Kept as data because the
// census rule wording is unconfirmed (statutory-facts.md §2.5 rule 4 ⚠):
//   - NSA ("SEN support but no specialist assessment of type of need") applies
//     to SEN support (K) only and is not an SEN2 EHCP type (§2.3 ☑), so not with E;
//   - it says no type of need has been assessed, so it cannot sit beside an
//     assessed type: it is the pupil's only need (the code's own definition, §2.3).
var NeedRules = map[string]NeedRule{
	"NSA": {Statuses: []string{StatusSupport}, Sole: true},
}

// CheckNeedRules applies NeedRules to a pupil's status and needs and returns
// one message per problem.
func CheckNeedRules(status string, needs []Need) []string {
	var problems []string
	for _, n := range needs {
		rule, ok := NeedRules[n.Code]
		if !ok {
			continue
		}
		if len(rule.Statuses) > 0 && !slices.Contains(rule.Statuses, status) {
			var names []string
			for _, st := range rule.Statuses {
				names = append(names, StatusLabel(st)+" ("+st+")")
			}
			problems = append(problems, fmt.Sprintf("%s (%s) can only be used for a pupil on %s, not with %s (%s)", n.Code, NeedLabel(n.Code), strings.Join(names, " or "), StatusLabel(status), status))
		}
		if rule.Sole && len(needs) > 1 {
			problems = append(problems, fmt.Sprintf("%s (%s) must be the pupil's only need: remove the other needs, or record the assessed type of need instead of %s", n.Code, NeedLabel(n.Code), n.Code))
		}
	}
	return problems
}

// StatusChange is one entry of a pupil's SEN provision status history.
type StatusChange struct {
	ID         int64
	PupilID    int64
	Status     string
	StartDate  time.Time // calendar date, midnight UTC
	DecidedBy  string    // who made the decision (e.g. "SENCO with parents", "LA (EHC plan issued)")
	Reason     string
	RecordedBy string // user name who recorded it
	RecordedAt time.Time
}

// CheckCensus applies the census-consistency rules to a pupil's current
// status and needs, statutory-facts.md §2.5 (derived from the census data
// definitions; rule wording unconfirmed):
//  1. E or K must have a rank 1 SEN type;
//  2. N has no SEN type (and no additional need);
//  3. ranks are unique per pupil, 1 then 2 with no gaps (the census ranks,
//     CensusNeedRanks, §2.3), then at most one additional need
//     (AdditionalNeedRank, never a census need), and a type appears once;
//  4. NSA only with K and as the only need (NeedRules, CheckNeedRules).
//
// It returns one message per problem, empty when the record is consistent.
func CheckCensus(status string, needs []Need) []string {
	var problems []string
	if !ValidStatus(status) {
		problems = append(problems, fmt.Sprintf("SEN provision %q is not a census code (N, K or E)", status))
	}
	sorted := sortedNeeds(needs)
	if status == StatusNone && len(needs) > 0 {
		problems = append(problems, "a pupil with no SEN (N) must have no SEN type recorded")
	}
	if (status == StatusSupport || status == StatusEHCP) && (len(sorted) == 0 || sorted[0].Rank != 1) {
		problems = append(problems, fmt.Sprintf("a pupil with %s (%s) must have a primary (rank 1) need", StatusLabel(status), status))
	}
	seenRank := map[int]bool{}
	seenCode := map[string]bool{}
	for i, n := range sorted {
		if _, ok := LookupNeed(n.Code); !ok {
			problems = append(problems, fmt.Sprintf("%q is not a census SEN type code", n.Code))
		}
		if seenRank[n.Rank] {
			problems = append(problems, fmt.Sprintf("rank %d is used more than once", n.Rank))
		}
		seenRank[n.Rank] = true
		if seenCode[n.Code] {
			problems = append(problems, fmt.Sprintf("need %s is recorded more than once", n.Code))
		}
		seenCode[n.Code] = true
		switch {
		case n.Rank < 1 || n.Rank > AdditionalNeedRank:
			problems = append(problems, fmt.Sprintf("rank %d is not used: the census has a primary (1) and a secondary (2) need, and one additional need can be recorded", n.Rank))
		case n.Rank != i+1 && !seenRank[i+1]:
			problems = append(problems, fmt.Sprintf("ranks must run 1, 2 … with no gaps (found rank %d): record a secondary need before an additional one", n.Rank))
		}
	}
	return append(problems, CheckNeedRules(status, needs)...)
}

// NeedAreas are the broad areas of a pupil's census needs, primary first,
// without repeats. An additional need is not a census need and adds no area.
func NeedAreas(needs []Need) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range CensusNeeds(needs) {
		a := NeedArea(n.Code)
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}
