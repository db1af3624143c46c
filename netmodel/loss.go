package netmodel

import (
	"errors"
	"strconv"
	"strings"
)

// Kind is the kind of a loss model.
type Kind uint8

// The loss models. The zero value, KindInherit, is "not set": a direction
// with no model of its own uses the run's (see Params.Resolve).
const (
	KindInherit   Kind = iota // not set: inherit
	KindBernoulli             // each message lost independently with probability P
	KindGE                    // Gilbert-Elliott two-state Markov chain (GE)
	// KindBurst is a simple Gilbert chain (no loss in the good state, every
	// message lost in the bad one) with mean burst length Burst, whose p
	// is set so that its long-run loss is Params.Loss: r = 1/Burst,
	// p = r*Loss/(1-Loss). It compares burst loss with Bernoulli loss at
	// equal average loss (sweeps). Only the run's --loss-model can be one.
	KindBurst
)

// GE is a Gilbert-Elliott chain, its four numbers in the order of netem's
// `loss gemodel p r 1-h 1-k`:
//
//   - P: probability of moving from the good state to the bad one, per message;
//   - R: probability of moving from the bad state to the good one, per message;
//   - LossBad (1-h): loss probability in the bad state;
//   - LossGood (1-k): loss probability in the good state.
//
// As in netem, each message first moves the chain (one transition), then is
// lost with the loss probability of the state it moved to. A chain starts
// in a state drawn from its stationary distribution, so every message of a
// stream, its first included, is lost with the stationary loss rate.
type GE struct {
	P, R, LossBad, LossGood float64
}

// LossModel is the loss of one direction of a link: Bernoulli with
// probability Loss, or a GE chain. Comparable; the zero value inherits.
type LossModel struct {
	Kind  Kind
	Loss  float64 // KindBernoulli: the loss probability, in [0,1]
	GE    GE      // KindGE: the chain
	Burst float64 // KindBurst: the mean burst length, >= 1
}

// MaxBurst bounds burst:B.
const MaxBurst = 1000

// BurstChain returns the simple Gilbert chain with mean burst length b and
// long-run loss loss (see KindBurst), and false when no chain has both
// (loss > b/(b+1)). Loss 0 and 1 give Bernoulli(0) and Bernoulli(1).
func BurstChain(b, loss float64) (LossModel, bool) {
	switch {
	case loss <= 0:
		return Bernoulli(0), true
	case loss >= 1:
		return Bernoulli(1), true
	}
	r := 1 / b
	p := r * loss / (1 - loss)
	if p > 1 {
		return LossModel{}, false
	}
	return LossModel{Kind: KindGE, GE: GE{P: p, R: r, LossBad: 1}}, true
}

// Bernoulli returns the Bernoulli model with loss probability p.
func Bernoulli(p float64) LossModel { return LossModel{Kind: KindBernoulli, Loss: p} }

// String returns the CLI form: "0.3" for Bernoulli, "ge:P,R,1-H,1-K" for
// a chain, "" when not set.
func (m LossModel) String() string {
	switch m.Kind {
	case KindBernoulli:
		return ftoa(m.Loss)
	case KindGE:
		g := m.GE
		return "ge:" + ftoa(g.P) + "," + ftoa(g.R) + "," + ftoa(g.LossBad) + "," + ftoa(g.LossGood)
	case KindBurst:
		return "burst:" + ftoa(m.Burst)
	}
	return ""
}

// Name returns "bernoulli" or "ge" (the model's family), "" when not set.
func (m LossModel) Name() string {
	switch m.Kind {
	case KindBernoulli:
		return "bernoulli"
	case KindGE:
		return "ge"
	case KindBurst:
		return "burst"
	}
	return ""
}

// ParseGE parses "ge:P,R,1-H,1-K" (each a probability in [0,1]). flag names
// the flag for the error message.
func ParseGE(flag, s string) (LossModel, error) {
	rest, ok := strings.CutPrefix(s, "ge:")
	bad := func(why string) error {
		return errors.New(flag + " must be bernoulli or ge:P,R,1-H,1-K with four probabilities in [0,1] in the order of netem's gemodel (" + why + ", got " + strconv.Quote(s) + ")")
	}
	if !ok {
		return LossModel{}, bad("unknown model")
	}
	parts := strings.Split(rest, ",")
	if len(parts) != 4 {
		return LossModel{}, bad("need four numbers")
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !unit(f) {
			return LossModel{}, bad("number " + strconv.Itoa(i+1) + " is not a probability")
		}
		v[i] = f
	}
	g := GE{P: v[0], R: v[1], LossBad: v[2], LossGood: v[3]}
	if g.P+g.R == 0 {
		return LossModel{}, bad("P and R are both 0: the chain has no stationary state")
	}
	return LossModel{Kind: KindGE, GE: g}, nil
}

