package storetest

import (
	"context"
	"testing"
	"time"

	"opensend/internal/sen"
	"opensend/internal/store"
)

// Fixture is a small school with one user per role and two classes:
// 7A (taught by the teacher and TA) and 7B (taught by nobody in Users).
type Fixture struct {
	SchoolID  int64
	Users     map[sen.Role]sen.User
	Other     sen.User // a SENCO at another school
	InClass   sen.Pupil
	NotTaught sen.Pupil
}

// Actor returns an actor for role.
func (f *Fixture) Actor(role sen.Role) sen.Actor {
	return sen.Actor{User: f.Users[role], IP: "127.0.0.1"}
}

// Seed builds the fixture; every user's password hash is passwordHash.
func Seed(t testing.TB, s *store.Store, passwordHash string) *Fixture {
	t.Helper()
	ctx := context.Background()
	f := &Fixture{Users: map[sen.Role]sen.User{}}
	var err error
	f.SchoolID, err = s.CreateSchool(ctx, store.School{Name: "Test Academy", URN: "100001", LACode: "201", Estab: "4001", Phase: "secondary"})
	if err != nil {
		t.Fatal(err)
	}
	sys := sen.Actor{User: sen.User{Name: "system", SchoolID: f.SchoolID}}
	for _, r := range sen.Roles {
		u := sen.User{SchoolID: f.SchoolID, Email: string(r) + "@test.example", Name: "Test " + r.Label(), Role: r, Active: true}
		u.ID, err = s.CreateUser(ctx, sys, store.NewUser{SchoolID: f.SchoolID, Email: u.Email, Name: u.Name, Role: r, PasswordHash: passwordHash})
		if err != nil {
			t.Fatal(err)
		}
		f.Users[r] = u
	}
	other, err := s.CreateSchool(ctx, store.School{Name: "Other School"})
	if err != nil {
		t.Fatal(err)
	}
	f.Other = sen.User{SchoolID: other, Email: "senco@other.example", Name: "Other SENCO", Role: sen.RoleSENCO, Active: true}
	f.Other.ID, err = s.CreateUser(ctx, sys, store.NewUser{SchoolID: other, Email: f.Other.Email, Name: f.Other.Name, Role: sen.RoleSENCO, PasswordHash: passwordHash})
	if err != nil {
		t.Fatal(err)
	}
	senco := f.Actor(sen.RoleSENCO)
	f.InClass = sen.Pupil{UPN: "R201100018042", Forename: "Amara", Surname: "Okafor", DOB: date(2014, 5, 1), Sex: "F", YearGroup: "7", ClassName: "7A"}
	f.NotTaught = sen.Pupil{UPN: "B801200005001", Forename: "Ben", Surname: "Carter", DOB: date(2014, 3, 2), Sex: "M", YearGroup: "7", ClassName: "7B"}
	for _, p := range []*sen.Pupil{&f.InClass, &f.NotTaught} {
		if err := s.CreatePupil(ctx, senco, p); err != nil {
			t.Fatal(err)
		}
	}
	g, err := s.GroupByName(ctx, senco, "7A")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []sen.Role{sen.RoleTeacher, sen.RoleTA} {
		if err := s.SetGroupStaff(ctx, senco, g.ID, f.Users[r].ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
