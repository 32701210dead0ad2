package plans

import (
	"testing"
)

func TestSafeFilename(t *testing.T) {
	for in, want := range map[string]string{"../../etc/passwd": "passwd", `C:\x\Report "final".pdf`: "Report_final.pdf", "...": "attachment", "ok-name_1.png": "ok-name_1.png"} {
		if got := SafeFilename(in); got != want {
			t.Errorf("SafeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
