package authz

import "opensend/internal/sen"

// TermDates: read and change the school's holidays, which decide what
// Section F provision is expected (school days only).
const TermDates Action = "school:term-dates"

func init() {
	Grant(TermDates, sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleOffice)
}
