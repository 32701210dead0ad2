package plans

import (
	"path"
	"strings"
)

// Attachment is a file of evidence attached to a concern: a PDF, an image or
// an office document, stored in the database (outside the web root) and
// only ever served as a download with its sniffed content type. The caller
// (the store) sets ContentType from internal/upload's check of the content
// before Validate; an empty ContentType is a file that check refused.
type Attachment struct {
	ID          int64
	Name        string
	ContentType string
	Size        int
	Data        []byte
}

// Limits on attachments.
const (
	MaxAttachments    = 3
	MaxAttachmentSize = 2 << 20 // 2 MB each; the request body is capped at 6 MB
)

// SafeFilename keeps a download name to letters, digits, dot, dash and
// underscore (no paths, quotes or control characters).
func SafeFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "attachment"
	}
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	return s
}
