package run

import (
	"context"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/netmodel"
	"github.com/rcsim/connsim/sim"
)

// TestTCPFirstAnswerMatchesSim: with transport tcp, an attempt timeout
// longer than TCP's give-up and no time limit, a trial's time to connect
// is netmodel.FirstAnswerTCP of the same (seed, trial), trial by trial:
// the function the gVisor validation calls measures what `sim run
// --transport tcp` reports.
func TestTCPFirstAnswerMatchesSim(t *testing.T) {
	for _, loss := range []float64{0.1, 0.5} {
		p := model.DefaultParams()
		p.Net.Loss, p.Net.Transport = loss, netmodel.TransportTCP
		p.Client.AttemptTimeout, p.TimeLimit = 30*time.Minute, 0
		p.Client.Attempt = fsm.AttemptAuth // one auth round trip: FirstAnswerTCP
		const trials = 500
		outs := outcomes(t, p, 3, trials)
		compared := 0
		for i, o := range outs {
			d, ok := netmodel.FirstAnswerTCP(loss, p.Net.Latency, 3, i)
			if !ok {
				if o.Outcome == sim.OutcomeSuccess && o.Attempts == 1 {
					t.Fatalf("loss %v trial %d: FirstAnswerTCP gave up at %v, sim connected at %v on its first attempt", loss, i, d, o.TTC)
				}
				continue
			}
			if d >= p.Horizon {
				if o.Outcome != sim.OutcomeUnfinished {
					t.Fatalf("loss %v trial %d: answer due at %v after the horizon, sim %v", loss, i, d, o.Outcome)
				}
				continue
			}
			compared++
			if o.Outcome != sim.OutcomeSuccess || o.TTC != d || o.Attempts != 1 {
				t.Fatalf("loss %v trial %d: sim %v after %v (%d attempts), FirstAnswerTCP %v", loss, i, o.Outcome, o.TTC, o.Attempts, d)
			}
			if o.NViolations > 0 {
				t.Fatalf("trial %d: %v", i, o.Violations)
			}
		}
		if compared < trials/2 {
			t.Fatalf("loss %v: only %d trials answered", loss, compared)
		}
	}
}

// TestTCPAttemptMatchesSim: the same for the attempt's steps (attempt
// full, a first visit): with no timer that could fire first, a trial's
// time to connect is netmodel.Params.AttemptTCP of the same (seed, trial)
// with the navigation and TLS + 1 exchanges, trial by trial, the
// composition tcpcheck compares with gVisor.
func TestTCPAttemptMatchesSim(t *testing.T) {
	for _, c := range []struct {
		loss float64
		tls  int
	}{{0.1, 0}, {0.3, 2}} {
		p := model.DefaultParams()
		p.Net.Loss, p.Net.Transport = c.loss, netmodel.TransportTCP
		p.Client.AttemptTimeout, p.Client.NaviTimeout, p.TimeLimit = 30*time.Minute, 30*time.Minute, 0
		p.Client.Attempt, p.Client.TLS = fsm.AttemptFull, c.tls
		const trials = 300
		outs := outcomes(t, p, 5, trials)
		compared := 0
		for i, o := range outs {
			d, ok := p.Net.AttemptTCP(5, i, true, c.tls+1)
			if !ok || d >= p.Horizon {
				continue
			}
			compared++
			if o.Outcome != sim.OutcomeSuccess || o.TTC != d || o.Attempts != 1 {
				t.Fatalf("loss %v, tls %d, trial %d: sim %v after %v (%d attempts), AttemptTCP %v", c.loss, c.tls, i, o.Outcome, o.TTC, o.Attempts, d)
			}
			if o.NViolations > 0 {
				t.Fatalf("trial %d: %v", i, o.Violations)
			}
		}
		if compared < trials/2 {
			t.Fatalf("loss %v: only %d trials answered", c.loss, compared)
		}
	}
}

// outcomes runs trials 0..n-1 of seed with p and no knobs' scenario.
func outcomes(t *testing.T, p model.Params, seed uint64, n int) []sim.TrialOutcome {
	t.Helper()
	sc, err := model.NoKnobs().Scenario()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Outcomes(context.Background(), Config{Params: p, Scenario: sc, Trials: n, Seed: seed, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return outs
}
