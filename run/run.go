package run

import (
	"context"
	"sync/atomic"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
)

// Config describes a run: many independent trials of one scenario.
type Config struct {
	Params   model.Params
	Scenario model.Scenario
	Trials   int
	// From is the first trial (Accumulate only): trials From to
	// From+Trials-1 run, as in a run of From+Trials trials (a shard).
	From int
	// KeepAll (Accumulate only) keeps every time to connect (8 bytes per
	// success), as a shard's partial result needs.
	KeepAll bool
	// Keep (Accumulate only), if positive, replaces KeepTrials: the times
	// to connect of trials below Keep are kept (the CDF figures draw
	// them). The summary does not depend on it.
	Keep    int
	Seed    uint64
	Workers int
	// Progress, if set, is called from worker goroutines with the number
	// of trials finished so far; it must be safe for concurrent use.
	Progress func(done int)
}

// Outcomes runs the trials on Workers goroutines and returns their outcomes in
// trial order. Each trial depends only on (Seed, trial index, parameters),
// so the outcomes are the same for any number of workers. If ctx is
// cancelled, Run stops early and returns the completed prefix of trials
// (every trial before the first unfinished one), with ctx.Err().
//
// A trial that exceeds the work budget or panics stops the run: Run returns
// the trials before it with a *BudgetError or *PanicError naming it. It is
// always the lowest-numbered such trial, whatever the number of workers:
// workers skip only trials above the lowest failure seen so far, and take
// trials in increasing order, so every trial below the final one ran.
func Outcomes(ctx context.Context, rc Config) ([]sim.TrialOutcome, error) {
	out := make([]sim.TrialOutcome, rc.Trials)
	finished := make([]bool, rc.Trials)
	workers := max(1, min(rc.Workers, rc.Trials))
	rc.From = 0
	err := checkedChunks(ctx, rc, workers, func(_ int, trial int, o *sim.TrialOutcome) error {
		out[trial] = *o
		finished[trial] = true
		return o.Err
	})
	// The completed prefix: every trial before the first unfinished one
	// (cancelled) or before the failing one (forTrials returned the lowest
	// failing trial's error).
	k := 0
	for k < len(finished) && finished[k] && out[k].Err == nil {
		k++
	}
	return out[:k], err
}

// lowerTo sets a to v if v is lower, atomically.
func lowerTo(a *atomic.Int64, v int64) {
	for {
		cur := a.Load()
		if v >= cur || a.CompareAndSwap(cur, v) {
			return
		}
	}
}
