package netmodel

import (
	"errors"
	"strconv"
)

// Dist is the distribution of the latency jitter. Every distribution is
// scaled by Params.Jitter (J) and is never negative:
//
//   - DistUniform: U[0, J)
//   - DistNormal: |N(0,1)| * J (half-normal)
//   - DistExponential: Exp(1) * J
type Dist uint8

// The jitter distributions. The zero value is DistUniform.
const (
	DistUniform Dist = iota
	DistNormal
	DistExponential
)

var distNames = [...]string{"uniform", "normal", "exponential"}

// String returns the CLI name of d, e.g. "normal".
func (d Dist) String() string {
	if int(d) < len(distNames) {
		return distNames[d]
	}
	return "dist(" + strconv.Itoa(int(d)) + ")"
}

// ParseDist returns the distribution with CLI name s.
func ParseDist(s string) (Dist, error) {
	for i, n := range distNames {
		if n == s {
			return Dist(i), nil
		}
	}
	return 0, errors.New(`--jitter-dist must be one of uniform, normal, exponential (got ` + strconv.Quote(s) + `)`)
}

// sample draws one value of the unscaled distribution (one RNG call).
func (d Dist) sample(s Stream) float64 {
	switch d {
	case DistNormal:
		x := s.R.NormFloat64()
		if x < 0 {
			return -x
		}
		return x
	case DistExponential:
		return s.R.ExpFloat64()
	}
	return s.float64()
}
