package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mergeFuzzRuns are the commands whose shards FuzzMerge mutates: a run
// with violations (so that the counts by property and the failing trials
// are there to damage), a sweep of two grid points, and a run with
// messages (their counts and latencies, and msg_latencies).
var mergeFuzzRuns = [][]string{
	{"run", "--trials", "6", "--loss", "0.5", "--quirk", "ignore-timeout"},
	{"sweep", "--loss", "0,0.3", "--time-limit", "2s", "--trials", "4"},
	{"run", "--trials", "6", "--loss", "0.2", "--msg-rate", "0.5", "--horizon", "20s"},
}

// FuzzMerge: `sim merge` of two shards, shard 0 mutated, never panics,
// and either prints exactly what the command run whole prints (the
// mutation changed nothing merge reads, such as a blank) or refuses
// with exit 2, one line on stderr and nothing on stdout. The partials'
// digests (result_sha256, point_sha256) make every change of a count an
// exit 2; UnmarshalPartial's consistency checks are what a forger who
// recomputes them meets (the forged-* rows of the hostile corpus).
func FuzzMerge(f *testing.F) {
	dir := f.TempDir()
	type want struct {
		code           int
		stdout, stderr string
		csv            string
		shard1         string
	}
	wants := make([]want, len(mergeFuzzRuns))
	for i, args := range mergeFuzzRuns {
		var parts [2][]byte
		for k := range 2 {
			path := filepath.Join(dir, "part"+string(rune('0'+i))+string(rune('0'+k)))
			shard := append(append([]string{}, args...), "--quiet", "--shard", string(rune('0'+k))+"/2", "--out", path)
			if code, _, errs := runCLI(shard...); code != 0 && code != 1 {
				f.Fatalf("%v: exit %d: %s", shard, code, errs)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			parts[k] = b
		}
		w := want{shard1: filepath.Join(dir, "part"+string(rune('0'+i))+"1")}
		whole := append(append([]string{}, args...), "--quiet")
		if args[0] == "sweep" {
			whole = append(whole, "--out", filepath.Join(dir, "whole.csv"))
		}
		w.code, w.stdout, w.stderr = runCLI(whole...)
		if args[0] == "sweep" {
			b, err := os.ReadFile(filepath.Join(dir, "whole.csv"))
			if err != nil {
				f.Fatal(err)
			}
			w.csv = string(b)
		}
		wants[i] = w
		f.Add(uint8(i), parts[0])
	}
	f.Fuzz(func(t *testing.T, which uint8, part0 []byte) {
		w := wants[int(which)%len(wants)]
		scratch := t.TempDir()
		p0 := filepath.Join(scratch, "part0")
		if err := os.WriteFile(p0, part0, 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"merge", p0, w.shard1}
		csv := filepath.Join(scratch, "merged.csv")
		if w.csv != "" {
			args = append(args, "--out", csv)
		}
		code, stdout, stderr := runCLIWithin(t, 20*time.Second, args...)
		if code == 2 {
			if stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit 2 with stdout %q and stderr %q; want nothing and one line", stdout, stderr)
			}
			if _, err := os.Stat(csv); err == nil {
				t.Fatal("exit 2 but the CSV was written")
			}
			return
		}
		if code != w.code || stdout != w.stdout || stderr != w.stderr {
			t.Fatalf("merge of a mutated partial: exit %d\n%s\nstderr %q\nwant exit %d (or 2)\n%s\nstderr %q", code, stdout, stderr, w.code, w.stdout, w.stderr)
		}
		if w.csv != "" {
			b, _ := os.ReadFile(csv)
			if string(b) != w.csv {
				t.Fatalf("merged CSV differs from the sweep's:\n%s\nwant\n%s", b, w.csv)
			}
		}
	})
}
