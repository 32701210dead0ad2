package archtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The module's layers, imports pointing one way (issue 10):
//
//	cmd/*                 wires everything
//	internal/web          the server: foundation routes, the list of modules
//	internal/web/<cap>    one web module per capability
//	internal/web/kit      what web modules share
//	infrastructure        store, auth, pdf, mail, …
//	domain                internal/<cap>: pure types and rules
//	internal/sen, internal/deadline   the shared domain
//
// Only a package's own (non-test) imports are checked: tests may reach
// across layers for fixtures.
const module = "opensend"

type layer string

const (
	domain         layer = "domain"
	infrastructure layer = "infrastructure"
	web            layer = "web"
	webKit         layer = "web kit"
	webModule      layer = "web module"
	command        layer = "command"
)

// layers classifies every package under internal/ and cmd/, by import path
// without the module prefix. Web modules (internal/web/<name>, any name but
// kit) and commands (cmd/<name>) are classified by pattern. A package listed
// here that does not exist (yet, or any more) is not an error.
var layers = map[string]layer{
	"internal/sen":      domain,
	"internal/deadline": domain,
	"internal/plans":    domain,
	"internal/ehc":      domain,
	"internal/exams":    domain,

	"internal/provision": domain,
	"internal/people":    domain,
	"internal/records":   domain,

	"internal/auth":        infrastructure,
	"internal/authz":       infrastructure,
	"internal/store":       infrastructure,
	"internal/storetest":   infrastructure,
	"internal/pdf":         infrastructure,
	"internal/mail":        infrastructure,
	"internal/ical":        infrastructure,
	"internal/importer":    infrastructure,
	"internal/readability": infrastructure,
	"internal/demo":        infrastructure,
	"internal/upload":      infrastructure,
	"internal/archtest":    infrastructure,

	"internal/web":     web,
	"internal/web/kit": webKit,

	"internal/schoolsen":  domain,
	"internal/transition": domain,
}

// sharedDomain is what every domain package may import besides the
// standard library; sen itself imports only the standard library and
// deadline only the standard library and sen.
var sharedDomain = map[string][]string{
	"internal/sen":      {},
	"internal/deadline": {"internal/sen"},
}

var defaultDomainAllowed = []string{"internal/sen", "internal/deadline"}

// notPure are the parts of the standard library that belong to other layers
// (the network and HTTP, SQL, processes, HTML): a domain package stays pure.
var notPure = []string{"net", "database/sql", "os/exec", "html/template", "plugin"}

// allowed lists violations tolerated for now, each "package imports import"
// (without the module prefix) with the reason. An entry that no longer
// matches a violation fails the test, so that it is deleted.
var allowed = map[string]string{}

// pkg is the part of `go list -json` output the rules need.
type pkg struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

// violation is one import that breaks a rule.
type violation struct {
	Pkg, Import string // without the module prefix
	Msg         string
}

func (v violation) key() string { return v.Pkg + " imports " + v.Import }

func TestLayering(t *testing.T) {
	pkgs := loadPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	used := map[string]bool{}
	for _, v := range violations(pkgs) {
		if _, ok := allowed[v.key()]; ok {
			used[v.key()] = true
			t.Logf("allowed for now: %s", v.Msg)
			continue
		}
		t.Error(v.Msg)
	}
	for k, why := range allowed {
		if !used[k] {
			t.Errorf("allow-list entry %q (%s) no longer matches a violation: delete it from allowed in layering_test.go", k, why)
		}
	}
}

