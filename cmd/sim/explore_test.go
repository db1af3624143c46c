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
	for _, d := range []string{"0", "13", "x"} {
		if code, out, errs := runCLI("explore", "--depth", d); code != 2 || out != "" || !strings.Contains(errs, "--depth") {
			t.Errorf("--depth %s: exit %d, stdout %q, stderr %q; want exit 2 naming --depth", d, code, out, errs)
		}
	}
}
