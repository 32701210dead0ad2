package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/exams"
	"opensend/internal/people"
	"opensend/internal/plans"
	"opensend/internal/records"
	"opensend/internal/schoolsen"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/transition"
	"opensend/internal/web/kit"
)

// prober makes a fresh, real record of the kind a route's path names, for
// every request of the route × role matrix: a request that changes or
// removes its record (activate a plan, remove a holiday, reset a password)
// never leaves the next role a record that no longer fits.
type prober struct {
	a     *app
	senco sen.Actor
	n     int
}

func newProber(a *app) *prober { return &prober{a: a, senco: a.f.Actor(sen.RoleSENCO)} }

// path returns the route's path with its wildcards filled for a new record
// of kind.
func (p *prober) path(t *testing.T, kind, path string) (string, url.Values) {
	t.Helper()
	path = strings.ReplaceAll(path, "{$}", "")
	form := url.Values{}
	if kind == "" {
		return path, form
	}
	for w, v := range p.make(t, kind) {
		if f, ok := strings.CutPrefix(w, "form:"); ok {
			form.Set(f, v)
			continue
		}
		path = strings.ReplaceAll(path, "{"+w+"}", v)
	}
	if strings.Contains(path, "{") {
		t.Fatalf("probe %s left a wildcard in %s", kind, path)
	}
	return path, form
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// pupil is a new pupil on SEN support in 7A, which the teacher and TA teach.
func (p *prober) pupil(t *testing.T) sen.Pupil {
	pu := p.a.addPupil("Matrix", fmt.Sprintf("Probe%d", p.n), "7", "7A")
	p.a.setSEN(&pu, sen.StatusSupport, "SPLD")
	return pu
}

// cycleWithOutcome is a draft cycle from start to review with one outcome.
func (p *prober) cycleWithOutcome(t *testing.T, start, review time.Time) (int64, plans.Outcome) {
	t.Helper()
	ctx := context.Background()
	cid, err := p.a.st.CreateCycle(ctx, p.senco, p.pupil(t).ID, start, review)
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.a.st.SupportPlan(ctx, p.senco, cid, "probe")
	if err != nil {
		t.Fatal(err)
	}
	o := plans.Outcome{Text: "Read 20 high-frequency words", SuccessCriteria: "20 words in a row", Baseline: "8 words", TargetDate: review}
	if err := p.a.st.AddSupportOutcome(ctx, p.senco, cid, v.Cycle.Version, &o); err != nil {
		t.Fatal(err)
	}
	return cid, o
}

func (p *prober) concern(t *testing.T, pupilID int64, att []plans.Attachment) plans.Concern {
	t.Helper()
	c := plans.Concern{PupilID: pupilID, Noticed: "Finds it hard to follow spoken instructions", Areas: []string{sen.AreaCI}, Attachments: att}
	if err := p.a.st.RaiseConcern(context.Background(), p.a.f.Actor(sen.RoleTeacher), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (p *prober) make(t *testing.T, kind string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := p.a.st
	p.n++
	today := st.Today()
	switch kind {
	case kit.IDPupil:
		return map[string]string{"id": id(p.pupil(t).ID)}
	case kit.IDCycle:
		cid, err := st.CreateCycle(ctx, p.senco, p.pupil(t).ID, today, today.AddDate(0, 0, 84))
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(cid)}
	case kit.IDPlanItem:
		cid, o := p.cycleWithOutcome(t, today, today.AddDate(0, 0, 84))
		v, err := st.SupportPlan(ctx, p.senco, cid, "probe")
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(cid), "item": "outcome-" + id(o.ID), "form:kind": "outcome", "form:item": id(o.ID), "form:version": id(v.Cycle.Version)}
	case kit.IDStrategy:
		b := plans.BankStrategy{Title: fmt.Sprintf("Probe strategy %d", p.n), Description: "A strategy of the school's own", Area: sen.AreaCI}
		if err := st.SaveBankStrategy(ctx, p.senco, &b); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(b.ID), "form:version": id(b.Version)}
	case kit.IDActiveCycle, kit.IDReviewed:
		cid, o := p.cycleWithOutcome(t, today.AddDate(0, 0, -60), today.AddDate(0, 0, 30))
		v, err := st.SupportPlan(ctx, p.senco, cid, "probe")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ActivateCycle(ctx, p.senco, cid, v.Cycle.Version); err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDReviewed {
			v, err := st.SupportPlan(ctx, p.senco, cid, "probe")
			if err != nil {
				t.Fatal(err)
			}
			rv := plans.Review{MeetingDate: today, Parents: "Mother", Staff: "SENCO", NextSteps: "Continue", NextReview: today.AddDate(0, 0, 84),
				Ratings: map[int64]plans.Rating{o.ID: plans.Achieved}, Evidence: map[int64]string{o.ID: "Reads 20 words"}}
			if _, err := st.CompleteSupportReview(ctx, p.senco, cid, v.Cycle.Version, &rv); err != nil {
				t.Fatal(err)
			}
		}
		return map[string]string{"id": id(cid)}
	case kit.IDPassport:
		pu := p.pupil(t)
		pp := plans.Passport{PupilID: pu.ID, AboutMe: "I like drawing", Strengths: "Kind", Needs: "Reading", Helps: "Visual timetable", NotHelps: "Noise"}
		if err := st.SavePassport(ctx, p.senco, &pp); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(pu.ID)}
	case kit.IDConcern:
		return map[string]string{"id": id(p.concern(t, p.pupil(t).ID, nil).ID)}
	case kit.IDAttachment:
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		c := p.concern(t, p.pupil(t).ID, []plans.Attachment{{Name: "note.pdf", ContentType: "application/pdf", Size: len(pdf), Data: pdf}})
		return map[string]string{"id": id(c.ID), "att": id(c.Attachments[0].ID)}
	case kit.IDStaff:
		uid, err := st.CreateUser(ctx, p.senco, store.NewUser{SchoolID: p.a.f.SchoolID, Email: fmt.Sprintf("probe%d@test.example", p.n),
			Name: "Probe Teacher", Role: sen.RoleTeacher, PasswordHash: passwordHash(t)})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(uid)}
	case kit.IDGroup:
		return map[string]string{"id": strconv.Itoa(p.a.count(`SELECT id FROM teaching_groups WHERE school_id = $1 AND name = '7A'`, p.a.f.SchoolID))}
	case kit.IDTermDate:
		starts := today.AddDate(0, 0, 7*p.n)
		h := sen.Holiday{Label: "Probe holiday", Starts: starts, Ends: starts.AddDate(0, 0, 2)}
		if err := st.AddHoliday(ctx, p.senco, &h); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(h.ID)}
	case kit.IDMail:
		m := store.OutboxMail{SchoolID: p.a.f.SchoolID, UserID: p.senco.User.ID, Kind: "digest", Day: today.AddDate(0, 0, p.n), To: p.senco.User.Email,
			Subject: "Statutory dates", Text: "Nothing due", Status: "kept"}
		if _, err := st.AddOutbox(ctx, &m); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(m.ID)}
	case kit.IDFeedToken:
		tok, err := st.NewCalendarFeed(ctx, p.senco)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"token": tok}
	}
	return p.makeEHC(t, kind)
}

