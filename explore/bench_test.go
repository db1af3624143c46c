package explore

import (
	"fmt"
	"testing"

	"github.com/rcsim/connsim/fsm"
)

// BenchmarkExplore is one exhaustive exploration of the default client at
// each depth; edges/op is the moves taken, ns/edge the cost of one.
func BenchmarkExplore(b *testing.B) {
	for _, depth := range []int{6, 7, 8, 9, 10, 11} {
		b.Run(fmt.Sprint("depth=", depth), func(b *testing.B) {
			var r Result
			for b.Loop() {
				r = Run(Config{Depth: depth, Client: fsm.DefaultConfig()})
			}
			b.ReportMetric(float64(r.Edges), "edges/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(r.Edges), "ns/edge")
		})
	}
}
