package tcpcheck

import (
	"math"
	"slices"
	"sync"
)

// Sample runs trials 0..n-1 of a measurement on up to workers goroutines
// (at least one). Result i is trial i's, so the output does not depend on
// workers. It returns the first error by trial number.
func Sample(p Params, seed uint64, n, workers int) ([]Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := make([]Result, n)
	errs := make([]error, n)
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = Trial(p, seed, i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Seconds returns the trials' times in seconds, sorted ascending, with
// +Inf for each failed trial: the form gonum's stat.KolmogorovSmirnov
// takes, where a failure is mass that no finite time reaches.
func Seconds(rs []Result) []float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = math.Inf(1)
		if r.OK {
			xs[i] = r.Time.Seconds()
		}
	}
	slices.Sort(xs)
	return xs
}
