package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

func TestFSMDotHasEveryEdge(t *testing.T) {
	code, out, errs := runCLI("fsm", "--format", "dot")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, e := range fsm.Edges {
		for _, s := range e.From {
			if l := fmt.Sprintf("%q -> %q [ label = %q ];", s, e.To, e.Event); !strings.Contains(out, l) {
				t.Errorf("dot lacks %s", l)
			}
		}
	}
	for _, s := range fsm.AllStatuses {
		if !strings.Contains(out, fmt.Sprintf(`label = "%s\nvalue %d"`, s, s)) {
			t.Errorf("dot lacks the value of %s", s)
		}
	}
	// Deterministic, and the default format.
	if _, again, _ := runCLI("fsm"); again != out {
		t.Error("sim fsm is not deterministic or its default is not dot")
	}
}

func TestFSMMermaid(t *testing.T) {
	code, out, errs := runCLI("fsm", "--format", "mermaid")
	if code != 0 || !strings.HasPrefix(out, "stateDiagram-v2\n") {
		t.Fatalf("exit %d, stderr %s, out %.60q", code, errs, out)
	}
	for _, e := range fsm.Edges {
		for _, s := range e.From {
			if l := fmt.Sprintf("%s --> %s: %s\n", s, e.To, e.Event); !strings.Contains(out, l) {
				t.Errorf("mermaid lacks %s", l)
			}
		}
	}
}

func TestFSMFiles(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"svg", "png"} {
		if code, _, errs := runCLI("fsm", "--format", f); code != 0 {
			t.Fatalf("--format %s: exit %d: %s", f, code, errs)
		}
	}
	svg, err := os.ReadFile("fsm.svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Connection status machine (fsm.Edges)", "SUSPEND", "value 13", "connect_offline", "31 edges"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("fsm.svg lacks %q", s)
		}
	}
	if png, _ := os.ReadFile("fsm.png"); !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("fsm.png is not a PNG")
	}
	if code, _, errs := runCLI("fsm", "--format", "dot", "--out", "m.dot"); code != 0 {
		t.Fatalf("--out: exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile("m.dot"); !bytes.HasPrefix(b, []byte("digraph fsm {")) {
		t.Error("--out m.dot holds no DOT")
	}
}

func TestPlotBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, nil, 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"fsm", "--format", "jpeg"}, "--format must be dot, mermaid, svg or png"},
		{[]string{"fsm", "--format", "svg", "--out", filepath.Join(dir, "x.png")}, "want a name ending in .svg"},
		{[]string{"trace", "--plot", filepath.Join(dir, "t.pdf")}, "want a file name ending in .png or .svg"},
		{[]string{"trace", "--plot", filepath.Join(dir, "no", "t.svg")}, "does not exist"},
		{[]string{"run", "--trials", "10", "--plot", file}, "is a file; want a directory"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, out, errs, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("bad input left files: %v", entries)
	}
}

func TestRunPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figs", "run")
	args := []string{"run", "--loss", "0.3", "--trials", "500", "--seed", "3", "--quiet"}
	code, out, errs := runCLI(append(args, "--plot", dir)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The summary is the one the run prints without --plot.
	if _, plain, _ := runCLI(args...); plain != out {
		t.Errorf("--plot changed the summary:\n%s\nvs\n%s", out, plain)
	}
	for _, n := range []string{"ttc_cdf.png", "ttc_cdf.svg", "attempts.png", "attempts.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(n, ".svg") && !bytes.Contains(b, []byte("seed 3")) {
			t.Errorf("%s: caption lacks the seed", n)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "ttc_cdf.svg"))
	for _, s := range []string{"Time to connect (first Connect call)", "time from Connect to onSuccess (s)", "time limit 5s", "loss 0.3"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("ttc_cdf.svg lacks %q", s)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("the plot directory holds %d files, want 4", len(entries))
	}
	// The replay commands printed for failing trials never carry --plot.
	if strings.Contains(out, "--plot") {
		t.Error("the summary mentions --plot")
	}
}

func TestTracePlotSameTrial(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tl.svg")
	args := []string{"trace", "--loss", "0.5", "--time-limit", "0", "--trial", "4", "--format", "text"}
	for _, detail := range []string{"--detail=true", "--detail=false"} {
		code, out, errs := runCLI(append(args, detail, "--plot", file)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		// --plot records detail for the figure only: the printed trace
		// is the one printed without --plot.
		if _, plain, _ := runCLI(append(args, detail)...); plain != out {
			t.Errorf("%s: --plot changed the trace", detail)
		}
		svg, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Timeline of one trial", "CONNECTING (1)", "lost messages", "navi", "Trial 4 of seed 1"} {
			if !bytes.Contains(svg, []byte(s)) {
				t.Errorf("%s: timeline lacks %q", detail, s)
			}
		}
	}
}
