package storm

import "sync"

// DefaultMaxEvents is the default event budget of one storm: about five
// minutes of CPU on these machines. The README's target storm (a million
// clients through a two-minute restart) needs about a tenth of it.
const DefaultMaxEvents = 1_000_000_000

// Run runs one storm with parameters p (which must be valid) and at most
// maxEvents events (<= 0: DefaultMaxEvents).
func Run(p Params, maxEvents int64) (*Result, error) {
	if maxEvents <= 0 {
		maxEvents = DefaultMaxEvents
	}
	w := newWorld(p, maxEvents)
	if err := w.run(); err != nil {
		return nil, err
	}
	return w.result(), nil
}

// RunAll runs one storm per parameter set on up to workers goroutines and
// returns the results in the order of ps, labelled with labels. Each
// storm depends only on its own parameters, so the results do not depend
// on workers. The first error (in the order of ps) wins.
func RunAll(ps []Params, labels []string, workers int, maxEvents int64) ([]Labelled, error) {
	out := make([]Labelled, len(ps))
	errs := make([]error, len(ps))
	sem := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for i := range ps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := Run(ps[i], maxEvents)
			out[i], errs[i] = Labelled{Label: labels[i], Result: r}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
