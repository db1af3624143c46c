package properties

import (
	"container/heap"
	"fmt"
	"slices"
	"time"

	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P6 (schedule), per device. After counted failure k of a streak at t (k
// counts since the last reset; a counting lost record is failure 1 of a
// new streak), the next attempt starts at exactly t + the policy's gap k
// (cfg.gap; for a jittered policy: within the policy's bounds for k),
// unless a reset, a pause or a stop comes first, or the trace ends
// first. An env net_on is a reset only after a net_off (the network
// becomes available again), a net_change only while the network is on;
// foreground always is (mobile: web follows neither, and an attempt a
// network change fails is a counted failure there). An env bg_disconnect
// (ios: the SDK stopped in the background) is a pause. An env ipc_back
// (android: the IPC link is back) is a reset for a device waiting in the
// schedule or owed a connection by an onError(-2), and makes its attempt
// due at once (ipcBack). Violations:
//
//   - an attempt start with reason "schedule" when no counted failure is
//     waiting, or at another time than the one due (outside the bounds);
//   - a start with any other reason while a failure is waiting and before
//     its time, unless the reason is "connect", or it is a reset's
//     (network-up, network-change, foreground, ipc-back) at the time of a
//     reset;
//   - no start by the time due while the trace goes on past it (blamed on
//     the first record after that time).
//
// With a nil cfg.Policy, P6 is not checked. With cfg.Tolerance D,
// "exactly", "between", "before" and "by" accept a deviation of up to D.

// backoff is one device's schedule state (P6).
//
// Its flags are the device's (dWaiting, dNetOff, dReset, dFrozen, dNoLib,
// dIPCOwed), and so is its streak (devState.streak, the counted transient
// failures since the last reset), so that it has no padding (40 bytes).
//
// Invariants: waiting (dWaiting) implies streak >= 1 and [due, dueHi] =
// failT + gap(streak), or streak 0 and due = dueHi = the time of an env
// ipc_back that owes an attempt at once (ipcBack); either way an entry
// (dueHi, the device, failIdx) in the monitor's due heap; a reset sets streak
// to 0 and clears waiting; a pause or a stop clears waiting.
type backoff struct {
	due     time.Duration // the earliest time that attempt may start
	dueHi   time.Duration // the latest (= due for a deterministic policy)
	failIdx rec           // the record of that failure: it names the wait (its entry in the heap)
	failB   brief         // ... described
}

// The checks of P6 at a device's records, by kind. A stop (a
// Disconnect/Logout, a terminal error, a stopped status) ends the wait
// (Monitor.stop); an iOS CONNECTING -> SUSPEND is a pause (statusDev).

// scheduleEnv checks P6 at env record r of device ds (d).
func (m *Monitor) scheduleEnv(ds int32, d *devState, r *trace.Record) {
	if m.cfg.Policy == nil {
		return
	}
	switch r.Op {
	case vocab.EnvOSSuspend:
		d.set(dWaiting, false)
		d.set(dFrozen, true) // the OS froze the process: nothing runs until the foreground
		return
	case vocab.EnvBgDisconnect:
		d.set(dWaiting, false) // iOS stopped its wait in the background: the foreground restarts it
		return
	case vocab.EnvForeground:
		d.set(dFrozen, false)
	case vocab.EnvNoNativeLib:
		return // Monitor.env has set dNoLib and stopped the device
	case vocab.EnvIPCBack:
		m.ipcBack(ds, d, r)
		return
	}
	if !m.cfg.Profile.Or().FollowsEnvironment {
		return // web: the network and the foreground change no schedule
	}
	switch {
	case r.Op == vocab.EnvNetOff:
		d.set(dWaiting, false)
		d.set(dNetOff, true)
	case r.Op == vocab.EnvNetOn && d.has(dNetOff), r.Op == vocab.EnvNetChange && !d.has(dNetOff), r.Op == vocab.EnvForeground:
		m.restart(d, r)
	}
	if r.Op == vocab.EnvNetOn {
		d.set(dNetOff, false)
	}
}

// scheduleLost checks P6 at lost record r of device ds (d).
func (m *Monitor) scheduleLost(ds int32, d *devState, r *trace.Record) {
	if m.cfg.Policy == nil {
		return
	}
	switch r.Reason {
	case vocab.ReasonHeartbeat, vocab.ReasonIPC, vocab.ReasonGone, vocab.ReasonNetworkDown:
		if m.cfg.Profile.Or().RetryAtOnceAfterLoss {
			m.restart(d, r) // web: a loss attempts at once (reason reconnect)
			break
		}
		if r.Reason == vocab.ReasonNetworkDown {
			d.set(dWaiting, false) // a pause
			break
		}
		d.streak = 0
		m.fail(ds, d, r)
	case vocab.ReasonNetworkChange:
		m.restart(d, r)
	default: // network-down pauses; an unknown reason expects nothing
		d.set(dWaiting, false)
	}
}

// scheduleStart checks P6 at attempt start r of device d.
func (m *Monitor) scheduleStart(d *devState, r *trace.Record) {
	if m.cfg.Policy == nil {
		return
	}
	if msg := m.start(d, r); msg != "" {
		m.reportAt(6, "P6", r, msg)
	}
	d.set(dWaiting, false)
}

// scheduleOK applies an attempt ok of device d to its schedule (P6).
func (m *Monitor) scheduleOK(d *devState) {
	if m.cfg.Policy != nil {
		d.streak = 0
		d.set(dWaiting, false)
	}
}

// scheduleFail applies attempt fail r of device ds (d) to its schedule
// (P6).
func (m *Monitor) scheduleFail(ds int32, d *devState, r *trace.Record) {
	if m.cfg.Policy == nil {
		return
	}
	switch r.Reason {
	case vocab.ReasonAttemptTimeout, vocab.ReasonUnavailable, vocab.ReasonIPC:
		m.fail(ds, d, r)
	case vocab.ReasonNetworkDown:
		if m.cfg.Profile.Or().OfflinePause {
			d.set(dWaiting, false)
		} else {
			m.fail(ds, d, r) // web: an offline round fails and waits
		}
	case vocab.ReasonNetworkChange:
		if m.cfg.Profile.Or().FollowsEnvironment {
			m.restart(d, r)
		} else {
			m.fail(ds, d, r) // web: the browser failed the socket, the round fails and waits
		}
	default: // network-down, cancelled, error, kicked, unknown
		d.set(dWaiting, false)
	}
}

// checkDue reports, before record r (of device slot ds, -1 for none), every
// device whose scheduled attempt was due before r.T and has not started,
// in device order.
func (m *Monitor) checkDue(r *trace.Record, ds int32) {
	m.overdue = m.overdue[:0]
	for m.dues.len() > 0 && m.dues.min().due+m.cfg.Tolerance < r.T {
		e := m.dues.pop()
		d := m.devs.at(e.slot)
		b := &d.bo
		if !d.has(dWaiting) || b.failIdx != e.wait {
			continue // stale: that wait ended
		}
		if e.slot == ds && isAttempt(r, vocab.PhaseStart) {
			continue // a late start: b.start says how late
		}
		_, hi := m.cfg.gap(int(d.streak))
		by := "at" // a deterministic policy: the one time due
		if b.due != b.dueHi {
			by = "by"
		}
		msg := fmt.Sprintf("dev%d: no attempt started %s t=%s, %s after counted failure %d (%s at record %d)",
			d.dev, by, seconds(b.dueHi), seconds(hi), d.streak, m.text(b.failB), b.failIdx)
		if d.streak == 0 { // owed at once at the IPC link's return (ipcBack)
			msg = fmt.Sprintf("dev%d: no attempt started at t=%s, when the IPC link came back (%s at record %d)",
				d.dev, seconds(b.dueHi), m.text(b.failB), b.failIdx)
		}
		m.overdue = append(m.overdue, overdue{d.dev, Violation{Property: "P6", Index: m.n - 1, T: r.T, Dev: r.Dev, Msg: msg}})
		d.set(dWaiting, false)
	}
	if len(m.overdue) > 1 {
		slices.SortStableFunc(m.overdue, func(a, b overdue) int { return int(a.dev) - int(b.dev) })
	}
	for _, o := range m.overdue {
		m.report(6, "P6", o.v.Index, o.v.T, o.v.Dev, o.v.Msg)
	}
}

// overdue is a P6 report of a device whose attempt did not start.
type overdue struct {
	dev int32
	v   Violation
}

// fail counts a transient failure of device ds (d).
func (m *Monitor) fail(ds int32, d *devState, r *trace.Record) {
	b := &d.bo
	d.streak++
	lo, hi := m.cfg.gap(int(d.streak))
	d.set(dWaiting, true)
	b.due, b.dueHi, b.failIdx = r.T+lo, r.T+hi, m.at()
	m.setBrief(&b.failB, r)
	m.dues.push(dueEntry{due: b.dueHi, slot: ds, wait: b.failIdx}, hi)
}

// ipcBack applies env ipc_back r of device ds (d): the IPC
// link is back, and the SDK connects at once if it owes a -2's connection
// or waits in the schedule (a reset), unless it is offline (the network's
// return starts it) or frozen (the foreground does). The attempt is due at
// r.T.
func (m *Monitor) ipcBack(ds int32, d *devState, r *trace.Record) {
	owed := d.has(dIPCOwed)
	d.set(dIPCOwed, false)
	if !(owed || d.has(dWaiting)) || d.has(dNetOff) || d.has(dFrozen) {
		return
	}
	m.restart(d, r)
	b := &d.bo
	d.set(dWaiting, true)
	b.due, b.dueHi, b.failIdx = r.T, r.T, m.at()
	m.setBrief(&b.failB, r)
	m.dues.push(dueEntry{due: r.T, slot: ds, wait: b.failIdx}, 0)
}

// restart is a reset that may start an attempt at once.
func (m *Monitor) restart(d *devState, r *trace.Record) {
	d.streak, m.coldDev(d).resetT = 0, r.T
	d.flags = d.flags&^dWaiting | dReset
}

// leave leaves the mechanism: no attempt is expected.
func (d *devState) leave() {
	d.streak = 0
	d.flags &^= dWaiting | dIPCOwed
}

// start returns why attempt start r of device d breaks the schedule, or
// "": times compared within the tolerance.
func (m *Monitor) start(d *devState, r *trace.Record) string {
	b, waiting, tol := &d.bo, d.has(dWaiting), m.cfg.Tolerance
	atReset := false
	if d.has(dReset) {
		resetT := m.dcold.at(d.cold - 1).resetT
		atReset = r.T >= resetT-tol && r.T <= resetT+tol
	}
	switch r.Reason {
	case vocab.ReasonConnect:
		return ""
	case vocab.ReasonSchedule:
		if !waiting {
			return "attempt start (schedule) with no counted failure waiting for it"
		}
		if r.T < b.due-tol || r.T > b.dueHi+tol {
			if b.due == b.dueHi {
				return fmt.Sprintf("attempt start (schedule) at t=%s; counted failure %d at record %d makes it due at t=%s",
					seconds(r.T), d.streak, b.failIdx, seconds(b.due))
			}
			return fmt.Sprintf("attempt start (schedule) at t=%s; counted failure %d at record %d makes it due between t=%s and t=%s",
				seconds(r.T), d.streak, b.failIdx, seconds(b.due), seconds(b.dueHi))
		}
		return ""
	case vocab.ReasonNetworkUp, vocab.ReasonNetworkChange, vocab.ReasonForeground, vocab.ReasonReconnect, vocab.ReasonIPCBack:
		if atReset {
			return ""
		}
	}
	if waiting && r.T < b.due-tol {
		return fmt.Sprintf("%s at t=%s, before t=%s when counted failure %d at record %d makes the next attempt due",
			describe(r), seconds(r.T), seconds(b.due), d.streak, b.failIdx)
	}
	return ""
}

// dueEntry is a device waiting for its scheduled attempt, by the latest
// time it may start.
type dueEntry struct {
	due  time.Duration
	slot int32
	wait rec // the failure that started the wait: an entry whose device waits on another is stale
}

// dueHeap is a min-heap (container/heap) of waits by due time (ties:
// device slot, for a deterministic order). The monitor keeps only the
// waits that come out of time order in one (dueQueue.strays).
type dueHeap []dueEntry

// earlier orders waits by due, then device slot.
func earlier(a, b *dueEntry) bool {
	return a.due < b.due || a.due == b.due && a.slot < b.slot
}

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return earlier(&h[i], &h[j]) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	s := *h
	e := s[len(s)-1]
	*h = s[:len(s)-1]
	return e
}

func (h dueHeap) len() int         { return len(h) }
func (h *dueHeap) push(e dueEntry) { heap.Push(h, e) }
func (h *dueHeap) pop() dueEntry   { return heap.Pop(h).(dueEntry) }
