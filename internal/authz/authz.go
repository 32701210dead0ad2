// Package authz decides who may do what. Every action and every role's
// grants are in the one literal table below, which a reader can scan;
// nothing adds to it at run time. Teachers and teaching assistants are
// further limited to the pupils they teach, which the store enforces in SQL
// (scope) and this package expresses as Scoped. It imports only the
// standard library and sen.
package authz

import "opensend/internal/sen"

// Action is something a person can ask the server to do.
type Action string

// The foundation: pupils, the register, staff, groups and figures.
const (
	PupilList      Action = "pupil:list"        // see the pupil list (scoped for teachers/TAs)
	PupilRead      Action = "pupil:read"        // open a pupil's record (scoped)
	PupilWrite     Action = "pupil:write"       // create and edit pupils
	PupilImport    Action = "pupil:import"      // import from a MIS CSV export
	RegisterRead   Action = "register:read"     // see SEN status and needs (scoped)
	RegisterWrite  Action = "register:write"    // change SEN status and needs
	RegisterExport Action = "register:export"   // download the register as CSV
	AuditRead      Action = "audit:read"        // read a pupil's audit log
	GroupsManage   Action = "groups:manage"     // teaching groups and who teaches them
	StaffManage    Action = "staff:manage"      // staff accounts and roles
	AggregateRead  Action = "aggregate:read"    // anonymous figures (governors' view)
	Dashboard      Action = "dashboard:read"    // the signed-in home page
	TermDates      Action = "school:term-dates" // the school's holidays, which decide what Section F provision is expected
	OutboxRead     Action = "outbox:read"       // read the e-mails the app composed (the local outbox)
	CalendarFeed   Action = "calendar:feed"     // a personal, secret, revocable iCalendar feed
	SchoolSettings Action = "school:settings"   // the school's type and age range (reg 18 phase transfers follow from them)
)

// The graduated approach (issue 4): concerns, support plans, the
// assessment timeline, passports and the SENCO dashboard.
const (
	ConcernRaise   Action = "concern:raise"   // raise a concern about a pupil one teaches (SENCO: any pupil, or for a parent)
	ConcernTriage  Action = "concern:triage"  // see the triage queue and open a concern
	ConcernDecide  Action = "concern:decide"  // close a concern with a decision
	PlanRead       Action = "plan:read"       // read support plans and passports (scoped)
	PlanWrite      Action = "plan:write"      // write plans, reviews, amendments and passports
	DoLogWrite     Action = "plan:log"        // record work done against an outcome (scoped)
	EvidenceRead   Action = "evidence:read"   // the assessment timeline
	EvidenceWrite  Action = "evidence:write"  // add observations, assessments, views, notes and meetings
	SencoDashboard Action = "senco:dashboard" // the SENCO's at-a-glance dashboard
	MyPupilsRead   Action = "mypupils:read"   // "My pupils with SEN"
)

// EHC plans (issue 5).
const (
	// EHCRead: requests, plans (all sections and the document), reviews,
	// the compliance calendar and phase transfers.
	EHCRead Action = "ehc:read"
	// EHCWrite: record requests, plans, reviews and their events.
	EHCWrite Action = "ehc:write"
	// EHCProvision: open a plan's Section E outcomes and the Section F lines
	// one delivers, and record delivery. Teachers and TAs are scoped in the
	// store to pupils they teach and lines assigned to them.
	EHCProvision Action = "ehc:provision"
	// EHCLetters: see which review invitations are still to post and record
	// that a letter or invitation was sent (office/admin).
	EHCLetters Action = "ehc:letters"
)

// The school's own SEN duties (issue 16): staff training, the SENCO's
// qualification, the SEN policy, the SEN information report (whose
// published page is open to everyone, with no permission), the
// accessibility plan and pupils' reasonable adjustments.
const (
	SchoolSENRead  Action = "schoolsen:read"  // read all of it
	SchoolSENWrite Action = "schoolsen:write" // record and change it
	TrainingOwn    Action = "training:own"    // one's own training record
)

