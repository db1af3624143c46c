package doccheck

import (
	"slices"
	"strings"
	"testing"
)

// The layering rules of the module's import graph (the graph the
// architecture page draws), in the spirit of Go's own
// go/build/deps_test.go: a new import that breaks a layer fails
// TestImports, naming the edge, before it spreads. Imports of the standard
// library are always allowed.

// only lists packages that may import nothing but what their row allows,
// besides the standard library: the module's packages by their path inside
// it, other modules by module path.
var only = []struct {
	pkg   string
	allow []string
	why   string
}{
	{"vocab", nil,
		"the leaf of shared names: it imports nothing, so every package can use it"},
	{"internal/zoo", nil,
		"the bug zoo's switch: fsm, server and sim ask it, so it must import none of them"},
	{"fsm", []string{"github.com/looplab/fsm", "vocab", "internal/zoo"},
		"the pure client core; internal/zoo is its one exception, the mutant switch, a constant false (and compiled out) in every build without the zoo tag"},
	{"explore", []string{"fsm", "server", "trace", "vocab", "properties", "internal/zoo", "internal/zoo/tamper"},
		"the exhaustive search drives the client core in an abstract world: the core, the server's session rules, the records and the checkers, and the zoo's mutants of the core's effects; no network model, no simulator, no command-line library"},
	{"param", nil,
		"the parameter registry: declarations, text and JSON; flags are bound under cmd (cmd/internal/paramflag), YAML read by model (model.ApplyYAML)"},
	{"run", []string{"fsm", "model", "param", "properties", "sim", "internal/infile"},
		"runs of many trials: the kernel's one trial, the checkers, the parameters, and the partials' files; no grid, no command line"},
	{"sweep", []string{"fsm", "grid", "model", "netmodel", "param", "run"},
		"the grid of runs: runs, the parameters and the closed form's grid helpers; it parses no flag and writes no file (cmd/sim does)"},
}

// cliModules are the command line's libraries (flags, commands, the YAML
// of scenario files). Below cmd only the packages in cliExceptions may
// import them: cobra and pflag none (param's registry is bound to flags
// by cmd/internal/paramflag), yaml the file formats' parsers (model and
// review).
var cliModules = []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "gopkg.in/yaml.v3"}

// cliExceptions are the packages below cmd that must import a command-line
// library, with the reason.
var cliExceptions = []struct {
	pkg, imp, why string
}{
	{"review", "gopkg.in/yaml.v3",
		"the review file format (review/spec.go) is parsed from YAML nodes, to name FILE:LINE, with the registry's ApplyYAML"},
	{"model", "gopkg.in/yaml.v3",
		"the scenario file format (model/scenario_file.go) and a registry's params block (model.ApplyYAML) are parsed here, from YAML nodes, to name FILE:LINE"},
}

// forbidden are edges that must not exist, between the module's packages.
var forbidden = []struct {
	from, to, why string
	// known: the edge still exists and is tolerated until the TODO is
	// done; the test then fails if the edge is gone, so the row is removed.
	known string
}{
	{"properties", "explore", "the checkers judge traces of any world; the explorer is a world above them, as sim and storm are", ""},
	{"storm", "sim", "storm is its own kernel; it needs only the model's parameters (package model)", ""},
	{"sim", "run", "the kernel runs one trial; runs of many trials (package run) are built on it", ""},
	{"model", "sim", "the parameters and scenarios come before any world", ""},
	{"sim", "sweep", "the kernel runs one trial; a grid of runs (package sweep) is built on it", ""},
	{"run", "sweep", "a run is one point of a sweep; the grid is built on runs, not the other way", ""},
}

func TestImports(t *testing.T) {
	pkgs := modulePackages(t)
	byName := map[string]pkgImports{}
	for _, p := range pkgs {
		byName[p.name] = p
	}
	for _, r := range only {
		p, ok := byName[r.pkg]
		if !ok {
			t.Errorf("rule for %s: no such package", r.pkg)
			continue
		}
		for _, imp := range slices.Concat(p.local, p.thirdParty) {
			if !slices.Contains(r.allow, imp) {
				allow := "the standard library"
				if len(r.allow) > 0 {
					allow += ", " + strings.Join(r.allow, ", ")
				}
				t.Errorf("%s -> %s: %s may import only %s (%s)", r.pkg, imp, r.pkg, allow, r.why)
			}
		}
	}
	for _, p := range pkgs {
		if p.name == "cmd" || strings.HasPrefix(p.name, "cmd/") {
			continue
		}
		for _, m := range p.thirdParty {
			if !slices.Contains(cliModules, m) {
				continue
			}
			excepted := slices.ContainsFunc(cliExceptions, func(e struct{ pkg, imp, why string }) bool {
				return e.pkg == p.name && e.imp == m
			})
			if !excepted {
				t.Errorf("%s -> %s: only cmd/... may import the command line's libraries (%s); the exceptions are listed in cliExceptions",
					p.name, m, strings.Join(cliModules, ", "))
			}
		}
	}
	for _, e := range cliExceptions {
		if !slices.Contains(byName[e.pkg].thirdParty, e.imp) {
			t.Errorf("cliExceptions: %s no longer imports %s; remove the exception", e.pkg, e.imp)
		}
	}
	for _, f := range forbidden {
		has := slices.Contains(byName[f.from].local, f.to)
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
