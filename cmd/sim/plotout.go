package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rcsim/connsim/internal/outfile"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/run"
	"github.com/rcsim/connsim/trace"
)

// Figures of `sim run --plot DIR`: each written as PNG and SVG.
const (
	runCDFName      = "ttc_cdf"  // time to connect of the run's first Connect calls, as a CDF
	runAttemptsName = "attempts" // attempts per trial, a histogram
)

// runPlotFormats are the extensions `sim run --plot` writes.
var runPlotFormats = []string{".png", ".svg"}

// prepareRunPlotDir checks DIR of `sim run --plot DIR` before the run
// (checkPlotDir); the directory is made when the figures are written.
func prepareRunPlotDir(dir string) error {
	var names []string
	for _, name := range []string{runCDFName, runAttemptsName} {
		for _, ext := range runPlotFormats {
			names = append(names, name+ext)
		}
	}
	return checkPlotDir("sim run", dir, names)
}

// checkPlotDir checks, before any work, the directory of a command's
// --plot DIR (run, storm: they draw several figures) and the figures it
// will hold, names. It creates nothing: the figures' batch makes the
// directory (outfile.Batch.Mkdir), so a run that fails or is interrupted
// leaves no empty directory. One rule for --plot: a command that draws
// one figure takes a file ending in .png or .svg, one that draws several
// a directory, whose name must not end so.
func checkPlotDir(command, dir string, names []string) error {
	if dir == "" {
		return nil
	}
	if _, err := plots.FormatOf(dir); err == nil {
		return usageError{fmt.Errorf("--plot %s: %s draws several figures, so --plot names a directory (a name without .png or .svg), not a figure file", dir, command)}
	}
	return checkOutDir("--plot", dir, names)
}

