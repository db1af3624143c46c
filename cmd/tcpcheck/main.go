// Command tcpcheck measures, on two gVisor TCP/IP stacks joined by a lossy
// in-memory link, the time from a client's connect to the answer of its
// first request, at several packet loss rates, and draws the distribution
// (see package tcpcheck and docs/tcp-validation.md).
//
//	go run ./cmd/tcpcheck --out docs/figures/tcp_validation.png
//
// It prints two lines per loss rate, gVisor's and the simulator's TCP model
// (netmodel.FirstAnswerTCP) on the same network: trials answered, quantiles
// of the time, and the Kolmogorov-Smirnov distance between the two, marked
// FAIL above 0.05. The figure overlays both CDFs. Exit codes: 0 success
// (whatever the distances: the Go test TestModelAgainstGVisor is the gate),
// 1 an error while measuring or writing, 2 bad input (one line on stderr
// naming the flag, nothing on stdout, no file written).
package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/tcpcheck"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// maxTrials bounds --trials: one trial costs about 1 ms and a few KB.
const maxTrials = 1_000_000

// Main runs the command with args and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("tcpcheck", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	losses := fs.String("loss", "0.1,0.3,0.5", "packet loss rates to measure, comma-separated, each in [0,1], per packet and direction")
	lossModel := fs.String("loss-model", "", "instead of --loss: one Gilbert-Elliott run, ge:P,R,1-H,1-K in netem's gemodel order, per packet and direction")
	latency := fs.Duration("latency", 50*time.Millisecond, "one-way latency of the link (>= 0, < 1s)")
	trials := fs.Int("trials", 2000, "trials per loss rate (1 to 1000000)")
	seed := fs.Uint64("seed", 1, "seed of the loss draws; the same seed gives the same output")
	workers := fs.Int("workers", 2, "trials run in parallel (1 to 64); does not change the output")
	noTLP := fs.Bool("no-tlp", false, "switch gVisor's RACK tail loss probe off (diagnosis: lost data then waits for the RFC 6298 RTO)")
	out := fs.String("out", "", "write the CDF figure to this file (.png or .svg); none when empty")
	fs.Usage = func() {} // pflag would call it on --help and on errors; --help prints below
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "tcpcheck: "+format+"\n", a...)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(stdout, "Usage: tcpcheck [flags]\n\nMeasures the time from connect to the first answered request over gVisor's\nTCP and over the simulator's TCP model, at each loss rate, and the\nKolmogorov-Smirnov distance between the two (docs/tcp-validation.md).\n\nFlags:\n%s", fs.FlagUsages())
			return 0
		}
		return bad("%s", err)
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q (tcpcheck takes flags only)", fs.Arg(0))
	}
	// runs are the networks measured: one per --loss rate, or the one
	// --loss-model chain.
	type run struct {
		label string
		net   netmodel.Params
	}
	var runs []run
	if *lossModel != "" {
		if fs.Changed("loss") {
			return bad("--loss and --loss-model exclude each other (give one)")
		}
		m, err := netmodel.ParseGE("--loss-model", *lossModel)
		if err != nil {
			return bad("%s", err)
		}
		runs = append(runs, run{m.String(), netmodel.Params{LossModel: m}})
	} else {
		for _, f := range strings.Split(*losses, ",") {
			p, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || !(p >= 0 && p <= 1) {
				return bad("--loss: each rate must be a number in [0,1] (got %q)", f)
			}
			runs = append(runs, run{strconv.FormatFloat(p, 'g', -1, 64), netmodel.Params{Loss: p}})
		}
	}
	if *latency < 0 || *latency >= time.Second {
		return bad("--latency must be >= 0 and < 1s (got %v)", *latency)
	}
	if *trials < 1 || *trials > maxTrials {
		return bad("--trials must be between 1 and %d (got %d)", maxTrials, *trials)
	}
	if *workers < 1 || *workers > 64 {
		return bad("--workers must be between 1 and 64 (got %d)", *workers)
	}
	if *out != "" {
		if _, err := plots.FormatOf(*out); err != nil {
			return bad("--out: %s", err)
		}
	}

	var gv, md []plots.TTCSeries
	tlp := ""
	if *noTLP {
		tlp = ", RACK/TLP off"
	}
	fmt.Fprintf(stdout, "tcpcheck: gVisor TCP%s, latency %v one way, %d trials per loss, seed %d, horizon %v\n", tlp, *latency, *trials, *seed, tcpcheck.DefaultHorizon)
	fmt.Fprintf(stdout, "%-6s %-7s %-17s %9s %9s %9s %9s   %s\n", "loss", "side", "answered", "p50", "p90", "p99", "max", "KS (gVisor vs model)")
	for _, r := range runs {
		r.net.Latency = *latency
		prm := tcpcheck.Params{Net: r.net, NoTailLossProbe: *noTLP}
		rs, err := tcpcheck.Sample(prm, *seed, *trials, *workers)
		if err != nil {
			fmt.Fprintf(stderr, "tcpcheck: %s\n", err)
			return 1
		}
		xs := tcpcheck.Seconds(rs)
		ms := tcpcheck.ModelSeconds(prm, *seed, *trials)
		g := tcpcheck.Compare(xs, ms)
		verdict := "ok"
		if g.KS > tcpcheck.KSThreshold {
			verdict = fmt.Sprintf("FAIL (> %.2f)", tcpcheck.KSThreshold)
		}
		row(stdout, r.label, "gVisor", xs, fmt.Sprintf("%.4f at %.3fs (gVisor %.4f, model %.4f): %s", g.KS, g.At, g.A, g.B, verdict))
		row(stdout, r.label, "model", ms, "")
		gv = append(gv, series("gVisor, loss "+r.label, xs))
		md = append(md, series("model, loss "+r.label, ms))
	}
	if *out == "" {
		return 0
	}
	flagTLP := ""
	if *noTLP {
		flagTLP = " --no-tlp"
	}
	lossFlag := "--loss " + *losses
	if *lossModel != "" {
		lossFlag = "--loss-model " + *lossModel
	}
	fig, err := overlay(gv, md, fmt.Sprintf("go run ./cmd/tcpcheck %s --latency %v --trials %d --seed %d%s --out FILE. Solid: two gVisor stacks (%s) joined by an in-memory link with the simulator's packet loss (netmodel, each direction) and one-way latency, in virtual time; the client connects, writes a 200-byte request, the server answers 100 bytes. Dashed: the simulator's TCP model, netmodel.FirstAnswerTCP.",
		lossFlag, *latency, *trials, *seed, flagTLP, "gvisor.dev/gvisor v0.0.0-20260905035102-160fafc42237"))
	if err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %s\n", err)
		return 1
	}
	fig.Plot.Title.Text = "Time to the first answered request over TCP"
	fig.Plot.X.Label.Text = strings.Replace(fig.Plot.X.Label.Text, "time from Connect to onSuccess", "time from connect to the reply read", 1)
	fig.Plot.Y.Label.Text = "share of trials answered (cumulative)"
	if err := fig.Save(*out); err != nil {
		fmt.Fprintf(stderr, "tcpcheck: %s\n", err)
		return 1
	}
	return 0
}

