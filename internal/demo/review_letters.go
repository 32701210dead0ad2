package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// The demo school's letterhead, and the upcoming review's letters and
// reports: invitees with e-mail and postal addresses, the meeting's time
// and place, two reports uploaded and circulated (by e-mail to the parents,
// by post to the others), and the letters to the parents and the local
// authority printed for post.

func demoLetterhead(ctx context.Context, st *store.Store, senco sen.Actor) error {
	set, err := st.SchoolSettings(ctx, senco)
	if err != nil {
		return err
	}
	if set.Type == "" {
		return nil // no school type yet: the SENCO sets the page up
	}
	set.Address = "Riverside Road\nRiverside\nRV1 4QX"
	set.Phone = "01632 960 123"
	set.Email = "office@riverside-school.example"
	return st.SaveSchoolSettings(ctx, senco, set)
}

// demoInvitees are the people invited to the upcoming review.
var demoInvitees = []ehc.Invitee{
	{Party: "parent", Name: "Parents", Email: "parents.home@example.com", Address: "14 Willow Crescent\nRiverside\nRV2 7JD"},
	{Party: "la", Name: "LA SEN casework officer", Email: "sen.casework@riverside-council.example", Address: "SEN Team, County Hall\nRiverside\nRV1 1AA"},
	{Party: "health", Name: "Speech and language therapist", Address: "Children's Therapy Service, Riverside Health Centre\nRiverside\nRV3 2PL"},
	{Party: "professional", Name: "Educational psychologist", Email: "ep.service@riverside-council.example"},
}

// demoReports circulates two reports on the review.
func demoReports(ctx context.Context, st *store.Store, senco sen.Actor, reviewID int64, school string, today time.Time) error {
	for _, r := range []struct {
		rep   ehc.ReviewReport
		file  string
		lines []string
	}{
		{ehc.ReviewReport{Author: "Educational psychology service", Kind: "ep", Received: today.AddDate(0, 0, -3)}, "EP report.pdf",
			[]string{"Educational psychologist's report", "Assessment of learning and communication.", "Recommendations for the annual review."}},
		{ehc.ReviewReport{Author: "Parents", Kind: "parent-views", Received: today.AddDate(0, 0, -1)}, "Parents' views.pdf",
			[]string{"Parents' views for the annual review", "What is going well, and what we would like to change."}},
	} {
		if _, err := st.AddReviewReport(ctx, senco, reviewID, r.rep, r.file, demoPDF(r.lines)); err != nil {
			return fmt.Errorf("demo report: %w", err)
		}
	}
	_, err := st.CirculateReports(ctx, senco, reviewID, store.CirculateByEmail, school)
	return err
}

// demoPDF is a small one-page PDF with lines of text (Helvetica), so the
// demo's uploaded reports open in a PDF reader.
func demoPDF(lines []string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 770 Td 16 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		content.WriteString("(" + l + ") Tj T*\n")
	}
	content.WriteString("ET")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len()+1, content.String()),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}
