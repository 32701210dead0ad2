package schoolsen

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

func TestPostDeadline(t *testing.T) {
	today := d(2026, 12, 2)
	cases := []struct {
		name     string
		p        Post
		today    time.Time
		standing Standing
		deadline time.Time
		remind   bool
		reason   string
	}{
		{"appointed on 1 September 2009: not required", Post{TookPost: d(2009, 9, 1)}, today, StandNotRequired, time.Time{}, false, "1 September 2009"},
		{"appointed before 2009", Post{TookPost: d(2005, 1, 4)}, today, StandNotRequired, time.Time{}, false, ""},
		{"a SENCO for more than 12 months before", Post{TookPost: d(2025, 1, 6), PriorMonths: 13}, today, StandNotRequired, time.Time{}, false, "more than 12 months"},
		{"exactly 12 months before still counts as new", Post{TookPost: d(2025, 1, 6), PriorMonths: 12}, today, StandDue, d(2028, 1, 6), true, "No qualification"},
		{"new SENCO, no course: third anniversary", Post{TookPost: d(2024, 9, 2)}, today, StandDue, d(2027, 9, 2), true, "Started today, it would end after the deadline"},
		{"NPQ started 2024 in progress (the demo SENCO)", Post{TookPost: d(2024, 4, 15), Qual: QualNPQ, QualStarted: d(2024, 10, 1)}, today, StandDue, d(2027, 4, 15), true, "Doing the NPQ"},
		{"NPQ started late cannot finish in time", Post{TookPost: d(2024, 4, 15), Qual: QualNPQ, QualStarted: d(2026, 1, 10)}, today, StandDue, d(2027, 4, 15), true, "ends after the deadline"},
		{"NPQ completed", Post{TookPost: d(2024, 4, 15), Qual: QualNPQ, QualStarted: d(2024, 10, 1), QualDone: d(2026, 6, 30)}, today, StandMet, d(2027, 4, 15), false, "Holds the NPQ"},
		{"NPQ dated before it existed", Post{TookPost: d(2023, 4, 15), Qual: QualNPQ, QualStarted: d(2024, 8, 31)}, today, StandOverdue, d(2026, 4, 15), true, "began on 1 September 2024"},
		{"NASENCO started before the transition, completed", Post{TookPost: d(2022, 9, 1), Qual: QualNASENCO, QualStarted: d(2023, 1, 9), QualDone: d(2024, 7, 1)}, today, StandMet, d(2025, 9, 1), false, "Holds the NASENCO"},
		{"NASENCO in progress: the transition date is earlier than the anniversary", Post{TookPost: d(2025, 1, 6), Qual: QualNASENCO, QualStarted: d(2024, 8, 30)}, today, StandDue, d(2027, 8, 31), true, "31 August 2027"},
		{"NASENCO in progress: the anniversary is earlier", Post{TookPost: d(2024, 1, 8), Qual: QualNASENCO, QualStarted: d(2024, 2, 1)}, today, StandDue, d(2027, 1, 8), true, "31 August 2027"},
		{"NASENCO started on the transition day does not count", Post{TookPost: d(2024, 6, 3), Qual: QualNASENCO, QualStarted: d(2024, 9, 1)}, today, StandDue, d(2027, 6, 3), true, "not the relevant qualification"},
		{"NASENCO completed on 1 September 2027 does not count", Post{TookPost: d(2025, 6, 3), Qual: QualNASENCO, QualStarted: d(2024, 3, 1), QualDone: d(2027, 9, 1)}, d(2027, 9, 2), StandDue, d(2028, 6, 3), true, "does not count"},
		{"NASENCO completed on 31 August 2027 counts", Post{TookPost: d(2025, 6, 3), Qual: QualNASENCO, QualStarted: d(2024, 3, 1), QualDone: d(2027, 8, 31)}, d(2027, 9, 2), StandMet, d(2028, 6, 3), false, "Holds the NASENCO"},
		{"past the third anniversary without it", Post{TookPost: d(2022, 11, 1)}, today, StandOverdue, d(2025, 11, 1), true, "has passed"},
		{"on the anniversary itself still due", Post{TookPost: d(2023, 12, 2)}, today, StandDue, d(2026, 12, 2), true, ""},
		{"far from the deadline: no reminder", Post{TookPost: d(2026, 9, 1)}, today, StandDue, d(2029, 9, 1), false, ""},
		{"reminder starts 24 months before", Post{TookPost: d(2025, 12, 2)}, today, StandDue, d(2028, 12, 2), true, ""},
		{"a day short of 24 months: no reminder", Post{TookPost: d(2025, 12, 3)}, today, StandDue, d(2028, 12, 3), false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.p.Deadline(c.today)
			if got.Standing != c.standing || !got.Deadline.Equal(c.deadline) || got.Remind != c.remind {
				t.Errorf("got %s %s remind=%v, want %s %s remind=%v (%s)", got.Standing, got.Deadline.Format(time.DateOnly), got.Remind,
					c.standing, c.deadline.Format(time.DateOnly), c.remind, got.Reason)
			}
			if !strings.Contains(got.Reason, c.reason) {
				t.Errorf("reason %q lacks %q", got.Reason, c.reason)
			}
		})
	}
}

