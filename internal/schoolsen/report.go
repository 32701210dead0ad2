package schoolsen

import (
	"sort"
	"strings"
	"time"

	"opensend/internal/sen"
)

// Item is one item of Schedule 1 to the SEND Regulations 2014, the
// contents of the SEN information report (CFA s69(2); reg 51).
// statutory-facts.md §1.6: items 1 to 7 were read from legislation.gov.uk;
// 8 to 13 are corroborated in substance but their exact wording is not
// confirmed (⚠), so every heading is the school's to change: Heading is
// only the starting text of the section's own heading.
type Item struct {
	Key     string // "1" … "13", with "3a" … "3g" for item 3's parts
	Heading string
	Source  string
}

// Items are the report's sections in the order of Schedule 1.
var Items = []Item{
	{"1", "The kinds of special educational needs we provide for", "Schedule 1, para 1"},
	{"2", "How we identify and assess pupils with SEN", "Schedule 1, para 2"},
	{"3a", "How we evaluate how well our provision works", "Schedule 1, para 3(a)"},
	{"3b", "How we assess and review pupils' progress", "Schedule 1, para 3(b)"},
	{"3c", "Our approach to teaching pupils with SEN", "Schedule 1, para 3(c)"},
	{"3d", "How we adapt the curriculum and learning environment", "Schedule 1, para 3(d)"},
	{"3e", "Additional support for learning", "Schedule 1, para 3(e)"},
	{"3f", "Taking part in all school activities, including physical activities", "Schedule 1, para 3(f)"},
	{"3g", "Support for emotional, mental and social development", "Schedule 1, para 3(g)"},
	{"4", "Our SENCO and how to contact them", "Schedule 1, para 4"},
	{"5", "Staff expertise and training, and how we secure specialist expertise", "Schedule 1, para 5"},
	{"6", "How we secure equipment and facilities", "Schedule 1, para 6"},
	{"7", "Consulting parents and involving them in their child's education", "Schedule 1, para 7"},
	{"8", "Consulting pupils and involving them in their education", "Schedule 1, para 8"},
	{"9", "Complaints about SEN provision", "Schedule 1, para 9"},
	{"10", "How we work with other services to meet pupils' needs and support families", "Schedule 1, para 10"},
	{"11", "Support services for parents, including information, advice and support", "Schedule 1, para 11"},
	{"12", "Moving between phases and preparing for adulthood", "Schedule 1, para 12"},
	{"13", "Our local authority's local offer", "Schedule 1, para 13"},
}

