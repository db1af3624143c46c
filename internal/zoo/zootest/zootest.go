// Package zootest runs a package's bug-zoo tests from a plain `go test`.
// The zoo's tests live in files tagged zoo, since only that build has the
// mutant switch (package zoo); a test of the default build calls Run,
// which runs `go test -tags zoo` on the same package, so the README's test
// command needs no tag. Only tests import this package: the shipped binary
// links neither it nor package testing.
package zootest

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"
)

// Run runs `go test -tags zoo -count=1 -run pattern` on the package of the
// calling test (its directory), with args after -args, and fails t if the
// child fails. The child's output is shown with -v, or on failure.
func Run(t *testing.T, pattern string, args ...string) {
	t.Helper()
	cmdArgs := []string{"test", "-tags", "zoo", "-count=1", "-run", pattern}
	if testing.Verbose() {
		cmdArgs = append(cmdArgs, "-v")
	}
	if len(args) > 0 {
		cmdArgs = append(append(cmdArgs, "-args"), args...)
	}
	cmd := exec.Command(goTool(), cmdArgs...)
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
