package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// reviewWithInvitees makes a plan for f.InClass and a review with its
// meeting 30 days ahead; it returns the review.
func reviewWithInvitees(t *testing.T, s *store.Store, f *storetest.Fixture, ins ...ehc.Invitee) ehc.Review {
	t.Helper()
	ctx, senco := context.Background(), f.Actor(sen.RoleSENCO)
	withNeed(t, s, f, f.InClass)
	p := &ehc.Plan{PupilID: f.InClass.ID, LAName: "Riverside", Issued: d(2026, 1, 20)}
	if err := s.CreatePlan(ctx, senco, p); err != nil {
		t.Fatal(err)
	}
	id, err := s.StartReview(ctx, senco, p.ID, s.Today().AddDate(0, 0, 30), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if err := s.AddInvitee(ctx, senco, id, in); err != nil {
			t.Fatal(err)
		}
	}
	rv, err := s.Review(ctx, senco, id)
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

// The school's letterhead is saved with the settings' version; a stale
// version is a conflict and unclean text a field error. Both engines.
func TestSchoolLetterhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		office := f.Actor(sen.RoleOffice)
		set, err := s.SchoolSettings(ctx, office)
		if err != nil {
			t.Fatal(err)
		}
		set.Type, set.Lowest, set.Highest = "secondary", "7", "11"
		set.Address, set.Phone, set.Email = " 1 High Street\nRiverside\nRV1 2AB ", "01234 567890", "office@test.example"
		if err := s.SaveSchoolSettings(ctx, office, set); err != nil {
			t.Fatal(err)
		}
		got, _ := s.SchoolSettings(ctx, office)
		if got.Address != "1 High Street\nRiverside\nRV1 2AB" || got.Phone != "01234 567890" || got.Email != "office@test.example" || got.Version != set.Version+1 {
			t.Fatalf("settings %+v", got)
		}
		if err := s.SaveSchoolSettings(ctx, office, set); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale version: %v", err)
		}
		bad := got
		bad.Address, bad.Email = "1 High Street\x00", "not an address"
		var fe sen.FieldErrors
		if err := s.SaveSchoolSettings(ctx, office, bad); !errors.As(err, &fe) || fe["address"] == "" || fe["replyEmail"] == "" {
			t.Errorf("bad letterhead: %v", err)
		}
	})
}

// The meeting's time and place are saved with the review's version and
// validated; an invitee's e-mail and address are saved and validated.
func TestReviewMeetingPlaceAndInviteeEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		rv := reviewWithInvitees(t, s, f, ehc.Invitee{Party: "parent", Name: "Mrs Okafor", Email: " okafor@home.example ", Address: "3 Mill Lane\nRiverside"})
		if rv.Invitees[0].Email != "okafor@home.example" || rv.Invitees[0].Address != "3 Mill Lane\nRiverside" {
			t.Fatalf("invitee %+v", rv.Invitees[0])
		}
		if err := s.SetMeeting(ctx, senco, rv.ID, rv.Version, rv.Meeting, store.MeetingPlace{Time: "9:30", Place: "the SENCO's office"}, ""); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Review(ctx, senco, rv.ID)
		if got.MeetingTime != "09:30" || got.MeetingPlace != "the SENCO's office" || got.Version != rv.Version+1 {
			t.Fatalf("meeting %q %q v%d", got.MeetingTime, got.MeetingPlace, got.Version)
		}
		if err := s.SetMeeting(ctx, senco, rv.ID, rv.Version, rv.Meeting, store.MeetingPlace{Time: "14:30"}, ""); !errors.Is(err, sen.ErrConflict) {
			t.Errorf("stale meeting: %v", err)
		}
		var fe sen.FieldErrors
		if err := s.SetMeeting(ctx, senco, rv.ID, got.Version, rv.Meeting, store.MeetingPlace{Time: "25:00", Place: "Room\x01"}, ""); !errors.As(err, &fe) || fe["meetingTime"] == "" || fe["meetingPlace"] == "" {
			t.Errorf("bad time and place: %v", err)
		}
		// Moving the date keeps the time and place.
		if err := s.RescheduleMeeting(ctx, senco, rv.ID, got.Version, rv.Meeting.AddDate(0, 0, 1), ""); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.Review(ctx, senco, rv.ID); got.MeetingTime != "09:30" || got.MeetingPlace != "the SENCO's office" {
			t.Errorf("reschedule lost the time and place: %q %q", got.MeetingTime, got.MeetingPlace)
		}
		in := rv.Invitees[0]
		in.Email = "okafor@"
		if err := s.UpdateInvitee(ctx, senco, in.ID, in); !errors.As(err, &fe) || fe["inviteeEmail"] == "" {
			t.Errorf("bad invitee e-mail: %v", err)
		}
		in.Email, in.Name = "", "Mr Okafor"
		if err := s.UpdateInvitee(ctx, senco, in.ID, in); err != nil {
			t.Fatal(err)
		}
		if x, _, _ := s.Invitee(ctx, senco, in.ID); x.Email != "" || x.Name != "Mr Okafor" {
			t.Errorf("updated invitee %+v", x)
		}
		if err := s.UpdateInvitee(ctx, sen.Actor{User: f.Other}, in.ID, in); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school's invitee: %v", err)
		}
	})
}

