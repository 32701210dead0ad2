package pdf

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PDFText extracts a PDF's text with pdftotext (Debian poppler-utils).
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestRenderHasTextAndPageNumbers(t *testing.T) {
	r := New()
	defer r.Close()
	doc := `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Support plan</title><style>body{font-family:sans-serif}.pb{break-before:page}</style></head>
<body><h1>SEN support plan</h1><p>Amara Okafor – outcomes &amp; strategies</p><p class="pb">Second page</p></body></html>`
	b, err := r.Render(context.Background(), doc, Footer{Left: "Meadowbank Primary School – Amara Okafor", Right: "Printed 23 November 2026"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatal("not a PDF")
	}
	text := pdfText(t, b)
	for _, want := range []string{"SEN support plan", "Amara Okafor – outcomes & strategies", "Second page", "Meadowbank Primary School", "Page 1 of 2", "Page 2 of 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}
