package provision

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Run is one run of a provision: a group (or one pupil, one to one) with
// its staff, dates, timetable slots and capacity.
type Run struct {
	ID          int64
	ProvisionID int64
	Provision   string // the provision's name, as read
	Name        string
	Staff       []int64
	StaffNames  []string // as read, in Staff's order
	Starts      time.Time
	Ends        time.Time
	Capacity    int
	OneToOne    bool
	Slots       []Slot
	Members     []Member
	Version     int64
}

// Slot is one weekly timetable slot of a run.
type Slot struct {
	Weekday time.Weekday
	Start   int // minutes after midnight
	Minutes int
	Place   string
}

// Weekdays are the school days a slot can be on.
var Weekdays = sen.Options{{Code: "1", Label: "Monday"}, {Code: "2", Label: "Tuesday"}, {Code: "3", Label: "Wednesday"}, {Code: "4", Label: "Thursday"}, {Code: "5", Label: "Friday"}}

// StartText is the slot's start as people read it ("10:30").
func (s Slot) StartText() string { return fmt.Sprintf("%02d:%02d", s.Start/60, s.Start%60) }

// Text is the slot as people read it ("Tuesday 10:30, 30 minutes, Library").
func (s Slot) Text() string {
	t := s.Weekday.String() + " " + s.StartText() + ", " + sen.Count(s.Minutes, "minute", "minutes")
	if s.Place != "" {
		t += ", " + s.Place
	}
	return t
}

// ParseClock reads a time of day typed as "10:30", "10.30" or "1030".
func ParseClock(v string) (int, bool) {
	v = strings.TrimSpace(strings.ReplaceAll(v, ".", ":"))
	var hh, mm string
	if h, m, ok := strings.Cut(v, ":"); ok {
		hh, mm = h, m
	} else if len(v) == 4 {
		hh, mm = v[:2], v[2:]
	} else {
		return 0, false
	}
	h, e1 := strconv.Atoi(hh)
	m, e2 := strconv.Atoi(mm)
	if e1 != nil || e2 != nil || len(mm) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// Member is a pupil in a run, with their own dates and scores.
type Member struct {
	ID      int64
	RunID   int64
	PupilID int64
	Pupil   sen.Pupil // as read
	Joined  time.Time
	Left    time.Time // zero: still in the group
	Entry   *int
	Exit    *int
	Version int64
}

// ActiveOn reports whether the member is in the group on d.
func (m Member) ActiveOn(d time.Time) bool {
	return !d.Before(m.Joined) && (m.Left.IsZero() || !d.After(m.Left))
}

// Validate checks a run; errors are keyed by field names.
func (r *Run) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		fe.Add("name", "Enter a name for the group, for example Year 3 Tuesday group")
	} else if len(r.Name) > 120 {
		fe.Add("name", "Name must be 120 characters or fewer")
	}
	fe.Line("name", r.Name)
	if len(r.Staff) == 0 {
		fe.Add("staff", "Select who runs the group")
	}
	if r.Starts.IsZero() {
		fe.Add("starts", "Enter the start date")
	}
	if !r.Ends.IsZero() && !r.Starts.IsZero() && r.Ends.Before(r.Starts) {
		fe.Add("ends", "End date must be the same as or after the start date")
	}
	if r.OneToOne {
		r.Capacity = 1
	}
	if r.Capacity < 1 || r.Capacity > MaxGroupSize {
		fe.Add("capacity", "Enter the number of places, from 1 to 40")
	}
	for i, s := range r.Slots {
		f := fmt.Sprintf("slot%d", i+1)
		if s.Weekday < time.Monday || s.Weekday > time.Friday {
			fe.Add(f+"Day", "Select the day of the session")
		}
		if s.Minutes < 1 || s.Minutes > MaxSessionMinutes {
			fe.Add(f+"Minutes", "Enter the session's length in minutes, from 1 to 300")
		}
		if s.Start < 7*60 || s.Start+s.Minutes > 19*60 {
			fe.Add(f+"Start", "Enter a start time in the school day, between 07:00 and 19:00, like 10:30")
		}
		fe.Line(f+"Place", s.Place)
	}
	return fe
}

// ErrOverCapacity is the field error for enrolling a pupil into a full group.
func ErrOverCapacity(capacity int) sen.FieldErrors {
	return sen.FieldErrors{"pupil": "The group is full (" + sen.Count(capacity, "place", "places") + "). Remove a pupil, or change the number of places, first"}
}

// ErrCapacityBelowMembers is the field error for fewer places than the pupils in the group today.
func ErrCapacityBelowMembers(n int) sen.FieldErrors {
	return sen.FieldErrors{"capacity": "There are " + sen.Count(n, "pupil", "pupils") + " in the group today: enter at least that many places"}
}

