package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels an axis at a round step (1, 2 or 5 times a power of
// ten) chosen for 5 to 10 labels, with unlabelled minor ticks between.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 1)}}
	}
	step := niceStep(hi-lo, 8)
	minor := step / 5
	if m := step / math.Pow(10, math.Floor(math.Log10(step))); m == 2 {
		minor = step / 4
	}
	var ts []plot.Tick
	first := math.Ceil(lo/minor-1e-9) * minor
	for i := 0; ; i++ {
		v := first + float64(i)*minor
		if v > hi+minor*1e-6 {
			break
		}
		k := math.Round(v / step)
		if math.Abs(v-k*step) < minor*1e-6 {
			v = k * step
			ts = append(ts, plot.Tick{Value: v, Label: formatTick(v, step)})
		} else {
			ts = append(ts, plot.Tick{Value: v})
		}
	}
	return ts
}

// niceStep returns the round step that cuts span into at most about n parts.
func niceStep(span float64, n int) float64 {
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// formatTick prints v with as many decimals as step needs.
func formatTick(v, step float64) string {
	if v == 0 {
		return "0"
	}
	d := 0
	for s := step; d < 6 && math.Abs(s-math.Round(s)) > 1e-9; s *= 10 {
		d++
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

// intTicks marks whole numbers only, at a step of 1, 2, 5, 10, 20, ... so
// that there are at most about 12 labels.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := int(math.Ceil(lo)), int(math.Floor(hi))
	step := 1
	for _, m := range []int{2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000} {
		if (b-a)/step <= 12 {
			break
		}
		step = m
	}
	var ts []plot.Tick
	for v := a; v <= b; v++ {
		if v%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
		}
	}
	return ts
}

// log10Ticks marks an axis whose values are log10 of the quantity: each
// whole exponent k is labelled with 10^k, and log10(m 10^k) for m = 2..9
// gets an unlabelled minor tick.
type log10Ticks struct{}

func (log10Ticks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for k := math.Floor(lo); k <= hi; k++ {
		for m := 1; m < 10; m++ {
			v := k + math.Log10(float64(m))
			if v < lo-1e-9 || v > hi+1e-9 {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = strconv.FormatFloat(math.Pow(10, k), 'g', -1, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}
