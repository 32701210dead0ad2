package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The store writes no sentences for people (issue 10): field errors,
// conflicts, labels and the text of records it writes are the domain's
// (internal/sen, internal/plans, internal/ehc, internal/deadline). A string
// literal in the store's code that reads like a sentence fails this test.

// sentenceAllowed are the sentence-like literals the store may hold, by
// file name, each with a comment saying why. It is empty and should stay
// so: a message for people belongs in a domain package, not here. (Text
// the store only matches, such as the drivers' "UNIQUE constraint failed",
// does not read as a sentence to the rule.)
var sentenceAllowed = map[string][]string{}

// sqlKeywords open SQL statements. Matched case-sensitively (upper case),
// so a sentence such as "Select the part of the record" is still caught.
var sqlKeywords = map[string]bool{
	"SELECT": true, "INSERT": true, "UPDATE": true, "DELETE": true, "WITH": true,
	"CREATE": true, "ALTER": true, "DROP": true, "FROM": true, "WHERE": true,
	"AND": true, "OR": true, "ORDER": true, "JOIN": true, "LEFT": true, "VALUES": true,
}

// looksLikeSentence: a capital letter followed by a lower-case one, and a
// space, unless it is SQL or an internal error's prefix ("store: ...").
func looksLikeSentence(s string) bool {
	r1, n := utf8.DecodeRuneInString(s)
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if !unicode.IsUpper(r1) || !unicode.IsLower(r2) || !strings.Contains(s, " ") {
		return false
	}
	first, _, _ := strings.Cut(s, " ")
	if sqlKeywords[strings.TrimRight(first, "(,")] {
		return false
	}
	if pre, _, ok := strings.Cut(first, ":"); ok && strings.ToLower(pre) == pre && pre != "" {
		return false // "store: ...", "sqlite: ..."
	}
	return true
}

// sentences lists the sentence-like literals of one Go file's source that
// the allow-list (for that file's base name) does not cover, and the
// allowed literals it found.
func sentences(t *testing.T, fset *token.FileSet, name string, src any) (found []string, allowed map[string]bool) {
	t.Helper()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	allowed = map[string]bool{}
	ok := map[string]bool{}
	for _, a := range sentenceAllowed[filepath.Base(name)] {
		ok[a] = true
	}
	ast.Inspect(f, func(n ast.Node) bool {
		bl, isLit := n.(*ast.BasicLit)
		if !isLit || bl.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(bl.Value)
		if err != nil || !looksLikeSentence(s) {
			return true
		}
		if ok[s] {
			allowed[s] = true
			return true
		}
		found = append(found, fset.Position(bl.Pos()).String()+": "+strconv.Quote(s))
		return true
	})
	return found, allowed
}

func TestStoreWritesNoSentences(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := map[string]map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		found, allowed := sentences(t, fset, name, nil)
		for _, f := range found {
			t.Errorf("%s reads like a sentence for people: write it in the domain package that owns the rule (a Validate method, a check taking the stored state, or a message constructor) and return that", f)
		}
		used[name] = allowed
	}
	for name, lits := range sentenceAllowed {
		for _, l := range lits {
			if !used[name][l] {
				t.Errorf("sentenceAllowed lists %q in %s, which no longer holds it: remove it from the list", l, name)
			}
		}
	}
}

// The rule can fail: it finds a field error, a conflict's message and a
// label, and passes SQL, internal errors and audit details.
func TestNoSentencesRuleCatches(t *testing.T) {
	src := `package store

func f() error {
	_ = "SELECT id, label FROM school_holidays WHERE school_id = $1"
	_ = ` + "`UPDATE plan_cycles SET status = $2 WHERE id = $1`" + `
	_ = fmt.Errorf("store: holiday: %w", err)
	_ = fmt.Sprintf("strategy=%d bank=%d", 1, 2)
	_ = "UNIQUE constraint failed"
	_ = sen.FieldErrors{"field": "Select the part of the record to correct"}
	_ = &sen.ConflictError{What: "plan", Msg: "Only a draft plan can be made active."}
	return MyPupil{PlanStatus: "No plan"}
}
`
	found, _ := sentences(t, token.NewFileSet(), "example.go", src)
	if len(found) != 3 {
		t.Fatalf("found %d sentences, want 3 (the field error, the conflict, the label): %q", len(found), found)
	}
	for i, want := range []string{"Select the part", "Only a draft plan", "No plan"} {
		if !strings.Contains(found[i], want) {
			t.Errorf("sentence %d is %s, want %q", i, found[i], want)
		}
	}
}
