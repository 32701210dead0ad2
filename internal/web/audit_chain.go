package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// The audit log check: the school's audit chain (store/audit_chain.go)
// verified from its first entry to its head, saying where and how it
// breaks, and optionally whether a head published in a daily digest is
// still in it.

type auditCheckPage struct {
	kit.Page
	Report  store.ChainReport
	Breaks  []auditBreakRow
	Seq     string // the published head to check, as typed
	Hash    string
	Checked bool // a published head was checked
}

// auditBreakRow is one break in words.
type auditBreakRow struct {
	Kind  string // "Changed", "Removed", "Added"
	Where string // which entry
	What  string // what happened, in a sentence
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Server) auditCheck(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	p := &auditCheckPage{Page: kit.Page{Title: "Check the audit log"}}
	q := r.URL.Query()
	p.Seq, p.Hash = strings.TrimSpace(q.Get("seq")), strings.ToLower(strings.TrimSpace(q.Get("hash")))
	var pub *store.PublishedCheck
	fe := sen.FieldErrors{}
	if q.Has("seq") || q.Has("hash") {
		n, err := strconv.ParseInt(p.Seq, 10, 64)
		switch {
		case p.Seq == "":
			fe["seq"] = "Enter the entry number from the digest"
		case err != nil || n < 1:
			fe["seq"] = "Entry number must be a whole number, like 1520"
		}
		switch {
		case p.Hash == "":
			fe["hash"] = "Enter the fingerprint from the digest"
		case !hexHash.MatchString(p.Hash):
			fe["hash"] = "Fingerprint must be the 64 letters and digits shown in the digest"
		}
		if len(fe) == 0 {
			pub = &store.PublishedCheck{Seq: n, Hash: p.Hash}
		}
	}
	rep, err := s.st.VerifyAudit(r.Context(), c.Actor, pub)
	if err != nil {
		return err
	}
	p.Report, p.Checked = rep, pub != nil
	for _, b := range rep.Breaks {
		p.Breaks = append(p.Breaks, auditBreak(b))
	}
	// A mistyped fingerprint shows the log's check and the form's errors.
	if err := s.views.Form("audit_check", p, "seq", "hash").Check(fe); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "audit_check", p)
}

// auditBreak says what a break means.
func auditBreak(b store.ChainBreak) auditBreakRow {
	entry := "entry " + strconv.FormatInt(b.Seq, 10)
	what := sen.AuditActionLabel(b.Action)
	when := ""
	if !b.At.IsZero() {
		when = ", " + b.At.In(sen.London()).Format("2 January 2006 15:04")
	}
	switch b.Kind {
	case store.BreakAltered:
		return auditBreakRow{Kind: "Changed", Where: entry,
			What: "“" + what + "”" + when + " (audit row " + strconv.FormatInt(b.AuditID, 10) + ") was changed after it was written."}
	case store.BreakDeleted:
		last := b.Seq + b.Missing - 1
		span := entry
		if b.Missing > 1 {
			span = "entries " + strconv.FormatInt(b.Seq, 10) + " to " + strconv.FormatInt(last, 10)
		}
		if b.AuditID == 0 {
			return auditBreakRow{Kind: "Removed", Where: span, What: sen.Count(int(b.Missing), "entry was", "entries were") + " removed from the end of the log."}
		}
		return auditBreakRow{Kind: "Removed", Where: span,
			What: sen.Count(int(b.Missing), "entry was", "entries were") + " removed before entry " + strconv.FormatInt(last+1, 10) + "."}
	default:
		where := "audit row " + strconv.FormatInt(b.AuditID, 10)
		if b.Seq > 0 {
			where = entry + " (audit row " + strconv.FormatInt(b.AuditID, 10) + ")"
		}
		return auditBreakRow{Kind: "Added", Where: where, What: "“" + what + "”" + when + " was added to the log outside OpenSEND."}
	}
}
