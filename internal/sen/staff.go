package sen

import "strings"

// Limits on a staff account's details.
const (
	MaxStaffName = 120
	MaxEmail     = 254
)

// StaffDetails is what the SENCO enters about a member of staff. Name and
// Email are checked as given: trim them first.
type StaffDetails struct {
	Name  string
	Email string
	Role  Role
}

// Validate checks the details of a new account: the name, the address
// they sign in with and the role.
func (d StaffDetails) Validate() FieldErrors {
	fe := d.ValidateEdit()
	if at := strings.Index(d.Email, "@"); at < 1 || at == len(d.Email)-1 || strings.ContainsAny(d.Email, " ,;<>") || len(d.Email) > MaxEmail {
		fe.Add("email", "Enter an email address in the correct format, like name@school.example")
	}
	fe.Line("email", d.Email)
	return fe
}

// ValidateEdit checks the details of an existing account, whose address
// cannot be changed: the same rules for the name and role as Validate.
func (d StaffDetails) ValidateEdit() FieldErrors {
	fe := FieldErrors{}
	if d.Name == "" {
		fe.Add("name", "Enter the person's full name")
	} else if len(d.Name) > MaxStaffName {
		fe.Add("name", "Name must be 120 characters or fewer")
	}
	fe.Name("name", d.Name)
	if !d.Role.Valid() {
		fe.Add("role", "Select the person's role")
	}
	return fe
}
