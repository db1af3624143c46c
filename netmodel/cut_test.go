package netmodel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fixedSource returns u at every draw.
type fixedSource struct{ u uint64 }

func (f *fixedSource) Uint64() uint64 { return f.u }

// cutProbabilities are the loss probabilities TestCutIsFloat64 checks:
// the edges of (0,1), multiples of 2^-53 and their neighbours, and
// subnormals.
func cutProbabilities() []float64 {
	ps := []float64{math.SmallestNonzeroFloat64, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-17,
		0.1, 0.25, 0.3, 1.0 / 3, 0.5, 0.7, 0.9, 0.999999, math.Nextafter(1, 0)}
	for _, k := range []uint64{1, 2, 3, 1000, 1 << 30, 1<<52 - 1, 1 << 52, 1<<52 + 1, 3 << 50, 1<<53 - 2, 1<<53 - 1} {
		p := float64(k) / (1 << 53)
		ps = append(ps, p, math.Nextafter(p, 0), math.Nextafter(p, 1))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		ps = append(ps, r.Float64())
		// any bit pattern in (0,1), subnormals included
		ps = append(ps, math.Float64frombits(r.Uint64N(math.Float64bits(1))))
	}
	return ps
}

// TestCutIsFloat64: a Bernoulli path's integer comparison (a draw u is
// lost when u & (2^53-1) < cutOf) decides exactly as rand.Rand.Float64()
// < p does, at the cut, on either side of it, at the ends of the 53-bit
// range and at random draws of all 64 bits; p <= 0, NaN and p >= 1 draw
// nothing.
func TestCutIsFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	src := &fixedSource{}
	f := rand.New(src)
	for _, p := range cutProbabilities() {
		if !(p > 0 && p < 1) {
			continue
		}
		m := Bernoulli(p)
		c := cutOf(&m)
		if !drawsLoss(c) {
			t.Fatalf("p %v: cut %d does not draw", p, c)
		}
		us := []uint64{0, 1, c - 2, c - 1, c, c + 1, lowBits - 1, lowBits, math.MaxUint64}
		for _, u := range us[:len(us):len(us)] {
			us = append(us, u|^uint64(lowBits), u^1<<60) // high bits Float64 drops
		}
		for range 64 {
			us = append(us, r.Uint64())
		}
		for _, u := range us {
			src.u = u
			if want, got := f.Float64() < p, cutLoses(c, u); got != want {
				t.Fatalf("p %v (cut %d), draw %#x: cut says lost %v, Float64 %v", p, c, u, got, want)
			}
		}
		n := netOf(m)
		for _, u := range []uint64{c - 1, c} {
			src.u = u
			if v, _, _ := n.Send(StreamOf(f), 0, DirUp); (v == DropLoss) != (u < c) {
				t.Fatalf("p %v (cut %d), draw %#x: verdict %v, want lost %v", p, c, u, v, u < c)
			}
		}
	}
	for _, tt := range []struct {
		m    LossModel
		want uint64
	}{
		{Bernoulli(0), cutNever},
		{Bernoulli(-1), cutNever},
		{Bernoulli(math.NaN()), cutNever},
		{Bernoulli(1), cutAlways},
		{Bernoulli(2), cutAlways},
		{Bernoulli(math.Inf(1)), cutAlways},
		{LossModel{Kind: KindGE, GE: GE{P: 0.1, R: 0.2, LossBad: 1}}, cutGE},
	} {
		if c := cutOf(&tt.m); c != tt.want || drawsLoss(c) {
			t.Errorf("%+v: cut %d (draws %v), want %d, no draw", tt.m, c, drawsLoss(c), tt.want)
		}
	}
}
