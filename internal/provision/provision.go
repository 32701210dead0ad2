// Package provision is the domain of the provision map (issue 13): the
// school's library of provisions (interventions and support), the staff
// hourly costs, runs of a provision (groups) with their timetable slots and
// pupils, the session register, and the pure rules for cost and progress.
package provision

import (
	"slices"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Waves of provision: the "waves" model SENCOs use on a provision map (a
// school's own convention, not statute).
const (
	WaveUniversal  = "universal"
	WaveTargeted   = "targeted"
	WaveSpecialist = "specialist"
)

// Waves are the waves in the order a provision map shows them.
var Waves = sen.Options{
	{Code: WaveUniversal, Label: "Wave 1: whole-class quality teaching"},
	{Code: WaveTargeted, Label: "Wave 2: targeted"},
	{Code: WaveSpecialist, Label: "Wave 3: specialist"},
}

// Scales on which progress is measured.
const (
	ScaleStandardised = "standardised"
	ScaleAgeMonths    = "age-months"
	ScaleReadingAge   = "reading-age"
	ScaleSpellingAge  = "spelling-age"
	ScaleCount        = "count"
	ScalePercent      = "percent"
	ScaleSchool       = "school"
)

// Scales are the measures' scales.
var Scales = sen.Options{
	{Code: ScaleStandardised, Label: "Standardised score"},
	{Code: ScaleAgeMonths, Label: "Age-equivalent (years and months)"},
	{Code: ScaleReadingAge, Label: "Reading age (years and months)"},
	{Code: ScaleSpellingAge, Label: "Spelling age (years and months)"},
	{Code: ScaleCount, Label: "A count (for example, words read correctly in a minute)"},
	{Code: ScalePercent, Label: "A percentage"},
	{Code: ScaleSchool, Label: "A scale the school defines"},
}

// Directions of a scale.
const (
	HigherBetter = "higher"
	LowerBetter  = "lower"
)

// Directions say which way a score is better.
var Directions = sen.Options{
	{Code: HigherBetter, Label: "A higher score is better"},
	{Code: LowerBetter, Label: "A lower score is better (for example, errors or incidents)"},
}

// DelivererExternal is the deliverer code of a provision delivered by an
// external service (the service is named).
const DelivererExternal = "external"

// Deliverers are who delivers a provision: a staff role or an external service.
var Deliverers = sen.Options{
	{Code: string(sen.RoleTA), Label: "Teaching assistant"},
	{Code: string(sen.RoleTeacher), Label: "Teacher"},
	{Code: string(sen.RoleSENCO), Label: "SENCO"},
	{Code: DelivererExternal, Label: "An external service"},
}

// Provision is one entry of the school's library.
type Provision struct {
	ID              int64
	Name            string
	Description     string
	Areas           []string // sen.BroadAreas codes
	Wave            string
	Outcomes        string
	Evidence        string
	EvidenceURL     string
	SessionMinutes  int
	SessionsPerWeek int
	Weeks           int
	GroupSize       int
	Deliverer       string // a Deliverers code
	Service         string // the external service, when Deliverer is external
	Resources       string
	ResourcePence   int64 // resources' cost per session, in pence
	Measure         string
	Scale           string
	Direction       string
	Confidential    bool
	Staff           []int64 // the named staff who may see a confidential provision
	Retired         bool
	Version         int64
}

// Limits of a provision's schedule.
const (
	MaxSessionMinutes = 300
	MaxSessionsWeek   = 10
	MaxWeeks          = 52
	MaxGroupSize      = 40
)

// Validate checks a provision; errors are keyed by field names.
func (p *Provision) Validate() sen.FieldErrors {
	fe := sen.FieldErrors{}
	p.Name = strings.TrimSpace(p.Name)
	p.EvidenceURL = strings.TrimSpace(p.EvidenceURL)
	p.Service = strings.TrimSpace(p.Service)
	if p.Name == "" {
		fe.Add("name", "Enter the name of the provision")
	} else if len(p.Name) > 120 {
		fe.Add("name", "Name must be 120 characters or fewer")
	}
	fe.Line("name", p.Name)
	fe.Long("description", p.Description)
	fe.Long("outcomes", p.Outcomes)
	fe.Long("evidence", p.Evidence)
	fe.Long("resources", p.Resources)
	fe.Line("measure", p.Measure)
	fe.Line("service", p.Service)
	if len(p.Areas) == 0 {
		fe.Add("areas", "Select at least one area of need")
	}
	for _, a := range p.Areas {
		if !sen.BroadAreas.Has(a) {
			fe.Add("areas", "Select areas of need from the list")
		}
	}
	if !Waves.Has(p.Wave) {
		fe.Add("wave", "Select the wave")
	}
	if p.EvidenceURL != "" {
		if !webAddress(p.EvidenceURL) {
			fe.Add("evidenceURL", "Enter the link to the evidence as a web address starting https://")
		}
	}
	if p.SessionMinutes < 1 || p.SessionMinutes > MaxSessionMinutes {
		fe.Add("sessionMinutes", "Enter the length of a session in minutes, from 1 to 300")
	}
	if p.SessionsPerWeek < 1 || p.SessionsPerWeek > MaxSessionsWeek {
		fe.Add("sessionsPerWeek", "Enter the number of sessions a week, from 1 to 10")
	}
	if p.Weeks < 1 || p.Weeks > MaxWeeks {
		fe.Add("weeks", "Enter the number of weeks, from 1 to 52")
	}
	if p.GroupSize < 1 || p.GroupSize > MaxGroupSize {
		fe.Add("groupSize", "Enter the group size, from 1 (one to one) to 40")
	}
	if !Deliverers.Has(p.Deliverer) {
		fe.Add("deliverer", "Select who delivers it")
	} else if p.Deliverer == DelivererExternal && p.Service == "" {
		fe.Add("service", "Enter the name of the external service")
	}
	if p.ResourcePence < 0 {
		fe.Add("resourceCost", "Resources cost cannot be less than zero")
	}
	if !Scales.Has(p.Scale) {
		fe.Add("scale", "Select the scale progress is measured on")
	}
	if !Directions.Has(p.Direction) {
		fe.Add("direction", "Select whether a higher or a lower score is better")
	}
	return fe
}

// webAddress reports whether v is an http or https address with a host
// and no spaces (the domain may not import net/url).
func webAddress(v string) bool {
	rest, ok := strings.CutPrefix(v, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(v, "http://"); !ok {
			return false
		}
	}
	host, _, _ := strings.Cut(rest, "/")
	return host != "" && !strings.ContainsAny(v, " \t\r\n<>\"") && !strings.HasPrefix(host, ".") && sen.CheckText(v, false) == ""
}

// AreasText names the provision's areas of need.
func (p Provision) AreasText() string {
	var out []string
	for _, a := range p.Areas {
		out = append(out, sen.AreaLabel(a))
	}
	return strings.Join(out, "; ")
}

// HasArea reports whether the provision meets needs in area.
func (p Provision) HasArea(area string) bool { return slices.Contains(p.Areas, area) }

// DelivererText is who delivers the provision, for people.
func (p Provision) DelivererText() string {
	if p.Deliverer == DelivererExternal {
		return p.Service + " (external service)"
	}
	return Deliverers.Label(p.Deliverer)
}

// Copy is the provision as a new, unsaved entry named as a copy.
func (p Provision) Copy() Provision {
	c := p
	c.ID, c.Version, c.Retired = 0, 0, false
	c.Name = "Copy of " + p.Name
	if len(c.Name) > 120 {
		c.Name = c.Name[:120]
	}
	c.Areas = slices.Clone(p.Areas)
	c.Staff = slices.Clone(p.Staff)
	return c
}

// ErrProvisionChanged is the conflict for an edit of a provision someone
// else saved first.
func ErrProvisionChanged() error {
	return &sen.ConflictError{What: "provision", Msg: "Your changes were not saved. Check the provision as it is now and make your changes again."}
}

// ErrRunChanged is the conflict for a group changed by someone else.
func ErrRunChanged() error {
	return &sen.ConflictError{What: "group", Msg: "Your changes were not saved. Check the group as it is now and make your changes again."}
}

// ErrSessionChanged is the conflict for a register someone else saved first.
func ErrSessionChanged() error {
	return &sen.ConflictError{What: "session register", Msg: "Your register was not saved because someone else recorded this session first. Check it as it is now and make your changes again."}
}

// ErrRateChanged is the conflict for a staff cost changed by someone else.
func ErrRateChanged() error {
	return &sen.ConflictError{What: "staff cost", Msg: "Your change was not saved. Check the staff costs as they are now and make your change again."}
}

// date helpers

// inRange reports whether d is within [from, to]; a zero bound is open.
func inRange(d, from, to time.Time) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// ErrStaffNotFound is the field error for a member of staff who is not one
// of the school's active staff.
func ErrStaffNotFound(field string) sen.FieldErrors {
	return sen.FieldErrors{field: "Select staff from the list"}
}

// ErrPupilNotFound is the field error for a pupil the person may not add
// (not on the school's roll, or not theirs to see).
func ErrPupilNotFound() sen.FieldErrors {
	return sen.FieldErrors{"pupil": "Select a pupil from the list"}
}
