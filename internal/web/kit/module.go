package kit

import (
	"context"
	"net/http"
	"sort"
	"time"

	"opensend/internal/authz"
	"opensend/internal/sen"
)

// Module is one capability's part of the web server. The server holds one
// explicit list of modules and builds its routes, navigation, pupil-page
// sections, home-page widgets, flashes and evidence sources from it, each
// in the order the entries declare.
type Module struct {
	Name     string
	Routes   []Route
	Nav      []NavItem
	Sections func(c *Ctx, p sen.Pupil) []Section
	Widgets  func(r *http.Request, c *Ctx) ([]Widget, error)
	Flashes  map[string]string
	Evidence []EvidenceSource
}

// Route is one line of a module's route table.
type Route struct {
	Pattern string       // method and path, as http.ServeMux reads it
	Action  authz.Action // the permission it needs; "" = open (sign-in, feed by secret token)
	Handler HandlerFunc
	// Allow is the hand-written expected access: the roles that must reach
	// the handler. The route × role matrix test checks it against the
	// server, so a wrong grant or a wrong action on a route fails; it is
	// never derived from authz. Open routes list every role.
	Allow []sen.Role
	// ID names the kind of record the path's {id} is (see the ID kinds
	// below), so the matrix test can probe the route with a real record.
	ID string
}

// Kinds of record a route's {id} can name, for the matrix test's probes
// (which make a fresh record of the kind for every request).
const (
	IDPupil           = "pupil"
	IDCycle           = "cycle"          // a draft support-plan cycle
	IDPlanItem        = "cycle-item"     // a draft cycle, with an outcome to remove (form values kind, item, version; {item} "outcome-N")
	IDStrategy        = "strategy"       // a strategy of the school's own bank
	IDActiveCycle     = "active-cycle"   // an active cycle with an outcome, ready for review or amendment
	IDReviewed        = "reviewed-cycle" // a cycle whose review is recorded
	IDPassport        = "passport"       // a pupil with a passport
	IDConcern         = "concern"
	IDAttachment      = "attachment" // {att} of a concern attachment, with {id} the concern
	IDStaff           = "staff"
	IDGroup           = "group"
	IDTermDate        = "term-date"
	IDMail            = "mail"
	IDFeedToken       = "feed-token"
	IDEHCRequest      = "ehc-request"
	IDEHCPlan         = "ehc-plan"          // an active plan for a 7A pupil, with a Section F line the teacher delivers
	IDEHCPlanItem     = "ehc-plan-item"     // a plan with a Section B need to remove (form values kind, item, version)
	IDEHCPlanDocument = "ehc-plan-document" // a plan with its document uploaded
	IDEHCPupil        = "ehc-pupil"         // a pupil with an EHC plan
	IDEHCReview       = "ehc-review"
	IDEHCInvitee      = "ehc-invitee"

	IDTrainingSession = "training-session"
	IDStaffSkill      = "staff-skill"
	IDSencoPost       = "senco-post"
	IDPolicyFile      = "policy-file"
	IDReportItem      = "report-item"   // {item}: a Schedule 1 item of the SEN information report ("1" … "13")
	IDPublicReport    = "public-report" // {school}: the slug of a school's published SEN information report
	IDAccessAction    = "access-action"
	IDAdjustment      = "adjustment"
	IDProvision       = "provision"        // an entry of the school's provision library
	IDProvisionRun    = "provision-run"    // a group of a provision, run by the TA and teacher, with a 7A pupil in it
	IDProvisionMember = "provision-member" // {member} of a group's pupil, with {id} the group
	IDProvisionRate   = "provision-rate"   // a staff hourly cost
	IDExamArrangement = "exam-arrangement" // an arrangement of an exam candidate in 7A (form value version)
	IDExamSeries      = "exam-series"      // an exam series (form value version)
	IDExamSitting     = "exam-sitting"     // an exam paper in a room of a series
	IDContact         = "contact"          // a contact of a pupil in 7A
	IDContactLog      = "contact-log"      // a contact log entry with a follow-up, for a pupil in 7A
	IDAgency          = "agency"
	IDReferral        = "referral"             // a drafted referral with consent recorded, for a pupil in 7A
	IDEHCReviewReport = "ehc-review-report"    // a report uploaded to a review
	IDCertificate     = "disposal-certificate" // a disposal certificate (a pupil's SEN file disposed of)
	IDLegalHold       = "legal-hold"           // an active legal hold on a new pupil's records
	IDLeaver          = "leaver"               // a pupil who has left (form value version: the leaving's)
)

