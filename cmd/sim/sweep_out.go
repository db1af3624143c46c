// The sweep's outputs: the CSV, the figures and the table from the rows,
// and a shard's partial.

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/sweep"
)

// writeSweepOutputs writes the CSV and the figures of rows, then the
// table on stdout, the timing line and the violations on stderr. runErr
// is the sweep's context error when it was interrupted: the rows are the
// points finished before.
func writeSweepOutputs(stdout, stderr io.Writer, rows []sweep.Row, runErr error, pl *sweep.Plan, so sweepOutputs, started time.Time) error {
	npoints := pl.Size()
	if runErr != nil && len(rows) == 0 {
		return interruptedError{fmt.Errorf("interrupted before the first of %d grid points finished; nothing written", npoints)}
	}
	// Render the CSV and every figure first, then write the files
	// together: a failing figure leaves no file half-written.
	var buf bytes.Buffer
	if err := sweep.WriteCSV(&buf, rows); err != nil {
		return err
	}
	var files outfile.Batch
	files.AddBytes("--out "+so.out, so.out, buf.Bytes())
	if so.plotFile != "" {
		fig, err := sweepPlotFigure(rows, pl.Net, pl.Base, pl.Seed, pl.Trials, so.cmdline)
		if err != nil {
			return fmt.Errorf("--plot %s: %v; nothing written", so.plotFile, err)
		}
		if err := addFigure(&files, "--plot "+so.plotFile, so.plotFile, fig); err != nil {
			return err
		}
	}
	if so.cdf.file != "" {
		fig, err := sweepCDFFigure(rows, &so.cdf, pl.Base, pl.Seed, pl.Trials, so.cmdline)
		if err != nil {
			return fmt.Errorf("--cdf %s: %v; nothing written", so.cdf.file, err)
		}
		if fig != nil {
			if err := addFigure(&files, "--cdf "+so.cdf.file, so.cdf.file, fig); err != nil {
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
	if err := sweep.WriteTable(stdout, rows, len(pl.Policies) > 1, pl.Net.Params); err != nil {
		return err
	}
	if !so.quiet {
		fmt.Fprintf(stderr, "sim: wrote %s: %d points x %d trials in %.2fs wall (%d workers)\n",
			strings.Join(written, ", "), npoints, pl.Trials, time.Since(started).Seconds(), pl.Workers)
	}
	// Property violations: a count, and the first few with the command
	// that replays them (the CSV lists more per point).
	nbad, badPoints, listed := 0, 0, 0
	for _, r := range rows {
		if r.Summary.Violations > 0 {
			nbad += r.Summary.Violations
			badPoints++
		}
		for _, f := range r.Summary.Failing {
			if listed == run.MaxFailingListed {
				break
			}
			listed++
			fmt.Fprintf(stderr, "sim: loss %g, time limit %s%s: trial %d: %s\n  replay: %s --loss %g --time-limit %s%s%s%s --trial %d --format text\n",
				r.Loss, run.LimitText(r.Limit), policyText(r.Params), f.Trial, f.Message, so.replay, r.Loss, r.Limit, sweep.NetReplay(r.Params), sweep.ParamReplay(pl.Net.Params, r.Params), policyFlags(r.Params), f.Trial)
		}
	}
	if nbad > 0 {
		fmt.Fprintf(stderr, "sim: %d trials at %d of %d grid points violate properties (columns violations, violations_by_property, failing_trials)\n",
			nbad, badPoints, npoints)
		return errViolations
	}
	return nil
}

// sweepShardOpts is what `sim sweep --shard` needs besides the sweep.
type sweepShardOpts struct {
	k, n  int
	out   string // "": stdout
	quiet bool
	flags []run.Flag
}

// writeSweepShard runs the shard and writes its partial.
func writeSweepShard(ctx context.Context, stdout, stderr io.Writer, pl *sweep.Plan, so sweepOutputs, o sweepShardOpts) error {
	from, to := run.ShardRange(o.k, o.n, pl.Trials)
	npoints := pl.Size()
	bar := newProgress(stderr, o.quiet, npoints*(to-from))
	if bar != nil {
		pl.Progress = func(n int) { _ = bar.Set(n) }
		pl.OnPoint = func(i int) { bar.Describe(fmt.Sprintf("point %d/%d", i+1, npoints)) }
	}
	pf, err := pl.RunShard(ctx, o.k, o.n)
	finishProgress(bar, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return interruptedError{fmt.Errorf("interrupted before shard %d/%d finished; nothing written", o.k, o.n)}
		}
		return so.pointFailure(err, pl)
	}
	pf.Flags = o.flags
	return writePartial(stdout, stderr, pf, o.out, o.quiet)
}
