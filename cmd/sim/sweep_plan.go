// `sim sweep`'s flags to a sweep.Plan: the grids parsed, every point
// checked, and what the outputs need.

package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/sweep"
)

// sweepFlags are `sim sweep`'s own flags (the model's are opts').
type sweepFlags struct {
	trials, workers                                  int
	lossGrid, limitGrid, policyGrid, out, plotFile   string
	shard, cdfFile, cdfLimit, cdfLoss, transportGrid string
	modelGrid, paramGrids                            []string
	quiet                                            bool
	shardK, shardN                                   int // --shard K/N, parsed by plan
}

// sweepOutputs is what the sweep's outputs need besides its rows.
type sweepOutputs struct {
	out, plotFile string
	cdf           cdfChoice
	quiet         bool
	// cmdline is the command for the figures' captions; replay and
	// failReplay are the `sim trace` commands, without a point's flags,
	// of a violation and of a trial that did not finish.
	cmdline, replay, failReplay string
}

// plan checks the flags and returns the sweep's plan, every point valid.
func (f *sweepFlags) plan(fs *pflag.FlagSet, o *opts) (*sweep.Plan, sweepOutputs, error) {
	var so sweepOutputs
	if err := checkTrialsWorkers(f.trials, f.workers); err != nil {
		return nil, so, err
	}
	if f.shard != "" {
		for _, name := range sweepOutputFlags[1:] {
			if fs.Changed(name) {
				return nil, so, usageError{fmt.Errorf("--shard writes a partial result: --%s belongs to sim merge", name)}
			}
		}
		var err error
		if f.shardK, f.shardN, err = parseShard(f.shard, f.trials); err != nil {
			return nil, so, err
		}
	}
	losses, err := grid.Losses(f.lossGrid)
	if err != nil {
		return nil, so, usageError{fmt.Errorf("--loss: invalid grid %q: %v; want %s", f.lossGrid, err, grid.LossForm)}
	}
	limits, err := grid.Limits(f.limitGrid)
	if err != nil {
		return nil, so, usageError{fmt.Errorf("--time-limit: invalid grid %q: %v; want %s", f.limitGrid, err, grid.LimitForm)}
	}
	axes, err := parseNetAxes(f.modelGrid, f.transportGrid)
	if err != nil {
		return nil, so, err
	}
	if axes.Params, err = parseParamAxes(fs, f.paramGrids); err != nil {
		return nil, so, err
	}
	if n := len(losses) * len(limits) * axes.Points(); n > grid.MaxPoints {
		return nil, so, usageError{fmt.Errorf("--loss, --time-limit, --loss-model and --transport%s: %d grid points; at most %d", sweep.ParamAxesText(axes.Params), n, grid.MaxPoints)}
	}
	var policies []fsm.Backoff
	if f.policyGrid != "" {
		if policies, err = parsePolicyGrid(f.policyGrid, o.p.Client.Jitter); err != nil {
			return nil, so, usageError{fmt.Errorf("--policy: invalid grid %q: %v; want %s", f.policyGrid, err, policyGridForm)}
		}
		if n := len(losses) * len(limits) * axes.Points() * len(policies); n > grid.MaxPoints {
			return nil, so, usageError{fmt.Errorf("--loss, --time-limit, --loss-model, --transport%s and --policy: %d grid points; at most %d", sweep.ParamAxesText(axes.Params), n, grid.MaxPoints)}
		}
	}
	p, sc, err := o.build(fs)
	if err != nil {
		return nil, so, err
	}
	if policies == nil {
		policies = []fsm.Backoff{p.Client.Backoff()}
	}
	pl := &sweep.Plan{Base: p, Scenario: sc, Seed: o.seed, Trials: f.trials, Workers: f.workers,
		Losses: losses, Limits: limits, Net: axes, Policies: policies, AfterPoint: sweepAfterPoint,
		Analytic: o.scenario == "" && len(o.changedKnobs(fs)) == 0 && grid.ClosedFormApplies(p, sc)}
	so, err = sweepOutputsFor(pl, f.out, f.plotFile, f.cdfFile, changedValue(fs, "cdf-time-limit", f.cdfLimit), changedValue(fs, "cdf-loss", f.cdfLoss))
	if err != nil {
		return nil, so, err
	}
	if err := pl.Validate(); err != nil {
		return nil, so, usageError{err}
	}
	so.quiet = f.quiet
	so.cmdline = "sim sweep" + replayArgs(fs, "workers", "quiet")
	so.replay = "sim trace" + replayArgs(fs, sweepViolationSkip()...)
	so.failReplay = "sim trace" + replayArgs(fs, append(sweepViolationSkip(), "seed", "shard")...)
	return pl, so, nil
}

