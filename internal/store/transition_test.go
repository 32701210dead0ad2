package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/transition"
)

func isLeftError(err error) bool {
	var ce *sen.ConflictError
	return errors.As(err, &ce) && strings.Contains(ce.Msg, "has left the school")
}

// onList reports whether the pupil is in the actor's pupil list.
func onList(t *testing.T, s *store.Store, a sen.Actor, id int64) bool {
	t.Helper()
	list, _, err := s.ListPupils(context.Background(), a, store.PupilFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return true
		}
	}
	return false
}

func ctfDuty(t *testing.T, s *store.Store, a sen.Actor, pupilID int64) *ehc.CalendarEntry {
	t.Helper()
	dates, err := s.StatutoryDates(context.Background(), a, "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dates {
		if e.Kind == ehc.KindCTF && e.PupilID == pupilID {
			return &e
		}
	}
	return nil
}

func TestLeavers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, s, "x")
		senco, office, teacher, head := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleOffice), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleHead)
		withNeed(t, s, f, f.InClass)
		if err := s.AddHoliday(ctx, senco, &sen.Holiday{Label: "Training day", Starts: d(2026, 12, 7), Ends: d(2026, 12, 7)}); err != nil {
			t.Fatal(err)
		}
		p, err := s.Pupil(ctx, senco, f.InClass.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		// A bad leaving is a field error and writes nothing.
		bad := transition.Leaving{LeftOn: d(2026, 11, 27)}
		var fe sen.FieldErrors
		if err := s.RecordLeaving(ctx, office, p.ID, p.Version, &bad); !errors.As(err, &fe) || fe["reason"] == "" {
			t.Fatalf("bad leaving: %v", err)
		}
		// A stale version is a conflict.
		l := transition.Leaving{LeftOn: d(2026, 11, 27), Reason: "transfer", DestName: "Riverside Academy", DestURN: "123456", DestLAESTAB: "201/4002"}
		if err := s.RecordLeaving(ctx, office, p.ID, p.Version-1, &l); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale: %v", err)
		}
		// The office records the leaving.
		if err := s.RecordLeaving(ctx, office, p.ID, p.Version, &l); err != nil {
			t.Fatal(err)
		}
		// 15 school days after Friday 27 November, the training day on 7 December not counted.
		if !l.CTFDue.Equal(d(2026, 12, 21)) {
			t.Errorf("CTF due %s, want 21 December 2026", l.CTFDue.Format("2006-01-02"))
		}
		if err := s.RecordLeaving(ctx, office, p.ID, p.Version+1, &l); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("second leaving: %v", err)
		}
		// Off roll: in no working list, for anyone.
		for _, a := range []sen.Actor{senco, office, teacher, head} {
			if onList(t, s, a, p.ID) {
				t.Errorf("%s still lists the leaver", a.User.Role)
			}
		}
		classes, _ := s.Classes(ctx, senco)
		for _, c := range classes {
			if c == "7A" && f.NotTaught.ClassName != "7A" {
				t.Errorf("7A has no pupils on roll but is still a class: %v", classes)
			}
		}
		fig, err := s.Aggregates(ctx, f.SchoolID)
		if err != nil || fig.OnRoll != 1 {
			t.Errorf("figures on roll %d (%v), want 1", fig.OnRoll, err)
		}
		// Kept and findable by direct link for the SENCO and SLT; not for a teacher or the office.
		if got, err := s.Pupil(ctx, senco, p.ID, "test"); err != nil || !got.Left() || len(got.Needs) != 1 {
			t.Errorf("SENCO opens leaver: %+v %v", got, err)
		}
		if _, err := s.Pupil(ctx, head, p.ID, "test"); err != nil {
			t.Errorf("SLT opens leaver: %v", err)
		}
		for _, a := range []sen.Actor{teacher, office} {
			if _, err := s.Pupil(ctx, a, p.ID, "test"); !errors.Is(err, sen.ErrNotFound) {
				t.Errorf("%s opens leaver: %v", a.User.Role, err)
			}
		}
		// Read-only: writes refused as a domain error, whatever records they touch.
		cur, _ := s.Pupil(ctx, senco, p.ID, "test")
		edit := cur
		edit.Forename = "Changed"
		if err := s.UpdatePupil(ctx, senco, &edit); !isLeftError(err) {
			t.Errorf("edit leaver: %v", err)
		}
		if err := s.RecordStatus(ctx, senco, p.ID, cur.Version, sen.StatusChange{Status: sen.StatusNone, StartDate: d(2026, 12, 1), DecidedBy: "SENCO"}, nil); !isLeftError(err) {
			t.Errorf("status of leaver: %v", err)
		}
		if _, err := s.CreateCycle(ctx, senco, p.ID, d(2026, 12, 1), d(2027, 2, 1)); !isLeftError(err) {
			t.Errorf("plan for leaver: %v", err)
		}
		if got, _ := s.Pupil(ctx, senco, p.ID, "test"); got.Forename != "Amara" || got.Status != sen.StatusSupport {
			t.Errorf("leaver changed: %+v", got)
		}
		// The Leavers list and the CTF duty (open until sent).
		leavers, err := s.Leavers(ctx, office)
		if err != nil || len(leavers) != 1 || leavers[0].DestLAESTAB != "2014002" || leavers[0].RecordedBy != "Test Office / admin" {
			t.Fatalf("leavers %+v %v", leavers, err)
		}
		if got, _ := s.Leavers(ctx, teacher); len(got) != 0 {
			t.Errorf("teacher sees leavers: %+v", got)
		}
		duty := ctfDuty(t, s, senco, p.ID)
		if duty == nil || !duty.Due.Equal(d(2026, 12, 21)) || duty.Href != fmt.Sprintf("/leavers/%d", p.ID) {
			t.Fatalf("CTF duty %+v", duty)
		}
		if ctfDuty(t, s, teacher, p.ID) != nil {
			t.Error("a teacher's calendar has the leaver's CTF")
		}
		open, _ := s.CTFDutiesOpen(ctx, office)
		if len(open) != 1 {
			t.Errorf("open CTF duties %d", len(open))
		}
		lv, err := s.Leaving(ctx, office, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordCTFSent(ctx, office, p.ID, lv.Version, d(2026, 12, 3)); !errors.As(err, &fe) || fe["sentOn"] == "" {
			t.Errorf("future sent date: %v", err)
		}
		if err := s.RecordCTFSent(ctx, office, p.ID, lv.Version, d(2026, 12, 1)); err != nil {
			t.Fatal(err)
		}
		if ctfDuty(t, s, senco, p.ID) != nil {
			t.Error("the CTF duty is still open once sent")
		}
		if err := s.RecordCTFSent(ctx, office, p.ID, lv.Version, d(2026, 12, 1)); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale leaving version: %v", err)
		}
		// Undo (a mistake): back on roll and writable; the leaving kept, marked undone.
		lv, _ = s.Leaving(ctx, senco, p.ID)
		if err := s.UndoLeaving(ctx, senco, p.ID, lv.Version, ""); !errors.As(err, &fe) || fe["undoReason"] == "" {
			t.Errorf("undo without reason: %v", err)
		}
		if err := s.UndoLeaving(ctx, senco, p.ID, lv.Version, "Recorded for the wrong pupil"); err != nil {
			t.Fatal(err)
		}
		if !onList(t, s, teacher, p.ID) {
			t.Error("undone leaver not back in the teacher's list")
		}
		hist, err := s.LeavingHistory(ctx, senco, p.ID)
		if err != nil || len(hist) != 1 || hist[0].Active() || hist[0].UndoReason != "Recorded for the wrong pupil" {
			t.Errorf("history %+v %v", hist, err)
		}
		if _, err := s.Leaving(ctx, senco, p.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("leaving after undo: %v", err)
		}
		cur, _ = s.Pupil(ctx, senco, p.ID, "test")
		edit = cur
		edit.ClassName = "7B"
		if err := s.UpdatePupil(ctx, senco, &edit); err != nil {
			t.Errorf("edit after undo: %v", err)
		}
		// Another school's SENCO cannot record a leaving of this pupil.
		if err := s.RecordLeaving(ctx, sen.Actor{User: f.Other}, p.ID, edit.Version, &transition.Leaving{LeftOn: d(2026, 11, 27), Reason: "transfer"}); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("other school: %v", err)
		}
	})
}

