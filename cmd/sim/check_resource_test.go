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

// docStormBytesPerClient is docs/storm.md's figure for a storm's memory
// per client ("about 1.2-1.3 KB of live heap per client").
const docStormBytesPerClient = 1250

// TestStormMemoryFigures measures sim storm's resident memory per client
// (from 20,000 to 200,000 clients, the default storm) and fails when
// docs/storm.md's figure is more than 2x off.
func TestStormMemoryFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("runs the built binary on a 200,000-client storm")
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "storm.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "about 1.2-1.3 KB of live heap per client"; !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/storm.md does not say %q (TestStormMemoryFigures measures it)", want)
	}
	bin := buildSim(t)
	const small, big = 20000, 200000
	var rss [2]int64
	for i, n := range []int{small, big} {
		cmd, usage := measured(t, bin, "storm", "--clients", itoaInt(n), "--json")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sim storm --clients %d: %v\n%s", n, err, out)
		}
		rss[i] = usage().RSS
	}
	per := float64(rss[1]-rss[0]) / float64(big-small)
	t.Logf("sim storm: %.0f bytes of resident memory per client (docs: %d)", per, docStormBytesPerClient)
	if per > 2*docStormBytesPerClient || per < docStormBytesPerClient/2 {
		t.Errorf("sim storm: %.0f bytes per client; docs/storm.md says about %d (more than 2x off: update both)", per, docStormBytesPerClient)
	}
}

// docBytesPerDevice is the limits table's figure for a scenario's memory
// per device (cmd/sim/limits.go, docs/cli.md "Limits").
const docBytesPerDevice = 34 << 10

// TestDeviceMemoryFigures measures sim run's resident memory per device
// of a scenario (from 10 to 1,000 devices, each connecting and riding
// out a minute of total loss in a 5-minute trial whose trace is kept) and
// fails when the limits table's figure is more than 2x off.
func TestDeviceMemoryFigures(t *testing.T) {
	if raceOn || testing.Short() {
		t.Skip("runs the built binary on a 1,000-device scenario")
	}
	bin := buildSim(t)
	dir := t.TempDir()
	const small, big = 10, 1000
	var rss [2]int64
	for i, n := range []int{small, big} {
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
		cmd, usage := measured(t, bin, "run", "--scenario", path, "--trials", "2", "--workers", "1", "--quiet")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sim run --scenario (%d devices): %v\n%s", n, err, out)
		}
		rss[i] = usage().RSS
	}
	per := float64(rss[1]-rss[0]) / float64(big-small)
	t.Logf("sim run: %.0f bytes of resident memory per scenario device (limits table: %d)", per, docBytesPerDevice)
	if per > 2*docBytesPerDevice || per < docBytesPerDevice/2 {
		t.Errorf("sim run: %.0f bytes per device; the limits table says about %d (more than 2x off: update both)", per, docBytesPerDevice)
	}
}
