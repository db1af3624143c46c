package netmodel

import (
	"testing"
	"time"
)

func BenchmarkSend(b *testing.B) {
	cases := []struct {
		name string
		p    Params
	}{
		{"defaults", DefaultParams()},
		{"loss", Params{Loss: 0.1, Latency: 50 * time.Millisecond}},
		{"loss+uniform", Params{Loss: 0.1, Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}},
		{"loss+normal", Params{Loss: 0.1, Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, JitterDist: DistNormal}},
		{"loss+exponential", Params{Loss: 0.1, Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, JitterDist: DistExponential}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var n Net
			n.Reset(c.p, 8)
			rng := newRNG(1)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				n.Send(rng, i&7, DirUp)
			}
		})
	}
}

// BenchmarkFirstAnswerTCP: one TCP connect, request and answer of the
// model (what the gVisor validation samples), at three losses.
func BenchmarkFirstAnswerTCP(b *testing.B) {
	for _, loss := range []float64{0.1, 0.3, 0.5} {
		b.Run(ftoa(loss), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				FirstAnswerTCP(loss, 50*time.Millisecond, 1, i)
			}
		})
	}
}