// NavItem is a service navigation link. Group names the heading it sits
// under (one of NavGroups' keys); Order places it among every module's
// items (lower first) within its group.
type NavItem struct {
	Href, Label string
	Action      authz.Action
	Group       string
	Order       int
	Active      bool
}

// The navigation's groups, so a SENCO's many pages read as a few headings.
const (
	NavToday    = "today"
	NavPupils   = "pupils"
	NavSupport  = "support"
	NavEHC      = "ehc"
	NavSettings = "settings"
)

// NavGroup is one heading of the navigation.
type NavGroup struct {
	Key, Label string
}

// NavGroups are the navigation's headings in the order they are shown.
var NavGroups = []NavGroup{
	{NavToday, "Today"},
	{NavPupils, "Pupils and register"},
	{NavSupport, "Support"},
	{NavEHC, "EHC"},
	{NavSettings, "School settings"},
}

// navGroupRank is a group's place in NavGroups (an unknown group last).
func navGroupRank(key string) int {
	for i, g := range NavGroups {
		if g.Key == key {
			return i
		}
	}
	return len(NavGroups)
}

// SortNav puts items in the order they are shown: by group, then by Order.
// The server sorts its items once, when it starts.
func SortNav(items []NavItem) {
	sort.SliceStable(items, func(i, j int) bool {
		gi, gj := navGroupRank(items[i].Group), navGroupRank(items[j].Group)
		if gi != gj {
			return gi < gj
		}
		return items[i].Order < items[j].Order
	})
}

// NavSection is one group of a person's navigation as the layout shows it:
// the group's link (to its first page) in the service navigation and, for
// the group of the current page, its pages beneath. A group with one page
// is shown as that page, with no pages beneath.
type NavSection struct {
	Group  string
	Label  string
	Href   string
	Active bool
	Items  []NavItem
}

// GroupNav groups a person's navigation items, already in SortNav's order
// and filtered by role.
func GroupNav(items []NavItem) []NavSection {
	var out []NavSection
	for _, it := range items {
		if n := len(out); n == 0 || out[n-1].Group != it.Group {
			out = append(out, NavSection{Group: it.Group, Label: navGroupLabel(it.Group), Href: it.Href})
		}
		sec := &out[len(out)-1]
		sec.Items = append(sec.Items, it)
		sec.Active = sec.Active || it.Active
	}
	for i := range out {
		if len(out[i].Items) == 1 {
			out[i].Label = out[i].Items[0].Label
			out[i].Items = nil
		}
	}
	return out
}

func navGroupLabel(key string) string {
	for _, g := range NavGroups {
		if g.Key == key {
			return g.Label
		}
	}
	return key
}

// Section is a link a module adds to a pupil's page, in Order.
type Section struct {
	Order       int
	Href, Label string
}

// Widget is a home-page panel contributed by a module, in Order.
type Widget struct {
	Order int
	Title string
	Items []WidgetItem
}

// WidgetItem is one line of a home-page panel.
type WidgetItem struct {
	Label, Href string
	Count       int
	Text        string // shown instead of Count when set, e.g. "fewer than 5"
	Unit        string // shown after the count, e.g. "minutes short"
	Warn        bool
}

// EvidenceItem is one record a module offers for an EHC evidence pack.
type EvidenceItem struct {
	Key   string // form value, unique across sources
	Kind  string // heading it is grouped under
	Date  time.Time
	Title string
	Rows  [][2]string
	Paras []string
}

// EvidenceSource lists what a module holds about a pupil that the reader
// may see and send with an EHC request.
type EvidenceSource func(ctx context.Context, c *Ctx, pupilID int64) ([]EvidenceItem, error)
