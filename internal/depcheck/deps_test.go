// Package depcheck only tests the module's import graph against the
// layering rules below, in the spirit of Go's own go/build/deps_test.go: a
// new import that breaks a layer fails here, naming the edge, before it
// spreads.
package depcheck

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is this module's path.
const module = "github.com/rcsim/connsim"

// std stands for every package of the standard library in an allow list.
const std = "std"

// only lists packages that may import nothing but what their row allows:
// the standard library if the row says std, and the listed packages (the
// module's by their path inside it, others by module path; a module path
// allows its packages too).
var only = []struct {
	pkg   string
	allow []string
	why   string
}{
	{"vocab", nil,
		"the leaf of shared names: it imports nothing, so every package can use it"},
	{"internal/zoo", []string{std},
		"the bug zoo's switch: fsm, server and sim ask it, so it must import none of them"},
	{"fsm", []string{std, "github.com/looplab/fsm", "vocab", "internal/zoo"},
		"the pure client core; internal/zoo is its one exception, the mutant switch, a constant false (and compiled out) in every build without the zoo tag"},
}

// cliModules are the command line's libraries (flags, commands, the YAML
// of scenario files). Below cmd only the packages in cliExceptions may
// import them.
var cliModules = []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "gopkg.in/yaml.v3"}

// cliExceptions are the packages below cmd that must import a command-line
// library, with the reason.
var cliExceptions = []struct {
	pkg, imp, why string
}{
	{"param", "github.com/spf13/pflag",
		"the parameter registry binds each parameter to its flag (Registry.AddFlags), so a flag and its YAML key are one definition"},
	{"param", "gopkg.in/yaml.v3",
		"the same registry applies a scenario file's parameter block (Registry.ApplyYAML) from YAML nodes, to name FILE:LINE"},
	{"sim", "gopkg.in/yaml.v3",
		"the scenario file format (scenario_file.go) is parsed here; TODO(issue 17, item 2): it moves to package model"},
}

// forbidden are edges that must not exist, between the module's packages.
var forbidden = []struct {
	from, to, why string
	// known: the edge still exists and is tolerated until the TODO is
	// done; the test then fails if the edge is gone, so the row is removed.
	known string
}{
	{"storm", "sim", "storm is its own kernel; it needs only the model's parameters",
		"TODO(issue 17, item 2): storm imports sim for its parameters (sim.Params, Registry, DefaultParams and the duration limits); the edge goes when they move to package model"},
}

func TestImports(t *testing.T) {
	pkgs := modulePackages(t)
	byName := map[string][]string{}
	for _, p := range pkgs {
		byName[p.name] = p.imports
	}
	for _, r := range only {
		imps, ok := byName[r.pkg]
		if !ok {
			t.Errorf("rule for %s: no such package", r.pkg)
			continue
		}
		for _, imp := range imps {
			if !allowed(imp, r.allow) {
				t.Errorf("%s -> %s: %s may import only %s (%s)", r.pkg, short(imp), r.pkg, allowText(r.allow), r.why)
			}
		}
	}
	for _, p := range pkgs {
		if p.name == "cmd" || strings.HasPrefix(p.name, "cmd/") {
			continue
		}
		for _, imp := range p.imports {
			for _, m := range cliModules {
				if !within(imp, m) {
					continue
				}
				excepted := slices.ContainsFunc(cliExceptions, func(e struct{ pkg, imp, why string }) bool {
					return e.pkg == p.name && e.imp == m
				})
				if !excepted {
					t.Errorf("%s -> %s: only cmd/... may import the command line's libraries (%s); the exceptions are listed in cliExceptions",
						p.name, imp, strings.Join(cliModules, ", "))
				}
			}
		}
	}
	for _, e := range cliExceptions {
		if !slices.ContainsFunc(byName[e.pkg], func(imp string) bool { return within(imp, e.imp) }) {
			t.Errorf("cliExceptions: %s no longer imports %s; remove the exception", e.pkg, e.imp)
		}
	}
	for _, f := range forbidden {
		has := slices.Contains(byName[f.from], full(f.to))
		switch {
		case has && f.known == "":
			t.Errorf("%s -> %s: forbidden (%s)", f.from, f.to, f.why)
		case !has && f.known != "":
			t.Errorf("%s -> %s is gone: remove its known exception (%s)", f.from, f.to, f.known)
		case has:
			t.Logf("%s -> %s: known exception, %s", f.from, f.to, f.known)
		}
	}
}

// allowed reports whether imp (an import path) is in the allow list.
func allowed(imp string, allow []string) bool {
	for _, a := range allow {
		if a == std && isStd(imp) || a != std && within(imp, full(a)) {
			return true
		}
	}
	return false
}

// full is the import path of p: a module's package named by its path
// inside the module gets the module's path.
func full(p string) string {
	if isStd(p) {
		return module + "/" + p
	}
	return p
}

// short is imp with the module's path cut (the module's packages are named
// by their path inside it).
func short(imp string) string {
	s, _ := strings.CutPrefix(imp, module+"/")
	return s
}

func allowText(allow []string) string {
	if len(allow) == 0 {
		return "nothing"
	}
	out := make([]string, len(allow))
	for i, a := range allow {
		if a == std {
			a = "the standard library"
		}
		out[i] = a
	}
	return strings.Join(out, ", ")
}

// within reports whether import path imp is path p or below it.
func within(imp, p string) bool { return imp == p || strings.HasPrefix(imp, p+"/") }

// isStd reports whether import path imp is the standard library's: its
// first element has no dot.
func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// pkg is one package of the module, named by its path inside the module
// ("fsm", "internal/zoo"), with its non-test import paths.
type pkg struct {
	name    string
	imports []string
}

// modulePackages lists every package of the module as the default build
// sees it (no build tags), sorted by name.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+module+"\n") {
		t.Fatalf("%s is not the module's root (%v)", root, err)
	}
	var out []pkg
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		base := d.Name()
		if p != root && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata" || base == "node_modules") {
			return filepath.SkipDir
		}
		bp, err := build.Default.ImportDir(p, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, pkg{name: filepath.ToSlash(rel), imports: bp.Imports})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d packages under %s", len(out), root)
	}
	slices.SortFunc(out, func(a, b pkg) int { return strings.Compare(a.name, b.name) })
	return out
}
