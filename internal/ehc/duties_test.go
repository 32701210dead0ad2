package ehc

import (
	"strings"
	"testing"
	"time"

	"opensend/internal/deadline"
	"opensend/internal/sen"
)

// TestDutiesTransferOneSource: the transfer duty sits on exactly one
// record, keeps its date whichever record carries it, and a decision to
// maintain the plan does not close it.
func TestDutiesTransferOneSource(t *testing.T) {
	today := day(2026, 11, 23)
	primary := SchoolSettings{Type: "primary", Lowest: "R", Highest: "6"}
	plan := Plan{ID: 7, PupilID: 70, PupilName: "Ava Test", YearGroup: "6", Issued: day(2026, 3, 1), Active: true}
	meeting := day(2026, 10, 14)
	held := Review{ID: 3, PlanID: 7, PupilID: 70, YearGroup: "6", PlanIssued: plan.Issued, Meeting: meeting, MeetingHeld: true,
		Decision: day(2026, 11, 4), Outcome: "maintain"}
	lastYear := Review{ID: 2, PlanID: 7, PupilID: 70, YearGroup: "6", PlanIssued: plan.Issued, Meeting: day(2026, 6, 1), MeetingHeld: true, Completed: true}
	open := Review{ID: 4, PlanID: 7, PupilID: 70, YearGroup: "6", PlanIssued: plan.Issued}
	cases := []struct {
		name     string
		reviews  []Review
		moves    map[int64]NextMove
		href     string
		transfer bool
		meetDue  string // the open review-meeting due date ("" for none)
	}{
		{"no review: on the plan, meeting brought forward", nil, nil, "/ehc/plans/7", true, "2027-02-14"},
		{"autumn review held, LA maintains: stays on the review, open", []Review{held}, nil, "/ehc/reviews/3", true, "2027-02-28"},
		{"last year's review does not carry it", []Review{lastYear}, nil, "/ehc/plans/7", true, "2027-02-14"},
		{"review in progress carries it", []Review{open}, nil, "/ehc/reviews/4", true, "2027-02-14"},
		{"staying: no transfer", nil, map[int64]NextMove{7: {PlanID: 7, Choice: MoveStaying}}, "", false, "2027-02-28"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			all := Duties(DutyInput{Today: today, School: primary, Plans: []Plan{plan}, Reviews: tc.reviews, Moves: tc.moves})
			var found []CalendarEntry
			for _, e := range all {
				if e.M.Key == deadline.KeyPhaseTransfer {
					found = append(found, e)
				}
			}
			if !tc.transfer {
				if len(found) != 0 {
					t.Fatalf("transfer duty %+v for a pupil staying", found)
				}
			} else {
				// One UID whichever record carries it: the plan's.
				if len(found) != 1 || found[0].Href != tc.href || found[0].UID("h") != "ehc-plan-7-phase-transfer@h" || found[0].Due.Format("2006-01-02") != "2027-02-14" || found[0].M.Done != nil {
					t.Fatalf("transfer duties %+v, want one open on %s due 2027-02-14", found, tc.href)
				}
				if found[0].Kind != KindTransfer {
					t.Errorf("kind %s", found[0].Kind)
				}
			}
			due, ok := PlanNextReview(all, 7)
			if got := due.Format("2006-01-02"); tc.meetDue != "" && (!ok || got != tc.meetDue) {
				t.Errorf("next review %s (%v), want %s", got, ok, tc.meetDue)
			}
		})
	}
}

