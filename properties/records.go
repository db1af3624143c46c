package properties

import (
	"strconv"
	"time"

	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
	"github.com/rcsim/connsim/vocab"
)

// deviceRec reports whether r is a non-detail record of a device.
func deviceRec(r *trace.Record) bool { return !r.Kind.Detail() && r.Dev >= 0 }

func isCall(r *trace.Record, op vocab.Word) bool { return r.Kind == trace.KCall && r.Op == op }

// isDisconnect reports whether r is a Disconnect or Logout call record.
func isDisconnect(r *trace.Record) bool {
	return r.Kind == trace.KCall && (r.Op == vocab.OpDisconnect || r.Op == vocab.OpLogout)
}

// isTerminal reports whether r is a terminal callback (onSuccess, onError).
func isTerminal(r *trace.Record) bool {
	return r.Kind == trace.KCallback && (r.Name == vocab.CbSuccess || r.Name == vocab.CbError)
}

// isAttempt reports whether r is an attempt record of the given phase.
func isAttempt(r *trace.Record, phase vocab.Word) bool {
	return r.Kind == trace.KAttempt && r.Phase == phase
}

// Stops reports whether r makes its device leave the connection mechanism
// (P5): a terminal error, a status change to a stopped status, or a
// Disconnect/Logout call. It is P5's, P6's and P8's one definition of a
// stop; package explore keys its abstract states with it, so a state's
// "stopped since the last Connect" means what P5 means.
func Stops(r *trace.Record) bool {
	switch r.Kind {
	case trace.KCallback:
		return r.Name == vocab.CbError && r.Code.Class() == fsm.ClassTerminal
	case trace.KStatus:
		return stopsAt(r.Status)
	case trace.KCall:
		return isDisconnect(r)
	}
	return false
}

// stopsAt reports whether a status change to s is a stop (Stops).
func stopsAt(s fsm.Status) bool {
	switch s {
	case fsm.KickedOffline, fsm.TokenIncorrect, fsm.UserBlocked, fsm.Unconnected, fsm.Timeout, fsm.SignOut:
		return true
	}
	return false
}

// brief is what a message needs to name a record (describe): its kind and
// the fields describe shows of a record of that kind, so a monitor can
// remember a record without keeping it (12 bytes, no pointer). Kinds that
// show different fields share x and y:
//
//	a: the callback name, op or attempt phase (parts' a)
//	x: the code (callback), or the reason's Word (attempt, lost, end: parts' b)
//	y: the call (callback, call) or the seq (session)
type brief struct {
	kind   trace.Kind
	status fsm.Status
	a      vocab.Word
	x, y   uint32
}

// parts returns the two names describe shows of r: its callback name,
// op or attempt phase, and its reason.
func parts(r *trace.Record) (a, b vocab.Word) {
	switch r.Kind {
	case trace.KCallback:
		return r.Name, vocab.None
	case trace.KAttempt:
		return r.Phase, r.Reason
	case trace.KLost, trace.KEnd:
		return vocab.None, r.Reason
	}
	return r.Op, vocab.None
}

// reasoned reports whether describe shows the reason of a record of kind
// k (parts' b), so that a brief's x is that, not a code.
func reasoned(k trace.Kind) bool {
	return k == trace.KAttempt || k == trace.KLost || k == trace.KEnd
}

// brief returns what describe needs of r.
func (m *Monitor) brief(r *trace.Record) brief {
	var b brief
	m.setBrief(&b, r)
	return b
}

// setBrief stores brief(r) in *dst, field by field: a brief returned
// whole is copied through the stack, stored narrow and read back wide,
// and the wide loads wait for the narrow stores (4% of the checkers'
// time went to that in stop alone; see also Monitor.newDev).
func (m *Monitor) setBrief(dst *brief, r *trace.Record) {
	a, b := parts(r)
	x, y := uint32(r.Code), uint32(r.Call)
	if reasoned(r.Kind) {
		x = uint32(b)
	}
	if r.Kind == trace.KSession {
		y = r.Seq
	}
	dst.kind, dst.status, dst.a, dst.x, dst.y = r.Kind, r.Status, a, x, y
}

