package main

import (
	"strings"
	"testing"
)

// sim check takes the attempt's parameters (P20, P21) by the names sim
// trace gives them, passes what sim trace makes with them, and fails what
// breaks them; a bad value is one line, exit 2.
func TestCheckAttempt(t *testing.T) {
	made := []string{"--attempt", "full", "--servers", "2", "--tls", "1", "--loss", "0.2", "--time-limit", "0", "--until", "60s", "--server-down", "0:0s:30s"}
	p := writeTemp(t, "full.jsonl", simTrace(t, made...))
	// flags: the trace's parameters, with extra's in place of the same flags.
	flags := func(extra ...string) []string {
		set := map[string]string{"--attempt": "full", "--servers": "2", "--tls": "1"}
		args := []string{"check", p}
		for i := 0; i+1 < len(extra); i += 2 {
			set[extra[i]] = extra[i+1]
		}
		for _, f := range []string{"--attempt", "--servers", "--tls", "--navi-ttl", "--attempt-timeout"} {
			if v, ok := set[f]; ok {
				args = append(args, f, v)
			}
		}
		return args
	}
	if code, out, errs := runCLI(flags()...); code != 0 || errs != "" || !strings.Contains(out, "P20, P21, P22)") {
		t.Errorf("the trace's own parameters: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	for _, tc := range []struct {
		extra []string
		prop  string
	}{
		{[]string{"--tls", "0"}, "P21 "},                 // a tls step with --tls 0
		{[]string{"--servers", "1"}, "P21 "},             // a second socket in one attempt
		{[]string{"--navi-ttl", "1ms"}, "P21 "},          // a reconnection skips a stale answer
		{[]string{"--attempt-timeout", "100ms"}, "P20 "}, // attempts of 5 s
	} {
		if code, out, _ := runCLI(flags(tc.extra...)...); code != 1 || !strings.Contains(out, tc.prop) {
			t.Errorf("%v: exit %d, want 1 naming %s: %s", tc.extra, code, tc.prop, out)
		}
	}
	if code, out, _ := runCLI(flags("--attempt-timeout", "never", "--attempt", "auth", "--tls", "0", "--servers", "1")...); code != 0 {
		t.Errorf("P20 off, attempt auth: exit %d: %s", code, out)
	}
	for _, tc := range []struct{ flag, val, want string }{
		{"--servers", "0", "--servers must be between 1 and 16 (got 0)"},
		{"--tls", "5", "--tls must be between 0 and 4 (got 5)"},
		{"--attempt", "half", `--attempt must be auth or full (got "half")`},
		{"--navi-timeout", "0s", "--navi-timeout must be between 1ns and"},
		{"--navi-ttl", "-1s", "--navi-ttl must be between 0 and"},
	} {
		code, out, errs := runCLI("check", p, tc.flag, tc.val)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tc.flag, tc.val, code, out, errs, tc.want)
		}
	}
}