// TestCTFRoundTrip exports a pupil's CTF from one school and imports it into
// a second: the SEN history and needs arrive exactly; a second import
// changes nothing; a refused file writes nothing.
func TestCTFRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		p := f.InClass
		steps := []struct {
			status string
			start  time.Time
			needs  []sen.Need
		}{
			{sen.StatusSupport, d(2022, 9, 5), []sen.Need{{Rank: 1, Code: "SPLD"}}},
			{sen.StatusEHCP, d(2024, 3, 1), []sen.Need{{Rank: 1, Code: "SLCN"}, {Rank: 2, Code: "SEMH"}}},
		}
		for _, st := range steps {
			cur, _ := s.Pupil(ctx, senco, p.ID, "test")
			if err := s.RecordStatus(ctx, senco, p.ID, cur.Version, sen.StatusChange{Status: st.status, StartDate: st.start, DecidedBy: "SENCO"}, st.needs); err != nil {
				t.Fatal(err)
			}
		}
		cur, _ := s.Pupil(ctx, senco, p.ID, "test")
		if err := s.RecordLeaving(ctx, f.Actor(sen.RoleOffice), p.ID, cur.Version, &transition.Leaving{LeftOn: d(2026, 11, 27), Reason: "transfer", DestLAESTAB: "2014002"}); err != nil {
			t.Fatal(err)
		}
		file, err := s.ExportCTF(ctx, f.Actor(sen.RoleOffice), []int64{p.ID, f.NotTaught.ID}, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if file.Name != "2014001_CTF_2014002_001.xml" || file.Pupils != 2 {
			t.Errorf("file %s with %d pupils", file.Name, file.Pupils)
		}
		again, err := s.ExportCTF(ctx, senco, []int64{p.ID}, "", "")
		if err != nil || again.Name != "2014001_CTF_2014002_002.xml" {
			t.Errorf("second file %s %v", again.Name, err)
		}
		if _, err := s.ExportCTF(ctx, senco, nil, "", ""); err == nil {
			t.Error("an export of no pupils")
		}
		if _, err := s.ExportCTF(ctx, sen.Actor{User: f.Other}, []int64{p.ID}, "", ""); err == nil {
			t.Error("another school exported our pupil")
		}

		// The second school: its own SENCO imports the file.
		other := sen.Actor{User: f.Other}
		parsed, err := transition.Parse(file.Data, s.Today())
		if err != nil || !parsed.OK() {
			t.Fatalf("parse %v %v", err, parsed.Problems)
		}
		changes, err := s.CTFPreview(ctx, other, parsed)
		if err != nil || len(changes) != 2 || changes[0].Kind != transition.ChangeNew {
			t.Fatalf("preview %+v %v", changes, err)
		}
		res, err := s.ImportCTF(ctx, other, parsed, file.Name)
		if err != nil || res.Created != 2 {
			t.Fatalf("import %+v %v", res, err)
		}
		list, _, _ := s.ListPupils(ctx, other, store.PupilFilter{Query: "okafor"})
		if len(list) != 1 {
			t.Fatalf("imported pupil not found: %d", len(list))
		}
		got, err := s.Pupil(ctx, other, list[0].ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		if got.UPN != p.UPN || got.Status != sen.StatusEHCP || !got.StatusFrom.Equal(d(2024, 3, 1)) || !reflect.DeepEqual(got.Needs, steps[1].needs) {
			t.Errorf("imported pupil %+v", got)
		}
		hist, err := s.StatusHistory(ctx, other, got.ID)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history %+v %v", hist, err)
		}
		for i, h := range hist { // newest first
			want := steps[len(steps)-1-i]
			if h.Status != want.status || !h.StartDate.Equal(want.start) || !strings.Contains(h.DecidedBy, "Test Academy") {
				t.Errorf("history entry %d: %+v, want %s from %s", i, h, want.status, want.start)
			}
		}
		// Importing again changes nothing.
		res, err = s.ImportCTF(ctx, other, parsed, file.Name)
		if err != nil || res.Unchanged != 2 || res.Created+res.Updated != 0 {
			t.Errorf("second import %+v %v", res, err)
		}
		// A file with a problem is refused whole: nothing written.
		broken := strings.Replace(string(file.Data), "<Forename>Ben</Forename>", "<Forename></Forename>", 1)
		broken = strings.Replace(broken, p.UPN, "A123456789012", 1) // a new pupil too
		bp, err := transition.Parse([]byte(broken), s.Today())
		if err != nil || bp.OK() {
			t.Fatalf("broken parse %v", err)
		}
		_, before, _ := s.ListPupils(ctx, other, store.PupilFilter{})
		if _, err := s.ImportCTF(ctx, other, bp, "broken.xml"); !errors.As(err, new(sen.FieldErrors)) {
			t.Errorf("broken import: %v", err)
		}
		if _, after, _ := s.ListPupils(ctx, other, store.PupilFilter{}); after != before {
			t.Errorf("a refused import wrote pupils: %d then %d", before, after)
		}
		// The first school's leaver cannot be changed by a CTF import either.
		back, err := s.CTFPreview(ctx, senco, parsed)
		if err != nil || len(back[0].Problems) == 0 {
			t.Errorf("import onto a leaver: %+v %v", back, err)
		}
	})
}

