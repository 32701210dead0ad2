package provision

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Rate is a staff hourly cost with on-costs (employer's national insurance
// and pension), set per role or per person. A person's own rate replaces
// their role's.
type Rate struct {
	ID          int64
	Role        sen.Role // a role's rate, or
	UserID      int64    // a person's
	Name        string   // the person's name, as read
	HourlyPence int64
	OnCostBP    int // on-costs in hundredths of a percent (2850 = 28.5%)
	Version     int64
}

// Validate checks a rate.
func (r Rate) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	if (r.Role == "") == (r.UserID == 0) {
		fe.Add("who", "Select a role or a member of staff")
	}
	if r.Role != "" && !r.Role.Valid() {
		fe.Add("who", "Select a role or a member of staff")
	}
	if r.HourlyPence <= 0 || r.HourlyPence > 50000 {
		fe.Add("hourly", "Enter the hourly cost in pounds, more than £0 and up to £500, like 14.50")
	}
	if r.OnCostBP < 0 || r.OnCostBP > 10000 {
		fe.Add("oncost", "Enter the on-costs as a percentage from 0 to 100, like 28")
	}
	return fe
}

// WithOnCosts is the hourly cost including on-costs, in pence (rounded).
func (r Rate) WithOnCosts() int64 {
	return int64(math.Round(float64(r.HourlyPence) * float64(10000+r.OnCostBP) / 10000))
}

// StaffCost is the cost in pence of minutes of this person's time.
func (r Rate) StaffCost(minutes int) int64 {
	return int64(math.Round(float64(r.HourlyPence) * float64(10000+r.OnCostBP) / 10000 * float64(minutes) / 60))
}

// RateFor picks the rate for a person of a role: their own, else their
// role's; ok is false when neither is set.
func RateFor(rates []Rate, userID int64, role sen.Role) (Rate, bool) {
	var byRole *Rate
	for i, r := range rates {
		if r.UserID != 0 && r.UserID == userID {
			return r, true
		}
		if r.UserID == 0 && r.Role == role && byRole == nil {
			byRole = &rates[i]
		}
	}
	if byRole != nil {
		return *byRole, true
	}
	return Rate{}, false
}

// ParsePounds reads an amount of money typed as "14.50", "£14.50" or
// "1,200" into pence.
func ParsePounds(v string) (int64, bool) {
	v = strings.TrimSpace(strings.NewReplacer("£", "", ",", "", " ", "").Replace(v))
	if v == "" {
		return 0, false
	}
	whole, frac, hasFrac := strings.Cut(v, ".")
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 10_000_000 {
		return 0, false
	}
	p := int64(0)
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		if len(frac) != 2 {
			return 0, false
		}
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, false
		}
		p = f
	}
	return w*100 + p, true
}

// ParsePercent reads a percentage typed as "28", "28.5" or "28%" into
// hundredths of a percent.
func ParsePercent(v string) (int, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 100 || math.IsNaN(f) {
		return 0, false
	}
	return int(math.Round(f * 100)), true
}

// Pounds writes pence as money ("£1,234.50").
func Pounds(p int64) string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := strconv.FormatInt(p/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	out := fmt.Sprintf("£%s.%02d", s, p%100)
	if neg {
		return "-" + out
	}
	return out
}

// PenceText writes pence as typed in a form ("14.50"); "" for zero.
func PenceText(p int64) string {
	if p == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%02d", p/100, p%100)
}

// PercentText writes hundredths of a percent as typed ("28.5").
func PercentText(bp int) string {
	return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
}

// CostedSession is what the cost rules need of a session.
type CostedSession struct {
	Date          time.Time
	Delivered     bool
	StaffMinutes  int
	Rate          Rate  // the deliverer's rate
	ResourcePence int64 // the provision's resources cost per session
	OneToOne      bool
	Present       []int64 // the pupils present
}

// SessionCost is the cost of a session in pence: the deliverer's minutes at
// their hourly cost with on-costs, plus the resources cost per session. A
// session not delivered costs nothing here (the staff time was spent
// elsewhere).
func SessionCost(s CostedSession) int64 {
	if !s.Delivered {
		return 0
	}
	return s.Rate.StaffCost(s.StaffMinutes) + s.ResourcePence
}

// Shares divides a session's cost among the pupils present: equally, the
// pence left over going one each to the pupils first by id, so the shares
// add up to the cost. One to one, the whole cost is the pupil's. No pupil
// present: nobody's share (the cost is the school's, not a pupil's).
func Shares(s CostedSession) map[int64]int64 {
	cost := SessionCost(s)
	out := map[int64]int64{}
	if cost == 0 || len(s.Present) == 0 {
		return out
	}
	ids := append([]int64(nil), s.Present...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if s.OneToOne {
		out[ids[0]] = cost
		return out
	}
	n := int64(len(ids))
	each, rest := cost/n, cost%n
	for i, id := range ids {
		out[id] = each
		if int64(i) < rest {
			out[id]++
		}
	}
	return out
}

// PupilCost is a pupil's share of the sessions dated within [from, to]
// (a zero bound is open): the sessions they were present at.
func PupilCost(sessions []CostedSession, pupilID int64, from, to time.Time) int64 {
	var total int64
	for _, s := range sessions {
		if inRange(s.Date, from, to) {
			total += Shares(s)[pupilID]
		}
	}
	return total
}

// Attended is a pupil's attendance of a run's delivered sessions: the
// sessions held while they were in the group, and how many of those they
// were at.
type Attended struct {
	Expected, Present, Minutes int
}

// Percent is the share of expected sessions attended, in whole percent.
func (a Attended) Percent() int {
	if a.Expected == 0 {
		return 0
	}
	return int(math.Round(float64(a.Present) * 100 / float64(a.Expected)))
}

// AttendanceOf counts a member's sessions: only delivered sessions on dates
// when the member was in the group are expected (a pupil who joined late
// is not counted absent from the sessions before they joined).
func AttendanceOf(m Member, sessions []Session) Attended {
	var a Attended
	for _, s := range sessions {
		if !s.Delivered || !m.ActiveOn(s.Date) {
			continue
		}
		a.Expected++
		for _, l := range s.Attendance {
			if l.PupilID == m.PupilID && l.Present {
				a.Present++
				a.Minutes += l.Minutes
			}
		}
	}
	return a
}
