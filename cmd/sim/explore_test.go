package main

import (
	"strings"
	"testing"
)

func TestExploreCLI(t *testing.T) {
	code, out, errs := runCLI("explore", "--depth", "5")
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	for _, want := range []string{"depth 5", "states ", "edges ", "violations             0", "P1 P3 P4 P5 P7 P9 P10"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.HasPrefix(errs, "sim: explored depth 5 in ") {
		t.Errorf("stderr %q: want the timing line", errs)
	}
	if _, again, _ := runCLI("explore", "--depth", "5", "--quiet"); again != out {
		t.Errorf("stdout differs between runs:\n%s\nvs\n%s", out, again)
	}
	code, out, _ = runCLI("explore", "--depth", "4", "--quirk", "multi-connect-clears", "--quiet")
	if code != 1 || !strings.Contains(out, "I3 calls: call 1 was accepted") || !strings.Contains(out, "quirks multi-connect-clears") {
		t.Errorf("--quirk multi-connect-clears: exit %d, want 1 naming I3:\n%s", code, out)
	}
	for _, bad := range [][]string{{"--servers", "0"}, {"--tls", "5"}, {"--attempt", "steps"}, {"--visit", "second"}} {
		if code, out, errs := runCLI(append([]string{"explore", "--depth", "3"}, bad...)...); code != 2 || out != "" || !strings.Contains(errs, bad[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming %s", bad, code, out, errs, bad[0])
		}
	}
	// The anatomy's knobs reach the search: two servers explore more.
	_, one, _ := runCLI("explore", "--depth", "6", "--quiet")
	_, two, _ := runCLI("explore", "--depth", "6", "--quiet", "--servers", "2")
	if !strings.Contains(one, "attempt full (servers 1, tls 0, visit first, navigation cache on)") || !strings.Contains(two, "attempt full (servers 2, tls 0, visit first, navigation cache on)") || one[strings.Index(one, "states"):] == two[strings.Index(two, "states"):] {
		t.Errorf("--servers 2 explores as --servers 1:\n%s\nvs\n%s", one, two)
	}
	if _, out, _ := runCLI("explore", "--depth", "6", "--quiet", "--navi-ttl", "0"); !strings.Contains(out, "navigation cache off") || out[strings.Index(out, "states"):] == one[strings.Index(one, "states"):] {
		t.Errorf("--navi-ttl 0 explores as the cache on:\n%s", out)
	}
	for _, d := range []string{"0", "13", "x"} {
		if code, out, errs := runCLI("explore", "--depth", d); code != 2 || out != "" || !strings.Contains(errs, "--depth") {
			t.Errorf("--depth %s: exit %d, stdout %q, stderr %q; want exit 2 naming --depth", d, code, out, errs)
		}
	}
	// --profile reaches the core: web's machine, its searches differ;
	// the default profile is not named.
	if strings.Contains(one, "profile") || !strings.Contains(one, "of 31 (fsm.Edges)") {
		t.Errorf("the default profile is named or its machine is not fsm.Edges:\n%s", one)
	}
	_, android, _ := runCLI("explore", "--depth", "6", "--quiet", "--profile", "android")
	if android != one {
		t.Errorf("--profile android explores otherwise than the default:\n%s\nvs\n%s", android, one)
	}
	for _, c := range []struct{ profile, machine string }{{"ios", "of 33 (fsm.IOSEdges)"}, {"web", "of 18 (fsm.WebEdges)"}} {
		code, out, _ := runCLI("explore", "--depth", "6", "--quiet", "--profile", c.profile)
		if code != 0 || !strings.HasPrefix(out, "sim explore: profile "+c.profile+", depth 6,") || !strings.Contains(out, c.machine) || !strings.Contains(out, "violations             0") {
			t.Errorf("--profile %s: exit %d, want 0, the profile named and its machine (%s):\n%s", c.profile, code, c.machine, out)
		}
		if out[strings.Index(out, "states"):strings.Index(out, "status edges")] == one[strings.Index(one, "states"):strings.Index(one, "status edges")] {
			t.Errorf("--profile %s explores as android:\n%s", c.profile, out)
		}
	}
	if code, out, errs := runCLI("explore", "--depth", "3", "--profile", "windows"); code != 2 || out != "" || errs != "sim: --profile must be one of android, ios, web (got \"windows\")\n" {
		t.Errorf("--profile windows: exit %d, stdout %q, stderr %q; want exit 2 and one line naming --profile and its values", code, out, errs)
	}
}
