package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// checkText runs sim check with args on a file holding text.
func checkText(t *testing.T, text string, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(append(append([]string{"check"}, args...), writeTemp(t, "trace.jsonl", text))...)
}

// sim check --profile X accepts what sim trace --profile X prints, for
// each profile and a few lifecycle scenarios.
func TestCheckAcceptsProfileTraces(t *testing.T) {
	for _, tc := range []struct{ profile, args string }{
		{"web", "--loss 0.3"},
		{"web", "--net-off 10s:30s --until 40s --loss 0.2"},
		{"web", "--kick-at 20s --until 30s --hb-timeout 2s --loss 0.3"},
		{"ios", "--background 10s:200s --until 210s --loss 0.2 --time-limit 0"},
		{"ios", "--background 1s: --time-limit 150s --loss 0.8"},
		{"android", "--background 5s:100s --bg-suspend-after 30s --net-off 60s:110s --until 120s --time-limit 0"},
	} {
		for trial := range 5 {
			args := append(strings.Fields(tc.args), "--profile", tc.profile, "--trial", strconv.Itoa(trial))
			tr := simTrace(t, args...)
			code, out, errs := checkText(t, tr, "--profile", tc.profile)
			if code != 0 {
				t.Errorf("%s %s trial %d: sim check exit %d: %s%s", tc.profile, tc.args, trial, code, out, errs)
			}
		}
	}
}

// A web trace read as android fails to parse (DISCONNECTED is no android
// status), and the engine's known deviation, Disconnect during a
// reconnection ending CONNECTED, breaks the web profile's machine (P7).
func TestCheckWebProfile(t *testing.T) {
	tr := simTrace(t, "--profile", "web", "--detail=false")
	if code, _, errs := checkText(t, tr); code != 2 || !strings.Contains(errs, `unknown from "DISCONNECTED"`) {
		t.Errorf("web trace checked as android: exit %d, %s", code, errs)
	}
	engine := `{"t":0,"kind":"call","dev":0,"op":"add_listener","listener":1}
{"t":0,"kind":"call","dev":0,"op":"init"}
{"t":0,"kind":"call","dev":0,"op":"connect","call":1,"token":0,"time_limit":0}
{"t":0,"kind":"status","dev":0,"status":"CONNECTING","value":1,"from":"DISCONNECTED","from_value":2,"listeners":1}
{"t":0,"kind":"attempt","dev":0,"n":1,"phase":"start","reason":"connect","streak":0,"auto":false,"seq":1}
{"t":0.1,"kind":"attempt","dev":0,"n":1,"phase":"ok","reason":"","streak":0,"auto":false,"seq":1}
{"t":0.1,"kind":"status","dev":0,"status":"CONNECTED","value":0,"from":"CONNECTING","from_value":1,"listeners":1}
{"t":0.1,"kind":"callback","dev":0,"name":"onSuccess","code":0,"call":1}
{"t":10,"kind":"lost","dev":0,"reason":"gone"}
{"t":10,"kind":"status","dev":0,"status":"SUSPENDED","value":3,"from":"CONNECTED","from_value":0,"listeners":1,"code":30011}
{"t":10,"kind":"status","dev":0,"status":"CONNECTING","value":1,"from":"SUSPENDED","from_value":3,"listeners":1}
{"t":10,"kind":"attempt","dev":0,"n":2,"phase":"start","reason":"reconnect","streak":0,"auto":true,"seq":2}
{"t":10.05,"kind":"call","dev":0,"op":"disconnect","push":true}
{"t":10.05,"kind":"status","dev":0,"status":"DISCONNECTED","value":2,"from":"CONNECTING","from_value":1,"listeners":1,"code":2}
{"t":10.1,"kind":"status","dev":0,"status":"CONNECTED","value":0,"from":"DISCONNECTED","from_value":2,"listeners":1}
`
	code, out, errs := checkText(t, engine, "--profile", "web")
	if code != 1 || !strings.Contains(out, "P7") || !strings.Contains(out, "line 15") {
		t.Errorf("engine deviation: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI("run", "--profile", "web", "--time-limit", "5s"); code != 2 || !strings.Contains(errs, "--time-limit must be 0 with --profile web") {
		t.Errorf("web with a time limit: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI("run", "--bg-disconnect-after", "1m"); code != 2 || !strings.Contains(errs, "--bg-disconnect-after") {
		t.Errorf("android with --bg-disconnect-after: exit %d, %s", code, errs)
	}
}

// sim run checks every trial against its profile's contract: the web and
// ios lifecycle runs below keep every property, and so does the same web
// run when its traces are read back by sim check (TestCheckAcceptsProfileTraces).
func TestRunChecksTheProfile(t *testing.T) {
	for _, args := range []string{
		"--profile web --net-off 10s:30s --until 40s --loss 0.2",
		"--profile web --hb-timeout 2s --loss 0.4 --until 60s",
		"--profile ios --background 10s:200s --until 210s --loss 0.3 --time-limit 0",
		"--profile android --background 5s:100s --bg-suspend-after 30s --until 110s --loss 0.3 --time-limit 0",
	} {
		code, out, errs := runCLI(append([]string{"run", "--trials", "300", "--json"}, strings.Fields(args)...)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", args, code, errs)
			continue
		}
		var res struct{ Violations *int }
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Violations == nil {
			t.Errorf("%s: no violations in --json: %v", args, err)
		} else if *res.Violations != 0 {
			t.Errorf("%s: %d trials violate a property:\n%s", args, *res.Violations, out)
		}
	}
}
