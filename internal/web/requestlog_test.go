package web_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"opensend/internal/sen"
	"opensend/internal/store"
	"opensend/internal/storetest"
	"opensend/internal/web"
)

// syncBuffer is a log sink the server's goroutines may write concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRequestLog: every request's log line carries the route pattern and a
// request id, and never the query, a form value or a pupil's name.
func TestRequestLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var log syncBuffer
		a := newAppWith(t, st.Engine(), web.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.NewTextHandler(&log, nil))})
		c := a.login(sen.RoleSENCO)
		c.get("/pupils?q=" + url.QueryEscape(a.f.InClass.Surname))
		c.post("/pupils/new", url.Values{"forename": {"Secretname"}})
		out := log.String()
		line := regexp.MustCompile(`msg=request method=GET route="GET /pupils" status=200 user_id=\d+ ms=\d+ request_id=[0-9a-f]{12}`)
		if !line.MatchString(out) {
			t.Errorf("no request line with a request id for GET /pupils:\n%s", out)
		}
		for _, s := range []string{a.f.InClass.Surname, "Secretname", "q="} {
			if strings.Contains(out, s) {
				t.Errorf("request log shows %q", s)
			}
		}
	})
}