// A letter e-mailed goes into the outbox with its attachment and is
// recorded with the invitation; re-sending is recorded again; printing
// for post is recorded; an invitee with no address cannot be e-mailed.
func TestLetterSends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		rv := reviewWithInvitees(t, s, f, ehc.Invitee{Party: "parent", Name: "Mrs Okafor", Email: "okafor@home.example"}, ehc.Invitee{Party: "la", Name: "SEN officer"})
		parent, la := rv.Invitees[0].ID, rv.Invitees[1].ID
		m := &store.OutboxMail{Subject: "Annual review meeting", Text: "Dear Mrs Okafor", Attachments: []store.OutboxAttachment{{Filename: "letter.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 x")}}}
		if err := s.EmailLetter(ctx, senco, parent, m); err != nil {
			t.Fatal(err)
		}
		if err := s.EmailLetter(ctx, senco, parent, &store.OutboxMail{Subject: "again", Text: "again"}); err != nil {
			t.Fatal(err)
		}
		var fe sen.FieldErrors
		if err := s.EmailLetter(ctx, senco, la, &store.OutboxMail{Subject: "x", Text: "x"}); !errors.As(err, &fe) || fe["inviteeEmail"] == "" {
			t.Errorf("no address: %v", err)
		}
		if err := s.LetterPosted(ctx, f.Actor(sen.RoleOffice), la); err != nil {
			t.Fatal(err)
		}
		got, err := s.OutboxMailFor(ctx, senco, m.ID)
		if err != nil || got.To != "okafor@home.example" || got.Status != store.OutboxHeld || len(got.Attachments) != 1 || string(got.Attachments[0].Data) != "%PDF-1.4 x" {
			t.Fatalf("outbox mail %+v %v", got, err)
		}
		l, err := s.InviteeLetter(ctx, senco, parent)
		if err != nil {
			t.Fatal(err)
		}
		today := s.Today()
		if len(l.Sends) != 2 || l.Sends[1] != (ehc.LetterSend{Method: ehc.SentByEmail, To: "okafor@home.example", On: today}) {
			t.Fatalf("sends %+v", l.Sends)
		}
		rv, _ = s.Review(ctx, senco, rv.ID)
		if !rv.Invitees[0].Invited.Equal(today) || !rv.Invitees[1].Invited.Equal(today) || len(rv.Invitees[1].Sends) != 1 || rv.Invitees[1].Sends[0].Method != ehc.SentByPost {
			t.Fatalf("invitees %+v", rv.Invitees)
		}
		if !rv.InvitesSent.Equal(today) {
			t.Errorf("invitations sent roll-up %v", rv.InvitesSent)
		}
		if err := s.EmailLetter(ctx, sen.Actor{User: f.Other}, parent, &store.OutboxMail{}); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("another school's letter: %v", err)
		}
	})
}

