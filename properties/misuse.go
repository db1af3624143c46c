package properties

import (
	"fmt"
	"sort"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/vocab"
)

// P9 (misuse is contained).
//
// A rejected Connect call (onError 33001 or 34001) gets exactly one
// callback, and at once: the next non-detail record of its device after its
// call record is that onError, at the same time (so no status change comes
// between). A violation is blamed on the record in the callback's place, or
// on any further callback of the call.
//
// A Connect call that was pending when another call was rejected (accepted,
// with no terminal callback and no Disconnect/Logout of its device yet) still
// gets its terminal callback, unless a Disconnect/Logout of its device comes
// first, or the trace ends at the horizon, or has no end record (it was cut
// short), or ends with the call's device offline (env net_off with no net_on
// since: a paused call may wait forever). A missing terminal is blamed on
// the pending call's call record.

// reject marks call cs rejected (it got a misuse onError).
func (m *Monitor) reject(cs int32) {
	c := m.calls.at(cs - 1)
	c.set(cRejected|cP2done, true)
	m.unlink(cs)
	m.rejects = append(m.rejects, rejection{idx: c.idx, id: c.id})
	if c.has(cDecided) {
		m.checkRejected(c)
	}
}

// checkRejected checks that the device's next record after rejected call
// c's call record is its rejection, at once.
func (m *Monitor) checkRejected(c *callState) {
	if c.has(cRefused) {
		return // refused by its return code: no rejection callback (P19)
	}
	var msg string
	n := &c.nextB
	nt := func() string { return m.text(*n) }
	switch {
	case !c.has(cNextOwn):
		msg = fmt.Sprintf("%s came between connect call %d (record %d) and its rejection", nt(), c.id, c.idx)
	case n.a != vocab.CbError || fsm.Code(n.x).Class() != fsm.ClassMisuse:
		msg = fmt.Sprintf("%s is the first callback of call %d, which is rejected later", nt(), c.id)
	case m.nextT(c) != c.t:
		msg = fmt.Sprintf("%s at t=%s, not at once (the call was made at t=%s)", nt(), seconds(m.nextT(c)), seconds(c.t))
	}
	if msg != "" {
		m.report(9, "P9", int(c.next), m.nextT(c), m.devs.at(c.dev).dev, msg) // next is a record of the call's device
	}
}

// pendingMissing checks, at the end of the trace, that accepted call c,
// pending when a later call was rejected, got its terminal callback.
func (m *Monitor) pendingMissing(c *callState) {
	if c.has(cEnded) || c.has(cDisconnected) || m.endIdx < 0 || m.endReason == vocab.EndHorizon || m.devs.at(c.dev).has(dOffline) {
		return
	}
	k := sort.Search(len(m.rejects), func(k int) bool { return m.rejects[k].idx > c.idx })
	if k == len(m.rejects) {
		return
	}
	rj := m.rejects[k]
	m.report(9, "P9", int(c.idx), c.t, m.devs.at(c.dev).dev, fmt.Sprintf(
		"call %d was pending when call %d was rejected (record %d) and never got a terminal callback; the trace ended (%s) at record %d",
		c.id, rj.id, rj.idx, m.endReason, m.endIdx))
}
