package plans

import (
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// today is the fixed clock of these tests.
var today = d(2026, 11, 23)

func TestCycleLife(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{Draft, Active, true},
		{Active, Reviewed, true},
		{Draft, Reviewed, false}, // a plan must be agreed before it is reviewed
		{Active, Draft, false},
		{Reviewed, Active, false}, // a reviewed cycle is a locked record
		{Reviewed, Draft, false},
		{Draft, Draft, false},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to); got != tt.ok {
			t.Errorf("%s → %s = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
	if !Editable(Draft) || !Editable(Active) || Editable(Reviewed) {
		t.Error("only draft and active cycles are editable")
	}
	if !(Cycle{Status: Reviewed}).Locked() || (Cycle{Status: Active}).Locked() {
		t.Error("Locked wrong")
	}
}

func TestCycleDates(t *testing.T) {
	tests := []struct {
		name               string
		start, review, old time.Time
		isNew              bool
		field, want        string
	}{
		{"ok", d(2026, 11, 23), d(2027, 2, 10), time.Time{}, true, "", ""},
		{"review before start", d(2026, 11, 23), d(2026, 11, 20), time.Time{}, true, "review", "after the plan start date"},
		{"review equals start", d(2026, 11, 23), d(2026, 11, 23), time.Time{}, true, "review", "after the plan start date"},
		{"review in past", d(2026, 9, 1), d(2026, 11, 1), time.Time{}, true, "review", "today or in the future"},
		{"unchanged overdue review kept", d(2026, 9, 1), d(2026, 11, 1), d(2026, 11, 1), false, "", ""},
		{"start long ago", d(2026, 1, 5), d(2027, 1, 5), time.Time{}, true, "start", "last 90 days"},
		{"missing review", d(2026, 11, 23), time.Time{}, time.Time{}, true, "review", "agreed with the parents"},
		{"missing start", time.Time{}, d(2027, 1, 1), time.Time{}, true, "start", "Enter the date the plan starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := ValidateCycleDates(tt.start, tt.review, tt.old, today, tt.isNew)
			if tt.field == "" {
				if len(fe) != 0 {
					t.Fatalf("want no errors, got %v", fe)
				}
				return
			}
			if !strings.Contains(fe[tt.field], tt.want) {
				t.Fatalf("%s: want %q, got %v", tt.field, tt.want, fe)
			}
		})
	}
}

func TestOutcomeValidation(t *testing.T) {
	start := d(2026, 11, 23)
	ok := Outcome{Text: "Read 20 high-frequency words", SuccessCriteria: "Reads 20/20 on 3 occasions", Baseline: "Reads 8/20", TargetDate: d(2027, 2, 1)}
	if fe := ok.Validate(start, d(2027, 2, 10), today); len(fe) != 0 {
		t.Fatalf("valid outcome refused: %v", fe)
	}
	past := ok
	past.TargetDate = d(2026, 11, 1)
	if fe := past.Validate(d(2026, 10, 1), d(2027, 2, 10), today); !strings.Contains(fe["targetDate"], "today or in the future") {
		t.Fatalf("past target: %v", fe)
	}
	before := ok
	before.TargetDate = d(2026, 11, 23)
	if fe := before.Validate(d(2026, 11, 30), d(2027, 2, 10), today); !strings.Contains(fe["targetDate"], "after the plan start date") {
		t.Fatalf("target before start: %v", fe)
	}
	empty := Outcome{}
	fe := empty.Validate(start, d(2027, 2, 10), today)
	for _, f := range []string{"outcome", "successCriteria", "baseline", "targetDate"} {
		if fe[f] == "" {
			t.Errorf("empty outcome: no error for %s", f)
		}
	}
}

func TestDecisionValidation(t *testing.T) {
	support := DecisionInput{Decision: PlaceOnSupport, Reason: "Phonics gap", InformedOn: today, InformedHow: "Meeting", PlanStart: today, PlanReview: d(2027, 2, 1)}
	if fe := support.Validate(today); len(fe) != 0 {
		t.Fatalf("valid support decision refused: %v", fe)
	}
	noInform := support
	noInform.InformedOn, noInform.InformedHow = time.Time{}, ""
	fe := noInform.Validate(today)
	if !strings.Contains(fe["informedOn"], "inform parents") || fe["informedHow"] == "" {
		t.Fatalf("support without informing parents: %v", fe)
	}
	badPlan := support
	badPlan.PlanReview = d(2026, 11, 1)
	if fe := badPlan.Validate(today); fe["planReview"] == "" {
		t.Fatalf("plan review before start accepted: %v", fe)
	}
	mon := DecisionInput{Decision: Monitor, Reason: "Watch for a term"}
	if fe := mon.Validate(today); !strings.Contains(fe["monitorReview"], "Enter") {
		t.Fatalf("monitor without date: %v", fe)
	}
	mon.MonitorReview = today
	if fe := mon.Validate(today); !strings.Contains(fe["monitorReview"], "future") {
		t.Fatalf("monitor date today: %v", fe)
	}
	mon.MonitorReview = d(2027, 1, 10)
	if fe := mon.Validate(today); len(fe) != 0 {
		t.Fatalf("valid monitor: %v", fe)
	}
	nfa := DecisionInput{Decision: NoFurtherAction}
	if fe := nfa.Validate(today); fe["reason"] == "" {
		t.Fatal("decision without reason accepted")
	}
	if fe := (&DecisionInput{Decision: "x", Reason: "r"}).Validate(today); fe["decision"] == "" {
		t.Fatal("unknown decision accepted")
	}
}

func TestReviewStates(t *testing.T) {
	tests := []struct {
		review time.Time
		want   ReviewState
	}{
		{d(2026, 11, 22), ReviewOverdue},
		{d(2026, 1, 1), ReviewOverdue},
		{d(2026, 11, 23), ReviewDueSoon},
		{d(2026, 12, 7), ReviewDueSoon}, // exactly 14 days
		{d(2026, 12, 8), ReviewLater},
	}
	for _, tt := range tests {
		if got := StateOf(tt.review, today); got != tt.want {
			t.Errorf("StateOf(%s) = %d, want %d", tt.review.Format("2006-01-02"), got, tt.want)
		}
	}
}

func TestThreeMeetingsAYear(t *testing.T) {
	tests := []struct {
		name     string
		meetings []time.Time
		short    bool
		count    int
	}{
		{"none", nil, true, 0},
		{"three in year", []time.Time{d(2026, 1, 10), d(2026, 5, 1), d(2026, 10, 1)}, false, 3},
		{"one too old", []time.Time{d(2025, 11, 23), d(2026, 5, 1), d(2026, 10, 1)}, true, 2}, // exactly 12 months ago is outside
		{"boundary inside", []time.Time{d(2025, 11, 24), d(2026, 5, 1), d(2026, 10, 1)}, false, 3},
		{"future meeting ignored", []time.Time{d(2026, 1, 10), d(2026, 5, 1), d(2026, 12, 1)}, true, 2},
		{"same day counted once", []time.Time{d(2026, 5, 1), d(2026, 5, 1), d(2026, 10, 1)}, true, 2},
		{"today counts", []time.Time{d(2026, 3, 1), d(2026, 6, 1), today}, false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MeetingsInLastYear(tt.meetings, today); got != tt.count {
				t.Errorf("count = %d, want %d", got, tt.count)
			}
			if got := ShortOfMeetings(tt.meetings, today); got != tt.short {
				t.Errorf("short = %v, want %v", got, tt.short)
			}
		})
	}
}

