package ehc_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The EHC domain imports only the standard library and the shared domain.
func TestImportsOnlyStdlibSenDeadline(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if p == "opensend/internal/sen" || p == "opensend/internal/deadline" || !strings.Contains(first, ".") && first != "opensend" {
				continue
			}
			t.Errorf("%s imports %s: internal/ehc may import only the standard library, internal/sen and internal/deadline", name, p)
		}
	}
}
