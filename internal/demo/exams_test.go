package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// A secondary demo school has Year 11 exam candidates with arrangements,
// reminders and an exam to print the invigilators' list for; a primary one
// has none.
func TestDemoExams(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 7, Pupils: 100, SENShare: 0.4, Secondary: true})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	reg, err := st.ExamRegister(ctx, senco, store.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Rows) < 3 || !reg.HasNext || len(reg.Reminders) == 0 {
		t.Fatalf("register: %d candidates, next %v, %d reminders", len(reg.Rows), reg.HasNext, len(reg.Reminders))
	}
	_, sits, err := st.ExamSeriesByID(ctx, senco, reg.Next.ID)
	if err != nil || len(sits) == 0 {
		t.Fatalf("sittings: %v", err)
	}
	_, _, rows, err := st.InvigilatorList(ctx, senco, sits[0].ID, "test")
	if err != nil || len(rows) == 0 {
		t.Fatalf("invigilators: %d %v", len(rows), err)
	}

	primary := storetest.Open(t, store.SQLite)
	pres, err := demo.Seed(ctx, primary, demo.Options{Seed: 7, Pupils: 60})
	if err != nil {
		t.Fatal(err)
	}
	if reg, err := primary.ExamRegister(ctx, sen.Actor{User: pres.Users[sen.RoleSENCO][0]}, store.ExamFilter{}); err != nil || len(reg.Rows) != 0 {
		t.Fatalf("primary demo: %d candidates %v", len(reg.Rows), err)
	}
}
