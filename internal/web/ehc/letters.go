package ehc

import (
	"net/http"
	"time"

	"opensend/internal/authz"
	domain "opensend/internal/ehc"
	"opensend/internal/pdf"
	"opensend/internal/sen"
	"opensend/internal/web/kit"
)

// The annual review letters, printed for post or e-mailed (review_mail.go):
// an invitation to the review meeting (its date, time and place) for each
// invitee and, for an invitee asked for advice, a request for advice with
// the date it is needed by, under the school's letterhead (its address,
// phone and e-mail from its settings). One PDF per invitee or one PDF
// with all of a review's letters, one letter a page ("reviewletters" in
// templates/pages/ehc_docs.html).

// reviewLettersDoc is the data of "reviewletters".
type reviewLettersDoc struct {
	School  string
	Head    domain.LetterHead
	Today   time.Time
	Letters []domain.Letter
}

// postable leaves office staff (who may not see EHC work) only the letters
// they may post.
func postable(c *kit.Ctx, ls []domain.Letter) []domain.Letter {
	if !c.Can(authz.EHCRead) {
		return domain.Postable(ls)
	}
	return ls
}

func (s *module) sendLetters(w http.ResponseWriter, r *http.Request, c *kit.Ctx, ls []domain.Letter, filename string) error {
	today := s.st.Today()
	head, err := s.letterHead(r.Context(), c)
	if err != nil {
		return err
	}
	d := &reviewLettersDoc{School: c.School.Name, Head: head, Today: today, Letters: ls}
	return s.sendDoc(w, r, "reviewletters", d, filename,
		pdf.Footer{Left: c.School.Name + " · annual review letters", Right: "Printed " + today.Format("2 January 2006")})
}

// inviteeLetterPDF is one invitee's letter.
func (s *module) inviteeLetterPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	l, err := s.st.InviteeLetter(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	// A letter to a service is not office staff's to see: not found.
	ls := postable(c, []domain.Letter{l})
	if len(ls) == 0 {
		return sen.ErrNotFound
	}
	return s.sendLetters(w, r, c, ls, "review-letter-"+kit.FileSafe(l.PupilName)+"-"+kit.FileSafe(l.Name)+".pdf")
}

// reviewLettersPDF is all of a review's letters, one a page.
func (s *module) reviewLettersPDF(w http.ResponseWriter, r *http.Request, c *kit.Ctx) error {
	id, err := kit.PathID(r)
	if err != nil {
		return err
	}
	all, err := s.st.ReviewLetters(r.Context(), c.Actor, id)
	if err != nil {
		return err
	}
	ls := postable(c, all)
	if len(ls) == 0 {
		s.k.SetFlash(w, "ehc-letters-none")
		http.Redirect(w, r, "/ehc/letters", http.StatusSeeOther)
		return nil
	}
	return s.sendLetters(w, r, c, ls, "review-letters-"+kit.FileSafe(ls[0].PupilName)+".pdf")
}
