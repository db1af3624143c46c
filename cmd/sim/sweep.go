package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/run"
)

// sweepAfterPoint, if set, is called after each finished grid point (tests
// cancel the sweep from it).
var sweepAfterPoint func(done int)

func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	return newSweepCmdWith(stdout, stderr, nil)
}

// newSweepCmdWith is `sim sweep`; with pre set (by `sim merge`) it runs no
// trial and writes the outputs of pre's merged shards instead.
func newSweepCmdWith(stdout, stderr io.Writer, pre *mergedSweep) *cobra.Command {
	o := defaultOpts()
	var trials, workers int
	var lossGrid, limitGrid, policyGrid, out, plotFile, shard string
	var cdfFile, cdfLimit, cdfLoss string
	var modelGrid []string
	var transportGrid string
	paramGrids := make([]string, len(paramAxisNames))
	var quiet bool
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

--msg-rate, --multi-device-sync, --offline-retention, --push-latency and
--server-idle-timeout are grid axes too (a comma list each, such as
--msg-rate 0.1,1 --server-idle-timeout 20s,0); rows go by them, the first
slowest, within a policy. When a point carries messages the CSV adds the
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
			if err := checkTrialsWorkers(trials, workers); err != nil {
				return err
			}
			var shardK, shardN int
			if shard != "" {
				for _, name := range sweepOutputFlags[1:] {
					if cmd.Flags().Changed(name) {
						return usageError{fmt.Errorf("--shard writes a partial result: --%s belongs to sim merge", name)}
					}
				}
				var err error
				if shardK, shardN, err = parseShard(shard, trials); err != nil {
					return err
				}
			}
			losses, err := grid.Losses(lossGrid)
			if err != nil {
				return usageError{fmt.Errorf("--loss: invalid grid %q: %v; want %s", lossGrid, err, grid.LossForm)}
			}
			limits, err := grid.Limits(limitGrid)
			if err != nil {
				return usageError{fmt.Errorf("--time-limit: invalid grid %q: %v; want %s", limitGrid, err, grid.LimitForm)}
			}
			axes, err := parseNetAxes(modelGrid, transportGrid)
			if err != nil {
				return err
			}
			if axes.params, err = parseParamAxes(cmd.Flags(), paramGrids); err != nil {
				return err
			}
			if n := len(losses) * len(limits) * axes.points(); n > grid.MaxPoints {
				return usageError{fmt.Errorf("--loss, --time-limit, --loss-model and --transport%s: %d grid points; at most %d", paramAxesText(axes.params), n, grid.MaxPoints)}
			}
			if cdfFile != "" && paramPoints(axes.params) > 1 {
				return usageError{fmt.Errorf("--cdf needs one value of %s (the CDF's curves are losses)", strings.Join(dashed(paramAxisNames), ", "))}
			}
			if cdfFile != "" && axes.points() > 1 {
				return usageError{errors.New("--cdf needs one --loss-model and one --transport (the CDF's curves are losses)")}
			}
			var policies []fsm.Backoff
			if policyGrid != "" {
				if policies, err = parsePolicyGrid(policyGrid, o.p.Client.Jitter); err != nil {
					return usageError{fmt.Errorf("--policy: invalid grid %q: %v; want %s", policyGrid, err, policyGridForm)}
				}
				if n := len(losses) * len(limits) * axes.points() * len(policies); n > grid.MaxPoints {
					return usageError{fmt.Errorf("--loss, --time-limit, --loss-model, --transport%s and --policy: %d grid points; at most %d", paramAxesText(axes.params), n, grid.MaxPoints)}
				}
			}
			if out == "" {
				return usageError{errors.New("--out must name a file such as sweep.csv")}
			}
			if err := checkSweepPlot(plotFile); err != nil {
				return err
			}
			if err := distinctOutputs([2]string{"--out", out}, [2]string{"--plot", plotFile}, [2]string{"--cdf", cdfFile}); err != nil {
				return err
			}
			if !cmd.Flags().Changed("cdf-time-limit") {
				cdfLimit = ""
			}
			if !cmd.Flags().Changed("cdf-loss") {
				cdfLoss = ""
			}
			p, sc, err := o.build(cmd.Flags())
			if err != nil {
				return err
			}
			if policies == nil {
				policies = []fsm.Backoff{p.Client.Backoff()}
			}
			cdf, err := parseCDFChoice(cdfFile, cdfLimit, cdfLoss, losses, limits, len(policies))
			if err != nil {
				return err
			}
			sw := sweep{base: p, scenario: sc, seed: o.seed, trials: trials, workers: workers,
				losses: losses, limits: limits, axes: axes, policies: policies, keepTTC: cdf.keeps,
				replay:   "sim trace" + replayArgs(cmd.Flags(), append([]string{"trials", "workers", "quiet", "out", "plot", "loss", "time-limit", "seed", "cdf", "cdf-time-limit", "cdf-loss", "loss-model", "transport", "policy", "policy-jitter", "shard"}, paramAxisNames...)...),
				analytic: o.scenario == "" && len(o.changedKnobs(cmd.Flags())) == 0 && grid.ClosedFormApplies(p, sc)}
			for _, q := range sw.gridParams() {
				if err := q.Validate(); err != nil {
					return usageError{err}
				}
			}
			if shard != "" {
				// The partial goes to --out only when it is given.
				if !cmd.Flags().Changed("out") || out == "-" {
					out = ""
				} else if err := checkOut("--out", out); err != nil {
					return err
				}
				ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
				defer stop()
				return writeSweepShard(ctx, stdout, stderr, &sw, sweepShardOpts{k: shardK, n: shardN, out: out, quiet: quiet,
					args: runArgs(cmd.Flags(), "shard", "out", "workers", "quiet", "plot", "cdf", "cdf-time-limit", "cdf-loss")})
			}
			if pre != nil {
				if err := pre.Check(trials, o.seed, run.Digest(sw.gridParams(), sc)); err != nil {
					return usageError{err}
				}
				sw.merged = pre
			}
			if err := checkWritableDir("--out", out); err != nil {
				return err
			}
			ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
			defer stop()
			npoints := len(losses) * len(limits) * axes.points() * len(policies)
			total := npoints * trials
			bar := newProgress(stderr, quiet, total)
			if bar != nil {
				sw.progress = func(n int) { _ = bar.Set(n) }
				sw.onPoint = func(i int) { bar.Describe(fmt.Sprintf("point %d/%d", i+1, npoints)) }
			}
			started := time.Now()
			rows, runErr := sw.run(ctx)
			finishProgress(bar, stderr)
			if runErr != nil && !errors.Is(runErr, context.Canceled) {
				return runErr
			}
			if runErr != nil && len(rows) == 0 {
				return interruptedError{fmt.Errorf("interrupted before the first of %d grid points finished; nothing written", npoints)}
			}
			// Render the CSV and every figure first, then write the files
			// together: a failing figure leaves no file half-written.
			var buf bytes.Buffer
			if err := writeSweepCSV(&buf, rows); err != nil {
				return err
			}
			var files outfile.Batch
			files.AddBytes("--out "+out, out, buf.Bytes())
			cmdline := "sim sweep" + replayArgs(cmd.Flags(), "workers", "quiet") // for the figures' captions
			if plotFile != "" {
				fig, err := sweepPlotFigure(rows, axes, p, o.seed, trials, cmdline)
				if err != nil {
					return fmt.Errorf("--plot %s: %v; nothing written", plotFile, err)
				}
				if err := addFigure(&files, "--plot "+plotFile, plotFile, fig); err != nil {
					return err
				}
			}
			if cdf.file != "" {
				fig, err := sweepCDFFigure(rows, &cdf, p, o.seed, trials, cmdline)
				if err != nil {
					return fmt.Errorf("--cdf %s: %v; nothing written", cdf.file, err)
				}
				if fig != nil {
					if err := addFigure(&files, "--cdf "+cdf.file, cdf.file, fig); err != nil {
						return err
					}
				}
			}
			if err := commitOutputs(&files); err != nil {
				return err
			}
			written := files.Paths()
			if runErr != nil {
				return interruptedError{fmt.Errorf("interrupted after %d of %d grid points; %s keeps the %d finished rows",
					len(rows), npoints, strings.Join(written, " and "), len(rows))}
			}
			if err := writeSweepTable(stdout, rows, len(policies) > 1, axes.params); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(stderr, "sim: wrote %s: %d points x %d trials in %.2fs wall (%d workers)\n",
					strings.Join(written, ", "), npoints, trials, time.Since(started).Seconds(), workers)
			}
			// Property violations: a count, and the first few with the
			// command that replays them (the CSV lists more per point).
			replay := "sim trace" + replayArgs(cmd.Flags(), append([]string{"trials", "workers", "quiet", "out", "plot", "loss", "time-limit", "loss-model", "transport", "cdf", "cdf-time-limit", "cdf-loss", "policy", "policy-jitter"}, paramAxisNames...)...)
			nbad, badPoints, listed := 0, 0, 0
			for _, r := range rows {
				if r.s.Violations > 0 {
					nbad += r.s.Violations
					badPoints++
				}
				for _, f := range r.s.Failing {
					if listed == run.MaxFailingListed {
						break
					}
					listed++
					fmt.Fprintf(stderr, "sim: loss %g, time limit %s%s: trial %d: %s\n  replay: %s --loss %g --time-limit %s%s%s%s --trial %d --format text\n",
						r.loss, limitText(r.limit), policyText(r.p), f.Trial, f.Message, replay, r.loss, r.limit, netReplay(r.p), paramReplay(axes.params, r.p), policyFlags(r.p), f.Trial)
				}
			}
			if nbad > 0 {
				fmt.Fprintf(stderr, "sim: %d trials at %d of %d grid points violate properties (columns violations, violations_by_property, failing_trials)\n",
					nbad, badPoints, npoints)
				return errViolations
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	// The grid axes, then the model flags of run and trace (model.Registry)
	// without the axes.
	fs.StringVar(&lossGrid, "loss", "0:0.9:0.1", "grid of losses (at most "+fmt.Sprint(grid.MaxPoints)+" points with the time limits): START:STOP:STEP (inclusive) or a comma list, each "+model.Registry.Lookup("loss").Accepted)
	fs.StringVar(&limitGrid, "time-limit", "2s,5s,10s,0", "grid of time limits: a comma list of Go durations or START:STOP:STEP, each "+model.Registry.Lookup("time-limit").Accepted)
	fs.StringArrayVar(&modelGrid, "loss-model", []string{"bernoulli"}, "grid of loss models: bernoulli, ge:P,R,1-H,1-K or burst:B (a Gilbert chain with mean burst B at each --loss); repeat the flag or separate values with ';'")
	fs.StringVar(&transportGrid, "transport", "message", "grid of transports: a comma list of message and tcp")
	fs.StringVar(&policyGrid, "policy", "", "grid of reconnection policies: "+policyGridForm+" (default: the one policy of --profile or the scenario file)")
	registerParamAxes(fs, paramGrids)
	o.register(fs, append([]string{"loss", "time-limit", "loss-model", "transport", "policy"}, paramAxisNames...)...)
	fs.IntVar(&trials, "trials", 20000, "independent trials per grid point, 1 to "+fmt.Sprint(maxTrials))
	fs.IntVar(&workers, "workers", defaultWorkers(), "worker goroutines, 1 to 1024 (the output does not depend on it)")
	fs.StringVar(&out, "out", "sweep.csv", "the CSV file to write, one row per grid point (with --shard: the partial result's file; default stdout)")
	fs.StringVar(&plotFile, "plot", "", "also write the sweep figure (success within the time limit against loss) to this file; the extension picks the format")
	fs.StringVar(&cdfFile, "cdf", "", "also write the time to connect as a CDF, one curve per loss, to this file (.png or .svg)")
	fs.StringVar(&cdfLimit, "cdf-time-limit", "largest finite", "the time limit of the grid whose points the CDF draws (0: no limit)")
	fs.StringVar(&cdfLoss, "cdf-loss", "every loss", "the losses of the grid the CDF draws, a comma list or START:STOP:STEP (at most 7)")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar and no timing line on stderr")
	fs.StringVar(&shard, "shard", "", "run only shard K of N (K/N, K from 0): trials K*T/N to (K+1)*T/N-1 of every grid point; write a partial result (JSON) for sim merge instead of the CSV (docs/cli.md \"Shards\")")
	return cmd
}

// checkWritableDir fails when path cannot be written by the command:
// its directory does not exist or cannot be written, or path is (or links
// to) a directory, FIFO, device or socket; before a sweep, not after it.
func checkWritableDir(flag, path string) error { return checkOut(flag, path) }
