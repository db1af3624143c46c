package storm

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
