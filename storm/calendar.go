package storm

import (
	"cmp"
	"math/bits"
	"slices"
	"time"

	"github.com/rcsim/connsim/fsm"
)

// calendar is the storm's event queue: a calendar queue (Brown, 1988) of
// fixed-width buckets over a sliding window, with a sorted run and a heap
// for the bucket being consumed and a heap for events beyond the window.
// A million clients keep a few million events queued; a single heap of
// that size spends most of its time on cache misses, while here an event
// is appended to its bucket in O(1) and sorted only among the few that
// share its bucket.
//
// A bucket's events live in blocks of blockLen contiguous events, chained
// in push order: taking a bucket in reads its events sequentially (a
// linked list of single events costs a cache miss per event once the
// queue outgrows the caches), and a bucket pushed in time order (a herd of
// clients on one schedule) comes out already sorted.
//
// Order: events pop in (at, seq) order, seq the push order, exactly as
// from one heap, because buckets cover disjoint, increasing time ranges,
// the current bucket is the merge of a run sorted by (at, seq) and a heap
// ordered by (at, seq), and every event of a later bucket or of the
// overflow is later than every event of the current one.
//
// An event does not carry its seq (8 of 40 bytes, at a million events a
// gigabyte's tenth): a bucket's chain holds equal-time events in seq
// order (direct pushes come in push order, after the events placed from
// the overflow, which the overflow gives up in (at, seq) order), so the
// chain's order stands for seq, and a stable sort by at sorts a bucket by
// (at, seq). Only the heaps' entries carry an order key (keyed): the
// overflow's is the seq; the late heap's is the event's position in the
// current bucket's chain for a stray, and lateKey+seq, after every
// position, for an event pushed after the bucket was taken in.
//
// Invariants: base is a multiple of width; the ring index cur holds
// [base, base+width), index cur+k (mod nb) holds [base+k*width,
// base+(k+1)*width); every event of the ring or of the current bucket
// (the chain from ck, run[ri:] and late) is before base+nb*width, every
// event of over is at or after it; ringN counts the events in the ring's
// buckets (not the current one's); at most one of the chain and run[ri:]
// holds events, and the chain's slot ck, cj holds a live event.
//
// A herd's bucket (a million clients retrying in the same millisecond)
// comes in push order, which is (at, seq) order, but for a few events
// pushed before the herd: it is read where it lies, those few moved to
// the late heap (copying it to a run and a sort's scratch cost 80 MB at
// a million clients).
type calendar struct {
	width time.Duration
	// first[i] and last[i] are the first and last blocks of ring bucket
	// i, or -1: its events in push order; size[i] counts them (killed
	// ones too).
	first, last, size []int32
	mask              int
	base              time.Duration
	cur               int
	// The current bucket's events taken from the ring: read in place
	// from its chain of blocks from block ck, slot cj on (ck >= 0), the
	// slot at position cpos of the chain (killed slots counted), when the
	// chain was in (at, seq) order but for a few (nearlyInOrder), those
	// few moved to late; else copied to run and sorted, run[ri:] still
	// queued. cn counts the chain's events still queued.
	ck, cj int32
	cpos   uint64
	cn     int
	run    []event
	tmp    []event    // sortRun's scratch
	counts []int32    // sortRun's scratch
	strays [][3]int32 // nearlyInOrder's: (block, slot, position) of the events out of order
	ri     int
	late   heap4 // events pushed into the current bucket after it was taken, and its strays
	over   heap4 // events at or after base + nb*width
	// Blocks live in a slab allocated in chunks that never move (growing
	// copies nothing); a consumed bucket's blocks go to a free list, so
	// that a push allocates nothing once the slab has grown to the peak.
	chunks [][]block
	blocks int32 // blocks allocated: the slab's size
	free   int32 // head of the free list, or -1
	ringN  int
	seq    uint64 // events pushed
}

// Calendar geometry: 2^17 buckets of 1 ms cover 131 s, longer than the
// longest gap of every built-in reconnection schedule plus an attempt
// timeout, so few events ever go to the overflow heap. Blocks of 8 events
// (208 B) waste at most 7 slots per non-empty bucket, plus the killed
// events of blocks not wholly killed.
const (
	calWidth   = time.Millisecond
	calBuckets = 1 << 17
	blockLen   = 8
	chunkBits  = 12
	chunkSize  = 1 << chunkBits
)

// block is one block of the slab: up to blockLen events of one bucket,
// dead of them killed, and the bucket's previous and next blocks (next:
// the free list's), or -1. Invariant: a block in a ring bucket has
// 0 <= dead < n (a block whose events are all killed leaves its bucket
// at once); a block of the current bucket's chain has dead = -1 (kill
// finds nothing there: it was taken in); a free block has n = 0.
type block struct {
	ev         [blockLen]event
	n, dead    int32
	prev, next int32
}

