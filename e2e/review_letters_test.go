package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"opensend/internal/ehc"
	"opensend/internal/sen"
	"opensend/internal/store"
)

// TestReviewLettersJourney: on the demo's upcoming annual review, the SENCO
// reads the letters page (invitations, the two circulated reports), changes
// the meeting's time on the review page (a wrong time first), uploads a
// report (with nothing chosen first), circulates it by post, changes an
// invitee's e-mail address and e-mails their letter; the school's
// settings carry the letterhead; office staff see the recipients' addresses
// on the letters page. Every page, error states included, passes
// checkPage (axe-core).
func TestReviewLettersJourney(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, store.SQLite, browser, false)
	ctx := context.Background()
	var rv ehc.Review
	plans, err := a.st.Plans(ctx, a.senco())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		full, err := a.st.Plan(ctx, a.senco(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range full.Reviews {
			if x, err := a.st.Review(ctx, a.senco(), r.ID); err == nil && len(x.Reports) > 0 && !x.MeetingHeld {
				rv = x
			}
		}
	}
	if rv.ID == 0 {
		t.Fatal("the demo has no upcoming review with reports")
	}
	review := "/ehc/reviews/" + strconv.FormatInt(rv.ID, 10)

	senco := a.newUser(t, "SENCO")
	senco.signInTo("/ehc/letters", a.login(t, sen.RoleSENCO), "")
	senco.wantText("#report-list", "Educational psychology service", "Circulated on")
	senco.open("/settings/school", http.StatusOK, "")
	senco.wantText("main", "Letterhead")

	senco.open(review, http.StatusOK, "")
	senco.wantText("#meeting-when", "2:30pm", "the SENCO's office")
	senco.wantText("#report-table", "Educational psychologist's report", "Circulated on", "Parents by e-mail")
	senco.fill("#meetingTime", "25:00")
	senco.click("#save-meeting", http.StatusUnprocessableEntity, "")
	senco.wantErrors("a wrong time", "Enter the time as hours and minutes on the 24-hour clock, like 14:30")
	senco.fill("#meetingTime", "15:00")
	senco.click("#save-meeting", http.StatusOK, "")
	senco.wantFlash("Review updated")
	senco.wantText("#meeting-when", "3pm in the SENCO's office")

	// A report: nothing chosen first, then a PDF.
	senco.click("#upload-report", http.StatusUnprocessableEntity, "")
	senco.wantErrors("an empty upload", "Select the advice or report to upload", "Enter who wrote it, or their service", "Select what it is", "Enter the date received")
	file := filepath.Join(t.TempDir(), "OT report.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	senco.step("choose the report file", func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.SetUploadFiles(chromedp.CSS("#reportFile"), []string{file}))
		return err
	})
	senco.fill("#reportAuthor", "Occupational therapy service")
	senco.choose("#reportKind", "health")
	senco.typeDate("reportReceived", a.st.Today())
	senco.click("#upload-report", http.StatusOK, "")
	senco.wantFlash("Report uploaded")
	senco.wantText("#report-table", "Occupational therapy service", "Not yet circulated")
	senco.check("#circulateHow-post")
	senco.click("#circulate", http.StatusOK, "")
	senco.wantFlash("Reports circulated")

	// An invitee's e-mail address, then their letter by e-mail.
	la := rv.Invitees[1]
	senco.open(fmt.Sprintf("/ehc/invitees/%d/edit", la.ID), http.StatusOK, "")
	senco.fill("#inviteeEmail", "not an address")
	senco.click("#save-invitee", http.StatusUnprocessableEntity, "")
	senco.fill("#inviteeEmail", "casework@northshire.example")
	senco.click("#save-invitee", http.StatusOK, "")
	senco.wantFlash("Review updated")
	senco.click(fmt.Sprintf("#letter-%d form[action$='/email'] button", la.ID), http.StatusOK, "")
	senco.wantFlash("Letter sent by e-mail")
	senco.wantText(fmt.Sprintf("#letter-%d", la.ID), "Sent by e-mail to casework@northshire.example")

	office := a.newUser(t, "office")
	office.signInTo("/ehc/letters", a.login(t, sen.RoleOffice), "")
	if office.has("#report-list") {
		t.Error("office staff see the reports")
	}
}
