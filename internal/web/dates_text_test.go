package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"opensend/internal/demo"
	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

var (
	isoDateRe   = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	badPluralRe = regexp.MustCompile(`\b1 (days|weeks|sessions|minutes|pupils|months|school days|working days)\b`)
	anyTagRe    = regexp.MustCompile(`(?s)<[^>]*>`)
	hiddenRe    = regexp.MustCompile(`(?is)<(script|style|template)\b.*?</(script|style|template)>`)
	hrefRe      = regexp.MustCompile(`href="(/[^"#]*)"`)
	digitsRe    = regexp.MustCompile(`\d+`)
)

// visibleText is what a person reads on an HTML page: the text between the
// tags (attribute values, scripts and styles left out), unescaped.
func visibleText(body string) string {
	body = hiddenRe.ReplaceAllString(body, " ")
	return html.UnescapeString(anyTagRe.ReplaceAllString(body, " "))
}

// TestDatesAndCountsPeopleRead (issue 11, "Dates people read"): the SENCO of
// the demo school walks every page reachable from the home page (a few of
// each kind); no visible text holds an ISO date (2006-01-02) or a count that
// disagrees with its noun ("1 days").
func TestDatesAndCountsPeopleRead(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	res, err := demo.Seed(ctx, st, demo.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(st, web.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, string) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		r, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, r.Header.Get("Content-Type"), string(b)
	}
	senco := res.Users[sen.RoleSENCO][0]
	form := url.Values{"email": {senco.Email}, "password": {demo.Password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	lr, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	lr.Body.Close()
	if lr.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", lr.StatusCode)
	}

	seen := map[string]bool{}
	perKind := map[string]int{}
	queue := []string{"/"}
	pages := 0
	for len(queue) > 0 && pages < 600 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		kind := digitsRe.ReplaceAllString(strings.SplitN(p, "?", 2)[0], "N")
		if perKind[kind] >= 4 {
			continue
		}
		perKind[kind]++
		code, ctype, body := get(p)
		if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
			continue
		}
		pages++
		text := visibleText(body)
		if m := isoDateRe.FindAllString(text, 3); m != nil {
			t.Errorf("%s shows ISO dates %q", p, m)
		}
		if m := badPluralRe.FindAllString(text, 3); m != nil {
			t.Errorf("%s shows %q", p, m)
		}
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			l := html.UnescapeString(m[1])
			if strings.HasPrefix(l, "/static/") || strings.HasPrefix(l, "/assets/") || seen[l] {
				continue
			}
			queue = append(queue, l)
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages read: the walk did not get far", pages)
	}
	t.Logf("%d pages read, %d kinds", pages, len(perKind))
}
