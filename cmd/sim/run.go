package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/run"
)

const maxTrials = run.MaxTrials

func newRunCmd(stdout, stderr io.Writer) *cobra.Command {
	o := defaultOpts()
	var shard, out string
	var trials, workers int
	var asJSON, quiet bool
	var plotDir string
	cmd := &cobra.Command{
		Use:   "run [flags]",
		Short: "Run many independent trials and summarise them",
		Long: `run simulates --trials independent trials of the scenario and prints a summary:
how many first Connect calls succeeded within the time limit (with a 95%
Wilson interval), timeouts (34006), other terminal errors by code, time to
connect (p50/p90/p99/max), attempts per trial, and property violations
(P1-P7 and P9-P11 are checked on every trial; they must be 0).

A trial starts with Init and Connect(token, --time-limit) at t=0 on one
mobile device and ends at --horizon, or as soon as every Connect call has had
its terminal callback (or was ended by Disconnect) and no scripted event is
left. With --msg-rate above 0 messages keep coming, so every trial runs to
--horizon (and the horizon is the length of the traffic measured); with only
a scenario's message ops, a trial also waits for any pull in flight.

When the trials carry messages (--msg-rate, or a scenario's message op), the
summary adds their measures (docs/messages.md "What sim run measures"):
messages sent and shown; the latency from a message reaching the server to
the app showing it (p50/p90/p99/max, ms), by path: live socket, pull after
a (re)connect, pull after a push; messages stored and dropped after the
retention; pushes, and those to a device that was online again; ghosts
(messages written into a dead session the server still held, so not
pushed); duplicates the SDK removed; pulls. --json has them under
"messages". Without messages the output is unchanged.

Examples:
  sim run --loss 0.3
  sim run --loss 0.3 --time-limit 0 --trials 100000
  sim run --loss 0.1 --net-off 2s:30s --time-limit 0
  sim run --loss 0.3 --transport tcp                  # 30% packet loss over TCP
  sim run --loss 0.2 --loss-model burst:3             # 20% loss in bursts of 3 on average
  sim run --net-trace docs/nettraces/elevator.csv --time-limit 0
  sim run --json --loss 0.3 | jq .success_rate
  sim run --msg-rate 0.1 --net-off 60s:120s --trials 1000     # messages through a one-minute outage`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.listQuirks {
				return writeQuirkList(stdout)
			}
			if err := checkTrialsWorkers(trials, workers); err != nil {
				return err
			}
			p, sc, err := o.build(cmd.Flags())
			if err != nil {
				return err
			}
			if shard != "" || out != "" {
				return runShard(cmd, stdout, stderr, shardRun{spec: shard, out: out, json: asJSON, plot: plotDir,
					trials: trials, workers: workers, quiet: quiet, p: p, sc: sc, seed: o.seed})
			}
			started := time.Now()
			if err := prepareRunPlotDir(plotDir); err != nil {
				return err
			}
			ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
			defer stop()
			rc := run.Config{Params: p, Scenario: sc, Trials: trials, Seed: o.seed, Workers: workers}
			acc, err := accumulate(ctx, rc, stderr, quiet)
			if err != nil {
				if ctx.Err() != nil {
					return interruptedError{fmt.Errorf("interrupted before the %d trials finished; nothing printed", trials)}
				}
				return trialFailure(err, o.seed, "sim trace"+replayArgs(cmd.Flags(), "trials", "workers", "json", "quiet", "plot", "seed"))
			}
			s := acc.Summary()
			// The figures are rendered and written before the summary is
			// printed: a failing figure leaves no half output.
			figs, err := runPlots(plotDir, acc, s, p, o.seed, "sim run"+replayArgs(cmd.Flags(), "workers", "json", "quiet"))
			if err != nil {
				return err
			}
			if err := commitOutputs(figs); err != nil {
				return err
			}
			if err := printSummary(stdout, asJSON, p, o.seed, s, "sim trace"+replayArgs(cmd.Flags(), runReplaySkip...)); err != nil {
				return err
			}
			if plotDir != "" && !quiet {
				fmt.Fprintf(stderr, "sim: wrote %s\n", strings.Join(figs.Paths(), ", "))
			}
			if !quiet {
				el := time.Since(started)
				fmt.Fprintf(stderr, "sim: %d trials in %.2fs wall (%.2f µs per trial across %d workers)\n",
					trials, el.Seconds(), float64(el.Microseconds())*float64(workers)/float64(trials), workers)
			}
			if s.Violations > 0 {
				return errViolations
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.IntVar(&trials, "trials", 10000, "number of independent trials, 1 to "+fmt.Sprint(maxTrials))
	fs.IntVar(&workers, "workers", defaultWorkers(), "worker goroutines, 1 to 1024 (the output does not depend on it)")
	fs.BoolVar(&asJSON, "json", false, "print the summary as one JSON object instead of text")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar and no timing line on stderr")
	fs.StringVar(&shard, "shard", "", "run only shard K of N (K/N, K from 0): trials K*T/N to (K+1)*T/N-1 of the T of --trials; print a partial result (JSON) for sim merge instead of the summary (docs/cli.md \"Shards\")")
	fs.StringVar(&out, "out", "", "with --shard: write the partial result to this file (atomically) instead of stdout")
	fs.StringVar(&plotDir, "plot", "", "also write figures into this directory (created): ttc_cdf.png/.svg (time to connect, CDF) and attempts.png/.svg")
	o.register(fs)
	return cmd
}

// checkTrialsWorkers validates the --trials and --workers of run and sweep.
func checkTrialsWorkers(trials, workers int) error {
	if trials < 1 || trials > maxTrials {
		return usageError{fmt.Errorf("--trials must be between 1 and %d (got %d)", maxTrials, trials)}
	}
	if workers < 1 || workers > 1024 {
		return usageError{fmt.Errorf("--workers must be between 1 and 1024 (got %d)", workers)}
	}
	return nil
}

// newProgress returns a progress bar on stderr when stderr is a terminal
// and the run is long enough to need one; nil otherwise.
func newProgress(stderr io.Writer, quiet bool, total int) *progressbar.ProgressBar {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) || total < 20000 {
		return nil
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("trials"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// accumulate runs rc's trials with a progress bar on a terminal stderr
// (unless quiet); the bar's line is ended before it returns.
func accumulate(ctx context.Context, rc run.Config, stderr io.Writer, quiet bool) (*run.Acc, error) {
	bar := newProgress(stderr, quiet, rc.Trials)
	if bar != nil {
		rc.Progress = func(n int) { _ = bar.Set(n) }
	}
	acc, err := run.Accumulate(ctx, rc)
	finishProgress(bar, stderr)
	return acc, err
}

// finishProgress ends bar (nil: none) and its line.
func finishProgress(bar *progressbar.ProgressBar, stderr io.Writer) {
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
}

func pct(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(k)/float64(n))
}

// policyText is ", policy P" for a reconnection policy other than the
// default (rc, no jitter), else "".
func policyText(p model.Params) string {
	b := p.Client.Backoff()
	if b.String() == model.DefaultParams().Client.Backoff().String() {
		return ""
	}
	return ", policy " + b.String()
}

// policyFlags is " --policy P --policy-jitter J" replaying p's policy, or
// "" for the default.
func policyFlags(p model.Params) string {
	if policyText(p) == "" {
		return ""
	}
	return " --policy " + p.Client.Policy.String() + " --policy-jitter " + p.Client.Jitter.String()
}

// runReplaySkip are the flags the replay of a run's trial leaves out.
var runReplaySkip = []string{"trials", "workers", "json", "quiet", "plot"}

// printSummary prints s as sim run does (and sim merge of its shards):
// one JSON object, or the human summary with replay, the `sim trace`
// command of the run's flags, in its lines of failing trials.
func printSummary(w io.Writer, asJSON bool, p model.Params, seed uint64, s run.Summary, replay string) error {
	if asJSON {
		return run.WriteJSON(w, p, seed, s)
	}
	return writeHuman(w, p, seed, s, replay)
}

func writeHuman(w io.Writer, p model.Params, seed uint64, s run.Summary, replay string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "sim run: seed %d, loss %g, time limit %s, latency %s (jitter %s %s), attempt timeout %s, horizon %s%s\n",
		seed, p.Net.Loss, run.LimitText(p.TimeLimit), p.Net.Latency, p.Net.Jitter, p.Net.JitterDist, p.Client.AttemptTimeoutFor(), p.Horizon, policyText(p))
	if n := netText(p); n != "" {
		fmt.Fprintf(&b, "  network: %s\n", n)
	}
	if q := p.Client.Quirks; q != 0 {
		fmt.Fprintf(&b, "  quirks: %s (documented hazards switched on: violations expected)\n", q)
	}
	row := func(label, val string) { fmt.Fprintf(&b, "  %-34s %s\n", label, val) }
	row("trials", fmt.Sprint(s.Trials))
	unfinished := "still connecting at the horizon"
	if p.Client.Quirks != 0 {
		// A quirk can lose a call: the trial ends with the call unanswered
		// though the device is not connecting (docs/properties.md "Quirks").
		unfinished = "first call unanswered at the end"
	}
	row(unfinished, fmt.Sprintf("%d (%s)", s.Unfinished, pct(s.Unfinished, s.Trials)))
	within := "success within the time limit"
	if p.TimeLimit <= 0 {
		within = "success (no time limit)"
	}
	row(within, fmt.Sprintf("%d (%.2f%%, 95%% CI %.2f%%-%.2f%%)", s.Successes, 100*s.SuccessRate, 100*s.CILow, 100*s.CIHigh))
	row("timeouts (34006)", fmt.Sprintf("%d (%s)", s.Timeouts, pct(s.Timeouts, s.Trials)))
	other := []string{}
	for _, c := range sortedCodes(s.Errors) {
		if c != 34006 {
			other = append(other, fmt.Sprintf("%d %s: %d", c, c, s.Errors[c]))
		}
	}
	if len(other) == 0 {
		row("other terminal errors", "none")
	} else {
		row("other terminal errors", strings.Join(other, ", "))
	}
	if s.Stopped > 0 {
		row("ended by Disconnect/Logout", fmt.Sprint(s.Stopped))
	}
	if s.NoConnect > 0 {
		row("no Connect call", fmt.Sprint(s.NoConnect))
	}
	if s.Successes > 0 {
		row("time to connect", fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  (over %d successes)",
			ms(s.TTC.P50), ms(s.TTC.P90), ms(s.TTC.P99), ms(s.TTC.Max), s.Successes))
	} else {
		row("time to connect", "no successes")
	}
	row("attempts per trial", fmt.Sprintf("mean %.3f  max %d", s.AttemptsMean, s.AttemptsMax))
	row(lossRowLabel(p), lossRow(s))
	if s.Msg != nil {
		msgRows(row, s.Msg, s.Trials)
	}
	if p.Client.Quirks.Has(fsm.QuirkIgnoreTimeout) {
		row("offline at the end (34006 ignored)", fmt.Sprintf("%d (%s)", s.Offline, pct(s.Offline, s.Trials)))
	}
	checked := properties.TraceRange() + " on every trial; P11 by replaying every 100th"
	if p.Client.Quirks.Has(fsm.QuirkIgnoreTimeout) {
		checked += "; P8 at the app level"
	}
	row("property violations", fmt.Sprintf("%d trials  (%s)", s.Violations, checked))
	if len(s.ViolationsBy) > 0 {
		row("violations by property", byProperty(s.ViolationsBy))
	}
	for _, f := range s.Failing {
		fmt.Fprintf(&b, "    trial %d: %s\n      replay: %s --trial %d --format text\n", f.Trial, f.Message, replay, f.Trial)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(v float64) string { return fmt.Sprintf("%.1f ms", v) }

// byProperty renders violation counts by property in catalogue order, e.g.
// "P2 10000, P4 10000".
func byProperty(m map[string]int) string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	})
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s %d", id, m[id])
	}
	return strings.Join(parts, ", ")
}
