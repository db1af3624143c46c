// Package conformance runs the real web SDK engine (@rongcloud/engine, in
// Node, see web/) through a scenario set and holds its traces up against
// the model: the traces must parse, re-encode byte for byte, and run
// through the property checkers; the comparison with `sim trace --profile
// web` is in docs/conformance.md.
package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MinNodeMajor is the oldest Node.js the harness supports.
const MinNodeMajor = 20

// Harness locates the Node harness in dir (the web/ directory).
type Harness struct {
	Dir  string // the harness directory (package.json, run.js)
	Node string // the node executable
}

// NewHarness finds node and checks the harness's dependencies are
// installed. When node_modules is missing it runs `npm ci` in dir, so that
// `go test ./...` on a fresh machine with Node and npm needs nothing else.
func NewHarness(dir string) (*Harness, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node not found on PATH: the conformance tests run the real web SDK in Node.js " +
			strconv.Itoa(MinNodeMajor) + " or later; install it (Debian/Ubuntu: apt-get install nodejs npm; " +
			"or from https://nodejs.org) and run `npm ci --prefix conformance/web`")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %v", node, err)
	}
	if m := regexp.MustCompile(`^v(\d+)\.`).FindSubmatch(bytes.TrimSpace(out)); m == nil {
		return nil, fmt.Errorf("%s --version printed %q, not a Node.js version", node, out)
	} else if major, _ := strconv.Atoi(string(m[1])); major < MinNodeMajor {
		return nil, fmt.Errorf("node is %s; the conformance harness needs Node.js %d or later", bytes.TrimSpace(out), MinNodeMajor)
	}
	h := &Harness{Dir: dir, Node: node}
	// Read the harness's own files, so that go test's cache counts them as
	// inputs: node reads them, which the cache cannot see.
	for _, glob := range []string{"*.js", "*.json", "harness/*.js", "test/*.js", "../model/*.yaml"} {
		files, _ := filepath.Glob(filepath.Join(dir, glob))
		for _, f := range files {
			if _, err := os.ReadFile(f); err != nil {
				return nil, err
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@rongcloud", "engine", "package.json")); err != nil {
		npm, lerr := exec.LookPath("npm")
		if lerr != nil {
			return nil, fmt.Errorf("%s/node_modules is missing and npm is not on PATH: install npm and run `npm ci --prefix conformance/web`", dir)
		}
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--prefix", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s/node_modules is missing and `npm ci --prefix %s` failed (%v); run it by hand:\n%s", dir, dir, err, out)
		}
	}
	return h, nil
}

// Scenarios returns the scenario names, in the harness's order.
func (h *Harness) Scenarios() ([]string, error) {
	out, err := h.node("--list")
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// RunAll runs every scenario in the real engine and writes NAME.jsonl
// traces to outDir.
func (h *Harness) RunAll(outDir string) error {
	_, err := h.node("--out", outDir)
	return err
}

// RunOne runs one scenario and returns its trace, or with raw the
// harness's raw log.
func (h *Harness) RunOne(name string, raw bool) ([]byte, error) {
	args := []string{"--one", name}
	if raw {
		args = append(args, "--raw")
	}
	return h.node(args...)
}

func (h *Harness) node(args ...string) ([]byte, error) {
	cmd := exec.Command(h.Node, append([]string{"run.js"}, args...)...)
	cmd.Dir = h.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node run.js %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}
