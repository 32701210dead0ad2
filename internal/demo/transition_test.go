package demo_test

import (
	"context"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The demo school has three leavers from last summer with CTFs sent and one
// recent leaver whose CTF duty is open, none of them on roll.
func TestDemoLeavers(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	senco := sen.Actor{User: res.Users[sen.RoleSENCO][0]}
	leavers, err := st.Leavers(ctx, senco)
	// Four from the transitions seed and the three former pupils of the
	// records seed, who left long ago (their files past retention).
	if err != nil || len(leavers) != 7 {
		t.Fatalf("leavers %d %v", len(leavers), err)
	}
	sent := 0
	for _, l := range leavers {
		if l.CTFSent() {
			sent++
			if l.CTFSentOn.After(l.CTFDue) {
				t.Errorf("%s's CTF sent late", l.PupilName)
			}
		}
	}
	if sent != 6 {
		t.Errorf("%d CTFs sent, want 6", sent)
	}
	dates, err := st.StatutoryDates(ctx, senco, "test")
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, e := range dates {
		if e.Kind == ehc.KindCTF {
			open++
		}
	}
	if open != 1 {
		t.Errorf("%d CTF duties open, want 1", open)
	}
	list, total, err := st.ListPupils(ctx, senco, store.PupilFilter{})
	if err != nil || total != len(res.Pupils) {
		t.Errorf("on roll %d, want %d (%v)", total, len(res.Pupils), err)
	}
	for _, p := range list {
		if p.Left() {
			t.Errorf("%s is on the roll", p.FullName())
		}
	}
}
