package tcpcheck

import (
	"container/heap"
	"sync"
	"time"

	"gvisor.dev/gvisor/pkg/tcpip"
)

// epoch is the wall-clock reading of virtual time zero. gVisor treats a zero
// time.Time as "unset" in places, so the clock starts at the Unix epoch as
// faketime.ManualClock does.
var epoch = time.Unix(0, 0)

// eventClock is a virtual tcpip.Clock that the driver advances from one
// deadline to the next. Unlike faketime.ManualClock it tells the driver when
// its next timer is due (next) and fires one timer at a time (fire), in
// (deadline, scheduling order), so timers due at the same instant fire in a
// reproducible order and the driver can let the stacks settle between two
// timers.
//
// Invariants: now never decreases; every armed timer is in the heap exactly
// once, at index idx, and idx is -1 for a stopped or fired timer. A timer
// armed with d <= 0 is due now: it fires on the driver's next fire, never
// inline, because the caller of AfterFunc or Reset may hold stack locks the
// callback takes.
//
// gVisor calls AfterFunc, Reset and Stop from its processor goroutines as
// well as from the driver, hence the mutex; callbacks run on the driver's
// goroutine with the mutex released.
type eventClock struct {
	mu  sync.Mutex
	now time.Duration // virtual time since epoch
	seq uint64        // scheduling counter: ties at one deadline fire in arming order
	h   timerHeap
}

var _ tcpip.Clock = (*eventClock)(nil)

// Now implements tcpip.Clock.
func (c *eventClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return epoch.Add(c.now)
}

// NowMonotonic implements tcpip.Clock.
func (c *eventClock) NowMonotonic() tcpip.MonotonicTime {
	c.mu.Lock()
	defer c.mu.Unlock()
	return tcpip.MonotonicTime{}.Add(c.now)
}

// elapsed is the virtual time since the clock was made.
func (c *eventClock) elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc implements tcpip.Clock.
func (c *eventClock) AfterFunc(d time.Duration, f func()) tcpip.Timer {
	t := &vtimer{c: c, f: f, idx: -1}
	c.mu.Lock()
	c.armLocked(t, d)
	c.mu.Unlock()
	return t
}

func (c *eventClock) armLocked(t *vtimer, d time.Duration) {
	if d < 0 {
		d = 0
	}
	t.at = c.now + d
	t.seq = c.seq
	c.seq++
	heap.Push(&c.h, t)
}

// next returns the deadline of the earliest armed timer.
func (c *eventClock) next() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.h) == 0 {
		return 0, false
	}
	return c.h[0].at, true
}

// advance moves virtual time forward to t (never backward).
func (c *eventClock) advance(t time.Duration) {
	c.mu.Lock()
	if t > c.now {
		c.now = t
	}
	c.mu.Unlock()
}

// fire runs the earliest timer if it is due at or before now and reports
// whether it ran one.
func (c *eventClock) fire() bool {
	c.mu.Lock()
	if len(c.h) == 0 || c.h[0].at > c.now {
		c.mu.Unlock()
		return false
	}
	t := heap.Pop(&c.h).(*vtimer)
	c.mu.Unlock()
	t.f()
	return true
}

// vtimer implements tcpip.Timer on an eventClock.
type vtimer struct {
	c   *eventClock
	f   func()
	at  time.Duration
	seq uint64
	idx int // position in c.h, -1 when not armed
}

// Stop implements tcpip.Timer.
func (t *vtimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.idx < 0 {
		return false
	}
	heap.Remove(&t.c.h, t.idx)
	return true
}

// Reset implements tcpip.Timer.
func (t *vtimer) Reset(d time.Duration) {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.idx >= 0 {
		heap.Remove(&t.c.h, t.idx)
	}
	t.c.armLocked(t, d)
}

// timerHeap orders timers by (deadline, arming order).
type timerHeap []*vtimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx = i
	h[j].idx = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*vtimer)
	t.idx = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.idx = -1
	*h = old[:len(old)-1]
	return t
}
