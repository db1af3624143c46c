package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/sweep"
)

// sweepOutputFlags are sim sweep's output flags: a sweep shard refuses
// them and `sim merge` of sweep partials takes them.
var sweepOutputFlags = []string{"out", "plot", "cdf", "cdf-time-limit", "cdf-loss"}

func newMergeCmd(stdout, stderr io.Writer) *cobra.Command {
	var asJSON bool
	var sweepOut [5]string // sweepOutputFlags' values
	cmd := &cobra.Command{
		Use:   "merge [--json] [--out CSV] [--plot FILE] [--cdf FILE] FILE...",
		Short: "Combine the partial results of sim run --shard or sim sweep --shard into the whole output",
		Long: `merge reads the partial results of the N shards of one run (sim run --shard
K/N, K from 0 to N-1, each with the same other flags) and prints exactly what
the run on one machine prints, byte for byte: the human summary, or with
--json the JSON object.

Given the partials of a sweep (sim sweep --shard K/N), it writes exactly
what the sweep on one machine writes: the CSV (--out, default sweep.csv),
the figures (--plot FILE, --cdf FILE with --cdf-time-limit and --cdf-loss,
as sim sweep takes them) and the table on stdout, byte for byte. Those
flags go to merge, not to the shards: every shard keeps every time to
connect, so any CDF of the grid can be drawn at merge time.

Every partial must come from the same command, parameters, flags, seed
and number of trials and shards, and every shard must be there once;
otherwise merge refuses with exit 2. A partial stores the parameters its
shard ran, resolved (profile, scenario file and flags applied): merge
reads no file but the partials. A partial of an older sim (format 2) is
refused: run its shard again.

Examples:
  for k in 0 1 2 3; do sim run --loss 0.3 --trials 1000000 --shard $k/4 --out part-$k.json & done; wait
  sim merge part-*.json
  sim merge --json part-*.json | jq .ttc_ms
  seq 0 7 | xargs -P 4 -I{} sim sweep --loss 0:0.9:0.1 --trials 100000 --shard {}/8 --out sweep-{}.json --quiet
  sim merge --out sweep.csv --plot sweep.png --cdf ttc_cdf.png sweep-*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			prs, err := run.OpenPartials(files, cmd.InOrStdin())
			defer func() {
				for _, pr := range prs {
					pr.Close()
				}
			}()
			if errors.Is(err, syscall.EMFILE) { // not the input's fault: exit 1
				return err
			}
			if err != nil {
				return usageError{err}
			}
			var given []run.Flag // merge's output flags, for a sweep's caption
			for i, name := range sweepOutputFlags {
				if cmd.Flags().Changed(name) {
					given = append(given, run.Flag{Name: name, Value: sweepOut[i]})
				}
			}
			first := &prs[0].Header
			if err := checkPartialFlags(files[0], first); err != nil {
				return err
			}
			switch first.Command {
			case "run":
				if len(given) > 0 {
					return usageError{fmt.Errorf("--%s: %s holds a partial of sim run, which writes no CSV or sweep figure (--out, --plot and --cdf are for sweep partials)", given[0].Name, files[0])}
				}
				return mergeRun(stdout, files[0], run.MergeRuns(prs), first, asJSON)
			default:
				if asJSON {
					return usageError{fmt.Errorf("--json: %s holds a partial of sim sweep, which prints a table; its machine-readable output is the CSV (--out)", files[0])}
				}
				cdfLimit, cdfLoss := changedValue(cmd.Flags(), "cdf-time-limit", sweepOut[3]), changedValue(cmd.Flags(), "cdf-loss", sweepOut[4])
				return mergeSweep(stdout, stderr, files[0], prs, given, [5]string{sweepOut[0], sweepOut[1], sweepOut[2], cdfLimit, cdfLoss})
			}
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.BoolVar(&asJSON, "json", false, "run partials: print the summary as one JSON object, as sim run --json does")
	fs.StringVar(&sweepOut[0], "out", "sweep.csv", "sweep partials: the CSV file to write, as sim sweep --out")
	fs.StringVar(&sweepOut[1], "plot", "", "sweep partials: also write the sweep figure to this file, as sim sweep --plot")
	fs.StringVar(&sweepOut[2], "cdf", "", "sweep partials: also write the time-to-connect CDF to this file, as sim sweep --cdf")
	fs.StringVar(&sweepOut[3], "cdf-time-limit", "largest finite", "sweep partials: as sim sweep --cdf-time-limit")
	fs.StringVar(&sweepOut[4], "cdf-loss", "every loss", "sweep partials: as sim sweep --cdf-loss")
	return cmd
}

// checkPartialFlags checks that the flags a partial stores are flags of
// its command: they are only ever rendered, never parsed, but a line that
// replays a run must name flags sim has.
func checkPartialFlags(file string, h *run.PartialHeader) error {
	cmd := newRunCmd(io.Discard, io.Discard)
	if h.Command == "sweep" {
		cmd = newSweepCmd(io.Discard, io.Discard)
	}
	for _, f := range h.Flags {
		fl := cmd.Flags().Lookup(f.Name)
		if fl == nil || f.Bool != (fl.Value.Type() == "bool") {
			return usageError{fmt.Errorf("%s: flags: --%s is not a flag of sim %s", file, f.Name, h.Command)}
		}
	}
	return nil
}

// mergeRun prints the summary of a run's merged shards, as the run on one
// machine prints it: the parameters are the partials' params, the replay
// lines come from their flags.
func mergeRun(stdout io.Writer, file string, m *run.Merged, h *run.PartialHeader, asJSON bool) error {
	p, err := h.ModelParams()
	if err != nil {
		return usageError{fmt.Errorf("%s: %v", file, err)}
	}
	if err := run.WithinHorizon(m.Acc, p); err != nil {
		return usageError{err}
	}
	s := m.Acc.Summary()
	if err := printSummary(stdout, asJSON, p, h.Seed, s, "sim trace"+renderFlags(h.Flags, runReplaySkip...)); err != nil {
		return err
	}
	if s.Violations > 0 {
		return errViolations
	}
	return nil
}

// mergeSweep writes the outputs of a sweep's merged shards, as the sweep
// on one machine writes them: the plan is rebuilt from the partials'
// params and grid, the caption is `sim sweep` with their flags and the
// output flags given to merge (out: --out, --plot, --cdf,
// --cdf-time-limit and --cdf-loss, the last two "" when not given), in
// the sweep's flag order, where they come last but for --quiet and
// --shard, which a partial does not store.
func mergeSweep(stdout, stderr io.Writer, file string, prs []*run.PartialReader, given []run.Flag, out [5]string) error {
	h := &prs[0].Header
	pl, err := sweep.FromPartial(h)
	if err != nil {
		return usageError{fmt.Errorf("%s: %v", file, err)}
	}
	so, err := sweepOutputsFor(pl, out[0], out[1], out[2], out[3], out[4])
	if err != nil {
		return err
	}
	so.quiet = true
	so.cmdline = "sim sweep" + renderFlags(append(slices.Clone(h.Flags), given...), "workers", "quiet")
	so.replay = "sim trace" + renderFlags(h.Flags, sweepViolationSkip()...)
	if err := checkWritableDir("--out", so.out); err != nil {
		return err
	}
	rows, err := pl.Merge(&sweep.Merged{Parts: prs})
	if err != nil {
		return usageError{err}
	}
	return writeSweepOutputs(stdout, stderr, rows, nil, pl, so, time.Now())
}
