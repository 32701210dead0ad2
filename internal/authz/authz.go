// Package authz decides who may do what. Permissions are declared per role
// in one table; teachers and teaching assistants are further limited to the
// pupils they teach, which the store enforces in SQL (scope) and this
// package expresses as Scoped. It imports only the standard library and sen.
package authz

import "opensend/internal/sen"

// Action is something a person can ask the server to do.
type Action string

// Actions of the foundation. Later capabilities add their own.
const (
	PupilList      Action = "pupil:list"      // see the pupil list (scoped for teachers/TAs)
	PupilRead      Action = "pupil:read"      // open a pupil's record (scoped)
	PupilWrite     Action = "pupil:write"     // create and edit pupils
	PupilImport    Action = "pupil:import"    // import from a MIS CSV export
	RegisterRead   Action = "register:read"   // see SEN status and needs (scoped)
	RegisterWrite  Action = "register:write"  // change SEN status and needs
	RegisterExport Action = "register:export" // download the register as CSV
	AuditRead      Action = "audit:read"      // read a pupil's audit log
	GroupsManage   Action = "groups:manage"   // teaching groups and who teaches them
	StaffManage    Action = "staff:manage"    // staff accounts and roles
	AggregateRead  Action = "aggregate:read"  // anonymous figures (governors' view)
	Dashboard      Action = "dashboard:read"  // the signed-in home page
)

// All lists every action, for the route × role matrix test.
var All = []Action{PupilList, PupilRead, PupilWrite, PupilImport, RegisterRead, RegisterWrite,
	RegisterExport, AuditRead, GroupsManage, StaffManage, AggregateRead, Dashboard}

var grants = map[sen.Role][]Action{
	sen.RoleSENCO:  All,
	sen.RoleDeputy: All,
	// SLT read everything and see the audit trail; they do not change the register.
	sen.RoleHead: {PupilList, PupilRead, RegisterRead, RegisterExport, AuditRead, AggregateRead, Dashboard},
	// Teachers and TAs see only pupils they teach (Scoped).
	sen.RoleTeacher: {PupilList, PupilRead, RegisterRead, Dashboard},
	sen.RoleTA:      {PupilList, PupilRead, RegisterRead, Dashboard},
	// Office keeps the roll (MIS data) and the teaching groups but sees no SEN detail.
	sen.RoleOffice: {PupilList, PupilRead, PupilWrite, PupilImport, GroupsManage, Dashboard},
	// Governors see aggregate figures only, never a named pupil.
	sen.RoleGovernor: {AggregateRead, Dashboard},
}

// Grant gives roles an action. Later capabilities declare their actions and
// grants in their own file of this package, from init, so the whole policy
// stays in one package and one matrix test covers it.
func Grant(a Action, roles ...sen.Role) {
	All = append(All, a)
	for _, r := range roles {
		grants[r] = append(grants[r], a)
	}
}

// Can reports whether role may perform action at all (before any
// relationship scope is applied).
func Can(role sen.Role, a Action) bool {
	for _, x := range grants[role] {
		if x == a {
			return true
		}
	}
	return false
}

// Scoped reports whether role's access to pupils is limited to the pupils
// the person teaches.
func Scoped(role sen.Role) bool { return role.Scoped() }
