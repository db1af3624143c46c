package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rcsim/connsim/run"
)

// `sim merge` of the shards of a run prints exactly what the run prints,
// human and --json, exit code included, for any number of shards.
func TestMergeEqualsRun(t *testing.T) {
	dir := t.TempDir()
	for ci, args := range [][]string{
		{"--trials", "500"},
		{"--trials", "700", "--loss", "0.3", "--jitter", "10ms", "--time-limit", "0", "--seed", "9"},
		{"--trials", "300", "--loss", "0.2", "--net-off", "1s:20s", "--time-limit", "0"},
		{"--trials", "400", "--quirk", "ignore-timeout", "--loss", "0.5"},
		{"--trials", "12", "--loss", "0.7", "--time-limit", "0"}, // more attempts than a shard's trials
		// messages: every latency path, pushes, ghosts, drops
		{"--trials", "60", "--msg-rate", "0.2", "--net-off", "30s:100s", "--horizon", "3m", "--offline-retention", "20s", "--jitter", "5ms"},
		{"--trials", "60", "--msg-rate", "0.5", "--loss", "0.2", "--horizon", "1m"},
	} {
		for _, shards := range []int{1, 3} {
			var files []string
			for k := range shards {
				f := filepath.Join(dir, "part-"+string(rune('a'+ci))+"-"+string(rune('0'+shards))+"-"+string(rune('0'+k))+".json")
				a := append([]string{"run", "--shard", string(rune('0'+k)) + "/" + string(rune('0'+shards)), "--out", f, "--quiet", "--workers", "2"}, args...)
				if code, out, errs := runCLI(a...); code != 0 || out != "" {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q", a, code, out, errs)
				}
				files = append(files, f)
			}
			for _, js := range []bool{false, true} {
				run := append([]string{"run", "--quiet"}, args...)
				merge := append([]string{"merge"}, files...)
				if js {
					run, merge = append(run, "--json"), append([]string{"merge", "--json"}, files...)
				}
				wcode, want, werr := runCLI(run...)
				gcode, got, gerr := runCLI(merge...)
				if gcode != wcode || got != want || gerr != werr {
					t.Errorf("%v in %d shards (json %v):\nrun   exit %d stderr %q\n%s\nmerge exit %d stderr %q\n%s", args, shards, js, wcode, werr, want, gcode, gerr, got)
				}
			}
		}
	}
}

// Partials that do not make one run are refused with one line, exit 2.
func TestMergeRefusesMismatches(t *testing.T) {
	dir := t.TempDir()
	part := func(name string, args ...string) string {
		f := filepath.Join(dir, name)
		if code, _, errs := runCLI(append([]string{"run", "--quiet", "--out", f}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
		return f
	}
	a0 := part("a0", "--shard", "0/2", "--trials", "100")
	a1 := part("a1", "--shard", "1/2", "--trials", "100")
	b1 := part("b1", "--shard", "1/2", "--trials", "100", "--loss", "0.1")
	c1 := part("c1", "--shard", "1/2", "--trials", "100", "--seed", "2")
	d1 := part("d1", "--shard", "1/2", "--trials", "100", "--profile", "android") // the same parameters, other flags
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte(`{"format":"connsim-partial","version":2}`), 0o644)
	bad := filepath.Join(dir, "bad")
	b, _ := os.ReadFile(a1)
	os.WriteFile(bad, []byte(strings.Replace(string(b), `"successes":`, `"successes":1`, 1)), 0o644)
	m0 := part("m0", "--shard", "0/2", "--trials", "20", "--msg-rate", "0.5", "--horizon", "30s")
	m1 := part("m1", "--shard", "1/2", "--trials", "20", "--msg-rate", "0.5", "--horizon", "30s")
	mb, _ := os.ReadFile(m1)
	under := filepath.Join(dir, "under") // declares fewer latencies than it holds
	os.WriteFile(under, regexp.MustCompile(`"msg_latencies":[0-9]+`).ReplaceAll(mb, []byte(`"msg_latencies":3`)), 0o644)
	over := filepath.Join(dir, "over")
	os.WriteFile(over, regexp.MustCompile(`"msg_latencies":[0-9]+`).ReplaceAll(mb, []byte(`"msg_latencies":99999999999`)), 0o644)
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{a0}, "1 of 2 shards given; missing shard 1"},
		{[]string{a0, a0}, "shard 0/2 again"},
		{[]string{a0, b1}, `params differ from ` + a0 + `'s (loss "0.1", not "0")`},
		{[]string{a0, c1}, "seed"},
		{[]string{a0, d1}, "flags differ from " + a0 + "'s"},
		{[]string{a0, garbage}, "a partial of format 2, written by an older sim: run its shard again"},
		{[]string{a0, garbage}, "format"},
		{[]string{a0, bad}, "result_sha256: the result's digest"},
		{[]string{m0, under}, "message latencies; msg_latencies says 3"},
		{[]string{m0, over}, "msg_latencies is 99999999999; it must be between 0 and 16777216"},
		{[]string{"/dev/zero"}, "/dev/zero: not a partial result"},
		{[]string{filepath.Join(dir, "none")}, "no such file"},
	} {
		code, out, errs := runCLI(append([]string{"merge"}, c.files...)...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("merge %v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.files, code, out, errs, c.want)
		}
	}
	for _, args := range [][]string{
		{"run", "--shard", "2/2"}, {"run", "--shard", "x"}, {"run", "--shard", "0/2", "--plot", dir},
		{"run", "--out", filepath.Join(dir, "x")}, {"run", "--shard", "0/2", "--out", "/dev/null"},
	} {
		if code, out, errs := runCLI(args...); code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2", args, code, out, errs)
		}
	}
}

