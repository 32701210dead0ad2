package kit

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"opensend/internal/pdf"
)

// pdfTimeout bounds printing one document.
const pdfTimeout = 60 * time.Second

// SendPDF prints html (a whole document, e.g. from Views.Execute) with
// footer through the shared renderer and writes it as a download called
// filename. It is every module's one way to send a PDF. The filename keeps
// only letters, digits, '.', '-' and '_' (build its parts with FileSafe).
func (k *Kit) SendPDF(w http.ResponseWriter, r *http.Request, html, filename string, footer pdf.Footer) error {
	ctx, cancel := context.WithTimeout(r.Context(), pdfTimeout)
	defer cancel()
	out, err := k.PDF().Render(ctx, html, footer)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+safeFilename(filename)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(out)))
	_, err = w.Write(out)
	return err
}

// RenderPDF prints html with footer through the shared renderer and
// returns the PDF (to attach to an e-mail; SendPDF to download it).
func (k *Kit) RenderPDF(ctx context.Context, html string, footer pdf.Footer) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	return k.PDF().Render(ctx, html, footer)
}

// FileSafe makes s (e.g. a pupil's name) fit for a download's filename:
// letters and digits stay, spaces and hyphens become '-', the rest goes.
func FileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// safeFilename drops anything from name that could break out of the quoted
// Content-Disposition filename or name a path.
func safeFilename(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "document.pdf"
	}
	return b.String()
}
