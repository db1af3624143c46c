// The sweep's grid runner: every point is a `sim run` with the point's
// loss and time limit, in row order, and the closed form where it applies.

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/run"
)

// sweep is a grid of runs.
type sweep struct {
	base     model.Params
	scenario model.Scenario
	seed     uint64
	trials   int
	workers  int
	losses   []float64
	limits   []time.Duration
	axes     netAxes       // loss models and transports
	policies []fsm.Backoff // nil: the base's; the outermost axis
	analytic bool          // the closed form applies (see analyticSuccess)
	// keepTTC, if set, says which grid points keep their trials' times to
	// connect (for the CDF).
	keepTTC func(limit time.Duration, loss float64) bool
	// progress, if set, gets the number of trials finished in the whole
	// sweep; it must be safe for concurrent use.
	progress func(done int)
	// onPoint, if set, is called before grid point i (0-based) starts.
	onPoint func(i int)
	// replay is the `sim trace` command of the sweep's flags, without the
	// grid's and --seed: a trial that panics is reported with it.
	replay string
	// merged, if set, gives every point's accumulator (sim merge of the
	// sweep's shards): no trial runs.
	merged *mergedSweep
}

// sweepRow is one grid point's result.
type sweepRow struct {
	loss        float64
	limit       time.Duration
	policy      string // the point's policy (fsm.Backoff.String)
	p           model.Params
	seed        uint64
	s           run.Summary
	analytic    float64
	hasAnalytic bool
	ttc         []time.Duration // the successes' times to connect, when kept
	ttcKept     bool
	ttcTrials   int // the trials whose times ttc holds (the first ones)
}

// run runs the grid points in row order (or, merging shards, reads
// them). If ctx is cancelled it returns the points finished so far, with
// ctx.Err(); the point in progress is dropped.
func (sw *sweep) run(ctx context.Context) ([]sweepRow, error) {
	var rows []sweepRow
	for i, p := range sw.gridParams() {
		loss, limit := p.Net.Loss, p.TimeLimit
		if err := p.Validate(); err != nil {
			return rows, usageError{err}
		}
		if sw.onPoint != nil {
			sw.onPoint(i)
		}
		var acc *run.Acc
		var ttc []int64 // the times of the first min(trials, cdfKeep) trials
		if sw.merged != nil {
			var err error
			if acc, ttc, err = sw.merged.point(i, run.Digest(p, sw.scenario)); err != nil {
				return rows, usageError{err}
			}
			if err := run.WithinHorizon(acc, p); err != nil {
				return rows, usageError{fmt.Errorf("grid point %d: %w", i, err)}
			}
		} else {
			rc := run.Config{Params: p, Scenario: sw.scenario, Trials: sw.trials, Seed: sw.seed, Workers: sw.workers, Keep: cdfKeep}
			if sw.progress != nil {
				base := i * sw.trials
				rc.Progress = func(n int) { sw.progress(base + n) }
			}
			var err error
			if acc, err = run.Accumulate(ctx, rc); err != nil {
				return rows, sw.failure(err, p)
			}
			ttc = acc.TTC
		}
		r := sweepRow{loss: loss, limit: limit, policy: p.Client.Backoff().String(), p: p, seed: sw.seed, s: acc.Summary()}
		if sw.keepTTC != nil && sw.keepTTC(limit, loss) {
			r.ttcKept, r.ttcTrials = true, min(sw.trials, cdfKeep)
			for _, v := range ttc {
				r.ttc = append(r.ttc, time.Duration(v))
			}
		}
		if sw.analytic && formatModel(p.Net.LossModel) == "bernoulli" && p.Net.Transport == netmodel.TransportMessage {
			r.analytic, r.hasAnalytic = grid.AnalyticSuccess(p)
		}
		rows = append(rows, r)
		if sweepAfterPoint != nil {
			sweepAfterPoint(len(rows))
		}
	}
	if sw.merged != nil {
		if err := sw.merged.finish(); err != nil {
			return rows, usageError{err}
		}
	}
	return rows, nil
}

// gridParams returns the parameters of every grid point in row order:
// policy by policy, then by the model-parameter axes (msg-rate first),
// transport by transport, loss model by loss model, time limit by time
// limit, loss by loss (the last axes vary fastest).
func (sw *sweep) gridParams() []model.Params {
	var out []model.Params
	pols := sw.policies
	if len(pols) == 0 {
		pols = []fsm.Backoff{sw.base.Client.Backoff()}
	}
	for _, pol := range pols {
		base := sw.base
		base.Client.Policy, base.Client.Jitter = pol.Base, pol.Jitter
		out = append(out, sw.netGrid(base)...)
	}
	return out
}

// netGrid is gridParams for one policy, in base.
func (sw *sweep) netGrid(base model.Params) []model.Params {
	var out []model.Params
	transports, models := sw.axes.transports, sw.axes.models
	if len(transports) == 0 {
		transports = []netmodel.Transport{base.Net.Transport}
	}
	if len(models) == 0 {
		models = []netmodel.LossModel{base.Net.LossModel}
	}
	for _, pb := range paramGrid(sw.axes.params, base) {
		for _, t := range transports {
			for _, m := range models {
				for _, limit := range sw.limits {
					for _, loss := range sw.losses {
						p := pb
						p.Net.Transport, p.Net.LossModel = t, m
						p.Net.Loss, p.TimeLimit = loss, limit
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}
