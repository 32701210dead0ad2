// Package e2e holds OpenSEND's browser tests: the real application, served
// in-process on 127.0.0.1 over SQLite and PostgreSQL, driven by headless
// Debian Chromium through chromedp. Every page visited, error states
// included, is checked with axe-core against WCAG 2.2 AA, for Content
// Security Policy violations and for script errors. `go test ./e2e` runs it;
// `make test` runs it with the rest of the suite.
//
// Screenshots of the main pages are written to $OPENSEND_SHOTS (default
// /tmp/opensend-shots) for people to look at.
package e2e
