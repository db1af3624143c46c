package sim

import (
	"time"

	"github.com/rcsim/connsim/fsm"
)

// evKind names what a queued event does when it falls due.
type evKind uint8

const (
	evScript    evKind = iota + 1 // scripted action idx
	evTimer                       // a client timer (dev, timer, gen, call)
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
	seq   uint64 // scheduling order: ties on at run in this order
	kind  evKind
	dev   int16
	timer fsm.TimerKind
	gen   uint32
	call  int32
	epoch uint32
	idx   int32
	msg   fsm.Msg
}

// queue is a binary min-heap ordered by (at, script first, seq).
//
// Invariant: events due at the same virtual time pop in the order they were
// pushed (spec section 11), because seq grows strictly with every push,
// except that scripted actions pop before every other event due at the
// same time. Begin pushes the whole script first, so this changes nothing
// for a script given up front; it keeps that order for actions that
// World.Inject pushes while the trial runs (inject.go).
type queue struct {
	h   []event
	seq uint64
}

func (q *queue) reset() { q.h, q.seq = q.h[:0], 0 }

func (q *queue) len() int { return len(q.h) }

func less(a, b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if sa, sb := a.kind == evScript, b.kind == evScript; sa != sb {
		return sa
	}
	return a.seq < b.seq
}

func (q *queue) push(e event) {
	q.seq++
	e.seq = q.seq
	q.h = append(q.h, e)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(&q.h[i], &q.h[p]) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

// peek returns the next event without removing it; q must not be empty.
func (q *queue) peek() *event { return &q.h[0] }

func (q *queue) pop() event {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
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
		if !less(&q.h[m], &q.h[i]) {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}
