package ehc

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"opensend/internal/web/kit"

	"opensend/internal/deadline"
	domain "opensend/internal/ehc"
	"opensend/internal/pdf"
	"opensend/internal/sen"
)

// PDFs for EHC work: the annual review report and the evidence pack for a
// needs-assessment request. Both are self-contained HTML printed by
// internal/pdf (tagged A4 with "Page X of Y" in the footer).

const pdfStyle = `<style>
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 11pt; color: #0b0c0c; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 6pt; } h2 { font-size: 14pt; margin: 16pt 0 6pt; border-bottom: 1pt solid #b1b4b6; padding-bottom: 2pt; }
h3 { font-size: 12pt; margin: 10pt 0 4pt; } .caption { color: #505a5f; font-size: 12pt; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 10pt; } th, td { text-align: left; vertical-align: top; border-bottom: 1pt solid #b1b4b6; padding: 4pt 6pt 4pt 0; }
th { font-weight: bold; } .item { page-break-before: always; } .date { color: #505a5f; } .contents td { border: none; padding: 2pt 6pt 2pt 0; }
p { margin: 0 0 6pt; } .pre { white-space: pre-wrap; }
</style>`

func renderPDFDoc(t *template.Template, data any) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (s *module) sendPDF(w http.ResponseWriter, r *http.Request, doc, filename string, footer pdf.Footer) error {
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	out, err := s.k.PDF().Render(ctx, doc, footer)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	_, err = w.Write(out)
	return err
}

func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// --- Annual review report ---

var reviewReportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{"date": formatDay, "partyLabel": domain.InviteePartyLabel,
	"ratingLabel": domain.ProgressRatingLabel, "msStatusLabel": msStatusLabel}).Parse(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Annual review report: {{.R.PupilName}}</title>` + pdfStyle + `</head><body>
<p class="caption">{{.School}}</p>
<h1>EHC plan annual review report</h1>
<table><tbody>
<tr><th scope="row">Pupil</th><td>{{.R.PupilName}}</td></tr>
<tr><th scope="row">Plan issued</th><td>{{date .R.PlanIssued}}</td></tr>
<tr><th scope="row">Review meeting</th><td>{{if .R.Meeting.IsZero}}Not yet set{{else}}{{date .R.Meeting}}{{if not .R.MeetingHeld}} (not yet held){{end}}{{end}}</td></tr>
<tr><th scope="row">Review due by</th><td>{{.Due}}</td></tr>
<tr><th scope="row">Report due to the local authority</th><td>{{.ReportDue}}</td></tr>
</tbody></table>
<h2>Invitations, advice and attendance</h2>
{{if .R.Invitees}}<table><thead><tr><th scope="col">Invitee</th><th scope="col">Invited</th><th scope="col">Advice received</th><th scope="col">Attended</th></tr></thead><tbody>
{{range .R.Invitees}}<tr><td>{{.Name}} ({{partyLabel .Party}})</td><td>{{date .Invited}}</td><td>{{date .AdviceReceived}}</td><td>{{if .Attended}}Yes{{else}}No{{end}}</td></tr>{{end}}
</tbody></table>{{else}}<p>No invitees recorded.</p>{{end}}
{{if .R.Attendance}}<p><strong>Others present:</strong> <span class="pre">{{.R.Attendance}}</span></p>{{end}}
<h2>The pupil's views</h2><p class="pre">{{if .R.PupilViews}}{{.R.PupilViews}}{{else}}Not recorded.{{end}}</p>
<h2>The parents' or young person's views</h2><p class="pre">{{if .R.ParentViews}}{{.R.ParentViews}}{{else}}Not recorded.{{end}}</p>
<h2>Progress towards the outcomes in Section E</h2>
{{if .R.Progress}}<table><thead><tr><th scope="col">Outcome</th><th scope="col">Progress</th><th scope="col">Evidence</th></tr></thead><tbody>
{{range .R.Progress}}<tr><td>{{.Outcome}}</td><td>{{if .Rating}}{{ratingLabel .Rating}}{{else}}Not assessed{{end}}</td><td class="pre">{{.Note}}</td></tr>{{end}}
</tbody></table>{{else}}<p>The plan has no Section E outcomes recorded.</p>{{end}}
<h2>Section F provision: specified and delivered this academic year</h2>
{{if .Provision}}<table><thead><tr><th scope="col">Provision</th><th scope="col">Specified</th><th scope="col">Delivered</th></tr></thead><tbody>
{{range .Provision}}<tr><td>{{.Description}}</td><td>{{.SessionsPerWeek}} × {{.Minutes}} min a week; {{.Year.ExpectedMinutes}} min so far</td><td>{{.Year.DeliveredMinutes}} min ({{.Year.Percent}}%){{if .Year.Missed}}, {{.Year.Missed}} sessions missed{{end}}</td></tr>{{end}}
</tbody></table>{{else}}<p>No Section F lines recorded.</p>{{end}}
<h2>Recommended amendments</h2><p class="pre">{{if .R.Amendments}}{{.R.Amendments}}{{else}}None.{{end}}</p>
{{if .PFA}}<h2>Preparing for adulthood</h2><p class="pre">{{if .R.PFA}}{{.R.PFA}}{{else}}Not recorded.{{end}}</p>{{end}}
<h2>Statutory dates</h2>
<table><thead><tr><th scope="col">Step</th><th scope="col">Last day</th><th scope="col">Status</th></tr></thead><tbody>
{{range .Milestones}}<tr><td>{{.Label}}</td><td>{{.Due}}</td><td>{{msStatusLabel .Status}}{{if .Done}}, done {{.Done}}{{end}}</td></tr>{{end}}
</tbody></table>
</body></html>`))

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
	data := map[string]any{"R": pg.R, "School": c.School.Name, "Due": pg.Due, "PFA": pg.PFA, "Milestones": pg.Milestones, "Provision": plan.Provision, "ReportDue": ""}
	if !pg.R.Meeting.IsZero() {
		data["ReportDue"] = longDate(deadline.MeetingDeadlinesFrom(domain.Day(pg.R.Meeting)).Report)
	}
	doc, err := renderPDFDoc(reviewReportTmpl, data)
	if err != nil {
		return err
	}
	return s.sendPDF(w, r, doc, "annual-review-"+fileSafe(pg.R.PupilName)+".pdf",
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
			costed.Rows = append(costed.Rows, [2]string{pr.Description, fmt.Sprintf("%d × %d min a week by %s; %d of %d minutes delivered (%d%%), %d sessions missed",
				pr.SessionsPerWeek, pr.Minutes, pr.DeliveredBy, pr.Year.DeliveredMinutes, pr.Year.ExpectedMinutes, pr.Year.Percent(), pr.Year.Missed)})
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

var evidenceTmpl = template.Must(template.New("pack").Funcs(template.FuncMap{"date": formatDay, "inc": func(i int) int { return i + 1 }}).Parse(`<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Evidence pack: {{.Pupil}}</title>` + pdfStyle + `</head><body>
<p class="caption">{{.School}}</p>
<h1>Evidence for an EHC needs assessment request</h1>
<p><strong>Pupil:</strong> {{.Pupil}}. <strong>Request received by the local authority:</strong> {{date .Received}}. <strong>Prepared:</strong> {{date .Today}}.</p>
<h2>Contents</h2>
<table class="contents"><thead><tr><th scope="col">Item</th><th scope="col">Title</th><th scope="col">Dated</th></tr></thead><tbody>
{{range $i, $it := .Items}}<tr><td>{{inc $i}}</td><td>{{$it.Title}}</td><td>{{date $it.Date}}</td></tr>{{end}}
</tbody></table>
<p>Each item starts on a new page, headed with its number and date. Page numbers are in the footer.</p>
{{range $i, $it := .Items}}<section class="item">
<p class="caption">Item {{inc $i}} · {{$it.Kind}}</p>
<h2>{{$it.Title}}</h2>
<p class="date">Dated {{date $it.Date}}</p>
{{if $it.Rows}}<table><tbody>{{range $it.Rows}}<tr><th scope="row">{{index . 0}}</th><td class="pre">{{index . 1}}</td></tr>{{end}}</tbody></table>{{end}}
{{range $it.Paras}}<p class="pre">{{.}}</p>{{end}}
</section>{{end}}
</body></html>`))

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
		pg.SetErrors(sen.FieldErrors{"items": "Select at least one item for the evidence pack"}, "items")
		return s.render(w, r, http.StatusUnprocessableEntity, "ehc_evidence", pg)
	}
	doc, err := renderPDFDoc(evidenceTmpl, map[string]any{"School": c.School.Name, "Pupil": rq.PupilName, "Received": rq.Received, "Today": s.st.Today(), "Items": chosen})
	if err != nil {
		return err
	}
	if err := s.st.RecordEvidencePack(r.Context(), c.Actor, rq.ID, rq.PupilID, len(chosen)); err != nil {
		return err
	}
	return s.sendPDF(w, r, doc, "evidence-pack-"+fileSafe(rq.PupilName)+".pdf",
		pdf.Footer{Left: c.School.Name + " · " + rq.PupilName + " · evidence pack", Right: "Prepared " + s.st.Today().Format("2 January 2006")})
}
