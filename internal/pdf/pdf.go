// Package pdf turns OpenSEND's HTML documents (plans, passports, review
// records, evidence packs) into tagged, accessible PDFs with headless
// Chromium's print-to-PDF, so print and PDF come from the same template.
// One browser process is started lazily and shared; documents render in
// their own tabs, a bounded number at a time.
package pdf

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Footer is printed at the foot of every page with the page number.
type Footer struct {
	Left  string // e.g. school name and pupil
	Right string // e.g. "Printed 23 November 2026"
}

// Renderer renders HTML to PDF.
type Renderer struct {
	mu      sync.Mutex
	browser context.Context
	cancel  func()
	sem     chan struct{}
	// Timeout bounds one document.
	Timeout time.Duration
}

// New returns a renderer; the browser starts on first use.
func New() *Renderer {
	return &Renderer{sem: make(chan struct{}, 2), Timeout: 30 * time.Second}
}

// ErrNoBrowser is returned when Chromium is not installed.
var ErrNoBrowser = errors.New("pdf: Chromium is not installed (Debian package chromium)")

// BrowserPath finds Chromium: $CHROME_PATH, then chromium on PATH.
func BrowserPath() (string, error) {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// AllocatorOptions are the flags headless Chromium needs on this kind of
// machine (no sandbox as root, no background networking on a closed network).
func AllocatorOptions(path string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
	)
}

func (r *Renderer) start() (context.Context, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.browser != nil && r.browser.Err() == nil {
		return r.browser, nil
	}
	path, err := BrowserPath()
	if err != nil {
		return nil, err
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), AllocatorOptions(path)...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		return nil, fmt.Errorf("pdf: start browser: %w", err)
	}
	r.browser = browser
	r.cancel = func() { cancelBrowser(); cancelAlloc() }
	return browser, nil
}

// Close stops the browser.
func (r *Renderer) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		r.cancel()
		r.browser, r.cancel = nil, nil
	}
}

// footerTmpl is the page footer Chromium prints on every page (its
// pageNumber and totalPages spans are filled in by Chromium).
//
//go:embed templates/footer.html
var footerHTML string

var footerTmpl = template.Must(template.New("footer").Parse(footerHTML))

// printRules are the page-breaking rules every document gets, put before
// its own styles: a heading is never left alone at the foot of a page (it
// goes with what follows it), and a table row, list item or definition is
// not split across two pages.
const printRules = `<style>h1,h2,h3,h4,caption,dt{break-after:avoid-page;page-break-after:avoid}` +
	`tr,li,dd,figure{break-inside:avoid-page;page-break-inside:avoid}</style>`

// withPrintRules puts printRules at the start of doc's head (or, for a
// fragment without one, at the start of the document).
func withPrintRules(doc string) string {
	if i := strings.Index(strings.ToLower(doc), "<head>"); i >= 0 {
		i += len("<head>")
		return doc[:i] + printRules + doc[i:]
	}
	return printRules + doc
}

// Render prints a complete HTML document (with its styles inline: the page
// loads nothing else) to an A4 PDF with page numbers in the footer.
func (r *Renderer) Render(ctx context.Context, doc string, f Footer) ([]byte, error) {
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	browser, err := r.start()
	if err != nil {
		return nil, err
	}
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	tab, cancelT := context.WithTimeout(tab, r.Timeout)
	defer cancelT()
	stop := context.AfterFunc(ctx, cancelT)
	defer stop()
	var footer strings.Builder
	if err := footerTmpl.Execute(&footer, f); err != nil {
		return nil, fmt.Errorf("pdf: footer: %w", err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return nil, fmt.Errorf("pdf: open tab: %w", err)
	}
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("pdf: frame: %w", err)
	}
	if _, err := chromedp.Call(tab, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: withPrintRules(doc)}); err != nil {
		return nil, fmt.Errorf("pdf: content: %w", err)
	}
	out, err := chromedp.Run(tab, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFMargins(0.6, 0.55, 0.7, 0.55),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(`<div></div>`),
		chromedp.PDFFooterTemplate(strings.TrimSpace(footer.String())),
		chromedp.PDFOutlineAndTagged(),
	))
	if err != nil {
		return nil, fmt.Errorf("pdf: render: %w", err)
	}
	return out, nil
}
