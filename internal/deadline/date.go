package deadline

import (
	"fmt"
	"time"

	"opensend/internal/sen"
)

// Date is a calendar date with no time of day and no time zone.
//
// The zero Date (all fields zero) means "no date"; IsZero reports it and
// String returns "" for it. A Date built by hand may be out of range
// (e.g. 30 February); Valid reports whether it names a real day. All
// arithmetic is done on the proleptic Gregorian calendar in UTC, so it is
// never affected by clock changes.
type Date struct {
	Y int
	M time.Month
	D int
}

const isoLayout = "2006-01-02"

// london is the zone in which "today" is decided for English statutory
// deadlines: the one location of the shared domain (sen.London).
var london = sen.London()

// NewDate returns the Date y-m-d, or an error if that day does not exist.
func NewDate(y int, m time.Month, d int) (Date, error) {
	dt := Date{y, m, d}
	if !dt.Valid() {
		return Date{}, fmt.Errorf("deadline: %04d-%02d-%02d is not a calendar date", y, int(m), d)
	}
	return dt, nil
}

// ParseDate parses an ISO 8601 calendar date such as "2026-02-28".
// It is strict: two-digit month and day are required and the day must exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(isoLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("deadline: invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// FromTime is the calendar date that a stored date (midnight UTC, the form
// dates take in domain records and the database) names; the zero time is
// the zero Date. It and Date.Time are the one pair of conversions, used at
// the edges where records meet the statutory engine.
func FromTime(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return Date{t.Year(), t.Month(), t.Day()}
}

// FromTimePtr is FromTime for optional facts: nil when t is zero.
func FromTimePtr(t time.Time) *Date {
	if t.IsZero() {
		return nil
	}
	d := FromTime(t)
	return &d
}

// Time is d as a stored date (midnight UTC); the zero Date is the zero time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return d.utc()
}

// Today returns the current calendar date in England (Europe/London),
// whatever the location of now. English statutory days run midnight to
// midnight local time, so 23:30 UTC on 24 October 2026 (00:30 BST) is
// already 25 October.
func Today(now time.Time) Date {
	return DateOf(now.In(london))
}

// Midnight returns the start of d in Europe/London.
func (d Date) Midnight() time.Time {
	return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, london)
}

// utc is d at 00:00 UTC; the basis of all arithmetic (no DST in UTC).
func (d Date) utc() time.Time {
	return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real calendar day in years 1-9999.
func (d Date) Valid() bool {
	if d.Y < 1 || d.Y > 9999 {
		return false
	}
	return DateOf(d.utc()) == d
}

// String formats d as YYYY-MM-DD, or "" for the zero Date.
// Long is the date as people read it on GOV.UK pages: "15 February 2027".
func (d Date) Long() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.D, d.M, d.Y)
}

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Y, int(d.M), d.D)
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD; "" for zero).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// AddWeeks returns d plus n weeks of 7 days. Statutory periods of "n weeks"
// from an event end on the same weekday n weeks later.
func (d Date) AddWeeks(n int) Date { return d.AddDays(7 * n) }

// AddMonths returns d plus n calendar months (n may be negative), clamped to
// the end of the target month when that month is too short: 31 January + 1
// month is 28 February (29 in a leap year), 31 March - 1 month is 28/29
// February, 29 February 2024 + 12 months is 28 February 2025.
//
// Convention and why: this is the "corresponding date" rule English courts
// apply to periods of calendar months (Dodds v Walker [1981] 1 WLR 1027 (HL);
// "month" means calendar month, Interpretation Act 1978 Sch 1): the period
// ends on the same-numbered day of the later month, or on that month's last
// day if it has no such day. Go's time.AddDate instead overflows into the
// next month (31 Jan + 1 month = 3 March), which would put a statutory
// deadline after the real one, so it is not used for months. Clamping is not
// reversible or associative (31 Jan +1 +1 = 28 Mar, but 31 Jan +2 = 31 Mar),
// so always add months to the original anchor date, never step by step.
func (d Date) AddMonths(n int) Date {
	total := d.Y*12 + int(d.M-1) + n
	y := floorDiv(total, 12)
	m := time.Month(total-y*12) + 1
	day := d.D
	if last := daysIn(y, m); day > last {
		day = last
	}
	return Date{y, m, day}
}

// EndOfMonthsStartingWith returns the last day of "the period of n months
// starting with" d (n >= 1), d itself being the first day of the period.
//
// Convention and why: a period of calendar months "starting with" (or
// "beginning with") a day includes that day, so it ends on the day before
// the corresponding date n months later: 12 months starting with 20 January
// 2027 end on 19 January 2028. Where the later month has no corresponding
// date (29 February in a common year, 31 June), the period ends on the last
// day of that month, as in Dodds v Walker [1981] 1 WLR 1027 (HL): 12 months
// starting with 29 February 2024 end on 28 February 2025 (the whole of
// February 2025 is inside the period; 27 February would cut a day off it),
// and 1 month starting with 31 January ends on 28/29 February. Subtracting
// one day from AddMonths (which clamps to the month end first) would lose
// that day, so it is not done where AddMonths clamped.
func (d Date) EndOfMonthsStartingWith(n int) Date {
	corr := d.AddMonths(n)
	if corr.D < d.D {
		return corr // no corresponding date: the period runs to the month end
	}
	return corr.AddDays(-1)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Y != o.Y:
		return cmpInt(d.Y, o.Y)
	case d.M != o.M:
		return cmpInt(int(d.M), int(o.M))
	default:
		return cmpInt(d.D, o.D)
	}
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Equal reports whether d and o are the same day.
func (d Date) Equal(o Date) bool { return d == o }

// DaysBetween returns the number of days from a to b: positive when b is
// after a, e.g. DaysBetween(2026-01-05, 2026-02-16) = 42.
func DaysBetween(a, b Date) int {
	return int((b.utc().Unix() - a.utc().Unix()) / 86400)
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func minDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}

// ptr returns a pointer to a copy of d (so milestones never alias the
// caller's facts).
func ptr(d Date) *Date { return &d }

func cp(d *Date) *Date {
	if d == nil {
		return nil
	}
	return ptr(*d)
}