// checkOutDir validates an output directory flag's DIR before any work:
// an existing directory whose files names may be written, or one that can
// be made (its nearest existing ancestor is a writable directory).
func checkOutDir(flag, dir string, names []string) error {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if _, err := os.Stat(dir); err != nil {
			t, _ := os.Readlink(dir)
			return usageError{fmt.Errorf("%s %s: a symbolic link to %s, which does not exist", flag, dir, t)}
		}
	}
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return usageError{fmt.Errorf("%s %s is a file; want a directory", flag, dir)}
	case err == nil:
		for _, name := range names {
			if err := checkOut(flag, filepath.Join(dir, name)); err != nil {
				return err
			}
		}
		return nil
	}
	// A directory to make: its nearest existing ancestor must be a
	// directory the command can write in.
	parent := filepath.Dir(filepath.Clean(dir))
	for {
		if _, err := os.Stat(parent); err == nil || parent == filepath.Dir(parent) {
			break
		}
		parent = filepath.Dir(parent)
	}
	if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
		return usageError{fmt.Errorf("%s %s: %s is not a directory", flag, dir, parent)}
	}
	probe, err := os.CreateTemp(parent, ".sim-probe-*")
	if err != nil {
		return usageError{fmt.Errorf("%s %s: cannot make it: %v", flag, dir, errors.Unwrap(err))}
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// checkPlotFile validates FILE of `sim trace --plot FILE` before the
// trial runs: a .png or .svg name that checkOut accepts.
func checkPlotFile(path string) error {
	if path == "" {
		return nil
	}
	if _, err := plots.FormatOf(path); err != nil {
		return usageError{fmt.Errorf("--plot %s: want a file name ending in .png or .svg", path)}
	}
	return checkOut("--plot", path)
}

// paramsCaption is the parameter line of a figure's caption.
func paramsCaption(p model.Params, seed uint64) string {
	return fmt.Sprintf("seed %d; loss %g, time limit %s, latency %s (jitter %s %s), attempt timeout %s, horizon %s%s",
		seed, p.Net.Loss, run.LimitText(p.TimeLimit), p.Net.Latency, p.Net.Jitter, p.Net.JitterDist, p.Client.AttemptTimeoutFor(), p.Horizon, policyText(p))
}

// runPlots renders the figures of `sim run --plot DIR` from the run's
// accumulator into a batch of files: the time-to-connect CDF (one curve:
// this run, ending at its success share; the time limit marked) and the
// attempts-per-trial histogram (exact, from the run's counts), each as
// DIR/NAME.png and DIR/NAME.svg. cmdline is the command that regenerates
// them; it goes into the captions. The CDF is exact for runs of at most
// run.KeepTrials trials; a bigger run draws the CDF of its first
// run.KeepTrials trials, as the caption says (the summary's quantiles stay
// exact). Nothing is written yet: the caller commits the batch before
// printing.
func runPlots(dir string, acc *run.Acc, s run.Summary, p model.Params, seed uint64, cmdline string) (*outfile.Batch, error) {
	var b outfile.Batch
	if dir == "" {
		return &b, nil
	}
	b.Mkdir("--plot "+dir, dir)
	ttc := make([]time.Duration, len(acc.TTC))
	for i, v := range acc.TTC {
		ttc[i] = time.Duration(v)
	}
	curveTrials := min(s.Trials, run.KeepTrials)
	counts := make([]int, len(acc.AttemptCounts))
	for k, n := range acc.AttemptCounts {
		counts[k] = int(n)
	}
	caption := fmt.Sprintf("%d trials, %s.\n%s", s.Trials, paramsCaption(p, seed), cmdline)
	if curveTrials < s.Trials {
		caption = fmt.Sprintf("%d trials; the curve is the first %d of them; %s.\n%s", s.Trials, curveTrials, paramsCaption(p, seed), cmdline)
	}
	cdf, err := plots.TTCCDF([]plots.TTCSeries{{Label: "this run", TTC: ttc, Trials: curveTrials, TimeLimit: p.TimeLimit}}, caption)
	if err != nil {
		return nil, fmt.Errorf("--plot %s: %v", dir, err)
	}
	hist, err := plots.AttemptsHistogramCounts(counts, fmt.Sprintf("%d trials, mean %.3f, max %d attempts per trial; %s.\n%s",
		s.Trials, s.AttemptsMean, s.AttemptsMax, paramsCaption(p, seed), cmdline))
	if err != nil {
		return nil, fmt.Errorf("--plot %s: %v", dir, err)
	}
	for _, f := range []struct {
		name string
		fig  *plots.Figure
	}{{runCDFName, cdf}, {runAttemptsName, hist}} {
		for _, ext := range runPlotFormats {
			path := filepath.Join(dir, f.name+ext)
			if err := addFigure(&b, "--plot "+path, path, f.fig); err != nil {
				return nil, err
			}
		}
	}
	return &b, nil
}

// tracePlot renders the timeline of `sim trace --plot FILE` from the
// trial's records (recorded with detail, so lost messages show) into a
// batch; the caller commits it before printing the trace.
func tracePlot(path string, recs []trace.Record, p model.Params, seed uint64, trial int, cmdline string) (*outfile.Batch, error) {
	var b outfile.Batch
	if path == "" {
		return &b, nil
	}
	caption := fmt.Sprintf("Trial %d of %s.\n%s", trial, paramsCaption(p, seed), cmdline)
	f, err := plots.Timeline(recs, caption)
	if err != nil {
		return nil, fmt.Errorf("--plot %s: %v", path, err)
	}
	if err := addFigure(&b, "--plot "+path, path, f); err != nil {
		return nil, err
	}
	return &b, nil
}

// withoutDetail wraps write so that it skips detail records when detail is
// false: `sim trace --plot` records them for the figure only.
func withoutDetail(write func(*trace.Record) error, detail bool) func(*trace.Record) error {
	if detail {
		return write
	}
	return func(r *trace.Record) error {
		if r.Kind.Detail() {
			return nil
		}
		return write(r)
	}
}
