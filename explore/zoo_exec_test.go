//go:build !zoo

package explore

import (
	"testing"

	"github.com/rcsim/connsim/internal/zoo/zootest"
)

// TestZoo, in a build without the zoo tag, runs the explorer's bug-zoo
// tests (TestExhaustiveCatchesZoo, TestExhaustiveCatchesZooFull,
// TestExploreZooMonitorsMatchReplay, in
// zoo_test.go) by running `go test -tags zoo` on this package: only that
// build has the mutant switch.
func TestZoo(t *testing.T) {
	if testing.Short() {
		t.Skip("the zoo's explorations are full-depth; not in -short mode")
	}
	zootest.Run(t, "^(TestExhaustiveCatchesZoo|TestExhaustiveCatchesZooFull|TestExploreZooMonitorsMatchReplay)$")
}
