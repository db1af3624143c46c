package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotCmdWritesTheTimelineOfAFile(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "t.jsonl")
	code, out, errs := runCLI("trace", "--loss", "0.3", "--trial", "3", "--time-limit", "0")
	if code != 0 {
		t.Fatalf("sim trace: exit %d: %s", code, errs)
	}
	if err := os.WriteFile(tr, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"t.png", "t.svg"} {
		fig := filepath.Join(dir, name)
		code, stdout, stderr := runCLI("plot", tr, "--out", fig, "--caption", "a caption")
		if code != 0 || stdout != "" {
			t.Fatalf("sim plot --out %s: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
		if fi, err := os.Stat(fig); err != nil || fi.Size() == 0 {
			t.Fatalf("%s not written: %v", name, err)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "t.svg"))
	if !strings.Contains(string(svg), "a caption") {
		t.Errorf("the SVG lacks the caption")
	}
}

func TestPlotCmdBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "t.jsonl")
	os.WriteFile(good, []byte(`{"t":0,"kind":"call","dev":0,"op":"init"}`+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"t":0,"kind":"call","dev":0,"op":"init"}`+"\n"+`{"t":1}`+"\n"), 0o644)
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	fig := filepath.Join(dir, "f.png")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plot", good}, "--out: required"},
		{[]string{"plot", good, "--out", filepath.Join(dir, "f.pdf")}, "--out"},
		{[]string{"plot", good, "--out", mkdir(t, filepath.Join(dir, "d.png"))}, "is a directory"},
		{[]string{"plot", good, "--out", filepath.Join(dir, "nope", "f.png")}, "does not exist"},
		{[]string{"plot", filepath.Join(dir, "missing.jsonl"), "--out", fig}, "missing.jsonl"},
		{[]string{"plot", bad, "--out", fig}, "line 2: missing \"kind\""},
		{[]string{"plot", empty, "--out", fig}, "no records"},
	} {
		code, stdout, stderr := runCLI(tc.args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("sim %s: exit %d, stdout %q, stderr %q; want exit 2, one line with %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.want)
		}
		if _, err := os.Stat(fig); err == nil {
			t.Fatalf("sim %s wrote %s", strings.Join(tc.args, " "), fig)
		}
	}
}

func mkdir(t *testing.T, d string) string {
	t.Helper()
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// sim plot holds the trace in memory: it refuses one of more than
// maxPlotRecords records, in one line, and writes nothing.
func TestPlotRecordLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "long.jsonl")
	line := `{"t":0,"kind":"call","dev":0,"op":"init"}` + "\n"
	if err := os.WriteFile(path, []byte(strings.Repeat(line, maxPlotRecords+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "p.png")
	code, stdout, errs := runCLI("plot", path, "--out", out)
	want := fmt.Sprintf("sim: %s: more than %d records; sim plot draws at most %d", path, maxPlotRecords, maxPlotRecords)
	if code != 2 || stdout != "" || !strings.HasPrefix(errs, want) || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("wrote the figure")
	}
}