// sweepViolationSkip are the flags the replay of a sweep's trial leaves
// out: the grid's (the point's own values replace them) and the outputs.
func sweepViolationSkip() []string {
	return append([]string{"trials", "workers", "quiet", "out", "plot", "cdf", "cdf-time-limit", "cdf-loss",
		"loss", "time-limit", "loss-model", "transport", "policy", "policy-jitter"}, paramAxisNames...)
}

// changedValue is the flag's value when given, else "".
func changedValue(fs *pflag.FlagSet, name, v string) string {
	if !fs.Changed(name) {
		return ""
	}
	return v
}

// sweepOutputsFor checks the output flags of sim sweep (and of sim merge
// of its partials) against the plan's grid and sets the plan's KeepTTC:
// out the CSV, plot and cdf the figures, cdfLimit and cdfLoss the CDF's
// choice ("" when not given).
func sweepOutputsFor(pl *sweep.Plan, out, plot, cdfFile, cdfLimit, cdfLoss string) (sweepOutputs, error) {
	so := sweepOutputs{out: out, plotFile: plot}
	if cdfFile != "" && sweep.ParamPoints(pl.Net.Params) > 1 {
		return so, usageError{fmt.Errorf("--cdf needs one value of %s (the CDF's curves are losses)", strings.Join(dashed(paramAxisNames), ", "))}
	}
	if cdfFile != "" && pl.Net.Points() > 1 {
		return so, usageError{errors.New("--cdf needs one --loss-model and one --transport (the CDF's curves are losses)")}
	}
	if out == "" {
		return so, usageError{errors.New("--out must name a file such as sweep.csv")}
	}
	if err := checkSweepPlot(plot); err != nil {
		return so, err
	}
	if err := distinctOutputs([2]string{"--out", out}, [2]string{"--plot", plot}, [2]string{"--cdf", cdfFile}); err != nil {
		return so, err
	}
	cdf, err := parseCDFChoice(cdfFile, cdfLimit, cdfLoss, pl.Losses, pl.Limits, len(pl.Policies))
	if err != nil {
		return so, err
	}
	so.cdf, pl.KeepTTC = cdf, cdf.keeps
	return so, nil
}

// partialOut is the file a shard's partial goes to: --out only when it
// is given ("" for stdout).
func (f *sweepFlags) partialOut(fs *pflag.FlagSet) (string, error) {
	if !fs.Changed("out") || f.out == "-" {
		return "", nil
	}
	return f.out, checkOut("--out", f.out)
}

// pointFailure is the error of a grid point: bad parameters (exit 2), or
// a trial that did not finish, with the command that replays it.
func (so *sweepOutputs) pointFailure(err error, pl *sweep.Plan) error {
	var pe *sweep.PointError
	if errors.As(err, &pe) {
		return usageError{err}
	}
	var te *sweep.TrialError
	if errors.As(err, &te) {
		p := te.Params
		return trialFailure(te.Err, pl.Seed, so.failReplay+fmt.Sprintf(" --loss %g --time-limit %s", p.Net.Loss, p.TimeLimit)+sweep.NetReplay(p)+sweep.ParamReplay(pl.Net.Params, p)+policyFlags(p))
	}
	return err
}