// makeEHC makes the EHC module's records, each for a new 7A pupil.
func (p *prober) makeEHC(t *testing.T, kind string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := p.a.st
	today := st.Today()
	switch kind {
	case kit.IDEHCRequest:
		rq := ehc.Request{PupilID: p.pupil(t).ID, RequestedBy: "school", Received: today.AddDate(0, 0, -7), LAName: "Testshire"}
		if err := st.CreateRequest(ctx, p.senco, &rq); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(rq.ID)}
	case kit.IDEHCPlan, kit.IDEHCPupil:
		pl := p.ehcPlan(t)
		if kind == kit.IDEHCPupil {
			return map[string]string{"id": id(pl.PupilID)}
		}
		return map[string]string{"id": id(pl.ID)}
	case kit.IDEHCPlanItem:
		pl := p.ehcPlan(t)
		if err := st.AddPlanNeed(ctx, p.senco, pl.ID, ehc.Need{Area: sen.AreaCI, Text: "Needs help with social communication"}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Plan(ctx, p.senco, pl.ID)
		if err != nil || len(got.Needs) == 0 {
			t.Fatalf("probe plan need: %v", err)
		}
		return map[string]string{"id": id(pl.ID), "item": "need-" + id(got.Needs[0].ID), "form:kind": "need", "form:item": id(got.Needs[0].ID), "form:version": id(got.Version)}
	case kit.IDEHCPlanDocument:
		pl := p.ehcPlan(t)
		if err := st.SetPlanDocument(ctx, p.senco, pl.ID, "plan.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(pl.ID)}
	case kit.IDEHCReview, kit.IDEHCInvitee:
		pl := p.ehcPlan(t)
		rid, err := st.StartReview(ctx, p.senco, pl.ID, today.AddDate(0, 0, 42), "")
		if err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDEHCReview {
			return map[string]string{"id": id(rid)}
		}
		if err := st.AddInvitee(ctx, p.senco, rid, ehc.Invitee{Party: "parent", Name: "Ms Probe"}); err != nil {
			t.Fatal(err)
		}
		rv, err := st.Review(ctx, p.senco, rid)
		if err != nil || len(rv.Invitees) == 0 {
			t.Fatalf("probe invitee: %v", err)
		}
		return map[string]string{"id": id(rv.Invitees[0].ID)}
	case kit.IDTrainingSession:
		ss := schoolsen.Session{Topic: "Probe training", Date: today, Minutes: 60, LedBy: "SENCO", Attendees: []int64{p.a.f.Users[sen.RoleTeacher].ID}}
		if err := st.SaveTrainingSession(ctx, p.senco, &ss); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(ss.ID), "form:version": strconv.Itoa(ss.Version)}
	case kit.IDStaffSkill:
		k := schoolsen.Skill{UserID: p.a.f.Users[sen.RoleTA].ID, Kind: schoolsen.KindSkill, Title: "ELSA"}
		if err := st.AddStaffSkill(ctx, p.senco, &k); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(k.ID)}
	case kit.IDSencoPost:
		sp := schoolsen.Post{UserID: p.a.f.Users[sen.RoleSENCO].ID, TookPost: today.AddDate(-1, 0, 0)}
		if err := st.SaveSencoPost(ctx, p.senco, &sp); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(sp.ID)}
	case kit.IDPolicyFile:
		if err := st.UploadSENPolicy(ctx, p.senco, "policy.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), ""); err != nil {
			t.Fatal(err)
		}
		pol, err := st.SENPolicy(ctx, p.senco)
		if err != nil || len(pol.Files) == 0 {
			t.Fatalf("probe policy: %v", err)
		}
		return map[string]string{"id": id(pol.Files[0].ID)}
	case kit.IDReportItem:
		return map[string]string{"item": "3a"}
	case kit.IDPublicReport:
		return map[string]string{"school": publishedReport(t, p.a)}
	case kit.IDAccessAction:
		ac := schoolsen.Action{Strand: schoolsen.StrandPhysical, What: "Ramp", Owner: "Site manager", Due: today, Progress: schoolsen.ProgressUnderway}
		if err := st.SaveAccessAction(ctx, p.senco, &ac); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(ac.ID)}
	case kit.IDAdjustment:
		j := schoolsen.Adjustment{PupilID: p.pupil(t).ID, Disability: "Hearing impairment", What: "Radio aid", From: today}
		if err := st.SaveAdjustment(ctx, p.senco, &j); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(j.ID)}
	case kit.IDExamArrangement:
		x := exams.Arrangement{PupilID: p.pupil(t).ID, Kind: "rest-breaks", Status: exams.StatusProposed}
		if err := st.SaveExamArrangement(ctx, p.senco, &x); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(x.ID), "form:version": strconv.Itoa(x.Version)}
	case kit.IDExamSeries, kit.IDExamSitting:
		y := today.Year() + 1 + p.n
		x := exams.Series{Name: fmt.Sprintf("June %d", y), Starts: time.Date(y, 5, 10, 0, 0, 0, 0, time.UTC), Ends: time.Date(y, 6, 25, 0, 0, 0, 0, time.UTC), Deadline: time.Date(y, 3, 21, 0, 0, 0, 0, time.UTC)}
		if err := st.SaveExamSeries(ctx, p.senco, &x); err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDExamSeries {
			return map[string]string{"id": id(x.ID), "form:version": strconv.Itoa(x.Version)}
		}
		sit := exams.Sitting{SeriesID: x.ID, Paper: "GCSE English Language Paper 1", On: x.Starts, Session: "AM", Room: "Main hall"}
		if err := st.AddExamSitting(ctx, p.senco, &sit); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(sit.ID)}
	case kit.IDEHCReviewReport:
		pl := p.ehcPlan(t)
		rid, err := st.StartReview(ctx, p.senco, pl.ID, today.AddDate(0, 0, 42), "")
		if err != nil {
			t.Fatal(err)
		}
		rep := ehc.ReviewReport{Author: "Probe service", Kind: "other", Received: today}
		rpid, err := st.AddReviewReport(ctx, p.senco, rid, rep, "report.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(rpid)}
	case kit.IDCertificate:
		pu := p.pupil(t)
		if _, err := st.DB().Exec(`UPDATE pupils SET dob = '1990-01-01' WHERE id = $1`, pu.ID); err != nil {
			t.Fatal(err)
		}
		cert, err := st.Dispose(ctx, p.senco, pu.ID, records.KindSENFile)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(cert)}
	case kit.IDLegalHold:
		hold, err := st.PlaceHold(ctx, p.senco, p.pupil(t).ID, "Probe inquiry")
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(hold), "form:version": "1", "form:liftReason": "Inquiry closed"}
	case kit.IDLeaver:
		pu := p.pupil(t)
		cur, err := st.Pupil(ctx, p.senco, pu.ID, "probe")
		if err != nil {
			t.Fatal(err)
		}
		l := transition.Leaving{LeftOn: today, Reason: "transfer"}
		if err := st.RecordLeaving(ctx, p.senco, pu.ID, cur.Version, &l); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(pu.ID), "form:version": id(l.Version)}
	}
	if m := p.makeProvision(t, kind); m != nil {
		return m
	}
	if m := p.makePeople(t, kind); m != nil {
		return m
	}
	t.Errorf("no probe for records of kind %q", kind)
	return map[string]string{"id": "1", "token": "x"}
}

