package run

import (
	"context"
	"runtime"
	"testing"

	"github.com/rcsim/connsim/model"
)

// BenchmarkRun100k is `sim run --loss 0.3 --trials 100000` without the CLI:
// 100,000 trials on all CPUs, every property checked on every trial. It
// reports wall time per run and CPU-independent ns per trial.
func BenchmarkRun100k(b *testing.B) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	rc := Config{Params: p, Scenario: model.DefaultScenario(), Trials: 100_000, Seed: 1, Workers: runtime.NumCPU()}
	for b.Loop() {
		if _, err := Outcomes(context.Background(), rc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rc.Trials), "ns/trial")
}

// BenchmarkAccumulateOne is `sim run --loss 0.3 --trials 100000 --workers
// 1` without the CLI: the trials, their checks and the summary's
// accumulation on one goroutine. bench/pgo takes cmd/sim's profile for
// profile-guided optimization (cmd/sim/default.pgo) from it.
func BenchmarkAccumulateOne(b *testing.B) {
	p := model.DefaultParams()
	p.Net.Loss = 0.3
	rc := Config{Params: p, Scenario: model.DefaultScenario(), Trials: 100_000, Seed: 1, Workers: 1}
	for b.Loop() {
		if _, err := Accumulate(context.Background(), rc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rc.Trials), "ns/trial")
}
