// Package schoolsen is the domain of the school's own SEN duties (issue 16,
// "The school's own duties" and the SEN information report): staff training
// and expertise with the training needs suggested from the register, the
// SENCO's qualification deadline (SEND Regulations 2014 reg 49 as amended
// by SI 2024/535), the SEN policy and its review, the SEN information report
// (Children and Families Act 2014 s69, SEND Regulations 2014 reg 51 and
// Schedule 1), and the Equality Act 2010 duties: the accessibility plan and
// each pupil's reasonable adjustments. Its SQL is internal/store/schoolsen*.go,
// its pages internal/web/schoolsen.
package schoolsen

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Session is one staff training session and who attended it.
type Session struct {
	ID      int64
	Topic   string
	Date    time.Time
	Minutes int    // length; the form reads hours such as "1.5"
	LedBy   string // who led it: a member of staff, an outreach team, a provider
	Need    string // the census need type it covers, "" for general SEN training
	// Attendees are the staff (user ids) who attended.
	Attendees []int64
	Names     []string // the attendees' names, filled on read
	Version   int
}

// Hours writes the length as people read it: "1.5 hours", "1 hour".
func (s Session) Hours() string { return HoursLabel(s.Minutes) }

// HoursLabel writes minutes as hours ("1.5 hours", "45 minutes").
func HoursLabel(min int) string {
	if min < 60 {
		return sen.Count(min, "minute", "minutes")
	}
	h := float64(min) / 60
	txt := strconv.FormatFloat(h, 'f', -1, 64)
	if min%60 != 0 && min%30 != 0 {
		txt = strconv.FormatFloat(h, 'f', 2, 64)
	}
	if min == 60 {
		return "1 hour"
	}
	return txt + " hours"
}

// ParseHours reads a length typed in hours ("1", "1.5", "0.75") as minutes;
// ok is false for anything else or a length outside 6 minutes (0.1 hours) to 40 hours.
func ParseHours(v string) (int, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "hours"))
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, false
	}
	m := int(f*60 + 0.5)
	if m < 6 || m > 40*60 {
		return 0, false
	}
	return m, true
}

// Validate checks a session; today bounds its date (training is recorded
// once it has happened, up to a year ahead for planned sessions).
func (s *Session) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	s.Topic, s.LedBy = strings.TrimSpace(s.Topic), strings.TrimSpace(s.LedBy)
	switch {
	case s.Topic == "":
		fe.Add("topic", "Enter the topic of the training")
	case len(s.Topic) > 200:
		fe.Add("topic", "Topic must be 200 characters or fewer")
	}
	fe.Line("topic", s.Topic)
	switch {
	case s.LedBy == "":
		fe.Add("ledBy", "Enter who led the training")
	case len(s.LedBy) > 200:
		fe.Add("ledBy", "Who led it must be 200 characters or fewer")
	}
	fe.Line("ledBy", s.LedBy)
	if s.Date.IsZero() {
		fe.Add("date", "Enter the date of the training")
	} else if s.Date.After(today.AddDate(1, 0, 0)) {
		fe.Add("date", "Date of the training must be within the next year")
	}
	if s.Minutes < 6 || s.Minutes > 40*60 {
		fe.Add("hours", "Enter how long it lasted in hours, like 1.5, between 0.1 and 40")
	}
	if s.Need != "" {
		if _, ok := sen.LookupNeed(s.Need); !ok {
			fe.Add("need", "Choose a need from the list")
		}
	}
	return fe
}

// Skill is a member of staff's qualification or specialist skill, for
// example a trained ELSA or a specialist teacher for dyslexia.
type Skill struct {
	ID      int64
	UserID  int64
	Name    string // the person's name, filled on read
	Kind    string // one of SkillKinds
	Title   string // e.g. "Emotional Literacy Support Assistant (ELSA)"
	Need    string // the census need type it covers, "" if general
	Awarded time.Time
}

// Kinds of skill.
const (
	KindQualification = "qualification"
	KindSkill         = "skill"
)

// SkillKinds is the code list of a skill's kind.
var SkillKinds = sen.Options{
	{Code: KindQualification, Label: "Qualification"},
	{Code: KindSkill, Label: "Specialist skill or accredited training"},
}

// Validate checks a skill.
func (k *Skill) Validate(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	k.Title = strings.TrimSpace(k.Title)
	if k.UserID == 0 {
		fe.Add("user", "Choose the member of staff")
	}
	if SkillKinds.Label(k.Kind) == k.Kind {
		fe.Add("kind", "Choose whether it is a qualification or a specialist skill")
	}
	switch {
	case k.Title == "":
		fe.Add("title", "Enter the qualification or skill")
	case len(k.Title) > 200:
		fe.Add("title", "Qualification or skill must be 200 characters or fewer")
	}
	fe.Line("title", k.Title)
	if k.Need != "" {
		if _, ok := sen.LookupNeed(k.Need); !ok {
			fe.Add("need", "Choose a need from the list")
		}
	}
	if !k.Awarded.IsZero() && k.Awarded.After(today) {
		fe.Add("awarded", "Date awarded must be today or in the past")
	}
	return fe
}

// SuggestAt is how many pupils with one need in the classes a person
// teaches make training in that need worth suggesting. It is the school's
// judgement, not a rule of law; 3 was chosen from the example
// ("several pupils with ASD as a need").
const SuggestAt = 3

// TrainingNeed is a training suggestion for one member of staff: Pupils of
// the pupils they teach have the need and none of their training or skills
// covers it.
type TrainingNeed struct {
	UserID int64
	Name   string
	Need   string
	Pupils int
}

// NeedLabel names the suggestion's need.
func (t TrainingNeed) NeedLabel() string { return sen.NeedLabel(t.Need) }

// Teaching is, for one member of staff, how many of the pupils they teach
// (through their classes and groups) have each census need type.
type Teaching struct {
	UserID int64
	Name   string
	Needs  map[string]int
}

// SuggestTraining lists the training each person may need: a need held by
// at least SuggestAt of the pupils they teach that no session they attended
// and no skill of theirs covers (covered[user][need]). General needs that
// say nothing about what training helps (NSA, OTH) are not suggested.
// Ordered by the number of pupils (most first), then name and need.
func SuggestTraining(teaching []Teaching, covered map[int64]map[string]bool) []TrainingNeed {
	var out []TrainingNeed
	for _, t := range teaching {
		for need, n := range t.Needs {
			if n < SuggestAt || need == "NSA" || need == "OTH" || covered[t.UserID][need] {
				continue
			}
			out = append(out, TrainingNeed{UserID: t.UserID, Name: t.Name, Need: need, Pupils: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Pupils != b.Pupils {
			return a.Pupils > b.Pupils
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Need < b.Need
	})
	return out
}

// StaffRecord is one person's own training record.
type StaffRecord struct {
	Sessions []Session
	Skills   []Skill
	Needs    []TrainingNeed
}

// TotalMinutes is the length of all the sessions attended.
func (r StaffRecord) TotalMinutes() int {
	n := 0
	for _, s := range r.Sessions {
		n += s.Minutes
	}
	return n
}

// ErrSessionChanged: someone else saved the session meanwhile.
func ErrSessionChanged() error {
	return &sen.ConflictError{What: "training session", Msg: "Someone else changed this training session while you were editing. Nothing has been saved: check it below and try again."}
}
