package properties

import (
	"fmt"

	"github.com/rcsim/connsim/trace"
)

// CheckP5 checks P5 (terminal means stop). After a terminal error, a
// status change to a stopped status (KICKED_OFFLINE_BY_OTHER_CLIENT,
// TOKEN_INCORRECT, CONN_USER_BLOCKED, UNCONNECTED, TIMEOUT, SIGN_OUT), or a
// Disconnect/Logout call on device d, no attempt starts on d until d's next
// accepted Connect call record. One violation per stop, at the first
// offending attempt start.
func CheckP5(_ Config, recs []trace.Record) []Violation {
	// stop is a device's stop state. Invariant: reported implies stopped.
	type stop struct {
		stopped, reported bool
		idx               int // the record that stopped the device
	}
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	var sbuf [8]stop
	devs := sbuf[:0]
	var out []Violation
	for i := range recs {
		r := &recs[i]
		if !deviceRec(r) {
			continue
		}
		devs = at(devs, r.Dev)
		s := &devs[r.Dev]
		switch {
		case accepted(calls, recs, i):
			*s = stop{}
		case stops(r):
			*s = stop{stopped: true, idx: i}
		case isAttempt(r, "start") && s.stopped && !s.reported:
			out = append(out, violation("P5", recs, i, fmt.Sprintf(
				"%s after %s at record %d, with no Connect since",
				describe(r), describe(&recs[s.idx]), s.idx)))
			s.reported = true
		}
	}
	return out
}
