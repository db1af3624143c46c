package properties

import (
	"fmt"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// CheckP3 checks P3 (silence after timeout). After onError(34006) of call c
// on device d, until d's next accepted Connect call record: no callback of
// call c (on any device), no attempt start on d, no status CONNECTING or
// CONNECTED on d. One violation per timeout, at the first offending record.
func CheckP3(_ Config, recs []trace.Record) []Violation {
	// silence is a device's state after a 34006. Invariant: reported
	// implies active.
	type silence struct {
		active, reported bool
		call             int32
		idx              int // the onError(34006) record
	}
	var cbuf [16]call
	calls := connectCalls(recs, cbuf[:0])
	var sbuf [8]silence
	devs := sbuf[:0]
	var out []Violation
	breach := func(s *silence, i int, what string) {
		out = append(out, violation("P3", recs, i, fmt.Sprintf(
			"%s after onError(34006) of call %d at record %d, with no Connect since",
			what, s.call, s.idx)))
		s.reported = true
	}
	for i := range recs {
		r := &recs[i]
		if r.Kind.Detail() {
			continue
		}
		if r.Kind == trace.KCallback {
			for d := range devs {
				if s := &devs[d]; s.active && !s.reported && s.call == r.Call {
					breach(s, i, describe(r))
				}
			}
		}
		if r.Dev < 0 {
			continue
		}
		devs = at(devs, r.Dev)
		s := &devs[r.Dev]
		switch {
		case accepted(calls, recs, i):
			*s = silence{}
		case r.Kind == trace.KCallback && r.Name == trace.OnError && r.Code == fsm.ConnectTimeout:
			if !s.active {
				*s = silence{active: true, call: r.Call, idx: i}
			}
		case !s.active || s.reported:
		case isAttempt(r, "start"):
			breach(s, i, describe(r))
		case r.Kind == trace.KStatus && (r.Status == fsm.Connecting || r.Status == fsm.Connected):
			breach(s, i, describe(r))
		}
	}
	return out
}
