package sim

import "testing"

// BenchmarkTrialDefault runs one trial of the default `sim run --loss 0.3`
// scenario (5 s time limit), without property checks.
func BenchmarkTrialDefault(b *testing.B) {
	p := DefaultParams()
	p.Net.Loss = 0.3
	w := NewWorld(p, DefaultScenario())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Run(1, i)
	}
}

// BenchmarkTrialNoLimit: loss 0.3 and no time limit: trials run until
// success through the reconnection schedule.
func BenchmarkTrialNoLimit(b *testing.B) {
	p := DefaultParams()
	p.Net.Loss = 0.3
	p.TimeLimit = 0
	w := NewWorld(p, DefaultScenario())
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w.Run(1, i)
	}
}
