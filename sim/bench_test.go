package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rcsim/connsim/internal/floor"
	"github.com/rcsim/connsim/model"
	"github.com/rcsim/connsim/properties"
	"github.com/rcsim/connsim/trace"
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

// checkedWorld returns the World of the checked trial benchmarks (the
// default scenario at loss 0.3) and the checkers' configuration `sim run`
// gives them.
func checkedWorld() (*World, properties.Config) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	sc := model.DefaultScenario()
	return NewWorld(p, sc), properties.ConfigFor(p, sc)
}

// BenchmarkTrialChecked is one trial plus every property checker, on one
// goroutine: the CPU cost of a trial in `sim run`, which runs and checks
// the trials of a chunk of 64 with RunCheckedRange (with the checkers'
// configuration `sim run` gives them, P17's idle timeout included).
func BenchmarkTrialChecked(b *testing.B) {
	w, pcfg := checkedWorld()
	var outs [64]TrialOutcome
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%len(outs) == 0 {
			w.RunCheckedRange(1, i, i+len(outs), pcfg, outs[:])
		}
	}
}

// BenchmarkTrialCheckedOne is BenchmarkTrialChecked with each trial
// checked at once (RunChecked), the trial and its check alternating.
func BenchmarkTrialCheckedOne(b *testing.B) {
	w, pcfg := checkedWorld()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.RunChecked(1, i, pcfg)
	}
}

// BenchmarkTrialCheckOnly is the checkers' part of BenchmarkTrialChecked:
// every property over the trace of one default trial at loss 0.3 (the
// traces of 64 trials, recorded once, in turn), with no trial run, by
// one Monitor of that configuration with the World's opening as its
// prefix (as RunCheckedRange checks them: a trace equal to the last
// passing one of its length is found passed, not observed; the 64
// traces in turn find more of them so than a run's fresh trials, so
// BenchmarkTrialChecked is the measure of the checkers' share).
func BenchmarkTrialCheckOnly(b *testing.B) {
	w, pcfg := checkedWorld()
	traces := make([][]trace.Record, 64)
	for i := range traces {
		w.Run(1, i)
		traces[i] = slices.Clone(w.Recs)
	}
	m := properties.NewMonitor(pcfg)
	m.SetPrefix(w.op.recs)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if vs := m.Check(traces[i%len(traces)]); vs != nil {
			b.Fatal(vs)
		}
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

// TestTrialFloorMatchesTrial: the floor of a trial (internal/floor) runs
// as many events as a default trial at loss 0.3 does on average, within
// half an event, so that BenchmarkTrialFloor stands for the same work as
// BenchmarkTrialDefault and BenchmarkTrialChecked. A change of the default
// trial's anatomy (such as the attempt's steps becoming the default) that
// changes its events fails here until the floor is adapted.
func TestTrialFloorMatchesTrial(t *testing.T) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	w := NewWorld(p, model.DefaultScenario())
	const trials = 4000
	events := 0
	for i := range trials {
		w.Run(1, i)
		events += w.Events()
	}
	mean := float64(events) / trials
	if d := mean - floor.TrialEvents; d < -0.5 || d > 0.5 {
		t.Errorf("a default trial at loss 0.3 runs %.2f events on average, the floor %d", mean, floor.TrialEvents)
	}
}
