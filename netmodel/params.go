package netmodel

import (
	"errors"
	"math"
	"strconv"
	"time"
)

// Params are the network parameters of a trial (spec section 11).
type Params struct {
	Loss              float64       // per message, each direction independently, in [0,1]
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
