package exams

import (
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func sc(area string, score int) Score {
	return Score{Test: "Test " + area, TestedOn: d(2026, 10, 1), Area: area, Score: score}
}

func TestExtraTime25(t *testing.T) {
	dob := d(2011, 3, 4) // Year 9 from 1 September 2024
	th := DefaultThresholds()
	cases := []struct {
		name   string
		a      *Assessment
		ehcp   bool
		th     Thresholds
		met    bool
		reason string
	}{
		{"no assessment", nil, false, th, false, "No assessor's scores"},
		{"EHC plan instead", nil, true, th, true, "current EHC plan"},
		{"two below average", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 80), sc("writing-speed", 84)}}, false, th, true, "Two below-average"},
		{"below and low", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 82), sc("cognitive-speed", 89)}}, false, th, true, "one low-average"},
		{"85 is low average, not below", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 85), sc("writing-speed", 86)}}, false, th, false, "No area of speed of working is below average"},
		{"two low scores in one area count once", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 70), sc("reading-speed", 75)}}, false, th, false, "Only one area"},
		{"non-speed areas do not count", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-comprehension", 70), sc("working-memory", 70)}}, false, th, false, "No area of speed of working"},
		{"one below, one average", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 80), sc("writing-speed", 95)}}, false, th, false, "Only one area"},
		{"90 is average", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 80), sc("writing-speed", 90)}}, false, th, false, "Only one area"},
		{"school's changed threshold", &Assessment{AssessedOn: d(2026, 10, 1), Scores: []Score{sc("reading-speed", 80), sc("writing-speed", 90)}}, false, Thresholds{BelowAverage: 84, LowAverage: 90, WellBelow: 69}, true, "one low-average"},
		{"before Year 9", &Assessment{AssessedOn: d(2024, 8, 31), Scores: []Score{sc("reading-speed", 70), sc("writing-speed", 70)}}, false, th, false, "before the start of Year 9"},
		{"first day of Year 9", &Assessment{AssessedOn: d(2024, 9, 1), Scores: []Score{sc("reading-speed", 70), sc("writing-speed", 70)}}, false, th, true, "Two below-average"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ExtraTime25(c.a, dob, c.th, c.ehcp)
			if r.Met != c.met {
				t.Fatalf("met = %v, want %v (%v)", r.Met, c.met, r.Reasons)
			}
			if !strings.Contains(strings.Join(r.Reasons, " "), c.reason) {
				t.Errorf("reasons %q do not say %q", r.Reasons, c.reason)
			}
		})
	}
}

func TestExtraTime50(t *testing.T) {
	th := DefaultThresholds()
	if r := ExtraTime50(&Assessment{Scores: []Score{sc("reading-speed", 65), sc("writing-speed", 69)}}, th); !r.Met {
		t.Errorf("two at 69 or below: %v", r.Reasons)
	}
	if r := ExtraTime50(&Assessment{Scores: []Score{sc("reading-speed", 65), sc("writing-speed", 70)}}, th); r.Met || !strings.Contains(r.Reasons[0], "1 area ") {
		t.Errorf("one well below: %v", r)
	}
}

func TestYear9Start(t *testing.T) {
	for _, c := range []struct{ dob, want time.Time }{
		{d(2011, 9, 1), d(2025, 9, 1)},
		{d(2012, 8, 31), d(2025, 9, 1)},
		{d(2011, 8, 31), d(2024, 9, 1)},
	} {
		if got := Year9Start(c.dob); !got.Equal(c.want) {
			t.Errorf("Year9Start(%s) = %s, want %s", c.dob.Format("2006-01-02"), got.Format("2006-01-02"), c.want.Format("2006-01-02"))
		}
	}
}

