package upload

import (
	"archive/zip"
	"bytes"
	"testing"
)

// Moved from internal/plans (SniffAttachment): the cases the concern
// attachment check accepted and refused, now held by the one check.
func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		body := "<x/>"
		if n == "[Content_Types].xml" { // a real package declares its main part
			body = wordTypes + excelTypes
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

func TestSniffAttachment(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
		ok   bool
	}{
		{"report.pdf", []byte("%PDF-1.7\n..."), "application/pdf", true},
		{"photo.png", []byte("\x89PNG\r\n\x1a\n0000"), "image/png", true},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0JFIF"), "image/jpeg", true},
		{"notes.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "application/msword", true},
		{"notes.docx", zipWith(t, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"data.xlsx", zipWith(t, "[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
		{"evil.docx", zipWith(t, "payload.exe"), "", false},                // a zip that is not an office document
		{"page.pdf", []byte("<html><script>alert(1)</script>"), "", false}, // the name does not decide
		{"run.exe", []byte("MZ\x90\x00"), "", false},
		{"empty.pdf", nil, "", false},
	}
	for _, tt := range tests {
		t2, ok := Sniff(tt.name, tt.data)
		if got := t2.MIME; got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %q %v, want %q %v", tt.name, t2.MIME, ok, tt.want, tt.ok)
		}
	}
}