// The provision map (issue 13).
const (
	// ProvisionRead: the library (confidential entries only for leaders and
	// named staff) and the groups one may see (teachers and TAs: the groups
	// they run or whose pupils they teach, scoped in the store).
	ProvisionRead Action = "provision:read"
	// ProvisionWrite: the library, groups and their pupils.
	ProvisionWrite Action = "provision:write"
	// ProvisionDeliver: record the sessions and scores of a group one runs
	// (the store checks the person runs it; SENCO and deputy: any).
	ProvisionDeliver Action = "provision:deliver"
	// ProvisionCosts: see and set staff hourly costs and every cost.
	ProvisionCosts Action = "provision:costs"
)

// Exam access arrangements (issue 15, JCQ).
const (
	// ExamsRead: the access-arrangements register, candidates' pages, Form 8
	// and the invigilators' lists (SENCO and senior leaders).
	ExamsRead Action = "exams:read"
	// ExamsWrite: record arrangements, evidence, series and settings.
	ExamsWrite Action = "exams:write"
	// ExamsStatement: add a normal-way-of-working statement for a candidate
	// one teaches (teachers are scoped in the store).
	ExamsStatement Action = "exams:statement"
)

// The people around the pupil (issue 14): contacts, the contact log, the
// key adult, the agencies directory and referrals.
const (
	// ContactsRead: a pupil's contacts and key adult (scoped: teachers and
	// TAs see names, relationship, preferred contact and restrictions of
	// the pupils they teach, not addresses, phones or e-mails).
	ContactsRead Action = "contacts:read"
	// ContactsWrite: add, edit and import contacts (office included).
	ContactsWrite Action = "contacts:write"
	// ContactLogRead: the contact log of a pupil (scoped).
	ContactLogRead Action = "contactlog:read"
	// ContactLogWrite: add a contact log entry and mark follow-ups done (scoped).
	ContactLogWrite Action = "contactlog:write"
	// KeyAdultWrite: name a pupil's key adult.
	KeyAdultWrite Action = "keyadult:write"
	// ReferralsRead: the agencies directory and referrals.
	ReferralsRead Action = "referrals:read"
	// ReferralsWrite: maintain the directory and make and move referrals.
	ReferralsWrite Action = "referrals:write"
)

// Records management (issue 17).
const (
	// RecordsDispose: the retention rules, the disposal list, confirming a
	// disposal, the certificates, and legal holds (the SENCO, deputy and
	// headteacher: OpenSEND has no data protection lead role).
	RecordsDispose Action = "records:dispose"
	// RecordsRules: change the school's retention rules (the SENCO).
	RecordsRules Action = "records:rules"
)

// Transitions (issue 15): leavers and the common transfer file.
const (
	LeaverRecord Action = "leaver:record" // record a pupil's leaving, undo it, record the CTF as sent
	LeaversRead  Action = "leaver:read"   // the Leavers list and a leaving (no SEN detail)
	CTFExport    Action = "ctf:export"    // download a CTF of leavers or a chosen pupil
	CTFImport    Action = "ctf:import"    // import a CTF from the previous school (SEN history)
)

// Role shorthands for the table.
const (
	senco    = sen.RoleSENCO
	deputy   = sen.RoleDeputy
	head     = sen.RoleHead
	teacher  = sen.RoleTeacher
	ta       = sen.RoleTA
	office   = sen.RoleOffice
	governor = sen.RoleGovernor
)