func TestPostValidate(t *testing.T) {
	today := d(2026, 12, 2)
	cases := []struct {
		p      Post
		fields []string
	}{
		{Post{UserID: 1, TookPost: d(2024, 4, 15)}, nil},
		{Post{}, []string{"tookPost", "user"}},
		{Post{UserID: 1, TookPost: d(2027, 1, 1)}, []string{"tookPost"}},
		{Post{UserID: 1, TookPost: d(2024, 4, 15), Qual: "msc"}, []string{"qual", "qualStarted"}},
		{Post{UserID: 1, TookPost: d(2024, 4, 15), QualStarted: d(2024, 10, 1)}, []string{"qual"}},
		{Post{UserID: 1, TookPost: d(2024, 4, 15), Qual: QualNPQ, QualStarted: d(2024, 10, 1), QualDone: d(2024, 9, 1)}, []string{"qualDone"}},
		{Post{UserID: 1, TookPost: d(2024, 4, 15), PriorMonths: -1}, []string{"priorMonths"}},
		{Post{UserID: 1, TookPost: d(2024, 4, 15), Left: d(2024, 1, 1)}, []string{"left"}},
	}
	for i, c := range cases {
		if got := keys(c.p.Validate(today)); !reflect.DeepEqual(got, c.fields) {
			t.Errorf("case %d: fields %v, want %v", i, got, c.fields)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestSuggestTraining(t *testing.T) {
	teaching := []Teaching{
		{UserID: 1, Name: "Ms Adams", Needs: map[string]int{"ASD": 4, "SPLD": 2, "NSA": 9}},
		{UserID: 2, Name: "Mr Brown", Needs: map[string]int{"ASD": 3, "SEMH": 5}},
		{UserID: 3, Name: "Mrs Cole", Needs: map[string]int{"ASD": 6}},
		{UserID: 4, Name: "Mr Dale", Needs: map[string]int{"HI": 3, "OTH": 7}},
	}
	cases := []struct {
		name    string
		covered map[int64]map[string]bool
		want    []TrainingNeed
	}{
		{"nothing recorded", nil, []TrainingNeed{
			{3, "Mrs Cole", "ASD", 6}, {2, "Mr Brown", "SEMH", 5}, {1, "Ms Adams", "ASD", 4}, {2, "Mr Brown", "ASD", 3}, {4, "Mr Dale", "HI", 3}}},
		{"training covers autism for two", map[int64]map[string]bool{1: {"ASD": true}, 3: {"ASD": true}}, []TrainingNeed{
			{2, "Mr Brown", "SEMH", 5}, {2, "Mr Brown", "ASD", 3}, {4, "Mr Dale", "HI", 3}}},
		{"everyone covered", map[int64]map[string]bool{1: {"ASD": true}, 2: {"ASD": true, "SEMH": true}, 3: {"ASD": true}, 4: {"HI": true}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SuggestTraining(teaching, c.covered); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestReviewDue(t *testing.T) {
	today := d(2026, 12, 2)
	cases := []struct {
		next time.Time
		want Due
	}{
		{time.Time{}, DueNone},
		{d(2026, 12, 1), DueOverdue},
		{d(2026, 12, 2), DueToday},
		{d(2026, 12, 3), DueSoon},
		{today.AddDate(0, 0, RemindDays), DueSoon},
		{today.AddDate(0, 0, RemindDays+1), DueLater},
		{d(2027, 9, 1), DueLater},
	}
	for _, c := range cases {
		if got := ReviewDue(c.next, today); got != c.want {
			t.Errorf("ReviewDue(%s) = %q, want %q", c.next.Format(time.DateOnly), got, c.want)
		}
	}
	// The report: a year after it was last reviewed, leap days included.
	for _, c := range []struct{ last, next time.Time }{
		{d(2025, 12, 1), d(2026, 12, 1)}, {d(2024, 2, 29), d(2025, 3, 1)}, {time.Time{}, time.Time{}},
	} {
		if got := ReportNextReview(c.last); !got.Equal(c.next) {
			t.Errorf("ReportNextReview(%v) = %v, want %v", c.last, got, c.next)
		}
	}
	if !DueOverdue.Remind() || DueLater.Remind() || DueNone.Remind() {
		t.Error("Remind is wrong")
	}
}

func TestKindsOfSENHidesRareNeeds(t *testing.T) {
	got := KindsOfSEN(map[string]int{"ASD": 12, "SPLD": 5, "MSI": 1, "VI": 4, "NSA": 30})
	want := []string{"Specific learning difficulty", "Autistic spectrum disorder"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	s := Suggest("1", Facts{NeedCounts: map[string]int{"ASD": 12, "MSI": 1}})
	if strings.Contains(s, "12") || strings.Contains(strings.ToLower(s), "multi-sensory") || !strings.Contains(s, "autistic") {
		t.Errorf("item 1 suggestion %q shows a count or a rare need", s)
	}
}

func TestSuggest(t *testing.T) {
	f := Facts{SENCOName: "Ms Priya Shah", SENCOContact: "senco@school.example", Skills: []string{"ELSA", "ELSA", "Dyslexia specialist teacher"},
		TrainingTopic: []string{"Autism awareness"}, LocalOfferURL: "https://la.example/local-offer", HasPlans: true, HasEHC: true, HasAccessPlan: true}
	cases := map[string]string{
		"4":  "Our SENCO is Ms Priya Shah. You can contact them: senco@school.example",
		"5":  "Our staff include: Dyslexia specialist teacher; ELSA. In the last year our staff had training in: Autism awareness. When we need",
		"13": "https://la.example/local-offer",
		"3a": "at least three times a year",
		"6":  "accessibility plan",
		"2":  "",
	}
	for item, want := range cases {
		got := Suggest(item, f)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("Suggest(%s) = %q, want it to contain %q", item, got, want)
		}
	}
	if Suggest("4", Facts{}) != "" || Suggest("5", Facts{}) != "" || Suggest("13", Facts{}) != "" {
		t.Error("a suggestion without facts")
	}
}

func TestSlug(t *testing.T) {
	for _, c := range [][3]string{{"100001", "Test Academy", "100001"}, {"", "St Mary's C of E Primary", "st-mary-s-c-of-e-primary"}, {"", "  ", "school"}, {" 123 ", "X", "123"}} {
		if got := Slug(c[0], c[1]); got != c[2] {
			t.Errorf("Slug(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		min  int
		ok   bool
		text string
	}{{"1", 60, true, "1 hour"}, {"1.5", 90, true, "1.5 hours"}, {"0.75", 45, true, "45 minutes"}, {"2 hours", 120, true, "2 hours"}, {"x", 0, false, ""}, {"0", 0, false, ""}, {"41", 0, false, ""}, {"1.25", 75, true, "1.25 hours"}} {
		m, ok := ParseHours(c.in)
		if m != c.min || ok != c.ok {
			t.Errorf("ParseHours(%q) = %d %v", c.in, m, ok)
		}
		if ok && HoursLabel(m) != c.text {
			t.Errorf("HoursLabel(%d) = %q, want %q", m, HoursLabel(m), c.text)
		}
	}
}

func TestValidate(t *testing.T) {
	today := d(2026, 12, 2)
	s := Session{Topic: " Autism ", LedBy: "Outreach", Date: d(2026, 10, 1), Minutes: 90, Need: "ASD"}
	if fe := s.Validate(today); len(fe) != 0 || s.Topic != "Autism" {
		t.Errorf("good session: %v", fe)
	}
	bad := Session{Need: "XYZ", Date: d(2028, 1, 1)}
	if got := keys(bad.Validate(today)); !reflect.DeepEqual(got, []string{"date", "hours", "ledBy", "need", "topic"}) {
		t.Errorf("bad session: %v", got)
	}
	a := Action{Strand: "roof", Progress: "?"}
	if got := keys(a.Validate()); !reflect.DeepEqual(got, []string{"due", "owner", "progress", "strand", "what"}) {
		t.Errorf("bad action: %v", got)
	}
	adj := Adjustment{Disability: "Hearing impairment", What: "Radio aid", From: d(2026, 9, 3), Reviewed: d(2026, 9, 1)}
	if got := keys(adj.Validate(today)); !reflect.DeepEqual(got, []string{"reviewed"}) {
		t.Errorf("adjustment: %v", got)
	}
	r := Report{LocalOfferURL: "javascript:alert(1)", LastReviewed: d(2027, 1, 1)}
	if got := keys(r.ValidateDetails(today)); !reflect.DeepEqual(got, []string{"localOffer", "reviewed"}) {
		t.Errorf("report details: %v", got)
	}
	sec := Section{Heading: "", Text: "ok\x00"}
	if got := keys(ValidateSection(&sec)); !reflect.DeepEqual(got, []string{"heading", "text"}) {
		t.Errorf("section: %v", got)
	}
	if len(Items) != 19 {
		t.Errorf("%d items, want 13 items with item 3 in its seven parts (19)", len(Items))
	}
}
