package main

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/internal/docblock"
)

// TestDocExamples runs every `$ sim ...` example of README.md and docs/
// that quotes an output (the README's `sim run --loss 0.3` among them) in
// process, in a copy of the module root (so the files an example writes
// land in the copy), and fails when the output is not what the docs quote:
// line for line, a "..." line standing for any lines. An example that
// quotes no output (a command above a table) is not run.
func TestDocExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("the docs' examples: not with -short")
	}
	blocks, err := docblock.Find("../..", "sim ")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(mirrorModule(t))
	ran := 0
	for _, b := range blocks {
		if len(b.Want) == 0 {
			continue
		}
		ran++
		code, stdout, stderr := runCLI(b.Args[1:]...)
		if code != 0 {
			t.Errorf("%s: %s: exit %d: %s", b.Where(), strings.Join(b.Args, " "), code, stderr)
			continue
		}
		if ok, missing := docblock.Match(b.Want, stdout); !ok {
			t.Errorf("%s: %s: the docs quote %q where the command prints:\n%s", b.Where(), strings.Join(b.Args, " "), missing, stdout)
		}
	}
	if ran == 0 {
		t.Error("no example of sim with its output in README.md or docs/")
	}
}
