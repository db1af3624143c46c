package plots

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// StormSeries is one storm's time series: one curve per storm (one
// reconnection policy, say) in the storm figures.
type StormSeries struct {
	Label string // legend text, e.g. "policy rc"
	// T holds each bin's start, Connected the clients connected at its
	// end, Attempts the attempts started in it.
	T         []time.Duration
	Connected []int
	Attempts  []int
	Clients   int           // the storm's clients: Connected is shown as a share of them
	Bin       time.Duration // the bins' width: Attempts is shown per second
	// Pulls holds the message pulls that reached the server in each bin
	// (StormPulls); nil for a storm without messages.
	Pulls []int
}

// Outage marks the outage window on the storm figures; To <= From: none.
type Outage struct{ From, To time.Duration }

// StormConnected returns the connected-share figure: the share of clients
// CONNECTED against time, one curve per series (dashed from the second
// on, so that coinciding curves stay visible), the outage shaded.
func StormConnected(series []StormSeries, out Outage, caption string) (*Figure, error) {
	f, err := stormFigure(series, out, caption, "Reconnect storm: clients connected",
		"share of clients connected", true, func(s StormSeries, i int) float64 {
			return float64(s.Connected[i]) / float64(s.Clients)
		})
	if err == nil {
		f.Plot.Y.Max = 1.05
	}
	return f, err
}

// StormAttempts returns the attempt-rate figure: connection attempts per
// second against time on a log scale (rates span 1 to millions per
// second), one solid curve per series, the outage shaded. A bin with no
// attempt is drawn at the axis' floor, one attempt per second.
func StormAttempts(series []StormSeries, out Outage, caption string) (*Figure, error) {
	f, err := stormFigure(series, out, caption, "Reconnect storm: attempts reaching for the server",
		"attempts started per second (log scale)", false, func(s StormSeries, i int) float64 {
			return math.Log10(max(1, float64(s.Attempts[i])/s.Bin.Seconds()))
		})
	if err == nil {
		f.Plot.Y.Tick.Marker = log10Ticks{}
		f.Plot.Y.Max = math.Ceil(f.Plot.Y.Max)
	}
	return f, err
}

// StormPulls returns the server's pull-load figure: message pulls reaching
// the server per second against time on a log scale, one solid curve per
// series, the outage shaded: after an outage, each reconnecting client
// pulls what was stored for it. A bin with no pull is drawn at the axis'
// floor, one pull per second. Every series must have Pulls.
func StormPulls(series []StormSeries, out Outage, caption string) (*Figure, error) {
	for _, s := range series {
		if len(s.Pulls) != len(s.T) {
			return nil, fmt.Errorf("plots: storm series %q has no pulls (a storm without messages)", s.Label)
		}
	}
	f, err := stormFigure(series, out, caption, "Reconnect storm: message pulls reaching the server",
		"pulls per second (log scale)", false, func(s StormSeries, i int) float64 {
			return math.Log10(max(1, float64(s.Pulls[i])/s.Bin.Seconds()))
		})
	if err == nil {
		f.Plot.Y.Tick.Marker = log10Ticks{}
		f.Plot.Y.Max = math.Ceil(f.Plot.Y.Max)
	}
	return f, err
}

func stormFigure(series []StormSeries, out Outage, caption, title, yLabel string, dashed bool, y func(StormSeries, int) float64) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: storm figure with no series")
	}
	p := newPlot(title, "virtual time (s)", yLabel)
	leg := newLegend()
	ymax, xmax := 0.0, 0.0
	if out.To > out.From {
		sh := &offlineShade{Windows: []window{{T0: out.From.Seconds(), T1: out.To.Seconds()}}}
		p.Add(sh)
		leg.Add("outage", sh)
	}
	for k, s := range series {
		if len(s.T) == 0 || len(s.T) != len(s.Connected) || len(s.T) != len(s.Attempts) || s.Clients < 1 || s.Bin <= 0 {
			return nil, fmt.Errorf("plots: storm series %q is empty or inconsistent", s.Label)
		}
		pts := make(plotter.XYs, len(s.T))
		for i, t := range s.T {
			pts[i] = plotter.XY{X: (t + s.Bin).Seconds(), Y: y(s, i)}
			ymax = max(ymax, pts[i].Y)
		}
		xmax = max(xmax, pts[len(pts)-1].X)
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		l.Color = Color(k)
		l.Width = vg.Points(1.4)
		if dashed {
			l.Dashes = seriesDashes(k)
		}
		p.Add(l)
		leg.Add(s.Label, l)
	}
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = 0, max(ymax*1.05, 1e-9)
	f := &Figure{Plot: p, Caption: caption, Width: defaultWidth, Height: defaultHeight}
	if len(series) > 1 || series[0].Label != "" {
		f.Legend = leg
	}
	return f, nil
}

// seriesDashes tells coinciding curves apart: series 0 solid, later ones
// dashed with growing gaps.
func seriesDashes(k int) []vg.Length {
	if k == 0 {
		return nil
	}
	return []vg.Length{vg.Points(6), vg.Points(float64(2 * k))}
}
