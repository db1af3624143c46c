package properties

import (
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
)

// ConfigFor returns the parameters the property checkers need for trials
// of p and sc: the policy and database time (P4, P6), the profile, the
// message layer's sync switch and retention (P15), and the server's idle
// timeout with its slack (P17: one heartbeat interval, plus MaxDelay, a
// bound on how long a device's message may take to reach the server).
func ConfigFor(p model.Params, sc model.Scenario) Config {
	return Config{
		Policy: p.Client.Backoff(), DBOpen: p.Client.DBOpen, Profile: p.Client.Profile,
		MultiDeviceSync: p.Msg.MultiDeviceSync, Retention: p.Msg.Retention,
		IdleTimeout: p.ServerIdleTimeout(), HBInterval: p.Client.HBInterval,
		MaxDelay: maxDelay(p.Net, sc), MultiMobile: p.MultiMobile, Returning: p.Client.Returning,
		AttemptTimeout: p.Client.AttemptTimeoutFor(), NaviTimeout: p.Client.NaviTimeout, NaviTTL: p.Client.NaviTTL,
		Attempt: p.Client.Attempt, Servers: p.Client.Servers, TLS: p.Client.TLS,
	}
}

// maxDelay bounds the one-way delay of a device's message: the highest
// base latency (the run's, or a network trace row's), plus the jitter's
// bound (uniform: the jitter itself; normal: 10 standard deviations;
// exponential: 30 means, exceeded with probability e^-30), plus, over
// TCP, the longest a segment is retransmitted before the connection fails
// (TCPRetries2 backed-off RTOs of at most TCPMaxRTO each).
func maxDelay(n netmodel.Params, sc model.Scenario) time.Duration {
	lat := n.Latency
	for i := range sc.Script {
		if a := &sc.Script[i]; a.Quality && a.Latency > lat {
			lat = a.Latency
		}
	}
	switch n.JitterDist {
	case netmodel.DistNormal:
		lat += 10 * n.Jitter
	case netmodel.DistExponential:
		lat += 30 * n.Jitter
	default:
		lat += n.Jitter
	}
	if n.Transport == netmodel.TransportTCP {
		lat += netmodel.TCPRetries2 * netmodel.TCPMaxRTO
	}
	return lat
}

// ConfigForParams returns the property checkers' configuration for a run with
// these parameters and a script that changes no link's latency
// (ConfigFor with the run's scenario is the exact one).
func ConfigForParams(p model.Params) Config { return ConfigFor(p, model.Scenario{}) }
