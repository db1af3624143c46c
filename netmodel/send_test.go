package netmodel

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// newRNG returns a stream over a PCG of seed; newRand one over the same
// PCG that draws through its *rand.Rand only.
func newRNG(seed uint64) Stream { return NewStream(newPCG(seed)) }

func newRand(seed uint64) Stream { return StreamOf(rand.New(newPCG(seed))) }

func newPCG(seed uint64) *rand.PCG { return rand.NewPCG(seed, 0x9e3779b97f4a7c15) }

// countingSource counts how many values the RNG consumed.
type countingSource struct {
	src rand.Source
	n   int
}

func (c *countingSource) Uint64() uint64 { c.n++; return c.src.Uint64() }

// counted returns a stream of each kind over PCGs of one seed and a
// function that reports how many values each has drawn since.
func counted(seed uint64) (pcg, viaRand Stream, draws func() (int, int)) {
	src := &countingSource{src: newPCG(seed)}
	pcg, viaRand = newRNG(seed), StreamOf(rand.New(src))
	from := *pcg.PCG
	return pcg, viaRand, func() (int, int) { return pcgDraws(from, *pcg.PCG), src.n }
}

// pcgDraws returns how many values a PCG drew to go from state from to
// state to (-1 if more than 1000).
func pcgDraws(from, to rand.PCG) int {
	for n := 0; n <= 1000; n++ {
		if from == to {
			return n
		}
		from.Uint64()
	}
	return -1
}

func TestSendRules(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name      string
		p         Params
		setup     func(*Net)
		want      Verdict
		wantDelay time.Duration // checked when >= 0
		wantDraws int           // values consumed from the source; -1 = at least one
	}{
		{"defaults pass", DefaultParams(), nil, Pass, 50 * ms, 0},
		{"offline", DefaultParams(), func(n *Net) { n.Down(0) }, DropOffline, 0, 0},
		{"offline beats loss 1", Params{Loss: 1}, func(n *Net) { n.Down(0) }, DropOffline, 0, 0},
		{"offline with partial loss draws nothing", Params{Loss: 0.5, Jitter: ms}, func(n *Net) { n.Down(0) }, DropOffline, 0, 0},
		{"loss 1 always drops, no draw", Params{Loss: 1, Latency: ms}, nil, DropLoss, 0, 0},
		{"per-link loss 1", DefaultParams(), func(n *Net) { n.SetLoss(0, 1) }, DropLoss, 0, 0},
		{"zero latency", Params{}, nil, Pass, 0, 0},
		{"loss 0 with jitter draws once", Params{Latency: 10 * ms, Jitter: 5 * ms}, nil, Pass, -1, 1},
		{"loss draw then pass without jitter", Params{Loss: 1e-300, Latency: 7 * ms}, nil, Pass, 7 * ms, 1},
		{"back up after down passes", DefaultParams(), func(n *Net) { n.Down(0); n.Up(0) }, Pass, 50 * ms, 0},
		{"changed network passes", DefaultParams(), func(n *Net) { n.Change(0) }, Pass, 50 * ms, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mk := func() *Net {
				n := new(Net)
				n.Reset(tt.p, 2)
				if tt.setup != nil {
					tt.setup(n)
				}
				return n
			}
			n, m := mk(), mk()
			a, b, draws := counted(1)
			v, d, e := n.Send(a, 0, DirUp)
			if v != tt.want {
				t.Errorf("verdict = %v, want %v", v, tt.want)
			}
			if tt.wantDelay >= 0 && d != tt.wantDelay {
				t.Errorf("delay = %v, want %v", d, tt.wantDelay)
			}
			if e != n.Links[0].Epoch {
				t.Errorf("epoch = %d, want %d", e, n.Links[0].Epoch)
			}
			if v2, d2, e2 := m.Send(b, 0, DirUp); v2 != v || d2 != d || e2 != e {
				t.Errorf("through *rand.Rand: %v %v %d, through the PCG: %v %v %d", v2, d2, e2, v, d, e)
			}
			if na, nb := draws(); na != nb || tt.wantDraws >= 0 && na != tt.wantDraws {
				t.Errorf("draws = %d (through *rand.Rand: %d), want %d", na, nb, tt.wantDraws)
			}
		})
	}
}

func TestJitterBounds(t *testing.T) {
	ms := time.Millisecond
	for _, dist := range []Dist{DistUniform, DistNormal, DistExponential} {
		t.Run(dist.String(), func(t *testing.T) {
			var n Net
			n.Reset(Params{Latency: 50 * ms, Jitter: 10 * ms, JitterDist: dist}, 1)
			rng := newRNG(7)
			var sum time.Duration
			const draws = 20000
			for range draws {
				v, d, _ := n.Send(rng, 0, DirUp)
				if v != Pass {
					t.Fatalf("verdict %v", v)
				}
				if d < 50*ms {
					t.Fatalf("delay %v below latency", d)
				}
				if dist == DistUniform && d >= 60*ms {
					t.Fatalf("uniform delay %v not below latency+jitter", d)
				}
				sum += d - 50*ms
			}
			// Means: uniform J/2, half-normal J*sqrt(2/pi), exponential J.
			want := map[Dist]float64{DistUniform: 0.5, DistNormal: math.Sqrt(2 / math.Pi), DistExponential: 1}[dist] * float64(10*ms)
			mean := float64(sum) / draws
			if math.Abs(mean-want) > 0.05*want {
				t.Errorf("mean jitter %v, want about %v", time.Duration(mean), time.Duration(want))
			}
		})
	}
}

