package plans

import (
	"archive/zip"
	"bytes"
	"testing"
)

func zipWith(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
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
		got, ok := SniffAttachment(tt.name, tt.data)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: got %q %v, want %q %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSafeFilename(t *testing.T) {
	for in, want := range map[string]string{"../../etc/passwd": "passwd", `C:\x\Report "final".pdf`: "Report_final.pdf", "...": "attachment", "ok-name_1.png": "ok-name_1.png"} {
		if got := SafeFilename(in); got != want {
			t.Errorf("SafeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