// Reports are uploaded (PDF or Word only, by content) with author, kind
// and date received, downloaded with an audit row (never by a teacher),
// and circulated: by e-mail to invitees with an address with the reports
// attached, by post to the rest, each recorded as circulated today to
// whom; a second circulation has nothing left to send.
func TestReviewReportsCirculate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		senco := f.Actor(sen.RoleSENCO)
		rv := reviewWithInvitees(t, s, f, ehc.Invitee{Party: "parent", Name: "Mrs Okafor", Email: "okafor@home.example"}, ehc.Invitee{Party: "la", Name: "SEN officer"})
		today := s.Today()
		var fe sen.FieldErrors
		if _, err := s.CirculateReports(ctx, senco, rv.ID, store.CirculateByEmail, "Test Academy"); !errors.As(err, &fe) || fe["circulateHow"] == "" {
			t.Errorf("nothing to circulate: %v", err)
		}
		ep := ehc.ReviewReport{Author: "Dr Shah, educational psychology service", Kind: "ep", Received: today.AddDate(0, 0, -2)}
		id1, err := s.AddReviewReport(ctx, senco, rv.ID, ep, "EP report.pdf", []byte("%PDF-1.7 report"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReviewReport(ctx, senco, rv.ID, ehc.ReviewReport{Author: "Mrs Okafor", Kind: "parent-views", Received: today}, "views.pdf", []byte("%PDF-1.7 views")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddReviewReport(ctx, senco, rv.ID, ehc.ReviewReport{Author: "", Kind: "x", Received: today.AddDate(0, 0, 1)}, "photo.png", []byte("\x89PNG\r\n\x1a\nxx")); !errors.As(err, &fe) ||
			fe["reportFile"] == "" || fe["reportAuthor"] == "" || fe["reportKind"] == "" || fe["reportReceived"] == "" {
			t.Errorf("bad report: %v", err)
		}
		doc, err := s.ReviewReportFile(ctx, f.Actor(sen.RoleHead), id1)
		if err != nil || doc.Filename != "EP report.pdf" || doc.MIME != "application/pdf" || string(doc.Data) != "%PDF-1.7 report" {
			t.Fatalf("download %+v %v", doc, err)
		}
		if _, err := s.ReviewReportFile(ctx, f.Actor(sen.RoleTeacher), id1); !errors.Is(err, sen.ErrNotFound) {
			t.Errorf("teacher download: %v", err)
		}
		rv, _ = s.Review(ctx, senco, rv.ID)
		if len(rv.Reports) != 2 || rv.Reports[0].Author != ep.Author || !rv.Reports[0].Received.Equal(ep.Received) || !rv.Reports[0].Circulated.IsZero() {
			t.Fatalf("reports %+v", rv.Reports)
		}
		mails, err := s.CirculateReports(ctx, senco, rv.ID, store.CirculateByEmail, "Test Academy")
		if err != nil || len(mails) != 1 {
			t.Fatalf("circulate: %v %v", mails, err)
		}
		m, err := s.OutboxForDelivery(ctx, mails[0])
		if err != nil || m.To != "okafor@home.example" || len(m.Attachments) != 2 || strings.Contains(m.Subject, f.InClass.Forename) {
			t.Fatalf("circulation mail %+v %v", m, err)
		}
		rv, _ = s.Review(ctx, senco, rv.ID)
		for _, x := range rv.Reports {
			if !x.Circulated.Equal(today) || x.CirculatedTo != "Mrs Okafor by e-mail, SEN officer by post" {
				t.Errorf("circulated %+v", x)
			}
		}
		if _, err := s.CirculateReports(ctx, senco, rv.ID, store.CirculateByPost, "Test Academy"); !errors.As(err, &fe) {
			t.Errorf("second circulation: %v", err)
		}
		list, err := s.OpenReviewReports(ctx, senco)
		if err != nil || len(list) != 2 || list[0].PupilName != f.InClass.Forename+" "+f.InClass.Surname {
			t.Errorf("open reports %+v %v", list, err)
		}
	})
}
