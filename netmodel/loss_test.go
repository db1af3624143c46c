package netmodel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestParseLossModel(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"bernoulli", "", ""},
		{"ge:0.01,0.3,0.9,0.001", "ge:0.01,0.3,0.9,0.001", ""},
		{"ge:1,1,1,1", "ge:1,1,1,1", ""},
		{"ge:0.1,0.2,0.3", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (need four numbers, got "ge:0.1,0.2,0.3")`},
		{"ge:0.1,0.2,1.3,0", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (number 3 is not a probability, got "ge:0.1,0.2,1.3,0")`},
		{"ge:0,0,1,0", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (P and R are both 0: the chain has no stationary state, got "ge:0,0,1,0")`},
		{"ge:NaN,0.1,1,0", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (number 1 is not a probability, got "ge:NaN,0.1,1,0")`},
		{"gilbert", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (unknown model, got "gilbert")`},
		{"", "", `--loss-model must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (unknown model, got "")`},
	}
	for _, tt := range tests {
		m, err := ParseLossModel(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseLossModel(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || m.String() != tt.want {
			t.Errorf("ParseLossModel(%q) = %q, %v; want %q", tt.in, m.String(), err, tt.want)
		}
	}
	for _, in := range []string{"0", "0.25", "1", "ge:0.1,0.5,1,0"} {
		m, err := ParseLossSpec("--loss-up", in)
		if err != nil || m.String() != in {
			t.Errorf("ParseLossSpec(%q) = %q, %v", in, m.String(), err)
		}
	}
	for _, in := range []string{"", "1.5", "-0", "x", "NaN", "ge:1"} {
		if in == "-0" {
			continue
		}
		if _, err := ParseLossSpec("--loss-up", in); err == nil {
			t.Errorf("ParseLossSpec(%q) accepted", in)
		}
	}
}

func TestResolveAndValidate(t *testing.T) {
	ge, _ := ParseLossModel("ge:0.1,0.5,1,0")
	p := DefaultParams()
	p.Loss = 0.2
	if p.Resolve(DirUp) != Bernoulli(0.2) || p.Resolve(DirDown) != Bernoulli(0.2) {
		t.Fatal("bernoulli not inherited")
	}
	p.LossDown = Bernoulli(0.5)
	if p.Resolve(DirUp) != Bernoulli(0.2) || p.Resolve(DirDown) != Bernoulli(0.5) {
		t.Fatal("--loss-down not applied to down only")
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	p.LossModel = ge
	if err := p.Validate(); err == nil || err.Error() != "--loss must be 0 with --loss-model ge:P,R,1-H,1-K: the chain sets the loss (got 0.2)" {
		t.Fatalf("Validate = %v", err)
	}
	p.Loss = 0
	if p.Resolve(DirUp) != ge || p.Resolve(DirDown) != Bernoulli(0.5) {
		t.Fatal("ge not inherited, or override lost")
	}
	p.LossUp = LossModel{Kind: KindGE, GE: GE{P: 2}}
	if err := p.Validate(); err == nil || err.Error() != `--loss-up must be ge:P,R,1-H,1-K with four probabilities in [0,1], P+R > 0 (got "ge:2,0,0,0")` {
		t.Fatalf("Validate = %v", err)
	}
	p.LossUp = Bernoulli(math.NaN())
	if err := p.Validate(); err == nil || err.Error() != "--loss-up must be between 0 and 1 (got NaN)" {
		t.Fatalf("Validate = %v", err)
	}
	p.LossUp, p.Transport = LossModel{}, 7
	if err := p.Validate(); err == nil || err.Error() != `--transport must be message or tcp (got "transport(7)")` {
		t.Fatalf("Validate = %v", err)
	}
}

func TestClosedForms(t *testing.T) {
	// Bernoulli: loss p, bursts geometric with mean 1/(1-p).
	if b := Bernoulli(0.3).StationaryBurst(); math.Abs(b-1/0.7) > 1e-12 {
		t.Errorf("Bernoulli burst %v", b)
	}
	// Simple Gilbert (1-k = 0, 1-h = 1): loss p/(p+r), burst 1/r.
	g := LossModel{Kind: KindGE, GE: GE{P: 0.05, R: 0.25, LossBad: 1}}
	if l := g.StationaryLoss(); math.Abs(l-0.05/0.3) > 1e-12 {
		t.Errorf("Gilbert loss %v", l)
	}
	if b := g.StationaryBurst(); math.Abs(b-4) > 1e-12 {
		t.Errorf("Gilbert burst %v, want 1/r = 4", b)
	}
	if b := Bernoulli(0).StationaryBurst(); b != 0 {
		t.Errorf("no loss: burst %v", b)
	}
	if b := Bernoulli(1).StationaryBurst(); !math.IsInf(b, 1) {
		t.Errorf("all lost: burst %v", b)
	}
}

// observe runs reps independent streams of msgs messages on one path with
// model m (each from a stationary start) and returns, per stream, the
// observed loss rate and mean burst length.
func observe(m LossModel, seed uint64, reps, msgs int) (loss, burst []float64) {
	rng := newRNG(seed)
	for range reps {
		n := netOf(m)
		for range msgs {
			n.Send(rng, 0, DirUp)
		}
		sent, lost, bursts := n.Counts()
		loss = append(loss, float64(lost)/float64(sent))
		burst = append(burst, float64(lost)/float64(bursts))
	}
	return loss, burst
}

// within999 reports whether the mean of xs is within the 99.9% normal
// interval (3.29 standard errors, from the spread across independent
// streams) of want.
func within999(xs []float64, want float64) error {
	var sum, sq float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	se := math.Sqrt(sq / float64(len(xs)-1) / float64(len(xs)))
	if math.Abs(mean-want) > 3.29*se {
		return fmt.Errorf("observed %.5f, closed form %.5f, 99.9%% half-width %.5f", mean, want, 3.29*se)
	}
	return nil
}

// TestGEStationary: the observed loss rate and mean burst length of GE
// chains match their stationary closed forms within the 99.9% interval.
// 200 independent streams of 5,000 messages each: the ratio estimator's
// bias (O(1/5000)) is far below the interval.
func TestGEStationary(t *testing.T) {
	chains := []string{
		"ge:0.01,0.3,1,0",         // simple Gilbert: 3.2% loss, bursts of 3.3
		"ge:0.05,0.2,0.9,0.01",    // 20% in bad, some loss in good
		"ge:0.1,0.1,0.7,0.1",      // slow chain, 40% loss
		"ge:0.02,0.05,0.95,0.002", // long bad periods
	}
	for i, c := range chains {
		m, err := ParseLossModel(c)
		if err != nil {
			t.Fatal(err)
		}
		loss, burst := observe(m, uint64(100+i), 200, 5000)
		if err := within999(loss, m.StationaryLoss()); err != nil {
			t.Errorf("%s loss rate: %v", c, err)
		}
		if err := within999(burst, m.StationaryBurst()); err != nil {
			t.Errorf("%s mean burst: %v", c, err)
		}
	}
}

// TestGEStationaryCatches: the check tells models apart that have the same
// average loss: a Bernoulli loss at a GE chain's average fails the chain's
// burst length, and a chain with p and r swapped fails its loss rate.
func TestGEStationaryCatches(t *testing.T) {
	m, _ := ParseLossModel("ge:0.05,0.2,0.9,0.01")
	_, burst := observe(Bernoulli(m.StationaryLoss()), 7, 200, 5000)
	if within999(burst, m.StationaryBurst()) == nil {
		t.Error("Bernoulli at the same loss passed the GE burst check")
	}
	sw := m
	sw.GE.P, sw.GE.R = m.GE.R, m.GE.P
	loss, _ := observe(sw, 8, 200, 5000)
	if within999(loss, m.StationaryLoss()) == nil {
		t.Error("a chain with p and r swapped passed the loss check")
	}
}

// TestGEDraws: the order of draws in the package doc. A chain whose four
// numbers are in (0,1) draws three values for its first message (start,
// transition, loss) and two for every later one; probabilities 0 and 1
// draw nothing.
func TestGEDraws(t *testing.T) {
	tests := []struct {
		model       string
		first, next int
	}{
		{"ge:0.1,0.2,0.9,0.01", 3, 2},
		{"ge:1,1,1,0", 1, 0},     // start drawn (pi_B = 0.5); alternates, deterministic loss
		{"ge:0.5,0.5,1,0", 2, 1}, // losses certain in each state
		{"ge:0.1,0,1,0", 0, 0},   // absorbing bad state: pi_B = 1, nothing is random
	}
	for _, tt := range tests {
		m, _ := ParseLossModel(tt.model)
		a, b, draws := counted(1)
		na, nb := netOf(m), netOf(m)
		send := func() {
			va, _, _ := na.Send(a, 0, DirUp)
			if vb, _, _ := nb.Send(b, 0, DirUp); va != vb {
				t.Fatalf("%s: the streams disagree", tt.model)
			}
		}
		send()
		first, firstB := draws()
		send()
		all, allB := draws()
		if first != firstB || all != allB || first != tt.first || all-first != tt.next {
			t.Errorf("%s: draws %d then %d (through *rand.Rand %d then %d), want %d then %d", tt.model, first, all-first, firstB, allB-firstB, tt.first, tt.next)
		}
	}
}

// TestBernoulliPathUnchanged: a Bernoulli path draws exactly what the
// message model always drew (one Float64 compared with p), so traces with
// --loss-model bernoulli stay byte-identical, through either kind of
// stream.
func TestBernoulliPathUnchanged(t *testing.T) {
	for _, a := range []Stream{newRNG(5), newRand(5)} {
		b := rand.New(newPCG(5))
		n := netOf(Bernoulli(0.3))
		for i := range 10000 {
			want := b.Float64() < 0.3
			if v, _, _ := n.Send(a, 0, DirUp); (v == DropLoss) != want {
				t.Fatalf("message %d: verdict %v, want lost %v", i, v, want)
			}
		}
	}
}

// netOf returns a one-device net with no latency whose both directions
// have loss model m.
func netOf(m LossModel) *Net {
	n := new(Net)
	n.Reset(Params{}, 1)
	n.SetModel(0, m)
	return n
}

// TestBurstChain: burst:B at loss L is a simple Gilbert chain with
// long-run loss L and mean burst B; L above B/(B+1) has no such chain.
func TestBurstChain(t *testing.T) {
	for _, b := range []float64{1.5, 3, 10} {
		for _, l := range []float64{0.05, 0.3, 0.6} {
			m, ok := BurstChain(b, l)
			if !ok {
				if l <= b/(b+1) {
					t.Errorf("burst %v loss %v: no chain", b, l)
				}
				continue
			}
			if math.Abs(m.StationaryLoss()-l) > 1e-12 || math.Abs(m.StationaryBurst()-b) > 1e-9 {
				t.Errorf("burst %v loss %v: chain %v has loss %v, burst %v", b, l, m, m.StationaryLoss(), m.StationaryBurst())
			}
		}
	}
	p := DefaultParams()
	p.LossModel, _ = ParseLossModel("burst:3")
	p.Loss = 0.8
	if err := p.Validate(); err == nil || err.Error() != "--loss must be at most B/(B+1) = 0.75 with --loss-model burst:3: no chain with bursts that short loses more (got 0.8)" {
		t.Errorf("Validate = %v", err)
	}
	p.Loss = 0.3
	if m := p.Resolve(DirDown); m.Kind != KindGE || math.Abs(m.StationaryLoss()-0.3) > 1e-12 {
		t.Errorf("Resolve = %v", m)
	}
	for _, bad := range []string{"burst:0.5", "burst:", "burst:x", "burst:2000", "burst:NaN"} {
		if _, err := ParseLossModel(bad); err == nil {
			t.Errorf("ParseLossModel(%q) accepted", bad)
		}
	}
}
