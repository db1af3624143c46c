//go:build !zoo

package properties_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"
)

// TestZoo, in a build without the zoo tag, runs the bug zoo (TestZoo and
// TestExhaustiveCatchesZoo, in files tagged zoo) by running `go test
// -tags zoo` on this package: only that build has the mutant switch
// (package internal/zoo), so that the shipped binary never does. The
// child's output is shown with -v, or on failure.
func TestZoo(t *testing.T) {
	if testing.Short() {
		t.Skip("the bug zoo runs a fixed budget of full-length checks; not in -short mode")
	}
	args := []string{"test", "-tags", "zoo", "-count=1", "-run", "^(TestZoo|TestExhaustiveCatchesZoo)$"}
	if testing.Verbose() {
		args = append(args, "-v")
	}
	if *zooCE {
		args = append(args, "-args", "-zoo.ce")
	}
	cmd := exec.Command(goTool(), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if testing.Verbose() {
		cmd.Stdout = io.MultiWriter(&out, os.Stdout)
		cmd.Stderr = cmd.Stdout
	}
	if err := cmd.Run(); err != nil {
		if !testing.Verbose() {
			t.Log(out.String())
		}
		t.Fatalf("go test -tags zoo: %v", err)
	}
}

// goTool is the go command that runs this test.
func goTool() string {
	if g := os.Getenv("GOROOT"); g != "" {
		if p := g + "/bin/go"; fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
