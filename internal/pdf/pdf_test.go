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

// A heading that would fall at the foot of a page moves to the next page
// with the text it heads: no page ends with a heading.
func TestHeadingIsNeverLeftAtThePageFoot(t *testing.T) {
	r := New()
	defer r.Close()
	var b strings.Builder
	// Try the heading at heights near the foot of page 1: one of these
	// fillers (48 lines on A4 with our margins) leaves room for the heading
	// but not for the line after it.
	for n := 44; n < 53; n++ {
		b.Reset()
		b.WriteString(`<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Plan</title><style>body{font-family:sans-serif;font-size:11pt;margin:0} p{margin:0;line-height:15pt} h2{margin:0;font-size:13pt;line-height:15pt}</style></head><body>`)
		for i := 0; i < n; i++ {
			b.WriteString("<p>Filler line</p>")
		}
		b.WriteString("<h2>Strategies for staff</h2><p>Seat near the front</p></body></html>")
		out, err := r.Render(context.Background(), b.String(), Footer{Left: "School", Right: "Printed"})
		if err != nil {
			t.Fatal(err)
		}
		for i, pg := range strings.Split(pdfText(t, out), "\f") {
			if strings.Contains(pg, "Strategies for staff") && !strings.Contains(pg, "Seat near the front") {
				t.Fatalf("with %d filler lines the heading ends page %d without its text", n, i+1)
			}
		}
	}
}

func TestPrintRulesGoInTheHead(t *testing.T) {
	got := withPrintRules(`<html><head><title>x</title></head><body></body></html>`)
	if !strings.HasPrefix(got, "<html><head>"+printRules+"<title>") {
		t.Fatalf("rules not at the start of the head: %s", got)
	}
	if got := withPrintRules("<p>x</p>"); got != printRules+"<p>x</p>" {
		t.Fatalf("fragment: %s", got)
	}
}
