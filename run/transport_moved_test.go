package run

import (
	"context"
	"testing"
	"time"

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
		sc, err := model.NoKnobs().Scenario()
		if err != nil {
			t.Fatal(err)
		}
		const trials = 500
		outs, err := Outcomes(context.Background(), Config{Params: p, Scenario: sc, Trials: trials, Seed: 3, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
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
