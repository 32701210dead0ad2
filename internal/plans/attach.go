package plans

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path"
	"strings"
)

// Attachment is a file of evidence attached to a concern: a PDF, an image or
// an office document, stored in the database (outside the web root) and
// only ever served as a download with its sniffed content type.
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

// SniffAttachment decides a file's content type from its bytes (never from
// the name or the browser's claim): PDF, PNG, JPEG, GIF, WebP, legacy
// Office (OLE2) and Office Open XML (docx, xlsx, pptx, checked by opening
// the zip for its [Content_Types].xml and main part). ok is false for
// anything else.
func SniffAttachment(name string, b []byte) (contentType string, ok bool) {
	if len(b) == 0 {
		return "", false
	}
	// http.DetectContentType follows the WHATWG sniffing rules (magic bytes).
	switch ct := http.DetectContentType(b); ct {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp":
		return ct, true
	}
	switch {
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		switch strings.ToLower(path.Ext(name)) {
		case ".xls":
			return "application/vnd.ms-excel", true
		case ".ppt":
			return "application/vnd.ms-powerpoint", true
		}
		return "application/msword", true
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return sniffOOXMLAttachment(b)
	}
	return "", false
}

func sniffOOXMLAttachment(b []byte) (string, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", false
	}
	hasTypes := false
	kind := ""
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			hasTypes = true
		case f.Name == "word/document.xml":
			kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case f.Name == "xl/workbook.xml":
			kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case f.Name == "ppt/presentation.xml":
			kind = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
	}
	if !hasTypes || kind == "" {
		return "", false
	}
	return kind, true
}

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
