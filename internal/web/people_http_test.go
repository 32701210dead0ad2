package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opensend/internal/ehc"
	"opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

func TestPeopleHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		st := a.st
		ctx := context.Background()
		senco := a.f.Actor(sen.RoleSENCO)
		pid := a.f.InClass.ID
		fam := fmt.Sprintf("/pupils/%d/family", pid)
		mum := people.Contact{PupilID: pid, Name: "Grace Okafor", Relationship: "mother", ParentalResp: true, LivesWith: true,
			Address: "12 Orchard Way, Riverside", Phone: "07700 900982", Email: "grace@example.com", PreferredWay: "phone"}
		if err := st.AddContact(ctx, senco, &mum); err != nil {
			t.Fatal(err)
		}

		t.Run("the SENCO adds a contact with a restriction; it is shown wherever someone could contact them", func(t *testing.T) {
			c := a.login(sen.RoleSENCO)
			bad := c.post(fmt.Sprintf("/pupils/%d/contacts/new", pid), url.Values{"name": {"Samuel Okafor"}, "relationship": {"father"}, "restricted": {"yes"}})
			if err := hasFieldError(bad, "restriction", "Describe the restriction, for example what a court order says about contact"); bad.StatusCode != http.StatusUnprocessableEntity || err != nil {
				t.Fatalf("restriction without text: %d %v", bad.StatusCode, err)
			}
			r := c.post(fmt.Sprintf("/pupils/%d/contacts/new", pid), url.Values{"name": {"Samuel Okafor"}, "relationship": {"father"}, "parentalResp": {"yes"},
				"restricted": {"yes"}, "restriction": {"Court order: no contact with the pupil at school"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("add: %d %s", r.StatusCode, errorSummary(r))
			}
			want := "Restriction on contact with Samuel Okafor (Father): Court order: no contact with the pupil at school"
			for _, path := range []string{fam, fmt.Sprintf("/pupils/%d/contact-log/new", pid), fmt.Sprintf("/pupils/%d/referrals/new", pid)} {
				if got := c.get(path); got.StatusCode != http.StatusOK || !strings.Contains(got.text(), want) {
					t.Errorf("%s: %d, no restriction warning", path, got.StatusCode)
				}
			}
			if got := a.login(sen.RoleTeacher).get(fam); !strings.Contains(got.text(), want) {
				t.Error("the teacher's view of the family lacks the restriction")
			}
		})

		t.Run("a teacher sees names, relationship and preferred contact, not the address", func(t *testing.T) {
			r := a.login(sen.RoleTeacher).get(fam)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("teacher: %d", r.StatusCode)
			}
			body := r.text()
			for _, w := range []string{"Grace Okafor", "Mother", "Phone"} {
				if !strings.Contains(body, w) {
					t.Errorf("teacher's page lacks %q", w)
				}
			}
			for _, no := range []string{"12 Orchard Way", "07700 900982", "grace@example.com", "/contacts/"} {
				if strings.Contains(body, no) {
					t.Errorf("teacher's page shows %q", no)
				}
			}
			if got := a.login(sen.RoleOffice).get(fam); !strings.Contains(got.text(), "12 Orchard Way") || strings.Contains(got.text(), "Contact log") {
				t.Error("the office should see the address and not the contact log")
			}
			nt := a.login(sen.RoleTeacher).get(fmt.Sprintf("/pupils/%d/family", a.f.NotTaught.ID))
			if nt.StatusCode != http.StatusNotFound {
				t.Errorf("a pupil the teacher does not teach: %d", nt.StatusCode)
			}
		})

		t.Run("the office keeps contacts but sees no referrals or log", func(t *testing.T) {
			o := a.login(sen.RoleOffice)
			for _, path := range []string{"/referrals", fmt.Sprintf("/pupils/%d/referrals", pid), "/agencies", "/follow-ups", fmt.Sprintf("/pupils/%d/contact-log/new", pid)} {
				if r := o.get(path); r.StatusCode != http.StatusForbidden {
					t.Errorf("office %s: %d", path, r.StatusCode)
				}
			}
			page := o.get(fmt.Sprintf("/pupils/%d", pid))
			if !strings.Contains(page.text(), "Family and contacts") || strings.Contains(page.text(), "Agencies and referrals") {
				t.Error("the office's pupil page should link the family and not the referrals")
			}
			r := o.post(fmt.Sprintf("/contacts/%d/edit", mum.ID), url.Values{"version": {"1"}, "name": {"Grace Okafor"}, "relationship": {"mother"},
				"address": {"14 Orchard Way"}, "phone": {"07700 900982"}, "preferredWay": {"phone"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("office edit: %d %s", r.StatusCode, errorSummary(r))
			}
			stale := o.post(fmt.Sprintf("/contacts/%d/edit", mum.ID), url.Values{"version": {"1"}, "name": {"Grace Okafor"}, "relationship": {"mother"}})
			if stale.StatusCode != http.StatusConflict {
				t.Fatalf("stale edit: %d", stale.StatusCode)
			}
			if a.auditCount("contact.update", a.f.Users[sen.RoleOffice].ID) != 1 {
				t.Error("the office's change is not audited once")
			}
		})

		t.Run("a teacher logs a meeting; the follow-up reaches the SENCO's home page", func(t *testing.T) {
			tc := a.login(sen.RoleTeacher)
			today := st.Today()
			due := today.AddDate(0, 0, 3)
			r := tc.post(fmt.Sprintf("/pupils/%d/contact-log/new", pid), url.Values{"kind": {"meeting"}, "contact": {fmt.Sprint(mum.ID)},
				"date-day": {fmt.Sprint(today.Day())}, "date-month": {fmt.Sprint(int(today.Month()))}, "date-year": {fmt.Sprint(today.Year())},
				"summary": {"Parents' evening: reading is improving"}, "followUp": {"Send home the reading book list"},
				"followUpDue-day": {fmt.Sprint(due.Day())}, "followUpDue-month": {fmt.Sprint(int(due.Month()))}, "followUpDue-year": {fmt.Sprint(due.Year())}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("log: %d %s", r.StatusCode, errorSummary(r))
			}
			bad := tc.post(fmt.Sprintf("/pupils/%d/contact-log/new", pid), url.Values{"kind": {"call"}, "contact": {"other"}, "summary": {"x"}})
			if err := hasFieldError(bad, "date", "Enter the date of the contact"); err != nil {
				t.Errorf("no date: %v", err)
			}
			home := a.login(sen.RoleSENCO).get("/")
			if !strings.Contains(home.text(), "Contact follow-ups due in the next 7 days or overdue") {
				t.Error("the SENCO's home page has no follow-ups widget")
			}
			fu := a.login(sen.RoleSENCO).get("/follow-ups")
			if !strings.Contains(fu.text(), "Send home the reading book list") {
				t.Error("the follow-up is not listed")
			}
		})

		t.Run("key adult on the pupil page", func(t *testing.T) {
			c := a.login(sen.RoleSENCO)
			r := c.post(fmt.Sprintf("/pupils/%d/key-adult", pid), url.Values{"version": {"0"}, "staff": {fmt.Sprint(a.f.Users[sen.RoleTA].ID)}, "role": {"key_worker"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("key adult: %d %s", r.StatusCode, errorSummary(r))
			}
			want := "key adult: " + a.f.Users[sen.RoleTA].Name + ", Key worker"
			if got := a.login(sen.RoleTeacher).get(fmt.Sprintf("/pupils/%d", pid)); !strings.Contains(got.text(), want) {
				t.Errorf("pupil page lacks %q", want)
			}
			p := a.f.InClass
			a.setSEN(&p, sen.StatusSupport, "SPLD")
			if got := a.login(sen.RoleTeacher).get("/my-pupils"); !strings.Contains(got.text(), "Key adult: "+a.f.Users[sen.RoleTA].Name+", Key worker") {
				t.Error("My pupils with SEN lacks the key adult")
			}
		})

		t.Run("a referral from draft to seen, with waiting time", func(t *testing.T) {
			c := a.login(sen.RoleSENCO)
			r := c.post("/agencies/new", url.Values{"name": {"Riverside SALT"}, "kind": {"salt"}, "waitWeeks": {"12"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("agency: %d %s", r.StatusCode, errorSummary(r))
			}
			ags, _ := st.Agencies(ctx, senco)
			today := st.Today()
			cd := today.AddDate(0, 0, -1)
			r = c.post(fmt.Sprintf("/pupils/%d/referrals/new", pid), url.Values{"agency": {fmt.Sprint(ags[0].ID)}, "reason": {"Speech hard to follow"},
				"consent": {"yes"}, "consentBy": {"Grace Okafor (mother), signed form"},
				"consentDate-day": {fmt.Sprint(cd.Day())}, "consentDate-month": {fmt.Sprint(int(cd.Month()))}, "consentDate-year": {fmt.Sprint(cd.Year())}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("referral: %d %s", r.StatusCode, errorSummary(r))
			}
			loc := r.Header.Get("Location")
			for i, to := range []string{"sent", "waiting", "seen"} {
				d := today.AddDate(0, 0, -14+7*i)
				ref, _ := st.Referrals(ctx, senco, store.ReferralFilter{PupilID: pid})
				r = c.post(loc+"/status", url.Values{"version": {fmt.Sprint(ref[0].Version)}, "status": {to},
					"date-day": {fmt.Sprint(d.Day())}, "date-month": {fmt.Sprint(int(d.Month()))}, "date-year": {fmt.Sprint(d.Year())}})
				if r.StatusCode != http.StatusSeeOther {
					t.Fatalf("%s: %d %s", to, r.StatusCode, errorSummary(r))
				}
			}
			page := c.get(loc)
			if !strings.Contains(page.text(), "2 weeks until seen") {
				t.Errorf("referral page lacks the waiting time")
			}
			list := a.login(sen.RoleHead).get("/referrals?status=seen")
			if !strings.Contains(list.text(), "Riverside SALT") || !strings.Contains(list.text(), "1 referral") {
				t.Error("the head's list of seen referrals lacks it")
			}
			if r := a.login(sen.RoleHead).post(loc+"/status", url.Values{"status": {"discharged"}}); r.StatusCode != http.StatusForbidden {
				t.Errorf("the head moved a referral: %d", r.StatusCode)
			}
			// The referral is offered for an EHC evidence pack.
			req := ehc.Request{PupilID: pid, RequestedBy: "school", Received: today.AddDate(0, 0, -1), LAName: "Riverside"}
			if err := st.CreateRequest(ctx, senco, &req); err != nil {
				t.Fatal(err)
			}
			ev := c.get(fmt.Sprintf("/ehc/requests/%d/evidence", req.ID))
			if ev.StatusCode != http.StatusOK || !strings.Contains(ev.text(), "Referral to Riverside SALT") || !strings.Contains(ev.text(), "Involvement of outside services") {
				t.Errorf("the evidence pack does not offer the referral: %d", ev.StatusCode)
			}
		})
	})
}

func TestContactsImportHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine *store.Store) {
		a := newApp(t, engine.Engine())
		o := a.login(sen.RoleOffice)
		contacts := func() int { return a.count(`SELECT COUNT(*) FROM pupil_contacts WHERE school_id = $1`, a.f.SchoolID) }
		header := "UPN,Contact Name,Relationship,Parental Responsibility,Telephone,Court Order\r\n"
		good := a.f.InClass.UPN + ",Grace Okafor,Mother,Yes,07700 900982,\r\n" + a.f.NotTaught.UPN + ",Jo Carter,Father,Yes,,No contact order 2025\r\n"

		bad := header + good + a.f.InClass.UPN + ",Ann Okafor,Neighbour,No,,\r\n"
		r := o.upload("/contacts/import", "file", "contacts.csv", []byte(bad), url.Values{})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", r.StatusCode)
		}
		if errs := importErrors(r); len(errs) != 1 || !strings.Contains(errs[0], `Row 4, Relationship: "Neighbour" is not a relationship`) {
			t.Fatalf("errors: %q", errs)
		}
		unknown := header + good + "Z999999999999,Someone,Mother,,,\r\n"
		r = o.upload("/contacts/import", "file", "contacts.csv", []byte(unknown), url.Values{})
		if errs := importErrors(r); r.StatusCode != http.StatusUnprocessableEntity || len(errs) == 0 {
			t.Fatalf("unknown UPN: %d %q", r.StatusCode, errs)
		}
		// The commit step re-checks the file: a bad row carried to it writes nothing.
		r = o.post("/contacts/import/commit", url.Values{"data": {base64.URLEncoding.EncodeToString([]byte(bad))}, "filename": {"contacts.csv"}})
		if r.StatusCode != http.StatusUnprocessableEntity || contacts() != 0 {
			t.Fatalf("commit of a bad file: %d, %d contacts written", r.StatusCode, contacts())
		}
		r = o.upload("/contacts/import", "file", "contacts.csv", []byte(header+good), url.Values{})
		if r.StatusCode != http.StatusOK || !strings.Contains(r.text(), "2 new contacts") {
			t.Fatalf("preview: %d %s", r.StatusCode, errorSummary(r))
		}
		if contacts() != 0 {
			t.Fatal("the preview wrote contacts")
		}
		r = o.post("/contacts/import/commit", url.Values{"data": {previewData(t, r)}, "filename": {"contacts.csv"}})
		if r.StatusCode != http.StatusOK || contacts() != 2 {
			t.Fatalf("commit: %d, %d contacts", r.StatusCode, contacts())
		}
		if a.count(`SELECT COUNT(*) FROM pupil_contacts WHERE restricted = $1`, true) != 1 {
			t.Error("the court order did not become a restriction")
		}
		if r := a.login(sen.RoleTeacher).get("/contacts/import"); r.StatusCode != http.StatusForbidden {
			t.Errorf("teacher import page: %d", r.StatusCode)
		}
	})
}
