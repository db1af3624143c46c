package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docCheckBytesPerCall is docs/performance.md's figure for the resident
// memory sim check holds per pending Connect call of a trace (one device
// each): the monitor's per-device and per-call state (184 + 240 B, see
// properties.TestStateBytes) in tables grown by doubling, plus the garbage
// collector's headroom. TestCheckMemoryFigures measures it.
const docCheckBytesPerCall = 1200

// writeCalls writes a trace of n devices, each with one Connect call that
// never ends: the monitor keeps every call's state to the end.
func writeCalls(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, `{"t":0,"kind":"call","dev":%d,"op":"init"}`+"\n", i)
		fmt.Fprintf(w, `{"t":0,"kind":"call","dev":%d,"op":"connect","call":%d,"token":0,"time_limit":0}`+"\n", i, i+1)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckMemoryFigures measures sim check's resident memory per pending
// call (from 20,000 to 300,000 calls) and fails when docs/performance.md's
// figure is more than 2x off (issue 19, class J).
func TestCheckMemoryFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("runs the built binary on 300,000 calls")
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "performance.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "about 1.2 KB of resident memory per pending call"; !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/performance.md does not say %q (TestCheckMemoryFigures measures it)", want)
	}
	bin := buildSim(t)
	dir := t.TempDir()
	const small, big = 20000, 300000
	var rss [2]int64
	for i, n := range []int{small, big} {
		path := filepath.Join(dir, fmt.Sprintf("calls%d.jsonl", i))
		writeCalls(t, path, n)
		cmd, usage := measured(t, bin, "check", path)
		_ = cmd.Run() // exit 1: the calls never end (P14); the memory is what counts
		rss[i] = usage().RSS
	}
	per := float64(rss[1]-rss[0]) / float64(big-small)
	t.Logf("sim check: %.0f bytes of resident memory per pending call (docs: %d)", per, docCheckBytesPerCall)
	if per > 2*docCheckBytesPerCall || per < docCheckBytesPerCall/2 {
		t.Errorf("sim check: %.0f bytes per pending call; docs/performance.md says about %d (more than 2x off: update both)", per, docCheckBytesPerCall)
	}
}
