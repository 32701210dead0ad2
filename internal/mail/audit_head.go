package mail

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"opensend/internal/store"
)

// WithAuditHead adds the school's audit log head (its latest entry number
// and fingerprint, store.DigestHead) to the end of a digest. Once mailed
// out, that fingerprint cannot be rewritten by someone who changes the
// database, so the audit page (/audit) can check the log still holds it.
// A school with no audit entries yet gets nothing added.
func WithAuditHead(m Message, h store.DigestHead, baseURL string) Message {
	if h.Seq == 0 {
		return m
	}
	seq := strconv.FormatInt(h.Seq, 10)
	check := strings.TrimSuffix(baseURL, "/") + "/audit?" + url.Values{"seq": {seq}, "hash": {h.Hash}}.Encode() + "#digest"
	m.Text = strings.TrimRight(m.Text, "\n") + "\n\nAudit log fingerprint this morning: entry " + seq + ", " + h.Hash +
		"\nKeep this e-mail. To check the audit log has not been rewritten since: " + check + "\n"
	para := `<p>Audit log fingerprint this morning: entry ` + seq + `, <code>` + template.HTMLEscapeString(h.Hash) + `</code>. Keep this e-mail. ` +
		`<a href="` + template.HTMLEscapeString(check) + `">Check the audit log has not been rewritten since</a>.</p>` + "\n"
	if i := strings.LastIndex(m.HTML, "</body>"); i >= 0 {
		m.HTML = m.HTML[:i] + para + m.HTML[i:]
	} else {
		m.HTML += para
	}
	return m
}