// row prints one side's line of the table.
func row(w io.Writer, loss string, side string, xs []float64, extra string) {
	n := 0
	for _, x := range xs {
		if !math.IsInf(x, 1) {
			n++
		}
	}
	line := fmt.Sprintf("%-6s %-7s %-17s %9s %9s %9s %9s   %s", loss, side,
		fmt.Sprintf("%d (%.2f%%)", n, 100*float64(n)/float64(len(xs))),
		quantile(xs, 0.5), quantile(xs, 0.9), quantile(xs, 0.99), quantile(xs, 1), extra)
	fmt.Fprintln(w, strings.TrimRight(line, " "))
}

// series turns sorted seconds (+Inf for failures) into a CDF series.
func series(label string, xs []float64) plots.TTCSeries {
	s := plots.TTCSeries{Label: label, Trials: len(xs)}
	for _, x := range xs {
		if !math.IsInf(x, 1) {
			s.TTC = append(s.TTC, time.Duration(math.Round(x*1e9)))
		}
	}
	return s
}

// overlay draws gVisor's CDFs (solid) with the model's (dashed, same colour
// per loss) on the shared CDF figure of package plots.
func overlay(gv, md []plots.TTCSeries, caption string) (*plots.Figure, error) {
	fig, err := plots.TTCCDF(gv, caption)
	if err != nil {
		return nil, err
	}
	// TTCCDF draws on log10(seconds) when it switches to a log time axis,
	// and says so in the axis label; the model's points follow suit.
	logX := strings.Contains(fig.Plot.X.Label.Text, "log scale")
	for i, s := range md {
		pts, err := plots.CDFPoints(s.TTC, s.Trials)
		if err != nil {
			return nil, err
		}
		for j := range pts {
			if logX {
				pts[j].X = math.Max(math.Log10(pts[j].X), fig.Plot.X.Min)
			}
		}
		pts = append(pts, plotter.XY{X: fig.Plot.X.Max, Y: pts[len(pts)-1].Y})
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = plots.Color(i)
		l.Width = vg.Points(1.4)
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		fig.Plot.Add(l)
		fig.Legend.Add(fmt.Sprintf("%s: %.1f%% answered", s.Label, 100*pts[len(pts)-1].Y), l)
	}
	return fig, nil
}

// quantile returns the q-quantile (nearest rank) of sorted xs in seconds,
// "inf" for a failed trial.
func quantile(xs []float64, q float64) string {
	i := min(len(xs)-1, max(0, int(q*float64(len(xs))+0.5)-1))
	if xs[i] > 1e300 {
		return "inf"
	}
	return strconv.FormatFloat(xs[i], 'f', 3, 64) + "s"
}
