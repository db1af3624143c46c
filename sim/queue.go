package sim

import (
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/internal/smallslice"
)

// evKind names what a queued event does when it falls due.
type evKind uint8

const (
	evTimer     evKind = iota + 1 // a client timer (dev, timer, gen, call)
	evToServer                    // msg arrives at the server (sent on epoch)
	evToClient                    // msg arrives at device dev (sent on epoch)
	evIdle                        // the server's liveness check of device dev's session
	evMsgRate                     // the next --msg-rate message for user idx reaches the server
	evPush                        // a push of message msg.ID of user idx reaches device dev
	evPullTimer                   // device dev's pull timer (gen)
	evExpire                      // the offline store of user idx drops what outlived retention
)

// event is one entry of the virtual-time queue. It is a flat value so that
// the queue never allocates once warm.
type event struct {
	at    time.Duration
	kind  evKind
	dev   int16
	timer fsm.TimerKind
	gen   uint32
	call  int32
	epoch uint32
	idx   int32
	msg   fsm.Msg
}

// queue is a priority queue ordered by (at, seq): a sorted array while
// it is small, a binary min-heap once it has held more than smallMax
// events in a trial.
//
// Invariant: events due at the same virtual time pop in the order they were
// pushed (spec section 11), because seq grows strictly with every push:
// (at, seq) is a total order, so both forms pop the same events in the
// same order. Scripted actions are not queued: World.Step takes them from
// the script, which is in time order, before any event due at the same
// time.
//
// The keys (qkey, 24 bytes) are what is ordered; the events themselves
// (80 bytes) stay in slots while queued, so that sorting moves keys, not
// events: moving events was a tenth of a checked trial.
//
// Small (!heap): small[:n] holds the keys in descending order, and pop
// takes the last. An event is mostly queued before the timers already
// queued (a message's delivery before its call's timeouts): it moves the
// few keys due before it, and a pop moves none, where the heap sifted both
// ways. Reversed, the keys are in ascending order, which is a heap.
type queue struct {
	n     int            // the events queued
	small [smallMax]qkey // !heap: the keys, descending (small[:n])
	h     []qkey         // heap: the keys, a heap (h[:n])
	ev    []event        // the slots; ev[k.slot] is key k's event
	free  []int32        // slots of ev no queued event uses
	seq   uint64
	heap  bool // h holds the keys, until reset
	// held is 1 + the slot of the event pop returned last (0: none): its
	// caller reads the event in place until the next pop, so the slot
	// joins free only then.
	held int32
	// kept: ev's array's first kept slots hold the events the last
	// restore put there, unchanged since: add voids it (0) when it takes
	// one of those slots.
	kept int32
}

// smallMax bounds the keys the sorted form holds: inserting moves the
// keys due earlier, at most smallMax-1 of them. A default trial queues
// at most five events.
const smallMax = 8

// qkey is a queued event's place in the order, and its slot.
type qkey struct {
	at   time.Duration
	seq  uint64
	slot int32
}

func (q *queue) reset() {
	q.n, q.h, q.ev, q.free, q.seq, q.held = 0, q.h[:0], q.ev[:0], q.free[:0], 0, 0
	q.heap = false
}

func (q *queue) len() int { return q.n }

// copyFrom makes q a copy of s, on q's memory.
func (q *queue) copyFrom(s *queue) {
	q.n, q.heap = s.n, s.heap
	if !s.heap {
		q.copySmall(s)
	}
	q.ev, q.h, q.free = smallslice.CopyInto(q.ev, s.ev), q.h[:0], q.free[:0]
	if len(s.h) > 0 { // the opening's are empty: no call
		q.h = smallslice.CopyInto(q.h, s.h)
	}
	if len(s.free) > 0 {
		q.free = smallslice.CopyInto(q.free, s.free)
	}
	q.seq, q.held = s.seq, s.held
}

