package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

type part struct{ name, body string }

func zipOf(t *testing.T, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	zw.Close()
	return buf.Bytes()
}

const (
	wordTypes  = `<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	excelTypes = `<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`
)

func TestCheck(t *testing.T) {
	// A zip bomb: one member that inflates far past the limit.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(wordTypes))
	w, _ = zw.Create("word/document.xml")
	chunk := bytes.Repeat([]byte{0}, 1<<20)
	for i := 0; i < 60; i++ {
		w.Write(chunk)
	}
	zw.Close()
	var many []part
	many = append(many, part{"[Content_Types].xml", wordTypes}, part{"word/document.xml", "<w/>"})
	for i := 0; i < MaxZipMembers; i++ {
		many = append(many, part{fmt.Sprintf("x/%d", i), ""})
	}
	tests := []struct {
		name string
		data []byte
		mime string
		err  error
	}{
		{"report.pdf", []byte("%PDF-1.7\n..."), "application/pdf", nil},
		{"photo.png", []byte("\x89PNG\r\n\x1a\n0000"), "image/png", nil},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0JFIF"), "image/jpeg", nil},
		{"notes.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "application/msword", nil},
		{"upload", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "application/x-ole-storage", nil},
		{"notes.docx", zipOf(t, part{"[Content_Types].xml", wordTypes}, part{"word/document.xml", "<w/>"}), docx.MIME, nil},
		{"data.xlsx", zipOf(t, part{"[Content_Types].xml", excelTypes}, part{"xl/workbook.xml", "<x/>"}), xlsx.MIME, nil},
		{"notes.odt", zipOf(t, part{"mimetype", odt.MIME}, part{"content.xml", "<o/>"}), odt.MIME, nil},
		{"types without the part.docx", zipOf(t, part{"[Content_Types].xml", wordTypes}), "", ErrType},
		{"part without the types.docx", zipOf(t, part{"[Content_Types].xml", "<x/>"}, part{"word/document.xml", "<w/>"}), "", ErrType},
		{"evil.docx", zipOf(t, part{"payload.exe", "MZ"}), "", ErrType},
		{"bomb.docx", bomb.Bytes(), "", ErrType},
		{"many.docx", zipOf(t, many...), "", ErrType},
		{"run.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", ErrType}, // a renamed executable
		{"page.pdf", []byte("<html><script>alert(1)</script>"), "", ErrType},
		{"image.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), "", ErrType},
		{"anim.gif", []byte("GIF89a...."), "", ErrType},
		{"broken.docx", []byte("PK\x03\x04 not really a zip"), "", ErrType},
		{"empty.pdf", nil, "", ErrEmpty},
		{"big.pdf", append([]byte("%PDF-"), make([]byte, 100)...), "", ErrTooLarge},
	}
	for _, tt := range tests {
		max := 1 << 20
		if strings.HasPrefix(tt.name, "big") {
			max = 50
		}
		got, err := Check(tt.name, tt.data, max)
		if got.MIME != tt.mime || !errors.Is(err, tt.err) {
			t.Errorf("%s: got %q %v, want %q %v", tt.name, got.MIME, err, tt.mime, tt.err)
		}
	}
	if bomb.Len() > 1<<20 {
		t.Fatalf("the bomb fixture is %d bytes compressed: it should be small", bomb.Len())
	}
}
