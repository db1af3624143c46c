package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/internal/docblock"
)

// TestDocExamples runs every `$ sim ...` example of README.md and docs/
// that quotes an output (the README's `sim run --loss 0.3` among them) in
// process, in a copy of the module root (so the files an example writes
// land in the copy), and fails when the output is not what the docs quote:
// line for line, a "..." line standing for any lines.
func TestDocExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("the docs' examples: not with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(mirrorModule(t))
	docblock.Check(t, root, "sim ", func(b docblock.Block) (string, bool) {
		code, stdout, stderr := runCLI(b.Args[1:]...)
		if code != 0 {
			t.Errorf("%s: %s: exit %d: %s", b.Where(), strings.Join(b.Args, " "), code, stderr)
		}
		return stdout, code == 0
	})
}
