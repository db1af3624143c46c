package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// sweepAfterPoint, if set, is called after each finished grid point (tests
// cancel the sweep from it): sweep.Plan.AfterPoint.
var sweepAfterPoint func(done int)

// newSweepCmd is `sim sweep`: flags to a sweep.Plan (sweep_plan.go), its
// rows, and the outputs (sweep_out.go).
func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	o := defaultOpts()
	f := &sweepFlags{paramGrids: make([]string, len(paramAxisNames))}
	cmd := &cobra.Command{
		Use:   "sweep [flags]",
		Short: "Run a grid of losses, time limits and policies and write one CSV row per point",
		Long: `sweep runs 'sim run' at every point of a grid of losses (--loss), time
limits (--time-limit) and reconnection policies (--policy, by default the
one policy of the flags), --trials trials per point, and writes a CSV with
one row per point: the parameters and every summary field of 'sim run
--json'. Every other model and scenario flag of 'sim run' applies to every
point.

Rows come policy by policy, within one policy time limit by time limit, in
the order given, and within one time limit loss by loss. Every point uses the run's --seed, so a point's row is
the row 'sim run' would give with the same flags; the CSV is byte-identical
for the same flags whatever --workers.

--msg-rate, --multi-device-sync, --offline-retention, --push-latency,
--server-idle-timeout, --attempt, --visit and --tls are grid axes too (a
comma list each, such as --msg-rate 0.1,1 --visit first,returning); rows
go by them, the first slowest, within a policy. When a point carries messages the CSV adds the
message columns (messages_*, docs/messages.md "What sim run measures").

The column analytic_success is the closed form of the analytic package
(fixed latency, Bernoulli loss, a server that always accepts): it is filled
when it applies (--jitter 0, --server-unavailable 0, no quirk, no scenario
flag or file) and empty otherwise.

--plot FILE writes the figure of success within the time limit against
loss: one curve per time limit, its 95% band, the closed form dashed.

--cdf FILE writes the time to connect as a CDF: one curve per loss of the
grid (or of --cdf-loss, a subset of the grid; at most 7 curves), from the
grid points at one time limit, --cdf-time-limit: by default the largest
finite time limit of the grid (no limit when the grid is only 0), marked
by a dashed line. Each curve ends at its point's success share. With
several policies it draws one curve per policy instead, at one loss (the
grid's only loss, or --cdf-loss L): the figure that compares policies.

The CSV and the figures are written atomically (a temporary file, then a
rename). Ctrl-C stops the sweep; the CSV then keeps the points already
finished (the figures likewise), and sim says so and exits 1.

--shard K/N runs only trials K*T/N to (K+1)*T/N-1 of every grid point (T
is --trials) and writes a partial result (JSON) to stdout, or to --out
FILE, instead of the CSV; 'sim merge' of the N partials then writes the
CSV, the figures and the table, byte for byte those of the sweep on one
machine. --plot, --cdf, --cdf-time-limit and --cdf-loss go to sim merge
(docs/cli.md "Shards").

Examples:
  sim sweep --loss 0:0.9:0.1 --time-limit 2s,5s,10s,0 --plot sweep.png
  sim sweep --loss 0,0.1,0.3,0.5 --time-limit 5s,10s,0 --cdf ttc_cdf.png
  sim sweep --loss 0.1,0.3,0.5 --time-limit 1s:10s:1s --out limits.csv
  sim sweep --jitter 20ms --trials 5000 --out jitter.csv
  sim sweep --loss 0.5 --time-limit 0 --policy rc,rc-legacy,web,expo:1s,2,60s/full,grpc --cdf policies.png
  seq 0 7 | xargs -P 4 -I{} sim sweep --loss 0:0.9:0.1 --trials 100000 --shard {}/8 --out sweep-{}.json --quiet
  sim merge --out sweep.csv --plot sweep.png sweep-*.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.listQuirks {
				return writeQuirkList(stdout)
			}
			pl, so, err := f.plan(cmd.Flags(), o)
			if err != nil {
				return err
			}
			if f.shard != "" {
				out, err := f.partialOut(cmd.Flags())
				if err != nil {
					return err
				}
				ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
				defer stop()
				return writeSweepShard(ctx, stdout, stderr, pl, so, sweepShardOpts{k: f.shardK, n: f.shardN, out: out, quiet: f.quiet,
					flags: setFlags(cmd.Flags(), run.UnstoredFlags...)})
			}
			if err := checkWritableDir("--out", f.out); err != nil {
				return err
			}
			ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
			defer stop()
			started := time.Now()
			bar := newProgress(stderr, f.quiet, pl.Size()*f.trials)
			if bar != nil {
				pl.Progress = func(n int) { _ = bar.Set(n) }
				pl.OnPoint = func(i int) { bar.Describe(fmt.Sprintf("point %d/%d", i+1, pl.Size())) }
			}
			rows, runErr := pl.Run(ctx)
			finishProgress(bar, stderr)
			if runErr != nil && !errors.Is(runErr, context.Canceled) {
				return so.pointFailure(runErr, pl)
			}
			return writeSweepOutputs(stdout, stderr, rows, runErr, pl, so, started)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	// The grid axes, then the model flags of run and trace (model.Registry)
	// without the axes.
	fs.StringVar(&f.lossGrid, "loss", "0:0.9:0.1", "grid of losses (at most "+fmt.Sprint(grid.MaxPoints)+" points with the time limits): START:STOP:STEP (inclusive) or a comma list, each "+model.Registry.Lookup("loss").Accepted)
	fs.StringVar(&f.limitGrid, "time-limit", "2s,5s,10s,0", "grid of time limits: a comma list of Go durations or START:STOP:STEP, each "+model.Registry.Lookup("time-limit").Accepted)
	fs.StringArrayVar(&f.modelGrid, "loss-model", []string{"bernoulli"}, "grid of loss models: bernoulli, ge:P,R,1-H,1-K or burst:B (a Gilbert chain with mean burst B at each --loss); repeat the flag or separate values with ';'")
	fs.StringVar(&f.transportGrid, "transport", "message", "grid of transports: a comma list of message and tcp")
	fs.StringVar(&f.policyGrid, "policy", "", "grid of reconnection policies: "+policyGridForm+" (default: the one policy of --profile or the scenario file)")
	registerParamAxes(fs, f.paramGrids)
	o.register(fs, append([]string{"loss", "time-limit", "loss-model", "transport", "policy"}, paramAxisNames...)...)
	fs.IntVar(&f.trials, "trials", 20000, "independent trials per grid point, 1 to "+fmt.Sprint(maxTrials))
	fs.IntVar(&f.workers, "workers", defaultWorkers(), "worker goroutines, 1 to 1024 (the output does not depend on it)")
	fs.StringVar(&f.out, "out", "sweep.csv", "the CSV file to write, one row per grid point (with --shard: the partial result's file; default stdout)")
	fs.StringVar(&f.plotFile, "plot", "", "also write the sweep figure (success within the time limit against loss) to this file; the extension picks the format")
	fs.StringVar(&f.cdfFile, "cdf", "", "also write the time to connect as a CDF, one curve per loss, to this file (.png or .svg)")
	fs.StringVar(&f.cdfLimit, "cdf-time-limit", "largest finite", "the time limit of the grid whose points the CDF draws (0: no limit)")
	fs.StringVar(&f.cdfLoss, "cdf-loss", "every loss", "the losses of the grid the CDF draws, a comma list or START:STOP:STEP (at most 7)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar and no timing line on stderr")
	fs.StringVar(&f.shard, "shard", "", "run only shard K of N (K/N, K from 0): trials K*T/N to (K+1)*T/N-1 of every grid point; write a partial result (JSON) for sim merge instead of the CSV (docs/cli.md \"Shards\")")
	return cmd
}

// checkWritableDir fails when path cannot be written by the command:
// its directory does not exist or cannot be written, or path is (or links
// to) a directory, FIFO, device or socket; before a sweep, not after it.
func checkWritableDir(flag, path string) error { return checkOut(flag, path) }
