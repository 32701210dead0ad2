package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestContactsScopedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher, office, head := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher), f.Actor(sen.RoleOffice), f.Actor(sen.RoleHead)
		mum := people.Contact{PupilID: f.InClass.ID, Name: "Grace Okafor", Relationship: "mother", ParentalResp: true, LivesWith: true,
			Address: "1 High Street", Phone: "07700 900982", Email: "grace@example.com", PreferredWay: "email", Language: "Igbo", Interpreter: true}
		if err := s.AddContact(ctx, office, &mum); err != nil {
			t.Fatal(err)
		}
		dad := people.Contact{PupilID: f.InClass.ID, Name: "Samuel Okafor", Relationship: "father", ParentalResp: true,
			Restricted: true, Restriction: "Court order: no contact; do not share reports"}
		if err := s.AddContact(ctx, senco, &dad); err != nil {
			t.Fatal(err)
		}
		// Invalid: a field error, nothing written.
		bad := people.Contact{PupilID: f.InClass.ID, Relationship: "mother"}
		var fe sen.FieldErrors
		if err := s.AddContact(ctx, senco, &bad); !errors.As(err, &fe) || fe["name"] == "" {
			t.Fatalf("invalid contact: %v", err)
		}
		// Another school's SENCO and a teacher who does not teach the pupil see nothing.
		if _, err := s.Family(ctx, sen.Actor{User: f.Other}, f.InClass.ID, true); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school: %v", err)
		}
		nt := people.Contact{PupilID: f.NotTaught.ID, Name: "Jo Carter", Relationship: "mother"}
		if err := s.AddContact(ctx, teacher, &nt); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher adds a contact for a pupil not taught: %v", err)
		}
		if _, err := s.Contact(ctx, teacher, mum.ID); err != nil {
			t.Fatal(err)
		}
		// The teacher reads names, relationship, preferred way, restriction; not the address, phone or e-mail.
		fam, err := s.Family(ctx, teacher, f.InClass.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(fam.Contacts) != 2 {
			t.Fatalf("contacts: %+v", fam.Contacts)
		}
		for _, c := range fam.Contacts {
			if c.Address != "" || c.Phone != "" || c.Email != "" || !c.DetailsHidden {
				t.Errorf("teacher sees details of %s: %+v", c.Name, c)
			}
		}
		if fam.Contacts[1].Restriction == "" || fam.Contacts[0].PreferredWay != "email" {
			t.Errorf("teacher misses the restriction or preferred way: %+v", fam.Contacts)
		}
		fam, err = s.Family(ctx, head, f.InClass.ID, true)
		if err != nil || fam.Contacts[0].Address != "1 High Street" {
			t.Fatalf("head reads details: %v %+v", err, fam.Contacts)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'people.family.read' AND pupil_id = $1`, f.InClass.ID); n != 2 {
			t.Errorf("family reads audited %d times, want 2", n)
		}
		// A concurrent edit is detected.
		c1, c2 := mum, mum
		c1.Phone = "07700 900111"
		if err := s.UpdateContact(ctx, office, &c1); err != nil {
			t.Fatal(err)
		}
		c2.Phone = "07700 900222"
		var ce *sen.ConflictError
		if err := s.UpdateContact(ctx, senco, &c2); !errors.As(err, &ce) || ce.By != f.Users[sen.RoleOffice].Name {
			t.Fatalf("stale update: %v", err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'contact.update' AND detail = 'changed=phone'`); n != 1 {
			t.Errorf("update audit rows %d", n)
		}
	})
}

