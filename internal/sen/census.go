package sen

import (
	"fmt"
	"sort"
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

// Need is one ranked census need of a pupil (rank 1 primary, 2 secondary).
type Need struct {
	Rank int
	Code string
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
//  2. N has no SEN type;
//  3. ranks are unique per pupil, 1 then 2 with no gaps, and a type appears once;
//  4. NSA only with K (NSA is not an SEN2 EHCP type).
//
// It returns one message per problem, empty when the record is consistent.
func CheckCensus(status string, needs []Need) []string {
	var problems []string
	if !ValidStatus(status) {
		problems = append(problems, fmt.Sprintf("SEN provision %q is not a census code (N, K or E)", status))
	}
	sorted := append([]Need(nil), needs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
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
		if n.Rank != i+1 && !seenRank[i+1] {
			problems = append(problems, fmt.Sprintf("ranks must run 1, 2 … with no gaps (found rank %d)", n.Rank))
		}
		if n.Code == "NSA" && status != StatusSupport {
			problems = append(problems, "NSA (no specialist assessment) may only be used for pupils on SEN support (K)")
		}
	}
	return problems
}

// Areas of a pupil's needs, primary first, without repeats.
func NeedAreas(needs []Need) []string {
	sorted := append([]Need(nil), needs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rank < sorted[j].Rank })
	var out []string
	seen := map[string]bool{}
	for _, n := range sorted {
		a := NeedArea(n.Code)
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}
