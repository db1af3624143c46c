package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rcsim/connsim/trace"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string // must appear in the one-line error
	}{
		{[]string{"run", "--loss", "1.5"}, "--loss must be between 0 and 1"},
		{[]string{"run", "--loss", "-0.1"}, "--loss must be between 0 and 1"},
		{[]string{"run", "--loss", "abc"}, "--loss"},
		{[]string{"run", "--trials", "0"}, "--trials must be between 1"},
		{[]string{"run", "--trials", "-3"}, "--trials must be between 1"},
		{[]string{"run", "--time-limit", "abc"}, "--time-limit must be a Go duration (such as 5s) between -720h and 720h, 0 or less meaning no limit (got \"abc\")"},
		{[]string{"run", "--time-limit", "-721h"}, "--time-limit must be between -720h and 720h"},
		{[]string{"run", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"run", "--workers", "0"}, "--workers must be between 1 and 1024"},
		{[]string{"run", "--latency", "-1s"}, "--latency must be between 0 and 720h (got -1s)"},
		{[]string{"run", "--horizon", "0"}, "--horizon must be between"},
		{[]string{"run", "--jitter-dist", "pareto"}, "--jitter-dist must be one of"},
		{[]string{"run", "--kick-policy", "x"}, "--kick-policy must be default or reconnect-kicked"},
		{[]string{"run", "--app-key", "x"}, "--app-key must be one of"},
		{[]string{"run", "--net-off", "5s"}, "--net-off"},
		{[]string{"run", "--hb-misses", "0"}, "--hb-misses must be between 1 and 100"},
		{[]string{"run", "extra"}, "unknown command"},
		{[]string{"trace", "--format", "xml"}, "--format must be json or text"},
		{[]string{"trace", "--trial", "-1"}, "--trial must be between 0"},
		{[]string{"trace", "--speed", "0"}, "--speed must be between 0.001 and"},
		{[]string{"run", "--scenario", "/nonexistent.yaml"}, "--scenario"},
		{[]string{"nope"}, "unknown command"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, code, errs)
		}
		if out != "" {
			t.Errorf("%v: printed %q on stdout, want nothing", c.args, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "sim: ") {
			t.Errorf("%v: stderr %q is not one line starting with \"sim: \"", c.args, errs)
		}
		if !strings.Contains(errs, c.want) {
			t.Errorf("%v: stderr %q does not contain %q", c.args, errs, c.want)
		}
	}
}

// The same command twice, and with different worker counts, prints
// byte-identical output (P11 at the level of the CLI).
func TestRunDeterministicAcrossWorkers(t *testing.T) {
	for _, extra := range [][]string{{}, {"--json"}, {"--time-limit", "0", "--jitter", "20ms"}} {
		var first string
		for _, w := range []string{"1", "2", "2", "7"} {
			args := append([]string{"run", "--loss", "0.3", "--trials", "3000", "--quiet", "--workers", w}, extra...)
			code, out, errs := runCLI(args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			if first == "" {
				first = out
			} else if out != first {
				t.Fatalf("%v: output differs from --workers 1:\n%s\nvs\n%s", args, out, first)
			}
		}
	}
}

func TestRunJSONHasContractKeys(t *testing.T) {
	code, out, errs := runCLI("run", "--loss", "0.3", "--trials", "500", "--json", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trials", "successes", "timeouts", "unfinished", "violations", "success_rate", "ci_low", "ci_high", "ttc_ms", "attempts_mean", "errors"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q in %s", k, out)
		}
	}
	ttc := m["ttc_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p99", "max"} {
		if _, ok := ttc[k]; !ok {
			t.Errorf("ttc_ms lacks %q", k)
		}
	}
	if m["trials"].(float64) != 500 || m["violations"].(float64) != 0 {
		t.Errorf("trials %v violations %v", m["trials"], m["violations"])
	}
	if s, to := m["successes"].(float64), m["timeouts"].(float64); s+to != 500 {
		t.Errorf("successes %v + timeouts %v != 500 at a 5 s limit with no other error source", s, to)
	}
}

// sim trace prints a valid JSON Lines trace whose records carry the fields
// docs/cli.md promises, and the text format prints one line per record.
func TestTraceFormats(t *testing.T) {
	code, out, errs := runCLI("trace", "--loss", "0.3", "--trial", "3", "--time-limit", "0")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := trace.ReadJSONL(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range recs {
		kinds[r.Kind.String()] = true
	}
	for _, k := range []string{"call", "callback", "status", "attempt", "msg", "timer", "end"} {
		if !kinds[k] {
			t.Errorf("trace lacks a %q record", k)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if _, ok := m["t"].(float64); !ok {
			t.Fatalf("line %q: t is not a number", line)
		}
		if _, ok := m["kind"].(string); !ok {
			t.Fatalf("line %q: no kind", line)
		}
	}
	_, text, _ := runCLI("trace", "--loss", "0.3", "--trial", "3", "--time-limit", "0", "--format", "text")
	if got, want := strings.Count(text, "\n"), len(recs); got != want {
		t.Errorf("text has %d lines, JSON %d records", got, want)
	}
}
