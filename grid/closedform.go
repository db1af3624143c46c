package grid

import (
	"reflect"

	"github.com/rcsim/connsim/analytic"
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/plots"
)

// ClosedFormApplies reports whether the analytic package's setting is the
// model's: the default scenario (one device, Init and Connect at 0) and
// default parameters except for those the closed form takes (loss, time
// limit, horizon, latency, attempt timeout, a deterministic policy, the
// attempt's anatomy without outages: --attempt, --tls, --visit, --servers,
// --navi-ttl, --navi-timeout) or that cannot matter
// before the first success (db-open, heartbeats, kick policy, the jitter
// distribution when there is no jitter). Anything else (jitter, an
// unavailable server, a quirk, any future knob) rules it out.
func ClosedFormApplies(p model.Params, sc model.Scenario) bool {
	d := model.DefaultParams()
	q := p
	q.Net.Loss, q.Net.Latency, q.Net.JitterDist = d.Net.Loss, d.Net.Latency, d.Net.JitterDist
	q.TimeLimit, q.Horizon, q.KickPolicy, q.Detail = d.TimeLimit, d.Horizon, d.KickPolicy, d.Detail
	c := &q.Client
	c.AttemptTimeout, c.DBOpen = d.Client.AttemptTimeout, d.Client.DBOpen
	if p.Client.Backoff().Deterministic() { // the closed form takes any deterministic policy
		c.Policy, c.Jitter = d.Client.Policy, d.Client.Jitter
	}
	c.HBInterval, c.HBTimeout, c.HBMisses = d.Client.HBInterval, d.Client.HBTimeout, d.Client.HBMisses
	c.Attempt, c.TLS, c.Returning, c.Servers = d.Client.Attempt, d.Client.TLS, d.Client.Returning, d.Client.Servers
	c.NaviTTL, c.NaviTimeout = d.Client.NaviTTL, d.Client.NaviTimeout
	return reflect.DeepEqual(q, d) && reflect.DeepEqual(sc, model.DefaultScenario())
}

// AnalyticSuccess returns the closed-form success probability for p, when
// the closed form is defined (the caller checks ClosedFormApplies).
func AnalyticSuccess(p model.Params) (float64, bool) {
	m := ClosedForm(p, p.Net.Loss)
	if m.Validate() != nil {
		return 0, false
	}
	return m.Success(), true
}

// OverlaySteps is the number of intervals of the analytic overlay between
// the smallest and the largest loss of the sweep.
const OverlaySteps = 100

// AnalyticOverlay is the closed form at p's time limit over [lo, hi].
func AnalyticOverlay(p model.Params, lo, hi float64) []plots.OverlayPoint {
	var out []plots.OverlayPoint
	for i := range OverlaySteps + 1 {
		loss := lo + (hi-lo)*float64(i)/OverlaySteps
		m := ClosedForm(p, loss)
		if m.Validate() != nil {
			return nil
		}
		out = append(out, plots.OverlayPoint{Loss: loss, Rate: m.Success()})
		if hi == lo {
			break
		}
	}
	return out
}

// ClosedForm is the analytic model of p at loss: the attempt's anatomy
// gives the round trips of an attempt (socket, TLS and auth under
// --attempt full; the auth alone under --attempt auth) and whether the
// first attempts also ask the navigation service (a first visit, or a
// returning one without a cache).
func ClosedForm(p model.Params, loss float64) analytic.Model {
	c := p.Client
	m := analytic.Model{Loss: loss, Latency: p.Net.Latency, AttemptTimeout: c.AttemptTimeoutFor(),
		Policy: c.Backoff(), TimeLimit: p.TimeLimit, Horizon: p.Horizon}
	if c.Attempt == fsm.AttemptFull {
		m.RoundTrips = 2 + c.TLS
		m.Navi = !c.Returning || c.NaviTTL == 0
		m.NaviTTL, m.NaviTimeout = c.NaviTTL, c.NaviTimeout
	}
	return m
}