// ParseLossSpec parses a direction's loss: a probability (Bernoulli) or
// "ge:P,R,1-H,1-K". flag names the flag for the error message.
func ParseLossSpec(flag, s string) (LossModel, error) {
	if strings.HasPrefix(s, "ge:") {
		return ParseGE(flag, s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !unit(f) {
		return LossModel{}, errors.New(flag + " must be a probability in [0,1] or ge:P,R,1-H,1-K (got " + strconv.Quote(s) + ")")
	}
	return Bernoulli(f), nil
}

// validate checks the model's numbers; flag names the flag.
func (m LossModel) validate(flag string) error {
	switch m.Kind {
	case KindInherit:
		return nil
	case KindBernoulli:
		if !unit(m.Loss) {
			return errors.New(flag + " must be between 0 and 1 (got " + ftoa(m.Loss) + ")")
		}
		return nil
	case KindGE:
		g := m.GE
		if !unit(g.P) || !unit(g.R) || !unit(g.LossBad) || !unit(g.LossGood) || g.P+g.R == 0 {
			return errors.New(flag + " must be ge:P,R,1-H,1-K with four probabilities in [0,1], P+R > 0 (got " + strconv.Quote(m.String()) + ")")
		}
		return nil
	case KindBurst:
		if !(m.Burst >= 1 && m.Burst <= MaxBurst) {
			return errors.New(flag + " must be burst:B with a mean burst length B between 1 and 1000 (got " + strconv.Quote(m.String()) + ")")
		}
		return nil
	}
	return errors.New(flag + ": unknown loss model kind " + strconv.Itoa(int(m.Kind)))
}

// StationaryBad returns the stationary probability of the bad state,
// p/(p+r).
func (g GE) StationaryBad() float64 { return g.P / (g.P + g.R) }

// StationaryLoss returns the long-run loss rate of the model: Loss for
// Bernoulli, pi_G(1-k) + pi_B(1-h) for a chain.
func (m LossModel) StationaryLoss() float64 {
	if m.Kind == KindGE {
		b := m.GE.StationaryBad()
		return (1-b)*m.GE.LossGood + b*m.GE.LossBad
	}
	return m.Loss
}

// StationaryBurst returns the long-run mean length of a burst (a maximal
// run of consecutive lost messages of one stream): P(L) / P(L_n, not
// L_(n-1)), where P(L_(n-1), L_n) = sum over states s, s' of
// pi_s l_s T(s,s') l_s'. For Bernoulli(p) it is 1/(1-p). It is +Inf when
// every message is lost and 0 when none is.
func (m LossModel) StationaryBurst() float64 {
	pl := m.StationaryLoss()
	if pl == 0 {
		return 0
	}
	var pll float64
	if m.Kind == KindGE {
		g := m.GE
		b := g.StationaryBad()
		pi := [2]float64{1 - b, b}
		l := [2]float64{g.LossGood, g.LossBad}
		t := [2][2]float64{{1 - g.P, g.P}, {g.R, 1 - g.R}}
		for s := range 2 {
			for s2 := range 2 {
				pll += pi[s] * l[s] * t[s][s2] * l[s2]
			}
		}
	} else {
		pll = pl * pl
	}
	return pl / (pl - pll)
}

// Path is the state of one direction of one link: its loss model and
// the chain's state.
//
// Invariant: cut is cutOf(Net.Models[Model]).
type Path struct {
	Model   int32  // its loss model: an index of Net.Models
	Bad     bool   // GE: the chain is in the bad state
	Started bool   // GE: the initial state has been drawn
	last    bool   // the previous message of this path was lost
	cut     uint64 // how its model decides a message (see cutOf)
}

// pathOf returns a fresh path of model k, models[k] being m.
func pathOf(k int32, m *LossModel) Path { return Path{Model: k, cut: cutOf(m)} }

// tally counts the messages that met the loss rule (Send's rule 2) on
// every path of a Net since Reset.
//
// Invariants: lost <= sent; bursts <= lost; bursts counts the messages
// lost right after a delivered one of their path (or first on it), so
// lost/bursts is the mean burst length.
type tally struct{ sent, lost, bursts uint64 }

// count counts a message on path pa.
func (t *tally) count(pa *Path, lost bool) {
	t.sent++
	if lost {
		t.lost++
		if !pa.last {
			t.bursts++
		}
	}
	pa.last = lost
}

// loseGE moves the path's chain g by one message and reports whether the
// message is lost.
func (pa *Path) loseGE(s Stream, g *GE) (lost bool) {
	pa.Bad, lost = g.next(s, pa.Started, pa.Bad)
	pa.Started = true
	return lost
}

// next moves a chain in state bad (drawn from the stationary distribution
// first unless started) by one message: its new state, and whether the
// message is lost.
func (g *GE) next(s Stream, started, bad bool) (nbad, lost bool) {
	if !started {
		bad = draw(s, g.StationaryBad())
	}
	if bad {
		bad = !draw(s, g.R)
	} else {
		bad = draw(s, g.P)
	}
	if bad {
		return bad, draw(s, g.LossBad)
	}
	return bad, draw(s, g.LossGood)
}

// draw is an event of probability p: no RNG draw when p <= 0 or p >= 1,
// otherwise exactly one Float64.
func draw(s Stream, p float64) bool {
	return p > 0 && (p >= 1 || s.float64() < p)
}