func TestReviewValidation(t *testing.T) {
	c := Cycle{ID: 1, StartDate: d(2026, 9, 10), Review: d(2026, 11, 20), Outcomes: []Outcome{{ID: 7, Text: "Count to 20"}}}
	r := Review{MeetingDate: d(2026, 11, 20), Parents: "Mrs Okafor", Ratings: map[int64]Rating{7: PartlyAchieve}, NextSteps: "Continue", NextReview: d(2027, 2, 20)}
	if fe := r.Validate(c, today); len(fe) != 0 {
		t.Fatalf("valid review refused: %v", fe)
	}
	bad := r
	bad.Ratings = map[int64]Rating{}
	bad.MeetingDate = d(2026, 12, 1)
	bad.NextReview = d(2026, 11, 30)
	fe := bad.Validate(c, today)
	if fe["rating-7"] == "" || !strings.Contains(fe["meetingDate"], "today or in the past") {
		t.Fatalf("bad review: %v", fe)
	}
	early := r
	early.MeetingDate = d(2026, 9, 1)
	if fe := early.Validate(c, today); !strings.Contains(fe["meetingDate"], "after the plan started") {
		t.Fatalf("meeting before start: %v", fe)
	}
	if !OnTime(d(2026, 11, 20), d(2026, 11, 20)) || OnTime(d(2026, 11, 20), d(2026, 11, 21)) {
		t.Fatal("OnTime wrong")
	}
}

