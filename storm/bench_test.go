package storm

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/rcsim/connsim/internal/floor"
)

// The target storm of docs/performance.md: N clients through a two-minute server restart
// with the rc policy, default server. Run with
//
//	go test ./storm -run '^$' -bench 'Storm/clients=1000000' -benchtime 1x
//
// It reports ns/event, events/s, the ratio of ns/event to a bare heap
// event loop measured in the same run, and heap bytes per client.
func BenchmarkStorm(b *testing.B) { benchStorm(b, false) }

// BenchmarkStormScaled is BenchmarkStorm with the server scaled to the
// clients: 64 workers and a queue of 4,096 per 100,000 clients (the
// defaults at 100,000). The default server is the same at every size, so
// a million clients overload it more than 100,000 do and need more events
// each (more refusals, more retries); scaled, each client's storm is the
// same at every size, and the cost ratio between sizes measures the
// simulator alone.
func BenchmarkStormScaled(b *testing.B) { benchStorm(b, true) }

func benchStorm(b *testing.B, scaled bool) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			p := DefaultParams()
			p.Clients = n
			if scaled {
				p.Workers = max(1, 64*n/100_000)
				p.Queue = max(1, 4096*n/100_000)
			}
			floorNs := floor.EventLoop(min(n*4, 4_000_000), 4_000_000)
			var events int64
			var perClient float64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.StartTimer()
				w := newWorld(p)
				if err := w.run(); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				perClient = float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
				events += w.st.Events
				runtime.KeepAlive(w)
				b.StartTimer()
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(events)
			b.ReportMetric(ns, "ns/event")
			b.ReportMetric(1e9/ns, "events/s")
			b.ReportMetric(ns/floorNs, "x-bare-heap")
			b.ReportMetric(perClient, "heap-B/client")
			b.ReportMetric(float64(events)/float64(b.N)/float64(n), "events/client")
		})
	}
}
