package mail_test

import (
	"context"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"opensend/internal/mail"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
)

// The digest ends with the school's audit log head, and that head checks
// out against the log on the audit page's check.
func TestDigestCarriesAuditHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := storetest.Seed(t, s, "x")
		seedDeadlines(t, s, f)
		d := &mail.Digest{Store: s, BaseURL: "https://send.example.org/", Hour: 7}
		if n, err := d.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("digests %d %v", n, err)
		}
		list, err := s.Outbox(ctx, f.Actor(sen.RoleSENCO), 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox %d %v", len(list), err)
		}
		m := regexp.MustCompile(`Audit log fingerprint this morning: entry (\d+), ([0-9a-f]{64})\n`).FindStringSubmatch(list[0].Text)
		if m == nil {
			t.Fatalf("no audit head in the digest:\n%s", list[0].Text)
		}
		seq, _ := strconv.ParseInt(m[1], 10, 64)
		link := "https://send.example.org/audit?hash=" + m[2] + "&amp;seq=" + m[1] + "#digest"
		if !strings.Contains(list[0].HTML, link) || !strings.Contains(list[0].HTML, "<code>"+m[2]+"</code>") || !strings.HasSuffix(strings.TrimSpace(list[0].HTML), "</body></html>") {
			t.Fatalf("HTML digest lacks the head or its link %s:\n%s", link, list[0].HTML)
		}
		rep, err := s.VerifyAudit(ctx, f.Actor(sen.RoleSENCO), &store.PublishedCheck{Seq: seq, Hash: m[2]})
		if err != nil || !rep.OK() || !rep.Published.Match {
			t.Fatalf("published head does not check: %+v %v", rep.Published, err)
		}
	})
}

func TestWithAuditHeadEmptyLog(t *testing.T) {
	msg := mail.Message{Text: "a\n", HTML: "<body></body>"}
	if got := mail.WithAuditHead(msg, store.DigestHead{}, "https://x"); !reflect.DeepEqual(got, msg) {
		t.Fatalf("a log with no entries changed the digest: %+v", got)
	}
}