// LookupItem returns the item with key.
func LookupItem(key string) (Item, bool) {
	for _, it := range Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Report is the school's SEN information report.
type Report struct {
	Published     bool
	PublishedAt   time.Time
	LastReviewed  time.Time
	LocalOfferURL string
	SENCOName     string
	SENCOContact  string // e-mail and telephone as the school publishes them
	Sections      []Section
	Version       int
	Slug          string // the public address's {school}
}

// NextReview is the date of the yearly review.
func (r Report) NextReview() time.Time { return ReportNextReview(r.LastReviewed) }

// Text is every section's words, for the readability check.
func (r Report) Text() string {
	var b strings.Builder
	for _, s := range r.Sections {
		if s.Text != "" {
			b.WriteString(s.Text)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// Complete reports whether every section has the SENCO's words.
func (r Report) Complete() bool {
	for _, s := range r.Sections {
		if strings.TrimSpace(s.Text) == "" {
			return false
		}
	}
	return len(r.Sections) == len(Items)
}

// Missing counts the sections still to write.
func (r Report) Missing() int {
	n := 0
	for _, s := range r.Sections {
		if strings.TrimSpace(s.Text) == "" {
			n++
		}
	}
	return n + len(Items) - len(r.Sections)
}

// Section is one item of the report as the school wrote it.
type Section struct {
	Item      string
	Heading   string
	Text      string
	Suggested string // the app's pre-filled starting text (not stored)
	UpdatedAt time.Time
	UpdatedBy string
	Version   int
}

// Source is the item's place in Schedule 1.
func (s Section) Source() string {
	it, _ := LookupItem(s.Item)
	return it.Source
}

// ValidateSection checks a section's heading and words.
func ValidateSection(s *Section) sen.FieldErrors {
	fe := sen.FieldErrors{}
	s.Heading, s.Text = strings.TrimSpace(s.Heading), strings.TrimSpace(s.Text)
	switch {
	case s.Heading == "":
		fe.Add("heading", "Enter the heading of the section")
	case len(s.Heading) > 200:
		fe.Add("heading", "Heading must be 200 characters or fewer")
	}
	fe.Line("heading", s.Heading)
	if len(s.Text) > 20000 {
		fe.Add("text", "The section must be 20,000 characters or fewer")
	}
	fe.Long("text", s.Text)
	return fe
}

// ValidateDetails checks the report's own details.
func (r *Report) ValidateDetails(today time.Time) sen.FieldErrors {
	fe := sen.FieldErrors{}
	r.LocalOfferURL, r.SENCOContact = strings.TrimSpace(r.LocalOfferURL), strings.TrimSpace(r.SENCOContact)
	if r.LocalOfferURL != "" {
		if !WebAddress(r.LocalOfferURL) {
			fe.Add("localOffer", "Enter the local offer's web address, starting https://")
		}
	}
	fe.Line("localOffer", r.LocalOfferURL)
	if len(r.SENCOContact) > 500 {
		fe.Add("contact", "Contact details must be 500 characters or fewer")
	}
	fe.Long("contact", r.SENCOContact)
	if !r.LastReviewed.IsZero() && r.LastReviewed.After(today) {
		fe.Add("reviewed", "Date last reviewed must be today or in the past")
	}
	return fe
}

// WebAddress reports whether v is an http or https address with a host and
// no spaces, quotes or angle brackets, up to 500 characters.
func WebAddress(v string) bool {
	rest, ok := strings.CutPrefix(v, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(v, "http://")
	}
	host, _, _ := strings.Cut(rest, "/")
	return ok && len(v) <= 500 && host != "" && !strings.ContainsAny(v, " \t\n\"'<>`\\") && !strings.HasPrefix(host, "@")
}

// Facts are what the app knows that pre-fills the report. They hold no
// pupil data: NeedCounts become the kinds of SEN only where at least
// sen.SuppressBelow pupils have the need, and no count is written.
type Facts struct {
	School        string
	NeedCounts    map[string]int // census need type → pupils on the register with it
	SENCOName     string
	SENCOContact  string
	Skills        []string // "Emotional Literacy Support Assistant (ELSA)", one per skill, no names
	TrainingTopic []string // topics of the last year's training
	LocalOfferURL string
	HasPlans      bool // support plans are reviewed in the app
	HasEHC        bool
	HasAccessPlan bool
}

// KindsOfSEN lists the need types to name publicly: those at least
// sen.SuppressBelow pupils have (a rarer need could point to one child),
// in the census order, without NSA (not a kind of need).
func KindsOfSEN(counts map[string]int) []string {
	var out []string
	for _, n := range sen.NeedTypes {
		if n.Code == "NSA" {
			continue
		}
		if c := counts[n.Code]; c >= sen.SuppressBelow {
			out = append(out, n.Label)
		}
	}
	return out
}

// Suggest writes the pre-filled starting text of an item from what the
// app knows, "" where it knows nothing for that item.
func Suggest(item string, f Facts) string {
	switch item {
	case "1":
		kinds := KindsOfSEN(f.NeedCounts)
		s := "We are a mainstream school. We provide for pupils with needs in all four broad areas: communication and interaction; cognition and learning; social, emotional and mental health; and sensory and physical needs."
		if len(kinds) > 0 {
			s += " The needs our pupils have include: " + strings.ToLower(strings.Join(kinds, "; ")) + "."
		}
		return s
	case "3a", "3b":
		var parts []string
		if f.HasPlans {
			parts = append(parts, "Each pupil on SEN support has a plan that we review with the pupil and their parents at least three times a year: we assess, plan, do and review.")
		}
		if f.HasEHC {
			parts = append(parts, "Pupils with an education, health and care plan have an annual review with their family and the local authority.")
		}
		if item == "3a" {
			parts = append(parts, "We check how well each support worked at every review and report on it to governors.")
		}
		return strings.Join(parts, " ")
	case "4":
		if f.SENCOName == "" {
			return ""
		}
		s := "Our SENCO is " + f.SENCOName + "."
		if f.SENCOContact != "" {
			s += " You can contact them: " + f.SENCOContact
		}
		return s
	case "5":
		var parts []string
		if len(f.Skills) > 0 {
			parts = append(parts, "Our staff include: "+strings.Join(dedupe(f.Skills), "; ")+".")
		}
		if len(f.TrainingTopic) > 0 {
			parts = append(parts, "In the last year our staff had training in: "+strings.Join(dedupe(f.TrainingTopic), "; ")+".")
		}
		if len(parts) > 0 {
			parts = append(parts, "When we need more specialist help we ask the local authority's support services and health professionals.")
		}
		return strings.Join(parts, " ")
	case "6":
		if f.HasAccessPlan {
			return "Our accessibility plan sets out how we improve access to the curriculum, our buildings and information over three years."
		}
	case "13":
		if f.LocalOfferURL != "" {
			return "Our local authority's local offer is published at " + f.LocalOfferURL
		}
	}
	return ""
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// Slug makes a public address part from a school: its URN when it has one
// (the stable public identifier on Get Information about Schools), else
// its name in lower case with hyphens.
func Slug(urn, name string) string {
	if urn = strings.TrimSpace(urn); urn != "" {
		return urn
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "school"
	}
	return s
}

// ErrSectionChanged: someone else saved the section meanwhile.
func ErrSectionChanged() error {
	return &sen.ConflictError{What: "section", Msg: "Someone else changed this section of the report while you were editing. Nothing has been saved: their version is shown below; check it and try again."}
}

// ErrReportChanged: someone else changed the report's details meanwhile.
func ErrReportChanged() error {
	return &sen.ConflictError{What: "report", Msg: "Someone else changed the report while you were editing. Nothing has been saved: check it below and try again."}
}

// ErrIncomplete: a report is published only when every section is written.
func ErrIncomplete(missing int) sen.FieldErrors {
	return sen.FieldErrors{"publish": "Write every section before you publish the report: " + sen.Count(missing, "section is", "sections are") + " still empty"}
}
