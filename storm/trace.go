package storm

import (
	"github.com/rcsim/connsim/fsm"
	"github.com/rcsim/connsim/trace"
)

// traced reports whether client cl's trace is kept.
func (w *world) traced(cl int32) bool { return int(cl) == w.p.TraceClient }

// rec appends r at the current time to the traced client's trace; the
// client is device 0 of user 0 in it.
func (w *world) rec(r trace.Record) {
	r.T = w.now
	w.recs = append(w.recs, r)
}

// traceSession records a session change of client cl, if it is traced.
func (w *world) traceSession(cl int32, op string, seq uint32, reason string) {
	if w.traced(cl) {
		w.rec(trace.Record{Kind: trace.KSession, Op: op, Platform: "mobile", Seq: seq, Reason: reason})
	}
}

// traceEffect records effect e of the traced client, as sim records it.
func (w *world) traceEffect(e *fsm.Effect) {
	r := trace.Record{}
	switch e.Kind {
	case fsm.EffCallback:
		r.Kind, r.Name, r.Code, r.Call = trace.KCallback, e.Name, e.Code, e.Call
	case fsm.EffStatus:
		r.Kind, r.Status, r.From = trace.KStatus, e.To, e.From
	case fsm.EffAttempt:
		r.Kind, r.N, r.Phase, r.Reason, r.Streak, r.Auto, r.Seq, r.Code =
			trace.KAttempt, e.N, e.Phase, e.Reason, e.Streak, e.Auto, e.Seq, e.Code
	case fsm.EffLost:
		r.Kind, r.Reason = trace.KLost, e.Reason
	case fsm.EffHeartbeat:
		r.Kind, r.Op, r.Seq = trace.KHeartbeat, e.Phase, e.Seq
	default:
		return
	}
	w.rec(r)
}
