package properties

import (
	"fmt"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// CheckP2 checks P2 (time limit honoured). An accepted Connect call with
// timeLimit L > 0, made at t, is due at t+L. Unless a Disconnect or Logout
// call of its device comes before its first terminal callback and no later
// than t+L, or the trace ends before t+L (an end record, or for a trace
// with none its last record; an end record with reason idle reaches
// forever, see traceReach), it gets exactly one terminal callback at or
// before t+L, and an onError(34006) exactly at t+L.
//
// A late or missing terminal is reported once per call: at the late
// callback, or at the call record when none came.
func CheckP2(_ Config, recs []trace.Record) []Violation {
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	reach := traceReach(recs)
	var out []Violation
	for _, c := range calls {
		if c.rejected || c.limit <= 0 {
			continue
		}
		out = checkLimit(out, recs, c, reach)
	}
	return out
}

// checkLimit checks P2 for accepted call c, whose trace reaches time reach.
func checkLimit(out []Violation, recs []trace.Record, c call, reach time.Duration) []Violation {
	due := c.t + c.limit
	terms := 0
	for j := c.idx + 1; j < len(recs); j++ {
		r := &recs[j]
		if r.Kind.Detail() {
			continue
		}
		if terms == 0 && r.Dev == c.dev && isDisconnect(r) && r.T <= due {
			return out // the app gave up first: no callback is owed
		}
		if !isTerminal(r) || r.Call != c.id {
			continue
		}
		terms++
		switch {
		case r.T > due:
			if terms == 1 {
				return append(out, violation("P2", recs, j, fmt.Sprintf(
					"%s at t=%s, after call %d's time limit ran out at t=%s",
					describe(r), seconds(r.T), c.id, seconds(due))))
			}
			return out
		case terms > 1:
			return append(out, violation("P2", recs, j, fmt.Sprintf(
				"second terminal callback %s within call %d's time limit", describe(r), c.id)))
		case r.Name == trace.OnError && r.Code == fsm.ConnectTimeout && r.T != due:
			out = append(out, violation("P2", recs, j, fmt.Sprintf(
				"%s at t=%s, before call %d's time limit runs out at t=%s",
				describe(r), seconds(r.T), c.id, seconds(due))))
		}
	}
	if terms == 0 && reach >= due {
		out = append(out, violation("P2", recs, c.idx, fmt.Sprintf(
			"call %d (time limit %s) got no terminal callback by t=%s; %s",
			c.id, seconds(c.limit), seconds(due), reachText(recs))))
	}
	return out
}

// endIdle is the end reason of a trial that stopped because nothing was
// left to happen: no timer, message or scripted event.
const endIdle = "idle"

// forever is how far a trace that ended idle reaches.
const forever = time.Duration(1<<63 - 1)

// traceReach returns how far in time the trace reaches: the time of its
// end record; forever if that record says idle (nothing was left to
// happen, so a callback missing at the end never comes: the documented
// hazard of a Connect before Init with no callback at all ends this way);
// or, for a trace with no end record, its last record's time.
func traceReach(recs []trace.Record) time.Duration {
	endIdx, reason := traceEnd(recs)
	switch {
	case endIdx < 0:
		return lastT(recs)
	case reason == endIdle:
		return forever
	}
	return recs[endIdx].T
}

// reachText says how far the trace reaches, for a message.
func reachText(recs []trace.Record) string {
	if traceReach(recs) == forever {
		return "the trace ended idle at t=" + seconds(lastT(recs)) + ": nothing more could happen"
	}
	return "the trace goes on to t=" + seconds(traceReach(recs))
}
