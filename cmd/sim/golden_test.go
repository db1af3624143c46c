package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// goldenCase is one command of the CLI-output safety net (net 2 of
// docs/architecture.md's plan): its exit code, stdout, stderr and every
// file it writes are compared with testdata/golden/NAME.txt. Commands run
// in order in one scratch directory, the working directory, so a later
// case reads what an earlier one wrote (merge reads the shards' partials,
// check the trace) and every path in an output is relative.
type goldenCase struct {
	name  string
	args  []string
	files []string // written by the command, relative to the scratch directory
	save  string   // if set, stdout is also written to this file
}

// goldenCases is net 2's command list, at small trial counts.
func goldenCases() []goldenCase {
	run := []string{"run", "--loss", "0.3", "--trials", "2000"}
	sweep := []string{"sweep", "--loss", "0:0.6:0.2", "--time-limit", "2s,0", "--trials", "300"}
	trace := []string{"trace", "--loss", "0.3", "--trial", "3"}
	cases := []goldenCase{
		{name: "run", args: run},
		{name: "run-json", args: append(slices.Clone(run), "--json")},
		{name: "run-scenario", args: append(slices.Clone(run), "--scenario", "scenario.yaml")},
		{name: "run-plot", args: append(slices.Clone(run), "--plot", "figs"),
			files: []string{"figs/ttc_cdf.svg", "figs/ttc_cdf.png", "figs/attempts.svg", "figs/attempts.png"}},
		{name: "run-shard-0", args: append(slices.Clone(run), "--shard", "0/2", "--out", "run-0.json"), files: []string{"run-0.json"}},
		{name: "run-shard-1", args: append(slices.Clone(run), "--shard", "1/2", "--out", "run-1.json"), files: []string{"run-1.json"}},
		{name: "run-merge", args: []string{"merge", "run-0.json", "run-1.json"}},
		{name: "run-merge-json", args: []string{"merge", "--json", "run-0.json", "run-1.json"}},
		{name: "trace-text", args: append(slices.Clone(trace), "--format", "text")},
		{name: "trace-json", args: append(slices.Clone(trace), "--format", "json"), save: "trace.jsonl"},
		{name: "check", args: []string{"check", "trace.jsonl"}},
		{name: "sweep", args: append(slices.Clone(sweep), "--out", "s.csv", "--plot", "s.svg", "--cdf", "c.svg"),
			files: []string{"s.csv", "s.svg", "c.svg"}},
	}
	for k := range 3 {
		out := fmt.Sprintf("sweep-%d.json", k)
		cases = append(cases, goldenCase{name: fmt.Sprintf("sweep-shard-%d", k),
			args: append(slices.Clone(sweep), "--shard", fmt.Sprintf("%d/3", k), "--out", out), files: []string{out}})
	}
	cases = append(cases,
		goldenCase{name: "sweep-merge", args: []string{"merge", "--out", "m.csv", "--plot", "m.svg", "--cdf", "mc.svg", "sweep-0.json", "sweep-1.json", "sweep-2.json"},
			files: []string{"m.csv", "m.svg", "mc.svg"}},
		goldenCase{name: "storm", args: []string{"storm", "--clients", "1000"}},
		goldenCase{name: "explore", args: []string{"explore", "--depth", "7"}},
		goldenCase{name: "explore-auth", args: []string{"explore", "--attempt", "auth", "--depth", "7"}},
		goldenCase{name: "explore-web", args: []string{"explore", "--profile", "web", "--depth", "7"}},
		goldenCase{name: "help", args: []string{"--help"}},
	)
	for _, c := range newRoot(io.Discard, io.Discard).Commands() {
		if c.Name() != "help" {
			cases = append(cases, goldenCase{name: "help-" + c.Name(), args: []string{c.Name(), "--help"}})
		}
	}
	return cases
}

// TestGolden runs goldenCases and compares each output with its golden
// file; -update rewrites the files (review the diff: every change of a
// CLI output is on purpose). The wall-clock figures of the timing lines
// on stderr are masked, since only they vary from run to run.
func TestGolden(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	scenario, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenarios", "outage-during-login.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("scenario.yaml", scenario, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := goldenCases()
	for _, c := range cases {
		code, stdout, stderr := runCLI(c.args...)
		if c.save != "" {
			if err := os.WriteFile(c.save, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got := goldenText(t, c, code, stdout, stderr)
		path := filepath.Join(dir, c.name+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run go test ./cmd/sim -run TestGolden -update)", c.name, err)
			continue
		}
		if got != string(want) {
			t.Errorf("sim %s: output differs from %s (-update rewrites it):\n%s", strings.Join(c.args, " "), path, firstDiff(string(want), got))
		}
	}
	if *update {
		removeStaleGolden(t, dir, cases)
	}
}

// wallFigures are the run-to-run varying parts of the timing lines.
var (
	wallFigures = regexp.MustCompile(`[0-9]+\.[0-9]+s wall|[0-9]+\.[0-9]+ µs per|[0-9]+ workers`)
	digits      = regexp.MustCompile(`[0-9.]+`)
)

// goldenText renders one case's outputs: the command, the exit code, then
// stdout, stderr and each file as a section. A file that is not UTF-8
// text (a PNG) is given by its size and SHA-256.
func goldenText(t *testing.T, c goldenCase, code int, stdout, stderr string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ sim %s\nexit %d\n", strings.Join(c.args, " "), code)
	section := func(name, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			fmt.Fprintf(&b, "--- %s: %d bytes, sha256 %x\n", name, len(text), sha256.Sum256([]byte(text)))
			return
		}
		end := ""
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
			end = " (no final newline)"
		}
		fmt.Fprintf(&b, "--- %s%s\n%s", name, end, text)
	}
	section("stdout", stdout)
	var masked []string
	for line := range strings.Lines(stderr) {
		if strings.Contains(line, " wall") {
			line = wallFigures.ReplaceAllStringFunc(line, func(s string) string { return digits.ReplaceAllString(s, "N") })
		}
		masked = append(masked, line)
	}
	section("stderr", strings.Join(masked, ""))
	for _, f := range c.files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		section("file "+f, string(data))
	}
	return b.String()
}

// firstDiff shows the first line where want and got differ, with its
// line number.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			// A partial is one long line: show it from a little before
			// the first differing byte.
			at := 0
			for at < min(len(wl), len(gl)) && wl[at] == gl[at] {
				at++
			}
			from := max(0, at-60)
			clip := func(s string) string { return s[min(from, len(s)):min(from+200, len(s))] }
			return fmt.Sprintf("line %d, from byte %d:\n  want %q\n  got  %q", i+1, from, clip(wl), clip(gl))
		}
	}
	return "(equal lines, different lengths)"
}

// removeStaleGolden deletes the golden files of cases that no longer exist,
// so that -update leaves exactly one file per case.
func removeStaleGolden(t *testing.T, dir string, cases []goldenCase) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.ContainsFunc(cases, func(c goldenCase) bool { return c.name+".txt" == e.Name() }) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}
