package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// P2 (time limit honoured). An accepted Connect call with timeLimit L > 0,
// made at t, is due at t+L. Unless a Disconnect or Logout call of its
// device comes before its first terminal callback and no later than t+L,
// or the trace ends before t+L (an end record, or for a trace with none its
// last record; an end record with reason idle reaches forever, see
// Monitor.reach), it gets exactly one terminal callback at or before t+L,
// and an onError(34006) exactly at t+L.
//
// A late or missing terminal is reported once per call: at the late
// callback, or at the call record when none came. With cfg.Tolerance D,
// "at" and "by" t+L accept up to D either way.

// limitCallback checks P2 at terminal callback r of call c, neither
// done with P2 (cP2done) nor rejected.
func (m *Monitor) limitCallback(c *callState, r *trace.Record) {
	due, tol := c.t+c.limit, m.cfg.Tolerance
	first := !c.has(cTerm1)
	c.set(cTerm1, true)
	switch {
	case r.T > due+tol:
		if first {
			m.reportAt(2, "P2", r, fmt.Sprintf("%s at t=%s, after call %d's time limit ran out at t=%s",
				describe(r), seconds(r.T), c.id, seconds(due)))
		}
		c.set(cP2done, true)
	case !first:
		m.reportAt(2, "P2", r, fmt.Sprintf("second terminal callback %s within call %d's time limit", describe(r), c.id))
		c.set(cP2done, true)
	case r.Name == vocab.CbError && r.Code == fsm.ConnectTimeout && r.T < due-tol:
		m.reportAt(2, "P2", r, fmt.Sprintf("%s at t=%s, before call %d's time limit runs out at t=%s",
			describe(r), seconds(r.T), c.id, seconds(due)))
	}
}

// limitMissing checks, at the end of the trace (which reaches reach), that
// accepted call c got a terminal callback when one was owed.
func (m *Monitor) limitMissing(c *callState, reach time.Duration) {
	if c.has(cP2done|cTerm1) || c.limit <= 0 {
		return
	}
	if due := c.t + c.limit; reach >= due+m.cfg.Tolerance {
		m.report(2, "P2", int(c.idx), c.t, m.devs.at(c.dev).dev, fmt.Sprintf(
			"call %d (time limit %s) got no terminal callback by t=%s; %s",
			c.id, seconds(c.limit), seconds(due), m.reachText()))
	}
}