// makePeople makes the people module's records, each for a new 7A pupil.
func (p *prober) makePeople(t *testing.T, kind string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st := p.a.st
	today := st.Today()
	switch kind {
	case kit.IDContact, kit.IDContactLog:
		c := people.Contact{PupilID: p.pupil(t).ID, Name: "Probe Parent", Relationship: "mother", ParentalResp: true}
		if err := st.AddContact(ctx, p.senco, &c); err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDContact {
			return map[string]string{"id": id(c.ID)}
		}
		e := people.LogEntry{PupilID: c.PupilID, Kind: people.LogCall, Date: today, ContactID: c.ID, Summary: "Probe call", FollowUp: "Call back", FollowUpDue: today}
		if err := st.AddLogEntry(ctx, p.senco, &e); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(e.ID)}
	case kit.IDAgency, kit.IDReferral:
		g := people.Agency{Name: fmt.Sprintf("Probe service %d", p.n), Kind: "salt", WaitWeeks: 12}
		if err := st.SaveAgency(ctx, p.senco, &g); err != nil {
			t.Fatal(err)
		}
		if kind == kit.IDAgency {
			return map[string]string{"id": id(g.ID)}
		}
		r := people.Referral{PupilID: p.pupil(t).ID, AgencyID: g.ID, Reason: "Probe", Consent: true, ConsentBy: "Probe Parent", ConsentDate: today}
		if err := st.AddReferral(ctx, p.senco, &r); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": id(r.ID)}
	}
	return nil
}

