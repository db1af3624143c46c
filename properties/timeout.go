package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// P3 (silence after timeout). After onError(34006) of call c on device d,
// until d's next accepted Connect call record: no callback of call c (on
// any device), no attempt start on d, no status CONNECTING or CONNECTED on
// d. One violation per timeout, at the first offending record.

// silence is a device's state after a 34006. Invariant: reported implies
// active.
type silence struct {
	idx              int // the onError(34006) record
	call             int32
	active, reported bool
}

func (m *Monitor) breach(s *silence, r *trace.Record, what string) {
	m.reportAt(3, "P3", r, fmt.Sprintf("%s after onError(34006) of call %d at record %d, with no Connect since",
		what, s.call, s.idx))
	s.reported = true
}

// silenceBreach checks P3 at callback r of call c: the device c's 34006
// silenced (if any) must hear nothing more of c.
func (m *Monitor) silenceBreach(c *callState, r *trace.Record) {
	if c.silDev == 0 {
		return
	}
	if s := &m.devs[c.silDev-1].sil; s.active && !s.reported && s.call == r.Call {
		m.breach(s, r, describe(r))
	}
}

// silenceStart starts device ds's (d's) silence at its onError(34006)
// r, unless one is active.
func (m *Monitor) silenceStart(ds int32, d *devState, r *trace.Record) {
	if !d.sil.active {
		d.sil = silence{active: true, call: r.Call, idx: m.n - 1}
		m.calls[m.call(r.Call)-1].silDev = ds + 1
	}
}

// silenceBroken checks P3 at record r of device d, an attempt start or a
// status CONNECTING or CONNECTED.
func (m *Monitor) silenceBroken(d *devState, r *trace.Record) {
	if s := &d.sil; s.active && !s.reported {
		m.breach(s, r, describe(r))
	}
}

// endSilence ends device d's silence (its Connect call was accepted).
func (m *Monitor) endSilence(d *devState) { d.sil = silence{} }