func TestConcernsOldestFirstAndWaited(t *testing.T) {
	cs := []Concern{{ID: 3, RaisedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}, {ID: 1, RaisedAt: time.Date(2026, 10, 1, 15, 0, 0, 0, time.UTC)},
		{ID: 2, RaisedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}}
	SortConcernsOldestFirst(cs)
	if cs[0].ID != 1 || cs[1].ID != 2 || cs[2].ID != 3 {
		t.Fatalf("order: %v %v %v", cs[0].ID, cs[1].ID, cs[2].ID)
	}
	if w := cs[0].Waited(today); w != 53 {
		t.Fatalf("waited %d days, want 53", w)
	}
	c := Concern{Areas: []string{"XX"}}
	fe := c.Validate()
	if fe["noticed"] == "" || fe["areas"] == "" {
		t.Fatalf("bad concern: %v", fe)
	}
}

func TestPassportFromCycleAndLimit(t *testing.T) {
	c := Cycle{ID: 4, PupilID: 9, PupilImportant: "My dog Max", PupilStrengths: "Drawing", PupilHelps: "Quiet space", PupilNotHelp: "Loud noises",
		NeedsSummary: "Speech and language", Strategies: []Strategy{{Text: "Visual timetable"}}}
	p := FromCycle(c)
	if p.AboutMe != "My dog Max" || p.Strengths != "Drawing" || !strings.Contains(p.Helps, "Quiet space") || !strings.Contains(p.Helps, "- Visual timetable") || p.FromCycle != 4 {
		t.Fatalf("passport: %+v", p)
	}
	if fe := p.Validate(); len(fe) != 0 {
		t.Fatalf("valid passport: %v", fe)
	}
	long := Passport{AboutMe: strings.Repeat("a", 1000), Strengths: strings.Repeat("b", 1000), Needs: strings.Repeat("c", 1000), Helps: strings.Repeat("d", 1000)}
	if fe := long.Validate(); !strings.Contains(fe["aboutMe"], "one A4 page") {
		t.Fatalf("long passport: %v", fe)
	}
	if fe := (&Passport{}).Validate(); fe["aboutMe"] == "" {
		t.Fatal("empty passport accepted")
	}
}

func TestAcademicYearStart(t *testing.T) {
	if got := AcademicYearStart(today); got != d(2026, 9, 1) {
		t.Fatal(got)
	}
	if got := AcademicYearStart(d(2026, 8, 31)); got != d(2025, 9, 1) {
		t.Fatal(got)
	}
}

func TestSharingDefaults(t *testing.T) {
	s := DefaultSharing()
	if !s.Outcomes || !s.Strategies || s.Notes {
		t.Fatal("outcomes and strategies shareable, notes not, by default")
	}
	s.Set("notes", true)
	if !s.Get("notes") {
		t.Fatal("Set/Get")
	}
}
