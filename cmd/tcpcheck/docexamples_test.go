package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rcsim/connsim/internal/docblock"
)

// TestDocExamples runs every `$ go run ./cmd/tcpcheck ...` example of the
// docs that quotes an output (docs/tcp-validation.md's table of gVisor
// against the model) and fails when the output is not what the docs
// quote; a figure the example writes (--out docs/figures/...) is written
// to a scratch directory and must be the docs' file byte for byte.
func TestDocExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("gVisor runs: not with -short")
	}
	docblock.Check(t, "../..", "go run ./cmd/tcpcheck", func(b docblock.Block) (string, bool) {
		args := append([]string(nil), b.Args[3:]...)
		figures := map[string]string{} // scratch file: the docs' file
		for i := 1; i < len(args); i++ {
			if args[i-1] == "--out" {
				scratch := filepath.Join(t.TempDir(), filepath.Base(args[i]))
				figures[scratch] = filepath.Join("..", "..", args[i])
				args[i] = scratch
			}
		}
		var so, se bytes.Buffer
		if code := Main(args, &so, &se); code != 0 {
			t.Errorf("%s: exit %d: %s", b.Where(), code, se.String())
			return "", false
		}
		for scratch, doc := range figures {
			got, err1 := os.ReadFile(scratch)
			want, err2 := os.ReadFile(doc)
			if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s is stale (%v, %v): rerun the command", b.Where(), doc, err1, err2)
			}
		}
		return so.String(), true
	})
}
