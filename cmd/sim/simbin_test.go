package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// simBin is the sim binary the tests that run it as a process share
// (signals, the memory ceiling, the resource figures): built once per
// test binary, into a directory TestMain removes.
var simBin struct {
	once      sync.Once
	dir, path string
	out       []byte
	err       error
}

// buildSim returns the path of the built sim binary, building it on the
// first call.
func buildSim(t *testing.T) string {
	t.Helper()
	simBin.once.Do(func() {
		if simBin.dir, simBin.err = os.MkdirTemp("", "connsim-sim-test-"); simBin.err != nil {
			return
		}
		simBin.path = filepath.Join(simBin.dir, "sim")
		simBin.out, simBin.err = exec.Command("go", "build", "-o", simBin.path, ".").CombinedOutput()
	})
	if simBin.err != nil {
		t.Fatalf("go build: %v\n%s", simBin.err, simBin.out)
	}
	return simBin.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if simBin.dir != "" {
		os.RemoveAll(simBin.dir)
	}
	os.Exit(code)
}
