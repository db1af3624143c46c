//go:build !zoo

package properties_test

import (
	"testing"

	"github.com/rcsim/connsim/internal/zoo/zootest"
)

// TestZoo, in a build without the zoo tag, runs the bug zoo (TestZoo, in
// a file tagged zoo) by running `go test -tags zoo` on this package: only
// that build has the mutant switch (package internal/zoo), so that the
// shipped binary never does. The explorer's zoo tests run the same way
// from package explore.
func TestZoo(t *testing.T) {
	if testing.Short() {
		t.Skip("the bug zoo runs a fixed budget of full-length checks; not in -short mode")
	}
	var args []string
	if *zooCE {
		args = append(args, "-zoo.ce")
	}
	zootest.Run(t, "^TestZoo$", args...)
}
