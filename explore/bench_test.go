package explore

import (
	"fmt"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

// BenchmarkExplore is one exhaustive exploration of the default client at
// each depth, one auth round trip per attempt (depth=N) and the attempt's
// anatomy (full/depth=N); edges/op is the moves taken, ns/edge the cost of
// one.
func BenchmarkExplore(b *testing.B) {
	run := func(b *testing.B, cfg fsm.Config, depth int) {
		var r Result
		for b.Loop() {
			r = Run(Config{Depth: depth, Client: cfg})
		}
		b.ReportMetric(float64(r.Edges), "edges/op")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(r.Edges), "ns/edge")
	}
	for _, depth := range []int{6, 7, 8, 9, 10, 11} {
		b.Run(fmt.Sprint("depth=", depth), func(b *testing.B) { run(b, fsm.DefaultConfig(), depth) })
	}
	for _, depth := range []int{8, 9, 10, 11, 12} {
		b.Run(fmt.Sprint("full/depth=", depth), func(b *testing.B) { run(b, anatomyCfg(1, 0, false), depth) })
	}
}
