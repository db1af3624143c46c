package properties_test

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/properties"
)

// The bug zoo: each mutant (package internal/zoo) must be caught by its
// property within zooBudget rapid checks of the suite, and the correct
// model must pass the same budget. A mutant that nothing catches is a hole
// in the suite.
const (
	zooBudget = 400 // rapid checks per mutant, and for the correct model
	zooSeed   = "1" // rapid's base seed: the same checks every run
)

var zooCE = flag.Bool("zoo.ce", false, "bug zoo: print each mutant's shrunk counterexample")

// zooResult is what one zoo run found.
type zooResult struct {
	failed bool
	first  []properties.Violation // the violations that caught the mutant
	at     int                    // the check that caught it (1-based)
	steps  int                    // script actions of the shrunk counterexample
	also   []string               // every property the shrunk counterexample violates
	report string                 // the shrunk counterexample
	log    string                 // rapid's output
}

// zooRun runs the suite under rapid with the zoo's flags, counting only
// the properties in only (nil: every one).
func zooRun(name string, only []string) zooResult {
	zooStats = zooLog{}
	tb := &captureTB{name: "TestZoo/" + name}
	rapid.Check(tb, func(t *rapid.T) { runCheck(t, only) })
	return zooResult{failed: tb.failed, first: zooStats.first, at: zooStats.at,
		steps: zooStats.lastSteps, also: zooStats.lastAlso, report: zooStats.lastReport, log: tb.log.String()}
}

// setRapidFlags sets rapid's command-line flags and returns a function
// that restores them.
func setRapidFlags(t *testing.T, set map[string]string) (restore func()) {
	old := map[string]string{}
	for name, v := range set {
		f := flag.Lookup(name)
		if f == nil {
			t.Fatalf("rapid has no flag -%s", name)
		}
		old[name] = f.Value.String()
		if err := f.Value.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for name, v := range old {
			_ = flag.Lookup(name).Value.Set(v)
		}
	}
}

// captureTB is a rapid.TB that records a failure instead of failing the
// test, so that the zoo can expect one.
type captureTB struct {
	name   string
	failed bool
	log    strings.Builder
}

func (c *captureTB) Helper()                  {}
func (c *captureTB) Name() string             { return c.name }
func (c *captureTB) Logf(f string, a ...any)  { fmt.Fprintf(&c.log, f+"\n", a...) }
func (c *captureTB) Log(a ...any)             { fmt.Fprintln(&c.log, a...) }
func (c *captureTB) Skipf(f string, a ...any) { c.Logf("skip: "+f, a...) }
func (c *captureTB) Skip(a ...any)            { c.Log(a...) }
func (c *captureTB) SkipNow()                 {}
func (c *captureTB) Errorf(f string, a ...any) {
	c.failed = true
	c.Logf(f, a...)
}
func (c *captureTB) Error(a ...any)            { c.failed = true; c.Log(a...) }
func (c *captureTB) Fatalf(f string, a ...any) { c.Errorf(f, a...) }
func (c *captureTB) Fatal(a ...any)            { c.Error(a...) }
func (c *captureTB) FailNow()                  { c.failed = true }
func (c *captureTB) Fail()                     { c.failed = true }
func (c *captureTB) Failed() bool              { return c.failed }

// zooLog counts rapid checks and remembers failures, so that the zoo can
// say which property caught a mutant after how many checks.
type zooLog struct {
	checks int                    // checks started (shrinking included)
	first  []properties.Violation // the first failure's violations
	at     int                    // the check the first failure came in
	// The latest failure: after shrinking, the shrunk counterexample.
	lastSteps  int
	lastAlso   []string
	lastReport string
}

var zooStats zooLog

// note records a failing check of machine m with violations vs.
func (z *zooLog) note(m *machine, vs []properties.Violation) {
	if z.first == nil {
		z.first, z.at = vs, z.checks
	}
	z.lastSteps = len(m.w.Scenario().Script)
	z.lastReport = m.report()
	z.lastAlso = z.lastAlso[:0]
	all := append(properties.Check(m.cfg, m.w.Recs), m.modelState()...)
	if m.healed {
		all = append(all, properties.CheckP8(m.cfg, m.w.Recs, m.heal)...)
	}
	all = append(all, vs...)
	for _, v := range all {
		if !slices.Contains(z.lastAlso, v.Property) {
			z.lastAlso = append(z.lastAlso, v.Property)
		}
	}
	slices.SortFunc(z.lastAlso, cmpID)
}

// cmpID orders property ids by number ("P2" before "P10").
func cmpID(a, b string) int {
	var x, y int
	fmt.Sscanf(a, "P%d", &x)
	fmt.Sscanf(b, "P%d", &y)
	return x - y
}
