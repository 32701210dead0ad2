package plans

import "opensend/internal/sen"

// SuggestStrategies picks, from the school's strategies bank, strategies
// staff could use for a pupil's needs, for a pupil with no agreed
// strategies yet (on SEN support without a plan, or with an EHC plan and
// no support plan). For each census need in rank order (primary first) it
// takes the bank's strategies for that need type, then those for any need
// in its broad area, up to perNeed, never the same strategy twice. The
// suggestions are a starting point from the school's own bank (which the
// school can change), shown as suggestions, never as the pupil's plan.
func SuggestStrategies(bank []BankStrategy, needs []sen.Need, perNeed int) []BankStrategy {
	var out []BankStrategy
	used := map[int64]bool{}
	for _, n := range sen.CensusNeeds(needs) {
		area := sen.NeedArea(n.Code)
		taken := 0
		take := func(match func(BankStrategy) bool) {
			for _, b := range bank {
				if taken >= perNeed {
					return
				}
				if !used[b.ID] && match(b) {
					used[b.ID] = true
					out = append(out, b)
					taken++
				}
			}
		}
		take(func(b BankStrategy) bool { return b.Need == n.Code })
		take(func(b BankStrategy) bool { return b.Need == "" && b.Area == area })
	}
	return out
}
