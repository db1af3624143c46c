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
// limits marked by dashed vertical lines. caption should give the
// parameters and seed.
func TTCCDF(series []TTCSeries, caption string) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: time-to-connect figure with no series")
	}
	p := newPlot("Time to connect (first Connect call)",
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
	xmax *= 1.06
	leg := newLegend()
	for i, pts := range curves {
		// Carry the plateau on to the right edge.
		pts = append(pts, plotter.XY{X: xmax, Y: pts[len(pts)-1].Y})
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = Color(i)
		l.Width = vg.Points(1.8)
		p.Add(l)
		leg.Add(fmt.Sprintf("%s: %.1f%% connected", series[i].Label, 100*pts[len(pts)-1].Y), l)
	}
	slices.Sort(limits)
	for i, lim := range limits {
		m := &vline{X: lim.Seconds(), Label: "time limit " + lim.String(), Level: i}
		p.Add(m)
		if i == 0 {
			leg.Add("time limit", m)
		}
	}
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = 0, 1.02
	f := &Figure{Plot: p, Caption: caption, Width: defaultWidth, Height: defaultHeight}
	if len(series) > 1 || len(limits) > 0 {
		f.Legend = leg
	}
	return f, nil
}