// block returns slab block k.
func (q *calendar) block(k int32) *block { return &q.chunks[k>>chunkBits][k&(chunkSize-1)] }

// alloc returns an empty block of the slab.
func (q *calendar) alloc() int32 {
	k := q.free
	if k >= 0 {
		q.free = q.block(k).next
	} else {
		if int(q.blocks) == len(q.chunks)*chunkSize {
			q.chunks = append(q.chunks, make([]block, chunkSize))
		}
		k = q.blocks
		q.blocks++
	}
	b := q.block(k)
	b.n, b.dead, b.prev, b.next = 0, 0, -1, -1
	return k
}

func newCalendar() *calendar { return newCalendarSized(calWidth, calBuckets) }

// newCalendarSized returns a calendar of nb buckets (a power of two) of
// the given width.
func newCalendarSized(width time.Duration, nb int) *calendar {
	q := &calendar{width: width, first: make([]int32, nb), last: make([]int32, nb), size: make([]int32, nb), mask: nb - 1, free: -1, ck: -1}
	for i := range q.first {
		q.first[i], q.last[i] = -1, -1
	}
	return q
}

func (q *calendar) len() int {
	return q.cn + len(q.run) - q.ri + q.late.len() + q.ringN + q.over.len()
}

func (q *calendar) span() time.Duration { return time.Duration(len(q.first)) * q.width }

// push schedules e; e.at must not be before the last event popped.
func (q *calendar) push(e event) handle {
	q.seq++
	return q.place(e, q.seq)
}

// handle names an event queued in the ring (block*blockLen + slot + 1),
// for kill; 0: none.
type handle int32

// place queues e, pushed seq-th.
func (q *calendar) place(e event, seq uint64) handle {
	switch d := e.at - q.base; {
	case d < q.width:
		q.late.push(keyed{e, lateKey + seq})
	case d < q.span():
		return q.append((q.cur+int(d/q.width))&q.mask, e)
	default:
		q.over.push(keyed{e, seq})
	}
	return 0
}

// lateKey is added to the seq of an event that goes to the late heap
// directly: it orders after every position in a chain (fewer than 2^62
// events are ever pushed).
const lateKey = 1 << 62

// append adds e at the end of ring bucket i.
func (q *calendar) append(i int, e event) handle {
	k := q.last[i]
	if k < 0 || q.block(k).n == blockLen {
		nk := q.alloc()
		if k < 0 {
			q.first[i] = nk
		} else {
			q.block(k).next = nk
			q.block(nk).prev = k
		}
		q.last[i], k = nk, nk
	}
	b := q.block(k)
	b.ev[b.n] = e
	b.n++
	q.ringN++
	q.size[i]++
	return handle(k*blockLen + b.n)
}

// kill drops the timer event of handle h if the ring still holds it, and
// reports whether it did: a timer its client cancelled would only be
// popped to be ignored. Once the event's bucket has been taken in, its
// block is marked (dead = -1), or emptied (n = 0) and may be reused, so
// kill checks that the block is in the ring, the slot in use and that it
// holds that timer: a timer's (client, kind,
// generation) names one event. A killed event stays counted in ringN
// until its bucket is taken in, where it is skipped, unless it was the
// last live event of its block: the block then leaves its bucket for the
// free list at once. (A herd's attempt timers are pushed in one order
// and killed in about the same order as its refusals come back, so most
// of them free whole blocks: half the slab of a million-client storm was
// killed timers waiting for their buckets.)
func (q *calendar) kill(h handle, cl int32, timer fsm.TimerKind, gen uint32) bool {
	if h <= 0 || int32(h-1)/blockLen >= q.blocks {
		return false
	}
	k := int32(h-1) / blockLen
	b := q.block(k)
	slot := int32(h-1) % blockLen
	if slot >= b.n || b.dead < 0 {
		return false
	}
	e := &b.ev[slot]
	if e.kind != evTimer || e.cl != cl || e.timer() != timer || e.gen != gen {
		return false
	}
	e.kind = evKilled
	if b.dead++; b.dead == b.n {
		q.unlink((q.cur+int((e.at-q.base)/q.width))&q.mask, k)
	}
	return true
}

// unlink takes block k, all of whose events are killed, out of ring
// bucket i into the free list.
func (q *calendar) unlink(i int, k int32) {
	b := q.block(k)
	if b.prev < 0 {
		q.first[i] = b.next
	} else {
		q.block(b.prev).next = b.next
	}
	if b.next < 0 {
		q.last[i] = b.prev
	} else {
		q.block(b.next).prev = b.prev
	}
	q.ringN -= int(b.n)
	q.size[i] -= b.n
	b.n, b.dead, b.prev = 0, 0, -1
	b.next, q.free = q.free, k
}

