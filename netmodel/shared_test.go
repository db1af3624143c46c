package netmodel

import (
	"math"
	"testing"
	"time"
)

// TestSharedAgreesWithNet sends the same messages over a Net's links and a
// Shared network's devices, with two RNGs of one seed, taking devices
// down and up: every verdict, delay and draw is the same (the Net's
// stream draws from its PCG, the Shared's through a *rand.Rand).
func TestSharedAgreesWithNet(t *testing.T) {
	ms := time.Millisecond
	ge := LossModel{Kind: KindGE, GE: GE{P: 0.1, R: 0.4, LossBad: 0.9, LossGood: 0.05}}
	for _, p := range []Params{
		DefaultParams(),
		{Loss: 0.3, Latency: 20 * ms, Jitter: 10 * ms, JitterDist: DistExponential},
		{Loss: 1, Latency: ms},
		{Loss: math.NaN(), Latency: -ms},
		{LossModel: ge, Latency: 5 * ms, Jitter: ms},
		{Loss: 0.2, LossModel: LossModel{Kind: KindBurst, Burst: 3}},
		{Loss: 0.1, LossDown: ge},
	} {
		const devs = 5
		var n Net
		n.Reset(p, devs)
		var s Shared
		s.Reset(&p)
		bits := make([]Bits, devs)
		ra, rb := newRNG(7), newRand(7)
		for i := range 4000 {
			dev, dir := i%devs, Dir(i/devs%2)
			if i%97 == 0 {
				n.Down(dev)
				bits[dev] |= BitDown
			}
			if i%97 == 13 {
				n.Up(dev)
				bits[dev] &^= BitDown
			}
			v, d, _ := n.Send(ra, dev, dir)
			sv, sd := s.Send(rb, &bits[dev], dir)
			if v != sv || d != sd {
				t.Fatalf("%+v: message %d: Net %v %v, Shared %v %v", p, i, v, d, sv, sd)
			}
		}
		if ra.R.Uint64() != rb.R.Uint64() {
			t.Fatalf("%+v: the two drew different numbers of values", p)
		}
	}
}
