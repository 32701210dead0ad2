package web

import (
	"context"
	"fmt"
	"strings"

	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// evidenceRegister is the foundation's evidence for an EHC needs-assessment
// pack: the pupil's details and needs, and the SEN register history.
func (s *Server) evidenceRegister(ctx context.Context, c *kit.Ctx, pupilID int64) ([]kit.EvidenceItem, error) {
	p, err := s.st.Pupil(ctx, c.Actor, pupilID, "evidence pack")
	if err != nil {
		return nil, err
	}
	var needs []string
	for _, n := range p.Needs {
		l := sen.NeedLabel(n.Code)
		if n.Rank == 1 {
			l += " (primary need)"
		} else if !n.InCensus() {
			l = sen.AdditionalNeedLabel + ": " + l
		}
		needs = append(needs, l)
	}
	out := []kit.EvidenceItem{{Key: "pupil", Kind: "Pupil", Title: "Pupil details and needs", Date: s.st.Today(), Rows: [][2]string{
		{"Name", p.FullName()}, {"Date of birth", kit.FormatDate(p.DOB)}, {"Year group", sen.YearGroupLabel(p.YearGroup)}, {"UPN", p.UPN},
		{"SEN provision", sen.StatusLabel(p.Status)}, {"Needs", strings.Join(needs, "; ")}}}}
	hist, err := s.st.StatusHistory(ctx, c.Actor, pupilID)
	if err != nil {
		return nil, err
	}
	for _, h := range hist {
		out = append(out, kit.EvidenceItem{Key: fmt.Sprintf("status-%d", h.ID), Kind: "SEN register", Title: "SEN register entry: " + sen.StatusLabel(h.Status), Date: h.StartDate,
			Rows: [][2]string{{"Status", sen.StatusLabel(h.Status)}, {"Decided by", h.DecidedBy}, {"Reason or evidence", h.Reason}, {"Recorded by", h.RecordedBy}}})
	}
	return out, nil
}