// restore makes q a copy of s, as copyFrom does, s being the one queue
// q is restored from, which does not change. Unless an add took one of
// their slots since the last restore (kept), q's memory still holds s's
// events: only the order (the keys, free slots and counters) is copied.
func (q *queue) restore(s *queue) {
	n := len(s.ev)
	if int(q.kept) != n || cap(q.ev) < n || s.heap || len(s.free) > 0 {
		q.copyFrom(s)
		q.kept = int32(n)
		return
	}
	// The opening's common form: its keys sorted (small), no free slot.
	q.n, q.heap, q.seq, q.held = s.n, false, s.seq, s.held
	q.copySmall(s)
	q.ev, q.h, q.free = q.ev[:n], q.h[:0], q.free[:0]
}

// copySmall copies s's sorted keys (s.small[:s.n]) into q's: the queued
// keys only, copying all smallMax costs more.
func (q *queue) copySmall(s *queue) {
	src := s.small[:s.n]
	dst := q.small[:len(src)]
	for i := range src {
		dst[i] = src[i]
	}
}

func less(a, b *qkey) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// push queues e.
func (q *queue) push(e event) {
	*q.add(e.at) = e
}

// add queues an event due at at and returns it, zero but for at,
// for the caller to fill in. Filling it in its slot, field by field,
// saves building it on the stack and copying it, which costs more than
// its size says: the copy's wide loads wait for the narrow stores that
// built it.
func (q *queue) add(at time.Duration) *event {
	q.seq++
	var slot int32
	if n := len(q.free); n > 0 {
		slot, q.free = q.free[n-1], q.free[:n-1]
	} else if n := len(q.ev); n < cap(q.ev) {
		slot, q.ev = int32(n), q.ev[:n+1] // zeroed below, once
	} else {
		slot = int32(n)
		q.ev = append(q.ev, event{})
	}
	if slot < q.kept {
		q.kept = 0 // a slot restore filled: its event is gone
	}
	e := &q.ev[slot]
	*e = event{}
	e.at = at
	k := qkey{at: at, seq: q.seq, slot: slot}
	if i := q.n; !q.heap && i < smallMax {
		// k's seq is the greatest: it goes before every key of its time.
		q.n++
		for i > 0 && less(&q.small[i-1], &k) {
			q.small[i] = q.small[i-1]
			i--
		}
		q.small[i] = k
	} else {
		q.sift(k)
	}
	return e
}

// sift adds key k to the heap, which the small keys become first.
func (q *queue) sift(k qkey) {
	if !q.heap {
		q.h = q.h[:0]
		for i := q.n - 1; i >= 0; i-- {
			q.h = append(q.h, q.small[i])
		}
		q.heap = true
	}
	q.n++
	q.h = append(q.h, k)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(&k, &q.h[p]) {
			break
		}
		q.h[i] = q.h[p]
		i = p
	}
	q.h[i] = k
}

// peekAt returns the time of the next event; q must not be empty.
func (q *queue) peekAt() time.Duration {
	if q.heap {
		return q.h[0].at
	}
	return q.small[q.n-1].at
}

// pop removes the next event and returns it in its slot, valid until the
// next pop or reset (events added meanwhile take other slots).
func (q *queue) pop() *event {
	if q.held != 0 {
		q.free = append(q.free, q.held-1)
	}
	q.n--
	if !q.heap {
		top := q.small[q.n].slot
		q.held = top + 1
		return &q.ev[top]
	}
	top := q.h[0].slot
	n := len(q.h) - 1
	k := q.h[n]
	q.h = q.h[:n]
	if n > 0 {
		i := 0
		for {
			l := 2*i + 1
			if l >= n {
				break
			}
			m := l
			if r := l + 1; r < n && less(&q.h[r], &q.h[l]) {
				m = r
			}
			if !less(&q.h[m], &k) {
				break
			}
			q.h[i] = q.h[m]
			i = m
		}
		q.h[i] = k
	}
	q.held = top + 1
	return &q.ev[top]
}
