package main

import (
	"fmt"
	"slices"

	"github.com/rcsim/connsim/grid"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/plots"
	"github.com/rcsim/connsim/sweep"
)

// checkSweepPlot validates --plot before the sweep runs.
func checkSweepPlot(path string) error {
	if path == "" {
		return nil
	}
	if _, err := plots.FormatOf(path); err != nil {
		return usageError{fmt.Errorf("--plot %s: %v", path, err)}
	}
	return checkWritableDir("--plot", path)
}

// sweepPlotFigure is the sweep figure: success within the time limit
// against loss, one curve per time limit with its 95% band, and the closed
// form dashed where it applies. cmdline, the command that made it, ends the
// caption.
func sweepPlotFigure(rows []sweep.Row, axes sweep.NetAxes, base model.Params, seed uint64, trials int, cmdline string) (*plots.Figure, error) {
	var series []plots.SuccessSeries
	var labels []string
	lo, hi := lossRange(rows)
	multiPolicy := false // several policies: each curve names its own
	for _, r := range rows {
		multiPolicy = multiPolicy || r.Policy != rows[0].Policy
	}
	for k := range rows {
		r := &rows[k]
		label := axes.SeriesLabel(r)
		if multiPolicy {
			label = r.Policy + ", " + label
		}
		i := slices.Index(labels, label)
		if i < 0 {
			labels = append(labels, label)
			series = append(series, plots.SuccessSeries{Label: label})
			i = len(series) - 1
		}
		s := &series[i]
		// run.Wilson can round an end a hair past the rate (hi
		// 0.9999999999999998 at rate 1); the figure wants lo <= rate <= hi.
		s.Points = append(s.Points, plots.SuccessPoint{Loss: r.Loss, Rate: r.Summary.SuccessRate,
			Lo: min(r.Summary.CILow, r.Summary.SuccessRate), Hi: max(r.Summary.CIHigh, r.Summary.SuccessRate)})
		if r.HasAnalytic && s.Overlay == nil {
			s.Overlay = grid.AnalyticOverlay(r.Params, lo, hi)
		}
	}
	caption := fmt.Sprintf("%d trials per point, seed %d; latency %s, jitter %s, attempt timeout %s, horizon %s, server unavailable %g.",
		trials, seed, base.Net.Latency, base.Net.Jitter, base.Client.AttemptTimeout, base.Horizon, base.Net.ServerUnavailable)
	if axes.Points() > 1 {
		caption += " Loss is per message (message) or per packet (tcp); burst:B is a Gilbert chain with mean burst B at the same average loss."
	}
	if len(rows) > 0 && rows[0].HasAnalytic {
		caption += " Dashed: closed form (package analytic)."
	} else {
		caption += " No closed form: it needs --jitter 0, --server-unavailable 0, no quirk and no scenario."
	}
	caption += "\n" + cmdline
	return plots.SuccessVsLoss(series, caption)
}

// lossRange returns the smallest and largest loss of rows.
func lossRange(rows []sweep.Row) (lo, hi float64) {
	lo, hi = rows[0].Loss, rows[0].Loss
	for _, r := range rows {
		lo, hi = min(lo, r.Loss), max(hi, r.Loss)
	}
	return lo, hi
}
