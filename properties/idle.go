package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P17 (the server closes a dead session), per device. A session is open in
// the server's view from its session open record to the close record with
// the same device and seq (a device holds at most one: a new open closes
// the old one, "replaced").
//
// A device can send to the server only while CONNECTED (pings, acks,
// pulls) or at the records that send something (an attempt's Auth, the
// Close of a Disconnect, a Logout or an abandoned attempt). So a device
// whose status is not CONNECTED is silent since its last call, attempt,
// lost, heartbeat or status record (its talk time), and its open session
// must close within Config.IdleTimeout + Config.HBInterval +
// Config.MaxDelay + Config.Tolerance of that time: the server's idle
// timeout counts from the last message it heard, which left the device at
// its talk time at the latest and reached the server at most MaxDelay
// later; one heartbeat interval is the slack the issue allows. A
// CONNECTED device is never silent here: a trace cannot tell whether its
// pings reach the server (nor whether an OS that froze the app stopped
// them), so P17 is an upper bound that a correct server keeps with room.
//
// The check runs at each record of the device (its session still open
// past the deadline: blamed on that record), at the session's close record
// (closed late: blamed on it), and at the end of the trace (still open
// past the deadline the trace reaches: blamed on the end record). One
// violation per session. Config.IdleTimeout <= 0: not checked.

// idleDeadline returns when device d's open session must be closed by,
// and whether it has a deadline at all (a session open, the device not
// CONNECTED, not reported yet, P17 on).
func (m *Monitor) idleDeadline(d *devState) (time.Duration, bool) {
	if d.flags&(dSessOpen|dIdleDone) != dSessOpen || m.cfg.IdleTimeout <= 0 || d.status == fsm.Connected {
		return 0, false
	}
	return d.talkT + m.att.idle, true
}

// idleOverdue reports P17 at record r of device d, whose open session had
// to be closed by at (idleDeadline): Observe checks each record of a
// device so, before the record changes d's status or its P17 state.
func (m *Monitor) idleOverdue(d *devState, r *trace.Record, at time.Duration) {
	what := "it is still open"
	if r.Kind == trace.KSession && r.Op == vocab.SessClose && r.Seq == d.sessSeq {
		what = "it closed only now"
	}
	d.set(dIdleDone, true)
	m.idleLate(d, at, m.n-1, r.T, what)
}

// idleSession applies session record r to device d's P17 state. (Call,
// attempt, lost, heartbeat and status records set d.talkT: Observe.)
func (m *Monitor) idleSession(d *devState, r *trace.Record) {
	switch {
	case r.Op == vocab.SessOpen:
		d.set(dSessOpen, true)
		d.set(dIdleDone, false)
		d.sessSeq, d.talkT = r.Seq, r.T
	case r.Op == vocab.SessClose && d.has(dSessOpen) && r.Seq == d.sessSeq:
		d.set(dSessOpen, false)
	}
}

// idleLate reports P17 for device d's open session, due by at, blamed on
// record idx at t.
func (m *Monitor) idleLate(d *devState, at time.Duration, idx int, t time.Duration, what string) {
	m.report(17, "P17", idx, t, d.dev, fmt.Sprintf(
		"session seq %d of dev%d: the device is not connected and silent since t=%s, so the server should have closed the session by t=%s (idle timeout %s + heartbeat interval %s + delay %s); %s",
		d.sessSeq, d.dev, seconds(d.talkT), seconds(at), m.cfg.IdleTimeout, m.cfg.HBInterval, m.cfg.MaxDelay, what))
}

// idleMissing checks P17 at the end of the trace (which reaches reach)
// for device d, whose open session had to be closed by at: reported on
// the end record idx at t (endDevices).
func (m *Monitor) idleMissing(d *devState, at, reach time.Duration, idx int, t time.Duration) {
	if reach > at {
		m.idleLate(d, at, idx, t, "it is still open at the end ("+m.reachText()+")")
	}
}
