// Package people is the web module of the people around a pupil (issue
// 14): the pupil's family and contacts with any restriction shown wherever
// someone could contact or share with that person, the contact log and its
// follow-ups, the key adult, the directory of outside agencies and
// referrals to them, and the contacts import from a MIS export. Its domain
// is internal/people (imported as domain), its SQL internal/store/people*.go.
package people

import (
	"context"
	"embed"
	"net/http"
	"strconv"

	"opensend/internal/authz"
	domain "opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

//go:embed templates
var templateFS embed.FS

type module struct {
	k     *kit.Kit
	st    *store.Store
	views *kit.Views
}

// Who may reach the module's routes, written by hand for the route × role
// matrix test (never derived from authz).
var (
	contactReaders = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA, sen.RoleOffice}
	contactWriters = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleOffice}
	logReaders     = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead, sen.RoleTeacher, sen.RoleTA}
	logWriters     = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleTeacher, sen.RoleTA}
	leads          = []sen.Role{sen.RoleSENCO, sen.RoleDeputy}
	withSLT        = []sen.Role{sen.RoleSENCO, sen.RoleDeputy, sen.RoleHead}
)

// New makes the module.
func New(k *kit.Kit) (kit.Module, error) {
	v, err := k.Views(templateFS, nil)
	if err != nil {
		return kit.Module{}, err
	}
	s := &module{k: k, st: k.Store, views: v}
	return kit.Module{
		Name: "people",
		Routes: []kit.Route{
			{Pattern: "GET /pupils/{id}/family", Action: authz.ContactsRead, Handler: s.family, Allow: contactReaders, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/contacts/new", Action: authz.ContactsWrite, Handler: s.contactNew, Allow: contactWriters, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/contacts/new", Action: authz.ContactsWrite, Handler: s.contactSave, Allow: contactWriters, ID: kit.IDPupil},
			{Pattern: "GET /contacts/{id}/edit", Action: authz.ContactsWrite, Handler: s.contactEdit, Allow: contactWriters, ID: kit.IDContact},
			{Pattern: "POST /contacts/{id}/edit", Action: authz.ContactsWrite, Handler: s.contactSave, Allow: contactWriters, ID: kit.IDContact},
			{Pattern: "GET /contacts/import", Action: authz.ContactsWrite, Handler: s.importForm, Allow: contactWriters},
			{Pattern: "POST /contacts/import", Action: authz.ContactsWrite, Handler: s.importPreview, Allow: contactWriters},
			{Pattern: "POST /contacts/import/commit", Action: authz.ContactsWrite, Handler: s.importCommit, Allow: contactWriters},
			{Pattern: "GET /pupils/{id}/contact-log/new", Action: authz.ContactLogWrite, Handler: s.logNew, Allow: logWriters, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/contact-log/new", Action: authz.ContactLogWrite, Handler: s.logSave, Allow: logWriters, ID: kit.IDPupil},
			{Pattern: "POST /contact-log/{id}/done", Action: authz.ContactLogWrite, Handler: s.logDone, Allow: logWriters, ID: kit.IDContactLog},
			{Pattern: "GET /follow-ups", Action: authz.ContactLogRead, Handler: s.followUps, Allow: logReaders},
			{Pattern: "GET /pupils/{id}/key-adult", Action: authz.KeyAdultWrite, Handler: s.keyAdultForm, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/key-adult", Action: authz.KeyAdultWrite, Handler: s.keyAdultSave, Allow: leads, ID: kit.IDPupil},

			{Pattern: "GET /agencies", Action: authz.ReferralsRead, Handler: s.agencies, Allow: withSLT},
			{Pattern: "GET /agencies/new", Action: authz.ReferralsWrite, Handler: s.agencyForm, Allow: leads},
			{Pattern: "POST /agencies/new", Action: authz.ReferralsWrite, Handler: s.agencySave, Allow: leads},
			{Pattern: "GET /agencies/{id}/edit", Action: authz.ReferralsWrite, Handler: s.agencyForm, Allow: leads, ID: kit.IDAgency},
			{Pattern: "POST /agencies/{id}/edit", Action: authz.ReferralsWrite, Handler: s.agencySave, Allow: leads, ID: kit.IDAgency},
			{Pattern: "GET /referrals", Action: authz.ReferralsRead, Handler: s.referrals, Allow: withSLT},
			{Pattern: "GET /pupils/{id}/referrals", Action: authz.ReferralsRead, Handler: s.pupilReferrals, Allow: withSLT, ID: kit.IDPupil},
			{Pattern: "GET /pupils/{id}/referrals/new", Action: authz.ReferralsWrite, Handler: s.referralNew, Allow: leads, ID: kit.IDPupil},
			{Pattern: "POST /pupils/{id}/referrals/new", Action: authz.ReferralsWrite, Handler: s.referralSave, Allow: leads, ID: kit.IDPupil},
			{Pattern: "GET /referrals/{id}", Action: authz.ReferralsRead, Handler: s.referralShow, Allow: withSLT, ID: kit.IDReferral},
			{Pattern: "GET /referrals/{id}/edit", Action: authz.ReferralsWrite, Handler: s.referralEdit, Allow: leads, ID: kit.IDReferral},
			{Pattern: "POST /referrals/{id}/edit", Action: authz.ReferralsWrite, Handler: s.referralSave, Allow: leads, ID: kit.IDReferral},
			{Pattern: "POST /referrals/{id}/status", Action: authz.ReferralsWrite, Handler: s.referralMove, Allow: leads, ID: kit.IDReferral},
		},
		Nav: []kit.NavItem{
			{Href: "/referrals", Label: "Referrals", Action: authz.ReferralsRead, Group: kit.NavSupport, Order: 70},
			{Href: "/agencies", Label: "Agencies directory", Action: authz.ReferralsRead, Group: kit.NavSupport, Order: 71},
			// Teachers and TAs reach their follow-ups from their pupils' family pages;
			// the link is for those who run the school's work with families.
			{Href: "/follow-ups", Label: "Contact follow-ups", Action: authz.ReferralsRead, Group: kit.NavSupport, Order: 72},
			{Href: "/contacts/import", Label: "Import contacts", Action: authz.ContactsWrite, Group: kit.NavSettings, Order: 112},
		},
		Sections: s.pupilSections,
		Widgets:  s.homeWidgets,
		Flashes: map[string]string{
			"contact-added":   "Contact added",
			"contact-saved":   "Contact saved",
			"contact-logged":  "Contact logged",
			"follow-up-done":  "Follow-up marked as done",
			"key-adult-saved": "Key adult saved",
			"agency-saved":    "Service saved in the directory",
			"referral-added":  "Referral drafted: record the parents' consent, then mark it as sent",
			"referral-saved":  "Referral saved",
			"referral-moved":  "Referral updated",
			"contacts-import": "Contacts imported",
		},
		Evidence: []kit.EvidenceSource{s.evidenceReferrals},
	}, nil
}

// pupilSections are the module's links on a pupil's page: the family and
// contacts (naming the key adult) and, for the SENCO and SLT, agencies and
// referrals.
func (s *module) pupilSections(c *kit.Ctx, p sen.Pupil) []kit.Section {
	id := strconv.FormatInt(p.ID, 10)
	var out []kit.Section
	if c.Can(authz.ContactsRead) {
		label := "Family and contacts"
		// The key adult is a staff assignment shown with the record the
		// person has just opened (and audited); the Sections hook has no
		// request, so the read takes a background context.
		if k, err := s.st.KeyAdultOf(context.Background(), c.Actor, p.ID); err == nil && k.Assigned {
			label += " (key adult: " + k.Name + ", " + k.RoleLabel() + ")"
		}
		out = append(out, kit.Section{Order: 60, Href: "/pupils/" + id + "/family", Label: label})
	}
	if c.Can(authz.ReferralsRead) {
		out = append(out, kit.Section{Order: 61, Href: "/pupils/" + id + "/referrals", Label: "Agencies and referrals"})
	}
	return out
}

// homeWidgets is the SENCO's panel of contact follow-ups and referrals.
func (s *module) homeWidgets(r *http.Request, c *kit.Ctx) ([]kit.Widget, error) {
	if !c.Can(authz.ReferralsWrite) {
		return nil, nil
	}
	due, overdue, err := s.st.FollowUpsDueCount(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	open, late, err := s.st.OpenReferralCounts(r.Context(), c.Actor)
	if err != nil {
		return nil, err
	}
	return []kit.Widget{{Order: 40, Title: "Families and agencies", Items: []kit.WidgetItem{
		{Label: "Contact follow-ups due in the next 7 days or overdue", Href: "/follow-ups", Count: due, Warn: overdue > 0},
		{Label: "Contact follow-ups overdue", Href: "/follow-ups", Count: overdue, Warn: overdue > 0},
		{Label: "Open referrals", Href: "/referrals?status=open", Count: open},
		{Label: "Referrals waiting longer than the service's expected time", Href: "/referrals?status=overdue", Count: late, Warn: late > 0},
	}}}, nil
}

func (s *module) render(w http.ResponseWriter, r *http.Request, status int, name string, data kit.Pager) error {
	return s.views.Render(w, r, status, name, data)
}

// restricted lists the contacts with a restriction, for the warning shown
// wherever someone could contact or share with them.
func restricted(cs []domain.Contact) []domain.Contact {
	var out []domain.Contact
	for _, c := range cs {
		if c.Restricted {
			out = append(out, c)
		}
	}
	return out
}
