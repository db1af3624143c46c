//go:build zoo

package properties_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rcsim/connsim/internal/testsize"
	"github.com/rcsim/connsim/internal/zoo"
)

// TestZoo runs the suite once per mutant, counting only the mutant's own
// properties, and once on the correct model, counting every property.
func TestZoo(t *testing.T) {
	if testing.Short() {
		t.Skip("the bug zoo runs a fixed budget of full-length checks; not in -short mode")
	}
	// Shrinking a counterexample decides nothing (a mutant is caught by
	// its first failing check) but the shrunk script docs/properties.md
	// shows: it runs at full size (testsize) or with -zoo.ce.
	shrink := testsize.Pick(t, "0s", "1s")
	if *zooCE {
		shrink = "1s"
	}
	defer setRapidFlags(t, map[string]string{
		"rapid.checks":     fmt.Sprint(zooBudget),
		"rapid.steps":      "30",
		"rapid.seed":       zooSeed,
		"rapid.nofailfile": "true",
		"rapid.shrinktime": shrink,
	})()

	start := time.Now()
	if r := zooRun("correct", nil); r.failed {
		t.Fatalf("the correct model fails within the zoo's budget:\n%s", r.log)
	}
	t.Logf("correct model: passed %d checks (%v)", zooBudget, time.Since(start).Round(time.Millisecond))
	t.Logf("%-30s %-7s %-9s %7s %7s  %s", "mutant", "package", "property", "checks", "actions", "also violated")
	for _, mu := range zoo.All {
		if mu.Explorer() {
			continue // only the explorer's invariants see it (explore's zoo test)
		}
		off := zoo.Switch(mu.Mutant)
		start := time.Now()
		r := zooRun(mu.Name, mu.Props)
		off()
		if !r.failed || r.first == nil {
			t.Errorf("%s (%s): not caught by %s within %d checks: a hole in the suite\n%s",
				mu.Name, mu.Doc, strings.Join(mu.Props, "/"), zooBudget, r.log)
			continue
		}
		t.Logf("%-30s %-7s %-9s %7d %7d  %s  (%v)", mu.Name, mu.Pkg, r.first[0].Property, r.at, r.steps,
			strings.Join(r.also, ","), time.Since(start).Round(time.Millisecond))
		if *zooCE {
			t.Logf("%s: %s\n%s", mu.Name, r.first[0], r.report)
		}
	}
}