// loadPackages runs `go list -deps -json ./...` at the module root.
func loadPackages(t *testing.T) []pkg {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard,Imports,Deps", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// local returns path without the module prefix, and whether it is in the module.
func local(path string) (string, bool) {
	if rest, ok := strings.CutPrefix(path, module+"/"); ok {
		return rest, true
	}
	return path, path == module
}

// classify returns the layer of a module package (path without the module
// prefix), and for a web module its name. ok is false for a package under
// internal/ or cmd/ that is not classified.
func classify(path string) (l layer, name string, ok bool) {
	if l, ok := layers[path]; ok {
		return l, path, true
	}
	if rest, found := strings.CutPrefix(path, "internal/web/"); found {
		first, _, _ := strings.Cut(rest, "/")
		if first == "kit" {
			return webKit, "internal/web/kit", true
		}
		return webModule, "internal/web/" + first, true
	}
	if rest, found := strings.CutPrefix(path, "cmd/"); found {
		first, _, _ := strings.Cut(rest, "/")
		return command, "cmd/" + first, true
	}
	if strings.HasPrefix(path, "internal/") || strings.HasPrefix(path, "cmd/") {
		return "", "", false
	}
	return "", "", true // outside internal/ and cmd/ (e2e): no layer
}

func isPure(std string) bool {
	for _, p := range notPure {
		if std == p || strings.HasPrefix(std, p+"/") {
			return false
		}
	}
	return true
}

// violations applies the layering rules to a `go list -deps -json` result:
// the module's packages and, for telling the standard library apart, every
// package they depend on.
func violations(pkgs []pkg) []violation {
	standard := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard {
			standard[p.ImportPath] = true
		}
	}
	var out []violation
	add := func(p, imp, format string, args ...any) {
		out = append(out, violation{Pkg: p, Import: imp, Msg: fmt.Sprintf("%s imports %s: ", p, imp) + fmt.Sprintf(format, args...)})
	}
	for _, p := range pkgs {
		path, mine := local(p.ImportPath)
		if !mine {
			continue
		}
		l, name, ok := classify(path)
		if !ok {
			out = append(out, violation{Pkg: path, Msg: fmt.Sprintf("%s is not classified: add it to layers in internal/archtest/layering_test.go as domain, infrastructure, web, web kit, web module or command", path)})
			continue
		}
		for _, full := range p.Imports {
			imp, impMine := local(full)
			if !impMine {
				if l == domain && (!standard[full] || !isPure(full)) {
					add(path, imp, "%s", domainRule(path))
				}
				continue
			}
			il, iname, _ := classify(imp)
			switch {
			case il == command:
				add(path, imp, "nothing imports a command (cmd/*); move what is shared into internal/")
			case l == domain && !slices.Contains(domainAllowed(path), imp):
				add(path, imp, "%s", domainRule(path))
			case l == webKit && (il == webModule || il == web):
				add(path, imp, "internal/web/kit is shared by the web modules and may import neither a web module nor internal/web")
			case l == webModule && il == webModule && iname != name:
				add(path, imp, "a web module may not import another web module; share through internal/web/kit or the domain")
			case l == webModule && il == web:
				add(path, imp, "a web module may not import internal/web (the server); the server lists the modules, not the other way round")
			}
		}
		// Transitive: nothing from outside the module and the standard
		// library reaches a domain package, and no web package reaches the store.
		for _, full := range p.Deps {
			if slices.Contains(p.Imports, full) {
				continue // a direct import, checked above
			}
			dep, depMine := local(full)
			switch {
			case l == domain && !depMine && !standard[full]:
				add(path, dep, "(indirectly) %s", domainRule(path))
			case l == domain && depMine && !slices.Contains(domainAllowed(path), dep):
				add(path, dep, "(indirectly) %s", domainRule(path))
			case path == "internal/store" && depMine && isWeb(dep):
				add(path, dep, "(indirectly) internal/store may not depend on any web package")
			}
		}
		if path == "internal/store" {
			for _, full := range p.Imports {
				if imp, mine := local(full); mine && isWeb(imp) {
					add(path, imp, "internal/store may not depend on any web package; the web layer calls the store, never the reverse")
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b violation) int { return strings.Compare(a.Msg, b.Msg) })
	return out
}

func isWeb(path string) bool {
	return path == "internal/web" || strings.HasPrefix(path, "internal/web/")
}

func domainAllowed(path string) []string {
	if a, ok := sharedDomain[path]; ok {
		return a
	}
	return defaultDomainAllowed
}

func domainRule(path string) string {
	impure := "; the standard library's " + strings.Join(notPure, ", ") + " (and their sub-packages) belong to other layers"
	switch path {
	case "internal/sen":
		return "internal/sen may import only the standard library" + impure
	case "internal/deadline":
		return "internal/deadline may import only the standard library and internal/sen" + impure
	}
	return "a domain package may import only the standard library, internal/sen and internal/deadline" + impure
}

// The rules can fail: a synthetic module breaking each rule once.
func TestViolationsCanFail(t *testing.T) {
	std := func(path string) pkg { return pkg{ImportPath: path, Standard: true} }
	m := func(path string) string { return module + "/" + path }
	pkgs := []pkg{
		std("fmt"), std("net/http"), std("strings"),
		{ImportPath: m("internal/sen"), Imports: []string{"fmt"}},
		{ImportPath: m("internal/deadline"), Imports: []string{m("internal/sen"), m("internal/plans")}},
		{ImportPath: m("internal/plans"), Imports: []string{"net/http", "strings", m("internal/sen")},
			Deps: []string{"fmt", "net/http", "strings", m("internal/sen"), "github.com/x/y"}},
		{ImportPath: m("internal/ehc"), Imports: []string{m("internal/sen"), m("internal/deadline"), "fmt"}},
		{ImportPath: m("internal/store"), Imports: []string{m("internal/plans")}, Deps: []string{m("internal/plans"), m("internal/web/kit")}},
		{ImportPath: m("internal/web/kit"), Imports: []string{m("internal/web/support")}},
		{ImportPath: m("internal/web/support"), Imports: []string{m("internal/web/kit"), m("internal/web/support/forms")}},
		{ImportPath: m("internal/web/support/forms")},
		{ImportPath: m("internal/web/ehc"), Imports: []string{m("internal/web/support"), m("internal/web"), m("internal/ehc")}},
		{ImportPath: m("internal/web"), Imports: []string{m("internal/web/ehc"), m("internal/web/support")}},
		{ImportPath: m("internal/newthing")},
		{ImportPath: m("internal/demo"), Imports: []string{m("cmd/opensend")}},
		{ImportPath: m("cmd/opensend"), Imports: []string{m("internal/web"), m("internal/store")}},
	}
	var got []string
	for _, v := range violations(pkgs) {
		got = append(got, v.Msg)
	}
	want := []string{
		"internal/demo imports cmd/opensend: nothing imports a command",
		"internal/deadline imports internal/plans: internal/deadline may import only the standard library",
		"internal/newthing is not classified: add it to layers",
		"internal/plans imports github.com/x/y: (indirectly) a domain package may import only",
		"internal/plans imports net/http: a domain package may import only the standard library, internal/sen and internal/deadline;",
		"internal/store imports internal/web/kit: (indirectly) internal/store may not depend on any web package",
		"internal/web/ehc imports internal/web/support: a web module may not import another web module",
		"internal/web/ehc imports internal/web: a web module may not import internal/web",
		"internal/web/kit imports internal/web/support: internal/web/kit is shared by the web modules",
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no violation reported starting %q; got:\n  %s", w, strings.Join(got, "\n  "))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d violations, want %d (sen, ehc, web, cmd and a module's own sub-package are fine):\n  %s", len(got), len(want), strings.Join(got, "\n  "))
	}
}
