package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SuccessPoint is one measured point of a success-against-loss curve.
type SuccessPoint struct {
	Loss float64 // per-message loss probability of the run, 0..1
	Rate float64 // share of first Connect calls that succeeded within the time limit, 0..1
	Lo   float64 // lower end of Rate's 95% interval (e.g. run.Summary.CILow)
	Hi   float64 // upper end of Rate's 95% interval (e.g. run.Summary.CIHigh)
}

// OverlayPoint is one point of a reference curve drawn over the measured
// one, e.g. the analytic success probability at that loss.
type OverlayPoint struct {
	Loss float64 // 0..1
	Rate float64 // 0..1
}

// SuccessSeries is one curve of the success-against-loss figure: the runs
// of one time limit across losses.
type SuccessSeries struct {
	// Label is the legend text of the measured curve, e.g. "time limit 5s"
	// or "no time limit".
	Label string
	// Points are the measured runs, one per loss, in any order (they are
	// drawn sorted by loss). 0 <= Lo <= Rate <= Hi <= 1 must hold, up to
	// 1e-9 of rounding.
	Points []SuccessPoint
	// Overlay, if not empty, is drawn as a dashed line in a darker shade of
	// the series colour: the curve the measurement should follow where a model
	// applies (for example the closed form of the success probability).
	// Any number of points, in any order, not necessarily at the measured
	// losses; nil draws nothing.
	Overlay []OverlayPoint
}

// seriesShapes are the markers of the measured points, series by series.
var seriesShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{}, ringGlyph{}, squareGlyph{}, strokeGlyph{}}

var overlayDashes = []vg.Length{vg.Points(4), vg.Points(2.5)}

// OverlayLegend is the legend text of the dashed overlay curves of
// SuccessVsLoss.
const OverlayLegend = "analytic model (dashed)"

// SuccessVsLoss returns the sweep figure: the share of first logins that
// succeed within the time limit, against the loss probability, one curve
// per series (series i in Color(i), solid, with its own marker shape at
// each measured point), its 95% interval drawn as a shaded band, and its
// Overlay, if any, as a dashed line in a darker shade of that colour. The
// legend sits beside the data. The y axis runs from 0 to 1, the x axis
// over the losses given. caption should give the parameters common to
// every point, the number of trials per point and the seed.
//
// Typical use, from a sweep's summaries:
//
//	var series []plots.SuccessSeries
//	for _, lim := range limits {
//		s := plots.SuccessSeries{Label: "time limit " + lim.String()}
//		for _, r := range runsOf(lim) {
//			s.Points = append(s.Points, plots.SuccessPoint{Loss: r.Loss,
//				Rate: r.Sum.SuccessRate, Lo: r.Sum.CILow, Hi: r.Sum.CIHigh})
//		}
//		s.Overlay = analyticCurve(lim) // optional
//		series = append(series, s)
//	}
//	fig, err := plots.SuccessVsLoss(series, "seed 1, 20000 trials per point, latency 50ms")
//	if err == nil {
//		err = fig.Save("sweep.png") // or .svg; written atomically
//	}
func SuccessVsLoss(series []SuccessSeries, caption string) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: success-against-loss figure with no series")
	}
	p := newPlot("Success of the first Connect within the time limit",
		"loss (probability that a message is lost, each direction)", "share of first logins connected in time")
	leg := newLegend()
	xmin, xmax := math.Inf(1), math.Inf(-1)
	overlays := false
	for i, s := range series {
		pts := slices.Clone(s.Points)
		slices.SortStableFunc(pts, func(a, b SuccessPoint) int { return cmp.Compare(a.Loss, b.Loss) })
		for j := range pts {
			q := &pts[j]
			// Forgive rounding in the interval's ends (a Wilson interval
			// computed in floating point can end a hair past the rate).
			if q.Lo > q.Rate && q.Lo-q.Rate < 1e-9 {
				q.Lo = q.Rate
			}
			if q.Hi < q.Rate && q.Rate-q.Hi < 1e-9 {
				q.Hi = q.Rate
			}
			if !(q.Loss >= 0 && q.Loss <= 1) || !(q.Lo <= q.Rate && q.Rate <= q.Hi) || q.Lo < 0 || q.Hi > 1 {
				return nil, fmt.Errorf("plots: series %q: bad point %+v (want 0 <= loss <= 1, 0 <= lo <= rate <= hi <= 1)", s.Label, q)
			}
			xmin, xmax = math.Min(xmin, q.Loss), math.Max(xmax, q.Loss)
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("plots: series %q has no points", s.Label)
		}
		band := make(plotter.XYs, 0, 2*len(pts))
		line := make(plotter.XYs, len(pts))
		for j, q := range pts {
			band = append(band, plotter.XY{X: q.Loss, Y: q.Hi})
			line[j] = plotter.XY{X: q.Loss, Y: q.Rate}
		}
		for j := len(pts) - 1; j >= 0; j-- {
			band = append(band, plotter.XY{X: pts[j].Loss, Y: pts[j].Lo})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, err
		}
		poly.Color = translucent(Color(i), 0.22)
		poly.LineStyle = draw.LineStyle{Color: translucent(Color(i), 0.5), Width: vg.Points(0.5)}
		l, sc, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = Color(i), vg.Points(1.6)
		// Each series its own marker, earlier ones larger, so that curves
		// that coincide (two time limits that fit the same attempts) stay
		// visible under each other.
		sc.Color, sc.Shape = Color(i), seriesShapes[i%len(seriesShapes)]
		sc.Radius = vg.Points(2.6 + 0.7*float64(len(series)-1-i))
		p.Add(poly, l, sc)
		leg.Add(s.Label, poly, l, sc)
		if len(s.Overlay) > 0 {
			ov := slices.Clone(s.Overlay)
			slices.SortStableFunc(ov, func(a, b OverlayPoint) int { return cmp.Compare(a.Loss, b.Loss) })
			xys := make(plotter.XYs, len(ov))
			for j, q := range ov {
				if !(q.Rate >= 0 && q.Rate <= 1) || !(q.Loss >= 0 && q.Loss <= 1) {
					return nil, fmt.Errorf("plots: series %q: bad overlay point %+v", s.Label, q)
				}
				xys[j] = plotter.XY{X: q.Loss, Y: q.Rate}
				xmin, xmax = math.Min(xmin, q.Loss), math.Max(xmax, q.Loss)
			}
			o, err := plotter.NewLine(xys)
			if err != nil {
				return nil, err
			}
			// A darker shade of the series colour: it shows on top of the
			// measured line where the two agree, and says whose it is.
			o.Color, o.Width, o.Dashes = shade(Color(i), 0.55), vg.Points(1.2), overlayDashes
			p.Add(o)
			overlays = true
		}
	}
	if overlays {
		o := &plotter.Line{LineStyle: draw.LineStyle{Color: grey, Width: vg.Points(1.2), Dashes: overlayDashes}}
		leg.Add(OverlayLegend, o)
	}
	band := &plotter.Polygon{Color: translucent(Color(roleNeutral), 0.15)}
	leg.Add("shaded: 95% interval", band)
	pad := 0.02 * math.Max(xmax-xmin, 0.1)
	p.X.Min, p.X.Max = math.Max(0, xmin-pad), math.Min(1, xmax+pad)
	if p.X.Max <= p.X.Min {
		p.X.Min, p.X.Max = xmin-0.05, xmax+0.05
	}
	p.Y.Min, p.Y.Max = 0, 1.02
	return &Figure{Plot: p, Legend: leg, Caption: caption, Width: defaultWidth + 1.5*vg.Inch, Height: defaultHeight}, nil
}
