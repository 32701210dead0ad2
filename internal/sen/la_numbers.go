package sen

// LANumbers are the English local-authority numbers a UPN may carry in
// characters 2–4 (census validation rule 1530, "characters 2–4 not a
// recognised LA code").
//
// Source: shared/domain/statutory-facts.md §4, "LA code validation", which
// copies the list from Arbor's copy of census rule 1530 and found the DfE MTC
// list matches (☑). The ranges below are that list, transcribed range by range.
//
// This is data the project updates: refresh it from the current DfE "School
// census: technical information and validation" rules each year. The fact sheet
// warns (⚠) that authorities created since 2021 may be missing from that list;
// 940–943 (North Northamptonshire, West Northamptonshire, Cumberland,
// Westmorland and Furness) are added from the DfE LA numbers as this project
// knows them and are marked Confirmed: false until checked against the rules.
var LANumbers = []LARange{
	{1, 5, true}, {201, 213, true}, {301, 320, true}, {330, 336, true}, {340, 344, true},
	{350, 359, true}, {370, 373, true}, {380, 384, true}, {390, 394, true}, {420, 420, true},
	{660, 681, true}, {701, 708, true}, {800, 803, true}, {805, 808, true}, {810, 813, true},
	{815, 816, true}, {820, 823, true}, {825, 826, true}, {830, 831, true}, {835, 837, true},
	{840, 841, true}, {845, 846, true}, {850, 852, true}, {855, 857, true}, {860, 861, true},
	{865, 896, true}, {908, 909, true}, {916, 916, true}, {919, 919, true}, {921, 921, true},
	{925, 926, true}, {928, 929, true}, {931, 931, true}, {933, 933, true}, {935, 938, true},
	// ⚠ Unconfirmed: unitary authorities created in 2021 and 2023, not in the
	// fact sheet's list.
	{940, 943, false},
}

// LARange is an inclusive range of LA numbers; Confirmed is false for numbers
// the fact sheet does not list.
type LARange struct {
	From, To  int
	Confirmed bool
}

// ValidLANumber reports whether the three digits are an English LA number in
// LANumbers (census rule 1530).
func ValidLANumber(digits string) bool {
	if len(digits) != 3 {
		return false
	}
	n := 0
	for i := 0; i < 3; i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	for _, r := range LANumbers {
		if n >= r.From && n <= r.To {
			return true
		}
	}
	return false
}
