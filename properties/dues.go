package properties

import "time"

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
// Invariants: runs[i].q[runs[i].head:] is sorted by due; heads is a
// min-heap, by the due of their first wait, of the indexes of the
// non-empty runs; byHi maps each hi seen since the last reset to its
// run's index, below used.
type dueQueue struct {
	runs   []dueRun
	byHi   map[time.Duration]int32
	heads  []int32
	strays dueHeap
	n      int // waits queued
	used   int // runs[:used] are in use (a reset keeps the others' memory)
}

// dueRun is the waits of one hi, in due order.
type dueRun struct {
	hi   time.Duration
	q    []dueEntry
	head int
}

func (r *dueRun) first() *dueEntry { return &r.q[r.head] }
func (r *dueRun) empty() bool      { return r.head == len(r.q) }

func (d *dueQueue) len() int { return d.n }

func (d *dueQueue) reset() {
	for i := range d.runs[:d.used] {
		d.runs[i].q, d.runs[i].head = d.runs[i].q[:0], 0
	}
	d.used = 0
	clear(d.byHi)
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
	if len(d.strays) > 0 && d.strays.before(&d.strays[0], e) {
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
		d.runs[i].hi = hi
		d.byHi[hi] = i
	}
	r := &d.runs[i]
	if !r.empty() && e.due < r.q[len(r.q)-1].due {
		d.strays.push(e)
		return
	}
	if r.head > 0 && r.head == len(r.q) {
		r.q, r.head = r.q[:0], 0
	}
	r.q = append(r.q, e)
	if len(r.q)-r.head == 1 {
		d.heads = append(d.heads, i)
		d.up(len(d.heads) - 1)
	}
}

// pop removes and returns the earliest wait; the queue must not be empty.
func (d *dueQueue) pop() dueEntry {
	d.n--
	if len(d.heads) == 0 || len(d.strays) > 0 && d.strays.before(&d.strays[0], d.runs[d.heads[0]].first()) {
		return d.strays.pop()
	}
	r := &d.runs[d.heads[0]]
	e := *r.first()
	r.head++
	switch {
	case r.empty():
		// A herd's run (every device failed at once) empties as the next
		// run fills: give its memory back rather than keep each run's peak.
		r.q, r.head = r.q[:0], 0
		if cap(r.q) > 4096 {
			r.q = nil
		}
		last := len(d.heads) - 1
		d.heads[0] = d.heads[last]
		d.heads = d.heads[:last]
	case r.head >= 1024 && 2*r.head >= len(r.q):
		// Keep a long-lived run's memory in proportion to its waits.
		r.q = r.q[:copy(r.q, r.q[r.head:])]
		r.head = 0
	}
	if len(d.heads) > 0 {
		d.down(0)
	}
	return e
}

// lessHead orders heads[i] before heads[j] by their runs' first waits.
func (d *dueQueue) lessHead(i, j int) bool {
	return d.strays.before(d.runs[d.heads[i]].first(), d.runs[d.heads[j]].first())
}

func (d *dueQueue) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !d.lessHead(i, p) {
			return
		}
		d.heads[i], d.heads[p] = d.heads[p], d.heads[i]
		i = p
	}
}

func (d *dueQueue) down(i int) {
	n := len(d.heads)
	for {
		l, small := 2*i+1, i
		if l < n && d.lessHead(l, small) {
			small = l
		}
		if l+1 < n && d.lessHead(l+1, small) {
			small = l + 1
		}
		if small == i {
			return
		}
		d.heads[i], d.heads[small] = d.heads[small], d.heads[i]
		i = small
	}
}
