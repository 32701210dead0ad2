package provision

import (
	"testing"
	"time"

	"opensend/internal/sen"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
func ip(n int) *int                            { return &n }

func TestSessionCostAndShares(t *testing.T) {
	ta := Rate{HourlyPence: 1500, OnCostBP: 3000} // £15 an hour + 30% = £19.50
	cases := []struct {
		name   string
		s      CostedSession
		cost   int64
		shares map[int64]int64
	}{
		{"three present share equally", CostedSession{Delivered: true, StaffMinutes: 40, Rate: ta, ResourcePence: 60, Present: []int64{3, 1, 2}},
			1300 + 60, map[int64]int64{1: 454, 2: 453, 3: 453}},
		{"absent pupils pay nothing: two present share", CostedSession{Delivered: true, StaffMinutes: 30, Rate: ta, Present: []int64{7, 9}},
			975, map[int64]int64{7: 488, 9: 487}},
		{"one to one: the whole cost is the pupil's", CostedSession{Delivered: true, StaffMinutes: 20, Rate: ta, ResourcePence: 25, OneToOne: true, Present: []int64{5}},
			650 + 25, map[int64]int64{5: 675}},
		{"not delivered costs nothing", CostedSession{Delivered: false, StaffMinutes: 30, Rate: ta, ResourcePence: 60, Present: []int64{1}},
			0, map[int64]int64{}},
		{"nobody present: no pupil's share", CostedSession{Delivered: true, StaffMinutes: 30, Rate: ta}, 975, map[int64]int64{}},
		{"no on-costs", CostedSession{Delivered: true, StaffMinutes: 60, Rate: Rate{HourlyPence: 2400}, Present: []int64{1, 2, 3, 4}},
			2400, map[int64]int64{1: 600, 2: 600, 3: 600, 4: 600}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SessionCost(c.s); got != c.cost {
				t.Errorf("cost %d, want %d", got, c.cost)
			}
			got := Shares(c.s)
			var sum int64
			for id, want := range c.shares {
				if got[id] != want {
					t.Errorf("pupil %d share %d, want %d", id, got[id], want)
				}
				sum += got[id]
			}
			if len(got) != len(c.shares) {
				t.Errorf("shares %v, want %v", got, c.shares)
			}
			if len(c.shares) > 0 && sum != c.cost {
				t.Errorf("shares add to %d, cost %d", sum, c.cost)
			}
		})
	}
}