// TestOpenDutiesOrderAndCompleted: OpenDuties drops done steps and the
// school's steps of a completed cycle, soonest first.
func TestOpenDutiesOrderAndCompleted(t *testing.T) {
	today := day(2026, 11, 23)
	plan := Plan{ID: 1, PupilID: 1, PupilName: "B", YearGroup: "3", Issued: day(2026, 1, 10), Active: true}
	rv := Review{ID: 9, PlanID: 1, PupilID: 1, YearGroup: "3", PlanIssued: plan.Issued, Meeting: day(2026, 11, 2), MeetingHeld: true, Completed: true}
	all := Duties(DutyInput{Today: today, School: SchoolSettings{Type: "primary"}, Plans: []Plan{plan}, Reviews: []Review{rv}})
	open := OpenDuties(all, today)
	for i, e := range open {
		if e.M.Owner == deadline.OwnerSchool && e.Record == RecordReview {
			t.Errorf("school step %s of a completed review is open", e.M.Key)
		}
		if i > 0 && e.Due.Before(open[i-1].Due) {
			t.Errorf("not soonest first")
		}
	}
	if _, ok := deadline.Find(OnPage(all, "/ehc/reviews/9"), deadline.KeyReviewReport); !ok {
		t.Errorf("the review page loses its report step")
	}
}

// TestDutiesUnopposedAppeal: the reg 45 dates from the notice, one UID per
// notice.
func TestDutiesUnopposedAppeal(t *testing.T) {
	today := day(2026, 11, 23)
	apps := []UnopposedAppeal{{ID: 5, RequestID: 2, PupilID: 1, PupilName: "C D", Notified: day(2026, 11, 2)}, {ID: 6, PlanID: 3, PupilID: 1, PupilName: "C D", Notified: day(2026, 11, 2)}}
	all := OpenDuties(Duties(DutyInput{Today: today, School: SchoolSettings{Type: "primary"}, Appeals: apps}), today)
	want := map[string]string{
		"ehc-appeal-5-unopposed-assess-notice@h":  "2026-11-16",
		"ehc-appeal-5-unopposed-issue-decision@h": "2027-01-11",
		"ehc-appeal-5-unopposed-final-plan@h":     "2027-02-08",
		"ehc-appeal-6-unopposed-amended-plan@h":   "2026-12-07",
	}
	if len(all) != len(want) {
		t.Fatalf("%d duties, want %d", len(all), len(want))
	}
	for _, e := range all {
		if got := e.Due.Format("2006-01-02"); want[e.UID("h")] != got {
			t.Errorf("%s due %s, want %s", e.UID("h"), got, want[e.UID("h")])
		}
		if e.Kind != KindAppeal || !strings.HasPrefix(e.Title(), "Unopposed appeal: ") {
			t.Errorf("entry %s %q", e.Kind, e.Title())
		}
	}
}

func TestSchoolSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		s      SchoolSettings
		fields []string
	}{
		{SchoolSettings{Type: "primary", Lowest: "N2", Highest: "6"}, nil},
		{SchoolSettings{Type: "special", Lowest: "R", Highest: "14"}, nil},
		{SchoolSettings{Type: "grammar", Lowest: "7", Highest: "13"}, []string{"schoolType"}},
		{SchoolSettings{Type: "further-education", Lowest: "12", Highest: "13"}, []string{"schoolType"}}, // a destination, not a school's type
		{SchoolSettings{Type: "primary", Lowest: "Y1", Highest: "6"}, []string{"lowestYear"}},
		{SchoolSettings{Type: "primary", Lowest: "6", Highest: "R"}, []string{"highestYear"}},
	} {
		fe := tc.s.Validate()
		if len(fe) != len(tc.fields) {
			t.Errorf("%+v: errors %v, want %v", tc.s, fe, tc.fields)
		}
		for _, f := range tc.fields {
			if fe[f] == "" {
				t.Errorf("%+v: no error on %s (%v)", tc.s, f, fe)
			}
		}
	}
	if sc := (SchoolSettings{Type: "first"}).Engine(); sc.Highest != 4 || sc.Lowest != deadline.YearEarlyYears {
		t.Errorf("a first school's default range %+v", sc)
	}
}

