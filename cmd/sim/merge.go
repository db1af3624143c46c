package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"syscall"

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

Every partial must come from the same command, arguments, seed and number
of trials and shards, and every shard must be there once; otherwise merge
refuses with exit 2. A scenario file named in the args is read again and
must still give the parameters the shards ran.

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
			var sweepArgs []string
			for i, name := range sweepOutputFlags {
				if cmd.Flags().Changed(name) {
					sweepArgs = append(sweepArgs, "--"+name+"="+sweepOut[i])
				}
			}
			first := &prs[0].Header
			var c *cobra.Command
			args := slices.Clone(first.Args)
			switch first.Command {
			case "run":
				if len(sweepArgs) > 0 {
					return usageError{fmt.Errorf("--%s: %s holds a partial of sim run, which writes no CSV or sweep figure (--out, --plot and --cdf are for sweep partials)", strings.TrimPrefix(strings.SplitN(sweepArgs[0], "=", 2)[0], "--"), files[0])}
				}
				c = newRunCmdWith(stdout, stderr, run.MergeRuns(prs))
				if asJSON {
					args = append(args, "--json")
				}
			case "sweep":
				if asJSON {
					return usageError{fmt.Errorf("--json: %s holds a partial of sim sweep, which prints a table; its machine-readable output is the CSV (--out)", files[0])}
				}
				c = newSweepCmdWith(stdout, stderr, sweep.NewMerged(prs))
				args = append(args, sweepArgs...)
			}
			c.SetFlagErrorFunc(flagError)
			onceOnly(c)
			c.SilenceErrors, c.SilenceUsage = true, true
			c.SetArgs(append(args, "--quiet"))
			return c.ExecuteContext(cmd.Context())
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