func TestPupilCostOverPeriod(t *testing.T) {
	ta := Rate{HourlyPence: 1200, OnCostBP: 2500} // £15 an hour with on-costs
	s := func(day int, present ...int64) CostedSession {
		return CostedSession{Date: d(2026, 10, day), Delivered: true, StaffMinutes: 60, Rate: ta, Present: present}
	}
	sessions := []CostedSession{
		s(5, 1, 2, 3),  // 500 each
		s(12, 1, 2),    // 750 each: 3 absent
		s(19, 1, 2, 3), // 500 each
		{Date: d(2026, 10, 26), Delivered: false, Rate: ta}, // not delivered
		s(30, 2, 3, 4), // 4 joined late: 500 each
	}
	cases := []struct {
		name     string
		pupil    int64
		from, to time.Time
		want     int64
	}{
		{"every session", 1, time.Time{}, time.Time{}, 1750},
		{"absent once", 3, time.Time{}, time.Time{}, 1500},
		{"joined late", 4, time.Time{}, time.Time{}, 500},
		{"a period", 2, d(2026, 10, 12), d(2026, 10, 19), 1250},
		{"nothing in the period", 1, d(2026, 11, 1), d(2026, 11, 30), 0},
		{"never in the group", 9, time.Time{}, time.Time{}, 0},
	}
	for _, c := range cases {
		if got := PupilCost(sessions, c.pupil, c.from, c.to); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestRateFor(t *testing.T) {
	rates := []Rate{{Role: sen.RoleTA, HourlyPence: 1400}, {UserID: 7, HourlyPence: 1600}, {Role: sen.RoleTeacher, HourlyPence: 3000}}
	cases := []struct {
		user int64
		role sen.Role
		want int64
		ok   bool
	}{
		{7, sen.RoleTA, 1600, true},
		{8, sen.RoleTA, 1400, true},
		{9, sen.RoleTeacher, 3000, true},
		{10, sen.RoleSENCO, 0, false},
	}
	for _, c := range cases {
		got, ok := RateFor(rates, c.user, c.role)
		if ok != c.ok || got.HourlyPence != c.want {
			t.Errorf("user %d %s: %d %v, want %d %v", c.user, c.role, got.HourlyPence, ok, c.want, c.ok)
		}
	}
}

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{{"14.50", 1450, true}, {"£14.5", 1450, true}, {"1,200", 120000, true}, {"0.75", 75, true}, {"12", 1200, true},
		{"", 0, false}, {"abc", 0, false}, {"1.234", 0, false}, {"-3", 0, false}} {
		got, ok := ParsePounds(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParsePounds(%q) = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		p    int64
		want string
	}{{0, "£0.00"}, {5, "£0.05"}, {123456, "£1,234.56"}, {100000000, "£1,000,000.00"}, {-250, "-£2.50"}} {
		if got := Pounds(c.p); got != c.want {
			t.Errorf("Pounds(%d) = %q, want %q", c.p, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{{"28", 2800, true}, {"28.5%", 2850, true}, {"0", 0, true}, {"101", 0, false}, {"x", 0, false}} {
		got, ok := ParsePercent(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParsePercent(%q) = %d %v", c.in, got, ok)
		}
	}
	if got := (Rate{HourlyPence: 1500, OnCostBP: 3000}).WithOnCosts(); got != 1950 {
		t.Errorf("with on-costs %d", got)
	}
}

func TestProgress(t *testing.T) {
	cases := []struct {
		name        string
		entry, exit *int
		dir         string
		known       bool
		change      int
		outcome     string
	}{
		{"higher is better, went up", ip(82), ip(91), HigherBetter, true, 9, Improved},
		{"higher is better, went down", ip(90), ip(86), HigherBetter, true, -4, Declined},
		{"no change", ip(12), ip(12), HigherBetter, true, 0, NoChange},
		{"lower is better, went down (fewer incidents)", ip(10), ip(4), LowerBetter, true, -6, Improved},
		{"lower is better, went up", ip(4), ip(6), LowerBetter, true, 2, Declined},
		{"no exit score yet", ip(80), nil, HigherBetter, false, 0, ""},
		{"no entry score", nil, ip(80), HigherBetter, false, 0, ""},
	}
	for _, c := range cases {
		p := ProgressOf(c.entry, c.exit, c.dir)
		if p.Known != c.known || p.Change != c.change || p.Outcome != c.outcome {
			t.Errorf("%s: %+v", c.name, p)
		}
	}
}

func TestScores(t *testing.T) {
	cases := []struct {
		scale, in string
		want      int
		ok        bool
	}{
		{ScaleReadingAge, "7y 6m", 90, true},
		{ScaleReadingAge, "7:06", 90, true},
		{ScaleSpellingAge, "8 years 11 months", 107, true},
		{ScaleAgeMonths, "6", 72, true},
		{ScaleReadingAge, "7y 13m", 0, false},
		{ScaleReadingAge, "seven", 0, false},
		{ScaleStandardised, "85", 85, true},
		{ScaleStandardised, "12", 0, false},
		{ScalePercent, "65%", 65, true},
		{ScalePercent, "140", 0, false},
		{ScaleCount, "42", 42, true},
		{ScaleSchool, "", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseScore(c.scale, c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseScore(%s, %q) = %d %v, want %d %v", c.scale, c.in, got, ok, c.want, c.ok)
		}
	}
	if got := ScoreText(ScaleReadingAge, 90); got != "7 years 6 months" {
		t.Errorf("ScoreText: %q", got)
	}
	if got := ChangeText(ScaleReadingAge, 7); got != "+7 months" {
		t.Errorf("ChangeText: %q", got)
	}
	if got := ChangeText(ScaleCount, -1); got != "-1" {
		t.Errorf("ChangeText: %q", got)
	}
	if got := ScoreInput(ScaleReadingAge, ip(90)); got != "7y 6m" {
		t.Errorf("ScoreInput: %q", got)
	}
}

func TestAttendanceOf(t *testing.T) {
	reg := func(day int, delivered bool, present ...int64) Session {
		s := Session{Date: d(2026, 10, day), Delivered: delivered}
		for _, id := range []int64{1, 2} {
			a := Attendance{PupilID: id, Reason: "absent-school"}
			for _, p := range present {
				if p == id {
					a = Attendance{PupilID: id, Present: true, Minutes: 30}
				}
			}
			s.Attendance = append(s.Attendance, a)
		}
		return s
	}
	sessions := []Session{reg(5, true, 1), reg(12, true, 1, 2), reg(19, false), reg(26, true, 2)}
	cases := []struct {
		name string
		m    Member
		want Attended
	}{
		{"from the start, absent once", Member{PupilID: 1, Joined: d(2026, 10, 1)}, Attended{Expected: 3, Present: 2, Minutes: 60}},
		{"joined late: earlier sessions not expected", Member{PupilID: 2, Joined: d(2026, 10, 10)}, Attended{Expected: 2, Present: 2, Minutes: 60}},
		{"left early", Member{PupilID: 1, Joined: d(2026, 10, 1), Left: d(2026, 10, 20)}, Attended{Expected: 2, Present: 2, Minutes: 60}},
	}
	for _, c := range cases {
		if got := AttendanceOf(c.m, sessions); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if p := (Attended{Expected: 3, Present: 2}).Percent(); p != 67 {
		t.Errorf("percent %d", p)
	}
}

func TestHasRoomAndMemberDates(t *testing.T) {
	members := []Member{{Joined: d(2026, 9, 7)}, {Joined: d(2026, 9, 7), Left: d(2026, 10, 1)}, {Joined: d(2026, 10, 5)}}
	cases := []struct {
		name     string
		joined   time.Time
		capacity int
		want     bool
	}{
		{"full while all three are in", d(2026, 9, 20), 3, false},
		{"room after one has left", d(2026, 10, 12), 3, true},
		{"bigger group", d(2026, 9, 20), 4, true},
	}
	for _, c := range cases {
		if got := HasRoom(members, c.joined, c.capacity); got != c.want {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	r := Run{Starts: d(2026, 9, 7), Ends: d(2026, 12, 18)}
	if fe := CheckMemberDates(r, d(2026, 9, 1), time.Time{}); fe["joined"] == "" {
		t.Error("joined before the group started accepted")
	}
	if fe := CheckMemberDates(r, d(2026, 10, 1), d(2026, 9, 30)); fe["left"] == "" {
		t.Error("left before joined accepted")
	}
	if fe := CheckMemberDates(r, d(2026, 10, 1), time.Time{}); len(fe) != 0 {
		t.Errorf("good dates: %v", fe)
	}
}

func TestValidate(t *testing.T) {
	good := func() Provision {
		return Provision{Name: "Lego-based therapy", Areas: []string{sen.AreaCI, sen.AreaSEMH}, Wave: WaveTargeted, SessionMinutes: 45, SessionsPerWeek: 1,
			Weeks: 10, GroupSize: 3, Deliverer: string(sen.RoleTA), Scale: ScaleSchool, Direction: HigherBetter, EvidenceURL: "https://example.org/lego"}
	}
	cases := []struct {
		name  string
		edit  func(*Provision)
		field string
	}{
		{"no name", func(p *Provision) { p.Name = " " }, "name"},
		{"no area", func(p *Provision) { p.Areas = nil }, "areas"},
		{"unknown area", func(p *Provision) { p.Areas = []string{"XX"} }, "areas"},
		{"no wave", func(p *Provision) { p.Wave = "" }, "wave"},
		{"bad link", func(p *Provision) { p.EvidenceURL = "javascript:alert(1)" }, "evidenceURL"},
		{"zero minutes", func(p *Provision) { p.SessionMinutes = 0 }, "sessionMinutes"},
		{"too many sessions", func(p *Provision) { p.SessionsPerWeek = 11 }, "sessionsPerWeek"},
		{"no weeks", func(p *Provision) { p.Weeks = 0 }, "weeks"},
		{"group too big", func(p *Provision) { p.GroupSize = 41 }, "groupSize"},
		{"external with no service", func(p *Provision) { p.Deliverer = DelivererExternal }, "service"},
		{"no scale", func(p *Provision) { p.Scale = "" }, "scale"},
		{"no direction", func(p *Provision) { p.Direction = "" }, "direction"},
		{"control character", func(p *Provision) { p.Description = "a\x00b" }, "description"},
	}
	if fe := func() Provision { p := good(); return p }(); len(fe.Validate()) != 0 {
		t.Fatalf("good provision: %v", fe.Validate())
	}
	for _, c := range cases {
		p := good()
		c.edit(&p)
		if fe := p.Validate(); fe[c.field] == "" {
			t.Errorf("%s: no error on %s (%v)", c.name, c.field, fe)
		}
	}
	c := good().Copy()
	if c.Name != "Copy of Lego-based therapy" || c.ID != 0 {
		t.Errorf("copy: %+v", c)
	}
}

func TestRunAndSessionValidate(t *testing.T) {
	run := Run{Name: "Y3 Tuesday", Staff: []int64{1}, Starts: d(2026, 9, 7), Capacity: 4,
		Slots: []Slot{{Weekday: time.Tuesday, Start: 10*60 + 30, Minutes: 30, Place: "Library"}}}
	if fe := run.Validate(); len(fe) != 0 {
		t.Fatalf("good run: %v", fe)
	}
	bad := run
	bad.Slots = []Slot{{Weekday: time.Saturday, Start: 5 * 60, Minutes: 0}}
	bad.Ends = d(2026, 9, 1)
	fe := bad.Validate()
	for _, f := range []string{"slot1Day", "slot1Start", "slot1Minutes", "ends"} {
		if fe[f] == "" {
			t.Errorf("no error on %s: %v", f, fe)
		}
	}
	one := run
	one.OneToOne, one.Capacity = true, 6
	one.Validate()
	if one.Capacity != 1 {
		t.Errorf("one to one capacity %d", one.Capacity)
	}
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{{"10:30", 630, true}, {"9.05", 545, true}, {"1415", 855, true}, {"25:00", 0, false}, {"10:3", 0, false}, {"", 0, false}} {
		got, ok := ParseClock(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseClock(%q) = %d %v", c.in, got, ok)
		}
	}
	today := d(2026, 10, 20)
	s := Session{Date: today, Delivered: true, StaffMinutes: 30, Attendance: []Attendance{{PupilID: 1, Present: true, Minutes: 45}, {PupilID: 2}}}
	fe = s.Validate(today)
	if fe["p1-minutes"] == "" || fe["p2-reason"] == "" {
		t.Errorf("register errors: %v", fe)
	}
	nd := Session{Date: today.AddDate(0, 0, 1), Reason: "other"}
	fe = nd.Validate(today)
	if fe["date"] == "" || fe["note"] == "" {
		t.Errorf("not delivered errors: %v", fe)
	}
	ok := Session{Date: today, Reason: "staff-absent"}
	if fe := ok.Validate(today); len(fe) != 0 {
		t.Errorf("not delivered: %v", fe)
	}
}

func TestWebAddress(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{{"https://educationendowmentfoundation.org.uk/toolkit", true}, {"http://example.org", true}, {"https://", false},
		{"javascript:alert(1)", false}, {"ftp://example.org", false}, {"https://exa mple.org", false}, {"https:///path", false}, {"https://x.org/\"><script>", false}} {
		if got := webAddress(c.in); got != c.want {
			t.Errorf("webAddress(%q) = %v", c.in, got)
		}
	}
}
