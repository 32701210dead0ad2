package ehc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	domain "opensend/internal/ehc"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/web/kit"
)

// Review letters by e-mail (through the outbox, kit.Kit.DeliverMail),
// invitees' details, and the advice and reports uploaded to a review and
// circulated before the meeting (SEND Regulations 2014 reg 20(4)).

// letterHead is the school's letterhead from its settings.
func (s *module) letterHead(ctx context.Context, c *kit.Ctx) (domain.LetterHead, error) {
	set, err := s.st.SchoolSettings(ctx, c.Actor)
	if err != nil {
		return domain.LetterHead{}, err
	}
	return domain.HeadOf(c.School.Name, set), nil
}

// letterPDF prints one letter (as the downloads do) for an e-mail.
func (s *module) letterPDF(ctx context.Context, c *kit.Ctx, l domain.Letter, head domain.LetterHead) ([]byte, error) {
	today := s.st.Today()
	html, err := s.views.Execute("ehc_docs", "reviewletters", &reviewLettersDoc{School: c.School.Name, Head: head, Today: today, Letters: []domain.Letter{l}})
	if err != nil {
		return nil, err
	}
	return s.k.RenderPDF(ctx, html, pdf.Footer{Left: c.School.Name + " · annual review letter", Right: "Sent " + today.Format("2 January 2006")})
}

// emailLetter queues l's letter by e-mail with the letter attached and
// hands it to the mailer.
func (s *module) emailLetter(ctx context.Context, c *kit.Ctx, l domain.Letter, head domain.LetterHead) error {
	if l.Email == "" {
		return domain.ErrNoEmail()
	}
	b, err := s.letterPDF(ctx, c, l, head)
	if err != nil {
		return err
	}
	subject, text := l.Mail(head)
	m := &store.OutboxMail{Subject: subject, Text: text,
		Attachments: []store.OutboxAttachment{{Filename: "annual-review-letter.pdf", MIME: "application/pdf", Data: b}}}
	if err := s.st.EmailLetter(ctx, c.Actor, l.InviteeID, m); err != nil {
		return err
	}
	s.k.DeliverMail(m.ID)
	return nil
}

// backTo is where a letters action returns: the review page (for the
// SENCO, who sent it from there) or the letters page.
func backTo(r *http.Request, reviewID int64) string {
	if r.PostFormValue("from") == "review" && reviewID != 0 {
		return fmt.Sprintf("/ehc/reviews/%d#invitees", reviewID)
	}
	return "/ehc/letters"
}

