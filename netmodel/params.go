package netmodel

import (
	"errors"
	"math"
	"strconv"
	"time"
)

// Params are the network parameters of a trial (spec section 11).
type Params struct {
	Loss float64 // Bernoulli loss per message (per packet over TCP), each direction independently, in [0,1]
	// LossModel is the run's loss model for both directions: zero or
	// Bernoulli means Bernoulli(Loss); a GE chain replaces Loss, which
	// must then be 0.
	LossModel LossModel
	// LossUp and LossDown override the model of one direction (device to
	// server, server to device); the zero value inherits.
	LossUp, LossDown LossModel
	// Transport carries the client's messages: TransportMessage (each
	// message is lost or not) or TransportTCP (see tcp.go).
	Transport         Transport
	Latency           time.Duration // one-way base latency, >= 0 (default 50ms)
	Jitter            time.Duration // >= 0; scale of the jitter distribution (default 0)
	JitterDist        Dist          // shape of the jitter (default uniform)
	ServerUnavailable float64       // probability in [0,1] that the server answers an Auth "unavailable"
}

// DefaultParams returns the model defaults: no loss, 50 ms one-way latency,
// no jitter (uniform if enabled), server always available.
func DefaultParams() Params {
	return Params{Latency: 50 * time.Millisecond, JitterDist: DistUniform}
}

// Validate returns a one-line error naming the CLI flag and its accepted
// range for the first invalid field, or nil. NaN is rejected.
func (p Params) Validate() error {
	if !unit(p.Loss) {
		return errors.New("--loss must be between 0 and 1 (got " + ftoa(p.Loss) + ")")
	}
	if err := p.LossModel.validate("--loss-model"); err != nil {
		return err
	}
	if p.LossModel.Kind == KindBurst {
		if _, ok := BurstChain(p.LossModel.Burst, p.Loss); !ok {
			b := p.LossModel.Burst
			return errors.New("--loss must be at most B/(B+1) = " + ftoa(b/(b+1)) + " with --loss-model burst:" + ftoa(b) + ": no chain with bursts that short loses more (got " + ftoa(p.Loss) + ")")
		}
	}
	if p.LossModel.Kind == KindGE && p.Loss != 0 {
		return errors.New("--loss must be 0 with --loss-model ge:P,R,1-H,1-K: the chain sets the loss (got " + ftoa(p.Loss) + ")")
	}
	if err := p.LossUp.validate("--loss-up"); err != nil {
		return err
	}
	if err := p.LossDown.validate("--loss-down"); err != nil {
		return err
	}
	if p.Transport > TransportTCP {
		return errors.New(`--transport must be message or tcp (got "` + p.Transport.String() + `")`)
	}
	if p.Latency < 0 {
		return errors.New("--latency must be >= 0 (got " + p.Latency.String() + ")")
	}
	if p.Jitter < 0 {
		return errors.New("--jitter must be >= 0 (got " + p.Jitter.String() + ")")
	}
	if int(p.JitterDist) >= len(distNames) {
		return errors.New(`--jitter-dist must be one of uniform, normal, exponential (got "` + p.JitterDist.String() + `")`)
	}
	if !unit(p.ServerUnavailable) {
		return errors.New("--server-unavailable must be between 0 and 1 (got " + ftoa(p.ServerUnavailable) + ")")
	}
	return nil
}

// Resolve returns the loss model of direction d: its override if set, else
// the run's GE chain if set, else Bernoulli(Loss).
func (p Params) Resolve(d Dir) LossModel {
	o := p.LossUp
	if d == DirDown {
		o = p.LossDown
	}
	switch {
	case o.Kind != KindInherit:
		return o
	case p.LossModel.Kind == KindGE:
		return p.LossModel
	case p.LossModel.Kind == KindBurst:
		if m, ok := BurstChain(p.LossModel.Burst, p.Loss); ok {
			return m
		}
	}
	return Bernoulli(p.Loss)
}

// resolved is p.Resolve(d) with a Bernoulli loss clamped into [0,1]: the
// model a link's direction d starts a trial with.
func resolved(p *Params, d Dir) LossModel {
	m := p.Resolve(d)
	if m.Kind == KindBernoulli {
		m.Loss = sanitize(m.Loss)
	}
	return m
}

// unit reports whether f is in [0,1] (false for NaN).
func unit(f float64) bool { return f >= 0 && f <= 1 }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// sanitize maps a probability to [0,1]; NaN counts as 0.
func sanitize(p float64) float64 {
	if math.IsNaN(p) || p < 0 {
		return 0
	}
	if p > 1 {
		return 1
	}
	return p
}
