package properties

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// CheckP9 checks P9 (misuse is contained).
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
func CheckP9(_ Config, recs []trace.Record) []Violation {
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	endIdx, endReason := traceEnd(recs)
	var out []Violation
	for k := range calls {
		c := &calls[k]
		if !c.rejected {
			continue
		}
		out = checkRejected(out, recs, c)
		if endIdx < 0 || endReason == endHorizon {
			continue
		}
		for p := range calls[:k] {
			pc := &calls[p]
			if pc.rejected || pc.reported || !pendingAt(recs, pc, c.idx) {
				continue
			}
			if pendingAt(recs, pc, len(recs)) && !offlineAtEnd(recs, pc.dev) {
				pc.reported = true
				out = append(out, violation("P9", recs, pc.idx, fmt.Sprintf(
					"call %d was pending when call %d was rejected (record %d) and never got a terminal callback; the trace ended (%s) at record %d",
					pc.id, c.id, c.idx, endReason, endIdx)))
			}
		}
	}
	return out
}

// checkRejected checks that rejected call c got one callback, at once.
func checkRejected(out []Violation, recs []trace.Record, c *call) []Violation {
	next := -1
	for j := c.idx + 1; j < len(recs); j++ {
		if r := &recs[j]; r.Dev == c.dev && !r.Kind.Detail() {
			next = j
			break
		}
	}
	if next >= 0 {
		r := &recs[next]
		own := r.Kind == trace.KCallback && r.Call == c.id
		var msg string
		switch {
		case !own:
			msg = fmt.Sprintf("%s came between connect call %d (record %d) and its rejection", describe(r), c.id, c.idx)
		case r.Name != trace.OnError || r.Code.Class() != fsm.ClassMisuse:
			msg = fmt.Sprintf("%s is the first callback of call %d, which is rejected later", describe(r), c.id)
		case r.T != c.t:
			msg = fmt.Sprintf("%s at t=%s, not at once (the call was made at t=%s)", describe(r), seconds(r.T), seconds(c.t))
		}
		if msg != "" {
			out = append(out, violation("P9", recs, next, msg))
		}
		if !own {
			next = -1
		}
	}
	for j := c.idx + 1; j < len(recs); j++ {
		if r := &recs[j]; j != next && r.Kind == trace.KCallback && r.Call == c.id {
			return append(out, violation("P9", recs, j, fmt.Sprintf(
				"%s: a rejected call gets exactly one callback, at once", describe(r))))
		}
	}
	return out
}

// pendingAt reports whether accepted call p is still pending just before
// record at: no terminal callback and no Disconnect/Logout of its device
// since its call record.
func pendingAt(recs []trace.Record, p *call, at int) bool {
	for j := p.idx + 1; j < at; j++ {
		r := &recs[j]
		if (isTerminal(r) && r.Call == p.id) || (r.Dev == p.dev && isDisconnect(r)) {
			return false
		}
	}
	return true
}

// offlineAtEnd reports whether device dev's last net_off has no net_on
// after it.
func offlineAtEnd(recs []trace.Record, dev int16) bool {
	for j := len(recs) - 1; j >= 0; j-- {
		if r := &recs[j]; r.Dev == dev && r.Kind == trace.KEnv {
			switch r.Op {
			case envNetOff:
				return true
			case envNetOn:
				return false
			}
		}
	}
	return false
}