// letterEmail sends one invitee's letter by e-mail. An invitee with no
// address cannot be e-mailed: the page says so.
func (s *module) letterEmail(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	l, err := s.st.InviteeLetter(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	if len(postable(c, []domain.Letter{l})) == 0 {
		return sen.ErrNotFound
	}
	head, err := s.letterHead(r.Context(), c)
	if err != nil {
		return err
	}
	var fe sen.FieldErrors
	switch err := s.emailLetter(r.Context(), c, l, head); {
	case errors.As(err, &fe):
		s.k.SetFlash(w, "ehc-letter-no-email")
	case err != nil:
		return err
	default:
		s.k.SetFlash(w, "ehc-letter-emailed")
	}
	http.Redirect(w, r, backTo(r, l.ReviewID), http.StatusSeeOther)
	return nil
}

// reviewLettersEmail sends by e-mail every letter of the review whose
// invitee has an address (office staff: the letters they may post); the
// rest are left to print.
func (s *module) reviewLettersEmail(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	all, err := s.st.ReviewLetters(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	head, err := s.letterHead(r.Context(), c)
	if err != nil {
		return err
	}
	sent, without := 0, 0
	for _, l := range postable(c, all) {
		if l.Email == "" {
			without++
			continue
		}
		if err := s.emailLetter(r.Context(), c, l, head); err != nil {
			return err
		}
		sent++
	}
	switch {
	case sent == 0:
		s.k.SetFlash(w, "ehc-letters-none-email")
	case without > 0:
		s.k.SetFlash(w, "ehc-letters-emailed-some")
	default:
		s.k.SetFlash(w, "ehc-letters-emailed")
	}
	http.Redirect(w, r, backTo(r, id), http.StatusSeeOther)
	return nil
}

// --- Invitee details ---

type inviteePage struct {
	kit.Page
	R       domain.Review
	In      domain.Invitee
	Parties sen.Options
}

func (s *module) inviteeEdit(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	in, rv, err := s.st.Invitee(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	pg := &inviteePage{Page: kit.Page{Title: "Change an invitee: " + rv.PupilName}, R: rv, In: in, Parties: domain.InviteeParties}
	if r.Method == http.MethodGet {
		return s.render(w, r, http.StatusOK, "ehc_invitee", pg)
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	upd := domain.Invitee{Party: r.PostFormValue("party"), Name: r.PostFormValue("inviteeName"), Email: r.PostFormValue("inviteeEmail"), Address: r.PostFormValue("inviteeAddress")}
	if err := s.st.UpdateInvitee(r.Context(), c.Actor, id, upd); err != nil {
		upd.ID = in.ID
		pg.In = upd
		return s.views.Form("ehc_invitee", pg, "party", "inviteeName", "inviteeEmail", "inviteeAddress").Fail(err)
	}
	return s.reviewDone(w, r, rv.ID, "invitees")
}

// --- Advice and reports ---

func (s *module) reportUpload(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("reportFile")
	var data []byte
	name := ""
	if err == nil {
		defer file.Close()
		data, err = io.ReadAll(io.LimitReader(file, domain.MaxDocumentSize+1))
		if err != nil {
			return kit.ErrTooLarge
		}
		name = hdr.Filename
	} else if !errors.Is(err, http.ErrMissingFile) {
		return kit.ErrTooLarge
	}
	df := kit.ReadDate(r, "reportReceived")
	received, msg := df.Parse("Date received", true)
	rep := domain.ReviewReport{Author: r.PostFormValue("reportAuthor"), Kind: r.PostFormValue("reportKind"), Received: received}
	fill := func(pg *reviewPage) { pg.ReportAuthor, pg.ReportKind, pg.ReportReceived = rep.Author, rep.Kind, df }
	order := []string{"reportFile", "reportAuthor", "reportKind", "reportReceived"}
	_, err = s.st.AddReviewReport(r.Context(), c.Actor, id, rep, name, data)
	if msg != "" {
		fe := sen.FieldErrors{"reportReceived": msg}
		var more sen.FieldErrors
		if errors.As(err, &more) {
			for k, v := range more {
				fe.Add(k, v)
			}
		} else if err != nil {
			return err
		}
		err = fe
	}
	if err != nil {
		return s.reviewFail(r, c, id, err, fill, order...)
	}
	s.k.SetFlash(w, "ehc-report-saved")
	http.Redirect(w, r, fmt.Sprintf("/ehc/reviews/%d#reports", id), http.StatusSeeOther)
	return nil
}

// reportDownload serves an uploaded report as an attachment with its
// sniffed type and nosniff (as the plan document is).
func (s *module) reportDownload(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	d, err := s.st.ReviewReportFile(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", d.MIME)
	h.Set("Content-Disposition", `attachment; filename="`+d.Filename+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(d.Data)))
	_, err = w.Write(d.Data)
	return err
}

func (s *module) reportsCirculate(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	if err := kit.ParseForm(r); err != nil {
		return err
	}
	how := r.PostFormValue("circulateHow")
	ids, err := s.st.CirculateReports(r.Context(), c.Actor, id, how, c.School.Name)
	if err != nil {
		return s.reviewFail(r, c, id, err, func(pg *reviewPage) { pg.CirculateHow = how }, "circulateHow")
	}
	s.k.DeliverMail(ids...)
	s.k.SetFlash(w, "ehc-reports-circulated")
	http.Redirect(w, r, fmt.Sprintf("/ehc/reviews/%d#reports", id), http.StatusSeeOther)
	return nil
}
