package plans

import (
	"context"
	"fmt"
	"strconv"

	"opensend/internal/web/kit"

	"opensend/internal/authz"
	domain "opensend/internal/plans"
)

func (s *module) evidenceGraduated(ctx context.Context, c *kit.Ctx, pupilID int64) ([]kit.EvidenceItem, error) {
	var items []kit.EvidenceItem
	if c.Can(authz.EvidenceRead) {
		timeline, err := s.st.EvidenceTimeline(ctx, c.Actor, pupilID)
		if err != nil {
			return nil, err
		}
		for _, e := range timeline {
			if e.Restricted {
				continue // the reader may not see it, so it cannot be sent
			}
			it := kit.EvidenceItem{Key: fmt.Sprintf("evidence-%d", e.ID), Kind: "Assessment and views", Date: e.Date,
				Title: domain.KindLabel(e.Kind)}
			if e.Title != "" {
				it.Title += ": " + e.Title
			}
			if e.Confidential {
				it.Title += " (confidential)"
			}
			if e.Who != "" {
				it.Rows = append(it.Rows, [2]string{"Who", e.Who})
			}
			if e.StandardScore > 0 {
				it.Rows = append(it.Rows, [2]string{"Standard score", strconv.Itoa(e.StandardScore)})
			}
			if e.Percentile > 0 {
				it.Rows = append(it.Rows, [2]string{"Percentile", strconv.Itoa(e.Percentile)})
			}
			if e.AgeEquivalent != "" {
				it.Rows = append(it.Rows, [2]string{"Age equivalent", e.AgeEquivalent})
			}
			it.Rows = append(it.Rows, [2]string{"Recorded by", e.Author})
			if e.Body != "" {
				it.Paras = append(it.Paras, e.Body)
			}
			items = append(items, it)
		}
	}
	if !c.Can(authz.PlanRead) {
		return items, nil
	}
	cur, ok, err := s.st.CurrentSupportPlan(ctx, c.Actor, pupilID, "evidence pack")
	if err != nil || !ok {
		return items, err
	}
	for _, cy := range cur.Cycles {
		v, err := s.st.SupportPlan(ctx, c.Actor, cy.ID, "evidence pack")
		if err != nil {
			return nil, err
		}
		p := v.Cycle
		it := kit.EvidenceItem{Key: fmt.Sprintf("cycle-%d", p.ID), Kind: "SEN support plan", Date: p.StartDate,
			Title: fmt.Sprintf("SEN support plan, cycle %d (%s)", p.Number, p.Status.Label())}
		it.Rows = append(it.Rows, [2]string{"Plan start", p.StartDate.Format("2 January 2006")}, [2]string{"Review date", p.Review.Format("2 January 2006")})
		if p.NeedsSummary != "" {
			it.Paras = append(it.Paras, "Summary of needs: "+p.NeedsSummary)
		}
		for _, pair := range [][2]string{{"What is important to me", p.PupilImportant}, {"What helps me", p.PupilHelps},
			{"What does not help me", p.PupilNotHelp}, {"My strengths", p.PupilStrengths}, {"Parents' views", p.ParentViews}} {
			if pair[1] != "" {
				it.Rows = append(it.Rows, pair)
			}
		}
		for i, o := range p.Outcomes {
			line := fmt.Sprintf("%s Success criteria: %s. Baseline: %s. Target date: %s.", o.Text, o.SuccessCriteria, o.Baseline, o.TargetDate.Format("2 January 2006"))
			it.Rows = append(it.Rows, [2]string{fmt.Sprintf("Outcome %d", i+1), line})
		}
		for _, su := range p.Support {
			it.Rows = append(it.Rows, [2]string{"Support", fmt.Sprintf("%s — %s, %s, for %s, from %s", su.What, su.Who, su.Frequency, su.Duration, su.StartDate.Format("2 January 2006"))})
		}
		items = append(items, it)
		if r := v.Review; r != nil {
			rv := kit.EvidenceItem{Key: fmt.Sprintf("review-%d", p.ID), Kind: "SEN support review", Date: r.MeetingDate,
				Title: fmt.Sprintf("Review of support plan cycle %d", p.Number)}
			rv.Rows = append(rv.Rows, [2]string{"Parents present", r.Parents}, [2]string{"Staff present", r.Staff})
			if r.Professionals != "" {
				rv.Rows = append(rv.Rows, [2]string{"Professionals", r.Professionals})
			}
			for i, o := range p.Outcomes {
				if rating, ok := r.Ratings[o.ID]; ok {
					rv.Rows = append(rv.Rows, [2]string{fmt.Sprintf("Outcome %d", i+1), rating.Label() + ": " + r.Evidence[o.ID]})
				}
			}
			for _, pair := range [][2]string{{"Pupil's comments", r.PupilComments}, {"Parents' comments", r.ParentComments}, {"Next steps", r.NextSteps}} {
				if pair[1] != "" {
					rv.Rows = append(rv.Rows, pair)
				}
			}
			items = append(items, rv)
		}
	}
	return items, nil
}
