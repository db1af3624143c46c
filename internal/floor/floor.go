// Package floor holds the floor programs the benchmarks are measured
// against: for each measured command, the least work that does what it
// does, with nothing checked, so that a benchmark run next to its floor, in
// the same process and the same batch, says how far the real code is from
// it on this machine today (docs/performance.md).
//
//   - Trial: a trial's events on a binary heap, for sim run's trials.
//   - Decode: the fields of JSON Lines trace records, for sim check.
//   - EventLoop: a long-running heap of events, for sim storm.
//
// The floors import nothing of the module, so a change to the simulator
// can never make a floor faster or slower.
package floor

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// Event is a floor event: a time and a tie-breaking sequence number.
type Event struct {
	At  time.Duration
	Seq uint64
}

// Heap is a binary heap over a plain slice of events, earliest first:
// container/heap's interface (EventLoop) or sifted by hand (Trial).
type Heap []Event

func (h Heap) Len() int { return len(h) }
func (h Heap) Less(i, j int) bool {
	return h[i].At < h[j].At || h[i].At == h[j].At && h[i].Seq < h[j].Seq
}
func (h Heap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *Heap) Push(x any)   { *h = append(*h, x.(Event)) }
func (h *Heap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// TrialEvents and TrialQueued shape the floor of a trial: a default trial
// at loss 0.3 (sim run --loss 0.3) handles about six events (6.06 on
// average since the attempt's steps, navigation and socket, are the
// default; 5.2 with only the auth exchange: Init, Connect, the messages of
// the attempt, the database timer or the time limit), with a few queued
// at once. sim's TestTrialFloorMatchesTrial keeps TrialEvents within half
// an event of the trial's mean.
const (
	TrialEvents = 6
	TrialQueued = 4
)

// Trial runs the floor of one trial on h (emptied first, its memory kept):
// TrialQueued events queued at random times within 5 s, then events popped
// in time order, each of the first TrialEvents-TrialQueued scheduling one
// more, until TrialEvents have run. It returns the time of the last event,
// so that the work cannot be optimised away. The heap is sifted by hand
// (push, pop), not through container/heap, whose interface boxes every
// event it is given: the floor allocates nothing, as a trial does not.
func Trial(h *Heap, rng *rand.Rand) time.Duration {
	*h = (*h)[:0]
	for i := range TrialQueued {
		h.push(Event{At: time.Duration(rng.Int64N(int64(5 * time.Second))), Seq: uint64(i)})
	}
	var last time.Duration
	for n := range TrialEvents {
		e := h.pop()
		last = e.At
		if n < TrialEvents-TrialQueued {
			h.push(Event{At: e.At + time.Duration(rng.Int64N(int64(time.Second))), Seq: uint64(TrialQueued + n)})
		}
	}
	return last
}

// push adds e to the heap.
func (h *Heap) push(e Event) {
	*h = append(*h, e)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.Less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

// pop removes and returns the earliest event; the heap must not be empty.
func (h *Heap) pop() Event {
	q := *h
	e := q[0]
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	for i := 0; ; {
		m, l, r := i, 2*i+1, 2*i+2
		if l < n && q.Less(l, m) {
			m = l
		}
		if r < n && q.Less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	*h = q
	return e
}

// EventLoop runs a bare event loop that keeps size events queued: each
// popped event schedules one more a random delay (under a minute) later.
// It runs events events and returns the wall nanoseconds per event.
func EventLoop(size, events int) float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	h := make(Heap, 0, size)
	var seq uint64
	for range size {
		seq++
		h = append(h, Event{At: time.Duration(rng.Int64N(int64(time.Minute))), Seq: seq})
	}
	heap.Init(&h)
	start := time.Now()
	for range events {
		e := heap.Pop(&h).(Event)
		seq++
		heap.Push(&h, Event{At: e.At + time.Duration(rng.Int64N(int64(time.Minute))), Seq: seq})
	}
	return float64(time.Since(start).Nanoseconds()) / float64(events)
}
