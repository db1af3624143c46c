package netmodel

import "math/rand/v2"

// Stream is the random stream the network draws from: a trial's PCG and
// a *rand.Rand over it. Every draw takes the stream's next value,
// whichever of the two takes it, so the draws' order and values are those
// of R alone. Send's loss draw takes PCG's value directly: PCG.Uint64
// inlines where R.Uint64 is an interface call.
//
// Invariant: PCG is nil or R's source. With PCG nil every draw goes
// through R (a test's scripted source).
type Stream struct {
	PCG *rand.PCG
	R   *rand.Rand
}

// NewStream returns the stream of p; it allocates R.
func NewStream(p *rand.PCG) Stream { return Stream{PCG: p, R: rand.New(p)} }

// StreamOf returns the stream of r: every draw goes through r.
func StreamOf(r *rand.Rand) Stream { return Stream{R: r} }

// uint64 returns the stream's next value: one draw.
func (s Stream) uint64() uint64 {
	if s.PCG != nil {
		return s.PCG.Uint64()
	}
	return s.R.Uint64()
}

// float64 is R.Float64 (the same formula on the same draw).
func (s Stream) float64() float64 { return float64(s.uint64()<<11>>11) / (1 << 53) }
