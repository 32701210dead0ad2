// Package upload is OpenSEND's one check of an uploaded file, by its
// content and never its name or the browser's claim: a PDF, an image (PNG
// or JPEG) or an office document (Word or Excel as Office Open XML, an
// OpenDocument text, or a legacy Office compound file), within a size
// limit. Office Open XML and OpenDocument files are zip containers: the
// check opens the zip, requires the parts that make it that kind of
// document, and refuses archives with too many members or too much data
// once decompressed (a zip bomb). It imports only the standard library.
package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path"
	"strings"
)

// Type is an accepted file type.
type Type struct {
	MIME string
	Ext  string
}

// Limits on zip containers.
const (
	MaxZipMembers      = 1000
	MaxZipUncompressed = 50 << 20 // total of the members' declared sizes
	maxPartRead        = 1 << 20  // the most read of one part to identify the document
)

// Why a file is refused.
var (
	ErrEmpty    = errors.New("upload: empty file")
	ErrTooLarge = errors.New("upload: file too large")
	ErrType     = errors.New("upload: not an accepted file type")
)

// Check accepts b when it is at most max bytes and Sniff accepts it.
func Check(name string, b []byte, max int) (Type, error) {
	switch {
	case len(b) == 0:
		return Type{}, ErrEmpty
	case len(b) > max:
		return Type{}, ErrTooLarge
	}
	t, ok := Sniff(name, b)
	if !ok {
		return Type{}, ErrType
	}
	return t, nil
}

// Sniff identifies b by its content. name is used only to label a legacy
// Office compound file (.doc, .xls), whose container does not say which it
// is without parsing its directory; it never makes a file acceptable.
func Sniff(name string, b []byte) (Type, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return Type{"application/pdf", ".pdf"}, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return Type{"image/png", ".png"}, true
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return Type{"image/jpeg", ".jpg"}, true
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		switch strings.ToLower(path.Ext(name)) {
		case ".doc":
			return Type{"application/msword", ".doc"}, true
		case ".xls":
			return Type{"application/vnd.ms-excel", ".xls"}, true
		}
		return Type{"application/x-ole-storage", ".doc"}, true
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return sniffZip(b)
	}
	return Type{}, false
}

var (
	docx = Type{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}
	xlsx = Type{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}
	odt  = Type{"application/vnd.oasis.opendocument.text", ".odt"}
)

func sniffZip(b []byte) (Type, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(zr.File) > MaxZipMembers {
		return Type{}, false
	}
	var total uint64
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxZipUncompressed {
			return Type{}, false
		}
		members[f.Name] = f
	}
	if f := members["[Content_Types].xml"]; f != nil {
		ct, ok := readPart(f)
		if !ok {
			return Type{}, false
		}
		switch {
		case strings.Contains(ct, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") && members["word/document.xml"] != nil:
			return docx, true
		case strings.Contains(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml") && members["xl/workbook.xml"] != nil:
			return xlsx, true
		}
		return Type{}, false
	}
	if f := members["mimetype"]; f != nil && members["content.xml"] != nil {
		if mt, ok := readPart(f); ok && strings.TrimSpace(mt) == odt.MIME {
			return odt, true
		}
	}
	return Type{}, false
}

// readPart reads a small part of the container, refusing a part larger
// than it claims or than maxPartRead.
func readPart(f *zip.File) (string, bool) {
	if f.UncompressedSize64 > maxPartRead {
		return "", false
	}
	rc, err := f.Open()
	if err != nil {
		return "", false
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxPartRead+1))
	if err != nil || len(b) > maxPartRead {
		return "", false
	}
	return string(b), true
}
