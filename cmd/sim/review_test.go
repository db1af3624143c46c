package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewBadInput: a review file's mistake in a sweep, a trace or an
// explore experiment is one line naming FILE:LINE, exit 2, nothing on
// stdout and no report directory.
func TestReviewBadInput(t *testing.T) {
	dir := t.TempDir()
	head := "title: t\nalternatives:\n  - name: a\n    params: {}\n  - name: b\n    params: {policy: web}\nexperiments:\n"
	for _, c := range []struct{ body, want string }{
		{"  - name: x\n    kind: sweep\n    trials: 10\n    axes: {loss: \"0:2:1\"}\n", "r.yaml:11: experiments[0].axes: loss: invalid grid"},
		{"  - name: x\n    kind: trace\n    scenario: missing.yaml\n", "r.yaml:8: experiments[0].scenario: "},
		{"  - name: x\n    kind: trace\n    measures: [online_at_end(3)]\n", "r.yaml:8: experiments[0].measures: online_at_end(3): the scenario has devices 0 to 0"},
		{"  - name: x\n    kind: explore\n    depth: 99\n", "r.yaml:8: experiments[0].depth: must be between 1 and 9 (got 99)"},
	} {
		file := filepath.Join(dir, "r.yaml")
		if err := os.WriteFile(file, []byte(head+c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		code, stdout, stderr := runCLI("review", file, "--out", out)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, one line containing %q", c.body, code, stdout, stderr, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%q: the report directory was made", c.body)
		}
	}
}
