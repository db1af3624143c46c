package storm

import "time"

// calendar is the storm's event queue: a calendar queue (Brown, 1988) of
// fixed-width buckets over a sliding window, with a heap for the bucket
// being consumed and a heap for events beyond the window. A million
// clients keep a few million events queued; a single heap of that size
// spends most of its time on cache misses, while here an event is
// appended to its bucket in O(1) and sorted only among the few that share
// its bucket.
//
// Order: events pop in (at, seq) order, exactly as from one heap, because
// buckets cover disjoint, increasing time ranges, the current bucket is a
// heap ordered by (at, seq), and every event of a later bucket or of the
// overflow is later than every event of the current one.
//
// Invariants: base is a multiple of width; the ring index cur holds
// [base, base+width), index cur+k (mod nb) holds [base+k*width,
// base+(k+1)*width); every event of the ring or of cur is before
// base+nb*width, every event of over is at or after it; ringN counts the
// events in the ring's buckets (not cur's heap).
type calendar struct {
	width time.Duration
	// head[i] is the first node of ring bucket i's list, or -1. A bucket's
	// events are kept in no particular order: the heap sorts them.
	head []int32
	mask int
	base time.Duration
	cur  int
	now  heap4 // the current bucket's events
	over heap4 // events at or after base + nb*width
	// The ring's events live in a slab of nodes, allocated in chunks of
	// 2^16 that never move (growing copies nothing): node k holds an
	// event and the following node of its bucket (or of the free list),
	// so that a push allocates nothing once the slab has grown to the
	// peak.
	chunks []*[chunkSize]node
	nodes  int32 // nodes allocated: the slab's size
	free   int32 // head of the free list, or -1
	ringN  int
	seq    uint64
}

// Calendar geometry: 2^17 buckets of 1 ms cover 131 s, longer than the
// longest gap of every built-in reconnection schedule plus an attempt
// timeout, so few events ever go to the overflow heap.
const (
	calWidth   = time.Millisecond
	calBuckets = 1 << 17
	chunkBits  = 16
	chunkSize  = 1 << chunkBits
)

// node is one slot of the slab.
type node struct {
	ev   event
	next int32
}

// node returns slab node k.
func (q *calendar) node(k int32) *node { return &q.chunks[k>>chunkBits][k&(chunkSize-1)] }

// alloc returns a free node of the slab.
func (q *calendar) alloc() int32 {
	if k := q.free; k >= 0 {
		q.free = q.node(k).next
		return k
	}
	if int(q.nodes) == len(q.chunks)*chunkSize {
		q.chunks = append(q.chunks, new([chunkSize]node))
	}
	q.nodes++
	return q.nodes - 1
}

func newCalendar() *calendar { return newCalendarSized(calWidth, calBuckets) }

// newCalendarSized returns a calendar of nb buckets (a power of two) of
// the given width.
func newCalendarSized(width time.Duration, nb int) *calendar {
	q := &calendar{width: width, head: make([]int32, nb), mask: nb - 1, free: -1}
	for i := range q.head {
		q.head[i] = -1
	}
	return q
}

func (q *calendar) len() int { return q.now.len() + q.ringN + q.over.len() }

func (q *calendar) span() time.Duration { return time.Duration(len(q.head)) * q.width }

// push schedules e; e.at must not be before the last event popped.
func (q *calendar) push(e event) {
	q.seq++
	e.seq = q.seq
	q.place(e)
}

func (q *calendar) place(e event) {
	switch d := e.at - q.base; {
	case d < q.width:
		q.now.push(e)
	case d < q.span():
		i := (q.cur + int(d/q.width)) & q.mask
		k := q.alloc()
		*q.node(k) = node{ev: e, next: q.head[i]}
		q.head[i] = k
		q.ringN++
	default:
		q.over.push(e)
	}
}

// peek returns the next event, or false if the queue is empty.
func (q *calendar) peek() (*event, bool) {
	for q.now.len() == 0 {
		if q.ringN == 0 && q.over.len() == 0 {
			return nil, false
		}
		q.advance()
	}
	return &q.now.h[0], true
}

// pop removes and returns the next event; the queue must not be empty.
func (q *calendar) pop() event {
	q.peek()
	return q.now.pop()
}

// advance moves the window on by one bucket (or, when the ring is empty,
// straight to the overflow's first event) and makes the new current
// bucket the heap.
func (q *calendar) advance() {
	if q.ringN == 0 {
		// Jump: nothing is due before the overflow's first event.
		q.base = q.over.h[0].at - q.over.h[0].at%q.width
	} else {
		q.base += q.width
		q.cur = (q.cur + 1) & q.mask
	}
	q.now.h = q.now.h[:0]
	for k := q.head[q.cur]; k >= 0; {
		n := q.node(k)
		q.now.h = append(q.now.h, n.ev)
		nk := n.next
		n.next, q.free = q.free, k
		k = nk
		q.ringN--
	}
	q.head[q.cur] = -1
	q.now.init()
	// The window now reaches base+span: take in the overflow's events
	// that fall in it (into the heap or the ring).
	end := q.base + q.span()
	for q.over.len() > 0 && q.over.h[0].at < end {
		q.place(q.over.pop())
	}
}

// heap4 is a 4-ary min-heap of events ordered by (at, seq).
type heap4 struct{ h []event }

func (q *heap4) len() int { return len(q.h) }

func (q *heap4) less(i, j int) bool {
	a, b := &q.h[i], &q.h[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (q *heap4) push(e event) {
	q.h = append(q.h, e)
	q.up(len(q.h) - 1)
}

func (q *heap4) up(i int) {
	for i > 0 {
		p := (i - 1) / 4
		if !q.less(i, p) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *heap4) down(i int) {
	n := len(q.h)
	for {
		c := 4*i + 1
		if c >= n {
			return
		}
		m := c
		for k := c + 1; k < c+4 && k < n; k++ {
			if q.less(k, m) {
				m = k
			}
		}
		if !q.less(m, i) {
			return
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
}

func (q *heap4) init() {
	for i := (len(q.h) - 2) / 4; i >= 0; i-- {
		q.down(i)
	}
}

func (q *heap4) pop() event {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	if n > 0 {
		q.down(0)
	}
	return top
}