// text describes the record b was taken from (see describe).
func (m *Monitor) text(b brief) string {
	reason := vocab.None
	if reasoned(b.kind) {
		reason = vocab.Word(b.x)
	}
	return describeParts(b.kind, b.status, fsm.Code(b.x), int32(b.y), b.y, b.a, reason)
}

// cbText describes a callback of call id: its name and code.
func (m *Monitor) cbText(name vocab.Word, code fsm.Code, id int32) string {
	return describeParts(trace.KCallback, 0, code, id, 0, name, vocab.None)
}

// describe names record r briefly for a message: "onError(34006) of call
// 1", "status TIMEOUT", "logout call", "attempt start (schedule)".
func describe(r *trace.Record) string {
	a, b := parts(r)
	return describeParts(r.Kind, r.Status, r.Code, r.Call, r.Seq, a, b)
}

func describeParts(kind trace.Kind, status fsm.Status, code fsm.Code, call int32, seq uint32, aw, bw vocab.Word) string {
	a, b := aw.String(), bw.String()
	switch kind {
	case trace.KCallback:
		s := a
		if aw == vocab.CbError {
			s += "(" + strconv.Itoa(int(code)) + ")"
		}
		return s + " of call " + strconv.Itoa(int(call))
	case trace.KStatus:
		return "status " + status.String()
	case trace.KCall:
		if aw == vocab.OpConnect {
			return "connect call " + strconv.Itoa(int(call))
		}
		return a + " call"
	case trace.KAttempt:
		s := "attempt " + a
		if b != "" {
			s += " (" + b + ")"
		}
		return s
	case trace.KLost:
		return "lost (" + b + ")"
	case trace.KEnv:
		return "env " + a
	case trace.KSession:
		return "session " + a + " seq " + strconv.FormatUint(uint64(seq), 10)
	case trace.KEnd:
		return "end (" + b + ")"
	}
	return kind.String()
}

// at returns s grown so that s[d] exists (d >= 0). Per-device state lives
// in slices indexed by device, backed by a small array on the caller's
// stack.
func at[T any](s []T, d int32) []T {
	for len(s) <= int(d) {
		var zero T
		s = append(s, zero)
	}
	return s
}

// call is what the checkers know of one Connect call.
type call struct {
	id       int32
	dev      int32
	idx      int           // index of its connect call record
	t        time.Duration // when it was made
	limit    time.Duration // its timeLimit; <= 0: none
	rejected bool          // it got onError 33001 or 34001
	reported bool          // scratch for a checker: a violation was reported for this call
}

// connectCalls appends the Connect calls of recs to out, in record order.
func connectCalls(recs []trace.Record, out []call) []call {
	for i := range recs {
		r := &recs[i]
		switch {
		case isCall(r, vocab.OpConnect):
			out = append(out, call{id: r.Call, dev: r.Dev, idx: i, t: r.T, limit: r.TimeLimit, rejected: r.Code != 0}) // a non-zero return code (wrapper API): refused
		case r.Kind == trace.KCallback && r.Name == vocab.CbError && r.Code.Class() == fsm.ClassMisuse:
			if j := findCall(out, r.Call); j >= 0 {
				out[j].rejected = true
			}
		}
	}
	return out
}

// findCall returns the index in cs of the latest call with id, or -1.
func findCall(cs []call, id int32) int {
	for j := len(cs) - 1; j >= 0; j-- {
		if cs[j].id == id {
			return j
		}
	}
	return -1
}

// accepted reports whether record i is the call record of an accepted
// Connect call.
func accepted(cs []call, recs []trace.Record, i int) bool {
	r := &recs[i]
	if !isCall(r, vocab.OpConnect) {
		return false
	}
	j := findCall(cs, r.Call)
	return j >= 0 && cs[j].idx == i && !cs[j].rejected
}
