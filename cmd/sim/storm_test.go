package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rcsim/connsim/trace"
)

func TestStormBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"storm", "--clients", "0"}, "--clients must be between 1 and 10000000"},
		{[]string{"storm", "--clients", "10000001"}, "--clients must be between 1 and 10000000"},
		{[]string{"storm", "--outage", "5s"}, "--outage must be FROM:TO"},
		{[]string{"storm", "--outage", "50s:10s"}, "--outage must be FROM:TO"},
		{[]string{"storm", "--outage", "10s:"}, "--outage must be FROM:TO with 0 <= FROM < TO"},
		{[]string{"storm", "--outage", "10s:1h"}, "--outage 10s:1h0m0s and --horizon 5m0s: the outage must end by the horizon"},
		{[]string{"storm", "--outage-kind", "dns"}, "--outage-kind must be one of server, server-silent, network"},
		{[]string{"storm", "--attempt", "auth", "--outage-kind", "navi"}, "--outage-kind navi needs --attempt full"},
		{[]string{"storm", "--server-workers", "0"}, "--server-workers must be between 1"},
		{[]string{"storm", "--server-queue", "-1"}, "--server-queue must be between 0"},
		{[]string{"storm", "--server-rate", "-5"}, "--server-rate must be between 0"},
		{[]string{"storm", "--service-dist", "pareto"}, "--service-dist must be exponential or constant"},
		{[]string{"storm", "--bin", "1ns"}, "--bin must be between 1µs and 720h"},
		{[]string{"storm", "--bin", "10µs", "--horizon", "1h"}, "--bin must be at least horizon/1000000"},
		{[]string{"storm", "--login-spread", "1h"}, "--login-spread 1h0m0s and --horizon 5m0s: every client logs in within the horizon"},
		{[]string{"storm", "--trace-client", "10000"}, "--trace-client must be between 0 and clients-1"},
		{[]string{"storm", "--series", "out.txt"}, "--series must name a .csv file"},
		{[]string{"storm", "--max-events", "0"}, "--max-events must be between 1 and"},
		{[]string{"storm", "--clients", "100", "--max-events", "1000"}, "event budget exceeded: more than 1000 events"},
		{[]string{"storm", "--loss", "2"}, "--loss must be between 0 and 1"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2, no stdout, one line with %q", c.args, code, out, errs, c.want)
		}
	}
}

// TestStormDeterministic: the same flags give the same bytes: summary,
// JSON, series CSV.
func TestStormDeterministic(t *testing.T) {
	dir := t.TempDir()
	args := []string{"storm", "--clients", "2000", "--loss", "0.1", "--jitter", "10ms", "--server-workers", "4"}
	var outs [2]string
	var csvs [2][]byte
	for i := range 2 {
		series := filepath.Join(dir, "s"+string(rune('0'+i))+".csv")
		code, out, errs := runCLI(append(args, "--json", "--series", series)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		outs[i] = out
		b, err := os.ReadFile(series)
		if err != nil {
			t.Fatal(err)
		}
		csvs[i] = b
	}
	if outs[0] != outs[1] || string(csvs[0]) != string(csvs[1]) {
		t.Fatal("two storms with the same flags differ")
	}
	var v struct {
		Runs []struct {
			Attempts int64 `json:"attempts"`
			Served   int64 `json:"handshakes_served"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(outs[0]), &v); err != nil || len(v.Runs) != 1 || v.Runs[0].Served < 2000 {
		t.Fatalf("bad JSON summary %q (%v)", outs[0], err)
	}
	if lines := strings.Count(string(csvs[0]), "\n"); lines != 1+3000 {
		t.Errorf("series has %d lines, want a header and 3000 bins of 100ms over 5m", lines)
	}
}

// TestStormTraceClientChecks: one client's trace through a restart with
// loss passes sim check.
func TestStormTraceClientChecks(t *testing.T) {
	code, out, errs := runCLI("storm", "--clients", "300", "--loss", "0.2", "--trace-client", "17")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := trace.ReadJSONL(strings.NewReader(out))
	if err != nil || len(recs) < 10 {
		t.Fatalf("trace of %d records: %v", len(recs), err)
	}
	f := filepath.Join(t.TempDir(), "c17.jsonl")
	if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI("check", f); code != 0 {
		t.Fatalf("sim check: exit %d: %s", code, errs)
	}
}

// TestStormPoliciesAnyWorkers: --policy a,b,c runs one storm per policy on
// the same seed; the output does not depend on --workers.
func TestStormPoliciesAnyWorkers(t *testing.T) {
	args := []string{"storm", "--clients", "1000", "--policy", "rc,expo:1s,2,64s/full,grpc", "--json"}
	c1, out1, e1 := runCLI(append(args, "--workers", "1")...)
	c3, out3, e3 := runCLI(append(args, "--workers", "3")...)
	if c1 != 0 || c3 != 0 || out1 != out3 {
		t.Fatalf("exit %d/%d (%s%s); outputs equal: %v", c1, c3, e1, e3, out1 == out3)
	}
	var v struct {
		Params struct {
			Policy []string `json:"policy"`
		} `json:"params"`
		Runs []struct {
			Label string `json:"label"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out1), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Runs) != 3 || v.Runs[1].Label != "policy expo:1s,2,1m4s/full" || len(v.Params.Policy) != 3 {
		t.Fatalf("runs %+v, params %+v", v.Runs, v.Params)
	}
	if code, _, errs := runCLI("storm", "--policy", "rc,grpc", "--trace-client", "1"); code != 2 || !strings.Contains(errs, "--trace-client takes one --policy") {
		t.Fatalf("trace-client with two policies: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI("storm", "--policy", "rc/wobbly"); code != 2 || !strings.Contains(errs, "--policy must be up to 16 policies") {
		t.Fatalf("bad jitter: exit %d, %s", code, errs)
	}
}

// The storm's figures do not depend on --workers: their captions leave
// it out (issue 19: "--workers 3" in the PNG's caption).
func TestStormFiguresIndependentOfWorkers(t *testing.T) {
	dir := t.TempDir()
	var first [2][]byte
	for i, w := range []string{"1", "2"} {
		d := filepath.Join(dir, "w"+w)
		if code, _, errs := runCLI("storm", "--clients", "200", "--policy", "rc,web", "--workers", w, "--plot", d); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for j, name := range stormFigureNames {
			b, err := os.ReadFile(filepath.Join(d, name))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first[j] = b
			} else if !bytes.Equal(b, first[j]) {
				t.Errorf("%s differs between --workers 1 and 2", name)
			}
		}
	}
}
