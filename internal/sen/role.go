package sen

// Role is a staff member's role in a school.
type Role string

// The roles of issue 2. Teachers and teaching assistants are further scoped
// to the pupils they teach; governors see aggregate figures only.
const (
	RoleSENCO    Role = "senco"
	RoleDeputy   Role = "deputy_senco"
	RoleHead     Role = "slt"
	RoleTeacher  Role = "teacher"
	RoleTA       Role = "ta"
	RoleOffice   Role = "office"
	RoleGovernor Role = "governor"
)

// Roles in display order.
var Roles = []Role{RoleSENCO, RoleDeputy, RoleHead, RoleTeacher, RoleTA, RoleOffice, RoleGovernor}

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleSENCO:
		return "SENCO"
	case RoleDeputy:
		return "Deputy SENCO"
	case RoleHead:
		return "Headteacher / SLT"
	case RoleTeacher:
		return "Teacher"
	case RoleTA:
		return "Teaching assistant"
	case RoleOffice:
		return "Office / admin"
	case RoleGovernor:
		return "Governor"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Scoped reports whether the role sees only the pupils the person teaches.
func (r Role) Scoped() bool { return r == RoleTeacher || r == RoleTA }

// User is a member of staff who signs in.
type User struct {
	ID       int64
	SchoolID int64
	Email    string
	Name     string
	Role     Role
	Active   bool
}

// Actor is who is acting in a request: the user and where they came from.
type Actor struct {
	User User
	IP   string
}
