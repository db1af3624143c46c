package model

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// MsgParams are the message parameters of a run (spec section 12): the
// traffic towards each user, the server's offline store and the push
// service.
type MsgParams struct {
	// Rate is the mean number of new messages per second towards each
	// user (Poisson arrivals); 0: only the scenario's message ops.
	Rate float64
	// MultiDeviceSync: every device of a user gets every message (else,
	// the vendor's default, one device per message).
	MultiDeviceSync bool
	// Retention is how long the offline store keeps a message.
	Retention time.Duration
	// PushLatency is the mean time from the server's push to the
	// notification on the device, drawn from PushDist.
	PushLatency time.Duration
	PushDist    PushDist
}

// MaxMsgRate bounds --msg-rate: a thousand messages a second towards one
// user, far beyond any chat, keeps a 10-minute trial within the default
// work budget.
const MaxMsgRate = 1000

// DefaultMsgParams returns the defaults: no traffic, no multi-device
// sync, the vendor's 7-day retention, and a push latency of 1 s mean,
// exponential (docs/messages.md says why).
func DefaultMsgParams() MsgParams {
	return MsgParams{Retention: 7 * 24 * time.Hour, PushLatency: time.Second, PushDist: PushExponential}
}

// Gap draws the time to a user's next --msg-rate message (Poisson
// arrivals: exponential gaps of mean 1/Rate); Rate must be > 0.
func (m *MsgParams) Gap(rng *rand.Rand) time.Duration {
	return time.Duration(rng.ExpFloat64() / m.Rate * float64(time.Second))
}

// PushDelay draws the push service's latency: PushLatency, exponential
// with that mean or constant (no draw for a constant or zero latency).
func (m *MsgParams) PushDelay(rng *rand.Rand) time.Duration {
	d := m.PushLatency
	if m.PushDist == PushConstant || d == 0 {
		return d
	}
	return time.Duration(rng.ExpFloat64() * float64(d))
}

// PushDist is the shape of the push latency.
type PushDist uint8

// The shapes.
const (
	PushExponential PushDist = iota
	PushConstant
)

var pushDistNames = [...]string{"exponential", "constant"}

func (d PushDist) String() string {
	if int(d) < len(pushDistNames) {
		return pushDistNames[d]
	}
	return fmt.Sprintf("dist(%d)", int(d))
}

func parsePushDist(s string) (PushDist, error) {
	for i, n := range pushDistNames {
		if n == s {
			return PushDist(i), nil
		}
	}
	return 0, fmt.Errorf("must be exponential or constant (got %q)", s)
}

// parseOnOff and formatOnOff are the text of an on/off switch.
var parseOnOff, formatOnOff = boolEnum("off", "on")

// boolEnum returns the parse and format of a switch written as one of two
// words: no (false) or yes (true).
func boolEnum(no, yes string) (func(string) (bool, error), func(bool) string) {
	parse := func(s string) (bool, error) {
		switch s {
		case yes:
			return true, nil
		case no:
			return false, nil
		}
		return false, fmt.Errorf("must be %s or %s (got %q)", no, yes, s)
	}
	format := func(b bool) string {
		if b {
			return yes
		}
		return no
	}
	return parse, format
}
