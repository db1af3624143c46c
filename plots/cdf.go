package plots

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TTCSeries is one curve of the time-to-connect figure: the trials of one
// run (one value of the swept parameter).
type TTCSeries struct {
	Label string // legend text, e.g. "loss 0.3"
	// TTC holds the time from Connect to onSuccess of every trial whose
	// first Connect call succeeded, in any order.
	TTC []time.Duration
	// Trials counts every trial of the run, successful or not, so the
	// curve ends at the run's success share len(TTC)/Trials.
	Trials int
	// TimeLimit is the run's time limit, marked by a vertical line (one
	// line per distinct limit); <= 0 means none.
	TimeLimit time.Duration
}

// CDFPoints returns the empirical distribution function of ttc over trials
// trials, as the corners of a step line with x in seconds: it starts at
// (0, 0), rises at each distinct value v to the share of trials with
// TTC <= v, and ends at (max TTC, len(ttc)/trials). It is non-decreasing
// in both coordinates.
func CDFPoints(ttc []time.Duration, trials int) (plotter.XYs, error) {
	if trials < 1 || len(ttc) > trials {
		return nil, fmt.Errorf("plots: CDF of %d successes over %d trials", len(ttc), trials)
	}
	s := slices.Clone(ttc)
	slices.Sort(s)
	if len(s) > 0 && s[0] < 0 {
		return nil, fmt.Errorf("plots: negative time to connect %v", s[0])
	}
	pts := plotter.XYs{{X: 0, Y: 0}}
	n := float64(trials)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		x := s[i].Seconds()
		pts = append(pts, plotter.XY{X: x, Y: float64(i) / n}, plotter.XY{X: x, Y: float64(j) / n})
		i = j
	}
	return pts, nil
}

// TTCCDF returns the time-to-connect figure: for each series, the share of
// its trials connected by time t after Connect, against t; one curve per
// series (series i in Color(i)), each ending at its success share; the time
// limits marked by dashed vertical lines. The legend gives each series'
// label and success share. The time axis is logarithmic when the times
// span three decades or more (a long tail with no time limit), linear
// otherwise. caption should give the parameters and seed.
func TTCCDF(series []TTCSeries, caption string) (*Figure, error) {
	return TTCCDFTitled("Time to connect (first Connect call)", series, caption)
}

// TTCCDFTitled is TTCCDF with another title, such as that of a comparison
// of reconnection policies (one series per policy).
func TTCCDFTitled(title string, series []TTCSeries, caption string) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: time-to-connect figure with no series")
	}
	p := newPlot(title,
		"time from Connect to onSuccess (s)", "share of trials connected (cumulative)")
	xmax := 0.0
	var limits []time.Duration
	curves := make([]plotter.XYs, len(series))
	for i, s := range series {
		pts, err := CDFPoints(s.TTC, s.Trials)
		if err != nil {
			return nil, fmt.Errorf("%w (series %q)", err, s.Label)
		}
		curves[i] = pts
		xmax = math.Max(xmax, pts[len(pts)-1].X)
		if s.TimeLimit > 0 && !slices.Contains(limits, s.TimeLimit) {
			limits = append(limits, s.TimeLimit)
			xmax = math.Max(xmax, s.TimeLimit.Seconds())
		}
	}
	if xmax == 0 {
		xmax = 1
	}
	// A long tail (no time limit, heavy loss) would squash the first
	// seconds into the left edge: use a log time axis when the times span
	// three decades or more. The axis stays linear over log10(seconds)
	// (gonum's LogScale misplaces a centred axis label), with decade ticks.
	xmin, xf := 0.0, func(x float64) float64 { return x }
	if lo := smallestPositive(curves); lo > 0 && xmax/lo >= logXRatio {
		xmin = math.Floor(math.Log10(lo / 1.2))
		xf = func(x float64) float64 { return math.Max(math.Log10(x), xmin) }
		xmax = math.Log10(xmax * 1.3)
		p.X.Tick.Marker = log10Ticks{}
		p.X.Label.Text = "time from Connect to onSuccess (s, log scale)"
	} else {
		xmax *= 1.06
	}
	leg := newLegend()
	for i, pts := range curves {
		for j := range pts {
			pts[j].X = xf(pts[j].X)
		}
		// Carry the plateau on to the right edge.
		pts = append(pts, plotter.XY{X: xmax, Y: pts[len(pts)-1].Y})
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = Color(i)
		l.Width = vg.Points(1.8)
		p.Add(l)
		leg.Add(series[i].Label+": "+sharePercent(pts[len(pts)-1].Y)+" connected", l)
	}
	slices.Sort(limits)
	for i, lim := range limits {
		m := &vline{X: xf(lim.Seconds()), Label: "time limit " + lim.String(), Level: i}
		p.Add(m)
		if i == 0 {
			leg.Add("time limit", m)
		}
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = 0, 1.02
	f := &Figure{Plot: p, Caption: caption, Width: defaultWidth, Height: defaultHeight}
	if len(series) > 1 || len(limits) > 0 || series[0].Label != "" {
		f.Legend = leg
	}
	return f, nil
}

// logXRatio is the span of times (largest over smallest positive) from
// which the time-to-connect figure uses a log time axis.
const logXRatio = 1000

// smallestPositive returns the smallest positive x of the curves' corners,
// or 0 if there is none.
func smallestPositive(curves []plotter.XYs) float64 {
	lo := 0.0
	for _, c := range curves {
		for _, q := range c {
			if q.X > 0 && (lo == 0 || q.X < lo) {
				lo = q.X
			}
		}
	}
	return lo
}

// sharePercent prints a share as a percentage with one decimal, never
// rounding a share short of 1 up to 100% or a positive one down to 0%.
func sharePercent(v float64) string {
	switch {
	case v < 1 && v >= 0.9995:
		return ">99.9%"
	case v > 0 && v < 0.0005:
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}
