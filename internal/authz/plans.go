package authz

import "opensend/internal/sen"

// Actions of the graduated approach (issue 4): concerns, support plans,
// the assessment timeline, passports and the SENCO dashboard. Teachers and
// TAs are further limited by the store to the pupils they teach.
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

func init() {
	all := []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	// The SENCO (and deputy) do everything; SLT read everything; teachers
	// and TAs read plans and passports and write do-log entries and
	// concerns; office sees no plan content; governors only counts
	// (AggregateRead, already granted).
	Grant(ConcernRaise, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA)
	Grant(ConcernTriage, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead)
	Grant(ConcernDecide, all...)
	Grant(PlanRead, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA)
	Grant(PlanWrite, all...)
	Grant(DoLogWrite, sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher, sen.RoleTA)
	Grant(EvidenceRead, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead)
	Grant(EvidenceWrite, all...)
	Grant(SencoDashboard, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead)
	Grant(MyPupilsRead, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA)
}