func TestThresholdsValidate(t *testing.T) {
	for _, c := range []struct {
		th    Thresholds
		field string
	}{
		{DefaultThresholds(), ""},
		{Thresholds{WellBelow: 84, BelowAverage: 84, LowAverage: 89}, "well_below"},
		{Thresholds{WellBelow: 69, BelowAverage: 84, LowAverage: 84}, "low_average"},
		{Thresholds{WellBelow: 10, BelowAverage: 84, LowAverage: 89}, "well_below"},
		{Thresholds{WellBelow: 69, BelowAverage: 200, LowAverage: 89}, "below_average"},
	} {
		fe := c.th.Validate()
		if c.field == "" && len(fe) > 0 || c.field != "" && fe[c.field] == "" {
			t.Errorf("%+v: %v, want error on %q", c.th, fe, c.field)
		}
	}
}

func TestAssessmentValidate(t *testing.T) {
	today := d(2026, 12, 2)
	dob := d(2011, 3, 4)
	ok := Assessment{AssessedOn: d(2026, 10, 1), Assessor: "Dr Jane Moss", Qualification: "CPT3A", Scores: []Score{sc("reading-speed", 80)}}
	if fe := ok.Validate(dob, today); len(fe) > 0 {
		t.Fatalf("valid assessment: %v", fe)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Assessment)
		field string
	}{
		{"score too high", func(a *Assessment) { a.Scores[0].Score = 400 }, "scores.1.score"},
		{"score zero", func(a *Assessment) { a.Scores[0].Score = 0 }, "scores.1.score"},
		{"unknown area", func(a *Assessment) { a.Scores[0].Area = "iq" }, "scores.1.area"},
		{"no test name", func(a *Assessment) { a.Scores[0].Test = " " }, "scores.1.test"},
		{"test in the future", func(a *Assessment) { a.Scores[0].TestedOn = d(2027, 1, 1) }, "scores.1.on"},
		{"no assessor", func(a *Assessment) { a.Assessor = "" }, "assessor"},
		{"no qualification", func(a *Assessment) { a.Qualification = "" }, "qualification"},
		{"checked by without date", func(a *Assessment) { a.CheckedBy = "Sarah Ahmed" }, "checked_on"},
		{"before Year 9", func(a *Assessment) { a.AssessedOn = d(2024, 6, 1) }, "assessed_on"},
		{"control character", func(a *Assessment) { a.Qualification = "CPT\x003A" }, "qualification"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := ok
			a.Scores = append([]Score(nil), ok.Scores...)
			c.edit(&a)
			if fe := a.Validate(dob, today); fe[c.field] == "" {
				t.Errorf("no error on %s: %v", c.field, fe)
			}
		})
	}
}

func TestArrangementValidate(t *testing.T) {
	for _, c := range []struct {
		a     Arrangement
		field string
	}{
		{Arrangement{Kind: "extra-time-25", Status: StatusProposed}, ""},
		{Arrangement{Kind: "extra-time-25", Status: StatusApproved}, "approval_ref"},
		{Arrangement{Kind: "extra-time-25", Status: StatusApproved, ApprovalRef: "AAO123"}, "expires"},
		{Arrangement{Kind: "word-processor", Status: StatusApproved}, ""}, // delegated: no AAO reference
		{Arrangement{Kind: "magic", Status: StatusProposed}, "kind"},
		{Arrangement{Kind: "reader", Status: "maybe"}, "status"},
	} {
		fe := c.a.Validate()
		if c.field == "" && len(fe) > 0 || c.field != "" && fe[c.field] == "" {
			t.Errorf("%+v: %v, want error on %q", c.a, fe, c.field)
		}
	}
}

func TestKindsListEveryRequiredArrangement(t *testing.T) {
	for _, code := range []string{"extra-time-25", "extra-time-50", "reader", "scribe", "word-processor", "separate-invigilation", "rest-breaks", "prompter", "modified-papers", "practical-assistant", "language-modifier", "bilingual-dictionary"} {
		if _, ok := KindOf(code); !ok {
			t.Errorf("%s missing", code)
		}
	}
	seen := map[string]bool{}
	for _, k := range Kinds {
		if seen[k.Code] {
			t.Errorf("%s twice", k.Code)
		}
		seen[k.Code] = true
		if k.Referred && k.Delegated {
			t.Errorf("%s both referred and delegated", k.Code)
		}
	}
	// Over 25% extra time and a practical assistant are always referred (§6.3).
	for _, code := range []string{"extra-time-50", "extra-time-over-50", "practical-assistant"} {
		if k, _ := KindOf(code); !k.Referred {
			t.Errorf("%s not referred", code)
		}
	}
}

