package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/sweep"
)

// `sim merge` of the shards of a sweep writes exactly what the sweep
// writes: stdout, stderr, exit code, the CSV and every figure, byte for
// byte, for 1 shard, 3 shards and a number of shards that does not divide
// the trials; and with the CDF's trials cut inside a shard (sweep.CDFKeep
// lowered: the direct sweep then finds its quantiles by selection passes
// and draws the CDF of a prefix of the trials).
func TestMergeEqualsSweep(t *testing.T) {
	dir := t.TempDir()
	out, plot, cdf := filepath.Join(dir, "s.csv"), filepath.Join(dir, "s.svg"), filepath.Join(dir, "cdf.png")
	cases := []struct {
		args   []string
		keep   int // sweep.CDFKeep, 0: the default
		shards []int
	}{
		{[]string{"--loss", "0,0.3,0.5", "--time-limit", "2s,0", "--trials", "100"}, 0, []int{1, 3, 7}},
		{[]string{"--loss", "0.5", "--time-limit", "0", "--policy", "rc,web", "--jitter", "10ms", "--trials", "60", "--seed", "7"}, 0, []int{3}},
		{[]string{"--loss", "0.5", "--time-limit", "5s", "--quirk", "ignore-timeout", "--trials", "50"}, 0, []int{2}},
		{[]string{"--loss", "0.2,0.4", "--time-limit", "3s,0", "--trials", "100"}, 40, []int{3, 7}},
		{[]string{"--loss", "0.3", "--time-limit", "0", "--loss-model", "bernoulli;burst:3", "--transport", "message,tcp", "--net-off", "1s:8s", "--trials", "30"}, 0, []int{4}},
		// the message axes, with every message measure
		{[]string{"--loss", "0,0.2", "--time-limit", "0", "--msg-rate", "0.2,1", "--server-idle-timeout", "20s,0", "--net-off", "20s:60s", "--horizon", "90s", "--offline-retention", "30s", "--trials", "24"}, 0, []int{1, 5}},
	}
	defer func(k int) { sweep.CDFKeep = k }(sweep.CDFKeep)
	keep := sweep.CDFKeep
	for ci, c := range cases {
		sweep.CDFKeep = keep
		if c.keep > 0 {
			sweep.CDFKeep = c.keep
		}
		outputs := []string{"--out", out, "--plot", plot, "--cdf", cdf}
		switch ci {
		case 2:
			outputs = []string{"--out", out} // no figure
		case 4, 5:
			outputs = []string{"--out", out, "--plot", plot} // no CDF with several transports or message rates
		}
		read := func() map[string]string {
			m := map[string]string{}
			for _, f := range []string{out, plot, cdf} {
				if b, err := os.ReadFile(f); err == nil {
					m[filepath.Base(f)] = string(b)
					os.Remove(f)
				}
			}
			return m
		}
		wcode, wout, werr := runCLI(append(append([]string{"sweep", "--quiet", "--workers", "2"}, c.args...), outputs...)...)
		want := read()
		if wcode != 0 && !(ci == 2 && wcode == 1) || len(want) != len(outputs)/2 {
			t.Fatalf("%v: exit %d, files %d, stderr %q", c.args, wcode, len(want), werr)
		}
		for _, n := range c.shards {
			var files []string
			for k := range n {
				f := filepath.Join(dir, fmt.Sprintf("part-%d-%d-%d.json", ci, n, k))
				a := append([]string{"sweep", "--shard", fmt.Sprintf("%d/%d", k, n), "--out", f, "--quiet", "--workers", "2"}, c.args...)
				if code, stdout, errs := runCLI(a...); code != 0 || stdout != "" {
					t.Fatalf("%v: exit %d, stdout %q, stderr %q", a, code, stdout, errs)
				}
				files = append(files, f)
			}
			// Shards given in any order.
			files[0], files[n-1] = files[n-1], files[0]
			gcode, gout, gerr := runCLI(append(append([]string{"merge"}, outputs...), files...)...)
			got := read()
			if gcode != wcode || gout != wout || gerr != werr {
				t.Errorf("%v in %d shards:\nsweep exit %d stderr %q\n%s\nmerge exit %d stderr %q\n%s", c.args, n, wcode, werr, wout, gcode, gerr, gout)
			}
			for name, w := range want {
				if got[name] != w {
					t.Errorf("%v in %d shards: %s differs from the sweep's (%d bytes, want %d)", c.args, n, name, len(got[name]), len(w))
				}
			}
		}
	}
}