// peek returns the next event, or false if the queue is empty.
func (q *calendar) peek() (*event, bool) {
	for q.ck < 0 && q.ri == len(q.run) && q.late.len() == 0 {
		if q.ringN == 0 && q.over.len() == 0 {
			return nil, false
		}
		q.advance()
	}
	cur := q.head()
	if cur == nil || q.late.len() > 0 && !before(cur, q.headKey(), &q.late.h[0]) {
		return &q.late.h[0].event, true
	}
	return cur, true
}

// headKey is head's order key against the late heap's: its position in
// the chain, or 0 for the run's (the late heap then holds only events
// pushed after the run's).
func (q *calendar) headKey() uint64 {
	if q.ck >= 0 {
		return q.cpos
	}
	return 0
}

// head returns the current bucket's next event taken from the ring, nil
// if none is left.
func (q *calendar) head() *event {
	switch {
	case q.ck >= 0:
		return &q.block(q.ck).ev[q.cj]
	case q.ri < len(q.run):
		return &q.run[q.ri]
	}
	return nil
}

// pop removes and returns the next event; the queue must not be empty.
func (q *calendar) pop() event {
	e, _ := q.peek()
	if e != q.head() {
		return q.late.pop().event
	}
	if q.ck < 0 {
		q.ri++
		return *e
	}
	out := *e
	q.cn--
	var n int32
	q.ck, q.cj, n = q.skip(q.ck, q.cj+1, true)
	q.cpos += 1 + uint64(n)
	return out
}

// skip returns the first live event's place in the chain at or after
// block k, slot j (-1 at the chain's end), and the slots it passed over;
// with free, it frees the blocks it leaves.
func (q *calendar) skip(k, j int32, free bool) (int32, int32, int32) {
	var n int32
	for k >= 0 {
		b := q.block(k)
		for ; j < b.n; j++ {
			if b.ev[j].kind != evKilled {
				return k, j, n
			}
			n++
		}
		nk := b.next
		if free {
			b.n, b.dead, b.prev = 0, 0, -1
			b.next, q.free = q.free, k
		}
		k, j = nk, 0
	}
	return -1, 0, n
}

// ahead returns the event k places after the next one in the current
// bucket taken from the ring, if there is one (a hint for prefetching: an
// event pushed meanwhile may come first).
func (q *calendar) ahead(k int) (*event, bool) {
	if q.ck < 0 {
		if i := q.ri + k; i < len(q.run) {
			return &q.run[i], true
		}
		return nil, false
	}
	b, j := q.ck, q.cj
	for ; k > 0 && b >= 0; k-- {
		b, j, _ = q.skip(b, j+1, false)
	}
	if b < 0 {
		return nil, false
	}
	return &q.block(b).ev[j], true
}

// keyed is an event of a heap and its order key (see calendar).
type keyed struct {
	event
	key uint64
}

// before orders event a of order key ka before heap entry b: by (at, key).
func before(a *event, ka uint64, b *keyed) bool {
	return a.at < b.at || a.at == b.at && ka < b.key
}

// compare orders events by at, for a stable sort of events in seq order.
func compare(a, b event) int { return cmp.Compare(a.at, b.at) }

// advance moves the window on by one bucket (or, when the ring is empty,
// straight to the overflow's first event) and takes the new current
// bucket's events in as the sorted run. The current bucket is empty.
func (q *calendar) advance() {
	if q.ringN == 0 {
		// Jump: nothing is due before the overflow's first event.
		q.base = q.over.h[0].at - q.over.h[0].at%q.width
	} else {
		q.base += q.width
		q.cur = (q.cur + 1) & q.mask
	}
	q.run, q.ri = q.run[:0], 0
	if q.nearlyInOrder(q.cur) {
		for k := q.first[q.cur]; k >= 0; k = q.block(k).next {
			b := q.block(k)
			q.ringN -= int(b.n)
			q.cn += int(b.n - b.dead)
			b.dead = -1 // taken in: kill finds nothing here
		}
		for _, p := range q.strays {
			e := &q.block(p[0]).ev[p[1]]
			q.late.push(keyed{*e, uint64(p[2])})
			e.kind = evKilled
			q.cn--
		}
		var n int32
		q.ck, q.cj, n = q.skip(q.first[q.cur], 0, true)
		q.cpos = uint64(n)
	} else {
		for k := q.first[q.cur]; k >= 0; {
			b := q.block(k)
			for j := range b.ev[:b.n] {
				if b.ev[j].kind != evKilled {
					q.run = append(q.run, b.ev[j])
				}
			}
			q.ringN -= int(b.n)
			b.n, b.dead, b.prev = 0, 0, -1 // free: kill finds nothing here
			nk := b.next
			b.next, q.free = q.free, k
			k = nk
		}
		q.sortRun()
	}
	q.first[q.cur], q.last[q.cur], q.size[q.cur] = -1, -1, 0
	// The window now reaches base+span: take in the overflow's events
	// that fall in it (into the current bucket or the ring).
	end := q.base + q.span()
	for q.over.len() > 0 && q.over.h[0].at < end {
		k := q.over.pop()
		q.place(k.event, k.key)
	}
}

