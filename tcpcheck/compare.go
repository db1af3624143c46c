package tcpcheck

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/rcsim/connsim/netmodel"
)

// KSThreshold is the largest Kolmogorov-Smirnov distance between gVisor's
// distribution and the model's that the validation accepts (issue 11).
const KSThreshold = 0.05

// ModelSeconds returns the simulator's TCP model on the same network,
// netmodel.Params.AttemptTCP with p.Net (transport forced to tcp) and p's
// steps (FirstAnswerTCP by default), for
// trials 0..n-1 of seed: times in seconds, sorted ascending, +Inf for each
// trial whose connection gave up. It is the model's side of the
// comparison, in the form Seconds gives gVisor's.
func ModelSeconds(p Params, seed uint64, n int) []float64 {
	np := p.Net
	np.Transport = netmodel.TransportTCP
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Inf(1)
		if d, ok := np.AttemptTCP(seed, i, p.Navi, max(p.Exchanges, 1)); ok {
			xs[i] = d.Seconds()
		}
	}
	slices.Sort(xs)
	return xs
}

// Gap is where two empirical CDFs are furthest apart.
type Gap struct {
	KS   float64 // the Kolmogorov-Smirnov distance, sup |A(x) - B(x)|
	At   float64 // the x (seconds) of the largest difference; +Inf if only failures differ
	A, B float64 // the two CDFs at At
}

// Compare returns the Kolmogorov-Smirnov distance between sorted samples a
// and b (gonum's stat.KolmogorovSmirnov; +Inf values are failures, mass no
// finite time reaches) and the smallest x where it is attained.
func Compare(a, b []float64) Gap {
	g := Gap{KS: stat.KolmogorovSmirnov(a, nil, b, nil), At: math.Inf(1)}
	best := -1.0
	cdf := func(xs []float64, x float64) float64 {
		i, _ := slices.BinarySearch(xs, math.Nextafter(x, math.Inf(1)))
		return float64(i) / float64(len(xs))
	}
	xs := slices.Concat(a, b)
	slices.Sort(xs)
	for _, x := range xs { // ascending: the first (smallest) x of the largest gap wins
		if math.IsInf(x, 1) {
			break
		}
		if d := math.Abs(cdf(a, x) - cdf(b, x)); d > best {
			best, g.At, g.A, g.B = d, x, cdf(a, x), cdf(b, x)
		}
	}
	return g
}
