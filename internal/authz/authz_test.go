package authz

import (
	"testing"

	"opensend/internal/sen"
)

func TestGovernorsNeverSeeNamedPupils(t *testing.T) {
	for _, a := range []Action{PupilList, PupilRead, RegisterRead, RegisterExport, AuditRead} {
		if Can(sen.RoleGovernor, a) {
			t.Errorf("governor may %s", a)
		}
	}
	if !Can(sen.RoleGovernor, AggregateRead) {
		t.Error("governor cannot read aggregates")
	}
}

func TestOfficeSeesNoSENDetail(t *testing.T) {
	for _, a := range []Action{RegisterRead, RegisterWrite, RegisterExport, AuditRead} {
		if Can(sen.RoleOffice, a) {
			t.Errorf("office may %s", a)
		}
	}
}

func TestOnlySENCOWritesRegister(t *testing.T) {
	for _, r := range sen.Roles {
		want := r == sen.RoleSENCO || r == sen.RoleDeputy
		if Can(r, RegisterWrite) != want {
			t.Errorf("%s RegisterWrite = %v", r, !want)
		}
	}
	if !Scoped(sen.RoleTeacher) || !Scoped(sen.RoleTA) || Scoped(sen.RoleHead) {
		t.Error("scope wrong")
	}
}

// TestEachActionOnce: the table names each action once, so a reader
// scanning it sees the whole grant in one line.
func TestEachActionOnce(t *testing.T) {
	seen := map[Action]bool{}
	for _, p := range Permissions {
		if seen[p.Action] {
			t.Errorf("%s appears twice in Permissions", p.Action)
		}
		seen[p.Action] = true
	}
}
