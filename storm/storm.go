package storm

import "sync"

// Run runs one storm with parameters p, which must be valid.
func Run(p Params) (*Result, error) {
	w := newWorld(p)
	if err := w.run(); err != nil {
		return nil, err
	}
	return w.result(), nil
}

// RunAll runs one storm per parameter set on up to workers goroutines and
// returns the results in the order of ps, labelled with labels. Each
// storm depends only on its own parameters, so the results do not depend
// on workers. The first error (in the order of ps) wins.
func RunAll(ps []Params, labels []string, workers int) ([]Labelled, error) {
	out := make([]Labelled, len(ps))
	errs := make([]error, len(ps))
	sem := make(chan struct{}, max(1, workers))
	var wg sync.WaitGroup
	for i := range ps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := Run(ps[i])
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
