package properties

import (
	"container/heap"
	"time"
)

// dueQueue holds P6's waits (a device waiting for its scheduled attempt)
// by the latest time the attempt may start, and gives the earliest.
//
// A wait is pushed at its failure record's time t with due = t + hi,
// where hi is the policy's longest gap for the failure's streak: a
// function of the streak alone. In a trace whose records come in time
// order, the waits of one hi therefore come in due order, so the queue
// keeps one run (a FIFO, sorted by due) per hi and merges the runs
// through a small heap of their heads: a push appends to its run and a
// pop takes a run's head, touching memory sequentially and O(log runs)
// heap slots, where one heap of a million waits costs about 20 cache
// misses per operation. A wait that would break its run's order (records
// out of time order) goes to a plain heap, strays, merged in as well.
//
// A run is a chain of fixed blocks from one pool shared by all runs: a
// herd of a million devices moves from one run to the next as their
// streaks grow, and the blocks the old run frees carry the new one, so
// nothing is copied or allocated once the pool has grown to the peak.
//
// Invariants: every run's waits, head to tail, are sorted by due; heads
// is a min-heap, by the due of their first wait, of the indexes of the
// non-empty runs; byHi maps each hi seen since the last reset to its
// run's index, below used.
type dueQueue struct {
	runs   []dueRun
	byHi   map[time.Duration]int32
	heads  []int32
	strays dueHeap
	pool   []*dueBlock // free blocks
	n      int         // waits queued
	used   int         // runs[:used] are in use (a reset keeps the others' memory)
}

// dueBlockLen is the number of waits of a block (16 KiB).
const dueBlockLen = 1024

type dueBlock struct {
	e    [dueBlockLen]dueEntry
	next *dueBlock
}

// dueRun is the waits of one hi, in due order: head.e[h0:] and the blocks
// after it, the last one (tail) filled to tn.
type dueRun struct {
	head, tail *dueBlock
	h0, tn     int
	n          int // waits in the run
}

func (r *dueRun) first() *dueEntry { return &r.head.e[r.h0] }
func (r *dueRun) last() *dueEntry  { return &r.tail.e[r.tn-1] }
func (r *dueRun) empty() bool      { return r.n == 0 }

func (d *dueQueue) len() int { return d.n }

// block returns an empty block from the pool, or a new one.
func (d *dueQueue) block() *dueBlock {
	if k := len(d.pool); k > 0 {
		b := d.pool[k-1]
		d.pool = d.pool[:k-1]
		return b
	}
	return new(dueBlock)
}

func (d *dueQueue) release(b *dueBlock) {
	b.next = nil
	d.pool = append(d.pool, b)
}

// clearRun empties run r, its blocks back to the pool.
func (d *dueQueue) clearRun(r *dueRun) {
	for b := r.head; b != nil; {
		next := b.next
		d.release(b)
		b = next
	}
	r.head, r.tail, r.h0, r.tn, r.n = nil, nil, 0, 0, 0
}

func (d *dueQueue) reset() {
	if d.used > 0 { // else no wait was pushed since the last reset (each push makes its run used): empty
		d.clear()
	}
}

// clear empties d, keeping its memory.
func (d *dueQueue) clear() {
	for i := range d.runs[:d.used] {
		d.clearRun(&d.runs[i])
	}
	d.used = 0
	if len(d.byHi) > 0 {
		clear(d.byHi)
	}
	d.heads = d.heads[:0]
	d.strays = d.strays[:0]
	d.n = 0
}

// min returns the earliest wait; the queue must not be empty.
func (d *dueQueue) min() *dueEntry {
	if len(d.heads) == 0 {
		return &d.strays[0]
	}
	e := d.runs[d.heads[0]].first()
	if len(d.strays) > 0 && earlier(&d.strays[0], e) {
		return &d.strays[0]
	}
	return e
}

// push queues wait e, whose due is its failure's time plus hi.
func (d *dueQueue) push(e dueEntry, hi time.Duration) {
	d.n++
	i, ok := d.byHi[hi]
	if !ok {
		if d.byHi == nil {
			d.byHi = map[time.Duration]int32{}
		}
		i = int32(d.used)
		if d.used++; d.used > len(d.runs) {
			d.runs = append(d.runs, dueRun{})
		}
		d.byHi[hi] = i
	}
	r := &d.runs[i]
	if !r.empty() && e.due < r.last().due {
		d.strays.push(e)
		return
	}
	if r.tail == nil || r.tn == dueBlockLen {
		b := d.block()
		if r.tail == nil {
			r.head, r.h0 = b, 0
		} else {
			r.tail.next = b
		}
		r.tail, r.tn = b, 0
	}
	r.tail.e[r.tn] = e
	r.tn++
	r.n++
	if r.n == 1 {
		heap.Push(headHeap{d}, i)
	}
}

// pop removes and returns the earliest wait; the queue must not be empty.
func (d *dueQueue) pop() dueEntry {
	d.n--
	if len(d.strays) > 0 && d.min() == &d.strays[0] {
		return d.strays.pop()
	}
	r := &d.runs[d.heads[0]]
	e := *r.first()
	r.h0++
	r.n--
	if r.n == 0 {
		d.clearRun(r)
		heap.Pop(headHeap{d})
		return e
	}
	if r.h0 == dueBlockLen {
		b := r.head
		r.head, r.h0 = b.next, 0
		d.release(b)
	}
	heap.Fix(headHeap{d}, 0)
	return e
}

// headHeap is heads as a container/heap: the non-empty runs by their
// first waits.
type headHeap struct{ d *dueQueue }

func (h headHeap) Len() int { return len(h.d.heads) }
func (h headHeap) Less(i, j int) bool {
	d := h.d
	return earlier(d.runs[d.heads[i]].first(), d.runs[d.heads[j]].first())
}
func (h headHeap) Swap(i, j int) { h.d.heads[i], h.d.heads[j] = h.d.heads[j], h.d.heads[i] }
func (h headHeap) Push(x any)    { h.d.heads = append(h.d.heads, x.(int32)) }
func (h headHeap) Pop() any {
	n := len(h.d.heads) - 1
	x := h.d.heads[n]
	h.d.heads = h.d.heads[:n]
	return x
}
