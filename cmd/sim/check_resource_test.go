package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/internal/testsize"
)

// docCheckBytesPerCall is docs/performance.md's figure for the resident
// memory sim check holds per pending Connect call of a trace (one device
// each): the monitor's per-device and per-call state (144 + 112 B, see
// properties.TestStateBytes) in tables that grow by pages
// (properties.paged). TestCheckMemoryFigures measures it.
const docCheckBytesPerCall = 270

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
	docSays(t, "performance.md", "about 270 B of resident memory per pending call")
	testsize.SkipUnlessFull(t, "runs the built binary on 300,000 calls")
	t.Parallel()
	bin := buildSim(t)
	dir := t.TempDir()
	// sim check exits 1 (the calls never end: P14); the memory is what counts.
	perUnit(t, "sim check, per pending call", 20000, 300000, docCheckBytesPerCall, true, func(n int) (*exec.Cmd, func() usage) {
		path := filepath.Join(dir, fmt.Sprintf("calls%d.jsonl", n))
		writeCalls(t, path, n)
		return measured(t, bin, "check", path)
	})
}

// docStormBytesPerClient is docs/storm.md's figure for a storm's memory
// per client ("about 0.57 KB of live heap per client").
const docStormBytesPerClient = 570

// TestStormMemoryFigures measures sim storm's resident memory per client
// (from 20,000 to 200,000 clients, the default storm) and fails when
// docs/storm.md's figure is more than 2x off.
func TestStormMemoryFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("runs the built binary on a 200,000-client storm")
	}
	docSays(t, "storm.md", "about 0.57 KB of live heap per client")
	testsize.SkipUnlessFull(t, "runs the built binary on a 200,000-client storm")
	t.Parallel()
	bin := buildSim(t)
	perUnit(t, "sim storm, per client", 20000, 200000, docStormBytesPerClient, false, func(n int) (*exec.Cmd, func() usage) {
		return measured(t, bin, "storm", "--clients", itoaInt(n), "--json")
	})
}

// docBytesPerDevice is the limits table's figure for a scenario's memory
// per device (cmd/sim/limits.go, docs/cli.md "Limits"): one trial's trace
// (113 records per device with --attempt full, 96 with auth) and the
// monitor's state. 34 KB before the attempt's steps were the default, 45
// KB before a record's names were vocab.Words (200-byte records, 88 since).
const docBytesPerDevice = 20 << 10

// TestDeviceMemoryFigures measures sim run's resident memory per device
// of a scenario (from 10 to 1,000 devices, each connecting and riding
// out a minute of total loss in a 5-minute trial whose trace is kept) and
// fails when the limits table's figure is more than 2x off. It runs 8
// trials: a run that kept more than one such trace at once (as
// RunCheckedRange's batches did) would be 8 times the figure.
func TestDeviceMemoryFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("runs the built binary on a 1,000-device scenario")
	}
	testsize.SkipUnlessFull(t, "runs the built binary on a 1,000-device scenario")
	t.Parallel()
	bin := buildSim(t)
	dir := t.TempDir()
	perUnit(t, "sim run, per scenario device", 10, 1000, docBytesPerDevice, false, func(n int) (*exec.Cmd, func() usage) {
		var b strings.Builder
		b.WriteString("params: {time_limit: 0, horizon: 5m}\ndevices:\n")
		for d := range n {
			fmt.Fprintf(&b, "  - {user: %d}\n", d)
		}
		b.WriteString("script:\n")
		for d := range n {
			fmt.Fprintf(&b, "  - {at: 0s, dev: %d, do: init}\n  - {at: 0s, dev: %d, do: connect}\n", d, d)
		}
		b.WriteString("  - {at: 60s, dev: -1, do: loss, value: 1}\n  - {at: 120s, dev: -1, do: loss, value: 0}\n")
		path := filepath.Join(dir, fmt.Sprintf("devices%d.yaml", n))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return measured(t, bin, "run", "--scenario", path, "--trials", "8", "--workers", "1", "--quiet")
	})
}

// docSays fails t unless docs/FILE says want (white space folded): the
// figure a resource test measures is the one the docs give.
func docSays(t *testing.T, file, want string) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", file))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/%s does not say %q (%s measures it)", file, want, t.Name())
	}
}

// perUnit runs the command run(n) gives at sizes small and big (each in a
// measured child) and returns the resident memory per unit between them;
// it fails t when that is more than 2x off doc. what names the command
// and the unit in messages; anyExit: the command's exit code does not
// matter (sim check exits 1 on the traces it is measured on).
func perUnit(t *testing.T, what string, small, big int, doc float64, anyExit bool, run func(n int) (*exec.Cmd, func() usage)) {
	t.Helper()
	var rss [2]int64
	for i, n := range []int{small, big} {
		cmd, usage := run(n)
		if out, err := cmd.CombinedOutput(); err != nil && !anyExit {
			t.Fatalf("%s (%d): %v\n%s", what, n, err, out)
		}
		rss[i] = usage().RSS
	}
	per := float64(rss[1]-rss[0]) / float64(big-small)
	t.Logf("%s: %.0f bytes of resident memory (docs: %.0f)", what, per, doc)
	if per > 2*doc || per < doc/2 {
		t.Errorf("%s: %.0f bytes; the docs say about %.0f (more than 2x off: update both)", what, per, doc)
	}
}
