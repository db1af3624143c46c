package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The shipped binary does not depend on package testing, and its bug zoo
// has no switch: internal/zoo is built without the zoo tag (Is is the
// constant false, so no mutant's code is linked).
func TestBinaryLinksNoTesting(t *testing.T) {
	gobin := "go"
	if g := os.Getenv("GOROOT"); g != "" {
		if p := filepath.Join(g, "bin", "go"); fileExistsDeps(p) {
			gobin = p
		}
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if slices.Contains(deps, "testing") {
		t.Errorf("cmd/sim depends on package testing")
	}
	out, err = exec.Command(gobin, "list", "-f", "{{.GoFiles}}", "github.com/rcsim/connsim/internal/zoo").Output()
	if err != nil {
		t.Fatalf("go list internal/zoo: %v", err)
	}
	if s := string(out); strings.Contains(s, "switch_on.go") || !strings.Contains(s, "switch_off.go") {
		t.Errorf("the default build of internal/zoo has files %s; want switch_off.go, not switch_on.go", s)
	}
}

func fileExistsDeps(p string) bool { _, err := os.Stat(p); return err == nil }
