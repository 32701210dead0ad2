package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/records"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The demo's disposal list: two former pupils' SEN files past retention,
// one of them with a concern, and a third kept by a legal hold.
func TestDemoRecords(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	l, err := st.Disposal(ctx, senco)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]records.Status{}
	for _, it := range l.Due {
		status[it.Pupil.Surname] = it.Status
		if it.Pupil.Surname == "Ashworth" && it.Concerns != 1 {
			t.Errorf("Ashworth's file holds %d concerns", it.Concerns)
		}
	}
	if len(l.Due) != 3 || status["Whitfield"] != records.StatusDue || status["Ashworth"] != records.StatusDue || status["Prescott"] != records.StatusHeld {
		t.Errorf("disposal list %v", status)
	}
	if len(l.Holds) != 1 || l.Holds[0].Pupil.Surname != "Prescott" || l.Holds[0].Due.Format("2006-01-02") != "2023-03-01" {
		t.Errorf("holds %+v", l.Holds)
	}
}
