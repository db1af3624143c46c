package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/trace"
	"github.com/spf13/cobra"
)

func newPlotCmd(stdout, stderr io.Writer) *cobra.Command {
	var out, caption string
	profile := "android"
	cmd := &cobra.Command{
		Use:   "plot FILE",
		Short: "Draw the timeline of any JSON Lines trace (sim trace's, or a real SDK's converted log)",
		Long: `plot reads a trace in the JSON Lines format of 'sim trace' (FILE - reads
standard input) and draws its timeline, the figure of 'sim trace --plot':
one lane per device with its statuses, attempts, callbacks, heartbeats and
lost connections, and a lane of app calls and environment changes. It
draws a trace as it is, whatever made it: a simulated trial or the real
web SDK's trace from conformance/web (docs/conformance.md).

Exit codes: 0 the figure was written, 2 bad input (a one-line error; no
file is written).

Examples:
  sim plot --profile web conformance/web/golden/disconnect-reconnecting.jsonl --out engine.svg
  sim trace --loss 0.3 --trial 7 | sim plot - --out trial7.png`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("internal error plotting %s: %v", args[0], p)
				}
			}()
			prof, err := fsm.ParseProfile(profile)
			if err != nil {
				return usageError{err}
			}
			if out == "" {
				return usageError{errors.New("--out: required: the figure file, ending in .png or .svg")}
			}
			if _, err := plots.FormatOf(out); err != nil {
				return usageError{fmt.Errorf("--out %s: want a file name ending in .png or .svg", out)}
			}
			if err := checkOut("--out", out); err != nil {
				return err
			}
			in, err := openInput(cmd, args[0])
			if err != nil {
				return usageError{err}
			}
			defer in.Close()
			name := in.name
			recs, err := readPlotRecords(in.r, prof)
			if err != nil {
				return usageError{fmt.Errorf("%s: %v", name, err)}
			}
			if len(recs) == 0 {
				return usageError{fmt.Errorf("%s: no records (an empty trace)", name)}
			}
			if caption == "" {
				caption = "Trace " + name + "."
			}
			f, err := plots.Timeline(recs, caption)
			if err != nil {
				return usageError{fmt.Errorf("%s: %v", name, err)}
			}
			if err := f.Save(out); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "sim: wrote %s\n", out)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&out, "out", "", "the figure file to write (.png or .svg)")
	fs.StringVar(&caption, "caption", "", "the figure's caption (default: \"Trace FILE.\")")
	fs.StringVar(&profile, "profile", profile, "the platform SDK whose status names the trace uses: android, ios or web (the figure shows the model's statuses)")
	return cmd
}

// maxPlotRecords bounds the trace sim plot draws: the records are held in
// memory with the figure's marks (an SVG of 1,000,000 records peaked at
// 863 MB; half as many stay under half a GB), and a timeline of more has
// no readable lane anyway.
const maxPlotRecords = 500_000

// readPlotRecords reads a whole trace of at most maxPlotRecords records.
func readPlotRecords(r io.Reader, prof *fsm.Profile) ([]trace.Record, error) {
	sc := trace.NewScanner(r)
	sc.SetProfile(prof)
	var recs []trace.Record
	for sc.Scan() {
		if len(recs) == maxPlotRecords {
			return nil, fmt.Errorf("more than %d records; sim plot draws at most %d (cut the trace, e.g. with head -n %d)", maxPlotRecords, maxPlotRecords, maxPlotRecords)
		}
		recs = append(recs, *sc.Record())
	}
	return recs, sc.Err()
}
