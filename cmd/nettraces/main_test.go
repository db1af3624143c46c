package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/netmodel"
)

// TestCommitted: the traces in docs/nettraces are what the generator
// writes, and each parses back to the rows it was made from.
func TestCommitted(t *testing.T) {
	for _, tr := range Traces() {
		var b strings.Builder
		if err := write(&b, tr); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "docs", "nettraces", tr.name)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != b.String() {
			t.Errorf("%s is stale: go run ./cmd/nettraces -out docs/nettraces", path)
		}
		rows, err := netmodel.ParseTrace(tr.name, strings.NewReader(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(tr.rows) {
			t.Fatalf("%s: %d rows parsed, %d written", tr.name, len(rows), len(tr.rows))
		}
		for i := range rows {
			rows[i].Line = 0
			if rows[i] != tr.rows[i] {
				t.Errorf("%s row %d: parsed %+v, written %+v", tr.name, i, rows[i], tr.rows[i])
			}
		}
	}
}
