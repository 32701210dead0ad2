package kit

import "testing"

func TestPDFFilenames(t *testing.T) {
	for in, want := range map[string]string{
		"Amara O'Kafor-Smith": "Amara-OKafor-Smith",
		`Zoë "x"; y/z`:        "Zo-x-yz",
	} {
		if got := FileSafe(in); got != want {
			t.Errorf("FileSafe(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"annual-review-Amara-Okafor.pdf": "annual-review-Amara-Okafor.pdf",
		"support-plan-12-cycle-1.pdf":    "support-plan-12-cycle-1.pdf",
		`a"; filename="../../etc/x.pdf`:  "afilename....etcx.pdf",
		"../x.pdf":                       "x.pdf",
		"":                               "document.pdf",
		"\"\r\n":                         "document.pdf",
	} {
		if got := safeFilename(in); got != want {
			t.Errorf("safeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
