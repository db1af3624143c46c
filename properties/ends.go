package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// The properties that close the catalogue's gaps (issue 8), checked on
// traces like the others; each has its own bug-zoo mutant.
//
// P12 (no result after Disconnect): a Connect call still pending when the
// app calls Disconnect or Logout on its device gets no terminal callback
// (spec section 6; the real web engine still delivers onSuccess when the
// app disconnects during the first connect). onDatabaseOpened may still
// come (P4 requires it).
//
// P13 (a second concurrent Connect never succeeds): a Connect call made
// while another accepted call of the same device is pending, or while the
// device is connected or (re)connecting (CONNECTED, CONNECTING, SUSPEND,
// NETWORK_UNAVAILABLE), gets 34001 (spec 5.2), so never onSuccess (the
// real web engine gives it onSuccess in all three cases).
//
// P14 (every accepted call ends): an accepted call gets a terminal
// callback unless the app disconnects first. On a trace this is checked
// where the answer is certain: a call still pending at the end of the
// trace whose device has been CONNECTED since before the trace's reach
// will never get one, since the client is no longer working on it (the
// documented hazard of calling Connect several times, quirk
// multi-connect-clears, ends this way). A pending call of a device still
// connecting is P2's (time limit) or P9's business.

// afterDisconnect checks P12 at terminal callback r of call c, which a
// Disconnect/Logout ended while pending (cDisc) and is not reported yet.
func (m *Monitor) afterDisconnect(c *callState, r *trace.Record) {
	c.set(cRepP12, true)
	m.reportAt(12, "P12", r, fmt.Sprintf("%s after the app's %s call at record %d, made while call %d was pending: a call the app disconnects gets no terminal callback",
		describe(r), map[bool]vocab.Word{false: vocab.OpDisconnect, true: vocab.OpLogout}[c.has(cDiscOut)], m.cold.at(c.cold-1).disc, c.id))
}

// concurrent checks P13 at callback r of call c, made while another
// call of its device was pending or its status active (cConc) and not
// reported yet.
func (m *Monitor) concurrent(c *callState, r *trace.Record) {
	if r.Name != vocab.CbSuccess {
		return
	}
	c.set(cRepP13, true)
	k := m.cold.at(c.cold - 1)
	if c.has(cBySt) {
		m.reportAt(13, "P13", r, fmt.Sprintf("%s, made while its device was %s (record %d): a Connect while connected or reconnecting gets 34001",
			describe(r), k.concSt, k.conc))
		return
	}
	m.reportAt(13, "P13", r, fmt.Sprintf("%s, made while call %d (record %d) of its device was pending: a second concurrent Connect gets 34001",
		describe(r), k.concID, k.conc))
}

// forgotten checks P14 at the end of the trace (which reaches reach) for
// accepted call c.
func (m *Monitor) forgotten(c *callState, reach time.Duration) {
	if c.has(cEnded) || c.has(cDisconnected) {
		return
	}
	d := m.devs.at(c.dev)
	if d.status != fsm.Connected || d.statusI < c.idx || d.statusT >= reach {
		return
	}
	m.report(14, "P14", int(c.idx), c.t, d.dev, fmt.Sprintf(
		"call %d never got a terminal callback, though dev%d has been CONNECTED since t=%s (record %d): the client no longer works on it; %s",
		c.id, d.dev, seconds(d.statusT), d.statusI, m.reachText()))
}
