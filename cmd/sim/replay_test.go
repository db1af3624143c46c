package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
	"github.com/spf13/pflag"
)

// The replay command `sim run` prints for a failing trial reproduces that
// trial: its flags rebuild the run's parameters and scenario, and trace
// prints exactly the records of trial K of the run.
func TestReplayCommandReproducesTrial(t *testing.T) {
	runArgs := []string{"--loss", "0.3", "--time-limit", "0", "--net-off", "1s:20s", "--net-off", "40s:",
		"--kick-at", "30s", "--jitter", "20ms", "--seed", "9", "--trials", "50", "--workers", "2", "--json"}
	cmd := newRunCmd(&bytes.Buffer{}, &bytes.Buffer{})
	if err := cmd.ParseFlags(runArgs); err != nil {
		t.Fatal(err)
	}
	replay := replayArgs(cmd.Flags(), "trials", "workers", "json", "quiet")
	for _, skipped := range []string{"--trials", "--workers", "--json"} {
		if strings.Contains(replay, skipped) {
			t.Errorf("replay %q keeps run-only flag %s", replay, skipped)
		}
	}

	// The run's own world for trial 17, from the model flags alone.
	o := defaultOpts()
	fs := pflag.NewFlagSet("model", pflag.ContinueOnError)
	o.register(fs)
	if err := fs.Parse(runArgs[:len(runArgs)-5] /* without --trials, --workers, --json */); err != nil {
		t.Fatal(err)
	}
	p, sc, err := o.build(fs)
	if err != nil {
		t.Fatal(err)
	}
	p.Detail = true
	w := sim.NewWorld(p, sc)
	w.Run(9, 17)
	var want bytes.Buffer
	if err := trace.NewJSONWriter(&want).WriteAll(w.Recs); err != nil {
		t.Fatal(err)
	}

	args := append([]string{"trace"}, strings.Fields(replay)...)
	args = append(args, "--trial", "17")
	code, out, errs := runCLI(args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	if out != want.String() {
		t.Fatalf("replay %v differs from trial 17 of the run", args)
	}
}