// Permissions is the whole policy: each action and the roles granted it.
// The SENCO and deputy do everything; SLT read everything and see the audit
// trail but do not change SEN records; teachers and TAs see only the pupils
// they teach (Scoped); office keeps the roll, the groups and the term dates
// but sees no SEN detail; governors see anonymous figures only.
var Permissions = []struct {
	Action Action
	Roles  []sen.Role
}{
	{PupilList, []sen.Role{senco, deputy, head, teacher, ta, office}},
	{PupilRead, []sen.Role{senco, deputy, head, teacher, ta, office}},
	{PupilWrite, []sen.Role{senco, deputy, office}},
	{PupilImport, []sen.Role{senco, deputy, office}},
	{RegisterRead, []sen.Role{senco, deputy, head, teacher, ta}},
	{RegisterWrite, []sen.Role{senco, deputy}},
	{RegisterExport, []sen.Role{senco, deputy, head}},
	{AuditRead, []sen.Role{senco, deputy, head}},
	{GroupsManage, []sen.Role{senco, deputy, office}},
	{StaffManage, []sen.Role{senco, deputy}},
	{AggregateRead, []sen.Role{senco, deputy, head, governor}},
	{Dashboard, []sen.Role{senco, deputy, head, teacher, ta, office, governor}},
	{TermDates, []sen.Role{senco, deputy, head, office}},
	{OutboxRead, []sen.Role{senco, deputy}},
	{CalendarFeed, []sen.Role{senco, deputy, head}},
	{SchoolSettings, []sen.Role{senco, deputy, office}},

	{ConcernRaise, []sen.Role{senco, deputy, head, teacher, ta}},
	{ConcernTriage, []sen.Role{senco, deputy, head}},
	{ConcernDecide, []sen.Role{senco, deputy}},
	{PlanRead, []sen.Role{senco, deputy, head, teacher, ta}},
	{PlanWrite, []sen.Role{senco, deputy}},
	{DoLogWrite, []sen.Role{senco, deputy, teacher, ta}},
	{EvidenceRead, []sen.Role{senco, deputy, head}},
	{EvidenceWrite, []sen.Role{senco, deputy}},
	{SencoDashboard, []sen.Role{senco, deputy, head}},
	{MyPupilsRead, []sen.Role{senco, deputy, head, teacher, ta}},

	{EHCRead, []sen.Role{senco, deputy, head}},
	{EHCWrite, []sen.Role{senco, deputy}},
	{EHCProvision, []sen.Role{senco, deputy, head, teacher, ta}},
	{EHCLetters, []sen.Role{senco, deputy, office}},

	{SchoolSENRead, []sen.Role{senco, deputy, head}},
	{SchoolSENWrite, []sen.Role{senco, deputy}},
	{TrainingOwn, []sen.Role{senco, deputy, head, teacher, ta}},
	{ProvisionRead, []sen.Role{senco, deputy, head, teacher, ta}},
	{ProvisionWrite, []sen.Role{senco, deputy}},
	{ProvisionDeliver, []sen.Role{senco, deputy, teacher, ta}},
	{ProvisionCosts, []sen.Role{senco, deputy, head}},
	{ExamsRead, []sen.Role{senco, deputy, head}},
	{ExamsWrite, []sen.Role{senco, deputy}},
	{ExamsStatement, []sen.Role{senco, deputy, teacher}},
	{ContactsRead, []sen.Role{senco, deputy, head, teacher, ta, office}},
	{ContactsWrite, []sen.Role{senco, deputy, office}},
	{ContactLogRead, []sen.Role{senco, deputy, head, teacher, ta}},
	{ContactLogWrite, []sen.Role{senco, deputy, teacher, ta}},
	{KeyAdultWrite, []sen.Role{senco, deputy}},
	{ReferralsRead, []sen.Role{senco, deputy, head}},
	{ReferralsWrite, []sen.Role{senco, deputy}},
	{RecordsDispose, []sen.Role{senco, deputy, head}},
	{RecordsRules, []sen.Role{senco}},
	{LeaverRecord, []sen.Role{senco, deputy, office}},
	{LeaversRead, []sen.Role{senco, deputy, head, office}},
	{CTFExport, []sen.Role{senco, deputy, office}},
	{CTFImport, []sen.Role{senco, deputy}},
}

// grants indexes Permissions by role and action.
var grants = func() map[sen.Role]map[Action]bool {
	m := map[sen.Role]map[Action]bool{}
	for _, p := range Permissions {
		for _, r := range p.Roles {
			if m[r] == nil {
				m[r] = map[Action]bool{}
			}
			m[r][p.Action] = true
		}
	}
	return m
}()

// Can reports whether role may perform action at all (before any
// relationship scope is applied).
func Can(role sen.Role, a Action) bool { return grants[role][a] }

// Scoped reports whether role's access to pupils is limited to the pupils
// the person teaches.
func Scoped(role sen.Role) bool { return role.Scoped() }
