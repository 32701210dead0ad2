package ehc

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// PDFs for EHC work: the annual review report and the evidence pack for a
// needs-assessment request. Both are named documents in
// templates/pages/ehc_docs.html, each with its own typed data, printed by
// internal/pdf (tagged A4 with "Page X of Y" in the footer) through sendDoc.

// sendDoc renders the named document of ehc_docs.html with data and sends
// it as the PDF download filename (kit.SendPDF).
func (s *module) sendDoc(w http.ResponseWriter, r *http.Request, name string, data any, filename string, footer pdf.Footer) error {
	html, err := s.views.Execute("ehc_docs", name, data)
	if err != nil {
		return err
	}
	return s.k.SendPDF(w, r, html, filename, footer)
}

// --- Annual review report ---

// reviewReportDoc is the data of the annual review report ("reviewreport").
type reviewReportDoc struct {
	R          domain.Review
	School     string
	Due        string // the review's last day
	ReportDue  string // the report's last day to the local authority, "" before a meeting date
	PFA        bool   // show the preparing-for-adulthood section
	Milestones []MilestoneView
	Provision  []domain.Provision
}

func (s *module) reviewReportPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	pg, err := s.reviewPageFor(r, c, id)
	if err != nil {
		return err
	}
	plan, err := s.st.Plan(r.Context(), c.Actor, pg.R.PlanID)
	if err != nil {
		return err
	}
	d := &reviewReportDoc{R: pg.R, School: c.School.Name, Due: pg.Due, PFA: pg.PFA, Milestones: pg.Milestones, Provision: plan.Provision}
	if !pg.R.Meeting.IsZero() {
		d.ReportDue = longDate(deadline.MeetingDeadlinesFrom(deadline.FromTime(pg.R.Meeting)).Report)
	}
	return s.sendDoc(w, r, "reviewreport", d, "annual-review-"+kit.FileSafe(pg.R.PupilName)+".pdf",
		pdf.Footer{Left: c.School.Name + " · " + pg.R.PupilName + " · annual review", Right: "Printed " + s.st.Today().Format("2 January 2006")})
}

// --- Evidence pack ---

// EvidenceItem is one dated document the SENCO can put in the evidence
// pack for the local authority. Every module offers its own through its
// Evidence sources (the foundation: the pupil and the register history; the
// graduated approach: assessments, views and support plans; this module:
// the EHC plan and its Section F delivery); the pack lists them all.
type EvidenceItem = kit.EvidenceItem

func (s *module) evidenceEHC(ctx context.Context, c *kit.Ctx, pupilID int64) ([]EvidenceItem, error) {
	var out []EvidenceItem
	pid, err := s.st.PlanIDForPupil(ctx, c.Actor, pupilID)
	if err != nil {
		return out, nil // no plan: nothing to add
	}
	p, err := s.st.Plan(ctx, c.Actor, pid)
	if err != nil {
		return nil, err
	}
	it := EvidenceItem{Key: "plan", Kind: "EHC plan", Title: "Current EHC plan: needs, outcomes and provision", Date: p.Issued,
		Rows: [][2]string{{"Local authority", p.LAName}, {"Issued", formatDay(p.Issued)}, {"Placement (Section I)", p.Placement}}}
	for _, n := range p.Needs {
		it.Rows = append(it.Rows, [2]string{"Section B: " + domain.NeedAreaLabel(n.Area), n.Text})
	}
	for i, o := range p.Outcomes {
		it.Rows = append(it.Rows, [2]string{fmt.Sprintf("Section E outcome %d", i+1), o.Text})
	}
	out = append(out, it)
	if len(p.Provision) > 0 {
		costed := EvidenceItem{Key: "provision", Kind: "Support delivered", Title: "Section F provision specified and delivered this academic year", Date: s.st.Today()}
		for _, pr := range p.Provision {
			costed.Rows = append(costed.Rows, [2]string{pr.Description, fmt.Sprintf("%d × %d min a week by %s; %d of %s delivered (%d%%), %s missed",
				pr.SessionsPerWeek, pr.Minutes, pr.DeliveredBy, pr.Year.DeliveredMinutes, sen.Count(pr.Year.ExpectedMinutes, "minute", "minutes"), pr.Year.Percent(),
				sen.Count(pr.Year.Missed, "session", "sessions"))})
		}
		out = append(out, costed)
	}
	return out, nil
}

type evidencePage struct {
	kit.Page
	R     domain.Request
	Items []EvidenceItem
}

func (s *module) evidenceItems(r *http.Request, c *kit.Ctx, pupilID int64) ([]EvidenceItem, error) {
	var items []EvidenceItem
	for _, src := range s.k.Evidence {
		list, err := src(r.Context(), c, pupilID)
		if err != nil {
			return nil, err
		}
		items = append(items, list...)
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Date.Before(items[j].Date) })
	return items, nil
}

func (s *module) ehcEvidenceForm(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	rq, err := s.st.Request(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	items, err := s.evidenceItems(r, c, rq.PupilID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ehc_evidence", &evidencePage{Page: kit.Page{Title: "Evidence pack: " + rq.PupilName}, R: rq, Items: items})
}

// evidencePackDoc is the data of the evidence pack ("evidencepack").
type evidencePackDoc struct {
	School   string
	Pupil    string
	Received time.Time // the request reached the local authority
	Today    time.Time // the pack is prepared
	Items    []EvidenceItem
}

func (s *module) ehcEvidencePDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	rq, err := s.st.Request(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	items, err := s.evidenceItems(r, c, rq.PupilID)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, k := range r.PostForm["item"] {
		want[k] = true
	}
	var chosen []EvidenceItem
	for _, it := range items {
		if want[it.Key] {
			chosen = append(chosen, it)
		}
	}
	if len(chosen) == 0 {
		pg := &evidencePage{Page: kit.Page{Title: "Evidence pack: " + rq.PupilName}, R: rq, Items: items}
		return s.views.Form("ehc_evidence", pg, "items").Check(sen.FieldErrors{"items": "Select at least one item for the evidence pack"})
	}
	if err := s.st.RecordEvidencePack(r.Context(), c.Actor, rq.ID, rq.PupilID, len(chosen)); err != nil {
		return err
	}
	today := s.st.Today()
	d := &evidencePackDoc{School: c.School.Name, Pupil: rq.PupilName, Received: rq.Received, Today: today, Items: chosen}
	return s.sendDoc(w, r, "evidencepack", d, "evidence-pack-"+kit.FileSafe(rq.PupilName)+".pdf",
		pdf.Footer{Left: c.School.Name + " · " + rq.PupilName + " · evidence pack", Right: "Prepared " + today.Format("2 January 2006")})
}
