package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLimits is the hostile-input table of the limits (issue 7 items 1,
// 2, 4, 8): each input gets exit 2, one line on stderr that starts with
// the given prefix (after "sim: "), and nothing on stdout. "FILE" in args
// and prefixes is the case's scenario file, written from yaml.
func TestLimits(t *testing.T) {
	big := make([]string, 0, 2000)
	for range 1000 {
		big = append(big, "--kick-at", "1s")
	}
	cases := []struct {
		name   string
		yaml   string
		args   []string
		prefix string
	}{
		// Wrapped virtual time (item 1).
		{"latency", "", []string{"trace", "--time-limit", "0", "--latency", "2562047h", "--horizon", "720h"}, "--latency must be between 0 and 720h (got 2562047h0m0s)"},
		{"jitter", "", []string{"run", "--jitter", "2562047h"}, "--jitter must be between 0 and 720h"},
		{"time-limit", "", []string{"run", "--time-limit", "2562047h"}, "--time-limit must be between 0 and 720h, 0 meaning no limit"},
		{"db-open", "", []string{"run", "--db-open", "2562047h"}, "--db-open must be between 0 and 720h"},
		{"hb-interval", "", []string{"run", "--hb-interval", "2562047h"}, "--hb-interval must be between 1ms and 720h"},
		{"hb-interval 1ns", "", []string{"run", "--hb-interval", "1ns"}, "--hb-interval must be between 1ms and 720h (got 1ns)"},
		{"knob time", "", []string{"run", "--until", "2562047h"}, "--until: invalid value \"2562047h\": want a Go duration between 0 and 720h"},
		{"net-off", "", []string{"run", "--net-off", "1s:2562047h"}, "--net-off must be FROM:TO with FROM < TO <= 720h"},
		// Grids (item 2).
		{"sweep grid", "", []string{"sweep", "--loss", "0.3", "--time-limit", "2562047h:2562047h47m:1h"}, "--time-limit: invalid grid \"2562047h:2562047h47m:1h\": 2562047h0m0s is not between 0 and 720h"},
		{"sweep grid size", "", []string{"sweep", "--loss", "0:1:0.0001"}, "--loss: invalid grid"},
		// YAML indexes (item 4).
		{"device user", "devices: [{user: 2147483648}]\n", []string{"run", "--scenario", "FILE"}, "FILE:1: devices[0].user: must be between 0 and 9999 (got 2147483648)"},
		{"token user", "devices: [{}]\ntokens:\n  - {user: 4294967296, app_key: 0}\n", []string{"run", "--scenario", "FILE"}, "FILE:3: tokens[0].user: must be between 0 and 9999 (got 4294967296)"},
		{"blocked user", "blocked_users: [-1]\n", []string{"trace", "--scenario", "FILE"}, "FILE:1: blocked_users[0]: must be between 0 and 9999 (got -1)"},
		{"listener", "script:\n  - {at: 0s, dev: 0, do: add_listener, listener: 4294967297}\n", []string{"run", "--scenario", "FILE"}, "FILE:2: script[0].listener: must be between 0 and 9999"},
		{"huge int", "devices: [{user: 99999999999999999999}]\n", []string{"run", "--scenario", "FILE"}, "FILE:1: cannot unmarshal"},
		// Messages (item 8).
		{"empty file", "", []string{"run", "--scenario", "FILE"}, "FILE: the file is empty"},
		{"params field", "params:\n  horizon: 0s\n", []string{"run", "--scenario", "FILE"}, "FILE:2: params.horizon: must be between 1ns and 720h (got 0s)"},
		{"params unknown", "params: {losss: 0.3}\n", []string{"run", "--scenario", "FILE"}, "FILE:1: params.losss: unknown parameter; known: loss"},
		{"kick-at 1000", "", append([]string{"run"}, big...), "--kick-at may be given at most 999 times (got 1000)"},
		{"depth abc", "", []string{"explore", "--depth", "abc"}, "--depth must be an integer (got \"abc\")"},
		{"script time_limit", "script:\n  - {at: 0s, do: init, dev: 0}\n  - {at: 0s, do: connect, dev: 0, time_limit: -1s}\n", []string{"run", "--scenario", "FILE"}, "FILE:3: script[1].time_limit: must be between 0 and 720h, 0 meaning no limit (got -1s)"},
		{"token expires", "tokens: [{user: 0, expires: -5s}]\n", []string{"run", "--scenario", "FILE"}, "FILE:1: tokens[0].expires: must be between 0 and 720h, 0 meaning never (got -5s)"},
		{"second document", "devices: [{}]\n---\ndevices: [{}]\n", []string{"run", "--scenario", "FILE"}, "FILE:2: a second YAML document"},
		{"app-key empty", "", []string{"run", "--app-key", ""}, "--app-key must be one of valid, wrong, blocked, deleted (got \"\")"},
		{"platform", "devices: [{platform: tablet}]\n", []string{"run", "--scenario", "FILE"}, "FILE:1: devices[0].platform: must be mobile, desktop or web (got \"tablet\")"},
		{"unknown op", "script:\n  - {at: 1s, do: explode}\n", []string{"run", "--scenario", "FILE"}, "FILE:2: script[0].do: must be an op"},
		{"unknown field", "devices: [{}]\nscript:\n  - {at: 1s, do: mark, when: 2s}\n", []string{"run", "--scenario", "FILE"}, "FILE:3: field when not found"},
		{"script at", "script:\n  - {at: 2562047h, do: mark}\n", []string{"run", "--scenario", "FILE"}, "FILE:2: script[0].at: must be between 0 and 720h"},
		// Bounded reads (item 3).
		{"dev zero", "", []string{"run", "--scenario", "/dev/zero"}, "--scenario /dev/zero: larger than 1048576 bytes"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, "s"+string(rune('a'+i%26))+string(rune('a'+i/26))+".yaml")
			if err := os.WriteFile(file, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(c.args))
			for j, a := range c.args {
				args[j] = strings.ReplaceAll(a, "FILE", file)
			}
			code, out, errs := runCLI(args...)
			want := "sim: " + strings.ReplaceAll(c.prefix, "FILE", file)
			if code != 2 || out != "" || !strings.HasPrefix(errs, want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no stdout, one line starting %q", code, out, errs, want)
			}
		})
	}
}