func TestContactLogFollowUpsAndMeetings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		withNeed(t, s, f, f.InClass)
		mum := people.Contact{PupilID: f.InClass.ID, Name: "Grace Okafor", Relationship: "mother", ParentalResp: true}
		other := people.Contact{PupilID: f.NotTaught.ID, Name: "Jo Carter", Relationship: "mother"}
		for _, c := range []*people.Contact{&mum, &other} {
			if err := s.AddContact(ctx, senco, c); err != nil {
				t.Fatal(err)
			}
		}
		today := s.Today()
		dash := func() int {
			t.Helper()
			d, err := s.SencoDashboard(ctx, senco)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range d.FewMeetings {
				if it.PupilID == f.InClass.ID {
					return it.Count
				}
			}
			return -1 // not short of meetings
		}
		if got := dash(); got != 0 {
			t.Fatalf("before: %d meetings", got)
		}
		// A call and a meeting with someone not a contact do not count; a meeting with a contact does.
		for _, e := range []people.LogEntry{
			{PupilID: f.InClass.ID, Kind: people.LogCall, Date: today, ContactID: mum.ID, Summary: "Called about homework"},
			{PupilID: f.InClass.ID, Kind: people.LogMeeting, Date: today, With: "Visiting aunt", Summary: "Chat at pick-up"},
		} {
			if err := s.AddLogEntry(ctx, teacher, &e); err != nil {
				t.Fatal(err)
			}
		}
		if got := dash(); got != 0 {
			t.Fatalf("calls counted as meetings: %d", got)
		}
		meet := people.LogEntry{PupilID: f.InClass.ID, Kind: people.LogMeeting, Date: today.AddDate(0, -1, 0), ContactID: mum.ID, Summary: "Reviewed the plan",
			FollowUp: "Send the reading leaflet", FollowUpDue: today.AddDate(0, 0, -1)}
		if err := s.AddLogEntry(ctx, senco, &meet); err != nil {
			t.Fatal(err)
		}
		if got := dash(); got != 1 {
			t.Fatalf("after a logged meeting: %d, want 1", got)
		}
		// A contact of another pupil is refused as a field error.
		wrong := people.LogEntry{PupilID: f.InClass.ID, Kind: people.LogCall, Date: today, ContactID: other.ID, Summary: "x"}
		var fe sen.FieldErrors
		if err := s.AddLogEntry(ctx, senco, &wrong); !errors.As(err, &fe) || fe["contact"] == "" {
			t.Fatalf("another pupil's contact: %v", err)
		}
		// The teacher cannot log for a pupil they do not teach.
		nt := people.LogEntry{PupilID: f.NotTaught.ID, Kind: people.LogCall, Date: today, ContactID: other.ID, Summary: "x",
			FollowUp: "Call back", FollowUpDue: today}
		if err := s.AddLogEntry(ctx, teacher, &nt); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher logs for a pupil not taught: %v", err)
		}
		if err := s.AddLogEntry(ctx, senco, &nt); err != nil {
			t.Fatal(err)
		}
		// Follow-ups due: the SENCO sees both, the teacher only the pupil taught.
		due, err := s.FollowUpsDue(ctx, senco)
		if err != nil || len(due) != 2 || due[0].ID != meet.ID || !due[0].Overdue(today) {
			t.Fatalf("SENCO follow-ups: %v %+v", err, due)
		}
		n, overdue, err := s.FollowUpsDueCount(ctx, teacher)
		if err != nil || n != 1 || overdue != 1 {
			t.Fatalf("teacher count: %d %d %v", n, overdue, err)
		}
		if _, err := s.CompleteFollowUp(ctx, teacher, nt.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("teacher completes a follow-up of a pupil not taught: %v", err)
		}
		if _, err := s.CompleteFollowUp(ctx, senco, meet.ID); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.FollowUpsDueCount(ctx, senco); n != 1 {
			t.Fatalf("after done: %d due", n)
		}
		if c := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action IN ('contact_log.add', 'contact_log.follow_up_done', 'contact_log.follow_ups')`); c != 6 {
			t.Errorf("log audit rows %d, want 6", c)
		}
	})
}

func TestKeyAdult(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		ta := f.Users[sen.RoleTA]
		k := people.KeyAdult{PupilID: f.InClass.ID, StaffID: ta.ID, Role: "key_worker"}
		if err := s.SetKeyAdult(ctx, senco, &k); err != nil {
			t.Fatal(err)
		}
		got, err := s.KeyAdultOf(ctx, senco, f.InClass.ID)
		if err != nil || !got.Assigned || got.Name != ta.Name || got.RoleLabel() != "Key worker" {
			t.Fatalf("key adult: %v %+v", err, got)
		}
		stale := people.KeyAdult{PupilID: f.InClass.ID, StaffID: f.Users[sen.RoleTeacher].ID, Role: "class_teacher"}
		var ce *sen.ConflictError
		if err := s.SetKeyAdult(ctx, senco, &stale); !errors.As(err, &ce) {
			t.Fatalf("stale key adult: %v", err)
		}
		stale.Version = got.Version
		if err := s.SetKeyAdult(ctx, senco, &stale); err != nil {
			t.Fatal(err)
		}
		other := people.KeyAdult{PupilID: f.NotTaught.ID, StaffID: f.Other.ID, Role: "tutor"}
		var fe sen.FieldErrors
		if err := s.SetKeyAdult(ctx, senco, &other); !errors.As(err, &fe) || fe["staff"] == "" {
			t.Fatalf("another school's staff: %v", err)
		}
		m, err := s.KeyAdults(ctx, senco, []int64{f.InClass.ID, f.NotTaught.ID})
		if err != nil || len(m) != 1 || m[f.InClass.ID].Role != "class_teacher" {
			t.Fatalf("key adults: %v %+v", err, m)
		}
	})
}

func TestAgenciesAndReferrals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco, teacher := f.Actor(sen.RoleSENCO), f.Actor(sen.RoleTeacher)
		salt := people.Agency{Name: "Riverside Speech and Language Therapy", Kind: "salt", Phone: "01632 960001", WaitWeeks: 12}
		if err := s.SaveAgency(ctx, senco, &salt); err != nil {
			t.Fatal(err)
		}
		dup := people.Agency{Name: salt.Name, Kind: "ep", WaitWeeks: 10}
		if err := s.SaveAgency(ctx, senco, &dup); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("duplicate name: %v", err)
		}
		edit := salt
		edit.ContactPerson = "Priya Shah"
		if err := s.SaveAgency(ctx, senco, &edit); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAgency(ctx, senco, &salt); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale agency: %v", err)
		}
		if _, err := s.Agency(ctx, sen.Actor{User: f.Other}, salt.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school reads the agency: %v", err)
		}
		today := s.Today()
		r := people.Referral{PupilID: f.InClass.ID, AgencyID: salt.ID, Reason: "Speech hard to understand"}
		if err := s.AddReferral(ctx, senco, &r); err != nil {
			t.Fatal(err)
		}
		var fe sen.FieldErrors
		if _, err := s.MoveReferral(ctx, senco, r.ID, r.Version, people.Sent, today); !errors.As(err, &fe) || fe["status"] == "" {
			t.Fatalf("sent without consent: %v", err)
		}
		r.Consent, r.ConsentBy, r.ConsentDate = true, "Grace Okafor (mother), in person", today.AddDate(0, 0, -30)
		if err := s.UpdateReferral(ctx, senco, &r); err != nil {
			t.Fatal(err)
		}
		moved, err := s.MoveReferral(ctx, senco, r.ID, r.Version, people.Sent, today.AddDate(0, 0, -20*7))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MoveReferral(ctx, senco, r.ID, r.Version, people.Accepted, today); !errors.Is(err, sen.ErrConflict) {
			t.Fatalf("stale move: %v", err)
		}
		if moved, err = s.MoveReferral(ctx, senco, r.ID, moved.Version, people.Waiting, today.AddDate(0, 0, -19*7)); err != nil {
			t.Fatal(err)
		}
		got, err := s.Referral(ctx, senco, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w, ok := people.WaitingWeeks(got, today); !ok || w != 20 || !people.Overdue(got, today) || len(got.Changes) != 3 {
			t.Fatalf("waiting %d %v overdue %v changes %+v", w, ok, people.Overdue(got, today), got.Changes)
		}
		if _, err := s.MoveReferral(ctx, senco, r.ID, got.Version, people.Seen, today); err != nil {
			t.Fatal(err)
		}
		// Lists: by status and agency; a teacher sees the pupils taught only; another school none.
		for _, tc := range []struct {
			name string
			a    sen.Actor
			f    store.ReferralFilter
			want int
		}{
			{"all", senco, store.ReferralFilter{}, 1},
			{"seen", senco, store.ReferralFilter{Status: people.Seen}, 1},
			{"waiting", senco, store.ReferralFilter{Status: people.Waiting}, 0},
			{"agency", senco, store.ReferralFilter{AgencyID: salt.ID}, 1},
			{"other agency", senco, store.ReferralFilter{AgencyID: salt.ID + 99}, 0},
			{"pupil", senco, store.ReferralFilter{PupilID: f.InClass.ID}, 1},
			{"other school", sen.Actor{User: f.Other}, store.ReferralFilter{}, 0},
			{"teacher of pupil not taught", teacher, store.ReferralFilter{PupilID: f.NotTaught.ID}, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				list, err := s.Referrals(ctx, tc.a, tc.f)
				if err != nil || len(list) != tc.want {
					t.Fatalf("%v: %d, want %d", err, len(list), tc.want)
				}
			})
		}
		if _, err := s.Referral(ctx, sen.Actor{User: f.Other}, r.ID); !errors.Is(err, sen.ErrNotFound) {
			t.Fatalf("other school reads the referral: %v", err)
		}
		other := people.Referral{PupilID: f.InClass.ID, AgencyID: 0, Reason: "x"}
		if err := s.AddReferral(ctx, senco, &other); !errors.As(err, &fe) || fe["agency"] == "" {
			t.Fatalf("no agency: %v", err)
		}
		other.AgencyID = salt.ID + 99
		if err := s.AddReferral(ctx, senco, &other); !errors.As(err, &fe) || fe["agency"] == "" {
			t.Fatalf("unknown agency: %v", err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action = 'referral.status' AND pupil_id = $1`, f.InClass.ID); n != 3 {
			t.Errorf("status changes audited %d, want 3", n)
		}
	})
}

func TestImportContactsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		office := f.Actor(sen.RoleOffice)
		existing := people.Contact{PupilID: f.InClass.ID, Name: "Grace Okafor", Relationship: "mother", Phone: "07700 900111"}
		if err := s.AddContact(ctx, office, &existing); err != nil {
			t.Fatal(err)
		}
		rows := func() []people.ImportRow {
			return []people.ImportRow{
				{Row: 2, UPN: f.InClass.UPN, Contact: people.Contact{Name: "grace okafor", Relationship: "mother", Phone: "07700 900222"}},
				{Row: 3, UPN: f.NotTaught.UPN, Contact: people.Contact{Name: "Jo Carter", Relationship: "mother"}},
			}
		}
		r := rows()
		unknown, err := s.MatchContactImport(ctx, office, r)
		if err != nil || len(unknown) != 0 || !r[0].Update || r[1].Update || r[1].PupilName != "Ben Carter" {
			t.Fatalf("match: %v %v %+v", err, unknown, r)
		}
		// A row naming a pupil not on the roll: nothing is written.
		bad := append(rows(), people.ImportRow{Row: 4, UPN: "Z999999999999", Contact: people.Contact{Name: "X", Relationship: "other"}})
		var fe sen.FieldErrors
		if _, _, err := s.ImportContacts(ctx, office, bad, "contacts.csv"); !errors.As(err, &fe) || !strings.Contains(fe["file"], "Row 4") {
			t.Fatalf("unknown UPN: %v", err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM pupil_contacts`); n != 1 {
			t.Fatalf("a refused import wrote %d contacts", n)
		}
		added, updated, err := s.ImportContacts(ctx, office, rows(), "contacts.csv")
		if err != nil || added != 1 || updated != 1 {
			t.Fatalf("import: %d %d %v", added, updated, err)
		}
		c, err := s.Contact(ctx, office, existing.ID)
		if err != nil || c.Phone != "07700 900222" || c.Version != 2 {
			t.Fatalf("updated contact: %v %+v", err, c)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM audit_log WHERE action IN ('contact.import', 'contact.import.add', 'contact.import.update')`); n != 3 {
			t.Errorf("import audit rows %d, want 3", n)
		}
	})
}