func TestNextMoveValidate(t *testing.T) {
	today := day(2026, 11, 23)
	for _, tc := range []struct {
		m      NextMove
		fields []string
	}{
		{NextMove{Choice: MoveStaying, ToType: "secondary"}, nil},
		{NextMove{Choice: MoveLeaving, ToType: "further-education", ToName: "Riverside College"}, nil},
		{NextMove{Choice: MoveLeaving}, []string{"toType"}},
		{NextMove{Choice: "maybe"}, []string{"choice"}},
		{NextMove{Choice: MoveLeaving, ToType: "junior", Date: day(2024, 9, 1)}, []string{"moveDate"}},
		{NextMove{Choice: MoveLeaving, ToType: "junior", ToName: strings.Repeat("x", 201)}, []string{"toName"}},
	} {
		fe := tc.m.Validate(today)
		if len(fe) != len(tc.fields) {
			t.Errorf("%+v: errors %v, want %v", tc.m, fe, tc.fields)
		}
		for _, f := range tc.fields {
			if fe[f] == "" {
				t.Errorf("%+v: no error on %s", tc.m, f)
			}
		}
	}
}

// TestClosureWarnings: reg 10(4)(a) checked against the advice request
// and the term dates.
func TestClosureWarnings(t *testing.T) {
	summer := []sen.Holiday{{Label: "Summer", Starts: day(2026, 7, 22), Ends: day(2026, 9, 2)}}
	exc := []RequestException{{Milestone: deadline.KeyAssessDecision, Reason: string(deadline.ExceptionSchoolClosure), Note: "summer"}}
	asked := func(d time.Time) []RequestEvent { return []RequestEvent{{Kind: EvAdviceRequested, Date: d}} }
	for _, tc := range []struct {
		name string
		r    Request
		hols []sen.Holiday
		want string // "" for no warning
	}{
		{"asked in the window", Request{Exceptions: exc, Events: asked(day(2026, 7, 20))}, summer, ""},
		{"asked outside it", Request{Exceptions: exc, Events: asked(day(2026, 6, 1))}, summer, "outside the period the regulation names: from 15 July 2026"},
		{"asked after it closes", Request{Exceptions: exc, Events: asked(day(2026, 8, 30))}, summer, "to 27 August 2026"},
		{"no advice request", Request{Exceptions: exc}, summer, "no request for the school's advice is recorded"},
		{"no long closure", Request{Exceptions: exc, Events: asked(day(2026, 7, 20))}, nil, "term dates record none"},
		{"another reason: no check", Request{Exceptions: []RequestException{{Milestone: deadline.KeyAssessDecision, Reason: string(deadline.ExceptionAbsence)}}}, nil, ""},
	} {
		got := strings.Join(tc.r.ClosureWarnings(tc.hols), " ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestUnopposedAppealClosedByTheRecord: the request's own events after the
// notice close the reg 45 steps; events before it do not.
func TestUnopposedAppealClosedByTheRecord(t *testing.T) {
	today := day(2027, 1, 20)
	req := Request{ID: 2, PupilID: 1, PupilName: "C D", Received: day(2026, 3, 2), Events: []RequestEvent{
		{Kind: EvAssessDecision, Date: day(2026, 4, 10), Outcome: "refuse"},
		{Kind: EvAssessDecision, Date: day(2026, 11, 10), Outcome: "assess"},
		{Kind: EvDraftServed, Date: day(2027, 1, 5)},
	}}
	plan := Plan{ID: 3, PupilID: 4, PupilName: "E F", YearGroup: "3", Issued: day(2026, 1, 5), LastAmended: day(2026, 12, 1), Active: true}
	apps := []UnopposedAppeal{{ID: 5, RequestID: 2, PupilID: 1, PupilName: "C D", Notified: day(2026, 11, 2)}, {ID: 6, PlanID: 3, PupilID: 4, PupilName: "E F", Notified: day(2026, 11, 2)}}
	open := map[string]bool{}
	for _, e := range OpenDuties(Duties(DutyInput{Today: today, School: SchoolSettings{Type: "primary"}, Requests: []Request{req}, Plans: []Plan{plan}, Appeals: apps}), today) {
		if e.Record == RecordAppeal {
			open[e.M.Key] = true
		}
	}
	if open[deadline.KeyUnopposedAssessNotice] || open[deadline.KeyUnopposedIssueDecision] || open[deadline.KeyUnopposedAmendedPlan] || !open[deadline.KeyUnopposedFinalPlan] {
		t.Errorf("open unopposed steps %v, want only the final plan", open)
	}
}
