package sim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
)

// RunConfig describes a run: many independent trials of one scenario.
type RunConfig struct {
	Params   Params
	Scenario Scenario
	Trials   int
	Seed     uint64
	Workers  int
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
}

// Run runs the trials on Workers goroutines and returns their outcomes in
// trial order. Each trial depends only on (Seed, trial index, parameters),
// so the outcomes are the same for any number of workers. If ctx is
// cancelled, Run stops early and returns the completed prefix of trials
// (every trial before the first unfinished one), with ctx.Err().
func Run(ctx context.Context, rc RunConfig) ([]TrialOutcome, error) {
	out := make([]TrialOutcome, rc.Trials)
	finished := make([]bool, rc.Trials)
	workers := max(1, min(rc.Workers, rc.Trials))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	pcfg := properties.Config{Schedule: rc.Params.Client.Schedule, DBOpen: rc.Params.Client.DBOpen}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := NewWorld(rc.Params, rc.Scenario)
			for ctx.Err() == nil {
				// Chunks of 64 keep the shared counter cold.
				start := int(next.Add(64)) - 64
				if start >= rc.Trials {
					return
				}
				for i := start; i < min(start+64, rc.Trials); i++ {
					out[i] = w.runChecked(rc.Seed, i, pcfg)
					finished[i] = true
				}
				n := done.Add(int64(min(start+64, rc.Trials) - start))
				if rc.Progress != nil {
					rc.Progress(int(n))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		k := 0
		for k < len(finished) && finished[k] {
			k++
		}
		return out[:k], err
	}
	return out, nil
}

// runChecked runs one trial and checks every property over its trace. A
// panic of the model (an illegal edge, say) is reported as a violation of
// the trial rather than crashing the run.
func (w *World) runChecked(seed uint64, trial int, pcfg properties.Config) (o TrialOutcome) {
	defer func() {
		if r := recover(); r != nil {
			o.Result = w.res
			o.NViolations++
			o.Violations = append(o.Violations, properties.Violation{Property: "P7", Index: -1, Dev: -1, Msg: fmt.Sprint("model panic: ", r)})
			w.done = true
		}
	}()
	o.Result = w.Run(seed, trial)
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
