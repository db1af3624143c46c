package properties_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/sim"
)

// TestRapidAnatomyProfiles: whole trials of every profile under --attempt
// full keep every trace property, P20-P22 included, with rapid drawing the
// anatomy's knobs (TLS, servers and their down windows, the navigation's
// TTL, timeout and outages, a returning visit) and the network's loss and
// latency: whole trials, where the stateful suite (TestRapid, every
// profile too) injects actions.
//
// 2000 checks by default (a trial each, about 0.2 s); -rapid.checks=50000
// runs 50,000 in about 4 s.
func TestRapidAnatomyProfiles(t *testing.T) {
	defer setRapidFlags(t, unlessSet(map[string]string{"rapid.checks": "2000"}))()
	rapid.Check(t, func(t *rapid.T) {
		p := model.DefaultParams()
		prof := rapid.SampledFrom(fsm.Profiles).Draw(t, "profile")
		p.Client.Profile, p.Client.Policy = prof, prof.Policy
		p.Client.Attempt = fsm.AttemptFull
		p.Horizon = 3 * time.Minute
		if prof.TimeLimit { // web has none
			p.TimeLimit = rapid.SampledFrom([]time.Duration{0, 5 * time.Second, 20 * time.Second}).Draw(t, "time_limit")
		} else {
			p.TimeLimit = 0
		}
		p.Net.Latency = rapid.SampledFrom([]time.Duration{10 * time.Millisecond, 50 * time.Millisecond, 400 * time.Millisecond}).Draw(t, "latency")
		p.Net.Loss = rapid.SampledFrom([]float64{0, 0.3, 0.6}).Draw(t, "loss")
		p.Client.AttemptTimeout = rapid.SampledFrom([]time.Duration{time.Second, 5 * time.Second}).Draw(t, "attempt_timeout")
		p.Client.TLS = rapid.IntRange(0, 2).Draw(t, "tls")
		p.Client.Servers = rapid.IntRange(1, 3).Draw(t, "servers")
		p.Client.NaviTTL = rapid.SampledFrom([]time.Duration{2 * time.Hour, 3 * time.Second, 0}).Draw(t, "navi_ttl")
		p.Client.NaviTimeout = rapid.SampledFrom([]time.Duration{10 * time.Second, time.Second}).Draw(t, "navi_timeout")
		p.Client.Returning = rapid.Bool().Draw(t, "returning")
		p.NaviUnavailable = rapid.SampledFrom([]float64{0, 0, 0.5}).Draw(t, "navi_unavailable")
		for range rapid.IntRange(0, 2).Draw(t, "server_downs") {
			from := time.Duration(rapid.IntRange(0, 60).Draw(t, "from")) * time.Second
			p.ServerDown = append(p.ServerDown, model.ServerDown{
				Server: rapid.IntRange(0, p.Client.Servers-1).Draw(t, "server"),
				From:   from, To: from + time.Duration(rapid.IntRange(1, 60).Draw(t, "for"))*time.Second,
			})
		}
		sc := model.DefaultScenario()
		w := sim.NewWorld(p, sc)
		o := w.RunChecked(rapid.Uint64().Draw(t, "seed"), 0, properties.ConfigFor(p, sc))
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if o.NViolations > 0 {
			t.Fatalf("%d violations, the first: %v", o.NViolations, o.Violations)
		}
	})
}