func TestDelaySaturates(t *testing.T) {
	var n Net
	n.Reset(Params{Latency: math.MaxInt64 - 10, Jitter: math.MaxInt64, JitterDist: DistExponential}, 1)
	rng := newRNG(3)
	for range 100 {
		_, d, _ := n.Send(rng, 0, DirUp)
		if d < math.MaxInt64-10 {
			t.Fatalf("delay %v wrapped", d)
		}
	}
	for _, loss := range []float64{0, 1e-300} { // no draw; a draw (Send's common case)
		n.Reset(Params{Latency: -time.Second, Loss: loss}, 1) // invalid, but never negative
		if _, d, _ := n.Send(rng, 0, DirUp); d != 0 {
			t.Fatalf("loss %v: negative latency gave delay %v", loss, d)
		}
	}
}

func TestDeliverable(t *testing.T) {
	tests := []struct {
		name  string
		after func(*Net) // between Send and arrival
		want  bool
	}{
		{"nothing happened", func(*Net) {}, true},
		{"down", func(n *Net) { n.Down(0) }, false},
		{"down and up again", func(n *Net) { n.Down(0); n.Up(0) }, false},
		{"type change", func(n *Net) { n.Change(0) }, false},
		{"loss changed", func(n *Net) { n.SetLoss(0, 1) }, true},
		{"other device down", func(n *Net) { n.Down(1) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n Net
			n.Reset(DefaultParams(), 2)
			v, _, e := n.Send(newRNG(1), 0, DirUp)
			if v != Pass {
				t.Fatalf("verdict %v", v)
			}
			tt.after(&n)
			if got := n.Deliverable(0, e); got != tt.want {
				t.Errorf("Deliverable = %v, want %v", got, tt.want)
			}
		})
	}
	// A message sent on the new network arrives.
	var n Net
	n.Reset(DefaultParams(), 1)
	n.Down(0)
	n.Up(0)
	_, _, e := n.Send(newRNG(1), 0, DirUp)
	if !n.Deliverable(0, e) {
		t.Error("message on the current epoch not deliverable")
	}
}

func TestLossRate(t *testing.T) {
	for _, loss := range []float64{0.01, 0.1, 0.5, 0.9} {
		var n Net
		n.Reset(Params{Loss: loss}, 1)
		rng := newRNG(11)
		const draws = 100000
		lost := 0
		for range draws {
			if v, _, _ := n.Send(rng, 0, DirUp); v == DropLoss {
				lost++
			}
		}
		rate := float64(lost) / draws
		sd := math.Sqrt(loss * (1 - loss) / draws)
		if math.Abs(rate-loss) > 5*sd {
			t.Errorf("loss %v: observed rate %v (more than 5 sd off)", loss, rate)
		}
	}
}

// TestDeterminism: the same seed and the same calls give the same results,
// and the number of values drawn does not depend on anything but the rules.
func TestDeterminism(t *testing.T) {
	type result struct {
		v Verdict
		d time.Duration
		e uint32
		u bool
	}
	run := func(seed uint64) []result {
		var n Net
		n.Reset(Params{Loss: 0.3, Latency: 20 * time.Millisecond, Jitter: 15 * time.Millisecond, JitterDist: DistNormal, ServerUnavailable: 0.2}, 3)
		rng := newRNG(seed)
		var out []result
		for i := range 3000 {
			dev := i % 3
			switch i % 97 {
			case 5:
				n.Down(dev)
			case 40:
				n.Up(dev)
			case 60:
				n.Change(dev)
			}
			v, d, e := n.Send(rng, dev, DirUp)
			out = append(out, result{v, d, e, n.Unavailable(rng)})
		}
		return out
	}
	a, b, c := run(42), run(42), run(43)
	same := true
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("run differs at %d: %+v vs %+v", i, a[i], b[i])
		}
		if a[i] != c[i] {
			same = false
		}
	}
	if same {
		t.Error("different seeds gave identical runs")
	}
}

func TestUnavailable(t *testing.T) {
	tests := []struct {
		p         float64
		want      int // how many of 1000 calls said unavailable; -1 = roughly p
		wantDraws int
	}{
		{0, 0, 0},
		{1, 1000, 0},
		{0.25, -1, 1000},
	}
	for _, tt := range tests {
		var n Net
		n.Reset(Params{ServerUnavailable: tt.p}, 1)
		a, b, draws := counted(5)
		got := 0
		for range 1000 {
			u := n.Unavailable(a)
			if n.Unavailable(b) != u {
				t.Fatalf("p=%v: the streams disagree", tt.p)
			}
			if u {
				got++
			}
		}
		if tt.want >= 0 && got != tt.want {
			t.Errorf("p=%v: %d unavailable, want %d", tt.p, got, tt.want)
		}
		if tt.want < 0 && (got < 200 || got > 300) {
			t.Errorf("p=%v: %d unavailable of 1000", tt.p, got)
		}
		if na, nb := draws(); na != tt.wantDraws || nb != tt.wantDraws {
			t.Errorf("p=%v: %d draws (through *rand.Rand: %d), want %d", tt.p, na, nb, tt.wantDraws)
		}
	}
}

func TestVerdictString(t *testing.T) {
	tests := []struct {
		v    Verdict
		want string
	}{{Pass, "pass"}, {DropOffline, "offline"}, {DropLoss, "loss"}, {9, "?"}}
	for _, tt := range tests {
		if v, want := tt.v, tt.want; v.String() != want {
			t.Errorf("%d.String() = %q, want %q", v, v.String(), want)
		}
	}
}

func TestSendNoAlloc(t *testing.T) {
	var n Net
	n.Reset(Params{Loss: 0.1, Latency: time.Millisecond, Jitter: time.Millisecond, JitterDist: DistNormal}, 4)
	rng := newRNG(1)
	if a := testing.AllocsPerRun(1000, func() { n.Send(rng, 2, DirUp) }); a != 0 {
		t.Fatalf("Send allocates %v times per call", a)
	}
}