// maxStrays and strayShare bound the events of a bucket that a read in
// place takes out of the chain's order (to the late heap): more than
// maxStrays and more than one in strayShare of the bucket's events, and
// the bucket is copied and sorted instead.
const (
	maxStrays  = 64
	strayShare = 16
)

// nearlyInOrder reports whether the live events of ring bucket i are in
// (at, seq) order but for a few of them (maxStrays), listed in strays:
// those later than some event after them in the chain. (The others are
// each no later than every event after them, so in order: an event at
// the same time as a later one of the chain was pushed before it.) A
// herd's bucket holds the herd in push order among a few hundred events
// pushed into it before and after the herd, at other instants of the
// bucket.
func (q *calendar) nearlyInOrder(i int) bool {
	q.strays = q.strays[:0]
	limit := max(maxStrays, int(q.size[i])/strayShare)
	var least *event // the earliest event after the one looked at
	pos := q.size[i] // the chain's slots: pos-1 is the position of the one looked at
	for k := q.last[i]; k >= 0; k = q.block(k).prev {
		b := q.block(k)
		for j := b.n - 1; j >= 0; j-- {
			pos--
			e := &b.ev[j]
			switch {
			case e.kind == evKilled:
			case least == nil || e.at <= least.at:
				least = e
			case len(q.strays) == limit:
				return false
			default:
				q.strays = append(q.strays, [3]int32{k, j, pos})
			}
		}
	}
	return true
}

// sortRun sorts run, the current bucket's events, by (at, seq): stably
// by at, as they come in seq order (see calendar). A bucket
// holds a few hundred events of a million clients, and a herd of them
// (clients retrying on one schedule) after an outage: a comparison sort
// would cost about as much as the rest of the storm. The run comes in
// push order, which is seq order (an event placed from the overflow was
// pushed before any event pushed into its bucket directly), so a stable
// distribution of the events by at over about len(run) bins of the
// bucket's width, then sorting each bin (nearly always of 0 to 2 events),
// sorts it in expected linear time; a skewed bin falls back to a merge
// sort.
func (q *calendar) sortRun() {
	n := len(q.run)
	if n < 32 {
		if !slices.IsSortedFunc(q.run, compare) {
			slices.SortStableFunc(q.run, compare)
		}
		return
	}
	nb := 1 << bits.Len(uint(n-1)) // bins: a power of two >= n
	if w := uint64(q.width); uint64(nb) > w {
		nb = int(w) // at most one bin per nanosecond
	}
	// bin(e) = (e.at-base)*nb/width, as a multiply and a shift: with
	// mul = floor(nb*2^32/width) and e.at-base < width, bin < nb.
	mul := (uint64(nb) << 32) / uint64(q.width)
	bin := func(e *event) int { return int(uint64(e.at-q.base) * mul >> 32) }
	q.counts = slices.Grow(q.counts[:0], nb+1)[:nb+1]
	clear(q.counts)
	for i := range q.run {
		q.counts[bin(&q.run[i])+1]++
	}
	for b := 1; b <= nb; b++ {
		q.counts[b] += q.counts[b-1]
	}
	q.tmp = slices.Grow(q.tmp[:0], n)[:n]
	for i := range q.run {
		b := bin(&q.run[i])
		q.tmp[q.counts[b]] = q.run[i]
		q.counts[b]++
	}
	q.run, q.tmp = q.tmp, q.run
	// counts[b] is now the end of bin b, the start of bin b+1.
	lo := 0
	for b := range nb {
		hi := int(q.counts[b])
		if hi-lo > 1 {
			s := q.run[lo:hi]
			if !slices.IsSortedFunc(s, compare) {
				slices.SortStableFunc(s, compare)
			}
		}
		lo = hi
	}
}

// heap4 is a 4-ary min-heap of events ordered by (at, key).
type heap4 struct{ h []keyed }

func (q *heap4) len() int { return len(q.h) }

func (q *heap4) less(i, j int) bool { return before(&q.h[i].event, q.h[i].key, &q.h[j]) }

func (q *heap4) push(e keyed) {
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

func (q *heap4) pop() keyed {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	if n > 0 {
		q.down(0)
	}
	return top
}
