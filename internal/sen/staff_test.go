package sen

import (
	"strings"
	"testing"
)

// A new account and an edited one have the same rules for the name and role.
func TestStaffDetailsValidate(t *testing.T) {
	ok := StaffDetails{Name: "Nia Hale", Email: "nia@school.example", Role: RoleTeacher}
	if fe := ok.Validate(); len(fe) != 0 {
		t.Fatalf("valid details: %v", fe)
	}
	for _, tc := range []struct {
		d     StaffDetails
		field string
	}{
		{StaffDetails{Name: "", Email: ok.Email, Role: RoleTA}, "name"},
		{StaffDetails{Name: strings.Repeat("a", MaxStaffName+1), Email: ok.Email, Role: RoleTA}, "name"},
		{StaffDetails{Name: "Eve \u202eliM", Email: ok.Email, Role: RoleTA}, "name"},
		{StaffDetails{Name: "Eve\x07", Email: ok.Email, Role: RoleTA}, "name"},
		{StaffDetails{Name: "Eve", Email: ok.Email, Role: "wizard"}, "role"},
	} {
		for name, fe := range map[string]FieldErrors{"new": tc.d.Validate(), "edit": tc.d.ValidateEdit()} {
			if _, bad := fe[tc.field]; !bad {
				t.Errorf("%s %+v: no error on %s (%v)", name, tc.d, tc.field, fe)
			}
		}
	}
	if fe := (StaffDetails{Name: strings.Repeat("a", MaxStaffName), Role: RoleTA}).ValidateEdit(); len(fe) != 0 {
		t.Errorf("120 characters refused: %v", fe)
	}
	for _, e := range []string{"", "@x", "x@", "a b@c", "a@b\x00", strings.Repeat("a", MaxEmail) + "@b"} {
		if _, bad := (StaffDetails{Name: "Eve", Email: e, Role: RoleTA}).Validate()["email"]; !bad {
			t.Errorf("email %q accepted", e)
		}
	}
}
