package main

import (
	"strings"
	"testing"

	"github.com/rcsim/connsim/sim"
)

// A panic inside a trial is a bug report (exit 3, one line with the
// replay command), never a property violation, in every command that
// runs trials.
func TestTrialPanicIsABugReport(t *testing.T) {
	defer sim.PanicTrialForTest(70)()
	cases := []struct {
		args   []string
		replay string
	}{
		{[]string{"run", "--trials", "200", "--loss", "0.2", "--quiet"}, "`sim trace --loss 0.2 --seed 1 --trial 70`"},
		{[]string{"run", "--trials", "200", "--seed", "9", "--workers", "3", "--json"}, "`sim trace --seed 9 --trial 70`"},
		{[]string{"trace", "--trial", "70", "--format", "text"}, "`sim trace --format text --seed 1 --trial 70`"},
		{[]string{"trace", "--trial", "70", "--realtime", "--speed", "1e9"}, "`sim trace --realtime --speed 1e+09 --seed 1 --trial 70`"},
		{[]string{"sweep", "--trials", "100", "--loss", "0,0.1", "--time-limit", "5s", "--out", t.TempDir() + "/s.csv", "--quiet"}, "`sim trace --loss 0 --time-limit 5s --seed 1 --trial 70`"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code != 3 {
			t.Errorf("%v: exit %d, want 3 (stderr %q)", c.args, code, errs)
		}
		if out != "" {
			t.Errorf("%v: stdout %q, want nothing", c.args, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "sim: bug: trial 70 panicked: ") || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: stderr %q, want one line starting \"sim: bug: trial 70 panicked: \"", c.args, errs)
		}
		if !strings.Contains(errs, "replay it with "+c.replay) {
			t.Errorf("%v: stderr %q does not name the replay command %s", c.args, errs, c.replay)
		}
	}
}
