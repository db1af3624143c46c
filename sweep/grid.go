// The sweep's grid runner: every point is a `sim run` with the point's
// loss and time limit, in row order, and the closed form where it applies.

package sweep

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

// Plan is a grid of runs.
type Plan struct {
	Base     model.Params
	Scenario model.Scenario
	Seed     uint64
	Trials   int
	Workers  int
	Losses   []float64
	Limits   []time.Duration
	Net      NetAxes       // loss models, transports and the model-parameter axes
	Policies []fsm.Backoff // nil: the base's; the outermost axis
	Analytic bool          // the closed form applies (see grid.AnalyticSuccess)
	// KeepTTC, if set, says which grid points keep their trials' times to
	// connect (for the CDF).
	KeepTTC func(limit time.Duration, loss float64) bool
	// Progress, if set, gets the number of trials finished in the whole
	// sweep; it must be safe for concurrent use.
	Progress func(done int)
	// OnPoint, if set, is called before grid point i (0-based) starts.
	OnPoint func(i int)
	// AfterPoint, if set, is called after each finished grid point with
	// the number finished (tests cancel the sweep from it).
	AfterPoint func(done int)
}

// Row is one grid point's result.
type Row struct {
	Loss        float64
	Limit       time.Duration
	Policy      string // the point's policy (fsm.Backoff.String)
	Params      model.Params
	Seed        uint64
	Summary     run.Summary
	Analytic    float64
	HasAnalytic bool
	TTC         []time.Duration // the successes' times to connect, when kept
	TTCKept     bool
	TTCTrials   int // the trials whose times TTC holds (the first ones)
}

// PointError is a grid point whose parameters are not valid, or whose
// partial results are not (sim merge): bad input. Its text is Err's.
type PointError struct {
	Point int
	Err   error
}

func (e *PointError) Error() string { return e.Err.Error() }
func (e *PointError) Unwrap() error { return e.Err }

// TrialError is a trial of a grid point that did not finish (over its
// work budget, a panic: Err is the *sim.BudgetError or *sim.PanicError,
// or the context's error), with the point's parameters, from which the
// command words the replay.
type TrialError struct {
	Params model.Params
	Err    error
}

func (e *TrialError) Error() string { return e.Err.Error() }
func (e *TrialError) Unwrap() error { return e.Err }

// Run runs the grid points in row order. If ctx is cancelled it returns
// the points finished so far, with ctx.Err() (in a *TrialError); the
// point in progress is dropped.
func (pl *Plan) Run(ctx context.Context) ([]Row, error) {
	return pl.rows(func(i int, p model.Params) (*run.Acc, []int64, error) {
		rc := run.Config{Params: p, Scenario: pl.Scenario, Trials: pl.Trials, Seed: pl.Seed, Workers: pl.Workers, Keep: CDFKeep}
		if pl.Progress != nil {
			base := i * pl.Trials
			rc.Progress = func(n int) { pl.Progress(base + n) }
		}
		acc, err := run.Accumulate(ctx, rc)
		if err != nil {
			return nil, nil, &TrialError{Params: p, Err: err}
		}
		return acc, acc.TTC, nil
	})
}

// Merge reads the grid points from the merged shards m instead of
// running them (sim merge); its errors are bad input. The points' digests
// bind the shards to each other; the plan cannot recompute them (a
// partial holds no scenario), so it trusts the plan FromPartial rebuilt.
func (pl *Plan) Merge(m *Merged) ([]Row, error) {
	rows, err := pl.rows(func(i int, p model.Params) (*run.Acc, []int64, error) {
		acc, ttc, err := m.point(i)
		if err != nil {
			return nil, nil, err
		}
		if err := run.WithinHorizon(acc, p); err != nil {
			return nil, nil, fmt.Errorf("grid point %d: %w", i, err)
		}
		return acc, ttc, nil
	})
	if err != nil {
		return rows, err
	}
	return rows, m.finish()
}

// rows makes the rows of the grid points in row order, each from the
// accumulator (and the times of the first min(trials, CDFKeep) trials)
// that point gives.
func (pl *Plan) rows(point func(i int, p model.Params) (*run.Acc, []int64, error)) ([]Row, error) {
	var rows []Row
	for i, p := range pl.Points() {
		loss, limit := p.Net.Loss, p.TimeLimit
		if err := p.Validate(); err != nil {
			return rows, &PointError{Point: i, Err: err}
		}
		if pl.OnPoint != nil {
			pl.OnPoint(i)
		}
		acc, ttc, err := point(i, p)
		if err != nil {
			return rows, err
		}
		r := Row{Loss: loss, Limit: limit, Policy: p.Client.Backoff().String(), Params: p, Seed: pl.Seed, Summary: acc.Summary()}
		if pl.KeepTTC != nil && pl.KeepTTC(limit, loss) {
			r.TTCKept, r.TTCTrials = true, min(pl.Trials, CDFKeep)
			for _, v := range ttc {
				r.TTC = append(r.TTC, time.Duration(v))
			}
		}
		if pl.Analytic && FormatModel(p.Net.LossModel) == "bernoulli" && p.Net.Transport == netmodel.TransportMessage {
			r.Analytic, r.HasAnalytic = grid.AnalyticSuccess(p)
		}
		rows = append(rows, r)
		if pl.AfterPoint != nil {
			pl.AfterPoint(len(rows))
		}
	}
	return rows, nil
}

// Validate checks every grid point's parameters before anything runs.
func (pl *Plan) Validate() error {
	for i, q := range pl.Points() {
		if err := q.Validate(); err != nil {
			return &PointError{Point: i, Err: err}
		}
	}
	return nil
}

// Size is the number of grid points.
func (pl *Plan) Size() int {
	return len(pl.Losses) * len(pl.Limits) * pl.Net.Points() * max(1, len(pl.Policies))
}

// Points returns the parameters of every grid point in row order:
// policy by policy, then by the model-parameter axes (msg-rate first),
// transport by transport, loss model by loss model, time limit by time
// limit, loss by loss (the last axes vary fastest).
func (pl *Plan) Points() []model.Params {
	var out []model.Params
	pols := pl.Policies
	if len(pols) == 0 {
		pols = []fsm.Backoff{pl.Base.Client.Backoff()}
	}
	for _, pol := range pols {
		base := pl.Base
		base.Client.Policy, base.Client.Jitter = pol.Base, pol.Jitter
		out = append(out, pl.netGrid(base)...)
	}
	return out
}

// netGrid is Points for one policy, in base.
func (pl *Plan) netGrid(base model.Params) []model.Params {
	var out []model.Params
	transports, models := pl.Net.Transports, pl.Net.Models
	if len(transports) == 0 {
		transports = []netmodel.Transport{base.Net.Transport}
	}
	if len(models) == 0 {
		models = []netmodel.LossModel{base.Net.LossModel}
	}
	for _, pb := range ParamGrid(pl.Net.Params, base) {
		for _, t := range transports {
			for _, m := range models {
				for _, limit := range pl.Limits {
					for _, loss := range pl.Losses {
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
