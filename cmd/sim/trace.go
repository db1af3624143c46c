package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/benbjohnson/clock"
	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/sim"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/viewer"
)

func newTraceCmd(stdout, stderr io.Writer) *cobra.Command {
	o := defaultOpts()
	var trial int
	var format string
	var detail, realtime bool
	var speed float64
	var plotFile, htmlFile string
	cmd := &cobra.Command{
		Use:   "trace [flags]",
		Short: "Print one trial, event by event",
		Long: `trace prints trial --trial of the run with the same flags, one record per
event: JSON Lines by default, or a readable timeline with --format text.
The trial is exactly trial K of the matching 'sim run' (its randomness
depends only on --seed and K), so any trial a run lists can be replayed.

Every record has "t" (virtual seconds since the trial began) and "kind":
call, callback, status, attempt, lost, env, server, session, heartbeat, end,
and with --detail (the default) msg and timer. See docs/cli.md ("Trace format") for fields.

With --realtime the trial plays in wall-clock time, --speed times faster
than real time; records print as they fall due. It is the same trial.

Examples:
  sim trace --loss 0.3 --trial 7 --format text
  sim trace --loss 0.3 --time-limit 0 --trial 3 | jq -c 'select(.kind=="attempt")'
  sim trace --net-off 1s:20s --time-limit 0 --realtime --speed 10 --format text`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.listQuirks {
				return writeQuirkList(stdout)
			}
			if trial < 0 || trial > maxTrials {
				return usageError{fmt.Errorf("--trial must be between 0 and %d (got %d)", maxTrials, trial)}
			}
			if format != "json" && format != "text" {
				return usageError{fmt.Errorf("--format must be json or text (got %q)", format)}
			}
			if !(speed >= minSpeed) || speed > maxSpeed {
				return usageError{fmt.Errorf("--speed must be between %g and %g (got %v): below, a trial of the longest horizon would play for more than %.0f years", minSpeed, maxSpeed, speed, maxSpeedYears)}
			}
			if err := checkPlotFile(plotFile); err != nil {
				return err
			}
			if err := checkOut("--html", htmlFile); err != nil {
				return err
			}
			if err := distinctOutputs([2]string{"--plot", plotFile}, [2]string{"--html", htmlFile}); err != nil {
				return err
			}
			p, sc, err := o.build(cmd.Flags())
			if err != nil {
				return err
			}
			p.Detail = detail || plotFile != "" // detail records only add records
			bw := bufio.NewWriter(stdout)
			var write func(*trace.Record) error
			tw := trace.NewJSONWriter(bw)
			if format != "json" {
				tw = trace.NewTextWriter(bw)
			}
			tw.SetProfile(p.Client.Profile)
			write = tw.Write
			write = withoutDetail(write, detail)
			w := sim.NewWorld(p, sc)
			replay := "sim trace" + replayArgs(cmd.Flags(), "seed", "trial")
			// The trial runs in virtual time first: its figure is rendered
			// and written before any record is printed (with --realtime,
			// before the trial is played), so a failing figure leaves no
			// half output. A trial is a function of (seed, trial): the
			// realtime play repeats it exactly.
			if _, err := w.RunTrial(o.seed, trial); err != nil {
				return trialFailure(err, o.seed, replay)
			}
			fig, err := tracePlot(plotFile, w.Recs, p, o.seed, trial, "sim trace"+replayArgs(cmd.Flags(), "format", "detail", "realtime", "speed"))
			if err != nil {
				return err
			}
			if htmlFile != "" {
				page := viewer.Page{Title: "sim trace" + replayArgs(cmd.Flags(), "format", "realtime", "speed", "html"),
					Records: w.Recs, Violations: properties.Check(properties.ConfigFor(p, w.Scenario()), w.Recs), Profile: p.Client.Profile}
				fig.Add("--html "+htmlFile, htmlFile, func(out io.Writer) error { return viewer.Write(out, page) })
			}
			if err := commitOutputs(fig); err != nil {
				return err
			}
			if !realtime {
				for i := range w.Recs {
					if err := write(&w.Recs[i]); err != nil {
						return err
					}
				}
				return bw.Flush()
			}
			ctx, stop := context.WithCancel(cmd.Context()) // cancelled by SIGINT, SIGTERM, SIGHUP (signals.go)
			defer stop()
			err = playSafe(ctx, w, o.seed, trial, speed, func(r *trace.Record) error {
				if err := write(r); err != nil {
					return err
				}
				return bw.Flush()
			})
			if ctx.Err() != nil {
				_ = bw.Flush()
				return interruptedError{fmt.Errorf("interrupted at t=%v of trial %d; the records printed so far are the trial's beginning", w.Now(), trial)}
			}
			if err != nil {
				return trialFailure(err, o.seed, replay)
			}
			return bw.Flush()
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.IntVar(&trial, "trial", 0, "which trial of the run to print, 0-based, 0 to "+fmt.Sprint(maxTrials))
	fs.StringVar(&format, "format", "json", "json (JSON Lines, one record per line) or text (a readable timeline)")
	fs.BoolVar(&detail, "detail", true, "include detail records: every message sent, delivered or dropped, and every timer")
	fs.BoolVar(&realtime, "realtime", false, "play the trial in wall-clock time, printing records as they fall due")
	fs.Float64Var(&speed, "speed", 1, fmt.Sprintf("with --realtime: how many times faster than real time, %g to %g", minSpeed, maxSpeed))
	fs.StringVar(&plotFile, "plot", "", "also write the trial's timeline to this file (.png or .svg); lost messages show even with --detail=false")
	fs.StringVar(&htmlFile, "html", "", "also write the trial as an interactive page to this file (.html; one file, no network: lanes per device, hover, zoom, search, property violations linked to their records)")
	o.register(fs)
	return cmd
}

// The range of --speed. At minSpeed a trial of the longest horizon (720h)
// plays for maxSpeedYears years: slow enough for any demonstration, and
// far from the overflow of a wall-clock duration (1e-300 used to wait
// for ever).
const (
	minSpeed      = 1e-3
	maxSpeed      = 1e9
	maxSpeedYears = 720 / minSpeed / 24 / 365
)

// playSafe is sim.Play that turns a panic of the model into a
// *sim.PanicError, like World.RunTrial.
func playSafe(ctx context.Context, w *sim.World, seed uint64, trial int, speed float64, emit func(*trace.Record) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &sim.PanicError{Trial: trial, Value: r, Stack: debug.Stack()}
		}
	}()
	_, err = sim.Play(ctx, clock.New(), w, seed, trial, speed, emit)
	return err
}
