package people

import (
	"context"
	"fmt"

	"opensend/internal/authz"
	domain "opensend/internal/people"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// evidenceReferrals offers a pupil's referrals to outside services (sent or
// later) for an EHC evidence pack: what outside specialists were asked to
// do, and what came of it.
func (s *module) evidenceReferrals(ctx context.Context, c *kit.Ctx, pupilID int64) ([]kit.EvidenceItem, error) {
	if !c.Can(authz.ReferralsRead) {
		return nil, nil
	}
	list, err := s.st.Referrals(ctx, c.Actor, store.ReferralFilter{PupilID: pupilID})
	if err != nil {
		return nil, err
	}
	today := s.st.Today()
	var items []kit.EvidenceItem
	for _, r := range list {
		if r.Referred.IsZero() {
			continue // a draft was never sent
		}
		it := kit.EvidenceItem{Key: fmt.Sprintf("referral-%d", r.ID), Kind: "Involvement of outside services", Date: r.Referred,
			Title: "Referral to " + r.AgencyName, Rows: [][2]string{{"Status", r.StatusLabel()}, {"Sent", kit.FormatDate(r.Referred)}}}
		if !r.SeenOn.IsZero() {
			it.Rows = append(it.Rows, [2]string{"Seen", kit.FormatDate(r.SeenOn)})
		}
		if w, ok := domain.WaitingWeeks(r, today); ok {
			label := "Waiting so far"
			if !r.SeenOn.IsZero() {
				label = "Waited until seen"
			}
			it.Rows = append(it.Rows, [2]string{label, sen.Count(w, "week", "weeks")})
		}
		it.Paras = append(it.Paras, "Reason: "+r.Reason)
		if r.Outcome != "" {
			it.Paras = append(it.Paras, "Outcome: "+r.Outcome)
		}
		items = append(items, it)
	}
	return items, nil
}