func TestSeriesValidate(t *testing.T) {
	good := Series{Name: "June 2027", Starts: d(2027, 5, 10), Ends: d(2027, 6, 25), Deadline: d(2027, 3, 21)}
	if fe := good.Validate(); len(fe) > 0 {
		t.Fatal(fe)
	}
	for _, c := range []struct {
		edit  func(*Series)
		field string
	}{
		{func(s *Series) { s.Name = "" }, "name"},
		{func(s *Series) { s.Ends = d(2027, 5, 1) }, "ends"},
		{func(s *Series) { s.Deadline = d(2027, 5, 10) }, "deadline"},
		{func(s *Series) { s.Deadline = time.Time{} }, "deadline"},
		{func(s *Series) { s.ModifiedPapers = d(2027, 6, 1) }, "modified_papers"},
	} {
		s := good
		c.edit(&s)
		if fe := s.Validate(); fe[c.field] == "" {
			t.Errorf("no error on %s: %v", c.field, fe)
		}
	}
}

func TestNextSeries(t *testing.T) {
	nov := Series{ID: 1, Name: "November 2026", Starts: d(2026, 11, 2), Ends: d(2026, 11, 20)}
	jun := Series{ID: 2, Name: "June 2027", Starts: d(2027, 5, 10), Ends: d(2027, 6, 25)}
	for _, c := range []struct {
		today time.Time
		want  int64
	}{{d(2026, 10, 1), 1}, {d(2026, 11, 20), 1}, {d(2026, 11, 21), 2}, {d(2027, 7, 1), 0}} {
		s, ok := NextSeries([]Series{jun, nov}, c.today)
		if s.ID != c.want || ok != (c.want != 0) {
			t.Errorf("%s: got %d", c.today.Format("2006-01-02"), s.ID)
		}
	}
}

func TestReminders(t *testing.T) {
	jun := Series{ID: 2, Name: "June 2027", Starts: d(2027, 5, 10), Ends: d(2027, 6, 25), Deadline: d(2027, 3, 21)}
	cases := []struct {
		name  string
		a     Arrangement
		today time.Time
		want  string // "" no reminder
		late  bool
	}{
		{"proposed before the deadline", Arrangement{Kind: "extra-time-25", Status: StatusProposed}, d(2027, 3, 1), "apply by 21 March 2027 for June 2027 (20 days left)", false},
		{"one day left", Arrangement{Kind: "reader", Status: StatusEvidence}, d(2027, 3, 20), "(1 day left)", false},
		{"deadline day", Arrangement{Kind: "reader", Status: StatusEvidence}, d(2027, 3, 21), "(today)", false},
		{"after the deadline", Arrangement{Kind: "scribe", Status: StatusProposed}, d(2027, 3, 22), "passed on 21 March 2027", true},
		{"approved for the whole series", Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2028, 1, 1)}, d(2027, 3, 1), "", false},
		{"expires before the series ends", Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2027, 6, 1)}, d(2027, 3, 1), "expires on 1 June 2027, before the end of June 2027", true},
		{"expires on the last day: covered", Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2027, 6, 25)}, d(2027, 3, 1), "", false},
		{"already lapsed", Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2027, 2, 1)}, d(2027, 3, 1), "expired on 1 February 2027", true},
		{"recorded as expired", Arrangement{Kind: "extra-time-25", Status: StatusExpired}, d(2027, 3, 1), "", false},
		{"delegated, evidenced", Arrangement{Kind: "word-processor", Status: StatusEvidence}, d(2027, 3, 1), "", false},
		{"delegated, proposed", Arrangement{Kind: "rest-breaks", Status: StatusProposed}, d(2027, 3, 1), "no application", false},
		{"for another series", Arrangement{Kind: "extra-time-25", Status: StatusProposed, SeriesID: 9}, d(2027, 3, 1), "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := Reminders([]Arrangement{c.a}, jun, c.today)
			if c.want == "" {
				if len(rs) != 0 {
					t.Fatalf("unexpected reminder %+v", rs)
				}
				return
			}
			if len(rs) != 1 || !strings.Contains(rs[0].Text, c.want) || rs[0].Late != c.late {
				t.Fatalf("got %+v, want %q late=%v", rs, c.want, c.late)
			}
		})
	}
}