// Sweep partials that do not make one sweep, and sweep shards given the
// merge's flags, are refused with one line, exit 2, nothing on stdout.
func TestMergeSweepRefuses(t *testing.T) {
	dir := t.TempDir()
	part := func(name string, args ...string) string {
		f := filepath.Join(dir, name)
		if code, _, errs := runCLI(append(args, "--quiet", "--out", f)...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
		return f
	}
	grid := []string{"--loss", "0,0.3", "--time-limit", "2s", "--trials", "20"}
	s0 := part("s0", append([]string{"sweep", "--shard", "0/2"}, grid...)...)
	s1 := part("s1", append([]string{"sweep", "--shard", "1/2"}, grid...)...)
	o1 := part("o1", "sweep", "--shard", "1/2", "--loss", "0,0.4", "--time-limit", "2s", "--trials", "20")
	r0 := part("r0", "run", "--shard", "0/2", "--trials", "20")
	r1 := part("r1", "run", "--shard", "1/2", "--trials", "20")
	// Damaged partials: a grid point short, a point with an accumulator
	// too many, trailing data.
	b, _ := os.ReadFile(s1)
	short := filepath.Join(dir, "short")
	i := strings.Index(string(b), `]},{"point_sha256"`) // the end of point 0's accumulators
	os.WriteFile(short, []byte(string(b[:i+2])+"]}\n"), 0o644)
	extra := filepath.Join(dir, "extra")
	j := strings.Index(string(b), `"accs":[`) + len(`"accs":[`)
	k := i // the end of point 0's accumulator
	os.WriteFile(extra, []byte(string(b[:k])+","+string(b[j:k])+string(b[k:])), 0o644)
	// The grid points in reverse order (the closed form says 49% at loss
	// 0.3; the reversed partial gave 76%).
	reversed := filepath.Join(dir, "reversed")
	r := strings.Index(string(b), `"result":[`) + len(`"result":[`)
	pts := strings.TrimSuffix(strings.TrimSpace(string(b[r:])), "]}")
	first, second, _ := strings.Cut(pts, `},{"point_sha256"`)
	os.WriteFile(reversed, []byte(string(b[:r])+`{"point_sha256"`+second+"},"+first+"}]}\n"), 0o644)
	trailing := filepath.Join(dir, "trailing")
	os.WriteFile(trailing, append(append([]byte{}, b...), b...), 0o644)
	csv := filepath.Join(dir, "m.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"merge", "--out", csv, s0}, "1 of 2 shards given; missing shard 1"},
		{[]string{"merge", "--out", csv, s0, s0}, "shard 0/2 again"},
		{[]string{"merge", "--out", csv, s0, r1}, "a partial of sim run; " + s0 + " is one of sim sweep"},
		{[]string{"merge", "--out", csv, s0, o1}, "o1: grid differs from " + s0 + "'s"},
		{[]string{"merge", "--json", s0, s1}, "--json: " + s0 + " holds a partial of sim sweep"},
		{[]string{"merge", "--out", csv, r0, r1}, "--out: " + r0 + " holds a partial of sim run"},
		{[]string{"merge", "--out", csv, s0, short}, "short: result: 1 grid points; the grid has more"},
		{[]string{"merge", "--out", csv, s0, extra}, "extra: result: grid point 0: 2 accumulators"},
		{[]string{"merge", "--out", csv, s0, trailing}, "trailing: result: data after the partial"},
		{[]string{"merge", "--out", csv, s0, reversed}, "reversed: result: grid point 0: point_sha256: the point ran other parameters than " + s0 + "'s point 0"},
		{[]string{"sweep", "--shard", "0/2", "--cdf", filepath.Join(dir, "c.png")}, "--shard writes a partial result: --cdf belongs to sim merge"},
		{[]string{"sweep", "--shard", "0/2", "--plot", filepath.Join(dir, "c.png")}, "--plot belongs to sim merge"},
		{[]string{"sweep", "--shard", "2/2"}, "--shard must be K/N"},
		{[]string{"sweep", "--shard", "0/21", "--trials", "20"}, "--shard must be K/N"},
		{[]string{"sweep", "--shard", "0/2", "--out", "/dev/null"}, "--out /dev/null"},
	} {
		code, out, errs := runCLI(c.args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, out, errs, c.want)
		}
		if _, err := os.Stat(csv); err == nil {
			t.Errorf("%v wrote %s", c.args, csv)
			os.Remove(csv)
		}
	}
	// A shard with no --out prints its partial on stdout, and nothing else.
	code, out, errs := runCLI(append([]string{"sweep", "--shard", "1/2", "--quiet"}, grid...)...)
	if b, _ := os.ReadFile(s1); code != 0 || out != string(b) || errs != "" {
		t.Errorf("sweep --shard 1/2 to stdout: exit %d, stderr %q, stdout equal to --out's: %v", code, errs, out == string(b))
	}
}