// ctfUPN makes a valid permanent UPN for LA 201, establishment 4001.
func ctfUPN(n int) string {
	body := fmt.Sprintf("2014001%02d%03d", 26, n)
	return string(sen.UPNCheckLetter(body)) + body
}

// TestCTFImport300 imports a 300-pupil CTF (each pupil with two SEN
// history entries and two needs) and records the time (docs/performance.md:
// under 2 seconds).
func TestCTFImport300(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		today := s.Today()
		c := transition.CTF{DateTime: time.Now(), Source: transition.School{LEA: "201", Estab: "1000", Name: "Hillside Primary", AcademicYear: "2026"},
			Dest: transition.School{LEA: "201", Estab: "4001"}}
		for i := 0; i < 300; i++ {
			c.Pupils = append(c.Pupils, transition.CTFPupil{UPN: ctfUPN(i), Surname: fmt.Sprintf("Pupil%03d", i), Forename: "Test", DOB: d(2015, time.Month(1+i%12), 1+i%28), Sex: "FM"[i%2 : i%2+1], YearGroup: "6",
				SEN:   []transition.SENEntry{{Start: d(2021, 9, 6), Provision: "K"}, {Start: d(2024, 1, 8), Provision: "E"}},
				Needs: []sen.Need{{Rank: 1, Code: "SLCN"}, {Rank: 2, Code: "SPLD"}}})
		}
		data, err := transition.Write(c)
		if err != nil {
			t.Fatal(err)
		}
		senco := f.Actor(sen.RoleSENCO)
		start := time.Now()
		parsed, err := transition.Parse(data, today)
		if err != nil || !parsed.OK() {
			t.Fatalf("parse %v %v", err, parsed.Problems)
		}
		if _, err := s.CTFPreview(ctx, senco, parsed); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportCTF(ctx, senco, parsed, "big.xml")
		took := time.Since(start)
		if err != nil || res.Created != 300 {
			t.Fatalf("import %+v %v", res, err)
		}
		t.Logf("CTF import of 300 pupils (%d KB): parse, preview and commit in %v", len(data)>>10, took.Round(time.Millisecond))
		if took > 2*time.Second {
			t.Errorf("300-pupil CTF import took %v, want under 2 seconds", took)
		}
	})
}
