package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rcsim/connsim/internal/floor"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
)

// BenchmarkTrialDefault runs one trial of the default `sim run --loss 0.3`
// scenario (5 s time limit), without property checks.
func BenchmarkTrialDefault(b *testing.B) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	w := NewWorld(p, model.DefaultScenario())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Run(1, i)
	}
}

// BenchmarkTrialNoLimit: loss 0.3 and no time limit: trials run until
// success through the reconnection schedule.
func BenchmarkTrialNoLimit(b *testing.B) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	p.TimeLimit = 0
	w := NewWorld(p, model.DefaultScenario())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Run(1, i)
	}
}

// BenchmarkTrialChecked is one trial plus every property checker, on one
// goroutine: the CPU cost of a trial in `sim run` (the checkers'
// configuration `sim run` gives them, P17's idle timeout included).
func BenchmarkTrialChecked(b *testing.B) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	sc := model.DefaultScenario()
	w := NewWorld(p, sc)
	pcfg := properties.ConfigFor(p, sc)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.RunChecked(1, i, pcfg)
	}
}

// BenchmarkTrialFloor is the floor of a trial (internal/floor): its six
// events on a binary heap, nothing else. BenchmarkTrialDefault and
// BenchmarkTrialChecked are read against it, in the same run.
func BenchmarkTrialFloor(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h floor.Heap
	b.ReportAllocs()
	var last time.Duration
	for b.Loop() {
		last = max(last, floor.Trial(&h, rng))
	}
}
