package run

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
)

// P11: outcomes do not depend on the number of workers, with the default
// policy and with a jittered one (its draws come from the trial's stream).
func TestRunSameForAnyWorkers(t *testing.T) {
	jittered := lossyParams()
	jittered.Client.Policy = fsm.Expo{Base: 100 * time.Millisecond, Factor: 2, Max: 10 * time.Second}
	jittered.Client.Jitter = fsm.JitterFull
	for _, p := range []model.Params{lossyParams(), jittered} {
		runSameForAnyWorkers(t, p)
	}
}

// Run's outcome for trial K is the outcome of running K alone.
func TestRunOutcomeMatchesSingleTrial(t *testing.T) {
	rc := Config{Params: lossyParams(), Scenario: model.DefaultScenario(), Trials: 300, Seed: 11, Workers: 2}
	outs, err := Outcomes(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorld(rc.Params, rc.Scenario)
	for _, k := range []int{0, 1, 99, 150, 299} {
		if got := w.Run(rc.Seed, k); got != outs[k].Result {
			t.Errorf("trial %d: alone %+v, in run %+v", k, got, outs[k].Result)
		}
	}
}

func TestWilson(t *testing.T) {
	lo, hi := Wilson(49, 100, 1.959963984540054)
	// Wilson score interval of 49/100 at z=1.96, computed by hand:
	// centre (p+z²/2n)/(1+z²/n) = 0.49037, half-width 0.09615.
	if d := lo - 0.3942; d > 1e-4 || d < -1e-4 {
		t.Errorf("lo = %v", lo)
	}
	if d := hi - 0.5865; d > 1e-4 || d < -1e-4 {
		t.Errorf("hi = %v", hi)
	}
	if lo, hi := Wilson(0, 10, 1.96); lo != 0 || hi <= 0 {
		t.Errorf("0/10: %v %v", lo, hi)
	}
}

func TestWilsonContainsEstimate(t *testing.T) {
	for _, c := range [][2]int{{0, 1}, {1, 1}, {100, 100}, {20000, 20000}, {0, 20000}, {7, 13}} {
		lo, hi := Wilson(c[0], c[1], 1.959963984540054)
		p := float64(c[0]) / float64(c[1])
		if !(lo <= p && p <= hi && lo >= 0 && hi <= 1) {
			t.Errorf("%d/%d: [%v, %v] does not contain %v", c[0], c[1], lo, hi, p)
		}
	}
}

func runSameForAnyWorkers(t *testing.T, p model.Params) {
	rc := Config{Params: p, Scenario: model.DefaultScenario(), Trials: 2000, Seed: 7}
	var first []sim.TrialOutcome
	for _, w := range []int{1, 2, 5} {
		rc.Workers = w
		outs, err := Outcomes(context.Background(), rc)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = outs
			continue
		}
		if !reflect.DeepEqual(outs, first) {
			t.Fatalf("workers=%d: outcomes differ from workers=1", w)
		}
	}
}

// lossyParams: 30% loss, jitter, no time limit (sim's tests have the same).
func lossyParams() model.Params {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	p.Net.Jitter = 30 * time.Millisecond
	p.TimeLimit = 0
	return p
}
