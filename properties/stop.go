package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// P5 (terminal means stop). After a terminal error, a status change to a
// stopped status (KICKED_OFFLINE_BY_OTHER_CLIENT, TOKEN_INCORRECT,
// CONN_USER_BLOCKED, UNCONNECTED, TIMEOUT, SIGN_OUT), or a
// Disconnect/Logout call on device d, no attempt starts on d until d's next
// accepted Connect call record, and d does not reach CONNECTED (as the
// real web engine does when the app disconnects during a reconnection
// whose answer then arrives). One violation per stop and kind, at the
// first offending attempt start or status. A device whose native library
// is missing (env native_lib_missing, android) is stopped for good: every
// Connect gets -2 at once, so no accepted call ends that stop.

// stopState is a device's stop state; its flags are the device's:
// dStopped, dStopReported (an attempt start since the stop reported),
// dConnReported (a CONNECTED since the stop reported). Invariant: either
// reported flag implies dStopped.
type stopState struct {
	idx rec   // the record that stopped the device
	b   brief // ... described
}

// stop applies record r, which Stops, to device d: P5's stop, and P6's
// (no attempt is expected).
func (m *Monitor) stop(d *devState, r *trace.Record) {
	k := m.coldDev(d)
	k.stop.idx = m.at()
	m.setBrief(&k.stop.b, r)
	d.flags = d.flags&^(dStopReported|dConnReported) | dStopped
	d.leave()
}

// stopStart checks P5 at attempt start r of device d.
func (m *Monitor) stopStart(d *devState, r *trace.Record) {
	if d.flags&(dStopped|dStopReported) == dStopped {
		m.reportAt(5, "P5", r, m.stopMsg(d, r))
		d.set(dStopReported, true)
	}
}

// stopConnected checks P5 at status record r (CONNECTED) of device d.
func (m *Monitor) stopConnected(d *devState, r *trace.Record) {
	if d.flags&(dStopped|dConnReported) == dStopped {
		m.reportAt(5, "P5", r, m.stopMsg(d, r))
		d.set(dConnReported, true)
	}
}

// stopMsg is P5's report of record r on stopped device d.
func (m *Monitor) stopMsg(d *devState, r *trace.Record) string {
	k := m.dcold.at(d.cold - 1)
	if d.has(dNoLib) {
		return fmt.Sprintf("%s on a device without its native library (%s at record %d): every Connect gets -2", describe(r), m.text(k.stop.b), k.stop.idx)
	}
	return fmt.Sprintf("%s after %s at record %d, with no Connect since", describe(r), m.text(k.stop.b), k.stop.idx)
}
