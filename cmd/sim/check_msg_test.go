package main

import (
	"strconv"
	"strings"
	"testing"
)

// sim check takes the message and liveness properties' parameters
// (P15-P17) by the names sim trace gives them, passes what sim trace
// makes with them, and fails what breaks them.
func TestCheckMessages(t *testing.T) {
	two := writeTemp(t, "two.yaml", `devices: [{user: 0}, {user: 0, platform: desktop}]
params: {time_limit: 0, msg_rate: 0.5, loss: 0.2}
script:
  - {at: 0s, dev: 0, do: init}
  - {at: 0s, dev: 0, do: connect}
  - {at: 1s, dev: 1, do: init}
  - {at: 1s, dev: 1, do: connect}
  - {at: 20s, dev: 1, do: net_off}
  - {at: 30s, dev: 0, do: logout}
  - {at: 150s, dev: 1, do: net_on}
  - {at: 160s, dev: 0, do: connect}
  - {at: 200s, do: mark}
`)
	for _, sync := range []string{"off", "on"} {
		for trial := range 3 {
			p := writeTemp(t, "trace.jsonl", simTrace(t, "--scenario", two, "--multi-device-sync", sync,
				"--offline-retention", "40s", "--horizon", "200s", "--trial", strconv.Itoa(trial)))
			code, out, errs := runCLI("check", p, "--multi-device-sync", sync, "--offline-retention", "40s")
			if code != 0 || errs != "" || !strings.Contains(out, "P15, P16, P17, P18, P19, P20, P21, P22)") {
				t.Errorf("sync %s trial %d: exit %d\nstdout: %s\nstderr: %s", sync, trial, code, out, errs)
			}
		}
	}

	// A shorter idle timeout than the trace's: its idle closes come late.
	p := writeTemp(t, "idle.jsonl", simTrace(t, "--time-limit", "0", "--net-off", "10s:200s", "--until", "200s"))
	if code, out, _ := runCLI("check", p); code != 0 {
		t.Errorf("the model's idle timeout: exit %d: %s", code, out)
	}
	if code, out, _ := runCLI("check", p, "--server-idle-timeout", "10s", "--hb-interval", "1s"); code != 1 || !strings.Contains(out, "P17 ") {
		t.Errorf("--server-idle-timeout 10s: exit %d, want 1 naming P17: %s", code, out)
	}
	if code, out, _ := runCLI("check", p, "--server-idle-timeout", "never", "--hb-interval", "1s"); code != 0 {
		t.Errorf("--server-idle-timeout never: exit %d: %s", code, out)
	}

	// A status message stored, a push after a logout, by hand.
	for _, tc := range []struct{ lines, prop string }{
		{`{"t":1,"kind":"message","op":"send","user":0,"id":1,"conv":0,"msg":"status"}
{"t":1,"kind":"message","op":"store","user":0,"id":1}`, "P18 "},
		{`{"t":0,"kind":"session","dev":0,"op":"open","user":0,"platform":"mobile","seq":1}
{"t":1,"kind":"session","dev":0,"op":"close","user":0,"platform":"mobile","seq":1,"reason":"logout","push":false}
{"t":2,"kind":"message","op":"send","user":0,"id":1,"conv":0,"msg":"normal"}
{"t":2,"kind":"message","op":"store","user":0,"id":1}
{"t":3,"kind":"message","dev":0,"op":"push","user":0,"id":1}`, "P16 "},
	} {
		p := writeTemp(t, "bad.jsonl", tc.lines+"\n")
		if code, out, _ := runCLI("check", p); code != 1 || !strings.Contains(out, tc.prop) {
			t.Errorf("%s: exit %d, want 1 naming %s: %s", tc.prop, code, tc.prop, out)
		}
	}

	// Bad values: one line naming the flag, exit 2, nothing on stdout.
	for _, args := range [][]string{
		{"--multi-device-sync", "maybe"},
		{"--hb-interval", "-1s"},
		{"--server-idle-timeout", "soon"},
		{"--offline-retention", "-5s"},
	} {
		code, out, errs := runCLI(append([]string{"check", p}, args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, args[0]) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line naming the flag", args, code, out, errs)
		}
	}
}
