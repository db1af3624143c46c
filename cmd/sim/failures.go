package main

import (
	"errors"
	"fmt"

	"github.com/rcsim/connsim/sim"
)

// trialFailure turns a trial that did not finish as a trial into the
// CLI's error: a trial over the work budget is input that is too big
// (exit 2); a panic inside a trial is a bug of the simulator (exit 3),
// never a property violation, reported on one line with the command that
// replays it. replay is a `sim trace` command line without --seed and
// --trial, which are added here. Other errors pass through.
func trialFailure(err error, seed uint64, replay string) error {
	var be *sim.BudgetError
	if errors.As(err, &be) {
		return usageError{err}
	}
	var pe *sim.PanicError
	if errors.As(err, &pe) {
		return bugError{fmt.Errorf("bug: trial %d panicked: %v; this is a bug of the simulator, not a property violation: replay it with `%s --seed %d --trial %d` and report it",
			pe.Trial, pe.Value, replay, seed, pe.Trial)}
	}
	return err
}
