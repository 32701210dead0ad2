package deadline

import (
	"sort"
	"time"
)

// Closure is a continuous period in which a school is closed: its first and
// last closed days (weekends next to it included).
type Closure struct{ First, Last Date }

// Reopens is the day the school opens again: the day after Last.
func (c Closure) Reopens() Date { return c.Last.AddDays(1) }

// LongClosures merges a school's recorded holidays (first and last closed
// days) into continuous closures, joining holidays that touch or are
// separated only by a weekend and taking in the weekends on either side,
// and returns those of at least 4 weeks (28 days): the closures SEND Regs
// 2014 reg 10(4)(a) speaks of ("closes for a continuous period of not less
// than 4 weeks"; statutory facts §1.1).
func LongClosures(hols []Closure) []Closure {
	hs := append([]Closure(nil), hols...)
	sort.Slice(hs, func(i, j int) bool { return hs[i].First.Before(hs[j].First) })
	weekend := func(d Date) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	var merged []Closure
	for _, h := range hs {
		for weekend(h.First.AddDays(-1)) {
			h.First = h.First.AddDays(-1)
		}
		for weekend(h.Last.AddDays(1)) {
			h.Last = h.Last.AddDays(1)
		}
		if n := len(merged); n > 0 && !h.First.After(merged[n-1].Last.AddDays(1)) {
			if h.Last.After(merged[n-1].Last) {
				merged[n-1].Last = h.Last
			}
			continue
		}
		merged = append(merged, h)
	}
	var out []Closure
	for _, c := range merged {
		if DaysBetween(c.First, c.Reopens()) >= 28 {
			out = append(out, c)
		}
	}
	return out
}

// ExceptionWindow is the period reg 10(4)(a) names for closure c: it
// "begins one week before" the school closes and "ends one week before it
// re-opens" (SEND Regs 2014 reg 10(4)(a), applied to the 6-week limit by
// reg 5(4) and to the 20-week limit by reg 13(3)). Both days are in it.
func (c Closure) ExceptionWindow() (from, to Date) {
	return c.First.AddDays(-7), c.Reopens().AddDays(-7)
}

// InClosureWindow returns the long closure whose reg 10(4)(a) window
// contains asked, and false when none does.
func InClosureWindow(asked Date, closures []Closure) (Closure, bool) {
	for _, c := range closures {
		from, to := c.ExceptionWindow()
		if !asked.Before(from) && !asked.After(to) {
			return c, true
		}
	}
	return Closure{}, false
}
