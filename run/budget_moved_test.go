package run

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/sim"
)

// The run stops at the lowest trial that panics, for any worker count,
// and keeps the trials before it.
func TestRunStopsAtFirstPanic(t *testing.T) {
	defer sim.PanicTrialForTest(130)()
	for _, workers := range []int{1, 2, 5} {
		outs, err := Outcomes(context.Background(), Config{Params: model.DefaultParams(), Scenario: model.DefaultScenario(), Trials: 1000, Seed: 3, Workers: workers})
		var pe *sim.PanicError
		if !errors.As(err, &pe) || pe.Trial != 130 || len(outs) != 130 {
			t.Errorf("workers %d: err %v, %d outcomes; want trial 130's PanicError and 130 outcomes", workers, err, len(outs))
		}
	}
}

// A trial over the work budget stops at the budget, without an end record,
// and reports a *BudgetError naming the trial; under the budget nothing
// changes.
func TestWorkBudget(t *testing.T) {
	p := model.DefaultParams()
	p.TimeLimit, p.Horizon = 0, 720*time.Hour
	k := model.NoKnobs()
	k.Until = 720 * time.Hour
	sc, err := k.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	p.MaxEvents = 1000
	w := sim.NewWorld(p, sc)
	_, err = w.RunTrial(1, 4)
	var be *sim.BudgetError
	if !errors.As(err, &be) || be.Trial != 4 || be.Max != 1000 {
		t.Fatalf("RunTrial over the budget: err %v, want a BudgetError for trial 4 and 1000 events", err)
	}
	if w.Events() != 1000 {
		t.Errorf("ran %d events, want exactly the budget 1000", w.Events())
	}
	if n := len(w.Recs); n > 0 && w.Recs[n-1].Kind.String() == "end" {
		t.Errorf("a trial over budget has an end record")
	}
	// The same trial with a budget it fits in: no error, and the run
	// reports the first failing trial whatever the worker count.
	p.Horizon, k.Until = 10*time.Minute, 10*time.Minute
	sc, _ = k.Scenario()
	w = sim.NewWorld(p, sc)
	if _, err := w.RunTrial(1, 4); err != nil {
		t.Fatalf("10 min within 1000 events: %v", err)
	}
	p.MaxEvents = w.Events() - 1 // every trial of this setup fails
	for _, workers := range []int{1, 2, 7} {
		outs, err := Outcomes(context.Background(), Config{Params: p, Scenario: sc, Trials: 500, Seed: 1, Workers: workers})
		if !errors.As(err, &be) || be.Trial != 0 || len(outs) != 0 {
			t.Errorf("workers %d: err %v, %d outcomes; want trial 0's BudgetError and none", workers, err, len(outs))
		}
	}
}
