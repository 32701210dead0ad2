package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"opensend/internal/ehc"
	"opensend/internal/plans"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The evidence pack offers the graduated approach's records (issue 4) and
// prints the chosen ones.
func TestEvidencePackIncludesAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newApp(t, st.Engine())
		ctx := t.Context()
		senco := a.f.Actor(sen.RoleSENCO)
		obs := plans.Evidence{PupilID: a.f.InClass.ID, Kind: plans.KindObservation, Date: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC),
			Title: "Maths lesson", Who: "Test SENCO", Body: "Needed the question read twice; used counters to start."}
		if err := a.st.AddEvidence(ctx, senco, &obs); err != nil {
			t.Fatal(err)
		}
		req := ehc.Request{PupilID: a.f.InClass.ID, RequestedBy: "school", Received: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), LAName: "Riverside"}
		if err := a.st.CreateRequest(ctx, senco, &req); err != nil {
			t.Fatal(err)
		}
		c := a.login(sen.RoleSENCO)
		path := "/ehc/requests/" + strconv.FormatInt(req.ID, 10) + "/evidence"
		r := c.get(path)
		key := "evidence-" + strconv.FormatInt(obs.ID, 10)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `value="`+key+`"`) || !strings.Contains(r.Body, "Observation: Maths lesson") {
			t.Fatalf("evidence form does not offer the observation: %d", r.StatusCode)
		}
		r = c.post(path, url.Values{"item": {key}})
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pack: %d", r.StatusCode)
		}
		text := pdfText(t, r.Body)
		for _, want := range []string{"Observation: Maths lesson", "used counters to start", "5 October 2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("pack lacks %q:\n%s", want, text)
			}
		}
	})
}