func TestAppliesTo(t *testing.T) {
	s := Sitting{SeriesID: 2, Paper: "GCSE English Language Paper 1", On: d(2027, 5, 20)}
	for _, c := range []struct {
		a    Arrangement
		want bool
	}{
		{Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2028, 1, 1)}, true},
		{Arrangement{Kind: "extra-time-25", Status: StatusApproved, Expires: d(2027, 5, 19)}, false},
		{Arrangement{Kind: "extra-time-25", Status: StatusEvidence}, false},
		{Arrangement{Kind: "word-processor", Status: StatusEvidence}, true},
		{Arrangement{Kind: "reader", Status: StatusApproved, Exams: "maths; english language"}, true},
		{Arrangement{Kind: "reader", Status: StatusApproved, Exams: "Maths"}, false},
		{Arrangement{Kind: "reader", Status: StatusApproved, SeriesID: 1}, false},
	} {
		if got := c.a.AppliesTo(s); got != c.want {
			t.Errorf("%+v: %v", c.a, got)
		}
	}
}

func TestCandidateAndStatementValidate(t *testing.T) {
	today := d(2026, 12, 2)
	if fe := (Candidate{CandidateNumber: "12a4"}).Validate(false, today); fe["candidate_number"] == "" {
		t.Error("bad candidate number accepted")
	}
	if fe := (Candidate{EHCPConfirms: true}).Validate(false, today); fe["ehcp_confirms"] == "" {
		t.Error("EHC plan confirmation without a plan accepted")
	}
	if fe := (Candidate{CandidateNumber: "0123", EHCPConfirms: true, ConsentOn: today}).Validate(true, today); len(fe) > 0 {
		t.Error(fe)
	}
	if fe := (Normal{Subject: "English", Text: "Uses a laptop in every lesson", On: today}).Validate(today); len(fe) > 0 {
		t.Error(fe)
	}
	if fe := (Normal{Subject: "", Text: "", On: d(2027, 1, 1)}).Validate(today); fe["subject"] == "" || fe["text"] == "" || fe["on"] == "" {
		t.Error(fe)
	}
}

func TestCurrentAndNeedsAssessor(t *testing.T) {
	today := d(2027, 3, 1)
	for _, c := range []struct {
		a    Arrangement
		want string
	}{
		{Arrangement{Status: StatusApproved, Expires: d(2027, 2, 28)}, StatusExpired},
		{Arrangement{Status: StatusApproved, Expires: d(2027, 3, 1)}, StatusApproved},
		{Arrangement{Status: StatusApproved}, StatusApproved},
		{Arrangement{Status: StatusEvidence, Expires: d(2020, 1, 1)}, StatusEvidence},
	} {
		if got := c.a.Current(today); got != c.want {
			t.Errorf("%+v: %s, want %s", c.a, got, c.want)
		}
	}
	et := Arrangement{Kind: "extra-time-25"}
	if !et.NeedsAssessor(Candidate{}) || et.NeedsAssessor(Candidate{EHCPConfirms: true}) {
		t.Error("25% extra time: Form 8 unless a current EHC plan confirms the need")
	}
	if (Arrangement{Kind: "word-processor"}).NeedsAssessor(Candidate{}) {
		t.Error("a word processor needs no assessor")
	}
}
