package plots

import (
	"fmt"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// AttemptCounts returns the histogram of attempts per trial: counts[k] is
// the number of trials that started exactly k attempts, for k from 0 to
// the largest value in attempts. The counts sum to len(attempts).
func AttemptCounts(attempts []int) ([]int, error) {
	hi := 0
	for _, a := range attempts {
		if a < 0 {
			return nil, fmt.Errorf("plots: negative attempt count %d", a)
		}
		hi = max(hi, a)
	}
	counts := make([]int, hi+1)
	for _, a := range attempts {
		counts[a]++
	}
	return counts, nil
}

// AttemptsHistogram returns the attempts-per-trial figure: one bar per
// number of attempts, from the smallest to the largest observed, each
// labelled with its number of trials (so a bar of 3 trials out of 10,000
// can still be read). attempts holds one entry per trial.
func AttemptsHistogram(attempts []int, caption string) (*Figure, error) {
	if len(attempts) == 0 {
		return nil, fmt.Errorf("plots: attempts histogram of no trials")
	}
	counts, err := AttemptCounts(attempts)
	if err != nil {
		return nil, err
	}
	return AttemptsHistogramCounts(counts, caption)
}

// AttemptsHistogramCounts is AttemptsHistogram from the histogram itself:
// counts[k] trials started k attempts (AttemptCounts), so that a run of any
// size draws it without one entry per trial.
func AttemptsHistogramCounts(counts []int, caption string) (*Figure, error) {
	total := 0
	for _, n := range counts {
		if n < 0 {
			return nil, fmt.Errorf("plots: negative count %d", n)
		}
		total += n
	}
	if total == 0 {
		return nil, fmt.Errorf("plots: attempts histogram of no trials")
	}
	lo := 0
	for counts[lo] == 0 {
		lo++
	}
	hi := len(counts) - 1
	p := newPlot("Attempts per trial", "attempts started in the trial (count)", "trials (count)")
	h := &plotter.Histogram{FillColor: tint(Color(0), 0.75)}
	h.LineStyle = draw.LineStyle{Color: Color(0), Width: vg.Points(1)}
	var lab plotter.XYLabels
	peak := 0
	for k := lo; k <= hi; k++ {
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: float64(k) - 0.4, Max: float64(k) + 0.4, Weight: float64(counts[k])})
		lab.XYs = append(lab.XYs, plotter.XY{X: float64(k), Y: float64(counts[k])})
		lab.Labels = append(lab.Labels, strconv.Itoa(counts[k]))
		peak = max(peak, counts[k])
	}
	h.Width = 0.8
	p.Add(h)
	labels, err := plotter.NewLabels(lab)
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i] = textStyle(tickSize, false, Color(roleNeutral), draw.XCenter, draw.YBottom)
	}
	labels.Offset = vg.Point{Y: vg.Points(2)}
	p.Add(labels)
	p.X.Min, p.X.Max = float64(lo)-0.7, float64(hi)+0.7
	p.Y.Min, p.Y.Max = 0, float64(peak)*1.12+1
	p.X.Tick.Marker = intTicks{}
	return &Figure{Plot: p, Caption: caption, Width: defaultWidth, Height: defaultHeight}, nil
}