// ehcPlan is an active EHC plan for a new 7A pupil, issued 200 days ago,
// with a Section F line the teacher delivers.
func (p *prober) ehcPlan(t *testing.T) ehc.Plan {
	t.Helper()
	ctx := context.Background()
	st := p.a.st
	pl := ehc.Plan{PupilID: p.pupil(t).ID, LAName: "Testshire", Issued: st.Today().AddDate(0, 0, -200)}
	if err := st.CreatePlan(ctx, p.senco, &pl); err != nil {
		t.Fatal(err)
	}
	if err := st.AddProvision(ctx, p.senco, pl.ID, ehc.Provision{Description: "Speech and language group", SessionsPerWeek: 2, Minutes: 30,
		DeliveredBy: "Teacher", StaffUserID: p.a.f.Users[sen.RoleTeacher].ID}); err != nil {
		t.Fatal(err)
	}
	return pl
}

// publishedReport writes every section of the fixture school's SEN
// information report and publishes it (once), returning its public slug.
func publishedReport(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	senco := a.f.Actor(sen.RoleSENCO)
	rep, err := a.st.InfoReport(ctx, senco)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Published {
		for _, sec := range rep.Sections {
			if sec.Text != "" {
				continue
			}
			sec.Text = "We support every pupil. " + sec.Heading + "."
			if err := a.st.SaveReportSection(ctx, senco, &sec); err != nil {
				t.Fatal(err)
			}
		}
		if rep, err = a.st.InfoReport(ctx, senco); err != nil {
			t.Fatal(err)
		}
		if err := a.st.PublishReport(ctx, senco, true, rep.Version); err != nil {
			t.Fatal(err)
		}
		if rep, err = a.st.InfoReport(ctx, senco); err != nil {
			t.Fatal(err)
		}
	}
	return rep.Slug
}