// ErrAlreadyMember is the field error for enrolling a pupil twice.
func ErrAlreadyMember() sen.FieldErrors {
	return sen.FieldErrors{"pupil": "This pupil is already in the group"}
}

// HasRoom reports whether a pupil joining on joined fits in a group of
// capacity: the members still in the group on that date or joining after it
// must be fewer than the places.
func HasRoom(members []Member, joined time.Time, capacity int) bool {
	n := 0
	for _, m := range members {
		if m.Left.IsZero() || !m.Left.Before(joined) {
			n++
		}
	}
	return n < capacity
}

// CheckMemberDates checks a member's join and leave dates against the run.
func CheckMemberDates(r Run, joined, left time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if joined.IsZero() {
		fe.Add("joined", "Enter the date the pupil joins")
	} else if joined.Before(r.Starts) || (!r.Ends.IsZero() && joined.After(r.Ends)) {
		fe.Add("joined", "Date joined must be within the group's dates")
	}
	if !left.IsZero() && !joined.IsZero() && left.Before(joined) {
		fe.Add("left", "Date left must be the same as or after the date joined")
	}
	return fe
}

// Reasons a session was not delivered.
var NotDeliveredReasons = sen.Options{
	{Code: "staff-absent", Label: "Member of staff absent"},
	{Code: "staff-redeployed", Label: "Member of staff needed elsewhere (cover)"},
	{Code: "school-event", Label: "School event or trip"},
	{Code: "room", Label: "Room not available"},
	{Code: "other", Label: "Another reason"},
}

// ErrSessionOutsideRun is the field error for a session dated outside its group's dates.
func ErrSessionOutsideRun() sen.FieldErrors {
	return sen.FieldErrors{"date": "Date of the session must be within the group's dates"}
}

// Reasons a pupil missed a session that was delivered.
var AbsenceReasons = sen.Options{
	{Code: "absent-school", Label: "Absent from school"},
	{Code: "other-lesson", Label: "In another lesson or intervention"},
	{Code: "declined", Label: "Did not want to take part"},
	{Code: "event", Label: "On a trip or at an event"},
	{Code: "other", Label: "Another reason"},
}

// Session is one session of a run: delivered with its register, or not
// delivered with a reason.
type Session struct {
	ID           int64
	RunID        int64
	Date         time.Time
	Delivered    bool
	Reason       string // NotDeliveredReasons, when not delivered
	StaffMinutes int
	DeliveredBy  int64
	ByName       string   // as read
	ByRole       sen.Role // as read, for the deliverer's cost
	Note         string
	Attendance   []Attendance
	Version      int64
}

// Attendance is one pupil's line of a session register.
type Attendance struct {
	PupilID int64
	Present bool
	Reason  string // AbsenceReasons, when absent
	Minutes int
	Note    string
}

// Validate checks a register against the members expected on its date.
func (s *Session) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	if s.Date.IsZero() {
		fe.Add("date", "Enter the date of the session")
	} else if s.Date.After(today) {
		fe.Add("date", "Date of the session must be today or in the past")
	}
	fe.Long("note", s.Note)
	if !s.Delivered {
		if !NotDeliveredReasons.Has(s.Reason) {
			fe.Add("reason", "Select why the session was not delivered")
		}
		if s.Reason == "other" && strings.TrimSpace(s.Note) == "" {
			fe.Add("note", "Say why the session was not delivered")
		}
		return fe
	}
	if s.StaffMinutes < 1 || s.StaffMinutes > MaxSessionMinutes {
		fe.Add("staffMinutes", "Enter the minutes the session took, from 1 to 300")
	}
	for _, a := range s.Attendance {
		f := fmt.Sprintf("p%d", a.PupilID)
		fe.Long(f+"-note", a.Note)
		if a.Present {
			if a.Minutes < 1 || a.Minutes > MaxSessionMinutes {
				fe.Add(f+"-minutes", "Enter the minutes the pupil had, from 1 to 300")
			} else if s.StaffMinutes > 0 && a.Minutes > s.StaffMinutes {
				fe.Add(f+"-minutes", "A pupil's minutes cannot be more than the session's")
			}
		} else if !AbsenceReasons.Has(a.Reason) {
			fe.Add(f+"-reason", "Select why the pupil missed the session")
		}
	}
	return fe
}

// Present counts the pupils present.
func (s Session) Present() int {
	n := 0
	for _, a := range s.Attendance {
		if a.Present {
			n++
		}
	}
	return n
}
