package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// P3 (silence after timeout). After onError(34006) of call c on device d,
// until d's next accepted Connect call record: no callback of call c (on
// any device), no attempt start on d, no status CONNECTING or CONNECTED on
// d. One violation per timeout, at the first offending record.

// silence is a device's state after a 34006; its flags are the device's:
// dSilent (active), dSilReported. Invariant: dSilReported implies
// dSilent.
type silence struct {
	idx  rec // the onError(34006) record
	call int32
}

// breach reports P3 at record r (what) of device d, silent and not
// reported yet.
func (m *Monitor) breach(d *devState, r *trace.Record, what string) {
	k := m.dcold.at(d.cold - 1)
	m.reportAt(3, "P3", r, fmt.Sprintf("%s after onError(34006) of call %d at record %d, with no Connect since",
		what, k.sil.call, k.sil.idx))
	d.set(dSilReported, true)
}

// silentUnreported reports whether d is silenced and its silence not
// broken yet.
func (d *devState) silentUnreported() bool { return d.flags&(dSilent|dSilReported) == dSilent }

// silenceBreach checks P3 at callback r of call c, whose 34006 silenced
// a device (cSil): that device must hear nothing more of c.
func (m *Monitor) silenceBreach(c *callState, r *trace.Record) {
	if d := m.devs.at(m.silDev(c) - 1); d.silentUnreported() && m.dcold.at(d.cold-1).sil.call == r.Call {
		m.breach(d, r, describe(r))
	}
}

// silenceStart starts device ds's (d's) silence at its onError(34006)
// r, of call cs (slot+1), unless one is active.
func (m *Monitor) silenceStart(ds int32, d *devState, r *trace.Record, cs int32) {
	if !d.has(dSilent) {
		m.coldDev(d).sil = silence{call: r.Call, idx: m.at()}
		d.set(dSilent, true)
		c := m.calls.at(cs - 1)
		m.setSilDev(c, ds+1)
	}
}

// silenceBroken checks P3 at record r of device d, an attempt start or a
// status CONNECTING or CONNECTED.
func (m *Monitor) silenceBroken(d *devState, r *trace.Record) {
	if d.silentUnreported() {
		m.breach(d, r, describe(r))
	}
}

// endSilence ends device d's silence (its Connect call was accepted).
func (m *Monitor) endSilence(d *devState) {
	d.flags &^= dSilent | dSilReported
}
