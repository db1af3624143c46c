package netmodel

import "math"

// A cut is how a path decides a message's loss without a float: the loss
// model resolved once, where the model is given to the path, instead of at
// every message.
//
//   - cutNever (0): Bernoulli(p) with p <= 0 (or NaN): never lost, no draw;
//   - 1 <= c <= 2^53: Bernoulli(p) with 0 < p < 1: one draw u, lost when
//     u & (2^53-1) < c (see cutOf: exactly when rand.Rand.Float64() < p);
//   - cutAlways: Bernoulli(p) with p >= 1: always lost, no draw;
//   - cutGE: a GE chain, drawn by GE.next.
const (
	cutNever  uint64 = 0
	cutDraws  uint64 = 1 << 53 // the cuts that draw are 1..cutDraws
	cutAlways        = cutDraws + 1
	cutGE            = cutDraws + 2
	lowBits          = 1<<53 - 1 // the bits of a Uint64 that Float64 keeps
)

// cutOf returns the cut of model m.
//
// For 0 < p < 1 it is ceil(p * 2^53), in [1, 2^53]. rand.Rand.Float64
// returns x/2^53 with x = Uint64() & (2^53-1), an integer below 2^53.
// Both x/2^53 and p*2^53 are exact (scaling by a power of two, with no
// overflow and, for the product of a subnormal p, no rounding), so
// x/2^53 < p exactly when x < p*2^53, which for an integer x is
// x < ceil(p*2^53).
func cutOf(m *LossModel) uint64 {
	if m.Kind == KindGE {
		return cutGE
	}
	p := m.Loss
	switch {
	case !(p > 0):
		return cutNever
	case p >= 1:
		return cutAlways
	}
	return uint64(math.Ceil(p * (1 << 53)))
}

// cutLoses reports whether draw u loses a message of a cut that draws.
func cutLoses(c, u uint64) bool { return u&lowBits < c }

// drawsLoss reports whether cut c is a Bernoulli loss that draws.
func drawsLoss(c uint64) bool { return c-1 < cutDraws }
