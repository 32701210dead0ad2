package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/records"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// TestRecordsDisposalJourney is a disposal run in a real browser (issue
// 17): the SENCO opens the disposal list of the demo school (two former
// pupils past retention, a third under a legal hold), reviews one SEN file,
// is stopped until she ticks the confirmation naming what will be
// destroyed, and is left with the certificate; she changes a retention
// rule, and places and lifts legal holds from the pupils' retention pages;
// then she looks at where she is signed in.
// Every page, error states included, passes checkPage (axe-core at WCAG 2.2
// AA, CSP, script errors). SQLite only: the store tests cover PostgreSQL.
func TestRecordsDisposalJourney(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, storetest.Engines[0], browser, true)
	a.shotPrefix = "records-"
	ctx := context.Background()
	senco := a.newUser(t, "SENCO")
	senco.signInTo("/records", a.login(t, sen.RoleSENCO), "disposal-list")
	list, err := a.st.Disposal(ctx, a.senco())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, it := range list.Due {
		ids[it.Pupil.Surname] = it.Pupil.ID
	}
	w, ash, pre := ids["Whitfield"], ids["Ashworth"], ids["Prescott"]
	if w == 0 || ash == 0 || pre == 0 {
		t.Fatalf("demo disposal list %v", ids)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	senco.wantText("#due-"+id(pre)+"-sen_file", "Due: on legal hold", "Harlow & Co")
	senco.wantText("#hold-"+id(pre), "Liam Prescott", "1 March 2023")

	// Review and confirm Daniel Whitfield's SEN file.
	senco.click("#due-"+id(w)+"-sen_file a", 200, "review")
	senco.wantText("#what", "the pupil's details, SEN register entry")
	senco.click("#dispose", 422, "review-unconfirmed")
	senco.wantErrors("unconfirmed disposal", "Confirm that you want to destroy these records for good")
	senco.check("#confirm")
	senco.click("#dispose", 200, "certificate")
	senco.wantText("#certificate", records.PupilRef(w), "SEN file", "Date of birth + 31 years", a.demo.Users[sen.RoleSENCO][0].Name)
	if strings.Contains(senco.text("main"), "Whitfield") {
		t.Error("the certificate names the pupil")
	}
	pdf := pdfText(t, "certificate PDF", senco.fetch(senco.eval(`document.querySelector('#certificate-pdf').getAttribute('href')`)))
	if !strings.Contains(pdf, records.PupilRef(w)) || !strings.Contains(pdf, "Date of birth + 31 years") || strings.Contains(pdf, "Whitfield") {
		t.Errorf("certificate PDF: %s", pdf)
	}
	if n := count(t, a.st, `SELECT COUNT(*) FROM pupils WHERE id = $1`, w); n != 0 {
		t.Errorf("Whitfield still in the database: %d", n)
	}
	senco.open("/records/certificates", 200, "certificates")
	senco.open("/records", 200, "")
	if senco.has("#due-" + id(w) + "-sen_file") {
		t.Error("the disposed file is still on the list")
	}

	// A rule the school sets, with its source.
	senco.open("/records/rules", 200, "rules")
	senco.click("#rule-concerns a", 200, "rule-edit")
	senco.check("#basis-closed")
	senco.typeInto("#years", "6")
	senco.fill("#source", "")
	senco.click("#save-rule", 422, "rule-edit-error")
	senco.wantErrors("rule without a source", "Enter where the rule comes from, for example the school's retention schedule")
	senco.fill("#source", "Meadowbank retention schedule 2026, row 12")
	senco.click("#save-rule", 200, "")
	senco.wantText("#rule-concerns", "Closed + 6 years", "Meadowbank retention schedule 2026")

	// Legal holds: Rebecca Ashworth's placed (after a missing reason), then lifted.
	senco.open("/pupils/"+id(ash), 200, "")
	senco.click(`a[href="/pupils/`+id(ash)+`/retention"]`, 200, "retention")
	senco.click("#place-hold", 422, "retention-error")
	senco.wantErrors("hold without a reason", "Enter the reason for the legal hold, for example the claim or inquiry it is for")
	senco.fill("#reason", "Subject access request by a former pupil, 2 December 2026")
	senco.click("#place-hold", 200, "retention-held")
	senco.wantText("#hold-banner", "Subject access request")
	senco.open("/pupils/"+id(ash), 200, "")
	senco.wantText(`a[href="/pupils/`+id(ash)+`/retention"]`, "under a legal hold")
	senco.open("/records", 200, "disposal-list-held")
	senco.wantText("#due-"+id(ash)+"-sen_file", "Due: on legal hold")
	senco.open("/pupils/"+id(ash)+"/retention", 200, "")
	senco.click("#lift-hold", 422, "lift-error")
	senco.fill("#liftReason", "Request answered on 2 December 2026")
	senco.click("#lift-hold", 200, "")
	senco.wantText("#hold-history", "lifted by", "Request answered")

	// Where the SENCO is signed in: this browser, which she can sign out.
	senco.open("/account/sessions", 200, "sessions")
	senco.wantText("#sessions", "This browser")
}

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
