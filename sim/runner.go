package sim

import (
	"context"
	"runtime/debug"
	"sync/atomic"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// RunConfig describes a run: many independent trials of one scenario.
type RunConfig struct {
	Params   model.Params
	Scenario model.Scenario
	Trials   int
	// From is the first trial (RunSummary only): trials From to
	// From+Trials-1 run, as in a run of From+Trials trials (a shard).
	From int
	// KeepAll (RunSummary only) keeps every time to connect (8 bytes per
	// success), as a shard's partial result needs.
	KeepAll bool
	// Keep (RunSummary only), if positive, replaces KeepTrials: the times
	// to connect of trials below Keep are kept (the CDF figures draw
	// them). The summary does not depend on it.
	Keep    int
	Seed    uint64
	Workers int
	// Progress, if set, is called from worker goroutines with the number
	// of trials finished so far; it must be safe for concurrent use.
	Progress func(done int)
}

// MaxViolationsKept bounds the violations a trial keeps for reporting.
const MaxViolationsKept = 3

// determinismEvery: every trial whose index is a multiple of it is run a
// second time in the same World and its trace digest compared (P11).
const determinismEvery = 100

// TrialOutcome is the result of one trial with its property verdicts.
type TrialOutcome struct {
	Result
	NViolations int
	Violations  []properties.Violation // the first MaxViolationsKept
	// err: the trial did not finish as a trial: a *BudgetError or a
	// *PanicError. Run stops at the first such trial.
	err error
}

// Run runs the trials on Workers goroutines and returns their outcomes in
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
func Run(ctx context.Context, rc RunConfig) ([]TrialOutcome, error) {
	out := make([]TrialOutcome, rc.Trials)
	finished := make([]bool, rc.Trials)
	workers := max(1, min(rc.Workers, rc.Trials))
	pcfg := properties.ConfigFor(rc.Params, rc.Scenario)
	rc.From = 0
	err := forTrials(ctx, rc, workers, true, func(_ int, w *World, trial int) error {
		out[trial] = w.runChecked(rc.Seed, trial, pcfg)
		finished[trial] = true
		return out[trial].err
	})
	// The completed prefix: every trial before the first unfinished one
	// (cancelled) or before the failing one (forTrials returned the lowest
	// failing trial's error).
	k := 0
	for k < len(finished) && finished[k] && out[k].err == nil {
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

// runChecked runs one trial and checks every property over its trace. A
// panic (of the model or of a check) is a bug of the simulator, never a
// property violation: it comes back as o.err, a *PanicError naming the
// trial, and so does a trial over the work budget (*BudgetError).
func (w *World) runChecked(seed uint64, trial int, pcfg properties.Config) (o TrialOutcome) {
	defer func() {
		if r := recover(); r != nil {
			o = TrialOutcome{Result: w.res, err: &PanicError{Trial: trial, Value: r, Stack: debug.Stack()}}
			w.done = true
		}
	}()
	o.Result = w.Run(seed, trial)
	if err := w.Err(); err != nil {
		o.err = err
		return o
	}
	vs := properties.Check(pcfg, w.Recs)
	if v, ok := w.offlineViolation(); ok {
		vs = append(vs, v)
	}
	if trial%determinismEvery == 0 {
		d := trace.Digest(w.Recs)
		w.Run(seed, trial)
		if trace.Digest(w.Recs) != d {
			vs = append(vs, properties.Violation{Property: "P11", Index: -1, Msg: "the same trial run twice gave different traces"})
		}
	}
	o.NViolations = len(vs)
	if len(vs) > 0 {
		o.Violations = append([]properties.Violation(nil), vs[:min(len(vs), MaxViolationsKept)]...)
	}
	return o
}
