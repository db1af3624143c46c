package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rcsim/connsim/analytic"
	"github.com/rcsim/connsim/param"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/sim"
	"github.com/spf13/cobra"
)

// Grid syntax, quoted by every grid error.
const (
	lossGridForm  = "START:STOP:STEP (inclusive) or a comma list of numbers between 0 and 1, such as 0:0.9:0.1 or 0,0.3,0.5"
	limitGridForm = "a comma list of Go durations between 0 and 720h (0 means no limit) or START:STOP:STEP, such as 2s,5s,10s,0 or 1s:10s:1s"
	maxGridPoints = 10000
)

// sweepAfterPoint, if set, is called after each finished grid point (tests
// cancel the sweep from it).
var sweepAfterPoint func(done int)

func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	o := defaultOpts()
	var trials, workers int
	var lossGrid, limitGrid, out, plotFile string
	var cdfFile, cdfLimit, cdfLoss string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "sweep [flags]",
		Short: "Run a grid of losses and time limits and write one CSV row per point",
		Long: `sweep runs 'sim run' at every point of a grid of losses (--loss) and time
limits (--time-limit), --trials trials per point, and writes a CSV with one
row per point: the parameters and every summary field of 'sim run --json'.
Every other model and scenario flag of 'sim run' applies to every point.

Rows come time limit by time limit, in the order given, and within one time
limit loss by loss. Every point uses the run's --seed, so a point's row is
the row 'sim run' would give with the same flags; the CSV is byte-identical
for the same flags whatever --workers.

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
by a dashed line. Each curve ends at its point's success share.

The CSV and the figures are written atomically (a temporary file, then a
rename). Ctrl-C stops the sweep; the CSV then keeps the points already
finished (the figures likewise), and sim says so and exits 1.

Examples:
  sim sweep --loss 0:0.9:0.1 --time-limit 2s,5s,10s,0 --plot sweep.png
  sim sweep --loss 0,0.1,0.3,0.5 --time-limit 5s,10s,0 --cdf ttc_cdf.png
  sim sweep --loss 0.1,0.3,0.5 --time-limit 1s:10s:1s --out limits.csv
  sim sweep --jitter 20ms --trials 5000 --out jitter.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.listQuirks {
				return writeQuirkList(stdout)
			}
			if err := checkTrialsWorkers(trials, workers); err != nil {
				return err
			}
			losses, err := parseLossGrid(lossGrid)
			if err != nil {
				return usageError{fmt.Errorf("--loss: invalid grid %q: %v; want %s", lossGrid, err, lossGridForm)}
			}
			limits, err := parseLimitGrid(limitGrid)
			if err != nil {
				return usageError{fmt.Errorf("--time-limit: invalid grid %q: %v; want %s", limitGrid, err, limitGridForm)}
			}
			if n := len(losses) * len(limits); n > maxGridPoints {
				return usageError{fmt.Errorf("--loss and --time-limit: %d grid points; at most %d", n, maxGridPoints)}
			}
			if out == "" {
				return usageError{errors.New("--out must name a file such as sweep.csv")}
			}
			if err := checkSweepPlot(plotFile); err != nil {
				return err
			}
			if !cmd.Flags().Changed("cdf-time-limit") {
				cdfLimit = ""
			}
			if !cmd.Flags().Changed("cdf-loss") {
				cdfLoss = ""
			}
			cdf, err := parseCDFChoice(cdfFile, cdfLimit, cdfLoss, losses, limits)
			if err != nil {
				return err
			}
			p, sc, err := o.build(cmd.Flags())
			if err != nil {
				return err
			}
			for _, limit := range limits {
				q := p
				q.TimeLimit = limit
				for _, loss := range losses {
					q.Net.Loss = loss
					if err := q.Validate(); err != nil {
						return usageError{err}
					}
				}
			}
			sw := sweep{base: p, scenario: sc, seed: o.seed, trials: trials, workers: workers,
				losses: losses, limits: limits, keepTTC: cdf.keeps,
				replay:   "sim trace" + replayArgs(cmd.Flags(), "trials", "workers", "quiet", "out", "plot", "loss", "time-limit", "seed", "cdf", "cdf-time-limit", "cdf-loss"),
				analytic: o.scenario == "" && len(o.changedKnobs(cmd.Flags())) == 0 && closedFormApplies(p, sc)}
			if err := checkWritableDir("--out", out); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			total := len(losses) * len(limits) * trials
			bar := newProgress(stderr, quiet, total)
			if bar != nil {
				sw.progress = func(n int) { _ = bar.Set(n) }
				sw.onPoint = func(i int) { bar.Describe(fmt.Sprintf("point %d/%d", i+1, len(losses)*len(limits))) }
			}
			started := time.Now()
			rows, runErr := sw.run(ctx)
			if bar != nil {
				_ = bar.Finish()
				fmt.Fprintln(stderr)
			}
			npoints := len(losses) * len(limits)
			if runErr != nil && !errors.Is(runErr, context.Canceled) {
				return runErr
			}
			if runErr != nil && len(rows) == 0 {
				return interruptedError{fmt.Errorf("interrupted before the first of %d grid points finished; nothing written", npoints)}
			}
			var buf bytes.Buffer
			if err := writeSweepCSV(&buf, rows); err != nil {
				return err
			}
			if err := plots.WriteFileAtomic(out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
				return fmt.Errorf("--out %s: %v", out, err)
			}
			written := []string{out}
			cmdline := "sim sweep" + replayArgs(cmd.Flags(), "workers", "quiet") // for the figures' captions
			if plotFile != "" {
				if err := writeSweepPlot(plotFile, rows, p, o.seed, trials, cmdline); err != nil {
					return fmt.Errorf("--plot %s: %v (the CSV %s was written)", plotFile, err, out)
				}
				written = append(written, plotFile)
			}
			if cdf.file != "" {
				ok, err := writeSweepCDF(rows, &cdf, p, o.seed, trials, cmdline)
				if err != nil {
					return fmt.Errorf("--cdf %s: %v (%s written)", cdf.file, err, strings.Join(written, " and "))
				}
				if ok {
					written = append(written, cdf.file)
				}
			}
			if runErr != nil {
				return interruptedError{fmt.Errorf("interrupted after %d of %d grid points; %s keeps the %d finished rows",
					len(rows), npoints, strings.Join(written, " and "), len(rows))}
			}
			if err := writeSweepTable(stdout, rows); err != nil {
				return err
			}
			if !quiet {
				fmt.Fprintf(stderr, "sim: wrote %s: %d points x %d trials in %.2fs wall (%d workers)\n",
					strings.Join(written, ", "), npoints, trials, time.Since(started).Seconds(), workers)
			}
			// Property violations: a count, and the first few with the
			// command that replays them (the CSV lists more per point).
			replay := "sim trace" + replayArgs(cmd.Flags(), "trials", "workers", "quiet", "out", "plot", "loss", "time-limit")
			nbad, badPoints, listed := 0, 0, 0
			for _, r := range rows {
				if r.s.Violations > 0 {
					nbad += r.s.Violations
					badPoints++
				}
				for _, f := range r.s.Failing {
					if listed == sim.MaxFailingListed {
						break
					}
					listed++
					fmt.Fprintf(stderr, "sim: loss %g, time limit %s: trial %d: %s\n  replay: %s --loss %g --time-limit %s --trial %d --format text\n",
						r.loss, limitText(r.limit), f.Trial, f.Message, replay, r.loss, r.limit, f.Trial)
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
	// The grid axes, then the model flags of run and trace (sim.Registry)
	// without the axes.
	fs.StringVar(&lossGrid, "loss", "0:0.9:0.1", "grid of losses: START:STOP:STEP (inclusive) or a comma list, each "+sim.Registry.Lookup("loss").Accepted)
	fs.StringVar(&limitGrid, "time-limit", "2s,5s,10s,0", "grid of time limits: a comma list of Go durations or START:STOP:STEP, each "+sim.Registry.Lookup("time-limit").Accepted)
	o.register(fs, "loss", "time-limit")
	fs.IntVar(&trials, "trials", 20000, "independent trials per grid point, 1 to "+fmt.Sprint(maxTrials))
	fs.IntVar(&workers, "workers", defaultWorkers(), "worker goroutines, 1 to 1024 (the output does not depend on it)")
	fs.StringVar(&out, "out", "sweep.csv", "the CSV file to write, one row per grid point")
	fs.StringVar(&plotFile, "plot", "", "also write the sweep figure (success within the time limit against loss) to this file; the extension picks the format")
	fs.StringVar(&cdfFile, "cdf", "", "also write the time to connect as a CDF, one curve per loss, to this file (.png or .svg)")
	fs.StringVar(&cdfLimit, "cdf-time-limit", "largest finite", "the time limit of the grid whose points the CDF draws (0: no limit)")
	fs.StringVar(&cdfLoss, "cdf-loss", "every loss", "the losses of the grid the CDF draws, a comma list or START:STOP:STEP (at most 7)")
	fs.BoolVar(&quiet, "quiet", false, "no progress bar and no timing line on stderr")
	return cmd
}

// sweep is a grid of runs.
type sweep struct {
	base     sim.Params
	scenario sim.Scenario
	seed     uint64
	trials   int
	workers  int
	losses   []float64
	limits   []time.Duration
	analytic bool // the closed form applies (see analyticSuccess)
	// keepTTC, if set, says which grid points keep their trials' times to
	// connect (for the CDF).
	keepTTC func(limit time.Duration, loss float64) bool
	// progress, if set, gets the number of trials finished in the whole
	// sweep; it must be safe for concurrent use.
	progress func(done int)
	// onPoint, if set, is called before grid point i (0-based) starts.
	onPoint func(i int)
	// replay is the `sim trace` command of the sweep's flags, without the
	// grid's and --seed: a trial that panics is reported with it.
	replay string
}

// sweepRow is one grid point's result.
type sweepRow struct {
	loss        float64
	limit       time.Duration
	p           sim.Params
	seed        uint64
	s           sim.Summary
	analytic    float64
	hasAnalytic bool
	ttc         []time.Duration // the successes' times to connect, when kept
	ttcKept     bool
}

// run runs the grid points in row order. If ctx is cancelled it returns
// the points finished so far, with ctx.Err(); the point in progress is
// dropped.
func (sw *sweep) run(ctx context.Context) ([]sweepRow, error) {
	var rows []sweepRow
	for _, limit := range sw.limits {
		for _, loss := range sw.losses {
			p := sw.base
			p.Net.Loss, p.TimeLimit = loss, limit
			if err := p.Validate(); err != nil {
				return rows, usageError{err}
			}
			rc := sim.RunConfig{Params: p, Scenario: sw.scenario, Trials: sw.trials, Seed: sw.seed, Workers: sw.workers}
			if sw.onPoint != nil {
				sw.onPoint(len(rows))
			}
			if sw.progress != nil {
				base := len(rows) * sw.trials
				rc.Progress = func(n int) { sw.progress(base + n) }
			}
			outs, err := sim.Run(ctx, rc)
			if err != nil {
				return rows, trialFailure(err, sw.seed, sw.replay+fmt.Sprintf(" --loss %g --time-limit %s", loss, limit))
			}
			r := sweepRow{loss: loss, limit: limit, p: p, seed: sw.seed, s: sim.Summarize(outs)}
			if sw.keepTTC != nil && sw.keepTTC(limit, loss) {
				r.ttcKept = true
				for i := range outs {
					if outs[i].Outcome == sim.OutcomeSuccess {
						r.ttc = append(r.ttc, outs[i].TTC)
					}
				}
			}
			if sw.analytic {
				r.analytic, r.hasAnalytic = analyticSuccess(p)
			}
			rows = append(rows, r)
			if sweepAfterPoint != nil {
				sweepAfterPoint(len(rows))
			}
		}
	}
	return rows, nil
}

// closedFormApplies reports whether the analytic package's setting is the
// model's: the default scenario (one device, Init and Connect at 0) and
// default parameters except for those the closed form takes (loss, time
// limit, horizon, latency, attempt timeout, schedule) or that cannot matter
// before the first success (db-open, heartbeats, kick policy, the jitter
// distribution when there is no jitter). Anything else (jitter, an
// unavailable server, a quirk, any future knob) rules it out.
func closedFormApplies(p sim.Params, sc sim.Scenario) bool {
	d := sim.DefaultParams()
	q := p
	q.Net.Loss, q.Net.Latency, q.Net.JitterDist = d.Net.Loss, d.Net.Latency, d.Net.JitterDist
	q.TimeLimit, q.Horizon, q.Policy, q.Detail = d.TimeLimit, d.Horizon, d.Policy, d.Detail
	c := &q.Client
	c.AttemptTimeout, c.Schedule, c.DBOpen = d.Client.AttemptTimeout, d.Client.Schedule, d.Client.DBOpen
	c.HBInterval, c.HBTimeout, c.HBMisses = d.Client.HBInterval, d.Client.HBTimeout, d.Client.HBMisses
	return reflect.DeepEqual(q, d) && reflect.DeepEqual(sc, sim.DefaultScenario())
}

// analyticSuccess returns the closed-form success probability for p, when
// the closed form is defined (the caller checks closedFormApplies).
func analyticSuccess(p sim.Params) (float64, bool) {
	m := analytic.Model{Loss: p.Net.Loss, Latency: p.Net.Latency, AttemptTimeout: p.Client.AttemptTimeout,
		Schedule: p.Client.Schedule, TimeLimit: p.TimeLimit, Horizon: p.Horizon}
	if m.Validate() != nil {
		return 0, false
	}
	return m.Success(), true
}

// The CSV has one column per field of `sim run --json` (its "params"
// first, then the summary), in the order of the JSON, then
// analytic_success. The columns come from the types, so that a field added
// to the JSON output becomes a column of every sweep; each row is the
// point's `sim run --json` object, decoded and flattened:
//
//   - a nested object becomes one column per field, named PARENT_FIELD,
//     with a unit suffix kept last (ttc_ms.p50 is ttc_p50_ms);
//   - a map (errors, violations_by_property) is KEY:VALUE pairs sorted by
//     key and joined by ";", such as 34006:5141 (empty when empty);
//   - a list (failing_trials) is its compact JSON (empty when empty);
//   - numbers are written in full, never with an exponent.
type csvColumn struct {
	name  string
	path  []int                             // reflect field index path in jsonSummary, or
	param func(r *sweepRow) (string, error) // the value of a params column
}

var sweepColumns = func() []csvColumn {
	cols := []csvColumn{{name: "seed", param: func(r *sweepRow) (string, error) { return strconv.FormatUint(r.seed, 10), nil }}}
	for _, q := range sim.Registry.All() {
		if q.JSONKey() == "" {
			continue
		}
		cols = append(cols, csvColumn{name: q.JSONKey(), param: func(r *sweepRow) (string, error) {
			v, ok := q.Value(&r.p)
			if !ok {
				return "", nil
			}
			return csvValue(reflect.ValueOf(v))
		}})
	}
	var walk func(t reflect.Type, prefix string, path []int)
	walk = func(t reflect.Type, prefix string, path []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" || !f.IsExported() || tag == "params" {
				continue
			}
			p := append(slices.Clone(path), i)
			if f.Anonymous {
				walk(f.Type, prefix, p)
				continue
			}
			if tag == "" {
				tag = f.Name
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, prefix+tag+"_", p)
				continue
			}
			name := prefix + tag
			for _, unit := range []string{"_ms_", "_s_"} {
				if a, b, ok := strings.Cut(prefix, unit); ok && b == "" {
					name = a + "_" + tag + unit[:len(unit)-1]
				}
			}
			cols = append(cols, csvColumn{name: name, path: p})
		}
	}
	walk(reflect.TypeFor[jsonSummary](), "", nil)
	return cols
}()

// csvFloat formats without exponent, shortest exact form.
func csvFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// csvValue encodes one field.
func csvValue(v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return csvFloat(v.Float()), nil
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.CanInt() && b.CanInt() {
				return cmp.Compare(a.Int(), b.Int())
			}
			return cmp.Compare(fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface()))
		})
		var parts []string
		for _, k := range keys {
			kv, vv := k.Interface(), v.MapIndex(k).Interface()
			if k.CanInt() {
				kv = k.Int() // the number, not a String() method
			}
			parts = append(parts, fmt.Sprintf("%v:%v", kv, vv))
		}
		return strings.Join(parts, ";"), nil
	case reflect.Slice, reflect.Array, reflect.Struct, reflect.Interface, reflect.Pointer:
		if v.Kind() == reflect.Slice && v.Len() == 0 || v.Kind() == reflect.Pointer && v.IsNil() {
			return "", nil
		}
		b, err := json.Marshal(v.Interface())
		return string(b), err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	default:
		return fmt.Sprint(v.Interface()), nil
	}
}

// writeSweepCSV writes the header and one row per point.
func writeSweepCSV(w io.Writer, rows []sweepRow) error {
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(sweepColumns)+1)
	for _, c := range sweepColumns {
		header = append(header, c.name)
	}
	if err := cw.Write(append(header, "analytic_success")); err != nil {
		return err
	}
	for _, r := range rows {
		// The row is what `sim run --json` prints for the point.
		var buf bytes.Buffer
		if err := writeJSON(&buf, r.p, r.seed, r.s); err != nil {
			return err
		}
		var js jsonSummary
		if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
			return err
		}
		jv := reflect.ValueOf(js)
		rec := make([]string, 0, len(header)+1)
		for _, c := range sweepColumns {
			var v string
			var err error
			if c.param != nil {
				v, err = c.param(&r)
			} else {
				v, err = csvValue(jv.FieldByIndex(c.path))
			}
			if err != nil {
				return err
			}
			rec = append(rec, v)
		}
		an := ""
		if r.hasAnalytic {
			an = csvFloat(r.analytic)
		}
		if err := cw.Write(append(rec, an)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeSweepTable prints a short table of the sweep on stdout.
func writeSweepTable(w io.Writer, rows []sweepRow) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %-6s %-26s %s\n", "time limit", "loss", "success (95% CI)", "closed form")
	for _, r := range rows {
		an := "-"
		if r.hasAnalytic {
			an = fmt.Sprintf("%.2f%%", 100*r.analytic)
		}
		fmt.Fprintf(&b, "%-10s %-6g %-26s %s\n", limitText(r.limit), r.loss,
			fmt.Sprintf("%.2f%% (%.2f%%-%.2f%%)", 100*r.s.SuccessRate, 100*r.s.CILow, 100*r.s.CIHigh), an)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// parseLossGrid parses START:STOP:STEP (inclusive) or a comma list.
func parseLossGrid(s string) ([]float64, error) {
	num := func(t string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a number", t)
		}
		return v, nil
	}
	var vals []float64
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, errors.New("a range has three parts")
		}
		var r [3]float64
		for i, t := range parts {
			v, err := num(t)
			if err != nil {
				return nil, err
			}
			r[i] = v
		}
		start, stop, step := r[0], r[1], r[2]
		if !(step > 0) {
			return nil, errors.New("STEP must be > 0")
		}
		if stop < start {
			return nil, errors.New("STOP is below START")
		}
		n := math.Floor((stop-start)/step+1e-9) + 1
		if n > maxGridPoints {
			return nil, fmt.Errorf("%g points; at most %d", n, maxGridPoints)
		}
		for i := range int(n) {
			// Round away the float noise of start + i*step (0.30000000000000004).
			v, _ := strconv.ParseFloat(strconv.FormatFloat(start+float64(i)*step, 'f', 12, 64), 64)
			vals = append(vals, v)
		}
	} else {
		for _, t := range strings.Split(s, ",") {
			v, err := num(t)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
	}
	for i, v := range vals {
		if v < 0 || v > 1 {
			return nil, fmt.Errorf("%g is not between 0 and 1", v)
		}
		if slices.Contains(vals[:i], v) {
			return nil, fmt.Errorf("%g appears twice", v)
		}
	}
	return vals, nil
}

// parseLimitGrid parses a comma list of durations or START:STOP:STEP.
func parseLimitGrid(s string) ([]time.Duration, error) {
	dur := func(t string) (time.Duration, error) {
		t = strings.TrimSpace(t)
		if t == "0" || t == "none" {
			return 0, nil
		}
		v, err := time.ParseDuration(t)
		if err != nil {
			return 0, fmt.Errorf("%q is not a Go duration", t)
		}
		if v < 0 || v > sim.MaxDuration {
			return 0, fmt.Errorf("%v is not between 0 and %s", v, param.FormatDuration(sim.MaxDuration))
		}
		return v, nil
	}
	var vals []time.Duration
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, errors.New("a range has three parts")
		}
		var r [3]time.Duration
		for i, t := range parts {
			v, err := dur(t)
			if err != nil {
				return nil, err
			}
			r[i] = v
		}
		start, stop, step := r[0], r[1], r[2]
		if step <= 0 {
			return nil, errors.New("STEP must be > 0")
		}
		if stop < start {
			return nil, errors.New("STOP is below START")
		}
		if n := (stop-start)/step + 1; n > maxGridPoints {
			return nil, fmt.Errorf("%d points; at most %d", n, maxGridPoints)
		}
		// Count, not v += step: every value is at most sim.MaxDuration, so
		// start + i*step cannot wrap.
		for i := range (stop-start)/step + 1 {
			vals = append(vals, start+i*step)
		}
	} else {
		for _, t := range strings.Split(s, ",") {
			v, err := dur(t)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
	}
	for i, v := range vals {
		if slices.Contains(vals[:i], v) {
			return nil, fmt.Errorf("%v appears twice", limitText(v))
		}
	}
	return vals, nil
}

// checkWritableDir fails when path's directory does not exist or is not
// writable, or path is a directory: before a sweep, not after it.
func checkWritableDir(flag, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError{fmt.Errorf("%s %s is a directory; want a file", flag, path)}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".sweep-check-*")
	if err != nil {
		return fmt.Errorf("%s %s: cannot write in %s: %v", flag, path, filepath.Dir(path), errors.Unwrap(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
