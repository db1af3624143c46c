package storm

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
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
			floor := bareHeapNsPerEvent(min(n*4, 4_000_000))
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
			b.ReportMetric(ns/floor, "x-bare-heap")
			b.ReportMetric(perClient, "heap-B/client")
			b.ReportMetric(float64(events)/float64(b.N)/float64(n), "events/client")
		})
	}
}

// bareEvent and bareHeap are the floor: container/heap over a plain slice
// of small events.
type bareEvent struct {
	at  time.Duration
	seq uint64
}

type bareHeap []bareEvent

func (h bareHeap) Len() int { return len(h) }
func (h bareHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || h[i].at == h[j].at && h[i].seq < h[j].seq
}
func (h bareHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *bareHeap) Push(x any)   { *h = append(*h, x.(bareEvent)) }
func (h *bareHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// bareHeapNsPerEvent runs a bare event loop that keeps size events
// queued: each popped event schedules one more a random delay later. It
// returns the wall nanoseconds per event.
func bareHeapNsPerEvent(size int) float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	h := make(bareHeap, 0, size)
	var seq uint64
	for range size {
		seq++
		h = append(h, bareEvent{at: time.Duration(rng.Int64N(int64(time.Minute))), seq: seq})
	}
	heap.Init(&h)
	const events = 4_000_000
	start := time.Now()
	for range events {
		e := heap.Pop(&h).(bareEvent)
		seq++
		heap.Push(&h, bareEvent{at: e.at + time.Duration(rng.Int64N(int64(time.Minute))), seq: seq})
	}
	return float64(time.Since(start).Nanoseconds()) / events
}