// A partial whose result is longer than its trials allow (accBound) is
// refused as it is read, before it is parsed: a 2-trial shard padded to
// 64 MB takes a MiB of reading, not a GB of memory.
func TestMergeBoundsPartialSize(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "hostile", "run-part-1of2.json"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), `"ttc_ns":[`) + len(`"ttc_ns":[`)
	huge := filepath.Join(t.TempDir(), "huge.json")
	pad := strings.Repeat("1,", 32<<20)
	if err := os.WriteFile(huge, []byte(string(b[:i])+pad+string(b[i:])), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("merge", huge)
	want := huge + ": result (shard of 2 trials): longer than 1048640 bytes"
	if code != 2 || out != "" || !strings.Contains(errs, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errs, want)
	}
}

// A shard whose trials show more message latencies than a partial holds
// is refused with one line, exit 2, and writes nothing; a sweep shard too.
func TestShardRefusesTooManyLatencies(t *testing.T) {
	defer func(c int64) { run.PartialLatencyCap = c }(run.PartialLatencyCap)
	run.PartialLatencyCap = 50
	f := filepath.Join(t.TempDir(), "p.json")
	for _, cmd := range []string{"run", "sweep"} {
		code, out, errs := runCLI(cmd, "--shard", "0/2", "--trials", "20", "--msg-rate", "1", "--horizon", "30s", "--loss", "0", "--time-limit", "0", "--quiet", "--out", f)
		want := "--shard 0/2: its trials show "
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, "more than the 50 a partial holds") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", cmd, code, out, errs, want)
		}
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s: %s written", cmd, f)
		}
	}
}

// A forged partial, its digest recomputed, whose time to connect lies past
// the horizon the shards ran to is refused at merge time.
func TestMergeRefusesTimesPastHorizon(t *testing.T) {
	dir := t.TempDir()
	var parts []string
	for k := range 2 {
		p := filepath.Join(dir, fmt.Sprintf("p%d.json", k))
		if code, _, errs := runCLI("run", "--trials", "4", "--quiet", "--shard", fmt.Sprintf("%d/2", k), "--out", p); code != 0 {
			t.Fatal(errs)
		}
		parts = append(parts, p)
	}
	b, _ := os.ReadFile(parts[1])
	s := strings.Replace(string(b), `"ttc_max_ns":300000000,"ttc_ns":[300000000,300000000]`, `"ttc_max_ns":2520000000000000,"ttc_ns":[300000000,2520000000000000]`, 1)
	i := strings.Index(s, `"result":`) + len(`"result":`)
	result := strings.TrimSuffix(strings.TrimSpace(s[i:]), "}")
	sum := sha256.Sum256([]byte(result + "\n"))
	j := strings.Index(s, `"result_sha256":"`) + len(`"result_sha256":"`)
	s = s[:j] + hex.EncodeToString(sum[:]) + s[j+64:]
	if err := os.WriteFile(parts[1], []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("merge", parts[0], parts[1])
	want := "sim: ttc_max_ns: a partial's time to connect 700h0m0s is past the horizon 10m0s the shards ran to\n"
	if code != 2 || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errs, want)
	}
}
