package sen

import "strconv"

// Count writes a count with its noun agreeing: Count(1, "day", "days") is
// "1 day", Count(3, "day", "days") is "3 days" and Count(0, ...) is "0 days"
// (English uses the plural for zero and for negative numbers). Every count a
// person reads goes through Count or the "plural" template function.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Noun is Count without the number: Noun(1, "day", "days") is "day".
func Noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
